"""Reading the table in force: pinning a version, and fetching keys in one round trip.

A lookup pins the version in force (``view``) and reads it in batches (``get_many``). A
batch is one write and one read: the HMGETs of its keys' buckets, and a GET of the pointer
that confirms the version is still in force. A matcher lookup (two batches) thus costs two
round trips. A worker that has not confirmed its version for ``refresh`` seconds (idle)
first reads the pointer again: one more round trip. A replaced version stays readable for
the loader's grace (at least ``MIN_GRACE`` seconds), and a lookup that began on it
finishes on it within half of that: answers come from one version, never a mix.

Two things spare Redis most of a lookup's keys, per version and so never stale: a Bloom
filter of the version's keys (the typo and phonetic variants a query asks for mostly do
not exist), and a bounded cache of values and absences already fetched.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from redis.cluster import RedisCluster

from normalizer.exc import NotReady
from normalizer.store.redis import layout
from normalizer.store.redis.breaker import Breaker
from normalizer.store.redis.client import Connection, send
from normalizer.store.redis.codec import namespace
from normalizer.store.redis.layout import MIN_GRACE, Keys
from normalizer.store.redis.version import Version
from normalizer.table.bloom import Bloom
from normalizer.table.records import TableMeta

log = logging.getLogger(__name__)
_MISSING = object()
_RULED_OUT = object()  # a key the Bloom filter rules out: absent, and not cached

# Buckets per read script: ~0.2 ms of Redis time each, so other clients interleave.
READ_CHUNK = 200
READ_SCRIPT = b"""
-- KEYS: buckets; ARGV: for each bucket, the number of its fields, then the fields.
-- Returns the HMGET reply of each bucket. (Sent with EVAL: Redis caches it by digest.)
local replies, at = {}, 1
for i, bucket in ipairs(KEYS) do
  local count = tonumber(ARGV[at])
  replies[i] = redis.call('HMGET', bucket, unpack(ARGV, at + 1, at + count))
  at = at + count + 1
end
return replies
"""
PIN_SCRIPT = """
-- KEYS[1]: pointer, KEYS[2]: versions; ARGV[1]: the version the caller holds, or ''.
-- Returns nil with no table, {version} if unchanged, else {version, envelope}.
local version = redis.call('GET', KEYS[1])
if not version then return nil end
if version == ARGV[1] then return {version} end
return {version, redis.call('HGET', KEYS[2], version)}
"""


class RedisView:
    """One version of the table, pinned for the length of a lookup."""

    def __init__(self, reader: Reader, version: Version) -> None:
        self._reader = reader
        self._version = version

    @property
    def meta(self) -> TableMeta:
        return self._version.meta

    @property
    def near_keys(self) -> None:
        # A filter of patterns would be a second download per version; the Bloom filter
        # of the keys already spares Redis the absent ones.
        return None

    def get_many(self, keys: Sequence[str]) -> list[object | None]:
        return self._reader.fetch(self._version, keys)

    def has_many(self, keys: Sequence[str]) -> list[bool]:
        # The values come anyway (one round trip, cached like any lookup's); the Bloom
        # filter spares most absent keys the trip.
        return [value is not None for value in self._reader.fetch(self._version, keys)]


class Reader:
    """One process's reading of the table.

    Args:
        refresh: seconds a worker trusts its version without reading the pointer.
        cache_size: values (or absences) kept per version; 0 for none.
        lost: called when Redis has no table, with the version this process had in force
            if any; returns why, for the 503 (it may start a reload).
    """

    def __init__(
        self,
        connection: Connection,
        keys: Keys,
        refresh: float,
        cache_size: int,
        lost: Callable[[Version | None], str],
    ) -> None:
        self.connection = connection
        self.keys = keys
        self.refresh = refresh
        self.cache_size = cache_size
        self.lost = lost
        self.pinned: Version | None = None
        # A hung Redis: the lookups queued behind the first failure fail at once.
        self.breaker = Breaker()

    def view(self) -> RedisView:
        pinned = self.pinned
        if pinned is None or pinned.replaced or time.monotonic() - pinned.confirmed > self.refresh:
            pinned = self.pin()
        return RedisView(self, pinned)

    def pin(self) -> Version:
        """Read the version in force (with its envelope if it is new to us): one round trip."""
        held = self.pinned
        with self.breaker.guard():
            found = self.connection.script(PIN_SCRIPT)(
                keys=[self.keys.current, self.keys.versions], args=[held.id if held else ""]
            )
        if not found:
            self.pinned = None
            raise NotReady(self.lost(held))
        if held is not None and found[0].decode() == held.id:
            pinned = held
        elif len(found) < 2 or found[1] is None:
            raise NotReady(f"alias table {found[0].decode()} has no envelope in Redis")
        else:
            pinned = Version.from_envelope(found[1])
            log.info("alias table %s in force: %s", pinned.id, pinned.meta)
            if pinned.bloom_bytes:  # in the background: readiness must not wait for it
                threading.Thread(target=self._fetch_bloom, args=(pinned,), daemon=True).start()
        pinned.confirmed = time.monotonic()
        self.pinned = pinned
        return pinned

    def _fetch_bloom(self, version: Version) -> None:
        try:
            raw = self.connection.client.get(self.keys.bloom(version.id))
        except Exception as error:
            # The thread's last word (a client closed meanwhile raises TypeError from
            # hiredis): without the filter, every key is asked for.
            log.warning("no Bloom filter for alias table %s: %s", version.id, error)
            return
        if isinstance(raw, bytes) and len(raw) == version.bloom_bytes:
            version.bloom = Bloom.from_bytes(raw)

    def fetch(self, version: Version, keys: Sequence[str]) -> list[object | None]:
        """The values of ``keys`` in ``version``: from the worker's cache of this version,
        the others in one round trip, whatever their number.

        The cache keeps what Redis answered, not the keys the Bloom filter ruled out: the
        filter answers for those again at no round trip, and they are most of a query's
        keys (its typo variants), which would otherwise push the values out of the cache."""
        cache = version.cache
        values = [cache.get(key, _MISSING) for key in keys] if cache else [_MISSING] * len(keys)
        missing = [at for at, value in enumerate(values) if value is _MISSING]
        if not missing:
            return values
        fetched = self._fetch(version, [keys[at] for at in missing])
        asked: list[int] = []
        for at, value in zip(missing, fetched, strict=True):
            if value is _RULED_OUT:
                values[at] = None
            else:
                values[at] = value
                asked.append(at)
        if self.cache_size and asked:
            version.remember(
                [keys[at] for at in asked], [values[at] for at in asked], self.cache_size
            )
        return values

    def _fetch(self, version: Version, keys: Sequence[str]) -> list[object | None]:
        """The values of ``keys``, ``_RULED_OUT`` for those the Bloom filter rules out."""
        bloom = version.bloom
        fields: dict[int, bytes] = {}
        groups: dict[int, list[int]] = defaultdict(list)  # bucket -> indexes of its keys
        hashes = layout.digests(version.seed, keys)
        admitted = range(len(keys)) if bloom is None else bloom.admitted(layout.hints(hashes))
        for index in admitted:
            field, bucket = layout.place(hashes[index], version.buckets)
            fields[index] = field
            groups[bucket].append(index)
        values: list[object | None] = [_RULED_OUT] * len(keys)
        if not groups:
            return values  # none of them exists: no round trip
        names = [self.keys.bucket(version.id, b).encode() for b in groups]
        wanted = [[fields[i] for i in members] for members in groups.values()]
        with self.breaker.guard():
            pointer, replies = self._read(names, wanted)
        self._confirm(version, pointer)
        decoders = version.decoders
        for members, reply in zip(groups.values(), replies, strict=True):
            for index, raw in zip(members, reply, strict=True):
                value = None
                key = keys[index]
                if raw is not None and (decode := decoders.get(namespace(key))):
                    value = decode(key, raw)
                values[index] = value
        return values

    def _read(
        self, buckets: list[bytes], fields: list[list[bytes]]
    ) -> tuple[bytes | None, list[list[bytes | None]]]:
        """The pointer and the ``fields`` of each bucket, in one write and one read.

        A lookup reads hundreds of buckets. To Redis Cluster that is a pipeline of HMGETs
        (one per bucket: keys of one command must share a slot); to a standalone Redis, a
        few short scripts that HMGET many buckets each, since redis-py costs ~10 us of
        Python per reply. Chunks keep each script short: a script blocks Redis.
        """
        client = self.connection.client
        current = [b"GET", self.keys.current.encode()]
        if isinstance(client, RedisCluster):
            hmgets = [[b"HMGET", b, *f] for b, f in zip(buckets, fields, strict=True)]
            pointer, *replies = send(client, [current, *hmgets])
            return pointer, replies
        commands = [current]
        for start in range(0, len(buckets), READ_CHUNK):
            chunk = range(start, min(start + READ_CHUNK, len(buckets)))
            counted = [arg for i in chunk for arg in (b"%d" % len(fields[i]), *fields[i])]
            keys = [buckets[i] for i in chunk]
            commands.append([b"EVAL", READ_SCRIPT, b"%d" % len(keys), *keys, *counted])
        pointer, *chunks = send(client, commands)
        return pointer, [reply for chunk in chunks for reply in chunk]

    def _confirm(self, version: Version, pointer: bytes | None) -> None:
        """Check the pointer read along with a batch. The batch is good if ``version`` is
        still in force, or was replaced too recently to have expired."""
        now = time.monotonic()
        if pointer is None:
            self.pinned = None
            raise NotReady(self.lost(version))
        if pointer.decode() == version.id:
            version.confirmed = now
            return
        version.replaced = True  # the next view pins the new version
        if now - version.confirmed > MIN_GRACE / 2:
            raise NotReady("the alias table changed during this lookup")
