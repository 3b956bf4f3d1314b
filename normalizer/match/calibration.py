"""The calibrated score: how likely a candidate is the entity the query names.

A small model of boosted decision trees over a candidate's evidence (``evidence``), fitted
by ``bench/calibrate.py`` on labelled candidates: half of the development queries, run
against the development gallery padded with synthetic distractors to 1, 5 and 50 times its
size, so that a score means the same whatever the table's size. The trees ship as
``data/calibration.json`` (no machine-learning library is needed to read them); the file
also says how it was fitted and what it scored on the other half of the queries.

Without the file (while fitting it), the score is the alignment's similarity.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from normalizer.match.evidence import FEATURES

MODEL_FILE = "calibration.json"
# The meaning of scores: 1, similarities; 2, calibrated probabilities (this module); 3, the
# same refitted on the matcher of 2026-12-05, whose scores differ (the default threshold
# went 0.92 -> 0.90).
SCORE_VERSION = 3

# A tree as flat arrays, node by node: the feature tested (-1 at a leaf), the threshold
# (x <= threshold goes left), the children, and the leaf's value.
Tree = tuple[
    tuple[int, ...], tuple[float, ...], tuple[int, ...], tuple[int, ...], tuple[float, ...]
]


@dataclass(frozen=True)
class Model:
    baseline: float
    trees: tuple[Tree, ...]
    about: dict[str, Any]

    def probability(self, x: tuple[float, ...]) -> float:
        raw = self.baseline
        for feature, threshold, left, right, value in self.trees:
            node = 0
            while feature[node] >= 0:
                node = left[node] if x[feature[node]] <= threshold[node] else right[node]
            raw += value[node]
        return 1.0 / (1.0 + math.exp(-raw))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("the calibration was fitted on other features: fit it again")
        trees = tuple(
            (
                tuple(tree["feature"]),
                tuple(tree["threshold"]),
                tuple(tree["left"]),
                tuple(tree["right"]),
                tuple(tree["value"]),
            )
            for tree in data["trees"]
        )
        return cls(float(data["baseline"]), trees, data.get("about", {}))


@cache
def model() -> Model | None:
    """The shipped model, or None if there is none."""
    path = resources.files("normalizer.match") / "data" / MODEL_FILE
    if not path.is_file():
        return None
    return Model.from_json(json.loads(path.read_text(encoding="utf-8")))
