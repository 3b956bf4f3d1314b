"""Publishing a version: registered, written, switched to, the others expired.

A load registers its new version first (so that the next load sweeps it if this one dies),
has its writers write every bucket, writes the Bloom filter, then moves the pointer in one
script that checks the load still holds the lock, and puts an expiry of ``grace`` seconds on
every other version. A load that dies never moves the pointer; one that fails drops what it
wrote.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
import time
from collections.abc import Callable

import redis

from normalizer.exc import Conflict
from normalizer.store.redis.client import Connection, reachable
from normalizer.store.redis.layout import MIN_GRACE, Keys
from normalizer.store.redis.lock import LoadLock
from normalizer.store.redis.schema import Schema
from normalizer.store.redis.version import bucket_count, envelope
from normalizer.store.redis.write import FieldCollision, Share
from normalizer.table.bloom import Bloom
from normalizer.table.records import TableMeta

log = logging.getLogger(__name__)

# How far a load has come: stage ("validated", "compiled", "encoded", "written"), done, total.
Progress = Callable[[str, int, int], None]
EXPIRE_BATCH = 10_000  # keys per pipeline
SALTS = 3  # versions tried when keys collide on a field (each time ~1e-6)
SWITCH_SCRIPT = """
-- KEYS[1]: lock, KEYS[2]: pointer, KEYS[3]: versions, KEYS[4]: a lost version's note;
-- ARGV[1]: lock token, ARGV[2]: the new version, ARGV[3]: its envelope. Returns 0 if the
-- lock is not ours.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[4])
return 1
"""


@dataclasses.dataclass(frozen=True)
class LoadReport:
    version: str
    entities: int
    aliases: int  # names
    entries: int  # keys
    buckets: int
    payload_bytes: int
    # Compiling the table, if the load did, and learning the codec schema from a sample.
    prepare_seconds: float
    write_seconds: float  # encoded and written
    jobs: int
    validate_seconds: float = 0.0  # the alias files read and checked, if the load did

    @classmethod
    def of(
        cls,
        version: str,
        meta: TableMeta,
        buckets: int,
        shares: list[Share],
        laps: tuple[float, float, float],
    ) -> LoadReport:
        """The report of a load that wrote ``shares``; ``laps``: seconds spent validating,
        preparing (compiling, learning the schema) and writing."""
        validate, prepare, write = laps
        return cls(
            version,
            meta.entities,
            meta.names,
            sum(share.fields for share in shares),
            buckets,
            sum(share.payload_bytes for share in shares),
            prepare,
            write,
            len(shares),
            validate,
        )


@dataclasses.dataclass
class Publisher:
    """One load's publishing, by the holder of the lock; also what its writers need."""

    connection: Connection
    keys: Keys
    lock: LoadLock
    grace: float
    tune: bool = True  # writers may raise hash-max-listpack-value
    jobs: int = 1  # processes; more than one forks: only for a process of its own
    progress: Progress = lambda stage, done, total: None

    def commit(
        self, meta: TableMeta, schema: Schema, count: int, write: Callable[[str], list[Share]]
    ) -> tuple[str, list[Share]]:
        """Have ``write`` write the table under a fresh version (another if two keys meet
        on a field), then switch to it and expire the others; the version and its shares."""
        self._sweep(keep=self._current())
        client = self.connection.client
        for salt in range(SALTS):
            version = _version_id(meta.version)
            with reachable():  # registered before writing, so a dead load's keys get swept
                client.hset(self.keys.versions, version, json.dumps({"buckets": count}))
            try:
                shares = write(version)
                self._switch(version, self._finish(version, meta, schema, count, shares))
                break
            except FieldCollision as error:
                # Another load may already have unregistered this version (it took the
                # lock when ours expired): drop what was written, or it would stay.
                self._abandon(version, count)
                if salt == SALTS - 1:
                    raise
                log.warning("%s; salting anew", error)
            except Exception:
                self._abandon(version, count)
                raise
        self._sweep(keep=version)
        return version, shares

    def _finish(
        self, version: str, meta: TableMeta, schema: Schema, count: int, shares: list[Share]
    ) -> str:
        """Write the Bloom filter of every share's keys; the envelope of the version."""
        bloom = Bloom.from_bytes(shares[0].bloom)
        for share in shares:
            if share is not shares[0]:
                bloom.update(Bloom.from_bytes(share.bloom))
            schema.merge(share.namespaces, share.record_fields)
        raw = bloom.to_bytes()
        with reachable():
            self.connection.client.set(self.keys.bloom(version), raw)
        entries = sum(share.fields for share in shares)
        return envelope(version, meta, schema, count, entries, len(raw))

    def _switch(self, version: str, raw_envelope: str) -> None:
        keys = self.keys
        with reachable():
            switched = self.connection.script(SWITCH_SCRIPT)(
                keys=[keys.lock, keys.current, keys.versions, keys.lost],
                args=[self.lock.token, version, raw_envelope],
            )
        if not switched:
            raise Conflict("the load lock expired during the load; the old table stays")

    def _current(self) -> str | None:
        with reachable():
            current = self.connection.client.get(self.keys.current)
        return current.decode() if isinstance(current, bytes) else None

    def _sweep(self, keep: str | None) -> None:
        """Expire every registered version but ``keep``: replaced ones and dead loads."""
        seconds = int(max(self.grace, MIN_GRACE))
        with reachable():
            registry = self.connection.client.hgetall(self.keys.versions)
            for raw_version, raw_envelope in registry.items():
                version = raw_version.decode() if isinstance(raw_version, bytes) else raw_version
                if version != keep:
                    self._expire(version, bucket_count(raw_envelope), seconds)
                    log.info("alias table %s expires in %d s", version, seconds)

    def _abandon(self, version: str, count: int) -> None:
        """Best effort: expire the keys of a version that was never switched to."""
        try:
            self._expire(version, count, 1)
        except redis.RedisError:
            log.warning("could not drop the keys of the failed load %s", version)

    def _expire(self, version: str, count: int, seconds: int) -> None:
        """Put an expiry on a version's keys, and take it out of the registry."""
        client = self.connection.client
        keys = self.keys.of_version(version, count)
        for start in range(0, len(keys), EXPIRE_BATCH):
            pipe = client.pipeline(transaction=False)
            for key in keys[start : start + EXPIRE_BATCH]:
                pipe.expire(key, seconds)
            pipe.execute()
        client.hdel(self.keys.versions, version)


def _version_id(fingerprint: str) -> str:
    return f"{fingerprint[:12]}-{int(time.time()):x}{secrets.token_hex(2)}"
