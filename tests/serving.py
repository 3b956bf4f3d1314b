"""``normalizer serve`` as a real process for a test: started, awaited, always stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

BIN_DIR = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def exchange(base: str, data: bytes, timeout: float) -> bytes:
    """Bytes sent as they are on a fresh connection to ``base``; the whole answer, read
    until the server closes."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a local URL)
            return bool(response.status == 200)
    except (OSError, ValueError):
        return False


@contextmanager
def serving(
    aliases: Path,
    logs: Path,
    *,
    workers: int,
    env: Mapping[str, str],
    ready: str = "/healthz",
    timeout: float = 30.0,
) -> Iterator[str]:
    """Run the server with ``env`` (no NORMALIZER_* of the caller's shell); yield its base
    URL once ``ready`` answers 200. Its output goes to ``logs``/stdout.log and stderr.log."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NORMALIZER_")}
    environment.update(env)
    argv = [str(BIN_DIR / "normalizer"), "serve", "--aliases", str(aliases)]
    argv += ["--port", str(port), "--workers", str(workers)]
    base = f"http://127.0.0.1:{port}"
    with (logs / "stdout.log").open("wb") as out, (logs / "stderr.log").open("wb") as err:
        process = subprocess.Popen(argv, env=environment, cwd=logs, stdout=out, stderr=err)
        try:
            deadline = time.monotonic() + timeout
            while not answers(base + ready):
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (logs / "stderr.log").read_text(errors="replace")
                    pytest.fail(f"serve did not come up (exit {process.poll()}):\n{log}")
                time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
