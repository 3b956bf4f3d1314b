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
