# Every target installs what it needs into .venv first; `make run` and `make test` are the
# two commands a fresh machine needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: install run test lint typecheck check eval calibrate clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/normalizer serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# The bundled table: valid, and every golden query in aliases/tests answered as expected.
check: install
	$(BIN)/normalizer check aliases

test: lint typecheck check
	$(BIN)/python -m pytest

# The dev set as it is, then padded with synthetic distractors to 5x and 50x its size
# (SCALE_FLAGS=--huge adds 500x; --half A|B one half of the queries); then names the
# padded table lacks, and typos of names it has.
SCALE_FLAGS ?=
eval: install
	$(BIN)/python bench/dev_eval.py bench/data/dev/gallery.jsonl bench/data/dev/queries.jsonl
	$(BIN)/python bench/scale_eval.py $(SCALE_FLAGS)
	$(BIN)/python bench/fresh_names.py

# Fits normalizer/match/data/calibration.json on half A of the dev queries, reports half B.
calibrate: install
	$(BIN)/python -m pip install --quiet -e '.[dev,calibrate]'
	$(BIN)/python bench/calibrate.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
