"""A bounded load test on loopback: 64 connections against ``normalizer serve`` (its
defaults) on a throwaway Redis, while the table is replaced twice, once by ``normalizer
load`` and once by the admin reload. No answer may be a 5xx or an error, and each must come
from one of the two tables, whole: the probe names one entity in each, and a batch's
answers agree on which table they came from.

It runs with the rest of the suite (``.ci/run``, where Redis is required); it takes some
10-20 s, and gives up after LOAD_SECONDS.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from serving import BIN_DIR, serving

pytest_plugins = ["redis_fixtures"]

CONNECTIONS = 64
LOAD_SECONDS = 60.0  # the whole test, at most
TOKEN = "load-test-token"
PROBE = "Ottoline Brenner"
# Two tables whose answer to the probe differs: the entity, and a name beside it.
TABLE_A = """\
- id: ottoline-brenner
  name: Ottoline Brenner
  type: person
  aliases: [O. Brenner]
- id: puerto-lempira
  name: Puerto Lempira
  type: location
"""
TABLE_B = """\
- id: ottoline-brenner-vasquez
  name: Ottoline Brenner Vásquez
  type: person
  aliases: [Ottoline Brenner]
- id: puerto-lempira-port
  name: Port of Puerto Lempira
  type: location
  aliases: [Puerto Lempira]
"""
ANSWERS = {
    "A": ("ottoline-brenner", "puerto-lempira"),
    "B": ("ottoline-brenner-vasquez", "puerto-lempira-port"),
}
PAIRS: dict[tuple[str, ...], str] = {answers: table for table, answers in ANSWERS.items()}
PROBES: dict[tuple[str, ...], str] = {answers[:1]: table for table, answers in ANSWERS.items()}
BATCH = json.dumps({"names": [PROBE, "Puerto Lempira"], "limit": 1}).encode()
GET = "/v1/resolve?" + urllib.parse.urlencode({"name": PROBE, "limit": 1})


def table(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "table.yml").write_text(text, encoding="utf-8")
    return folder


class Load:
    """CONNECTIONS clients, each on its own keep-alive connection, a GET and a batch POST
    in turn; every answer is tallied by the table it came from, or kept as a failure."""

    def __init__(self, base: str) -> None:
        self.host, port = urllib.parse.urlsplit(base).netloc.split(":")
        self.port = int(port)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.seen: Counter[str] = Counter()
        self.timeline: list[str] = []  # tables in the order answers arrived
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self.client) for _ in range(CONNECTIONS)]

    def client(self) -> None:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=LOAD_SECONDS)
        try:
            while not self.stop.is_set():
                self.ask(connection, "GET", GET, None)
                self.ask(connection, "POST", "/v1/resolve", BATCH)
        except Exception as error:  # noqa: BLE001 (any error fails the test, with its kind)
            with self.lock:
                self.failures.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    def ask(
        self, connection: http.client.HTTPConnection, method: str, path: str, body: Any
    ) -> None:
        headers = {"Content-Type": "application/json"} if body else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        if response.status != 200:
            failure = f"{method} {response.status}: {data[:200]!r}"
        else:
            document = json.loads(data)
            results = document["results"] if method == "POST" else [document]
            ids = tuple(str(r["match"]["id"]) if r["match"] else "" for r in results)
            # A GET names the probe; a batch the probe and the place, both of one table.
            found = (PAIRS if method == "POST" else PROBES).get(ids)
            failure = "" if found else f"{method}: answers of no one table: {ids}"
        with self.lock:
            if failure:
                self.failures.append(failure)
            else:
                assert found is not None
                self.seen[found] += 1
                self.timeline.append(found)

    def answered(self) -> int:
        with self.lock:
            return len(self.timeline)

    def only(self, name: str, since: int, last: int = 500) -> bool:
        """Whether the last ``last`` answers, all after the ``since``-th, are table ``name``'s:
        every worker has switched (answers in flight at the switch may be the old table's)."""
        with self.lock:
            recent = self.timeline[max(since, len(self.timeline) - last) :]
            return len(recent) == last and set(recent) == {name}

    def __str__(self) -> str:
        with self.lock:
            return f"{dict(self.seen)}, failures: {len(self.failures)} {self.failures[:3]}"


def wait(check: Callable[[], bool], deadline: float, what: Callable[[], str]) -> None:
    while not check():
        assert time.monotonic() < deadline, f"{what()} before the test's time ran out"
        time.sleep(0.05)


def test_two_table_switches_under_64_connections(own_redis: Any, tmp_path: Path) -> None:
    deadline = time.monotonic() + LOAD_SECONDS
    first, second = table(tmp_path / "a", TABLE_A), table(tmp_path / "b", TABLE_B)
    env = {k: "" for k in os.environ if k.startswith("REDIS_")}
    env.update(REDIS_URL=own_redis.url, NORMALIZER_ADMIN_TOKEN=TOKEN)

    def normalizer_load(path: Path) -> None:
        argv = [str(BIN_DIR / "normalizer"), "load", str(path), "--allow-silencing"]
        done = subprocess.run(
            argv, env={**os.environ, **env}, capture_output=True, text=True, timeout=LOAD_SECONDS
        )
        assert done.returncode == 0, done.stderr

    normalizer_load(first)
    with serving(first, tmp_path, workers=2, env=env, ready="/readyz") as base:
        load = Load(base)
        for thread in load.threads:
            thread.start()
        try:
            wait(lambda: load.only("A", 0), deadline, lambda: f"no 500 answers: {load}")
            # Switch 1: another table, loaded into Redis by the CLI.
            normalizer_load(second)
            switched = load.answered()
            wait(lambda: load.only("B", switched), deadline, lambda: f"not all on the load: {load}")
            # Switch 2: the admin reload puts the service's own table (A) back.
            reloaded = admin_reload(base)
            assert reloaded["entities"] == 2
            switched = load.answered()
            wait(
                lambda: load.only("A", switched), deadline, lambda: f"not all on the reload: {load}"
            )
        finally:
            load.stop.set()
            for thread in load.threads:
                thread.join(timeout=LOAD_SECONDS)
    print(f"answers by table: {load}")  # the figures, with pytest -s
    assert load.failures == []
    assert load.seen["A"] >= 1000 and load.seen["B"] >= 500, load.seen
    assert not any(thread.is_alive() for thread in load.threads)


def admin_reload(base: str) -> dict[str, Any]:
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=LOAD_SECONDS)
    try:
        connection.request("POST", "/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
        response = connection.getresponse()
        body: dict[str, Any] = json.loads(response.read())
        assert response.status == 200, body
        return body
    finally:
        connection.close()
