"""Fit the calibrated score (normalizer/match/data/calibration.json) and report it.

    python bench/calibrate.py            # fit on half A, report half B; write the model
    python bench/calibrate.py --check    # report the shipped model on both halves only
    python bench/calibrate.py --cross    # half A: a refit cross-fitted beside the shipped

Each candidate the matcher scores comes with its evidence (normalizer/match/evidence.py)
and a label: is it the query's entity? Candidates are gathered from half A of the
development queries (bench/evaluation.py's split: all of an entity's queries in one half)
run against the dev gallery padded with synthetic distractors (bench/distractors.py) to 1,
5 and 50 times its size, with two seeds of distractors. A small model of boosted trees
(scikit-learn's HistGradientBoostingClassifier; monotone in what should only raise or
lower the odds) learns the probability that a candidate is right. Its threshold is chosen
on half A by cross-fitting (two folds of A's entities, each scored by a model fitted on the
other), as the least score whose false-positive rate is at most TARGET_FPR at every size.
The model, then fitted on all of half A, ships as plain JSON trees with what it scored on
half B, against distractors of a seed it never saw.

Needs the calibrate extra: pip install -e '.[calibrate]'.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from evaluation import DEV, Query, load_jsonl, select_half
from scale_eval import pad, taken_names
from sklearn.ensemble import HistGradientBoostingClassifier

from normalizer.match import calibration
from normalizer.match.candidates import CALIBRATED
from normalizer.match.evidence import FEATURES
from normalizer.match.matcher import Matcher
from normalizer.match.results import Resolution
from normalizer.web import create_app

MODEL = Path(calibration.__file__).parent / "data" / calibration.MODEL_FILE
# (size, seed): a size below 1 keeps that share of the gallery's entities (chosen by the
# seed), and a query whose entity is left out must then find none: small tables, such as a
# newsroom's few hundred names, are calibrated too. Above 1, distractors of that seed pad it.
TRAIN_RUNS: tuple[Run, ...] = (
    (0.02, 7),
    (0.1, 7),
    (0.3, 7),
    (1, 7),
    (5, 7),
    (5, 11),
    (50, 7),
    (50, 11),
)
TEST_RUNS: tuple[Run, ...] = ((0.02, 13), (0.1, 13), (1, 7), (5, 13), (50, 13))
TARGET_FPR = 0.01
MARGIN = 0.05  # the service's default: a match leads the next entity by this
BATCH = 250
# Few, shallow trees: the features are few, and a small model generalizes.
PARAMETERS: dict[str, Any] = {
    "max_iter": 60,
    "max_depth": 3,
    "learning_rate": 0.1,
    "l2_regularization": 1.0,
    "random_state": 0,
}
# +1: the odds may only rise with the feature; -1: only fall; 0: free.
MONOTONE = {
    "similarity": 1,
    "lead": 1,
    "exact": 1,
    "sound": 1,
    "query_unmatched": -1,
    "alias_unmatched": -1,
    "conflict": -1,
    "weak_share": -1,
    "worst": 1,
    "literal": 1,
}


Run = tuple[float, int]  # size, seed


@dataclass
class Sample:
    """The candidates of one query on one table: features, labels, and what to score."""

    query: Query
    size: float
    features: list[tuple[float, ...]]
    ids: list[str]

    @property
    def labels(self) -> list[int]:
        return [int(entity == self.query["expected"]) for entity in self.ids]


def collect(runs: Sequence[Run], half: str) -> list[Sample]:
    """The candidates of ``half``'s queries on each padded gallery of ``runs``."""
    gallery = load_jsonl(DEV / "gallery.jsonl")
    queries = load_jsonl(DEV / "queries.jsonl")
    chosen = select_half(queries, half)
    taken = taken_names(gallery, queries)
    samples: list[Sample] = []
    with tempfile.TemporaryDirectory(prefix="calibrate-") as folder:
        for size, seed in runs:
            path = Path(folder) / f"gallery-{size}x-{seed}.jsonl"
            if size >= 1:
                pad(gallery, int(size), seed, taken, path)
                asked = chosen
            else:
                kept = shrink(gallery, size, seed, path)
                asked = [q if q["expected"] in kept else {**q, "expected": None} for q in chosen]
            matcher: Matcher = (
                create_app({"ALIASES": str(path), "REDIS_URL": ""}).extensions["normalizer"].matcher
            )
            for query, resolution in zip(asked, _resolve(matcher, asked), strict=True):
                features = [c.features for c in resolution.candidates]
                ids = [c.id for c in resolution.candidates]
                samples.append(Sample(query, size, features, ids))
            print(f"  collected {half} on {size}x (seed {seed})", flush=True)
    return samples


def shrink(gallery: Sequence[dict[str, Any]], share: float, seed: int, out: Path) -> set[str]:
    """Write a ``share`` of the gallery's entities, chosen by ``seed``; their ids."""
    rng = random.Random(seed)
    kept = [entity for entity in gallery if rng.random() < share]
    out.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept), "utf-8")
    return {entity["id"] for entity in kept}


def _resolve(matcher: Matcher, queries: Sequence[Query]) -> Iterator[Resolution]:
    for start in range(0, len(queries), BATCH):
        names = [q["query"] for q in queries[start : start + BATCH]]
        # explain: the full path, which aligns every candidate (the fast path for a name one
        # entity owns answers without evidence).
        yield from matcher.resolve_many(names, None, CALIBRATED, explain=True)


def fit(samples: Sequence[Sample]) -> HistGradientBoostingClassifier:
    x = np.array([f for s in samples for f in s.features])
    y = np.array([label for s in samples for label in s.labels])
    monotone = [MONOTONE.get(name, 0) for name in FEATURES]
    model = HistGradientBoostingClassifier(monotonic_cst=monotone, **PARAMETERS)
    return model.fit(x, y)


def export(model: HistGradientBoostingClassifier, about: dict[str, Any]) -> dict[str, Any]:
    """The model as plain JSON trees (x <= threshold goes left), for calibration.Model."""
    trees = []
    for (predictor,) in model._predictors:  # one tree per iteration, binary: one class
        nodes = predictor.nodes
        trees.append(
            {
                "feature": [-1 if n["is_leaf"] else int(n["feature_idx"]) for n in nodes],
                "threshold": [float(n["num_threshold"]) for n in nodes],
                "left": [int(n["left"]) for n in nodes],
                "right": [int(n["right"]) for n in nodes],
                "value": [float(n["value"]) for n in nodes],
            }
        )
    baseline = float(np.ravel(model._baseline_prediction)[0])
    return {"features": list(FEATURES), "baseline": baseline, "trees": trees, "about": about}


def fold(query: Query) -> int:
    """Two folds of half A, by entity (negatives by text), for cross-fitting."""
    key = query["expected"] or "\0" + query["query"]
    return hashlib.blake2b(key.encode(), digest_size=8, person=b"fold").digest()[0] & 1


Outcome = tuple[Sample, str | None, float, float]  # best candidate, its score, the next's


def scored(samples: Sequence[Sample], probability: Any) -> list[Outcome]:
    """Each sample's best candidate by calibrated score, its score and the next one's."""
    out: list[Outcome] = []
    for sample in samples:
        if not sample.features:
            out.append((sample, None, 0.0, 0.0))
            continue
        scores = probability(sample.features)
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        second = scores[order[1]] if len(order) > 1 else 0.0
        out.append((sample, sample.ids[order[0]], scores[order[0]], second))
    return out


def rates(outcomes: Sequence[Outcome], threshold: float) -> dict[str, float]:
    """Accuracy, wrong entity and false-positive rate at ``threshold``, and the precision
    of confident matches."""
    confident = [o for o in outcomes if o[2] >= threshold and o[2] - o[3] >= MARGIN - 1e-9]
    positives = [o for o in outcomes if o[0].query["expected"]]
    negatives = [o for o in outcomes if not o[0].query["expected"]]
    right = [o for o in confident if o[1] == o[0].query["expected"]]
    return {
        "accuracy": sum(1 for o in right if o[0].query["expected"]) / max(1, len(positives)),
        "wrong_entity": sum(1 for o in confident if o[0].query["expected"] and o not in right)
        / max(1, len(positives)),
        "fpr": sum(1 for o in confident if not o[0].query["expected"]) / max(1, len(negatives)),
        "precision": len(right) / max(1, len(confident)),
    }


def cross_fitted(samples: Sequence[Sample]) -> list[Outcome]:
    """Each sample scored by a model fitted on the other fold of half A."""
    folds: list[list[Sample]] = [[], []]
    for sample in samples:
        folds[fold(sample.query)].append(sample)
    outcomes = []
    for held in (0, 1):
        model = fit(folds[1 - held])
        outcomes += scored(folds[held], lambda f, m=model: list(m.predict_proba(np.array(f))[:, 1]))
    return outcomes


def choose_threshold(outcomes: Sequence[Outcome]) -> float:
    """The least threshold whose cross-fitted false-positive rate (``outcomes``:
    cross_fitted's) is at most TARGET_FPR at every size."""
    sizes = sorted({o[0].size for o in outcomes})
    for threshold in np.arange(0.5, 0.995, 0.01):
        if all(
            rates([o for o in outcomes if o[0].size == size], threshold)["fpr"] <= TARGET_FPR
            for size in sizes
        ):
            return round(float(threshold), 3)
    return 0.99


def report(
    title: str, samples: Sequence[Sample], model: calibration.Model, threshold: float
) -> dict[str, Any]:
    return report_outcomes(
        title, scored(samples, lambda f: [model.probability(x) for x in f]), threshold
    )


def report_outcomes(title: str, outcomes: Sequence[Outcome], threshold: float) -> dict[str, Any]:
    print(
        f"\n{title}\n\n| size | accuracy | wrong entity | FPR | precision |\n|--:|--:|--:|--:|--:|"
    )
    found = {}
    for size in sorted({o[0].size for o in outcomes}):
        r = rates([o for o in outcomes if o[0].size == size], threshold)
        found[f"{size}x"] = {k: round(v, 4) for k, v in r.items()}
        print(
            f"| {size}x | {r['accuracy']:.1%} | {r['wrong_entity']:.2%} | {r['fpr']:.1%} "
            f"| {r['precision']:.1%} |"
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--check", action="store_true", help="report the shipped model only")
    parser.add_argument(
        "--cross",
        action="store_true",
        help="half A only: a refit, cross-fitted, beside the shipped model (in-sample)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    if args.cross:
        # To choose on half A alone whether a refit is worth shipping: the shipped model
        # saw all of half A, so its figures flatter it; the refit's are out of fold.
        shipped = calibration.model()
        assert shipped is not None, f"no model at {MODEL}"
        train = collect(TRAIN_RUNS, "A")
        threshold = float(shipped.about["threshold"])
        report(
            f"Half A, the shipped model (in-sample), threshold {threshold}",
            train,
            shipped,
            threshold,
        )
        outcomes = cross_fitted(train)
        refit = choose_threshold(outcomes)
        report_outcomes(
            f"Half A, a refit cross-fitted (two folds), threshold {refit}", outcomes, refit
        )
        return
    if args.check:
        shipped = calibration.model()
        assert shipped is not None, f"no model at {MODEL}"
        threshold = float(shipped.about["threshold"])
        report("Half A (fitted on)", collect(TRAIN_RUNS, "A"), shipped, threshold)
        report("Half B (held out)", collect(TEST_RUNS, "B"), shipped, threshold)
        return
    train = collect(TRAIN_RUNS, "A")
    threshold = choose_threshold(cross_fitted(train))
    model = fit(train)
    about: dict[str, Any] = {
        "fitted": date.today().isoformat(),
        "threshold": threshold,
        "data": "dev queries, half A, on the dev gallery padded with synthetic distractors",
        "runs": [f"{size}x seed {seed}" for size, seed in TRAIN_RUNS],
        "candidates": sum(len(s.features) for s in train),
        "model": f"scikit-learn {sklearn.__version__} HistGradientBoostingClassifier",
        "parameters": PARAMETERS,
        "monotone": MONOTONE,
    }
    exported = export(model, about)
    shipped = calibration.Model.from_json(exported)
    check = [f for s in train[:200] for f in s.features]
    ours = [shipped.probability(x) for x in check]
    theirs = model.predict_proba(np.array(check))[:, 1]
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-9, "export differs"
    about["half_a"] = report(
        f"Half A (fitted on), threshold {threshold}", train, shipped, threshold
    )
    test = collect(TEST_RUNS, "B")
    about["half_b"] = report(
        "Half B (held out, distractors of an unseen seed)", test, shipped, threshold
    )
    MODEL.write_text(
        json.dumps(exported, indent=None, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(
        f"\nwrote {MODEL} ({len(exported['trees'])} trees) in {time.perf_counter() - started:.0f} s"
    )
    print(f"log-odds at the threshold: {math.log(threshold / (1 - threshold)):.2f}")


if __name__ == "__main__":
    main()
