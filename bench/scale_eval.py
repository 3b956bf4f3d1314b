"""Matching quality as the alias table grows: the dev gallery padded with synthetic
distractors (bench/distractors.py) to k times its size, all dev queries run against each.

    python bench/scale_eval.py                    # 1x, 5x and 50x the gallery
    python bench/scale_eval.py --huge             # and 500x (~566k entities; slow)
    python bench/scale_eval.py --sizes 1,5 --half A

A small table has few near neighbours: the held-out benchmark's gallery is ~5x the dev
gallery and its false-positive rate several times dev's. Each size compiles the padded
table with the embedded store through the app (create_app, then POST /v1/resolve through
Flask's test client, as bench/dev_eval.py) and prints, as Markdown: accuracy and confident
wrong answers per category (and the related/unrelated kinds of held-out aliases and
nicknames), the false-positive rate per kind of negative, the score bands, the precision of
confident matches and the recall at FPR 1% from a threshold sweep; then one summary row per
size. ``--half A|B`` keeps one half of the queries (all of an entity's in one half), to
choose parameters on A and report them on B.

A distractor written like a gallery name or alias or like a query (after the matcher's
folding, without optional words, in any order) is dropped: a homonym would make the
query's label wrong. Their number is printed.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distractors import PREFIX, generate
from evaluation import (
    DEV,
    HALVES,
    MARGIN,
    Query,
    Scores,
    in_process,
    load_jsonl,
    run,
    select_half,
)

from normalizer.text.normalize import analyze_once

DEFAULT_SIZES = (1, 5, 50)
HUGE = 500
HELD_OUT = frozenset({"heldout_alias", "heldout_nickname"})


@dataclass(frozen=True, slots=True)
class Row:
    """One size's figures for the summary table."""

    size: int
    entities: int
    distractors: int
    dropped: int
    build: float
    compile: float
    queries: float
    scores: Scores


def homonym(name: str) -> str:
    """A name as two names are one to the matcher: folded, without its optional words (an
    article, a title, a legal form, a patronymic inside), in any order ("Ranim Al-Qadour"
    is "Ranim Qadour")."""
    return " ".join(sorted(analyze_once(name).core))


def taken_names(gallery: Iterable[dict[str, Any]], queries: Iterable[Query]) -> set[str]:
    """Names a distractor must not have (as homonym() writes them): the gallery's names and
    aliases, the queries."""
    taken = {homonym(q["query"]) for q in queries}
    for entity in gallery:
        taken.update(homonym(name) for name in [entity["name"], *entity["aliases"]])
    return taken


def pad(
    gallery: Sequence[dict[str, Any]], size: int, seed: int, taken: set[str], out: Path
) -> tuple[int, int]:
    """Write ``gallery`` and (size - 1) x its length of distractors to ``out``, the gallery's
    entities at random places among them; returns the entities written and the distractors
    dropped as homonyms.

    Random places, not the gallery first: a table's order is its curator's, and a matcher
    could depend on it (a common key's postings list only its first aliases). Written
    first, the gallery would be the part of the table that such a matcher finds best.
    """
    dropped = 0
    written = 0
    count = (size - 1) * len(gallery)
    entities = merged(gallery, generate(count, seed), count, random.Random(f"places {seed}"))
    with out.open("w", encoding="utf-8") as lines:
        for entity in entities:
            names = [entity["name"], *entity["aliases"]]
            if is_distractor(entity["id"]) and any(homonym(name) in taken for name in names):
                dropped += 1
                continue
            lines.write(json.dumps(entity, ensure_ascii=False) + "\n")
            written += 1
    return written, dropped


def merged(
    gallery: Sequence[dict[str, Any]],
    distractors: Iterable[dict[str, Any]],
    count: int,
    rng: random.Random,
) -> Iterator[dict[str, Any]]:
    """The gallery's entities in their order among the ``count`` ``distractors`` (read once:
    500x is half a million entities), every interleaving as likely."""
    entities = iter(distractors)
    gallery_left, distractors_left = len(gallery), count
    for entity in gallery:
        # Each next entity is the gallery's with the gallery's share of what is left.
        while distractors_left and rng.random() * (gallery_left + distractors_left) >= gallery_left:
            yield next(entities)
            distractors_left -= 1
        yield entity
        gallery_left -= 1
    yield from entities


def is_distractor(entity_id: str) -> bool:
    return entity_id.startswith(PREFIX)


def report(row: Row) -> None:
    scores = row.scores
    print(f"\n## {row.size}x the gallery: {row.entities:,} entities")
    print(
        f"\n{row.distractors:,} distractors ({row.dropped} more dropped as "
        f"homonyms of dev names or queries); built in {row.build:.1f} s, compiled in "
        f"{row.compile:.1f} s, {len(scores.outcomes)} queries in {row.queries:.1f} s "
        f"({len(scores.outcomes) / row.queries:.0f}/s)\n"
    )
    print(scores.categories())
    print()
    print(scores.categories(keep=lambda category, _sub: category in HELD_OUT))
    print()
    print(scores.negative_kinds())
    print()
    print(scores.bands())
    print()
    print(scores.summary())
    wrong, false_positives = scores.wrong_entities(), scores.false_positives()
    print(
        f"Confident wrong answers naming a distractor: {scores.wrong_entities(is_distractor)} "
        f"of {wrong} on positives, {scores.false_positives(is_distractor)} of "
        f"{false_positives} false positives."
    )


def summary(rows: Sequence[Row]) -> None:
    print("\n## Summary\n")
    print(
        "| size | entities | accuracy (positives) | wrong entity | FPR | FP naming a distractor "
        "| precision | t at FPR 1% | recall at FPR 1% | compile s | queries/s |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for row in rows:
        s = row.scores
        positives, negatives = max(len(s.positives), 1), max(len(s.negatives), 1)
        right = sum(o.got == o.query["expected"] for o in s.positives)
        made, correct = s.confident()
        sweep = s.sweep()
        print(
            f"| {row.size}x | {row.entities:,} | {right / positives:.1%} "
            f"| {s.wrong_entities() / positives:.1%} | {s.false_positives() / negatives:.1%} "
            f"| {s.false_positives(is_distractor)} of {s.false_positives()} "
            f"| {correct / max(made, 1):.1%} | {sweep.threshold:.4f} | {sweep.recall:.1%} "
            f"| {row.compile:.1f} | {len(s.outcomes) / row.queries:.0f} |"
        )
    print(f"\nThreshold rule of the sweep: top score >= t and a lead >= {MARGIN} over the next.")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--gallery", type=Path, default=DEV / "gallery.jsonl")
    parser.add_argument("--queries", type=Path, default=DEV / "queries.jsonl")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="multiples of the gallery, comma-separated (default 1,5,50)",
    )
    parser.add_argument("--huge", action="store_true", help=f"also {HUGE}x (slow)")
    parser.add_argument("--half", choices=HALVES, default="all")
    parser.add_argument("--seed", type=int, default=7, help="of the distractors")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] + ([HUGE] if args.huge else [])

    gallery = load_jsonl(args.gallery)
    all_queries = load_jsonl(args.queries)
    queries = select_half(all_queries, args.half)
    taken = taken_names(gallery, all_queries)
    print(
        f"# Scale evaluation: {len(queries)} queries (half {args.half}) against the gallery of "
        f"{len(gallery):,} padded to {', '.join(f'{k}x' for k in sizes)} (seed {args.seed})"
    )
    rows = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="scale-eval-") as folder:
        for size in sizes:
            path = Path(folder) / f"gallery-{size}x.jsonl"
            clock = time.perf_counter()
            entities, dropped = pad(gallery, size, args.seed, taken, path)
            built = time.perf_counter() - clock
            clock = time.perf_counter()
            # Quality, not latency: a batch at 500x on a busy machine may outlast the
            # service's request budget.
            post = in_process(path, {"REQUEST_BUDGET": 3600})
            compiled = time.perf_counter() - clock
            results, elapsed = run(queries, post)
            scores = Scores(queries, results)
            distractors = entities - len(gallery)
            row = Row(size, entities, distractors, dropped, built, compiled, elapsed, scores)
            del post, results
            gc.collect()  # the previous size's table, before the next is compiled
            rows.append(row)
            report(row)
            path.unlink()
    summary(rows)
    print(f"\nTotal {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
