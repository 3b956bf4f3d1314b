"""/reconcile on the Redis store (a real redis-server, Flask's test client): the workers
compile nothing, so batches, suggestions and previews read the table in Redis (suggest's
index from the alias files), and answer as the embedded store does; a reload by another
worker reaches the suggestions."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from normalizer.service import build_table
from normalizer.store.redis import RedisStore, connect
from normalizer.web.app import create_app

pytest_plugins = ["redis_fixtures"]

PREFIX = "recon"
HANG = 30.0  # seconds: only a hang waits this long
TOKEN = "s3cret-token-for-reconcile"
BATCH = {
    "q0": {"query": "Tomek Wierzbicki", "type": "person"},
    "q1": {"query": "Honduras", "properties": [{"pid": "country", "v": "HN"}]},
    "q2": {"query": "Quintana"},
}


@pytest.fixture
def aliases(alias_file: Path, tmp_path: Path) -> Path:
    """The conftest table, in a file of this test's own (one test edits it)."""
    copy = tmp_path / "aliases.yml"
    copy.write_text(alias_file.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


@pytest.fixture
def apps(redis_url: str, aliases: Path) -> Iterator[tuple[Flask, Flask]]:
    """An app on Redis (holding the conftest table) and one on the embedded store."""
    store = RedisStore(connect(redis_url), PREFIX)
    store.publish(build_table(aliases))
    store.close()
    config = {"TESTING": True, "ALIASES": str(aliases), "ADMIN_TOKEN": TOKEN}
    on_redis = create_app({**config, "REDIS_URL": redis_url, "REDIS_PREFIX": PREFIX})
    yield on_redis, create_app(config)
    on_redis.extensions["normalizer"].store.close()


def answers(app: Flask) -> list[Any]:
    client = app.test_client()
    batch = client.post("/reconcile", data={"queries": json.dumps(BATCH)})
    suggested = client.get("/reconcile/suggest/entity", query_string={"prefix": "tomek"})
    preview = client.get("/reconcile/preview", query_string={"id": "tomasz-wierzbicki"})
    assert batch.status_code == suggested.status_code == preview.status_code == 200
    return [batch.get_json(), suggested.get_json(), preview.get_data(as_text=True)]


def test_reconcile_on_redis_answers_as_the_embedded_store(apps: tuple[Flask, Flask]) -> None:
    on_redis, embedded = apps
    found = answers(on_redis)
    assert found == answers(embedded)
    batch, suggested, preview = found
    assert batch["q0"]["result"][0]["id"] == "tomasz-wierzbicki"
    assert batch["q0"]["result"][0]["match"] is True
    assert [e["id"] for e in suggested["result"]] == ["tomasz-wierzbicki"]
    assert "<h1>Tomasz Wierzbicki</h1>" in preview


def test_a_reload_reaches_the_suggestions(
    apps: tuple[Flask, Flask], redis_url: str, aliases: Path
) -> None:
    on_redis, _ = apps
    client = on_redis.test_client()
    assert client.get("/reconcile/suggest/entity?prefix=Zbyszek").get_json() == {"result": []}
    # Another worker, on the same files (edited), reloads the table in Redis.
    text = aliases.read_text(encoding="utf-8")
    known = "    - Tomek Wierzbicki\n"
    assert known in text
    aliases.write_text(text.replace(known, known + "    - Zbyszek Wierzbicki\n"), "utf-8")
    other = create_app(
        {
            "TESTING": True,
            "ALIASES": str(aliases),
            "REDIS_URL": redis_url,
            "REDIS_PREFIX": PREFIX,
            "ADMIN_TOKEN": TOKEN,
        }
    )
    try:
        reloaded = other.test_client().post(
            "/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert reloaded.status_code == 200, reloaded.get_json()
    finally:
        other.extensions["normalizer"].store.close()
    # This worker sees the new version once it next reads the version pointer.
    version = reloaded.get_json()["version"]
    deadline = time.monotonic() + HANG
    while client.get("/readyz").get_json()["version"] != version:
        assert time.monotonic() < deadline, "the worker never saw the reload"
        time.sleep(0.05)
    found = client.get("/reconcile/suggest/entity?prefix=Zbyszek").get_json()
    assert [e["id"] for e in found["result"]] == ["tomasz-wierzbicki"]
