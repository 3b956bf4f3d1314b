"""Big alias files read, compiled and written by several processes (``store.redis.shards``
and ``shard_worker``): the table equals the one compiled whole, problems are reported as
one process would, and a failing worker fails the load cleanly."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from redis_tables import PREFIX, registered, shared_names_table, table_of

from normalizer.aliases import load_path
from normalizer.exc import AliasTableError
from normalizer.match.matcher import Matcher
from normalizer.store.memory import MemoryStore
from normalizer.store.redis import RedisStore, load
from normalizer.table import shard
from normalizer.table.compiler import compile_table
from normalizer.table.records import Postings

pytest_plugins = ["redis_fixtures"]


@pytest.mark.parametrize("max_postings", [shard.MAX_POSTINGS, 2])
def test_a_load_in_processes_equals_the_table_compiled_whole(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_postings: int
) -> None:
    """``normalizer load --jobs N`` reads, validates and compiles runs of the files in N
    processes and merges their keys in Redis: every key reads back as ``compile_table``
    makes it of ``load_path``'s entities (postings capped at 2 too: the shards' postings
    are then cut when merged)."""
    monkeypatch.setattr(load, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(shard, "MAX_POSTINGS", max_postings)
    path = shared_names_table(tmp_path)
    whole = compile_table(load_path(path))
    capped = [v for v in whole.entries.values() if isinstance(v, Postings) and v.size > 2]
    assert capped and all(len(p.ids) == min(p.size, max_postings) for p in capped)
    report = store.load_path(path, jobs=4)
    assert report.jobs == 4
    assert (report.entries, report.aliases) == (len(whole.entries), whole.meta.aliases)
    view = store.view()
    source = str(path.resolve())  # a load records where the table came from
    assert view.meta == dataclasses.replace(whole.meta, version=report.version, source=source)
    assert view.get_many(list(whole.entries)) == list(whole.entries.values())
    assert report.version.startswith(whole.meta.version[:12])  # the same fingerprint
    client = store.client
    fields = sum(client.hlen(k) for k in client.scan_iter(f"{PREFIX}:{report.version}:*[0-9]"))
    assert fields == len(whole.entries)  # no key written twice, none missing
    embedded = MemoryStore()
    embedded.publish(whole)
    for name in ("Abu Muhammad", "Ana Mendoza", "Kestrel Shipping", "KSC", "Mendoza"):
        assert Matcher(store).resolve(name) == Matcher(embedded).resolve(name)


def test_runs_report_problems_as_one_table_would(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An id that two runs define, and a bad line in a run, are reported with their files
    and lines; nothing is loaded and the old table stays."""
    old = store.publish(table_of(tmp_path, "a"))
    monkeypatch.setattr(load, "PARALLEL_FROM_BYTES", 0)
    path = shared_names_table(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[10] = lines[0].replace('"Ana Mendoza"', '"Ana Mendoza Vidal"')  # id p-0 again
    lines[5] = "{not json"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(AliasTableError) as raised:
        store.load_path(path, jobs=3)
    assert [(p.line, p.message.split(":")[0]) for p in raised.value.problems] == [
        (6, "malformed JSON"),
        (11, "duplicate id, first defined at " + str(path)),
    ]
    assert raised.value.problems[1].message.endswith(f"{path}:1")
    assert store.view().meta.version == old
    assert registered(store.client) == {old}


def test_a_failing_worker_fails_the_load_cleanly(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = store.publish(table_of(tmp_path, "a"))
    monkeypatch.setattr(load, "PARALLEL_FROM_BYTES", 0)
    real = shard.Shard.postings

    def broken(piece: shard.Shard) -> dict[str, shard.Partial]:
        if piece.entity_ids[0] != "p-0":  # every shard but the first
            raise ValueError("this shard cannot be compiled")
        return real(piece)

    monkeypatch.setattr(shard.Shard, "postings", broken)
    with pytest.raises(ValueError, match="cannot be compiled"):
        store.load_path(shared_names_table(tmp_path), jobs=2)
    assert store.view().meta.version == old
    assert registered(store.client) == {old}
