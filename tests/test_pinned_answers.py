"""Every optimisation of the matcher leaves its answers as they were: a fixed sample of the
dev queries against the vendored dev gallery, through the app, compared with the answers
recorded before (bench/pin_answers.py), match, candidates, scores and methods alike.

A name one entity owns takes the fast path (match.owned): its answer holds that entity
alone, with score 1; it must be the match pinned, by the method pinned."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

pin_answers = pytest.importorskip("pin_answers")
evaluation = pytest.importorskip("evaluation")


def _owned(answer: dict[str, Any]) -> bool:
    return len(answer["candidates"]) == 1 and answer["candidates"][0][1] == 1.0


def _unchanged(pinned: dict[str, Any], got: dict[str, Any]) -> bool:
    if not _owned(got):
        return pinned == got
    (entity, _, method) = got["candidates"][0]
    return bool(got["match"] == pinned["match"] == entity and pinned["candidates"][0][2] == method)


def test_a_sample_of_dev_queries_gets_the_pinned_answers() -> None:
    pinned = evaluation.load_jsonl(pin_answers.PINNED)
    names = pin_answers.sample(evaluation.load_jsonl(evaluation.DEV / "queries.jsonl"))
    assert [p["query"] for p in pinned] == names
    # One request of all the names: the request budget is for serving, not for a loaded CI.
    post = evaluation.in_process(evaluation.DEV / "gallery.jsonl", {"REQUEST_BUDGET": 3600})
    got = [pin_answers.answer(result) for result in post(names)]
    changed = [(p, g) for p, g in zip(pinned, got, strict=True) if not _unchanged(p, g)]
    assert not changed, f"{len(changed)} of {len(names)} answers changed; first: {changed[:3]}"
    # The fast path is taken, and not by every name.
    assert 0 < sum(map(_owned, got)) < len(got) / 2
