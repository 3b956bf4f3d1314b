"""The Redis store on a real redis-server: same answers as the embedded store, two round
trips a lookup, versions switched atomically, dead loads harmless, old versions expired."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from normalizer.aliases import load_path
from normalizer.exc import AliasTableError, Conflict, NotReady
from normalizer.match.matcher import Matcher
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore
from normalizer.store.redis import codec, layout, load, reader, write
from normalizer.store.redis.reader import RedisStore, connect
from normalizer.table import shard
from normalizer.table.compiler import CompiledTable, compile_table
from normalizer.table.records import Postings

pytest_plugins = ["redis_fixtures"]

PREFIX = "test"
# Queries of the conftest table: exact, reordered, accents dropped, typos, acronyms,
# other scripts, an ambiguous alias, and names not in the table.
QUERIES = [
    "Marisol Quintana Arévalo",
    "QUINTANA AREVALO, Marisol",
    "Quintana Arévalo",
    "Tomek Wierzbicki",
    "Томаш Вежбицкий",
    "Khalid al Harbi",
    "Abu Muhammad",
    "Rio Azul Logistics",
    "Kestrel Shipping Co Ltd",
    "Banco Agricola de Honduras",
    "Republica de Honduras",
    "Nothern Basin Water Authorty",
    "FUTN",
    "Nobody At All",
]
# Two tables that hold the same names under different ids ("a-…" and "b-…").
PEOPLE = [
    "Marisol Quintana Arévalo",
    "Tomasz Wierzbicki",
    "Khalid Saeed al-Harbi",
    "Yusuf Abdelkarim Nasser",
    "Ernesto Quintana Arévalo",
    "Oksana Hrytsenko",
    "Joaquín Benavides Ortega",
    "Priya Raghunathan",
]


@pytest.fixture
def store(redis_url: str) -> Iterator[RedisStore]:
    store = RedisStore(connect(redis_url), PREFIX, grace=30)
    yield store
    store.close()


def table_of(tmp_path: Path, side: str, extra: int = 0) -> CompiledTable:
    """The PEOPLE as entities ``<side>-0``…, plus ``extra`` more (tables of two sizes)."""
    path = tmp_path / f"{side}.jsonl"
    names = PEOPLE + [f"Extra Person Number{n}" for n in range(extra)]
    lines = [
        json.dumps({"id": f"{side}-{n}", "name": name, "type": "person"})
        for n, name in enumerate(names)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return build_table(path)


def test_answers_equal_the_embedded_store(store: RedisStore, alias_file: Path) -> None:
    table = build_table(alias_file)
    store.publish(table)
    embedded = MemoryStore()
    embedded.publish(table)
    from_redis = Matcher(store).resolve_many(QUERIES, limit=10)
    in_process = Matcher(embedded).resolve_many(QUERIES, limit=10)
    assert [r.to_json(explain=True) for r in from_redis] == [
        r.to_json(explain=True) for r in in_process
    ]
    assert sum(r.match is not None for r in from_redis) >= 8


def test_every_value_comes_back_as_compiled(
    store: RedisStore, alias_file: Path, wait_for: Callable[..., None]
) -> None:
    table = build_table(alias_file)
    version = store.publish(table)
    view = store.view()
    assert view.get_many(list(table.entries)) == list(table.entries.values())
    store._pinned = None  # pin afresh, then read again through the filter, no cache
    store.cache_size = 0
    view = store.view()
    wait_for(lambda: view._version.bloom is not None, 5, "no Bloom filter")
    assert view.get_many(list(table.entries)) == list(table.entries.values())
    assert view.get_many(["t:nosuchtoken", "e:nobody", "zz:unknown namespace"]) == [None] * 3
    assert view.get_many([]) == []
    assert view.meta.version == version
    assert (view.meta.entities, view.meta.aliases) == (table.meta.entities, table.meta.aliases)


def test_a_lookup_is_two_round_trips(
    redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wait_for: Callable[..., None]
) -> None:
    """Two batches, each one round trip however many keys and buckets; keys that the
    version's Bloom filter rules out are not even asked for."""
    store = RedisStore(connect(redis_url), PREFIX, cache_size=0)
    try:
        store.publish(table_of(tmp_path, "a", extra=300))
        matcher = Matcher(store)
        matcher.resolve("warm up: pins the version, fetches its filter")
        wait_for(lambda: store.view()._version.bloom is not None, 5, "no Bloom filter")
        asked: list[int] = []
        sent: list[list[Any]] = []
        real_send, real_fetch = reader.send, store._fetch

        def counting_send(client: Any, commands: Any) -> list[Any]:
            sent.append(commands)
            return real_send(client, commands)

        def counting_fetch(version: Any, keys: Any) -> list[object | None]:
            asked.append(len(keys))
            return real_fetch(version, keys)

        monkeypatch.setattr(reader, "send", counting_send)
        monkeypatch.setattr(store, "_fetch", counting_fetch)
        assert matcher.resolve("Marisol Quintana Arévalo").match is not None
        assert len(sent) == 2  # the keys' buckets in one write, then the records
        assert asked[0] > 200  # typo and phonetic variants of three tokens
        fields = sum(len(command) - 3 for command in sent[0][1:])  # EVAL, script, numkeys
        assert fields < asked[0] / 4  # the others cannot exist: the filter says so
        sent.clear()
        matcher.resolve_many(PEOPLE)
        assert len(sent) == 2  # a batch of names shares both
    finally:
        store.close()


def test_an_idle_worker_reads_the_pointer_first(store: RedisStore, alias_file: Path) -> None:
    store.publish(build_table(alias_file))
    store.refresh = 0.2
    pinned = store.view()
    assert store.view()._version is pinned._version  # fresh: no round trip
    time.sleep(0.3)
    before = pinned._version.confirmed
    store.view()
    assert pinned._version.confirmed > before  # re-confirmed by a pointer read


def test_the_switch_is_atomic_for_a_reader(store: RedisStore, tmp_path: Path) -> None:
    """A thread resolves in a loop while ten loads alternate two tables: every answer
    comes from exactly one of them."""
    tables = {"a": table_of(tmp_path, "a"), "b": table_of(tmp_path, "b", extra=5)}
    store.publish(tables["a"])
    reader = RedisStore(store.client, PREFIX, refresh=0.01)
    matcher = Matcher(reader)
    answers: list[set[str]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def resolve_in_a_loop() -> None:
        try:
            while not done.is_set():
                results = matcher.resolve_many(PEOPLE, limit=3)
                sides = {c.id[0] for r in results for c in r.candidates}
                assert all(r.match is not None for r in results)
                answers.append(sides)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    thread = threading.Thread(target=resolve_in_a_loop)
    thread.start()
    try:
        for load in range(10):
            store.publish(tables["b" if load % 2 == 0 else "a"])
            time.sleep(0.05)
    finally:
        done.set()
        thread.join(timeout=30)
    assert not errors, errors
    assert len(answers) > 10
    assert all(sides in ({"a"}, {"b"}) for sides in answers)
    assert {"a"} in answers and {"b"} in answers


def test_a_writer_sends_a_chunk_while_it_encodes_the_next(
    store: RedisStore, alias_file: Path
) -> None:
    """A writer sends each chunk of its share while it goes on encoding: Redis holds the
    first chunks before the last entries are encoded. Every field is written once."""
    entries = list(build_table(alias_file).entries.items())
    buckets = 2
    chunk = buckets * write.CHUNK_FIELDS
    assert len(entries) > 3 * chunk
    client = store.client
    listpack = write.Listpack(client, tune=True)
    writer = write.ShareWriter(
        client, "chunks", "v1", buckets, codec.Schema.learn(entries), listpack
    )
    names = [layout.bucket_key("chunks", "v1", bucket) for bucket in range(buckets)]
    in_redis_meanwhile: list[int] = []

    def produced() -> Iterator[tuple[str, object]]:
        for number, entry in enumerate(entries):
            if number == 3 * chunk:  # two chunks handed over: the first one is written
                in_redis_meanwhile.append(sum(client.hlen(name) for name in names))
            yield entry

    share = writer.write(produced(), len(entries))
    assert 0 < in_redis_meanwhile[0] < len(entries)
    assert share.fields == len(entries) == sum(client.hlen(name) for name in names)


def test_a_dead_load_leaves_the_old_table(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = store.publish(table_of(tmp_path, "a"))
    monkeypatch.setattr(write, "WRITE_BATCH", 10)

    def die(stage: str, done: int, total: int) -> None:
        if stage == "written":
            raise KeyboardInterrupt("the load dies after its first batch")

    with pytest.raises(KeyboardInterrupt):
        store.load(table_of(tmp_path, "b"), progress=die)
    assert store.view().meta.version == old
    assert Matcher(store).resolve(PEOPLE[0]).match.id == "a-0"  # type: ignore[union-attr]
    client = store.client
    registered = {v.decode() for v in client.hkeys(store.versions_key)}
    (dead,) = registered - {old}
    leftovers = list(client.scan_iter(f"{PREFIX}:{dead}:*"))
    assert leftovers and all(client.ttl(key) == -1 for key in leftovers)

    new = store.publish(table_of(tmp_path, "b"))  # sweeps the dead load's keys
    assert {v.decode() for v in client.hkeys(store.versions_key)} == {new}
    assert all(0 < client.ttl(key) <= store.grace for key in leftovers)
    assert Matcher(store).resolve(PEOPLE[0]).match.id == "b-0"  # type: ignore[union-attr]


def test_a_failed_load_drops_its_own_keys(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load that fails before its switch (here: its lock was lost) leaks nothing."""
    old = store.publish(table_of(tmp_path, "a"))

    def lost(self: load.Loader, version: str, envelope: str) -> None:
        raise Conflict("the load lock expired during the load; the old table stays")

    monkeypatch.setattr(load.Loader, "_switch", lost)
    with pytest.raises(Conflict):
        store.load(table_of(tmp_path, "b"))
    client = store.client
    assert {v.decode() for v in client.hkeys(store.versions_key)} == {old}
    keys = [k.decode() for k in client.scan_iter(f"{PREFIX}:*")]
    dead = [k for k in keys if not k.startswith(f"{PREFIX}:{old}")]
    assert all(client.ttl(key) > 0 or client.ttl(key) == -2 for key in dead)
    assert store.view().meta.version == old


def test_old_versions_are_removed_after_the_grace(
    redis_url: str, tmp_path: Path, wait_for: Callable[..., None]
) -> None:
    store = RedisStore(connect(redis_url), PREFIX, grace=1)
    try:
        old = store.publish(table_of(tmp_path, "a"))
        new = store.publish(table_of(tmp_path, "b"))
        client = store.client
        assert any(True for _ in client.scan_iter(f"{PREFIX}:{old}:*"))
        wait_for(
            lambda: not any(True for _ in client.scan_iter(f"{PREFIX}:{old}:*")),
            load.MIN_GRACE + 3,  # the grace is never shorter than MIN_GRACE
            "the replaced version did not expire",
        )
        assert any(True for _ in client.scan_iter(f"{PREFIX}:{new}:*"))
        assert all(client.ttl(k) == -1 for k in client.scan_iter(f"{PREFIX}:{new}:*"))
    finally:
        store.close()


def test_another_worker_follows_a_switch(store: RedisStore, tmp_path: Path) -> None:
    """A worker trusts its version for ``refresh`` seconds at most, then reads the pointer."""
    first = store.publish(table_of(tmp_path, "a"))
    worker = RedisStore(store.client, PREFIX, refresh=0.3)
    matcher = Matcher(worker)
    assert matcher.resolve(PEOPLE[1]).match.id == "a-1"  # type: ignore[union-attr]
    second = store.publish(table_of(tmp_path, "b"))
    assert worker.view().meta.version == first  # trusted for now (a lookup costs 2 trips)
    time.sleep(0.3)
    assert worker.view().meta.version == second
    assert matcher.resolve(PEOPLE[1]).match.id == "b-1"  # type: ignore[union-attr]


def test_a_lookup_sees_the_pointer_move(store: RedisStore, tmp_path: Path) -> None:
    """Each batch reads the pointer too: a lookup that began on the old version finishes
    on it (it lives on for the grace period), and the next one is on the new version."""
    store.publish(table_of(tmp_path, "a"))
    worker = RedisStore(store.client, PREFIX, refresh=60, cache_size=0)
    matcher = Matcher(worker)
    assert matcher.resolve(PEOPLE[1]).match.id == "a-1"  # type: ignore[union-attr]
    second = store.publish(table_of(tmp_path, "b"))
    assert matcher.resolve(PEOPLE[1]).match.id == "a-1"  # type: ignore[union-attr]
    assert worker.view().meta.version == second
    assert matcher.resolve(PEOPLE[1]).match.id == "b-1"  # type: ignore[union-attr]


def test_buckets_are_compact_listpacks(store: RedisStore, tmp_path: Path) -> None:
    version = store.publish(table_of(tmp_path, "a", extra=300))
    client = store.client
    buckets = [k for k in client.scan_iter(f"{PREFIX}:{version}:*") if not k.endswith(b"bloom")]
    assert len(buckets) > 20
    assert {client.object("encoding", key) for key in buckets} == {b"listpack"}
    limit = int(client.config_get("hash-max-listpack-value")["hash-max-listpack-value"])
    assert limit > 64  # raised for the alias records


def test_a_table_from_other_code_is_refused(store: RedisStore, alias_file: Path) -> None:
    """Record fields changed since the table was loaded: 503 until it is reloaded."""
    version = store.publish(build_table(alias_file))
    client = store.client
    envelope = json.loads(client.hget(store.versions_key, version))  # type: ignore[arg-type]
    envelope["schema"]["fields"]["Postings"].append("weight")
    client.hset(store.versions_key, version, json.dumps(envelope))
    fresh = RedisStore(client, PREFIX)
    with pytest.raises(NotReady, match="reload the table"):
        fresh.view()
    assert not fresh.ready()


def test_loads_take_turns(store: RedisStore, tmp_path: Path) -> None:
    store.client.set(store.lock_key, "someone else", px=5000)
    store.lock_wait = 0.2
    with pytest.raises(Conflict):
        store.publish(table_of(tmp_path, "a"))
    store.client.delete(store.lock_key)
    assert store.publish(table_of(tmp_path, "a"))
    assert not store.client.exists(store.lock_key)


def test_a_load_in_processes_equals_one_in_process(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``normalizer load`` writes big tables from forked processes, a share of the buckets
    each: every key reads back as from a load in one process, and as the embedded store."""
    monkeypatch.setattr(load, "PARALLEL_FROM", 0)
    table = table_of(tmp_path, "a", extra=200)
    reports = [store.load(table, jobs=jobs) for jobs in (1, 3)]
    assert [report.jobs for report in reports] == [1, 3]
    assert reports[0].payload_bytes == reports[1].payload_bytes
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

    def refused(writer: write.ShareWriter, *args: Any) -> int:
        if writer.part == 1:
            raise NotReady("Redis refused the command: OOM")
        return send(writer, *args)

    monkeypatch.setattr(write.ShareWriter, "_send", refused)
    with pytest.raises(NotReady, match="OOM"):
        store.load(table_of(tmp_path, "b", extra=50), jobs=2)
    assert store.view().meta.version == old
    client = store.client
    assert {v.decode() for v in client.hkeys(store.versions_key)} == {old}
    dead = [
        k for k in client.scan_iter(f"{PREFIX}:*") if not k.decode().startswith(f"{PREFIX}:{old}")
    ]
    assert all(client.ttl(key) > 0 or client.ttl(key) == -2 for key in dead)


def test_keys_meeting_on_a_field_are_written_under_another_version(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HSET says how many fields it added: fewer than sent means two keys met on a field,
    and the load starts again under a new version (so a new salt)."""
    real = layout.locator
    salted: list[str] = []

    def colliding(version: str, buckets: int) -> Callable[[str], tuple[bytes, int, int]]:
        salted.append(version)
        if len(salted) > 1:
            return real(version, buckets)
        return lambda key: (b"\0" * layout.FIELD_BYTES, 0, 0)

    monkeypatch.setattr(write, "locator", colliding)
    table = table_of(tmp_path, "a")
    report = store.load(table)
    assert salted[1] == report.version != salted[0]
    assert store.view().get_many(list(table.entries)) == list(table.entries.values())
    abandoned = list(store.client.scan_iter(f"{PREFIX}:{salted[0]}:*"))
    assert all(store.client.ttl(key) in (1, -2) for key in abandoned)  # dropped in a second


def test_a_table_of_another_layout_is_refused(store: RedisStore, alias_file: Path) -> None:
    version = store.publish(build_table(alias_file))
    client = store.client
    envelope = json.loads(client.hget(store.versions_key, version))  # type: ignore[arg-type]
    envelope["layout"] = layout.LAYOUT - 1
    client.hset(store.versions_key, version, json.dumps(envelope))
    with pytest.raises(NotReady, match="reload the table with this release"):
        RedisStore(client, PREFIX).view()


def shared_names_table(tmp_path: Path) -> Path:
    """Twelve entities whose names share tokens, whole names and acronyms across runs."""
    people = [
        {"id": f"p-{n}", "name": f"{given} {surname}", "type": "person"}
        for n, (given, surname) in enumerate(
            [("Ana", "Mendoza"), ("Luis", "Mendoza"), ("Ana", "Rivas"), ("Karim", "Haddad")]
        )
    ]
    people[0]["aliases"] = ["Abu Muhammad"]
    orgs = [
        {"id": f"o-{n}", "name": f"{word} Shipping Company", "type": "organization"}
        for n, word in enumerate(["Kestrel", "Kestrel Blue", "Harbour"])
    ]
    more = [
        {"id": "p-9", "name": "Karim Mendoza", "type": "person", "aliases": ["Abu Muhammad"]},
        {"id": "o-9", "name": "Kestrel Shipping Co", "type": "organization"},
        {"id": "p-10", "name": "Ana Mendoza", "type": "person"},  # the same name as p-0
        {"id": "p-11", "name": "Luis Haddad", "type": "person"},
        {"id": "o-10", "name": "Harbour Shipping Company", "type": "organization"},
    ]
    path = tmp_path / "shared.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in people + orgs + more), encoding="utf-8")
    return path


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
    assert view.meta == dataclasses.replace(whole.meta, version=report.version)
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
    assert {v.decode() for v in store.client.hkeys(store.versions_key)} == {old}


def test_a_failing_worker_fails_the_load_cleanly(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = store.publish(table_of(tmp_path, "a"))
    monkeypatch.setattr(load, "PARALLEL_FROM_BYTES", 0)
    real = shard.Shard.postings

    def broken(piece: shard.Shard) -> dict[str, shard.Partial]:
        if piece.entities[0].id != "p-0":  # every shard but the first
            raise ValueError("this shard cannot be compiled")
        return real(piece)

    monkeypatch.setattr(shard.Shard, "postings", broken)
    with pytest.raises(ValueError, match="cannot be compiled"):
        store.load_path(shared_names_table(tmp_path), jobs=2)
    assert store.view().meta.version == old
    assert {v.decode() for v in store.client.hkeys(store.versions_key)} == {old}
