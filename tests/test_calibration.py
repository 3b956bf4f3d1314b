"""match/calibration.py: the calibrated score's model, as shipped and as a format."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from normalizer.match import calibration
from normalizer.match.evidence import FEATURES
from normalizer.settings import Settings


def one_split(feature: str, threshold: float, below: float, above: float) -> dict[str, Any]:
    """A model of one tree that splits on ``feature``."""
    index = FEATURES.index(feature)
    tree = {
        "feature": [index, -1, -1],
        "threshold": [threshold, 0.0, 0.0],
        "left": [1, 0, 0],
        "right": [2, 0, 0],
        "value": [0.0, below, above],
    }
    return {"features": list(FEATURES), "baseline": 0.5, "trees": [tree, tree]}


def vector(**values: float) -> tuple[float, ...]:
    return tuple(values.get(name, 0.0) for name in FEATURES)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def test_trees_add_up_to_log_odds() -> None:
    model = calibration.Model.from_json(one_split("similarity", 0.9, -1.0, 2.0))
    # Equal to the threshold goes left, as in the library that fits the trees.
    assert model.probability(vector(similarity=0.9)) == pytest.approx(sigmoid(0.5 - 2.0))
    assert model.probability(vector(similarity=0.95)) == pytest.approx(sigmoid(0.5 + 4.0))


def test_a_model_of_other_features_is_refused() -> None:
    data = one_split("similarity", 0.9, -1.0, 2.0)
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="fit it again"):
        calibration.Model.from_json(data)


@pytest.fixture(scope="module")
def shipped() -> calibration.Model:
    model = calibration.model()
    assert model is not None, "normalizer/match/data/calibration.json is missing"
    return model


def test_the_default_threshold_is_the_one_fitted(shipped: calibration.Model) -> None:
    assert shipped.about["threshold"] == Settings.threshold
    # It was fitted on half A and says what it scored on half B, at every size.
    assert {"0.02x", "1x", "5x", "50x"} <= set(shipped.about["half_b"])


def random_vectors(count: int) -> list[dict[str, float]]:
    rng = random.Random(5)
    return [
        {name: rng.uniform(0.0, 1.0 if name != "lead" else 0.5) for name in FEATURES}
        for _ in range(count)
    ]


def test_scores_are_probabilities(shipped: calibration.Model) -> None:
    scores = [shipped.probability(vector(**v)) for v in random_vectors(200)]
    assert all(0.0 < s < 1.0 for s in scores)
    assert max(scores) - min(scores) > 0.5  # the features move it


@pytest.mark.parametrize(
    ("feature", "direction"),
    [("similarity", 1), ("lead", 1), ("exact", 1), ("query_unmatched", -1), ("conflict", -1)],
)
def test_the_odds_move_only_one_way_with_some_evidence(
    shipped: calibration.Model, feature: str, direction: int
) -> None:
    """More similarity or a longer lead never lowers the score; more words left over never
    raises it (the fit is constrained so)."""
    for values in random_vectors(100):
        low = shipped.probability(vector(**values))
        values[feature] += 0.3
        high = shipped.probability(vector(**values))
        assert (high - low) * direction >= -1e-12
