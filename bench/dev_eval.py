"""Matching quality on a labelled query set, through the HTTP API's batch endpoint.

    python bench/dev_eval.py [GALLERY QUERIES]          # in process (Flask test client)
    python bench/dev_eval.py GALLERY QUERIES --url URL  # a running server (GALLERY unused)

GALLERY and QUERIES default to the vendored dev set, bench/data/dev/.

Prints top-1 accuracy per category and sub-category on positives, the share of positives
answered with a wrong entity, the false-positive rate per negative sub-type, the accuracy
per score band (calibration) and queries per second.
"""

from __future__ import annotations

import argparse
import json
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

BATCH = 500
DEV = Path(__file__).resolve().parent / "data" / "dev"
BANDS = (0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.0)

Post = Callable[[list[str]], list[dict[str, Any]]]


def in_process(gallery: Path) -> Post:
    from normalizer.web.app import create_app

    client = create_app({"ALIASES": str(gallery)}).test_client()

    def post(names: list[str]) -> list[dict[str, Any]]:
        response = client.post("/v1/resolve", json={"names": names})
        assert response.status_code == 200, response.get_data(as_text=True)
        results: list[dict[str, Any]] = response.get_json()["results"]
        return results

    return post


def over_http(url: str) -> Post:
    def post(names: list[str]) -> list[dict[str, Any]]:
        request = urllib.request.Request(
            url.rstrip("/") + "/v1/resolve",
            data=json.dumps({"names": names}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            results: list[dict[str, Any]] = json.load(response)["results"]
        return results

    return post


def evaluate(queries: list[dict[str, Any]], post: Post) -> None:
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    for start in range(0, len(queries), BATCH):
        results += post([q["query"] for q in queries[start : start + BATCH]])
    elapsed = time.perf_counter() - started

    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # n, right, wrong
    by_sub: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    negatives: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # n, false positives
    bands: dict[float, list[int]] = defaultdict(lambda: [0, 0])  # n, top-1 right
    for query, result in zip(queries, results, strict=True):
        got = result["match"]["id"] if result["match"] else None
        top = result["candidates"][0] if result["candidates"] else None
        if top is not None:
            band = next(b for b in BANDS if top["score"] >= b)
            bands[band][0] += 1
            bands[band][1] += top["id"] == query["expected"]
        if query["expected"] is None:
            for key in ("all", query["sub"]):
                negatives[key][0] += 1
                negatives[key][1] += got is not None
            continue
        for table, key in (
            (by_category, query["category"]),
            (by_category, "all positives"),
            (by_sub, f"{query['category']} / {query['sub']}"),
        ):
            table[key][0] += 1
            table[key][1] += got == query["expected"]
            table[key][2] += got is not None and got != query["expected"]

    print("| category | n | accuracy | wrong entity |\n|---|---:|---:|---:|")
    for key, (n, right, wrong) in sorted(by_category.items()):
        print(f"| {key} | {n} | {right / n:.1%} | {wrong / n:.1%} |")
    print("\n| sub-category | n | accuracy | wrong entity |\n|---|---:|---:|---:|")
    for key, (n, right, wrong) in sorted(by_sub.items()):
        print(f"| {key} | {n} | {right / n:.1%} | {wrong / n:.1%} |")
    print("\n| negatives | n | false-positive rate |\n|---|---:|---:|")
    for key, (n, false_positives) in sorted(negatives.items()):
        print(f"| {key} | {n} | {false_positives / n:.1%} |")
    print("\n| top score | n | top candidate right |\n|---|---:|---:|")
    for band in BANDS:
        n, right = bands[band]
        upper = "1.0" if band == BANDS[0] else f"{BANDS[BANDS.index(band) - 1]:.2f}"
        if n:
            print(f"| {band:.2f}–{upper} | {n} | {right / n:.1%} |")
    print(f"\n{len(queries)} queries in {elapsed:.2f} s: {len(queries) / elapsed:.0f} queries/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gallery", type=Path, nargs="?", default=DEV / "gallery.jsonl")
    parser.add_argument("queries", type=Path, nargs="?", default=DEV / "queries.jsonl")
    parser.add_argument("--url", help="a running normalizer (else the app runs in process)")
    args = parser.parse_args()
    with args.queries.open(encoding="utf-8") as lines:
        queries = [json.loads(line) for line in lines if line.strip()]
    evaluate(queries, over_http(args.url) if args.url else in_process(args.gallery))


if __name__ == "__main__":
    main()
