"""Loading a compiled table into Redis under a new version, and the key layout readers share.

Keys, with ``P`` the prefix and ``V`` a version id (the table fingerprint, the load time and
random bits, so that every load writes fresh keys):

- ``{P}:current``   the version in force; moving it is the switch.
- ``{P}:versions``  hash: version -> envelope (JSON: meta, codec schema, bucket count,
                    state). It is also the registry a load sweeps for leftovers of dead loads.
- ``{P}:lock``      held by the one process loading a version.
- ``P:V:<n>``       bucket n of version V: a hash of about 64 fields, few enough for Redis'
                    compact listpack encoding. A table key's field is 6 bytes of its blake2b
                    digest salted with V, and its bucket comes from more bytes of it, so a
                    key costs 6 bytes in Redis whatever its length.
- ``P:V:bloom``     a Bloom filter of V's keys (``normalizer.bloom``), 1.5 bytes a key.

The ``{P}`` hash tag puts the pointer, the registry and the lock in one cluster slot, so the
Lua scripts that touch them are legal in Redis Cluster. Buckets spread over all slots, and
every command on them names one key.

A load writes every bucket of its version, then moves the pointer in one script, then puts
an expiry of ``grace`` seconds on every other version. A load that dies never moves the
pointer; the next load sweeps what it wrote.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import redis
from redis.cluster import RedisCluster

from normalizer import codec
from normalizer.bloom import Bloom
from normalizer.exc import Conflict, NotReady
from normalizer.index import CompiledTable

if TYPE_CHECKING:
    from normalizer.redis_store import RedisStore

log = logging.getLogger(__name__)

Client = redis.Redis | RedisCluster
Progress = Callable[[str, int, int], None]

CURRENT = "{%s}:current"
VERSIONS = "{%s}:versions"
LOCK = "{%s}:lock"
BUCKET = "%s:%s:%d"
BLOOM = "%s:%s:bloom"
FIELD_BYTES = 6
# Fields per bucket on average: HMGET scans a listpack field by field, so buckets stay
# small, and below 0.6 of hash-max-listpack-entries, so that very few overflow into the
# hashtable encoding (which costs about three times the memory).
BUCKET_FIELDS = 64
LISTPACK_FILL = 0.6
LISTPACK_ENTRIES = "hash-max-listpack-entries"
LISTPACK_VALUE = "hash-max-listpack-value"
WRITE_BATCH = 20_000  # fields per pipeline
EXPIRE_BATCH = 10_000  # keys per pipeline
LOCK_TTL = 30.0
PROGRESS_EVERY = 250_000
# A replaced version stays readable for the loader's grace, never less than this; readers
# finish a lookup on a replaced version only within half of it, whatever their own
# settings, so a loader with a shorter grace than the readers' can never expire a version
# under them.
MIN_GRACE = 5.0

SWITCH_SCRIPT = """
-- KEYS[1]: lock, KEYS[2]: pointer, KEYS[3]: versions; ARGV[1]: lock token,
-- ARGV[2]: the new version, ARGV[3]: its envelope. Returns 0 if the lock is not ours.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
redis.call('SET', KEYS[2], ARGV[2])
return 1
"""
EXTEND_SCRIPT = """
-- KEYS[1]: lock; ARGV[1]: token, ARGV[2]: ttl in ms. Returns 0 if the lock is not ours.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
"""
RELEASE_SCRIPT = """
-- KEYS[1]: lock; ARGV[1]: token. Deletes the lock only if it is still ours.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
"""


@contextmanager
def reachable() -> Iterator[None]:
    """Redis failures that a retry may cure, raised as NotReady (503 with Retry-After)."""
    try:
        yield
    except (
        redis.ConnectionError,
        redis.TimeoutError,
        redis.exceptions.ClusterError,
        redis.exceptions.TryAgainError,
        redis.exceptions.RedisClusterException,  # no node reachable: not a RedisError
    ) as error:
        raise NotReady(f"Redis is unreachable: {error}") from None
    except redis.ResponseError as error:
        # A refusal (out of memory, a read-only replica): no traceback, the reason instead.
        raise NotReady(f"Redis refused the command: {error}") from None


def _packed(command: Sequence[bytes]) -> bytes:
    """One command in the Redis protocol (RESP)."""
    return b"*%d\r\n" % len(command) + b"".join(
        [b"$%d\r\n%s\r\n" % (len(part), part) for part in command]
    )


def send(client: Client, commands: Sequence[Sequence[bytes]]) -> list[Any]:
    """The replies to ``commands``, sent in one write: one round trip.

    redis-py's Pipeline spends ~15 us of Python per command, and a lookup sends hundreds
    (an HMGET per bucket), so to a standalone Redis the commands go packed by hand and the
    replies come back through the connection's parser (hiredis). Redis Cluster needs the
    slot routing of redis-py's ClusterPipeline.
    """
    if isinstance(client, RedisCluster):
        pipe = cast(Any, client).pipeline(transaction=False)
        for name, *args in commands:
            pipe.execute_command(name.decode(), *args)
        replies: list[Any] = pipe.execute()
        return replies
    payload = b"".join([_packed(command) for command in commands])
    pool = client.connection_pool
    for attempt in range(2):
        connection: Any = pool.get_connection()
        try:
            connection.send_packed_command([payload])
            return [connection.read_response() for _ in commands]
        except redis.ConnectionError:
            connection.disconnect()
            if attempt:
                raise
            # else the connection broke (Redis restarted): once more on a new one
        except BaseException:
            connection.disconnect()  # replies may be left unread: never reuse it
            raise
        finally:
            pool.release(connection)
    raise AssertionError("unreachable")


def locator(salt: bytes, buckets: int) -> Callable[[str], tuple[bytes, int, int]]:
    """``locate(key)``: the field and the bucket of a table key in one version, and the
    64-bit hint its Bloom filter probes derive from."""
    # Copying a keyed hash is twice as fast as keying a new one.
    primed = hashlib.blake2b(digest_size=FIELD_BYTES + 8, key=salt)

    def locate(key: str) -> tuple[bytes, int, int]:
        hasher = primed.copy()
        hasher.update(key.encode())
        digest = hasher.digest()
        hint = int.from_bytes(digest[FIELD_BYTES:], "little")
        return digest[:FIELD_BYTES], (hint >> 16) % buckets, hint

    return locate


def bucket_key(prefix: str, version: str, bucket: int) -> str:
    return BUCKET % (prefix, version, bucket)


def bloom_key(prefix: str, version: str) -> str:
    return BLOOM % (prefix, version)


@dataclasses.dataclass(frozen=True)
class LoadReport:
    version: str
    entries: int
    buckets: int
    payload_bytes: int
    encode_seconds: float
    write_seconds: float


class Lock:
    """The load lock: SET NX with a TTL, extended by a heartbeat thread while held, so the
    lock of a process that dies expires within ``LOCK_TTL`` seconds."""

    def __init__(self, store: RedisStore) -> None:
        self.store = store
        self.token = secrets.token_hex(8)
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None

    def acquire(self, wait: float) -> bool:
        deadline = time.monotonic() + wait
        while True:
            with reachable():
                taken = self.store.client.set(
                    self.store.lock_key, self.token, nx=True, px=int(LOCK_TTL * 1000)
                )
            if taken:
                break
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)
        self._heartbeat = threading.Thread(target=self._keep, name="load-lock", daemon=True)
        self._heartbeat.start()
        return True

    def _keep(self) -> None:
        extend = self.store.script(EXTEND_SCRIPT)
        while not self._stop.wait(LOCK_TTL / 3):
            try:
                extend(keys=[self.store.lock_key], args=[self.token, int(LOCK_TTL * 1000)])
            except redis.RedisError as error:
                log.warning("could not extend the load lock: %s", error)

    def release(self) -> None:
        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join()
        try:
            self.store.script(RELEASE_SCRIPT)(keys=[self.store.lock_key], args=[self.token])
        except redis.RedisError as error:  # it expires by itself
            log.warning("could not release the load lock: %s", error)


class Loader:
    """One load of one table, by the holder of the lock."""

    def __init__(self, store: RedisStore, lock: Lock, progress: Progress | None = None) -> None:
        self.store = store
        self.client = store.client
        self.lock = lock
        self.progress = progress or (lambda stage, done, total: None)

    def run(self, table: CompiledTable) -> LoadReport:
        started = time.monotonic()
        schema = codec.Schema.learn(table.entries.items())
        per_bucket, value_limit = self._listpack_limits()
        count = max(1, math.ceil(len(table.entries) / per_bucket))
        version, buckets, bloom = self._encode(table, schema, count)
        largest = max((len(v) for bucket in buckets for v in bucket.values()), default=0)
        self._fit_listpack(largest, value_limit)
        encoded = time.monotonic()

        meta = dataclasses.replace(table.meta, version=version)
        envelope = {
            "version": version,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "entries": len(table.entries),
            "buckets": count,
            "bloom": {"bytes": len(bloom.bits), "probes": bloom.probes},
            "meta": codec.record_to_json(meta),
            "schema": schema.to_json(),
        }
        self._sweep(keep=self._current())
        with reachable():  # registered before writing, so a dead load's keys get swept
            self.client.hset(self.store.versions_key, version, json.dumps(envelope))
        try:
            payload = self._write(version, buckets)
            with reachable():
                self.client.set(bloom_key(self.store.prefix, version), bytes(bloom.bits))
            self._switch(version, json.dumps(envelope))
        except Exception:
            # Another load may already have unregistered this version (it took the lock
            # when ours expired): drop what was written, or it would stay forever. (A
            # killed load leaves its keys registered; the next load sweeps them.)
            self._abandon(version, count)
            raise
        self._sweep(keep=version)
        written = time.monotonic()
        return LoadReport(
            version, len(table.entries), count, payload, encoded - started, written - encoded
        )

    def _abandon(self, version: str, count: int) -> None:
        """Best effort: expire the keys of a version that was never switched to."""
        keys = [bloom_key(self.store.prefix, version)]
        keys += [bucket_key(self.store.prefix, version, n) for n in range(count)]
        try:
            for start in range(0, len(keys), EXPIRE_BATCH):
                pipe = self.client.pipeline(transaction=False)
                for key in keys[start : start + EXPIRE_BATCH]:
                    pipe.expire(key, 1)
                pipe.execute()
            self.client.hdel(self.store.versions_key, version)
        except redis.RedisError:
            log.warning("could not drop the keys of the failed load %s", version)

    def _nodes(self) -> list[dict[str, Any]]:
        """Where a server setting is read and set: every node of a cluster (redis-py sends
        CONFIG SET to one node only), replicas too, since they encode what they replicate."""
        if isinstance(self.client, RedisCluster):
            return [{"target_nodes": node} for node in cast(Any, self.client).get_nodes()]
        return [{}]

    def _listpack_limits(self) -> tuple[int, int]:
        """Fields per bucket and the value limit, from the listpack settings of the least
        generous node (Redis' defaults if CONFIG is disabled)."""
        entries, value = 128, 64
        try:
            with reachable():
                configs = [
                    self.client.config_get("hash-max-listpack-*", **node) for node in self._nodes()
                ]
            entries = min(_config(config, LISTPACK_ENTRIES, entries) for config in configs)
            value = min(_config(config, LISTPACK_VALUE, value) for config in configs)
        except redis.ResponseError:
            pass
        return max(4, min(BUCKET_FIELDS, int(entries * LISTPACK_FILL))), value

    def _fit_listpack(self, largest: int, limit: int) -> None:
        """Raise hash-max-listpack-value to the longest value, if allowed to: a bucket with
        one longer value becomes a hashtable, which costs ~3x the memory."""
        if largest <= limit:
            return
        if not self.store.tune:
            log.warning("%s is %d but values reach %d bytes", LISTPACK_VALUE, limit, largest)
            return
        wanted = 1 << (largest - 1).bit_length()
        try:
            with reachable():
                for node in self._nodes():
                    self.client.config_set(LISTPACK_VALUE, wanted, **node)
            log.info("raised %s from %d to %d", LISTPACK_VALUE, limit, wanted)
        except redis.ResponseError as error:
            log.warning("could not raise %s to %d: %s", LISTPACK_VALUE, wanted, error)

    def _encode(
        self, table: CompiledTable, schema: codec.Schema, count: int
    ) -> tuple[str, list[dict[bytes, bytes]], Bloom]:
        """A fresh version id, every bucket's fields, the filter of the keys. Fields are
        48-bit digests: should two collide in a bucket (odds ~1e-6 for a 1M-entity table),
        salt anew and retry."""
        encode = schema.encoder()
        total = len(table.entries)
        while True:
            version = _version_id(table.meta.version)
            locate = locator(version.encode(), count)
            buckets: list[dict[bytes, bytes]] = [{} for _ in range(count)]
            bloom = Bloom.for_keys(total)
            for done, (key, value) in enumerate(table.entries.items(), start=1):
                field, bucket, hint = locate(key)
                if field in buckets[bucket]:
                    log.warning("field collision in version %s; salting anew", version)
                    break
                buckets[bucket][field] = encode(key, value)
                bloom.add(hint)
                if done % PROGRESS_EVERY == 0:
                    self.progress("encoded", done, total)
            else:
                self.progress("encoded", total, total)
                return version, buckets, bloom

    def _write(self, version: str, buckets: list[dict[bytes, bytes]]) -> int:
        """HSET every bucket, many per pipeline; returns the bytes of values written."""
        total = sum(map(len, buckets))
        written = payload = pending = 0
        prefix = self.store.prefix
        commands: list[list[bytes]] = []
        for number, fields in enumerate(buckets):
            if fields:
                command = [b"HSET", bucket_key(prefix, version, number).encode()]
                for item in fields.items():
                    command.extend(item)
                commands.append(command)
            pending += len(fields)
            payload += sum(map(len, fields.values()))
            if pending >= WRITE_BATCH or number == len(buckets) - 1:
                with reachable():
                    send(self.client, commands)
                commands.clear()
                written += pending
                pending = 0
                self.progress("written", written, total)
        return payload

    def _switch(self, version: str, envelope: str) -> None:
        store = self.store
        with reachable():
            switched = store.script(SWITCH_SCRIPT)(
                keys=[store.lock_key, store.current_key, store.versions_key],
                args=[self.lock.token, version, envelope],
            )
        if not switched:
            raise Conflict("the load lock expired during the load; the old table stays")

    def _current(self) -> str | None:
        with reachable():
            current = self.client.get(self.store.current_key)
        return current.decode() if isinstance(current, bytes) else None

    def _sweep(self, keep: str | None) -> None:
        """Expire every registered version but ``keep``: replaced ones and dead loads."""
        store = self.store
        with reachable():
            registry = self.client.hgetall(store.versions_key)
            for raw_version, raw_envelope in registry.items():
                version = raw_version.decode() if isinstance(raw_version, bytes) else raw_version
                if version == keep:
                    continue
                count = json.loads(raw_envelope)["buckets"]
                keys = [bloom_key(store.prefix, version)]
                keys += [bucket_key(store.prefix, version, n) for n in range(count)]
                for start in range(0, len(keys), EXPIRE_BATCH):
                    pipe = self.client.pipeline(transaction=False)
                    for key in keys[start : start + EXPIRE_BATCH]:
                        pipe.expire(key, int(max(store.grace, MIN_GRACE)))
                    pipe.execute()
                self.client.hdel(store.versions_key, version)
                log.info("alias table %s expires in %d s", version, max(store.grace, MIN_GRACE))


def _config(config: Mapping[Any, Any], name: str, default: int) -> int:
    """A number from CONFIG GET's reply (keys are bytes or str depending on the client)."""
    for key in (name, name.encode()):
        if config.get(key) is not None:
            return int(config[key])
    return default


def _version_id(fingerprint: str) -> str:
    return f"{fingerprint[:12]}-{int(time.time()):x}{secrets.token_hex(2)}"
