"""Batches of 1,000 names in one POST /v1/resolve, against one worker of the server.

    python bench/batch.py [--gallery FILE] [--redis] [--rounds 3] [--batches 3]

Starts the production server (``normalizer serve`` with its defaults but ``--workers 1``) on
the gallery (the vendored dev gallery by default; ``--redis`` loads it into a redis-server
of the script's own and serves from there), then sends, one request at a time over one
kept-alive connection, batches of three kinds: names one edit from a gallery name
(``unseen``; no name twice in the run, so no cache of answers helps), gallery names and
aliases as written (exact), and the same lower-cased without accents (normalized-exact).
Each round sends ``--batches`` of each kind in turn. Before each unseen batch, the same
names go once more with ``"limit": 0``, which the server refuses after parsing the body and
checking every name: the cost of HTTP and JSON alone for such a batch (the baseline); after
it, the same batch again, which the worker answers from its cache of finished answers
(``NORMALIZER_ANSWER_CACHE``): what a client sending the same names again gets.

Prints a Markdown table: per kind the median names/s and seconds per batch, the share of
names whose match is the entity they came from, and the issue's target (unseen >= 5,000
names/s embedded, >= 3,000 with Redis; exact and normalized-exact >= 50,000).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import random
import statistics
import subprocess
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from http_unseen import DEV_GALLERY, redis_server
from servers import free_port, running, serve_argv
from unseen import gallery_names, unseen

BATCH = 1000  # the server's max_batch
KINDS = ("unseen", "exact", "normalized-exact")
EXACT_TARGET = 50_000
LABELS = {
    "baseline": "baseline: refused after parsing (limit 0)",
    "repeated": "unseen, sent again (answer cache)",
}
Expected = dict[str, set[str]]


def plain(name: str) -> str:
    """``name`` lower-cased, its accents (combining marks after NFKD) stripped."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def owners(entities: Sequence[dict[str, Any]]) -> Expected:
    """The entities each name or alias (as written, and plain) belongs to."""
    found: Expected = defaultdict(set)
    for entity in entities:
        for name in gallery_names([entity]):
            found[name].add(entity["id"])
            found[plain(name)].add(entity["id"])
    return found


def post(connection: http.client.HTTPConnection, body: bytes) -> tuple[int, bytes, float]:
    """Status, body and seconds of one POST /v1/resolve (the response read to its end)."""
    headers = {"Content-Type": "application/json"}
    started = time.perf_counter()
    connection.request("POST", "/v1/resolve", body, headers)
    response = connection.getresponse()
    data = response.read()
    return response.status, data, time.perf_counter() - started


def resolved(connection: http.client.HTTPConnection, names: list[str]) -> tuple[float, list[Any]]:
    """Seconds and answers of a batch; stops the run on anything but 200."""
    status, data, seconds = post(connection, json.dumps({"names": names}).encode())
    if status != 200:
        raise SystemExit(f"POST /v1/resolve answered {status}: {data[:500]!r}")
    results: list[Any] = json.loads(data)["results"]
    return seconds, results


def refused(connection: http.client.HTTPConnection, names: list[str]) -> float:
    """Seconds of the same batch with limit 0, which must be refused (400, field limit)."""
    status, data, seconds = post(connection, json.dumps({"names": names, "limit": 0}).encode())
    if status != 400 or json.loads(data).get("field") != "limit":
        raise SystemExit(f"the baseline was not refused on limit: {status} {data[:500]!r}")
    return seconds


def right(results: list[Any], sources: list[str], expected: Expected) -> int:
    """Answers whose match is an entity of the name the query came from."""
    return sum(
        r["match"] is not None and r["match"]["id"] in expected[source]
        for r, source in zip(results, sources, strict=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--gallery", type=Path, default=DEV_GALLERY)
    parser.add_argument("--redis", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", type=int, default=3, help="of each kind per round")
    args = parser.parse_args()
    entities = [json.loads(line) for line in args.gallery.open(encoding="utf-8")]
    names, expected = gallery_names(entities), owners(entities)
    count = args.rounds * args.batches * BATCH
    # One batch more than measured: the first warms the server up (imports, first pages).
    edits = list(unseen(names, count + BATCH))
    random.Random(5).shuffle(names)  # batches mix the gallery, not its first letters
    cycled = [names[i % len(names)] for i in range(count + BATCH)]
    sources = {
        "unseen": [source for _, source in edits],
        "exact": cycled,
        "normalized-exact": [plain(name) for name in cycled],
    }
    queries = {"unseen": [edit for edit, _ in edits], "exact": cycled}
    queries["normalized-exact"] = sources["normalized-exact"]

    with tempfile.TemporaryDirectory() as scratch, contextlib.ExitStack() as stack:
        folder = Path(scratch)
        env = {"NORMALIZER_ALIASES": str(args.gallery.resolve())}
        if args.redis:
            url = stack.enter_context(redis_server(folder))
            subprocess.run(
                [str(Path(serve_argv(0)[0])), "load", str(args.gallery), "--redis", url],
                check=True,
                capture_output=True,
            )
            env["REDIS_URL"] = url
        port = free_port()
        argv = [*serve_argv(port), "--workers", "1"]
        stack.enter_context(running(argv, env, folder, "serve", port))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        stack.callback(connection.close)
        store = "Redis" if args.redis else "the embedded store"
        print(
            f"normalizer serve --workers 1 on {args.gallery.name} ({len(names)} names), "
            f"{store}; {args.rounds} rounds x {args.batches} batches of {BATCH} names per kind, "
            "one request at a time\n"
        )
        for kind in KINDS:
            resolved(connection, queries[kind][:BATCH])
        refused(connection, queries["unseen"][:BATCH])

        seconds: dict[str, list[float]] = {kind: [] for kind in (*KINDS, "repeated", "baseline")}
        hits = dict.fromkeys(KINDS, 0)
        for round_ in range(args.rounds):
            for kind in KINDS:
                for batch in range(args.batches):
                    at = BATCH * (1 + round_ * args.batches + batch)
                    chunk, chunk_sources = queries[kind][at : at + BATCH], sources[kind][at:]
                    if kind == "unseen":
                        seconds["baseline"].append(refused(connection, chunk))
                    took, results = resolved(connection, chunk)
                    seconds[kind].append(took)
                    hits[kind] += right(results, chunk_sources[:BATCH], expected)
                    if kind == "unseen":
                        # The same names again: answered from the worker's answer cache.
                        seconds["repeated"].append(resolved(connection, chunk)[0])

    unseen_target = 3000 if args.redis else 5000
    targets = {"unseen": unseen_target, "exact": EXACT_TARGET, "normalized-exact": EXACT_TARGET}
    print("| kind | names/s (median) | s per batch (median) | match is its entity | target |")
    print("|---|--:|--:|--:|--:|")
    for kind, times in seconds.items():
        median = statistics.median(times)
        share = f"{hits[kind] / count:.1%}" if kind in hits else "-"
        target = f">= {targets[kind]:,} names/s" if kind in targets else "-"
        label = LABELS.get(kind, kind)
        print(f"| {label} | {BATCH / median:,.0f} | {median:.4f} | {share} | {target} |")
    print(
        "\nThe baseline is the unseen batches' request with limit 0: HTTP, JSON parsing and "
        "the names' checks, without resolving or the answer's JSON."
    )


if __name__ == "__main__":
    main()
