"""The benchmark's synthetic distractors and query halves (bench/): deterministic, valid
alias tables whose ids cannot collide with a real table's, and a split that keeps every
query of an entity in one half."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

distractors = pytest.importorskip("distractors", reason="bench dependencies (.[dev]) missing")
evaluation = pytest.importorskip("evaluation")


def test_same_seed_same_table_and_a_longer_run_extends_a_shorter_one() -> None:
    longer = list(distractors.generate(400, seed=3))
    assert list(distractors.generate(400, seed=3)) == longer
    assert list(distractors.generate(150, seed=3)) == longer[:150]
    assert list(distractors.generate(150, seed=4)) != longer[:150]


def test_ids_are_prefixed_and_unique_and_the_table_loads(tmp_path: Path) -> None:
    from normalizer.aliases import load_path

    table = list(distractors.generate(2000, seed=1))
    ids = [e["id"] for e in table]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith(distractors.PREFIX) for i in ids)
    path = tmp_path / "distractors.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in table), encoding="utf-8")
    assert len(load_path(path)) == 2000


def test_shape_follows_a_curated_table() -> None:
    shape = distractors.stats(distractors.generate(3000, seed=2))
    assert 0.62 < shape["person"]["share"] < 0.75
    assert 0.2 < shape["person"]["with aliases"] < 0.35
    assert 0.3 < shape["organization"]["with aliases"] < 0.5
    # Common names repeat: the most common person token is in a few percent of the names.
    assert shape["person"]["top token shares"][0][1] > 0.02


def test_halves_keep_an_entity_whole_and_split_negatives_by_text() -> None:
    queries = [
        {"query": f"name {i}", "expected": f"e{i % 40}", "category": "x", "sub": "y"}
        for i in range(400)
    ] + [{"query": f"other {i}", "expected": None, "category": "negative"} for i in range(200)]
    by_entity: dict[str, set[str]] = {}
    for q in queries[:400]:
        by_entity.setdefault(str(q["expected"]), set()).add(evaluation.half(q))
    assert all(len(halves) == 1 for halves in by_entity.values())
    a = evaluation.select_half(queries, "A")
    b = evaluation.select_half(queries, "B")
    assert len(a) + len(b) == len(queries) and a and b
    negatives_a = sum(q["expected"] is None for q in a)
    assert 60 < negatives_a < 140


def _result(*candidates: tuple[str, float], match: str | None = None) -> dict[str, object]:
    return {
        "match": {"id": match} if match else None,
        "candidates": [{"id": i, "score": s} for i, s in candidates],
    }


def test_sweep_takes_the_lowest_threshold_within_the_false_positive_rate() -> None:
    positive = {"query": "p", "category": "exact", "sub": "s"}
    negative = {"query": "n", "expected": None, "category": "negative", "sub": "easy"}
    queries = [dict(positive, expected="a")] * 3 + [negative] * 100
    results = (
        [
            _result(("a", 0.95), ("b", 0.5), match="a"),
            _result(("a", 0.8), ("b", 0.5)),
            _result(("a", 0.9), ("b", 0.88)),  # no lead over the runner-up: never answered
        ]
        + [_result(("x", 0.85), match="x")] * 2
        + [_result(("x", 0.7))] * 98
    )
    sweep = evaluation.Scores(queries, results).sweep(max_fpr=0.01)
    # One negative may be answered; two score 0.85, so the threshold must pass them.
    assert sweep.threshold == pytest.approx(0.8501)
    assert sweep.recall == pytest.approx(1 / 3)
    assert sweep.false_positive_rate == 0.0
    assert evaluation.Scores(queries, results).sweep(max_fpr=0.02).recall == pytest.approx(2 / 3)


def test_padding_drops_a_distractor_that_is_a_query_without_its_optional_words(
    tmp_path: Path,
) -> None:
    """A distractor that the matcher reads as a query's own name (an article dropped, the
    words in another order) would make the query's label wrong."""
    scale_eval = pytest.importorskip("scale_eval")
    gallery = [{"id": "g", "name": "Teodor Velmora Ilic", "type": "person", "aliases": []}]
    query = {"query": "Ranim Qadour", "expected": None, "category": "negative"}
    taken = scale_eval.taken_names(gallery, [query])
    assert scale_eval.homonym("Qadour, Ranim") in taken
    assert scale_eval.homonym("Ranim Al-Qadour") in taken
    assert scale_eval.homonym("Ranim Qadouri") not in taken
    written, dropped = scale_eval.pad(gallery, 40, 5, taken, tmp_path / "padded.jsonl")
    lines = (tmp_path / "padded.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == written and written + dropped == 40


def test_a_match_of_an_unknown_name_is_counted_by_its_shape(tmp_path: Path) -> None:
    """bench/fresh_names.py's shapes, read from the app's own explain on an invented
    table: a partial name, a longer name, the name respelled, one word only alike."""
    fresh_names = pytest.importorskip("fresh_names")
    from normalizer.web.app import create_app

    table = tmp_path / "people.jsonl"
    entity = {"id": "tk", "name": "Tomasz Kreller Ivanek", "type": "person", "aliases": []}
    table.write_text(json.dumps(entity) + "\n", encoding="utf-8")
    client = create_app({"ALIASES": str(table), "REDIS_URL": ""}).test_client()
    shapes = {
        "Kreller Ivanek": "part of a name",
        "Tomasz Bogdan Kreller Ivanek": "more than a name",
        "Ivanek, Tomas Kreller": "respelled",
        "Tomasz Krellor Ivanek": "a word only alike",
    }
    for name, expected in shapes.items():
        results = list(fresh_names.resolved(client, [name]))
        assert results[0]["match"] is not None, name
        assert fresh_names.shape(results[0]["match"]["explain"]) == expected, name
