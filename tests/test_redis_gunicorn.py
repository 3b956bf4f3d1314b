"""Production shape: ``normalizer serve --workers 4`` (gunicorn) on Redis. Every worker
answers from a newly loaded table within one second of the switch, without a restart.

Which worker answered comes from gunicorn's access log (``%(p)s``, the worker's pid; off in
``normalizer serve``, turned on here), each request carrying a probe number; the answer's
entity id tells which table it came from.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.request
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from serving import serving

from normalizer.service import build_table
from normalizer.store.redis import RedisStore, connect

pytest_plugins = ["redis_fixtures"]

WORKERS = 4
BOOT_TIMEOUT = 30.0
NAME = "Marisol Quintana Arévalo"
CLIENTS = 8


def write_table(path: Path, side: str) -> Path:
    names = [NAME, "Tomasz Wierzbicki", "Kestrel Shipping Company Limited"]
    lines = [
        json.dumps({"id": f"{side}-{n}", "name": name, "type": "person"}, ensure_ascii=False)
        for n, name in enumerate(names)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def serving_redis(redis_url: str, aliases: Path, logs: Path) -> AbstractContextManager[str]:
    """``normalizer serve --workers 4`` on Redis, up once /readyz answers."""
    env = {k: "" for k in os.environ if k.startswith("REDIS_")}
    env.update(
        REDIS_URL=redis_url, GUNICORN_CMD_ARGS="--access-logfile=- --access-logformat='%(p)s %(q)s'"
    )
    return serving(aliases, logs, workers=WORKERS, env=env, ready="/readyz", timeout=BOOT_TIMEOUT)


class Prober:
    """Clients resolving NAME in a loop; each answer is (probe, sent at, table side)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.answers: list[tuple[int, float, str]] = []
        self._next = 0
        self._lock = threading.Lock()

    def probe(self) -> None:
        with self._lock:
            self._next += 1
            probe = self._next
        query = urllib.parse.urlencode({"name": NAME, "probe": probe})
        sent = time.monotonic()
        with urllib.request.urlopen(f"{self.base}/v1/resolve?{query}", timeout=5) as response:  # noqa: S310
            side = json.load(response)["match"]["id"].split("-")[0]
        with self._lock:
            self.answers.append((probe, sent, side))

    def run(self, seconds: float) -> None:
        stop = time.monotonic() + seconds

        def loop() -> None:
            while time.monotonic() < stop:
                self.probe()

        threads = [threading.Thread(target=loop) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 30)


def workers_of(logs: Path) -> dict[int, int]:
    """probe -> pid of the worker that answered it, from the access log."""
    found: dict[int, int] = {}
    for line in (logs / "stdout.log").read_text(errors="replace").splitlines():
        if match := re.match(r"<?(\d+)>? .*probe=(\d+)", line):
            found[int(match[2])] = int(match[1])
    return found


def test_four_workers_follow_a_new_table_within_a_second(own_redis: Any, tmp_path: Path) -> None:
    table_a = write_table(tmp_path / "a.jsonl", "a")
    table_b = write_table(tmp_path / "b.jsonl", "b")
    store = RedisStore(connect(own_redis.url), "normalizer")
    try:
        store.publish(build_table(table_a))
        with serving_redis(own_redis.url, table_a, tmp_path) as base:
            prober = Prober(base)
            deadline = time.monotonic() + BOOT_TIMEOUT
            while len(set(workers_of(tmp_path).values())) < WORKERS:
                assert time.monotonic() < deadline, "not every worker answered"
                prober.run(0.3)
            assert {side for _, _, side in prober.answers} == {"a"}

            store.publish(build_table(table_b))
            switched = time.monotonic()
            prober.answers.clear()
            # Resolve until every worker has answered at least once more than a second
            # after the switch; all such answers must come from the new table.
            late: dict[int, str] = {}
            while len(late) < WORKERS:
                assert time.monotonic() < switched + BOOT_TIMEOUT, f"workers seen: {late}"
                prober.run(0.5)
                pids = workers_of(tmp_path)
                for probe, sent, side in prober.answers:
                    if sent > switched + 1.0:
                        assert side == "b", f"worker {pids.get(probe)} answered from the old table"
                        if probe in pids:  # else its log line is not written yet
                            late[pids[probe]] = side
    finally:
        store.close()
