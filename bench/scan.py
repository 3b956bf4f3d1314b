"""The matcher against rapidfuzz's scan of every name, per name, at 100k entities.

    python bench/scan.py [--entities 100000] [--queries 300] [--scan-queries 100] [--gallery FILE]

Pads the gallery (the vendored dev gallery by default) with distractors
(bench/distractors.py, as bench/scale_eval.py does; none written like a gallery name or a
query) to the first multiple of its size that reaches ``--entities``. Queries are names one
edit from a name or alias of the gallery itself (bench/unseen.py), each labelled with the
entity it came from. The matcher (embedded store, in this process) resolves each query
alone; rapidfuzz's ``process.extractOne`` (WRatio, default_process, score_cutoff 88) scans
every name and alias of the padded table for the first ``--scan-queries`` of them (a scan
takes tens of milliseconds a name).

Prints a Markdown table: per-name median, mean and p99 milliseconds, names/s, top-1
accuracy (an abstention counts as a miss) and abstentions, of the matcher on all queries and
on the scanned ones, and of the scan; then the speed ratio (scan mean / matcher mean; the
issue's target >= 100x) and the accuracy difference on the same queries (target: within 2
points).
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation import load_jsonl
from http_unseen import DEV_GALLERY
from rapidfuzz import fuzz, process, utils
from scale_eval import pad, taken_names
from unseen import gallery_names, unseen

from normalizer.match.matcher import Matcher
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore
from normalizer.text.normalize import fold

SCAN_CUTOFF = 88
WARM_UP = 20  # names resolved before timing: first calls fill caches and import lazily
SPEED_TARGET = 100
POINTS_TARGET = 2.0


@dataclass(frozen=True, slots=True)
class Timed:
    """Seconds per name, whether each answer was the expected entity, and abstentions."""

    seconds: list[float]
    right: list[bool]
    abstained: list[bool]

    def head(self, count: int) -> Timed:
        return Timed(self.seconds[:count], self.right[:count], self.abstained[:count])

    @property
    def mean(self) -> float:
        return statistics.fmean(self.seconds)

    @property
    def accuracy(self) -> float:
        return 100 * sum(self.right) / len(self.right)

    def row(self, label: str) -> str:
        ms = [1000 * s for s in self.seconds]
        p99 = statistics.quantiles(ms, n=100, method="inclusive")[98] if len(ms) > 1 else ms[0]
        return (
            f"| {label} | {len(ms)} | {statistics.median(ms):.3f} | {statistics.fmean(ms):.3f} "
            f"| {p99:.3f} | {1 / self.mean:,.0f} | {self.accuracy:.1f}% | {sum(self.abstained)} |"
        )


def timed(answer: Callable[[str], str | None], queries: Sequence[tuple[str, set[str]]]) -> Timed:
    """Each query answered alone (the entity id, or None), timed."""
    seconds, right, abstained = [], [], []
    for name, expected in queries:
        started = time.perf_counter()
        got = answer(name)
        seconds.append(time.perf_counter() - started)
        right.append(got in expected)
        abstained.append(got is None)
    return Timed(seconds, right, abstained)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--gallery", type=Path, default=DEV_GALLERY)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--scan-queries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7, help="of the distractors")
    args = parser.parse_args()
    gallery = load_jsonl(args.gallery)
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in gallery:
        for name in gallery_names([entity]):
            owners[name].add(entity["id"])
    made = list(unseen(gallery_names(gallery), WARM_UP + args.queries))
    warm_up = [name for name, _ in made[:WARM_UP]]
    queries = [(name, owners[source]) for name, source in made[WARM_UP:]]
    size = math.ceil(args.entities / len(gallery))
    # A distractor written like a query would make its label wrong.
    taken = taken_names(gallery, []) | {fold(name) for name, _ in made}

    with tempfile.TemporaryDirectory(prefix="scan-") as folder:
        path = Path(folder) / "gallery.jsonl"
        clock = time.perf_counter()
        entities, dropped = pad(gallery, size, args.seed, taken, path)
        padded = time.perf_counter() - clock
        clock = time.perf_counter()
        store = MemoryStore()
        store.publish(build_table(path))
        compiled = time.perf_counter() - clock
        choices: list[str] = []
        ids: list[str] = []
        for entity in load_jsonl(path):
            for name in gallery_names([entity]):
                choices.append(name)
                ids.append(entity["id"])
    print(
        f"{args.gallery.name} ({len(gallery):,} entities) x {size}: {entities:,} entities, "
        f"{len(choices):,} names and aliases ({dropped} distractors dropped as homonyms); "
        f"padded in {padded:.1f} s, compiled in {compiled:.1f} s; {len(queries)} one-edit "
        f"queries of the gallery's names, the first {min(args.scan_queries, len(queries))} "
        "also scanned\n"
    )

    matcher = Matcher(store)

    def resolve(name: str) -> str | None:
        match = matcher.resolve(name).match
        return None if match is None else match.id

    def scan(name: str) -> str | None:
        best = process.extractOne(
            name,
            choices,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=SCAN_CUTOFF,
        )
        return None if best is None else ids[best[2]]

    for name in warm_up:
        resolve(name)
    scan(warm_up[0])
    ours = timed(resolve, queries)
    scanned = timed(scan, queries[: args.scan_queries])
    same = ours.head(len(scanned.seconds))

    print(
        "| method | queries | median ms | mean ms | p99 ms | names/s | top-1 accuracy | abstained |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    print(ours.row("normalizer, all queries"))
    print(same.row("normalizer, the scanned queries"))
    print(scanned.row(f"rapidfuzz extractOne scan (WRatio, cutoff {SCAN_CUTOFF})"))
    ratio = scanned.mean / ours.mean
    points = same.accuracy - scanned.accuracy
    print(
        f"\nSpeed: the scan's mean / the normalizer's mean (all queries) = {ratio:,.0f}x "
        f"(target >= {SPEED_TARGET}x)."
        f"\nTop-1 accuracy on the same {len(scanned.seconds)} queries: normalizer "
        f"{same.accuracy:.1f}%, scan {scanned.accuracy:.1f}%, difference {points:+.1f} points "
        f"(target: no more than {POINTS_TARGET:.0f} points below the scan)."
    )


if __name__ == "__main__":
    main()
