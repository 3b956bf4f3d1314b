"""The production server's worker model against gunicorn's sync workers, same run.

    python bench/worker_model.py [--seconds 10] [--connections 16] [--slow 8] [--rounds 3]

Starts the server twice on the vendored dev gallery (embedded store, 2 workers): as
``normalizer serve`` runs it (the default: threaded workers with a read deadline), and
with gunicorn's sync workers and otherwise the same options (the previous release's
model). Both run at once, measured by turns for ``--rounds``: wrk's requests per second and latency
on /healthz and on GET /v1/resolve over 300 rotating dev queries; then the latency of 20
lookups made one after another while ``--slow`` connections hold a request head half
sent; last the median rates and their ratio. Needs ``wrk``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from servers import free_port, rotating_script, running, serve_argv, shown, wrk

DEV = Path(__file__).parent / "data" / "dev"


@contextmanager
def server(model: str, logs: Path) -> Iterator[str]:
    port = free_port()
    argv = serve_argv(port)
    if model == "sync":
        # What `normalizer serve` runs, with the sync worker in place of ours.
        argv = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
        argv += ["--workers", "2", "--worker-class", "sync", "--timeout", "30"]
        argv += ["--access-logfile", "-", "--preload", "normalizer.web:create_app()"]
    env = {"NORMALIZER_ALIASES": str(DEV / "gallery.jsonl")}
    with running(argv, env, logs, model, port) as base:
        yield base


def with_slow_clients(base: str, slow: int) -> str:
    """Median and worst latency of 20 lookups while ``slow`` heads are half sent."""
    port = int(base.rsplit(":", 1)[1])
    holders = []
    for _ in range(slow):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n")
        holders.append(sock)
    times = []
    try:
        for _ in range(20):
            started = time.perf_counter()
            try:
                urllib.request.urlopen(base + "/v1/resolve?name=CJNG", timeout=60).read()  # noqa: S310
            except OSError:
                times.append(60.0)
                continue
            times.append(time.perf_counter() - started)
    finally:
        for sock in holders:
            sock.close()
    return f"median {statistics.median(times) * 1000:8.1f} ms  worst {max(times) * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--slow", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    queries = [json.loads(line)["query"] for line in (DEV / "queries.jsonl").open()][:300]
    paths = ["/v1/resolve?" + urllib.parse.urlencode({"name": q}) for q in queries]
    labels = {"sync": "gunicorn sync", "serve": "normalizer serve"}
    rates: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch, contextlib.ExitStack() as servers:
        script = rotating_script(paths, Path(scratch))
        bases = {model: servers.enter_context(server(model, Path(scratch))) for model in labels}
        for base in bases.values():
            wrk(base + "/", 2, args.connections, script)  # warm up
        print(f"wrk -t2 -c{args.connections} -d{args.seconds}s; 2 workers each; dev gallery")
        # By turns, so that the machine's changing speed falls on both alike.
        for round_ in range(1, args.rounds + 1):
            for model, base in bases.items():
                for path, lua in (("/healthz", None), ("/v1/resolve", script)):
                    figures = wrk(
                        base + ("/healthz" if lua is None else "/"),
                        args.seconds,
                        args.connections,
                        lua,
                    )
                    rates.setdefault((model, path), []).append(float(figures["rate"]))
                    print(f"round {round_}  {labels[model]:17} {path:12} {shown(figures)}")
        for model, base in bases.items():
            print(
                f"{labels[model]:17} {args.slow} slow clients: {with_slow_clients(base, args.slow)}"
            )
    for path in ("/healthz", "/v1/resolve"):
        sync = statistics.median(rates[("sync", path)])
        serve = statistics.median(rates[("serve", path)])
        print(
            f"median {path:12} sync {sync:7.0f}  serve {serve:7.0f} req/s"
            f"  serve/sync {serve / sync:.2f}"
        )


if __name__ == "__main__":
    main()
