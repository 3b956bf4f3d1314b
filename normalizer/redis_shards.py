"""Compiling and loading a big table in several processes at once (``normalizer load``).

The table is never compiled whole in one process. Each worker, forked with the validated
entities, compiles one shard of them (``index.Shard``) and writes what it owns:

1. it analyzes its names and says how many it has and in how many each token is;
2. it learns where its alias ids start and every token's count in the whole table;
3. it learns which of its keys other shards have too (most keys are in one shard): it
   sends the postings of those that other workers own (a key's owner comes from its
   hash), and merges, in shard order, the postings of those it owns;
4. it encodes and writes those postings, its alias records and its entities, under the
   version it is told (again under another if two keys met on a field).

This process finds the shared keys (from 64-bit hashes of every worker's keys), relays
their postings (as bytes, without unpickling them), sums the counts, and switches to the
version once every worker has written its share. The result is the
table ``compile_table`` makes of the same entities.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
import multiprocessing
import os
import pickle
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

import xxhash

from normalizer import codec, index
from normalizer.aliases import Entity
from normalizer.bulk import no_cyclic_gc
from normalizer.index import Partial, Shard, Weights, compile_table, merge_postings, table_meta
from normalizer.records import Postings
from normalizer.redis_layout import Client
from normalizer.redis_load import LoadReport
from normalizer.redis_write import FieldCollision, Listpack, Share, ShareWriter

if TYPE_CHECKING:
    from normalizer.redis_load import Loader

log = logging.getLogger(__name__)

# The schema is learned from a compiled sample of about this many entities.
SAMPLE_ENTITIES = 5_000


def shard_bounds(count: int, jobs: int) -> list[tuple[int, int]]:
    """Shards of whole fingerprint blocks, as even as blocks allow; one if only one block."""
    block = index.FINGERPRINT_BLOCK
    blocks = math.ceil(count / block)
    shards = max(1, min(jobs, blocks))
    cuts = [round(blocks * n / shards) * block for n in range(shards + 1)]
    return [(cuts[n], min(cuts[n + 1], count)) for n in range(shards)]


def load_entities(
    loader: Loader, entities: Sequence[Entity], jobs: int, started: float
) -> LoadReport:
    """Compile and load ``entities`` in ``jobs`` worker processes."""
    sample = compile_table(entities[:: max(1, len(entities) // SAMPLE_ENTITIES)])
    schema = codec.Schema.learn(sample.entries.items())
    listpack = Listpack(loader.client, loader.store.tune)
    per_bucket = listpack.bucket_fields()
    job = _Job(loader.client, loader.store.prefix, entities, schema, listpack)
    bounds = shard_bounds(len(entities), jobs)
    log.info("compiling %d entities in %d processes", len(entities), len(bounds))
    with _Workers(job, bounds, loader.progress) as workers:
        counted = workers.gather("counted")
        firsts = list(itertools.accumulate((names for names, _, _ in counted), initial=0))
        aliases = firsts[-1]
        counts: dict[str, int] = {}
        for _, shard_counts, _ in counted:
            for token, count in shard_counts.items():
                counts[token] = counts.get(token, 0) + count
        for worker, first in enumerate(firsts[:-1]):
            workers.send(worker, ("weights", first, aliases, counts))
        del counts
        workers.relay_postings()
        keys = sum(owned for (owned,) in workers.gather("keys")) + aliases + len(entities)
        count = max(1, math.ceil(keys / per_bucket))
        loader.progress("compiled", keys, keys)
        log.info("compiled in %.1f s; writing", time.monotonic() - started)
        meta = table_meta(entities, aliases, [d for _, _, digests in counted for d in digests])
        compiled = time.monotonic()

        workers.total = keys

        def write(version: str) -> list[Share]:
            workers.broadcast(("write", version, count, keys))
            replies = workers.gather("share", collisions=True)
            shares = [share for (share,) in replies if isinstance(share, Share)]
            if len(shares) < len(replies):
                raise FieldCollision(f"two keys of version {version} met on a field")
            return shares

        version, shares = loader.commit(meta, schema, count, keys, write)
        workers.broadcast(("done",))
    return LoadReport(
        version,
        aliases,
        keys,
        count,
        sum(share.payload_bytes for share in shares),
        compiled - started,
        time.monotonic() - compiled,
        len(shares),
    )


@dataclasses.dataclass
class _Job:
    """What every worker inherits when forked."""

    client: Client
    prefix: str
    entities: Sequence[Entity]
    schema: codec.Schema
    listpack: Listpack


class _Workers:
    """The worker processes, one per shard, and the pipes to them."""

    def __init__(
        self,
        job: _Job,
        bounds: list[tuple[int, int]],
        progress: Callable[[str, int, int], None],
    ) -> None:
        self.job = job
        self.bounds = bounds
        self.progress = progress
        self.total = 0  # keys of the table, once known
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        self._done: dict[str, list[int]] = {}

    def __enter__(self) -> _Workers:
        context = multiprocessing.get_context("fork")
        for number, bounds in enumerate(self.bounds):
            ours, theirs = context.Pipe()
            args = (theirs, self.job, bounds, number, len(self.bounds), os.getpid())
            process = context.Process(target=_work, args=args, daemon=True)
            process.start()
            theirs.close()
            self.pipes.append(ours)
            self.processes.append(process)
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for pipe in self.pipes:
            pipe.close()

    def send(self, worker: int, message: tuple[Any, ...]) -> None:
        self.pipes[worker].send(message)

    def broadcast(self, message: tuple[Any, ...]) -> None:
        for worker in range(len(self.pipes)):
            self.send(worker, message)

    def gather(self, kind: str, collisions: bool = False) -> list[tuple[Any, ...]]:
        """Every worker's next reply of ``kind``, in worker order; progress reported on the
        way, a worker's error raised (a collision returned as a None, if ``collisions``)."""
        return [self._reply(worker, kind, collisions) for worker in range(len(self.pipes))]

    def _reply(self, worker: int, kind: str, collisions: bool) -> tuple[Any, ...]:
        while True:
            try:
                message = self.pipes[worker].recv()
            except EOFError:
                raise RuntimeError(f"load worker {worker} died") from None
            if message[0] == "progress":
                _, stage, done = message
                by_worker = self._done.setdefault(stage, [0] * len(self.pipes))
                by_worker[worker] = done
                self.progress(stage, sum(by_worker), self.total)
            elif message[0] == "error":
                raise message[1]
            elif message[0] == "collision" and collisions:
                return (None,)
            elif message[0] == kind:
                return tuple(message[1:])
            else:
                raise RuntimeError(f"load worker {worker} said {message[0]!r}, not {kind!r}")

    def relay_postings(self) -> None:
        """Tell the workers which of their keys others have too (by 64-bit hash); then pass
        each worker the postings the others found for the shared keys it owns, in shard
        order, as the bytes they were sent in."""
        workers = len(self.pipes)
        seen: set[int] = set()
        shared: set[int] = set()
        for worker in range(workers):
            self._reply(worker, "hashes", False)  # then the bytes
            hashes = array("Q")
            hashes.frombytes(self.pipes[worker].recv_bytes())
            mine = set(hashes)
            shared |= mine & seen
            seen |= mine
        del seen
        raw = array("Q", shared).tobytes()
        for pipe in self.pipes:
            pipe.send_bytes(raw)
        found = []
        for worker in range(workers):
            self._reply(worker, "postings", False)  # then the bytes
            found.append([self.pipes[worker].recv_bytes() for _ in range(workers - 1)])
        for target in range(workers):
            for source in range(workers):
                if source != target:
                    # Worker ``source`` sent its parts in owner order, without its own.
                    self.pipes[target].send_bytes(found[source][target - (target > source)])


def _work(
    pipe: Connection,
    job: _Job,
    bounds: tuple[int, int],
    number: int,
    workers: int,
    parent: int,
) -> None:
    """One worker's part of the protocol above; errors go to the parent."""
    try:
        with no_cyclic_gc():
            shard = Shard.of(job.entities[bounds[0] : bounds[1]])
            pipe.send(("counted", len(shard.names), shard.token_counts(), shard.digests))
            _, shard.first, aliases, counts = pipe.recv()
            weights = Weights(counts, aliases)
            del counts
            owned = _exchange(pipe, shard.postings(), number, workers)
            pipe.send(("keys", len(owned)))
            while (message := pipe.recv())[0] == "write":
                _, version, buckets, keys = message
                writer = ShareWriter(
                    job.client, job.prefix, version, buckets, job.schema, job.listpack
                )
                writer.progress = lambda stage, done: pipe.send(("progress", stage, done))
                writer.wanted = lambda: os.getppid() == parent
                try:
                    pipe.send(("share", writer.write(_entries(owned, shard, weights), keys)))
                except FieldCollision as error:
                    pipe.send(("collision", str(error)))
    except BaseException as error:  # reported to the parent, which raises it
        try:
            pipe.send(("error", error))
        except Exception:  # an error that does not pickle
            pipe.send(("error", RuntimeError(repr(error))))
    finally:
        pipe.close()


def _exchange(
    pipe: Connection, found: dict[str, Partial], number: int, workers: int
) -> dict[str, Partial]:
    """The postings of the keys this worker writes: those only its shard has, and the
    merged postings of the shared keys it owns (which the others send it, as it sends
    them theirs). Most keys are in one shard: only hashes of keys cross for those."""
    digest = xxhash.xxh3_64_intdigest
    hashes = array("Q", [digest(key.encode()) for key in found])
    pipe.send(("hashes",))
    pipe.send_bytes(hashes.tobytes())
    shared = array("Q")
    shared.frombytes(pipe.recv_bytes())
    others = set(shared)
    del shared
    owned: dict[str, Partial] = {}
    parts: list[dict[str, Partial]] = [{} for _ in range(workers)]
    for (key, partial), hashed in zip(found.items(), hashes, strict=True):
        if hashed in others:
            parts[hashed % workers][key] = partial
        else:
            owned[key] = partial
    del found, hashes, others
    pipe.send(("postings",))
    for target in range(workers):
        if target != number:
            pipe.send_bytes(pickle.dumps(parts[target], pickle.HIGHEST_PROTOCOL))
            parts[target] = {}
    for source in range(workers):
        if source != number:
            parts[source] = pickle.loads(pipe.recv_bytes())
    merged = parts[0]
    for part in parts[1:]:  # in shard order, so ids ascend
        for key, partial in part.items():
            known = merged.get(key)
            merged[key] = partial if known is None else merge_postings((known, partial))
    owned.update(merged)
    return owned


def _entries(
    owned: dict[str, Partial], shard: Shard, weights: Weights
) -> Iterator[tuple[str, object]]:
    for key, (size, ids) in owned.items():
        yield key, Postings(size, tuple(ids))
    yield from shard.records(weights)
    yield from shard.entity_records()
