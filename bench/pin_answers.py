"""Record the answers the matcher gives a fixed sample of the dev queries, for the test that
every optimisation leaves them unchanged (tests/test_pinned_answers.py).

    python bench/pin_answers.py            # rewrites tests/data/pinned_answers.jsonl

Run it only when a change of answers is intended, and say why in the commit: the file
pins, for one dev query in every SAMPLE_EVERY, the match and each candidate's id, score and
method, as ``POST /v1/resolve`` on the vendored dev gallery answers them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evaluation import DEV, in_process, load_jsonl

SAMPLE_EVERY = 5
PINNED = Path(__file__).resolve().parent.parent / "tests" / "data" / "pinned_answers.jsonl"


def sample(queries: list[dict[str, Any]]) -> list[str]:
    """Every SAMPLE_EVERY-th query, in the file's order."""
    return [q["query"] for q in queries[::SAMPLE_EVERY]]


def answer(result: dict[str, Any]) -> dict[str, Any]:
    """What is pinned of one result."""
    match = result["match"]
    return {
        "query": result["query"],
        "match": match and match["id"],
        "candidates": [[c["id"], c["score"], c["method"]] for c in result["candidates"]],
    }


def main() -> None:
    names = sample(load_jsonl(DEV / "queries.jsonl"))
    post = in_process(DEV / "gallery.jsonl", {"REQUEST_BUDGET": 3600})
    with PINNED.open("w", encoding="utf-8") as out:
        for result in post(names):
            out.write(json.dumps(answer(result), ensure_ascii=False) + "\n")
    print(f"{len(names)} answers pinned in {PINNED}")


if __name__ == "__main__":
    main()
