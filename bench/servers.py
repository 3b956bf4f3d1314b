"""Servers a benchmark starts, and wrk to load them.

``running`` starts a server process (``normalizer serve`` with its defaults unless told
otherwise) on a free port with the environment given (none of the caller's NORMALIZER_*
variables), waits for /readyz, and stops it at the end. ``wrk`` runs the load generator,
optionally over a rotating list of request paths, and returns its figures.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent
START_SECONDS = 300  # a big table compiles before the embedded server answers
ROTATING = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def serve_argv(port: int) -> list[str]:
    """The production server with its defaults, on ``port``."""
    return [str(BIN / "normalizer"), "serve", "--port", str(port)]


@contextmanager
def running(
    argv: Sequence[str], env: Mapping[str, str], logs: Path, name: str, port: int
) -> Iterator[str]:
    """Run ``argv`` (a server on ``port``) until the block ends; its base URL."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NORMALIZER_")}
    environment.update(env)
    base = f"http://127.0.0.1:{port}"
    with (logs / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(list(argv), env=environment, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + START_SECONDS
            while not answers(base + "/readyz"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{name} did not start; see {logs / f'{name}.log'}")
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=60)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return bool(response.status == 200)
    except OSError:
        return False


def rotating_script(paths: Sequence[str], folder: Path) -> Path:
    """A wrk script that requests ``paths`` in turn."""
    script = folder / "rotate.lua"
    script.write_text(ROTATING % ", ".join(json.dumps(path) for path in paths))
    return script


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict[str, str]:
    """wrk's requests per second, median and p99 latency, and non-2xx answers."""
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script is not None:
        argv += ["-s", str(script)]
    out = subprocess.run(argv + [url], capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = re.search(r"(\d+) requests in", out)
    assert rate and p50 and p99 and requests, out
    return {
        "rate": rate.group(1),
        "p50": p50.group(1),
        "p99": p99.group(1),
        "non-2xx": errors.group(1) if errors else "0",
        "requests": requests.group(1),
    }


def shown(figures: Mapping[str, str]) -> str:
    return (
        f"{float(figures['rate']):7.0f} req/s  p50 {figures['p50']:>8}  p99 {figures['p99']:>8}"
        f"  non-2xx {figures['non-2xx']}"
    )
