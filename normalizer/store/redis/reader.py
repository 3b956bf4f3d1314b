"""The compiled table in Redis, shared by every worker of every instance.

The layout and the loader are in ``redis_load``. A lookup pins the version in force
(``view``) and reads it in batches (``get_many``). A batch is one write and one read: the
HMGETs of its keys' buckets, and a GET of the pointer that confirms the version is still
in force. A matcher lookup (two batches) thus costs two round trips. A worker that has not
confirmed its version for ``refresh`` seconds (idle) first reads the pointer again: one
more round trip. A replaced version stays readable for the loader's ``grace`` (at least
``MIN_GRACE`` seconds), and a lookup that began on it finishes on it within half of that:
answers come from one version, never a mix.

Two things spare Redis most of a lookup's keys, per version and so never stale: a Bloom
filter of the version's keys (the typo and phonetic variants a query asks for mostly do
not exist), and a bounded cache of values and absences already fetched.

When Redis has no table (it restarted without persistence), the first worker to notice
takes the load lock and reloads the table from ``source`` in a thread. Meanwhile every
worker answers 503.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.cluster import ClusterNode, RedisCluster
from redis.retry import Retry

from normalizer.exc import Conflict, NotReady
from normalizer.store.redis import codec
from normalizer.store.redis.bloom import Bloom
from normalizer.store.redis.codec import namespace
from normalizer.store.redis.layout import (
    CURRENT,
    LAYOUT,
    LOCK,
    VERSIONS,
    Client,
    bloom_key,
    bucket_key,
    locator,
    reachable,
    send,
)
from normalizer.store.redis.load import MIN_GRACE, Loader, LoadReport, Lock, Progress
from normalizer.table.compiler import CompiledTable
from normalizer.table.records import TableMeta

log = logging.getLogger(__name__)
_MISSING = object()

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})

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


def connect(url: str | None, cluster_nodes: str | None = None, timeout: float = 0.5) -> Client:
    """A client for ``url``, or for Redis Cluster if the URL has ``?cluster=true`` or
    ``cluster_nodes`` ("host:port,host:port") is given.

    Timeouts are short, and a command is retried once, only when its connection broke
    (Redis restarted): a dead or hung Redis fails a lookup within ``timeout``.
    """
    options: dict[str, Any] = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    once = Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,))
    if cluster_nodes:
        nodes = [
            ClusterNode(*_host_port(node))  # type: ignore[no-untyped-call]
            for node in cluster_nodes.split(",")
            if node
        ]
        return RedisCluster(startup_nodes=nodes, retry=once, **options)
    if not url:
        raise ValueError("a Redis URL or cluster nodes are needed")
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    cluster = any(k == "cluster" and v.lower() in TRUE_WORDS for k, v in query)
    url = urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k != "cluster"])))
    if cluster:
        return RedisCluster.from_url(url, retry=once, **options)
    return redis.Redis.from_url(url, retry=once, **options)


def _host_port(node: str) -> tuple[str, int]:
    host, _, port = node.strip().rpartition(":")
    return host or "127.0.0.1", int(port)


@dataclasses.dataclass
class Version:
    """A loaded version as a reader holds it."""

    id: str
    meta: TableMeta
    buckets: int
    decoders: dict[str, Callable[[bytes], object]]
    confirmed: float = 0.0  # monotonic time the pointer was last seen on this version
    replaced: bool = False  # the pointer has been seen on another version since
    cache: OrderedDict[str, object | None] = dataclasses.field(default_factory=OrderedDict)
    bloom: Bloom | None = None  # fetched after pinning; until then every key is asked for
    bloom_bytes: int = 0

    def __post_init__(self) -> None:
        self.locate = locator(self.id, self.buckets)

    def remember(self, keys: Sequence[str], values: Sequence[object | None], most: int) -> None:
        """Keep values (and absences) of this version, the oldest dropped beyond ``most``.
        Lookups share most keys (common tokens and their typo variants, mostly absent)."""
        cache = self.cache
        cache.update(zip(keys, values, strict=True))
        try:
            for _ in range(len(cache) - most):
                cache.popitem(last=False)
        except KeyError:  # emptied meanwhile by another thread
            pass

    @classmethod
    def from_envelope(cls, raw: bytes) -> Version:
        envelope = json.loads(raw)
        if envelope.get("layout") != LAYOUT:
            raise NotReady(
                f"alias table {envelope.get('version')} is in layout {envelope.get('layout')}, "
                f"this release reads layout {LAYOUT}: reload the table with this release"
            )
        try:
            decoders = codec.Schema.from_json(envelope["schema"]).decoders()
        except codec.SchemaMismatch as error:
            raise NotReady(f"alias table {envelope['version']}: {error}") from None
        meta = codec.record_from_json(TableMeta, envelope["meta"])
        version = cls(envelope["version"], meta, envelope["buckets"], decoders)
        version.bloom_bytes = envelope.get("bloom", {}).get("bytes", 0)
        return version


class RedisView:
    """One version of the table, pinned for the length of a lookup."""

    def __init__(self, store: RedisStore, version: Version) -> None:
        self._store = store
        self._version = version

    @property
    def meta(self) -> TableMeta:
        return self._version.meta

    def get_many(self, keys: Sequence[str]) -> list[object | None]:
        return self._store.fetch(self._version, keys)


class RedisStore:
    """The table in Redis.

    Args:
        client: a client, or a function that makes one on first use (so that a worker
            starts while Redis is down).
        prefix: the key prefix.
        source: compiles the table to load when Redis has none.
        refresh: seconds a worker trusts its version without reading the pointer.
        grace: seconds a replaced version stays readable.
        tune: let a load raise Redis' hash-max-listpack-value (see ``redis_load``).
        lock_wait: seconds a load waits for another load to finish.
        cache_size: values (or absences) a worker keeps per version; 0 for none.
    """

    shared = True

    def __init__(
        self,
        client: Client | Callable[[], Client],
        prefix: str = "normalizer",
        *,
        source: Callable[[], CompiledTable] | None = None,
        refresh: float = 0.5,
        grace: float = 60.0,
        tune: bool = True,
        lock_wait: float = 30.0,
        cache_size: int = 100_000,
    ) -> None:
        self._client = None if callable(client) else client
        self._connect = client if callable(client) else None
        self.prefix = prefix
        self.source = source
        self.refresh = refresh
        self.grace = grace
        self.tune = tune
        self.lock_wait = lock_wait
        self.cache_size = cache_size
        self.current_key = CURRENT % prefix
        self.versions_key = VERSIONS % prefix
        self.lock_key = LOCK % prefix
        self._pinned: Version | None = None
        self._scripts: dict[str, Any] = {}
        self._healing = threading.Lock()
        self._next_heal = 0.0

    @property
    def client(self) -> Client:
        if self._client is None:
            assert self._connect is not None
            with reachable():
                self._client = self._connect()
        return self._client

    def script(self, source: str) -> Any:
        """A Lua script, registered once per client."""
        if source not in self._scripts:
            self._scripts[source] = self.client.register_script(source)
        return self._scripts[source]

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    # Reading

    def view(self) -> RedisView:
        pinned = self._pinned
        if pinned is None or pinned.replaced or time.monotonic() - pinned.confirmed > self.refresh:
            pinned = self._pin()
        return RedisView(self, pinned)

    def ready(self) -> bool:
        """Redis answers and has a table: a live check (which starts a reload if needed)."""
        try:
            self._pin()
        except NotReady:
            return False
        return True

    def _pin(self) -> Version:
        """Read the version in force (with its envelope if it is new to us): one round trip."""
        held = self._pinned
        with reachable():
            found = self.script(PIN_SCRIPT)(
                keys=[self.current_key, self.versions_key], args=[held.id if held else ""]
            )
        if not found:
            self._pinned = None
            raise NotReady(self._lost())
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
        self._pinned = pinned
        return pinned

    def _fetch_bloom(self, version: Version) -> None:
        try:
            raw = self.client.get(bloom_key(self.prefix, version.id))
        except Exception as error:
            # The thread's last word (a client closed meanwhile raises TypeError from
            # hiredis): without the filter, every key is asked for.
            log.warning("no Bloom filter for alias table %s: %s", version.id, error)
            return
        if isinstance(raw, bytes) and len(raw) == version.bloom_bytes:
            version.bloom = Bloom.from_bytes(raw)

    def fetch(self, version: Version, keys: Sequence[str]) -> list[object | None]:
        """The values of ``keys`` in ``version``: from the worker's cache of this version,
        the others in one round trip, whatever their number."""
        found: dict[str, object | None] = {}
        missing: list[str] = []
        cache = version.cache
        for key in keys:
            value = cache.get(key, _MISSING)
            if value is _MISSING:
                missing.append(key)
            else:
                found[key] = value
        if missing:
            values = self._fetch(version, missing)
            found.update(zip(missing, values, strict=True))
            if self.cache_size:
                version.remember(missing, values, self.cache_size)
        return [found[key] for key in keys]

    def _fetch(self, version: Version, keys: Sequence[str]) -> list[object | None]:
        locate, bloom = version.locate, version.bloom
        fields: dict[int, bytes] = {}
        groups: dict[int, list[int]] = defaultdict(list)  # bucket -> indexes of its keys
        for index, key in enumerate(keys):
            field, bucket, hint = locate(key)
            if bloom is None or hint in bloom:
                fields[index] = field
                groups[bucket].append(index)
        if not groups:
            return [None] * len(keys)  # none of them exists: no round trip
        names = [bucket_key(self.prefix, version.id, b).encode() for b in groups]
        wanted = [[fields[i] for i in members] for members in groups.values()]
        with reachable():
            pointer, replies = self._read(names, wanted)
        self._confirm(version, pointer)
        values: list[object | None] = [None] * len(keys)
        decoders = version.decoders
        for members, reply in zip(groups.values(), replies, strict=True):
            for index, raw in zip(members, reply, strict=True):
                if raw is not None and (decode := decoders.get(namespace(keys[index]))):
                    values[index] = decode(raw)
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
        current = [b"GET", self.current_key.encode()]
        if isinstance(self.client, RedisCluster):
            hmgets = [[b"HMGET", b, *f] for b, f in zip(buckets, fields, strict=True)]
            pointer, *replies = send(self.client, [current, *hmgets])
            return pointer, replies
        commands = [current]
        for start in range(0, len(buckets), READ_CHUNK):
            chunk = range(start, min(start + READ_CHUNK, len(buckets)))
            counted = [arg for i in chunk for arg in (b"%d" % len(fields[i]), *fields[i])]
            keys = [buckets[i] for i in chunk]
            commands.append([b"EVAL", READ_SCRIPT, b"%d" % len(keys), *keys, *counted])
        pointer, *chunks = send(self.client, commands)
        return pointer, [reply for chunk in chunks for reply in chunk]

    def _confirm(self, version: Version, pointer: bytes | None) -> None:
        """Check the pointer read along with a batch. The batch is good if ``version`` is
        still in force, or was replaced too recently to have expired."""
        now = time.monotonic()
        if pointer is None:
            self._pinned = None
            raise NotReady(self._lost())
        if pointer.decode() == version.id:
            version.confirmed = now
            return
        version.replaced = True  # the next view pins the new version
        if now - version.confirmed > MIN_GRACE / 2:
            raise NotReady("the alias table changed during this lookup")

    # Self-healing

    def _lost(self) -> str:
        """Redis has no table: start reloading it, unless another worker already is."""
        if self.source is None:
            return "no alias table is loaded in Redis"
        now = time.monotonic()
        if now >= self._next_heal and self._healing.acquire(blocking=False):
            self._next_heal = now + 1.0  # at most one try a second per process
            lock, won = Lock(self), False
            try:
                won = lock.acquire(wait=0)
            except NotReady:
                pass
            finally:
                if won:  # the heal thread releases both locks
                    threading.Thread(target=self._heal, args=(lock,), daemon=True).start()
                else:
                    self._healing.release()
        return "no alias table is loaded in Redis; it is being reloaded"

    def _heal(self, lock: Lock) -> None:
        try:
            with reachable():
                if self.client.exists(self.current_key):
                    return  # another process has loaded a table meanwhile
            assert self.source is not None
            log.warning("Redis has no alias table: reloading it")
            report = self.load(self.source(), lock=lock)
            log.warning("alias table %s reloaded into Redis", report.version)
        except Exception:
            log.exception("reloading the alias table into Redis failed")
        finally:
            lock.release()
            self._healing.release()

    # Writing

    def publish(self, table: CompiledTable) -> str:
        return self.load(table).version

    def load(
        self,
        table: CompiledTable,
        progress: Progress | None = None,
        lock: Lock | None = None,
        jobs: int = 1,
    ) -> LoadReport:
        """Write ``table`` under a new version and switch to it; ``lock`` if already held.
        ``jobs`` > 1 writes in forked processes: only for a process of its own."""
        return self._locked(lambda loader: loader.run(table), progress, lock, jobs)

    def load_path(self, path: Path, progress: Progress | None = None, jobs: int = 1) -> LoadReport:
        """Validate, compile and load the alias files at ``path``: big ones in ``jobs``
        forked processes, which read, compile and write a run of the files each (only for
        a process of its own). Raises AliasTableError for a bad table."""
        return self._locked(lambda loader: loader.run_path(path), progress, None, jobs)

    def _locked(
        self,
        run: Callable[[Loader], LoadReport],
        progress: Progress | None,
        lock: Lock | None,
        jobs: int,
    ) -> LoadReport:
        if lock is None:
            lock = Lock(self)
            if not lock.acquire(wait=self.lock_wait):
                raise Conflict("another load of the alias table is running; retry later")
            try:
                report = run(Loader(self, lock, progress, jobs))
            finally:
                lock.release()
        else:
            report = run(Loader(self, lock, progress, jobs))
        self._pinned = None  # this process knows the pointer moved: no grace needed
        return report
