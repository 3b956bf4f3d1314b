"""Version envelopes (``store.redis.version``): a reader refuses a table it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalizer.exc import NotReady
from normalizer.service import build_table
from normalizer.store.redis import RedisStore, layout

pytest_plugins = ["redis_fixtures"]


def _edit_envelope(store: RedisStore, version: str, key: str, value: object) -> None:
    raw = store.client.hget(store.keys.versions, version)
    assert isinstance(raw, bytes)
    envelope = json.loads(raw)
    envelope[key] = value
    store.client.hset(store.keys.versions, version, json.dumps(envelope))


def test_the_envelope_describes_the_version(store: RedisStore, alias_file: Path) -> None:
    table = build_table(alias_file)
    version = store.publish(table)
    raw = store.client.hget(store.keys.versions, version)
    assert isinstance(raw, bytes)
    envelope = json.loads(raw)
    assert envelope["layout"] == layout.LAYOUT and envelope["version"] == version
    assert envelope["entries"] == len(table.entries)
    assert envelope["meta"]["entities"] == table.meta.entities
    assert set(envelope["schema"]["namespaces"]) >= {"r", "e", "t", "s"}


def test_a_table_from_other_code_is_refused(store: RedisStore, alias_file: Path) -> None:
    """Record fields changed since the table was loaded: 503 until it is reloaded."""
    version = store.publish(build_table(alias_file))
    raw = store.client.hget(store.keys.versions, version)
    assert isinstance(raw, bytes)
    schema = json.loads(raw)["schema"]
    schema["fields"]["Postings"].append("weight")
    _edit_envelope(store, version, "schema", schema)
    fresh = RedisStore(store.client, store.keys.prefix)
    with pytest.raises(NotReady, match="reload the table"):
        fresh.view()
    assert not fresh.ready()


def test_a_table_of_another_layout_is_refused(store: RedisStore, alias_file: Path) -> None:
    version = store.publish(build_table(alias_file))
    _edit_envelope(store, version, "layout", layout.LAYOUT - 1)
    with pytest.raises(NotReady, match="reload the table with this release"):
        RedisStore(store.client, store.keys.prefix).view()
