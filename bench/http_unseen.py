"""Lookups of names never seen before, over HTTP, against /healthz of the same server.

    python bench/http_unseen.py [--gallery FILE] [--redis] [--seconds 20] [--connections 16]

Starts the production server (``normalizer serve`` with its defaults) on the gallery (the
vendored dev gallery by default; ``--redis`` loads it into a redis-server of the script's
own and serves from there), then by turns: wrk on /healthz, and wrk on GET /v1/resolve
over names one edit from a gallery name (``unseen``), more of them than wrk sends, so no
name repeats and no cache helps. Prints requests per second and latency of each, and the
ratio of resolve to healthz: the issue's target is >= 0.5 with p99 <= 25 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

from servers import free_port, rotating_script, running, serve_argv, shown, wrk
from unseen import gallery_names, unseen

DEV_GALLERY = Path(__file__).parent / "data" / "dev" / "gallery.jsonl"
NAMES_PER_SECOND = 3000  # more than the server answers: no name is sent twice


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    port = free_port()
    argv = ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*argv, "--dir", str(folder)], stdout=subprocess.DEVNULL)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gallery", type=Path, default=DEV_GALLERY)
    parser.add_argument("--redis", action="store_true")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    entities = [json.loads(line) for line in args.gallery.open(encoding="utf-8")]
    count = NAMES_PER_SECOND * args.seconds * args.rounds
    names = [name for name, _ in unseen(gallery_names(entities), count)]
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
        base = stack.enter_context(running(serve_argv(port), env, folder, "serve", port))
        store = "Redis" if args.redis else "the embedded store"
        print(
            f"normalizer serve (defaults) on {args.gallery.name}, {store}; wrk -t2 "
            f"-c{args.connections} -d{args.seconds}s; {len(names)} distinct unseen names"
        )
        health, resolve = [], []
        for round_ in range(args.rounds):
            share = names[round_ :: args.rounds]
            paths = ["/v1/resolve?" + urllib.parse.urlencode({"name": n}) for n in share]
            script = rotating_script(paths, folder)
            healthz = wrk(base + "/healthz", args.seconds, args.connections)
            looked_up = wrk(base + "/", args.seconds, args.connections, script)
            assert int(looked_up["requests"]) <= len(paths), (
                "names repeated: raise NAMES_PER_SECOND"
            )
            health.append(float(healthz["rate"]))
            resolve.append(float(looked_up["rate"]))
            print(f"round {round_ + 1}  /healthz     {shown(healthz)}")
            print(f"round {round_ + 1}  /v1/resolve  {shown(looked_up)}")
        ratio = statistics.median(r / h for r, h in zip(resolve, health, strict=True))
        print(f"median ratio resolve/healthz {ratio:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
