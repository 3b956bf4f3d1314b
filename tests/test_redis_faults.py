"""Faults, on a redis-server of each test's own: killed, frozen, restarted empty.

Lookups answer 503 problem JSON with Retry-After within the configured timeout (never a
500, never a hang), answer again when Redis is back, and an empty Redis gets its table
back by itself, loaded once by one worker. (For up to ``REDIS_REFRESH`` seconds after
Redis goes, a lookup whose keys a worker has cached is still answered, from the version
that was in force: the tests wait until lookups fail.)

A 503 comes "within the timeout": the tests allow many times as much (a loaded machine is
slow), which still tells a timeout that works from a lookup that hangs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from normalizer.exc import NotReady
from normalizer.service import build_table
from normalizer.store.redis import RedisStore, connect
from normalizer.store.redis.breaker import Breaker
from normalizer.table.compiler import CompiledTable
from normalizer.web.app import create_app

pytest_plugins = ["redis_fixtures"]

PREFIX = "test"
TIMEOUT = 0.5
REFRESH = 0.2
# What a failing lookup may take here: many timeouts, not forever.
HANG = 10 * TIMEOUT
QUERY = {"name": "Kestrel Shipping Co. Ltd."}


@pytest.fixture
def app(own_redis: Any, alias_file: Path) -> Iterator[Flask]:
    config = {"TESTING": True, "ALIASES": str(alias_file), "REDIS_URL": own_redis.url}
    redis = {"REDIS_PREFIX": PREFIX, "REDIS_TIMEOUT": TIMEOUT, "REDIS_REFRESH": REFRESH}
    app = create_app({**config, **redis})
    yield app
    app.extensions["normalizer"].store.close()


def answers(client: FlaskClient) -> bool:
    response = client.get("/v1/resolve", query_string=QUERY)
    return response.status_code == 200 and response.get_json()["match"] is not None


def timed_503(client: FlaskClient) -> float:
    """The seconds a lookup takes to fail, after checking it failed as it should."""
    started = time.monotonic()
    response = client.get("/v1/resolve", query_string=QUERY)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["status"] == 503
    return elapsed


def versions(server: Any) -> set[bytes]:
    with server.client() as client:
        return set(client.hkeys(f"{{{PREFIX}}}:versions"))


def test_redis_killed_then_restarted_empty(
    app: Flask, own_redis: Any, wait_for: Callable[..., None]
) -> None:
    client = app.test_client()
    wait_for(lambda: answers(client), 10, "the table was not loaded at startup")
    (first,) = versions(own_redis)

    own_redis.stop()
    wait_for(lambda: not answers(client), 10, "lookups went on without Redis")
    for _ in range(3):
        assert timed_503(client) < HANG
    assert client.get("/readyz").status_code == 503

    own_redis.start()  # no persistence: it comes back empty
    wait_for(lambda: answers(client), 15, "the table did not come back by itself")
    (second,) = versions(own_redis)
    assert second != first
    assert client.get("/readyz").get_json()["version"] == second.decode()


def test_redis_frozen_then_thawed(
    app: Flask, own_redis: Any, wait_for: Callable[..., None]
) -> None:
    """A hung Redis (SIGSTOP) accepts connections but never answers: the timeout bounds
    the wait."""
    client = app.test_client()
    wait_for(lambda: answers(client), 10, "the table was not loaded at startup")
    own_redis.pause()
    try:
        wait_for(lambda: not answers(client), 10 * HANG, "lookups went on without Redis")
        for _ in range(3):
            assert timed_503(client) < HANG
        started = time.monotonic()
        assert client.get("/readyz").status_code == 503
        assert time.monotonic() - started < HANG
    finally:
        own_redis.resume()
    wait_for(lambda: answers(client), 5, "lookups did not recover after Redis came back")


def test_one_worker_reloads_an_empty_redis(
    own_redis: Any, alias_file: Path, wait_for: Callable[..., None]
) -> None:
    """Four workers find Redis empty at once: one compiles and loads the table, under the
    lock, while the others answer 503; then all answer from that one table."""
    compiled: list[int] = []
    refused = threading.Event()

    def slow_source() -> CompiledTable:
        compiled.append(1)
        # The compile lasts until every worker has been refused: none may start another.
        refused.wait(timeout=30)
        return build_table(alias_file)

    workers = [
        RedisStore(connect(own_redis.url, timeout=TIMEOUT), PREFIX, source=slow_source)
        for _ in range(4)
    ]
    try:
        refusals: list[str] = []
        barrier = threading.Barrier(len(workers))

        def look(store: RedisStore) -> None:
            barrier.wait()
            try:
                store.view()
            except NotReady as error:
                refusals.append(error.detail)

        threads = [threading.Thread(target=look, args=(store,)) for store in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert len(refusals) == 4
        refused.set()
        wait_for(lambda: all(store.ready() for store in workers), 30, "no table came back")
        assert compiled == [1]
        assert len(versions(own_redis)) == 1
        assert len({store.view().meta.version for store in workers}) == 1
    finally:
        for store in workers:
            store.close()


OTHER_TABLE = """\
- id: ottoline-brenner
  name: Ottoline Brenner
  type: person
"""


def test_an_emptied_redis_gets_back_only_the_table_it_lost(
    app: Flask, own_redis: Any, tmp_path: Path, wait_for: Callable[..., None]
) -> None:
    """A table loaded from other files (``normalizer load other.yml``) is lost when Redis
    restarts empty: the service does not put its own aliases in its place (another table,
    answering without a word), but stays 503 naming the lost version and the command that
    reloads it; once that command has run, it answers from it again."""
    client = app.test_client()
    wait_for(lambda: answers(client), 10, "the table was not loaded at startup")
    other = tmp_path / "other.yml"
    other.write_text(OTHER_TABLE, encoding="utf-8")
    loader = RedisStore(connect(own_redis.url), PREFIX)
    lost = loader.load_path(other).version
    loader.close()
    wait_for(lambda: client.get("/readyz").get_json().get("version") == lost, 10, "no switch")

    own_redis.stop()
    own_redis.start()  # empty

    def refusal() -> str:
        response = client.get("/v1/resolve", query_string={"name": "Ottoline Brenner"})
        assert response.status_code == 503, response.get_json()
        detail: str = response.get_json()["detail"]
        return detail if "not loaded in its place" in detail else ""

    wait_for(refusal, 30, "no refusal naming the lost table")
    detail = refusal()
    assert lost in detail and f"normalizer load {other.resolve()}" in detail
    with own_redis.client() as raw:
        assert not raw.exists(f"{{{PREFIX}}}:current")  # nothing was loaded in its place
    assert client.get("/readyz").status_code == 503

    reloader = RedisStore(connect(own_redis.url), PREFIX)
    reloader.load_path(other)
    reloader.close()
    wait_for(lambda: client.get("/readyz").status_code == 200, 10, "no answer after the reload")
    found = client.get("/v1/resolve", query_string={"name": "Ottoline Brenner"}).get_json()
    assert found["match"]["id"] == "ottoline-brenner"
    with own_redis.client() as raw:
        assert not raw.exists(f"{{{PREFIX}}}:lost")  # the note goes with the switch


def test_a_hung_redis_is_asked_once_then_lookups_fail_fast(
    own_redis: Any, alias_file: Path, wait_for: Callable[..., None]
) -> None:
    """Behind the first lookup that waits out the Redis timeout, the lookups queued meanwhile
    fail at once (a circuit breaker): they say so rather than each wait the timeout."""
    slow_timeout = 3.0
    config = {"TESTING": True, "ALIASES": str(alias_file), "REDIS_URL": own_redis.url}
    redis = {"REDIS_PREFIX": PREFIX, "REDIS_TIMEOUT": slow_timeout, "REDIS_REFRESH": 0.0}
    app = create_app({**config, **redis})
    try:
        client = app.test_client()
        wait_for(lambda: answers(client), 10, "the table was not loaded at startup")
        own_redis.pause()
        try:
            first = client.get("/v1/resolve", query_string=QUERY).get_json()["detail"]
            assert "Timeout" in first  # this one waited for Redis
            details: list[str] = []

            def look() -> None:
                response = client.get("/v1/resolve", query_string=QUERY)
                details.append(response.get_json()["detail"])

            threads = [threading.Thread(target=look) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=10 * slow_timeout)
            assert len(details) == 8
            # One of them may be the probe of the half-open breaker (if a second has
            # passed): the others are refused without asking Redis.
            fast = [detail for detail in details if "Redis is asked again in" in detail]
            assert len(fast) >= 7, details
        finally:
            own_redis.resume()
        wait_for(lambda: answers(client), 10, "lookups did not recover after Redis came back")
    finally:
        app.extensions["normalizer"].store.close()


def test_the_newest_version_a_worker_knew_is_the_one_restored(
    own_redis: Any, alias_file: Path, tmp_path: Path, wait_for: Callable[..., None]
) -> None:
    """A worker idle since the last load knows the version before it. When Redis loses
    the table and that worker notices first, the reload still waits for the others to
    note theirs, and restores the newest: here another table, which it refuses to replace
    with the service's own aliases."""
    other = tmp_path / "other.yml"
    other.write_text(OTHER_TABLE, encoding="utf-8")
    stale, fresh = (
        RedisStore(connect(own_redis.url), PREFIX, source=lambda: build_table(alias_file))
        for _ in range(2)
    )
    try:
        stale.load_path(alias_file)
        stale.view()
        stale.keeper.stop()  # idle, and its keeper has not run since
        newest = fresh.load_path(other).version
        fresh.reader.pin()
        own_redis.stop()
        own_redis.start()
        for store in (stale, fresh):  # the stale one notices first
            store.reader.breaker = Breaker()  # as if Redis had never failed
            with pytest.raises(NotReady):
                store.reader.pin()

        def refused() -> bool:
            with pytest.raises(NotReady) as caught:
                stale.reader.pin()
            return "not loaded in its place" in caught.value.detail

        wait_for(refused, 30, "no refusal")
        with pytest.raises(NotReady) as caught:
            stale.reader.pin()
        assert newest in caught.value.detail
        with own_redis.client() as raw:
            assert not raw.exists(f"{{{PREFIX}}}:current")
    finally:
        stale.close()
        fresh.close()
