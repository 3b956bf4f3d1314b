"""Loading a compiled table into Redis under a new version (layout: ``redis_layout``).

A load learns the codec schema from a sample of the table, registers the new version (so
that the next load sweeps it if this one dies), writes every bucket (``redis_write``, in
several processes for big tables), then the Bloom filter, then moves the pointer in one
script, then puts an expiry of ``grace`` seconds on every other version. A load that dies
never moves the pointer.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, cast

import redis

from normalizer.aliases.load import alias_paths, load_path
from normalizer.aliases.readers import split_files
from normalizer.exc import Conflict
from normalizer.store.redis import codec
from normalizer.store.redis.bloom import Bloom
from normalizer.store.redis.layout import LAYOUT, bloom_key, bucket_key, reachable
from normalizer.store.redis.write import FieldCollision, Listpack, Share, ShareWriter
from normalizer.table.compiler import CompiledTable, compile_table
from normalizer.table.records import TableMeta

if TYPE_CHECKING:
    from normalizer.store.redis.reader import RedisStore

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

EXPIRE_BATCH = 10_000  # keys per pipeline
LOCK_TTL = 30.0
# A replaced version stays readable for the loader's grace, never less than this; readers
# finish a lookup on a replaced version only within half of it, whatever their own
# settings, so a loader with a shorter grace than the readers' can never expire a version
# under them.
MIN_GRACE = 5.0
# Entries the schema is learned from (every n-th of the table), and the table size from
# which forking writers pays.
SAMPLE_ENTRIES = 200_000
PARALLEL_FROM = 200_000
# Alias files from which reading and compiling them in several processes pays (~25,000
# entities).
PARALLEL_FROM_BYTES = 4_000_000
SALTS = 3  # versions tried when keys collide on a field (each time ~1e-6)

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
    """One load of one table, by the holder of the lock.

    ``jobs``: processes writing buckets. More than one forks the loading process, so only
    a process of its own (``normalizer load``) asks for more; a server never does.
    """

    def __init__(
        self, store: RedisStore, lock: Lock, progress: Progress | None = None, jobs: int = 1
    ) -> None:
        self.store = store
        self.client = store.client
        self.lock = lock
        self.progress = progress or (lambda stage, done, total: None)
        self.jobs = max(1, jobs)

    def run(self, table: CompiledTable) -> LoadReport:
        """Load a compiled table."""
        started = time.monotonic()
        entries = table.entries
        stride = max(1, len(entries) // SAMPLE_ENTRIES)
        schema = codec.Schema.learn(itertools.islice(entries.items(), 0, None, stride))
        listpack = Listpack(self.client, self.store.tune)
        count = max(1, math.ceil(len(entries) / listpack.bucket_fields()))
        prepared = time.monotonic()

        def write(version: str) -> list[Share]:
            return self._write(version, schema, count, listpack, entries)

        version, shares = self.commit(table.meta, schema, count, len(entries), write)
        return LoadReport(
            version,
            table.meta.entities,
            table.meta.aliases,
            len(entries),
            count,
            sum(share.payload_bytes for share in shares),
            prepared - started,
            time.monotonic() - prepared,
            len(shares),
        )

    def run_path(self, path: Path) -> LoadReport:
        """Validate, compile and load the alias files at ``path``: in ``jobs`` processes
        if they are big enough to gain from it (each reads a run of them), else in this
        one. Raises AliasTableError, as ``load_path`` does."""
        from normalizer.store.redis import shards as redis_shards  # which needs this module

        started = time.monotonic()
        files = alias_paths(path)
        size = sum(f.stat().st_size for f in files if f.is_file())
        if self.jobs > 1 and size >= PARALLEL_FROM_BYTES and hasattr(os, "fork"):
            runs = split_files(files, self.jobs)
            if len(runs) > 1:
                return redis_shards.load_runs(self, path, runs)
        entities = load_path(path)
        validated = time.monotonic()
        self.progress("validated", len(entities), len(entities))
        table = compile_table(entities)
        self.progress("compiled", len(table.entries), len(table.entries))
        report = self.run(table)
        return dataclasses.replace(
            report,
            validate_seconds=validated - started,
            prepare_seconds=time.monotonic() - validated - report.write_seconds,
        )

    def commit(
        self,
        meta: TableMeta,
        schema: codec.Schema,
        count: int,
        keys: int,
        write: Callable[[str], list[Share]],
    ) -> tuple[str, list[Share]]:
        """Have ``write`` write the table under a fresh version (another if two keys meet
        on a field), then switch to it and expire the others; the version and its shares."""
        self._sweep(keep=self._current())
        for salt in range(SALTS):
            version = _version_id(meta.version)
            with reachable():  # registered before writing, so a dead load's keys get swept
                self.client.hset(self.store.versions_key, version, json.dumps({"buckets": count}))
            try:
                shares = write(version)
                envelope = self._finish(version, meta, schema, count, keys, shares)
                self._switch(version, envelope)
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
        self,
        version: str,
        meta: TableMeta,
        schema: codec.Schema,
        count: int,
        keys: int,
        shares: list[Share],
    ) -> str:
        """Write the Bloom filter; the envelope of the version."""
        bloom = Bloom.from_bytes(shares[0].bloom)
        for share in shares:
            if share is not shares[0]:
                bloom.update(Bloom.from_bytes(share.bloom))
            schema.merge(share.namespaces, share.record_fields)
        raw = bloom.to_bytes()
        with reachable():
            self.client.set(bloom_key(self.store.prefix, version), raw)
        return json.dumps(
            {
                "layout": LAYOUT,
                "version": version,
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "entries": keys,
                "buckets": count,
                "bloom": {"bytes": len(raw)},
                "meta": codec.record_to_json(dataclasses.replace(meta, version=version)),
                "schema": schema.to_json(),
            }
        )

    def _write(
        self,
        version: str,
        schema: codec.Schema,
        count: int,
        listpack: Listpack,
        entries: Mapping[str, object],
    ) -> list[Share]:
        """Every bucket, by ``jobs`` writers; the shares they wrote."""
        total = len(entries)
        jobs = self.jobs if total >= PARALLEL_FROM and hasattr(os, "fork") else 1
        writers = [
            ShareWriter(
                self.client, self.store.prefix, version, count, schema, listpack, part, jobs
            )
            for part in range(jobs)
        ]
        if jobs == 1:
            writers[0].progress = lambda stage, done: self.progress(stage, done, total)
            return [writers[0].write(entries.items(), total)]
        return _in_processes(
            writers, entries, lambda stage, done: self.progress(stage, done, total)
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


def _in_processes(
    writers: list[ShareWriter],
    entries: Mapping[str, object],
    progress: Callable[[str, int], None],
) -> list[Share]:
    """Run each writer in a forked process (which shares ``entries`` with this one, copy
    on write); their shares, or the first error one raised."""
    context = multiprocessing.get_context("fork")
    parent = os.getpid()
    waiting: dict[Connection, int] = {}  # pipe -> the part it reports on
    processes = []
    for part, writer in enumerate(writers):
        receiving, sending = context.Pipe(duplex=False)
        writer.progress = functools.partial(_report_progress, sending)
        writer.wanted = functools.partial(_parent_is, parent)
        process = context.Process(target=_write_share, args=(writer, entries, sending), daemon=True)
        process.start()
        sending.close()
        waiting[receiving] = part
        processes.append(process)
    done: dict[str, list[int]] = {}  # stage -> done by each writer
    shares: dict[int, Share] = {}
    try:
        while waiting:
            for ready in multiprocessing.connection.wait(list(waiting)):
                pipe = cast(Connection, ready)
                part = waiting[pipe]
                try:
                    kind, body = pipe.recv()
                except EOFError:
                    raise RuntimeError(f"load process {part} died") from None
                if kind == "error":
                    raise cast(BaseException, body)
                if kind == "progress":
                    stage, count = cast(tuple[str, int], body)
                    done.setdefault(stage, [0] * len(writers))[part] = count
                    progress(stage, sum(done[stage]))
                else:
                    shares[part] = cast(Share, body)
                    del waiting[pipe]
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
    return [shares[part] for part in range(len(writers))]


def _report_progress(pipe: Connection, stage: str, done: int) -> None:
    pipe.send(("progress", (stage, done)))


def _parent_is(pid: int) -> bool:
    return os.getppid() == pid


def _write_share(writer: ShareWriter, entries: Mapping[str, object], pipe: Connection) -> None:
    try:
        pipe.send(("share", writer.write(entries.items(), len(entries))))
    except BaseException as error:
        report_error(pipe, error)
    finally:
        pipe.close()


def report_error(pipe: Connection, error: BaseException) -> None:
    """A load process's last word: its error, for the parent to raise."""
    try:
        pipe.send(("error", error))
    except Exception:  # an error that does not pickle
        pipe.send(("error", RuntimeError(repr(error))))


def _version_id(fingerprint: str) -> str:
    return f"{fingerprint[:12]}-{int(time.time()):x}{secrets.token_hex(2)}"
