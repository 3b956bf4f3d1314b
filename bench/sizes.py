"""The "flat with size" targets: the dev gallery padded with distractors to each size.

    python bench/sizes.py                       # 10,000 and 1,000,000 entities (~15 min)
    python bench/sizes.py --quick               # 10,000 and 100,000
    python bench/sizes.py --sizes 2000,20000
    python bench/sizes.py --embedded-only       # step 1 alone: no Redis (~5 min)
    python bench/sizes.py --scattered           # the gallery at random places, not first

Each size's table is the dev gallery (bench/data/dev/gallery.jsonl) and then distractors
from bench/distractors.py (a distractor written like a dev name or a query, folded and in
any word order, is dropped, and the next one taken) up to exactly that many entities; with
``--scattered``, the gallery's entities at random places among them, as a curator's table
has its names (written first, the gallery is among the first aliases every common key
lists, and the recall at 1M cannot show what a common key's short list costs). The
query set is the same at every size: 300 one-edit names of the dev gallery's names and
aliases (bench/unseen.py, fixed seed), each with the entities that own the name it came
from; recall is the share whose match is one of those (and a miss whose top candidate is
one of those was scored under the threshold, not lost by the lookup). Every step runs in a
fresh process, so that its peak RSS is its own: for the compile, the highest sum of its
and its workers' RSS (sampled every 20 ms; a big table is read by worker processes), or its
VmHWM if higher (ru_maxrss would count this script's RSS at the fork); for the load,
os.wait4's ru_maxrss, which covers its job processes (the largest of them, not their sum)
but is never below this script's:

1. embedded: build_table on the file (seconds, peak RSS), then the embedded store's
   latency, one name at a time, after 50 other one-edit names as a warm-up;
2. ``normalizer load FILE --redis URL`` into a throwaway redis-server of this script (no
   persistence, a free port, one per size): wall seconds, peak RSS, and Redis used_memory
   after minus before;
3. Redis: create_app with REDIS_URL and ALIASES, until /readyz answers 200 through the test
   client (worker ready), then the Redis store's latency as in 1.

Prints a Markdown table per size, then each target beside its figure: the ratios of the
largest size to the smallest for median and p99 latency, the recall difference, and the
absolute targets at the largest size.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import redis
from redis_load import redis_server, used_memory  # bench/ is on sys.path: it holds this script
from unseen import gallery_names, unseen

from normalizer.match.matcher import Matcher
from normalizer.match.query import prepare
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore
from normalizer.web.app import create_app

GALLERY = Path(__file__).resolve().parent / "data" / "dev" / "gallery.jsonl"
WARM, QUERIES, SEED = 50, 300, 11
BIN = Path(sys.executable).parent
Result = dict[str, Any]


def query_set(gallery: list[Result]) -> Result:
    """Warm-up names, and the measured names each with the ids of the entities owning the
    name it was made from (a name may be several entities')."""
    owners: dict[str, list[str]] = {}
    for entity in gallery:
        for name in [entity["name"], *entity["aliases"]]:
            owners.setdefault(name, []).append(entity["id"])
    made = list(unseen(gallery_names(gallery), WARM + QUERIES, SEED))
    return {
        "warm": [name for name, _ in made[:WARM]],
        "queries": [(name, owners[source]) for name, source in made[WARM:]],
    }


def pad(
    gallery: list[Result], size: int, taken: set[str], out: Path, scattered: bool = False
) -> int:
    """Write the gallery, then distractors up to ``size`` entities; returns how many were
    dropped as homonyms. generate() is prefix-stable, so the tables of two sizes share
    their first distractors. ``scattered``: the gallery's entities at random places among
    the distractors, as bench/scale_eval.py places them (a common key lists only its first
    aliases: written first, the gallery is always among them)."""
    from distractors import generate  # in the parent only (see main)
    from scale_eval import homonym, merged

    dropped, written = 0, 0
    distractors = generate(2 * size)
    if scattered:
        places = random.Random(f"places {size}")
        entities = merged(gallery, distractors, size - len(gallery), places)
    else:
        entities = itertools.chain(gallery, distractors)
    with out.open("w", encoding="utf-8") as lines:
        for entity in entities:
            if written == size:
                break
            if entity["id"].startswith("synth-") and any(
                homonym(name) in taken for name in [entity["name"], *entity["aliases"]]
            ):
                dropped += 1
                continue
            lines.write(json.dumps(entity, ensure_ascii=False) + "\n")
            written += 1
    return dropped


def measure(matcher: Matcher, queries: Result) -> Result:
    """Median and p99 ms of one lookup, and recall, after the warm-up (which fills the
    process's scoring caches and transliteration tables as a serving worker's are)."""
    for name in queries["warm"]:
        matcher.resolve(name)
    times, found, first = [], 0, 0
    for name, owners in queries["queries"]:
        started = time.perf_counter()
        resolution = matcher.resolve(name)
        times.append(time.perf_counter() - started)
        found += resolution.match is not None and resolution.match.id in owners
        # A miss whose entity is the top candidate: scored under the threshold, not lost.
        top = resolution.candidates[0].id if resolution.candidates else None
        first += resolution.match is None and top in owners
    # Counted after the timing, which a prepared name's warm caches would flatter.
    near = matcher.store.view().near_keys
    keys = sum(len(prepare(name, near=near).all_keys()) for name, _ in queries["queries"])
    return {
        "median": statistics.median(times) * 1000,
        "p99": statistics.quantiles(times, n=100)[98] * 1000,
        "recall": found / len(times),
        "first_unmatched": first,
        "keys": keys / len(times),
    }


def high_water() -> int:
    """Peak RSS in bytes of this process since its exec (Linux)."""
    return status_bytes("self", "VmHWM")


def resident(pid: int | str) -> int:
    """Resident bytes of a process now; 0 once it has ended."""
    return status_bytes(pid, "VmRSS")


def status_bytes(pid: int | str, field: str) -> int:
    """A size ``/proc/PID/status`` gives, in bytes; 0 if the process has ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(status.split(f"{field}:")[1].split()[0]) * 1024 if f"{field}:" in status else 0


class TreeHighWater:
    """The highest resident memory of this process and its children together, sampled
    every 20 ms in a thread while in the block: a big table's compile reads it in worker
    processes (``table.parallel``), whose memory VmHWM does not count."""

    def __init__(self) -> None:
        self.peak = 0
        self._done = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeHighWater:
        self._sampler.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._sampler.join()

    def _sample(self) -> None:
        while not self._done.wait(0.02):
            self.peak = max(self.peak, resident("self") + sum(map(resident, children())))


def children() -> list[str]:
    """The process ids of this process's children (of any of its threads)."""
    found = []
    for task in Path("/proc/self/task").iterdir():
        try:
            found += (task / "children").read_text().split()
        except OSError:  # the thread has ended meanwhile
            continue
    return found


def step(kind: str, path: Path, queries: Result, url: str) -> Result:
    """One child process's work (``--step``); its figures as JSON on stdout."""
    if kind == "embedded":
        before = high_water()  # the imports'
        started = time.perf_counter()
        with TreeHighWater() as tree:
            table = build_table(path)
        seconds = time.perf_counter() - started
        own = high_water()
        peak = max(own, tree.peak)
        store = MemoryStore()
        started = time.perf_counter()
        store.publish(table)
        published = time.perf_counter() - started
        del table
        gc.freeze()  # as Service.start does: full collections would rescan the table
        near = store.view().near_keys
        figures = {
            "compile": seconds,
            "compile_peak": peak,
            "compile_own": own,
            "imports": before,
            "publish": published,
            "near_bytes": near.nbytes,
        }
        return {**figures, **measure(Matcher(store), queries)}
    started = time.perf_counter()
    app = create_app({"REDIS_URL": url, "ALIASES": str(path)})
    status = app.test_client().get("/readyz").status_code
    ready = time.perf_counter() - started
    if status != 200:
        sys.exit(f"/readyz answered {status}")
    figures = {"ready": ready, **measure(app.extensions["normalizer"].matcher, queries)}
    app.extensions["normalizer"].store.close()
    return figures


def run(argv: list[str], log: Path) -> tuple[str, float, int]:
    """Stdout, wall seconds and peak RSS in bytes (of the process or any it waited for)."""
    started = time.perf_counter()
    with log.open("w") as errors:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, text=True)
        assert process.stdout is not None
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)  # Popen.wait() would not give rusage
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{' '.join(argv[:3])} failed:\n{log.read_text()[-3000:]}")
    return out, time.perf_counter() - started, usage.ru_maxrss * 1024


def one_size(
    size: int,
    gallery: list[Result],
    folder: Path,
    taken: set[str],
    embedded_only: bool,
    scattered: bool,
) -> Result:
    path = folder / f"table-{size}.jsonl"
    started = time.perf_counter()
    dropped = pad(gallery, size, taken, path, scattered)
    made = time.perf_counter() - started
    me = [sys.executable, __file__, "--step"]
    queries, log = str(folder / "queries.json"), folder / "stderr.txt"
    out, _, _ = run([*me, "embedded", str(path), queries], log)
    figures: Result = {"size": size, "dropped": dropped, "made": made, "embedded": json.loads(out)}
    figures["bytes"] = path.stat().st_size
    if embedded_only:
        return figures
    with redis_server(folder) as url:  # one per size: its used_memory is this table's alone
        client = redis.Redis.from_url(url)
        before = used_memory(client)
        load = [str(BIN / "normalizer"), "load", str(path), "--redis", url]
        out, figures["load"], figures["load_peak"] = run(load, log)
        figures["redis_bytes"] = used_memory(client) - before
        said = out.strip().splitlines()  # "...in force: N entities, ... keys ...", "seconds: ..."
        figures["load_notes"] = f"{said[0].partition('in force: ')[2]}; {said[-1]}"
        client.close()
        out, _, _ = run([*me, "redis", str(path), queries, url], log)
        figures["redis"] = json.loads(out)
    return figures


def report(row: Result) -> None:
    emb, red = row["embedded"], row.get("redis")
    print(
        f"\n## {row['size']:,} entities\n\n{len(GALLERY.read_text().splitlines()):,} dev "
        f"entities + distractors ({row['dropped']} dropped as homonyms), "
        f"{row['bytes'] / 1e6:.1f} MB, written in {row['made']:.1f} s\n"
    )
    print("| step | seconds | peak RSS | notes |\n|---|--:|--:|---|")
    print(
        f"| embedded compile (build_table) | {emb['compile']:.1f} | "
        f"{emb['compile_peak'] / 1e6:,.0f} MB | {emb['imports'] / 1e6:.0f} MB before it; "
        f"with its workers (this process alone {emb['compile_own'] / 1e6:,.0f} MB) |"
    )
    print(
        f"| embedded publish | {emb['publish']:.1f} | | its filter of near keys "
        f"{emb['near_bytes'] / 1e6:.2f} MB |"
    )
    if red is not None:
        print(
            f"| `normalizer load` | {row['load']:.1f} | {row['load_peak'] / 1e6:,.0f} MB | "
            f"Redis used_memory +{row['redis_bytes'] / 1e6:.1f} MB; {row['load_notes']} |"
        )
        print(f"| worker ready (Redis store) | {red['ready']:.2f} | | create_app + /readyz |")
    print(
        f"\n| lookup, {QUERIES} one-edit names | median ms | p99 ms | recall "
        "| unmatched with their entity first | keys asked a name |"
    )
    print("|---|--:|--:|--:|--:|--:|")
    for name, figures in (("embedded", emb), ("Redis", red)):
        if figures is None:
            continue
        print(
            f"| {name} | {figures['median']:.1f} | {figures['p99']:.1f} | {figures['recall']:.3f} "
            f"| {figures['first_unmatched']} | {figures['keys']:.0f} |"
        )


def targets(rows: list[Result]) -> None:
    low, high = rows[0], rows[-1]
    print(f"\n## Targets: {high['size']:,} entities against {low['size']:,}\n")
    print("| target | figure | met |\n|---|---|---|")

    def line(target: str, figure: str, met: bool) -> None:
        print(f"| {target} | {figure} | {'yes' if met else '**no**'} |")

    for store in ("embedded", "Redis") if "redis" in high else ("embedded",):
        a, b = low[store.lower()], high[store.lower()]
        for stat in ("median", "p99"):
            ratio = b[stat] / a[stat]
            line(
                f"{stat}, {store}: <= 1.5x",
                f"{ratio:.2f}x ({a[stat]:.1f} -> {b[stat]:.1f} ms)",
                ratio <= 1.5,
            )
        diff = b["recall"] - a["recall"]
        line(
            f"recall, {store}: no worse",
            f"{a['recall']:.3f} -> {b['recall']:.3f} ({diff:+.3f})",
            diff >= 0,
        )
    peak, compile_s = high["embedded"]["compile_peak"], high["embedded"]["compile"]
    line("embedded compile <= 1.5 GB peak RSS", f"{peak / 1e9:.2f} GB", peak <= 1.5e9)
    line("embedded compile <= 60 s", f"{compile_s:.1f} s", compile_s <= 60)
    if "redis" not in high:
        return
    line("Redis <= 300 MB", f"{high['redis_bytes'] / 1e6:.1f} MB", high["redis_bytes"] <= 300e6)
    line("`normalizer load` <= 30 s", f"{high['load']:.1f} s", high["load"] <= 30)
    ready = [row["redis"]["ready"] for row in rows]
    line("worker ready < 2 s, every size", " / ".join(f"{r:.2f} s" for r in ready), max(ready) < 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000", help="entities, comma-separated")
    parser.add_argument("--quick", action="store_true", help="sizes 10000,100000")
    parser.add_argument(
        "--embedded-only", action="store_true", help="skip the Redis load and lookups (steps 2, 3)"
    )
    parser.add_argument(
        "--scattered",
        action="store_true",
        help="the gallery at random places among the distractors, not first",
    )
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)  # a child's own work
    args = parser.parse_args()
    if args.step:
        kind, path, queries, *url = args.step
        figures = step(kind, Path(path), json.loads(Path(queries).read_text()), "".join(url))
        print(json.dumps(figures))
        return
    # Imported by the parent only: Faker's locale lists (70 MB) would count in each step's
    # peak RSS, which is the product's own.
    from scale_eval import taken_names

    sizes = sorted(int(s) for s in ("10000,100000" if args.quick else args.sizes).split(","))
    gallery = [json.loads(line) for line in GALLERY.open(encoding="utf-8")]
    queries = query_set(gallery)
    every = [{"query": name} for name in [*queries["warm"], *(q for q, _ in queries["queries"])]]
    taken = taken_names(gallery, every)
    rows = []
    with tempfile.TemporaryDirectory(prefix="normalizer-sizes-") as temp:
        folder = Path(temp)
        (folder / "queries.json").write_text(json.dumps(queries), encoding="utf-8")
        for size in sizes:
            rows.append(one_size(size, gallery, folder, taken, args.embedded_only, args.scattered))
            report(rows[-1])
            (folder / f"table-{size}.jsonl").unlink()  # a 1M table is ~200 MB
    if len(rows) > 1:
        targets(rows)


if __name__ == "__main__":
    main()
