"""Loads of a compiled table (``store.redis.load``): from forked writers for a big table,
the same as from one process; an error in one writer fails the load cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis_tables import PEOPLE, PREFIX, registered, table_of

from normalizer.exc import NotReady
from normalizer.match.matcher import Matcher
from normalizer.store.memory import MemoryStore
from normalizer.store.redis import RedisStore, load, write

pytest_plugins = ["redis_fixtures"]


def test_a_load_in_processes_equals_one_in_process(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``normalizer load`` writes big tables from forked processes, a share of the buckets
    each: every key reads back as from a load in one process, and as the embedded store."""
    monkeypatch.setattr(load, "PARALLEL_FROM", 0)
    table = table_of(tmp_path, "a", extra=200)
    progress: list[tuple[str, int, int]] = []
    reports = [store.load(table, jobs=1), store.load(table, lambda *p: progress.append(p), 3)]
    assert [report.jobs for report in reports] == [1, 3]
    assert reports[0].payload_bytes == reports[1].payload_bytes
    assert reports[0].entries == reports[1].entries == len(table.entries)
    # Progress is summed over the writers, up to the whole table.
    assert ("written", len(table.entries), len(table.entries)) in progress
    view = store.view()
    assert view.meta.version == reports[1].version
    assert view.get_many(list(table.entries)) == list(table.entries.values())
    client = store.client
    buckets = [k for k in client.scan_iter(f"{PREFIX}:{view.meta.version}:*") if b"bloom" not in k]
    assert len(buckets) == reports[1].buckets
    embedded = MemoryStore()
    embedded.publish(table)
    for name in PEOPLE:
        assert Matcher(store).resolve(name) == Matcher(embedded).resolve(name)


def test_an_error_in_a_load_process_fails_the_load_cleanly(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = store.publish(table_of(tmp_path, "a"))
    monkeypatch.setattr(load, "PARALLEL_FROM", 0)
    send = write.ShareWriter._send

    def refused(writer: write.ShareWriter, *args: object) -> int:
        if writer.part == 1:
            raise NotReady("Redis refused the command: OOM")
        return send(writer, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(write.ShareWriter, "_send", refused)
    with pytest.raises(NotReady, match="OOM"):
        store.load(table_of(tmp_path, "b", extra=50), jobs=2)
    assert store.view().meta.version == old
    client = store.client
    assert registered(client) == {old}
    dead = [
        k for k in client.scan_iter(f"{PREFIX}:*") if not k.decode().startswith(f"{PREFIX}:{old}")
    ]
    assert all(client.ttl(key) > 0 or client.ttl(key) == -2 for key in dead)
