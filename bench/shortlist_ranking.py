"""The shortlist's ranking, in dicts and over numpy arrays, on the keys of real lookups.

    python bench/shortlist_ranking.py                    # 10,000 and 100,000 entities
    python bench/shortlist_ranking.py --sizes 1000000    # ~2 min, most of it the compile
    python bench/shortlist_ranking.py --lookups          # and whole lookups, either way

The tables are bench/sizes.py's (the dev gallery, then distractors up to each size) and the
names its 300 one-edit names. For each name, the keys its first fetch finds (the second
fetch's few are left out) are what the shortlist ranks: both rankings are timed on the
same lists (best of three) and must agree. Prints, per size and band of the ids the keys
list, the microseconds of each; ``shortlist.ARRAYS_FROM`` is where the arrays start to
pay. ``--lookups``: then 3,000 other one-edit names resolved in rounds of 250, the
rankings taking turns (ABABAB BABABA: a round's names may be harder than the next's),
with the median, p99 and mean of each.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from scale_eval import taken_names
from sizes import GALLERY, pad, query_set
from unseen import gallery_names, unseen

from normalizer.match import evidence_arrays, shortlist
from normalizer.match.matcher import CANDIDATE_ALIASES, Matcher
from normalizer.match.query import prepare
from normalizer.match.shortlist import ARRAYS_FROM, Said, evidence, top_aliases_in_dicts
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore

BANDS = (0, 250, 500, 1000, 2000, 4000, 8000)
WARM, ROUNDS, ROUND = 200, 12, 250
Ranking = Callable[[dict[int, float], list[Said], int, int], list[int]]


def best_of_three(
    ranking: Ranking, whole: dict[int, float], said: list[Said], tokens: int
) -> tuple[float, list[int]]:
    """The fastest of three rankings in microseconds, and the ranking (of ``whole``
    copied: the dict ranking spends it)."""
    times, ranked = [], []
    for _ in range(3):
        copied = dict(whole)
        started = time.perf_counter()
        ranked = ranking(copied, said, tokens, CANDIDATE_ALIASES)
        times.append(time.perf_counter() - started)
    return min(times) * 1e6, ranked


def one_size(
    size: int, names: list[str], gallery: list[dict[str, object]], folder: Path, lookups: bool
) -> None:
    path = folder / f"table-{size}.jsonl"
    queries = [{"query": name} for name in names]
    pad(gallery, size, taken_names(gallery, queries), path)
    store = MemoryStore()
    store.publish(build_table(path))
    view = store.view()
    total = view.meta.aliases
    bands: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    for name in names:
        query = prepare(name, near=view.near_keys)
        keys = query.all_keys()
        found = {k: v for k, v in zip(keys, view.get_many(keys), strict=True) if v is not None}
        whole, said = evidence(query, found, total)
        ids = sum(len(listed) for _, _, listed in said)
        if not ids:
            continue
        tokens = len(query.analysis.tokens)
        in_dicts, ranked = best_of_three(top_aliases_in_dicts, whole, said, tokens)
        arrays, also = best_of_three(evidence_arrays.top_aliases, whole, said, tokens)
        if ranked != also:
            sys.exit(f"the rankings differ for {name!r}")
        bands[max(b for b in BANDS if ids >= b)].append((ids, in_dicts, arrays))
    print(f"\n{size:,} entities: microseconds to rank a name's keys' aliases (best of three)\n")
    print("| ids under its keys | names | dicts (median) | arrays (median) |")
    print("|---|--:|--:|--:|")
    every = []
    for band in sorted(bands):
        rows = bands[band]
        every += rows
        dicts = statistics.median(d for _, d, _ in rows)
        arrays = statistics.median(a for _, _, a in rows)
        print(f"| {band:,}+ | {len(rows)} | {dicts:.0f} | {arrays:.0f} |")
    dicts_mean = statistics.mean(d for _, d, _ in every)
    arrays_mean = statistics.mean(a for _, _, a in every)
    shipped = statistics.mean(a if ids >= ARRAYS_FROM else d for ids, d, a in every)
    print(
        f"\nmean a name: dicts {dicts_mean:.0f} us, arrays {arrays_mean:.0f} us, "
        f"as shipped (arrays from {ARRAYS_FROM} ids) {shipped:.0f} us"
    )
    if lookups:
        by_turns(Matcher(store), gallery)


def by_turns(matcher: Matcher, gallery: list[dict[str, object]]) -> None:
    """Whole lookups, arrays from ARRAYS_FROM ids and never, by turns."""
    made = unseen(gallery_names(gallery), WARM + ROUNDS * ROUND, seed=31)
    fresh = [name for name, _ in made]
    for name in fresh[:WARM]:
        matcher.resolve(name)
    gc.freeze()  # as Service.start does
    times: dict[str, list[float]] = {"dicts": [], "arrays": []}
    shipped = shortlist.ARRAYS_FROM
    for turn in range(ROUNDS):
        way = "arrays" if (turn + turn * 2 // ROUNDS) % 2 else "dicts"
        shortlist.ARRAYS_FROM = shipped if way == "arrays" else sys.maxsize
        for name in fresh[WARM + turn * ROUND : WARM + (turn + 1) * ROUND]:
            started = time.perf_counter()
            matcher.resolve(name)
            times[way].append((time.perf_counter() - started) * 1000)
    shortlist.ARRAYS_FROM = shipped
    print(f"\nwhole lookups, {ROUNDS} rounds of {ROUND} names by turns:\n")
    print("| ranking | median ms | p99 ms | mean ms |\n|---|--:|--:|--:|")
    for way, spent in times.items():
        p99 = statistics.quantiles(spent, n=100)[98]
        print(
            f"| {way} | {statistics.median(spent):.2f} | {p99:.2f} | {statistics.mean(spent):.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="entities, comma-separated")
    parser.add_argument("--lookups", action="store_true", help="and whole lookups by turns")
    args = parser.parse_args()
    gallery = [json.loads(line) for line in GALLERY.open(encoding="utf-8")]
    names = [name for name, _ in query_set(gallery)["queries"]]
    with tempfile.TemporaryDirectory(prefix="normalizer-ranking-") as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            one_size(size, names, gallery, Path(folder), args.lookups)


if __name__ == "__main__":
    main()
