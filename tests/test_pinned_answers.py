"""Every optimisation of the matcher leaves its answers as they were: a fixed sample of the
dev queries against the vendored dev gallery, through the app, compared with the answers
recorded before (bench/pin_answers.py), match, candidates, scores and methods alike."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

pin_answers = pytest.importorskip("pin_answers")
evaluation = pytest.importorskip("evaluation")


def test_a_sample_of_dev_queries_gets_the_pinned_answers() -> None:
    pinned = evaluation.load_jsonl(pin_answers.PINNED)
    names = pin_answers.sample(evaluation.load_jsonl(evaluation.DEV / "queries.jsonl"))
    assert [p["query"] for p in pinned] == names
    post = evaluation.in_process(evaluation.DEV / "gallery.jsonl")
    got = [pin_answers.answer(result) for result in post(names)]
    changed = [(want, have) for want, have in zip(pinned, got, strict=True) if want != have]
    assert not changed, f"{len(changed)} of {len(names)} answers changed; first: {changed[:3]}"
