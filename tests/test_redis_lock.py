"""The load lock (``store.redis.lock``): loads take turns, a held lock outlives its TTL
while its holder lives, and the lock of a holder that died expires."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from redis_tables import table_of

from normalizer.exc import Conflict
from normalizer.store.redis import RedisStore, lock

pytest_plugins = ["redis_fixtures"]


def test_loads_take_turns(store: RedisStore, tmp_path: Path) -> None:
    store.client.set(store.keys.lock, "someone else", px=60_000)
    store.lock_wait = 0.2
    with pytest.raises(Conflict):
        store.publish(table_of(tmp_path, "a"))
    store.client.delete(store.keys.lock)
    assert store.publish(table_of(tmp_path, "a"))
    assert not store.client.exists(store.keys.lock)


def test_a_held_lock_is_kept_alive_and_released(
    store: RedisStore, monkeypatch: pytest.MonkeyPatch, wait_for: Callable[..., None]
) -> None:
    monkeypatch.setattr(lock, "LOCK_TTL", 0.6)
    held = lock.LoadLock(store.connection, store.keys.lock)
    assert held.acquire(wait=0)
    other = lock.LoadLock(store.connection, store.keys.lock)
    assert not other.acquire(wait=0)
    readings: list[int] = []

    def extended_three_times() -> bool:
        ttl = store.client.pttl(store.keys.lock)
        assert ttl > 0, "the lock expired while its holder lives"
        readings.append(ttl)
        return sum(later > earlier for earlier, later in pairwise(readings)) >= 3

    wait_for(extended_three_times, 30, "the heartbeat did not extend the lock")
    assert store.client.get(store.keys.lock) == held.token.encode()
    held.release()
    assert not store.client.exists(store.keys.lock)
    assert other.acquire(wait=0)
    other.release()


def test_the_lock_of_a_dead_holder_expires(
    store: RedisStore, monkeypatch: pytest.MonkeyPatch, wait_for: Callable[..., None]
) -> None:
    monkeypatch.setattr(lock, "LOCK_TTL", 0.5)
    dead = lock.LoadLock(store.connection, store.keys.lock)
    assert dead.acquire(wait=0)
    dead._stop.set()  # its process died: no more heartbeats, no release
    other = lock.LoadLock(store.connection, store.keys.lock)
    wait_for(lambda: other.acquire(wait=0), 30, "the dead holder's lock did not expire")
    assert store.client.get(store.keys.lock) == other.token.encode()
    other.release()
