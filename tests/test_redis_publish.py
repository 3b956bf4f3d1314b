"""Publishing versions (``store.redis.publish``): a dead or failed load leaves the old
table and its keys go, a replaced version expires after the grace, and keys that meet on
a field are written again under another version."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from redis_tables import PEOPLE, PREFIX, registered, table_of

from normalizer.exc import Conflict
from normalizer.match.matcher import Matcher
from normalizer.store.redis import RedisStore, connect, layout, publish, write

pytest_plugins = ["redis_fixtures"]


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
    (dead,) = registered(client) - {old}
    leftovers = list(client.scan_iter(f"{PREFIX}:{dead}:*"))
    assert leftovers and all(client.ttl(key) == -1 for key in leftovers)

    new = store.publish(table_of(tmp_path, "b"))  # sweeps the dead load's keys
    assert registered(client) == {new}
    assert all(0 < client.ttl(key) <= store.grace for key in leftovers)
    assert Matcher(store).resolve(PEOPLE[0]).match.id == "b-0"  # type: ignore[union-attr]


def test_a_failed_load_drops_its_own_keys(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load that fails before its switch (here: its lock was lost) leaks nothing."""
    old = store.publish(table_of(tmp_path, "a"))

    def lost(self: publish.Publisher, version: str, envelope: str) -> None:
        raise Conflict("the load lock expired during the load; the old table stays")

    monkeypatch.setattr(publish.Publisher, "_switch", lost)
    with pytest.raises(Conflict):
        store.load(table_of(tmp_path, "b"))
    client = store.client
    assert registered(client) == {old}
    keys = [k.decode() for k in client.scan_iter(f"{PREFIX}:*")]
    dead = [k for k in keys if not k.startswith(f"{PREFIX}:{old}")]
    assert dead and all(client.ttl(key) > 0 or client.ttl(key) == -2 for key in dead)
    assert store.view().meta.version == old


def test_a_switch_without_the_lock_is_refused(
    store: RedisStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The switch script checks the lock is still this load's: a load whose lock expired
    and was taken by another never moves the pointer."""
    old = store.publish(table_of(tmp_path, "a"))
    real = publish.Publisher._finish

    def lock_taken_meanwhile(self: publish.Publisher, *args: object) -> str:
        self.connection.client.set(self.keys.lock, "another load")
        return real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(publish.Publisher, "_finish", lock_taken_meanwhile)
    with pytest.raises(Conflict, match="lock expired"):
        store.load(table_of(tmp_path, "b"))
    assert store.view().meta.version == old
    assert registered(store.client) == {old}


def test_old_versions_are_removed_after_the_grace(
    redis_url: str, tmp_path: Path, wait_for: Callable[..., None]
) -> None:
    store = RedisStore(connect(redis_url), PREFIX, grace=1)
    try:
        old = store.publish(table_of(tmp_path, "a"))
        new = store.publish(table_of(tmp_path, "b"))
        client = store.client
        assert any(True for _ in client.scan_iter(f"{PREFIX}:{old}:*"))
        assert all(0 < client.ttl(k) <= layout.MIN_GRACE for k in client.scan_iter(f"*{old}*"))
        wait_for(
            lambda: not any(True for _ in client.scan_iter(f"{PREFIX}:{old}:*")),
            10 * layout.MIN_GRACE,  # the grace is never shorter than MIN_GRACE
            "the replaced version did not expire",
        )
        assert any(True for _ in client.scan_iter(f"{PREFIX}:{new}:*"))
        assert all(client.ttl(k) == -1 for k in client.scan_iter(f"{PREFIX}:{new}:*"))
    finally:
        store.close()


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
    assert registered(store.client) == {report.version}
