"""Load time, memory and lookup latency of the Redis store, on a synthetic table.

    python bench/redis_load.py 100000 [--baseline] [--untuned] [--queries 300]
    python bench/redis_load.py 0 --table bench/data/dev/gallery.jsonl --baseline

Generates N synthetic entities (bench/redis_synth.py) as JSON Lines in a temporary folder
(or takes the alias file given with --table), starts a throwaway redis-server there (no
persistence, a free port), and reports:

- seconds to validate, then compile and write (encode and HSET) the table in ``--jobs``
  processes: the ``normalizer load`` path;
- Redis ``used_memory`` after the load minus before: total, per alias (name), per key;
- with --baseline, measured in the same run: the same load in one process, and the same
  entries written as plain string keys (MSET, one key per table key), for the ratios;
- with --untuned, the same load with hash-max-listpack-value left at Redis' default;
- how long a worker takes to be ready (the app factory on the loaded Redis);
- per-lookup latency of the Redis store against the embedded store, one name at a time and
  in batches of 100 (same matcher, same answers; after the same warm-up, on unseen names).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from redis_synth import entities  # bench/ is on sys.path: it holds this script
from servers import free_port

from normalizer.match.matcher import Matcher
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore
from normalizer.store.redis import RedisStore, connect
from normalizer.store.redis.schema import Schema
from normalizer.table.compiler import CompiledTable
from normalizer.web.app import create_app

MSET_BATCH = 1000


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A redis-server of our own: the default config, no persistence; killed at the end."""
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is needed (apt-get install redis-server)")
    port = free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir"]
    argv += [str(folder), "--appendonly", "no", "--logfile", str(folder / "redis.log")]
    process = subprocess.Popen(argv)
    try:
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait()


def used_memory(client: redis.Redis) -> int:
    info: dict[str, Any] = client.info("memory")
    return int(info["used_memory"])


def timed(what: str, action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    result = action()
    seconds = time.monotonic() - started
    print(f"  {what}: {seconds:.1f} s", flush=True)
    return result, seconds


def progress(stage: str, done: int, total: int) -> None:
    if done == total or done % 1_000_000 < 20_000:
        print(f"    {stage} {done}/{total}", flush=True)


def load_into(url: str, table_path: Path, tune: bool, jobs: int) -> dict[str, float]:
    """Validate, compile and load the alias file into an empty Redis, as ``normalizer load``
    does; its seconds and memory."""
    client = redis.Redis.from_url(url, socket_timeout=600)
    client.flushall()
    client.config_set("hash-max-listpack-value", 64)  # Redis' default, before any tuning
    before = used_memory(client)
    store = RedisStore(connect(url, timeout=60), tune=tune)
    report, seconds = timed(
        f"normalizer load, {jobs} job(s)",
        lambda: store.load_path(table_path, progress=progress, jobs=jobs),
    )
    store.close()
    used = used_memory(client) - before
    client.close()
    return {
        "validate": report.validate_seconds,
        "compile": report.prepare_seconds,
        "write": report.write_seconds,
        "load": seconds,
        "bytes": used,
        "buckets": report.buckets,
        "payload": report.payload_bytes,
        "jobs": report.jobs,
    }


def baseline(url: str, table: CompiledTable) -> tuple[int, float]:
    """Bytes and seconds of the same entries as plain string keys (table key -> encoded
    value), encoded and written with MSET from one process."""
    client = redis.Redis.from_url(url, socket_timeout=600)
    client.flushall()
    before = used_memory(client)
    started = time.monotonic()
    encode = Schema.learn(table.entries.items()).encoder()
    pipe = client.pipeline(transaction=False)
    batch: dict[str, bytes] = {}
    for key, value in table.entries.items():
        batch[key] = encode(key, value)
        if len(batch) == MSET_BATCH:
            pipe.mset(batch)
            batch = {}
            if len(pipe) >= 50:
                pipe.execute()
    if batch:
        pipe.mset(batch)
    pipe.execute()
    seconds = time.monotonic() - started
    used = used_memory(client) - before
    client.close()
    return used, seconds


def queries(table_path: Path, count: int, seed: int) -> list[str]:
    """Names of the table, some with a typo, some reordered: realistic lookups."""
    rng = random.Random(seed)
    lines = table_path.read_text(encoding="utf-8").splitlines()
    names = []
    for line in rng.sample(lines, min(count, len(lines))):
        name = json.loads(line)["name"]
        roll = rng.random()
        if roll < 0.3 and len(name) > 6:
            at = rng.randrange(1, len(name) - 1)
            name = name[:at] + name[at + 1 :]
        elif roll < 0.5:
            name = " ".join(reversed(name.split()))
        names.append(name)
    return names


def latency(matcher: Matcher, single: list[str], batched: list[str]) -> dict[str, float]:
    """Milliseconds a lookup takes, one name at a time and in batches of 100."""
    times = []
    for name in single:
        started = time.perf_counter()
        matcher.resolve(name)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    for at in range(0, len(batched), 100):
        matcher.resolve_many(batched[at : at + 100])
    per_name = (time.perf_counter() - started) / len(batched)
    times.sort()
    return {
        "mean": statistics.mean(times) * 1000,
        "p50": times[len(times) // 2] * 1000,
        "p95": times[int(len(times) * 0.95)] * 1000,
        "batched": per_name * 1000,
    }


def compare(redis_matcher: Matcher, embedded: Matcher, names: list[str]) -> list[dict[str, float]]:
    """Both stores, fairly: the scoring caches are shared by the process, so both first
    resolve the same warm-up names, then each its own, unseen names."""
    fifth = len(names) // 5
    warm = names[:fifth]
    for matcher in (redis_matcher, embedded):
        matcher.resolve_many(warm)
    sets = [names[fifth * n : fifth * (n + 1)] for n in range(1, 5)]
    return [latency(redis_matcher, *sets[:2]), latency(embedded, *sets[2:])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("entities", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--baseline", action="store_true", help="also measure plain MSET")
    parser.add_argument("--untuned", action="store_true", help="also load with listpack 64")
    parser.add_argument("--table", type=Path, help="an alias file instead of synthetic data")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="load processes")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="normalizer-bench-") as temp:
        folder = Path(temp)
        table_path = args.table or folder / "synthetic.jsonl"
        if not args.table:
            with table_path.open("w", encoding="utf-8") as out:
                for record in entities(args.entities, args.seed):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{table_path}: {table_path.stat().st_size / 1e6:.1f} MB")

        with redis_server(folder) as url:
            tuned = load_into(url, table_path, tune=True, jobs=args.jobs)
            single = load_into(url, table_path, tune=True, jobs=1) if args.baseline else None
            untuned = (
                load_into(url, table_path, tune=False, jobs=args.jobs) if args.untuned else None
            )
            # The embedded store, and the plain-keys baseline, need the table in this process.
            table, in_process = timed(
                "validate and compile in this process", lambda: build_table(table_path)
            )
            aliases, keys = table.meta.aliases, len(table.entries)
            plain, plain_seconds = baseline(url, table) if args.baseline else (None, 0.0)
            load_into(url, table_path, tune=True, jobs=args.jobs)  # the table the workers read
            ready, ready_seconds = timed(
                "worker ready (app factory on the loaded Redis)",
                lambda: create_app({"REDIS_URL": url, "ALIASES": str(table_path)}),
            )
            names = queries(table_path, 5 * args.queries, args.seed)
            embedded = MemoryStore()
            embedded.publish(table)
            redis_latency, memory_latency = compare(
                ready.extensions["normalizer"].matcher, Matcher(embedded), names
            )
            ready.extensions["normalizer"].store.close()

    print(f"\n## {table.meta.entities} entities: {aliases} aliases, {keys} keys\n")
    print("| `normalizer load` | validate | compile | write | total |")
    print("|---|--:|--:|--:|--:|")
    jobs = int(tuned["jobs"])
    for name, run in ((f"{jobs} process{'es' * (jobs > 1)}", tuned), ("one process", single)):
        if run:
            total = run["validate"] + run["compile"] + run["write"]
            print(
                f"| {name} | {run['validate']:.1f} s | {run['compile']:.1f} s "
                f"| {run['write']:.1f} s | {total:.1f} s |"
            )
    if single:
        ratio = tuned["load"] / single["load"]
        print(f"\nthe load in {jobs} process{'es' * (jobs > 1)} takes {ratio:.2f} of one process's")
    if plain:
        print(
            f"baseline: the compiled values MSET as plain keys from one process, "
            f"{plain_seconds:.1f} s (reading and compiling not included)"
        )
    print(f"validated and compiled in this process (for the embedded store): {in_process:.1f} s")
    print(f"buckets: {tuned['buckets']:.0f}, values {tuned['payload'] / 1e6:.1f} MB")
    rows = [("buckets of listpack hashes (tuned)", tuned["bytes"])]
    if untuned:
        rows.append(("same, hash-max-listpack-value 64", untuned["bytes"]))
    if plain:
        rows.append(("plain string keys (MSET)", plain))
    print("\n| layout | used_memory | B/alias | B/key | vs plain |\n|---|--:|--:|--:|--:|")
    for name, used in rows:
        vs = f"{used / plain:.2f}" if plain else "-"
        print(f"| {name} | {used / 1e6:.1f} MB | {used / aliases:.0f} | {used / keys:.1f} | {vs} |")
    print(f"\nworker ready: {ready_seconds:.2f} s")
    print("\n| store | mean ms | p50 | p95 | batched (100) ms/name |\n|---|--:|--:|--:|--:|")
    for name, numbers in (("Redis", redis_latency), ("embedded", memory_latency)):
        print(
            f"| {name} | {numbers['mean']:.1f} | {numbers['p50']:.1f} | "
            f"{numbers['p95']:.1f} | {numbers['batched']:.1f} |"
        )


if __name__ == "__main__":
    main()
