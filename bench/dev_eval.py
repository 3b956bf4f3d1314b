"""Matching quality on a labelled query set, through the HTTP API's batch endpoint.

    python bench/dev_eval.py [GALLERY QUERIES]          # in process (Flask test client)
    python bench/dev_eval.py GALLERY QUERIES --url URL  # a running server (GALLERY unused)

GALLERY and QUERIES default to the vendored dev set, bench/data/dev/.

Prints top-1 accuracy per category and sub-category on positives, the share of positives
answered with a wrong entity, the false-positive rate per negative sub-type, the accuracy
per score band (calibration), the precision of confident matches, the recall at a
false-positive rate of 1% and queries per second. The scoring is bench/evaluation.py's.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluation import (
    DEV,
    HALVES,
    Post,
    Query,
    Scores,
    in_process,
    load_jsonl,
    over_http,
    run,
    select_half,
)


def evaluate(queries: list[Query], post: Post) -> None:
    results, elapsed = run(queries, post)
    scores = Scores(queries, results)
    print(scores.categories())
    print()
    print(scores.categories(keep=lambda _category, _sub: True))
    print()
    print(scores.negative_kinds())
    print()
    print(scores.bands())
    print()
    print(scores.summary())
    print(f"\n{len(queries)} queries in {elapsed:.2f} s: {len(queries) / elapsed:.0f} queries/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("gallery", type=Path, nargs="?", default=DEV / "gallery.jsonl")
    parser.add_argument("queries", type=Path, nargs="?", default=DEV / "queries.jsonl")
    parser.add_argument("--url", help="a running normalizer (else the app runs in process)")
    parser.add_argument(
        "--half", choices=HALVES, default="all", help="one half of the queries (see scale_eval)"
    )
    args = parser.parse_args()
    queries = select_half(load_jsonl(args.queries), args.half)
    evaluate(queries, over_http(args.url) if args.url else in_process(args.gallery))


if __name__ == "__main__":
    main()
