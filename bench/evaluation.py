"""Scoring labelled queries against the service's answers, shared by the bench scripts.

A query is ``{"query", "expected" (entity id or None), "category", "sub", "type"}``; an answer
is one result of ``POST /v1/resolve`` (``match`` and ``candidates``, best first). ``Scores``
turns both into Markdown tables: top-1 accuracy and confident wrong answers per category, the
false-positive rate per kind of negative, the share of top candidates right per score band,
the precision of confident matches, and the best recall a threshold reaches at a given
false-positive rate.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Query = dict[str, Any]
Result = dict[str, Any]
Post = Callable[[list[str]], list[Result]]

DEV = Path(__file__).resolve().parent / "data" / "dev"
BATCH = 500
# Lower bounds of the score bands, from the top.
BANDS = (0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.0)
# The service's own rule (settings margin): a match must lead the next entity by this.
MARGIN = 0.05
# Scores come rounded to 4 decimals: a margin of exactly 0.05 must not fail on the rounding.
EPSILON = 1e-9
HALVES = ("A", "B", "all")


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def half(query: Query) -> str:
    """The half ("A" or "B") of a query, fixed: positives by their expected entity, so that
    every query of an entity falls in one half (a parameter chosen on A has seen none of B's
    entities), negatives by their text. The hash is stable across runs, unlike hash()."""
    key = query["expected"] if query["expected"] is not None else "\0" + query["query"]
    return "AB"[hashlib.blake2b(key.encode(), digest_size=8).digest()[0] & 1]


def select_half(queries: Sequence[Query], which: str) -> list[Query]:
    return list(queries) if which == "all" else [q for q in queries if half(q) == which]


def in_process(gallery: Path, config: dict[str, Any] | None = None) -> Post:
    """POST /v1/resolve of the app built on ``gallery`` with the embedded store (compiled
    here), through Flask's test client: the code path of the server, without a socket."""
    from normalizer.web.app import create_app

    client = create_app({"ALIASES": str(gallery), "REDIS_URL": "", **(config or {})}).test_client()

    def post(names: list[str]) -> list[Result]:
        response = client.post("/v1/resolve", json={"names": names})
        assert response.status_code == 200, response.get_data(as_text=True)
        results: list[Result] = response.get_json()["results"]
        return results

    return post


def over_http(url: str) -> Post:
    def post(names: list[str]) -> list[Result]:
        request = urllib.request.Request(
            url.rstrip("/") + "/v1/resolve",
            data=json.dumps({"names": names}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            results: list[Result] = json.load(response)["results"]
        return results

    return post


def run(queries: Sequence[Query], post: Post, batch: int = BATCH) -> tuple[list[Result], float]:
    """The answers to ``queries``, sent ``batch`` at a time, and the seconds they took."""
    started = time.perf_counter()
    results: list[Result] = []
    for start in range(0, len(queries), batch):
        results += post([q["query"] for q in queries[start : start + batch]])
    return results, time.perf_counter() - started


def band_label(band: float) -> str:
    if band == BANDS[-1]:
        return f"below {BANDS[-2]:.2f}"
    upper = "1.0" if band == BANDS[0] else f"{BANDS[BANDS.index(band) - 1]:.2f}"
    return f"{band:.2f}–{upper}"


@dataclass(frozen=True, slots=True)
class Sweep:
    """The lowest threshold whose false-positive rate is within the target, and its rates."""

    threshold: float
    recall: float
    false_positive_rate: float
    wrong_entity: float


@dataclass(frozen=True, slots=True)
class _Outcome:
    query: Query
    got: str | None  # the confident match, if any
    top: str | None  # the top candidate
    score: float  # its score (0 without candidates)
    clear: bool  # it leads the next entity by the margin


def _outcome(query: Query, result: Result) -> _Outcome:
    candidates = result["candidates"]
    top = candidates[0] if candidates else None
    score = top["score"] if top else 0.0
    runner_up = candidates[1]["score"] if len(candidates) > 1 else 0.0
    return _Outcome(
        query,
        result["match"]["id"] if result["match"] else None,
        top["id"] if top else None,
        score,
        top is not None and score - runner_up >= MARGIN - EPSILON,
    )


class Scores:
    """The answers to labelled queries, tallied."""

    def __init__(self, queries: Sequence[Query], results: Sequence[Result]) -> None:
        self.outcomes = [_outcome(q, r) for q, r in zip(queries, results, strict=True)]
        self.positives = [o for o in self.outcomes if o.query["expected"] is not None]
        self.negatives = [o for o in self.outcomes if o.query["expected"] is None]

    def categories(self, keep: Callable[[str, str], bool] | None = None) -> str:
        """Accuracy and confident wrong answers per category and "all positives"; with
        ``keep``, per "category / sub" for the (category, sub) pairs it keeps instead."""
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # n, right, wrong
        for o in self.positives:
            category, sub = o.query["category"], o.query["sub"]
            if keep is None:
                keys = [category, "all positives"]
            else:
                keys = [f"{category} / {sub}"] if keep(category, sub) else []
            for key in keys:
                tally[key][0] += 1
                tally[key][1] += o.got == o.query["expected"]
                tally[key][2] += o.got is not None and o.got != o.query["expected"]
        head = "category" if keep is None else "sub-category"
        rows = [f"| {head} | n | accuracy | wrong entity |", "|---|---:|---:|---:|"]
        for key, (n, right, wrong) in sorted(tally.items()):
            rows.append(f"| {key} | {n} | {right / n:.1%} | {wrong / n:.1%} |")
        return "\n".join(rows)

    def negative_kinds(self) -> str:
        """The false-positive rate of all negatives and per kind (``sub``)."""
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # n, false positives
        for o in self.negatives:
            for key in ("all", o.query["sub"]):
                tally[key][0] += 1
                tally[key][1] += o.got is not None
        rows = ["| negatives | n | false-positive rate |", "|---|---:|---:|"]
        for key, (n, false_positives) in sorted(tally.items()):
            rows.append(f"| {key} | {n} | {false_positives / n:.1%} |")
        return "\n".join(rows)

    def bands(self) -> str:
        """Per band of the top candidate's score, how often that candidate is the expected
        entity (negatives included: there it never is)."""
        tally: dict[float, list[int]] = defaultdict(lambda: [0, 0])  # n, top right
        for o in self.outcomes:
            if o.top is not None:
                band = next(b for b in BANDS if o.score >= b)
                tally[band][0] += 1
                tally[band][1] += o.top == o.query["expected"]
        rows = ["| top score | n | top candidate right |", "|---|---:|---:|"]
        for band in BANDS:
            n, right = tally[band]
            if n:
                rows.append(f"| {band_label(band)} | {n} | {right / n:.1%} |")
        return "\n".join(rows)

    def confident(self) -> tuple[int, int]:
        """Confident matches over all queries, and how many name the expected entity."""
        made = [o for o in self.outcomes if o.got is not None]
        return len(made), sum(o.got == o.query["expected"] for o in made)

    def false_positives(self, of: Callable[[str], bool] = lambda _: True) -> int:
        """Negatives answered confidently with an entity ``of`` selects."""
        return sum(o.got is not None and of(o.got) for o in self.negatives)

    def wrong_entities(self, of: Callable[[str], bool] = lambda _: True) -> int:
        """Positives answered confidently with another entity that ``of`` selects."""
        return sum(
            o.got is not None and o.got != o.query["expected"] and of(o.got) for o in self.positives
        )

    def sweep(self, max_fpr: float = 0.01) -> Sweep:
        """The best recall of the rule "top score >= t and a lead of MARGIN over the next
        entity" with at most ``max_fpr`` of the negatives answered: the lowest such t."""
        allowed = int(max_fpr * len(self.negatives) + EPSILON)
        answered = sorted((o.score for o in self.negatives if o.clear), reverse=True)
        # Above the (allowed + 1)-th highest negative score (scores are 4-decimal).
        threshold = answered[allowed] + 1e-4 if len(answered) > allowed else 0.0

        def share(outcomes: Sequence[_Outcome], right: bool | None) -> float:
            chosen = [o for o in outcomes if o.clear and o.score >= threshold]
            if right is not None:
                chosen = [o for o in chosen if (o.top == o.query["expected"]) == right]
            return len(chosen) / max(len(outcomes), 1)

        return Sweep(
            threshold,
            share(self.positives, True),
            share(self.negatives, None),
            share(self.positives, False),
        )

    def summary(self) -> str:
        """Precision of the confident matches and the recall at a false-positive rate of 1%."""
        made, right = self.confident()
        sweep = self.sweep()
        return (
            f"Confident matches: {made}, {right / max(made, 1):.1%} of them right (precision).\n"
            f"Recall at FPR 1% (top score >= {sweep.threshold:.4f}, lead >= {MARGIN}): "
            f"{sweep.recall:.1%} (FPR {sweep.false_positive_rate:.1%}, "
            f"wrong entity {sweep.wrong_entity:.1%})."
        )
