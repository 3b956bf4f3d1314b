"""Unseen names resolved per second in this process, one at a time, on the embedded store.

    python bench/names_per_second.py [--gallery FILE] [--names 1000] [--profile cumulative]

The names are one edit from a gallery name or alias (bench/unseen.py), none seen twice, after
200 others as a warm-up (as a serving worker's caches are warm). The baseline, in the same
run, is the text analysis alone of the same names (fold, tokens, optional words): the part
of a lookup that no index can spare. ``--profile`` prints cProfile's top 30 functions of a
second pass over 600 other names, sorted by the given key (``cumulative`` or ``tottime``).
Each line gives processor time a name too, which other work on a shared machine disturbs
less than the clock.

To compare two revisions, run this script against each in turn, e.g.
``git worktree add /tmp/base REV && PYTHONPATH=/tmp/base python bench/names_per_second.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from unseen import gallery_names, unseen

from normalizer.match.matcher import Matcher
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore
from normalizer.text.normalize import analyze_once

DEV_GALLERY = Path(__file__).parent / "data" / "dev" / "gallery.jsonl"
WARM, PROFILED = 200, 600


def per_second(work: Callable[[str], object], names: Sequence[str]) -> tuple[float, float]:
    """Names a second by the clock, and processor milliseconds a name (which other work
    on a shared machine disturbs less than the clock)."""
    started, cpu = time.perf_counter(), time.process_time()
    for name in names:
        work(name)
    cpu_ms = (time.process_time() - cpu) * 1000 / len(names)
    return len(names) / (time.perf_counter() - started), cpu_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--gallery", type=Path, default=DEV_GALLERY)
    parser.add_argument("--names", type=int, default=1000)
    parser.add_argument("--profile", choices=["cumulative", "tottime"])
    args = parser.parse_args()
    gallery = [json.loads(line) for line in args.gallery.open(encoding="utf-8")]
    store = MemoryStore()
    store.publish(build_table(args.gallery))
    matcher = Matcher(store)
    count = WARM + args.names + (PROFILED if args.profile else 0)
    names = [name for name, _ in unseen(gallery_names(gallery), count, seed=5)]
    warm, measured, profiled = names[:WARM], names[WARM:-PROFILED], names[-PROFILED:]
    if not args.profile:
        measured = names[WARM:]
    for name in warm:
        matcher.resolve(name)
    gc.freeze()  # as Service.start does: the table is not rescanned by each collection
    resolved, resolve_cpu = per_second(matcher.resolve, measured)
    # Uncached: resolve filled the cache.
    analysed, analysis_cpu = per_second(analyze_once, measured)
    print(f"{len(measured)} unseen names of {args.gallery.name}, one at a time, in process")
    print(
        f"resolve           {resolved:8.0f} names/s  ({1000 / resolved:.2f} ms a name; "
        f"{resolve_cpu:.2f} ms of processor time)"
    )
    print(
        f"analysis alone    {analysed:8.0f} names/s  ({analysis_cpu:.3f} ms of processor "
        f"time; the baseline: resolve/analysis {resolved / analysed:.3f})"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for name in profiled:
            matcher.resolve(name)
        profile.disable()
        pstats.Stats(profile).sort_stats(args.profile).print_stats(30)


if __name__ == "__main__":
    main()
