"""Reading the table in Redis (``store.redis.reader``): the same answers as the embedded
store, two round trips a lookup, and a worker that follows the version in force."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from redis_tables import PEOPLE, PREFIX, QUERIES, table_of

from normalizer.match.matcher import Matcher
from normalizer.match.query import prepare
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore
from normalizer.store.redis import RedisStore, connect, layout, reader
from normalizer.store.redis import client as wire

pytest_plugins = ["redis_fixtures"]


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
    store.reader.pinned = None  # pin afresh, then read again through the filter, no cache
    store.reader.cache_size = 0
    view = store.view()
    wait_for(lambda: view._version.bloom is not None, 5, "no Bloom filter")
    assert view.get_many(list(table.entries)) == list(table.entries.values())
    assert view.get_many(["t:nosuchtoken", "e:nobody", "zz:unknown namespace"]) == [None] * 3
    assert view.get_many([]) == []
    assert view.has_many([*list(table.entries)[:20], "t:nosuchtoken"]) == [True] * 20 + [False]
    assert view.meta.version == version
    assert (view.meta.entities, view.meta.aliases) == (table.meta.entities, table.meta.aliases)


def test_a_lookup_is_two_or_three_round_trips(
    redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wait_for: Callable[..., None]
) -> None:
    """Two batches, each one round trip however many keys and buckets; keys that the
    version's Bloom filter rules out are not even asked for. A name with a typo asks a
    third between them, one round trip too: its whole name with the word corrected as the
    first found it (``second_fetch.near_sounded_keys``). Before them, the whole-name
    keys of the fast path: no round trip when the filter rules them out, and it does unless
    a key is in the table or is one of its ~1% false positives (the filter's hashes change
    with each version, so a run may meet one: then that probe is one round trip more)."""
    # The version stays trusted for the whole test (a busy machine may take longer than
    # the default half second between the warm-up and the lookup: one more round trip).
    store = RedisStore(connect(redis_url), PREFIX, cache_size=0, refresh=60.0)
    try:
        store.publish(table_of(tmp_path, "a", extra=300))
        matcher = Matcher(store)
        matcher.resolve("warm up: pins the version, fetches its filter")
        wait_for(lambda: store.view()._version.bloom is not None, 5, "no Bloom filter")
        # Each fetch: how many keys it asked for, and the commands of each round trip.
        fetches: list[tuple[int, list[list[Any]]]] = []
        real_send, real_fetch = wire.send, store.reader._fetch

        def counting_send(client: Any, commands: Any) -> list[Any]:
            fetches[-1][1].append(commands)
            return real_send(client, commands)

        def counting_fetch(version: Any, keys: Any) -> list[object | None]:
            fetches.append((len(keys), []))
            return real_fetch(version, keys)

        monkeypatch.setattr(reader, "send", counting_send)
        monkeypatch.setattr(store.reader, "_fetch", counting_fetch)

        def round_trips() -> list[int]:
            """Round trips of each fetch since the last call, the fast path's probe first."""
            made = [len(sends) for _, sends in fetches]
            assert all(count <= 1 for count in made), made  # one at most, however many keys
            return made

        # A name with a typo: its whole-name key is not in the table.
        assert matcher.resolve("Marisol Quintana Arévalp").match is not None
        (probe, _), (keys, key_sends), (corrected, _), _ = fetches
        assert probe == 1 and keys > 200  # typo and phonetic variants of three tokens
        assert 1 <= corrected < 10  # the name with each typo key of a word the table has
        # The keys' buckets in one write, the corrected names', then the records.
        assert round_trips()[1:] == [1, 1, 1]
        fields = sum(len(command) - 3 for command in key_sends[0][1:])  # EVAL, script, numkeys
        assert fields < keys / 4  # the others cannot exist: the filter says so
        fetches.clear()
        # A name one entity owns: its whole-name key, then its records; nothing else.
        assert matcher.resolve("Marisol Quintana Arévalo").match is not None
        assert round_trips() == [1, 1]
        fetches.clear()
        matcher.resolve_many([name + "x" for name in PEOPLE])
        assert round_trips()[1:] == [1, 1, 1]  # a batch of names shares them
    finally:
        store.close()


def test_the_cache_keeps_what_redis_answered_not_what_the_filter_ruled_out(
    store: RedisStore, alias_file: Path, wait_for: Callable[..., None]
) -> None:
    """A query's typo variants, which the Bloom filter rules out, would push the values
    out of the cache: only the keys sent to Redis are kept, and the answers stay the same."""
    table = build_table(alias_file)
    store.publish(table)
    store.reader.refresh = 3600.0
    version = store.view()._version
    wait_for(lambda: version.bloom is not None, 5, "no Bloom filter")
    version.cache.clear()
    matcher = Matcher(store)
    first = matcher.resolve_many(QUERIES, limit=10)
    bloom = version.bloom
    assert bloom is not None and version.cache
    kept = list(version.cache)
    locate = layout.locator(version.id, version.buckets)
    assert all(locate(key)[2] in bloom for key in kept)
    assert any(version.cache[key] is not None for key in kept)
    # The keys the lookups asked for, ruled out or not: far more than were kept.
    asked = {k for q in QUERIES for k in prepare(q).all_keys()}
    assert len(kept) < len(asked) / 4
    again = matcher.resolve_many(QUERIES, limit=10)
    assert [r.to_json(explain=True) for r in again] == [r.to_json(explain=True) for r in first]


def test_a_worker_reads_the_pointer_only_when_its_version_is_stale(
    store: RedisStore, alias_file: Path
) -> None:
    store.publish(build_table(alias_file))
    store.reader.refresh = 3600.0
    pinned = store.view()._version
    confirmed = pinned.confirmed
    assert store.view()._version is pinned and pinned.confirmed == confirmed  # no round trip
    store.reader.refresh = 0.0  # from now on always stale
    store.view()
    assert pinned.confirmed > confirmed  # re-confirmed by a pointer read


def test_another_worker_follows_a_switch(store: RedisStore, tmp_path: Path) -> None:
    """A worker trusts its version for ``refresh`` seconds, then reads the pointer."""
    first = store.publish(table_of(tmp_path, "a"))
    worker = RedisStore(store.client, PREFIX, refresh=3600.0)
    matcher = Matcher(worker)
    assert matcher.resolve(PEOPLE[1]).match.id == "a-1"  # type: ignore[union-attr]
    second = store.publish(table_of(tmp_path, "b"))
    assert worker.view().meta.version == first  # trusted for now (a lookup costs 2 trips)
    worker.reader.refresh = 0.0  # its refresh has passed
    assert worker.view().meta.version == second
    assert matcher.resolve(PEOPLE[1]).match.id == "b-1"  # type: ignore[union-attr]


def test_a_lookup_sees_the_pointer_move(store: RedisStore, tmp_path: Path) -> None:
    """Each batch reads the pointer too: a lookup that began on the old version finishes
    on it (it lives on for the grace period), and the next one is on the new version."""
    store.publish(table_of(tmp_path, "a"))
    worker = RedisStore(store.client, PREFIX, refresh=3600.0, cache_size=0)
    matcher = Matcher(worker)
    assert matcher.resolve(PEOPLE[1]).match.id == "a-1"  # type: ignore[union-attr]
    second = store.publish(table_of(tmp_path, "b"))
    assert matcher.resolve(PEOPLE[1]).match.id == "a-1"  # type: ignore[union-attr]
    assert worker.view().meta.version == second
    assert matcher.resolve(PEOPLE[1]).match.id == "b-1"  # type: ignore[union-attr]


def test_the_switch_is_atomic_for_a_reader(
    store: RedisStore, tmp_path: Path, wait_for: Callable[..., None]
) -> None:
    """A thread resolves in a loop while ten loads alternate two tables: every answer
    comes from exactly one of them, and it sees both."""
    tables = {"a": table_of(tmp_path, "a"), "b": table_of(tmp_path, "b", extra=5)}
    store.publish(tables["a"])
    worker = RedisStore(store.client, PREFIX, refresh=0.0)
    matcher = Matcher(worker)
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
            side = "b" if load % 2 == 0 else "a"
            store.publish(tables[side])
            # The reader answers from this table before the next load replaces it.
            wait_for(lambda s=side: errors or (answers and answers[-1] == {s}), 30, f"no {side}")
    finally:
        done.set()
        thread.join(timeout=30)
    assert not errors, errors
    assert all(sides in ({"a"}, {"b"}) for sides in answers)
