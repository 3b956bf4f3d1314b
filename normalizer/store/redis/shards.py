"""Validating, compiling and loading a big table in several processes (``normalizer load``).

The table is never read or compiled whole in one process. The alias files are cut into
runs of about equal size (``aliases.split_files``), and each worker, forked with its run:

1. reads and validates its run, and says which ids it defines (an id two runs define is a
   problem this process reports, with the lines of both);
2. compiles its entities as one shard (``index.Shard``), and says how many names it has
   and in how many each token is;
3. learns where its alias ids start and every token's count in the whole table, and sends
   a sample of its values, from which this process learns the codec schema;
4. learns which of its keys other shards have too (most keys are in one shard; 64-bit
   hashes of the keys are compared): it sends the postings of those that other workers
   own (a key's owner comes from its hash), and merges, in shard order, those it owns;
5. encodes and writes those postings, its alias records and its entities, under the
   version it is told (again under another if two keys met on a field).

This process relays the postings (as bytes, without unpickling them), sums the counts,
and switches to the version once every worker has written its share. The table is the one
``compile_table`` makes of ``load_path``'s entities.
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
from collections import defaultdict
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xxhash

from normalizer.aliases.load import duplicate, no_entities, parse_parts
from normalizer.aliases.model import Entity
from normalizer.aliases.readers import Part
from normalizer.bulk import no_cyclic_gc
from normalizer.exc import AliasProblem, AliasTableError
from normalizer.store.redis import codec
from normalizer.store.redis.layout import Client
from normalizer.store.redis.load import LoadReport, report_error
from normalizer.store.redis.write import FieldCollision, Listpack, Share, ShareWriter
from normalizer.table.compiler import table_meta
from normalizer.table.records import ALIAS_RECORDS, ENTITY_RECORDS, AliasRecord, Postings
from normalizer.table.shard import Partial, Shard, counted, merge_postings
from normalizer.table.weights import Weights

if TYPE_CHECKING:
    from normalizer.store.redis.load import Loader

log = logging.getLogger(__name__)

# Values the codec schema is learned from, over all workers.
SAMPLE_VALUES = 60_000


def load_runs(loader: Loader, path: Path, runs: list[list[Part]]) -> LoadReport:
    """Validate, compile and load the alias files at ``path``, one run of them a worker."""
    started = time.monotonic()
    listpack = Listpack(loader.client, loader.store.tune)
    per_bucket = listpack.bucket_fields()
    job = _Job(loader.client, loader.store.prefix, listpack)
    log.info("reading %s in %d processes", path, len(runs))
    with _Workers(job, runs, loader.progress) as workers:
        entities = _validated(workers, path)
        validated = time.monotonic()
        loader.progress("validated", entities, entities)
        workers.broadcast(("compile",))
        counted = workers.gather("counted")
        firsts = list(itertools.accumulate((names for names, *_ in counted), initial=0))
        aliases = firsts[-1]
        counts: dict[str, int] = {}
        for _, shard_counts, _, _ in counted:
            for token, count in shard_counts.items():
                counts[token] = counts.get(token, 0) + count
        every = max(1, math.ceil((aliases + entities) / SAMPLE_VALUES))
        for worker, first in enumerate(firsts[:-1]):
            theirs = {token: counts[token] for token in counted[worker][1]}
            workers.send(worker, ("weights", first, aliases, theirs, every))
        del counts
        samples = workers.gather("sample")
        workers.relay_postings()
        # While the workers merge the postings they own.
        schema = codec.Schema.learn(item for (sample,) in samples for item in sample)
        workers.broadcast(("schema", schema))
        keys = sum(owned for (owned,) in workers.gather("keys")) + aliases + entities
        count = max(1, math.ceil(keys / per_bucket))
        loader.progress("compiled", keys, keys)
        types = set().union(*(shard_types for *_, shard_types in counted))
        meta = table_meta(entities, aliases, types, b"".join(d for _, _, d, _ in counted))
        compiled = time.monotonic()
        log.info(
            "validated in %.1f s, compiled in %.1f s", validated - started, compiled - validated
        )
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
        entities,
        aliases,
        keys,
        count,
        sum(share.payload_bytes for share in shares),
        compiled - validated,
        time.monotonic() - compiled,
        len(shares),
        validated - started,
    )


def _validated(workers: _Workers, path: Path) -> int:
    """How many entities the runs define; raises AliasTableError for every problem, as
    ``load_path`` would (an id two runs define included)."""
    replies = workers.gather("validated")
    problems: list[AliasProblem] = [problem for found, _ in replies for problem in found]
    first_of: dict[str, int] = {}  # id -> the worker that defines it first
    again: list[tuple[int, str]] = []  # (worker, id) defined by an earlier worker too
    for worker, (_, ids) in enumerate(replies):
        for entity_id in ids:
            if first_of.setdefault(entity_id, worker) != worker:
                again.append((worker, entity_id))
    if again:  # where both are defined, for the message
        asked: dict[int, set[str]] = defaultdict(set)
        for worker, entity_id in again:
            asked[worker].add(entity_id)
            asked[first_of[entity_id]].add(entity_id)
        where: dict[int, dict[str, Entity]] = {}
        for worker, ids in asked.items():
            workers.send(worker, ("where", sorted(ids)))
            (where[worker],) = workers.gather_one(worker, "where")
        for worker, entity_id in again:
            problems.append(
                duplicate(where[worker][entity_id], where[first_of[entity_id]][entity_id])
            )
    if problems:
        raise AliasTableError(problems)
    entities = sum(len(ids) for _, ids in replies)
    if not entities:
        raise no_entities(path)
    return entities


@dataclasses.dataclass
class _Job:
    """What every worker inherits when forked."""

    client: Client
    prefix: str
    listpack: Listpack


class _Workers:
    """The worker processes, one per run of the files, and the pipes to them."""

    def __init__(
        self, job: _Job, runs: list[list[Part]], progress: Callable[[str, int, int], None]
    ) -> None:
        self.job = job
        self.runs = runs
        self.progress = progress
        self.total = 0  # keys of the table, once known
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        self._done: dict[str, list[int]] = {}

    def __enter__(self) -> _Workers:
        context = multiprocessing.get_context("fork")
        for number, run in enumerate(self.runs):
            ours, theirs = context.Pipe()
            args = (theirs, self.job, run, number, len(self.runs), os.getpid())
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
        self._sending(worker, lambda pipe: pipe.send(message))

    def send_bytes(self, worker: int, data: bytes) -> None:
        self._sending(worker, lambda pipe: pipe.send_bytes(data))

    def _sending(self, worker: int, send: Callable[[Connection], None]) -> None:
        """Send to ``worker``; if it has ended, raise the error it ended with."""
        pipe = self.pipes[worker]
        try:
            send(pipe)
        except OSError:  # a broken pipe: it failed, and said why before it ended
            try:
                while pipe.poll(1.0):
                    message = pipe.recv()
                    if message[0] == "error":
                        raise message[1] from None
            except (EOFError, OSError):
                pass
            raise RuntimeError(f"load worker {worker} died") from None

    def broadcast(self, message: tuple[Any, ...]) -> None:
        for worker in range(len(self.pipes)):
            self.send(worker, message)

    def gather(self, kind: str, collisions: bool = False) -> list[tuple[Any, ...]]:
        """Every worker's next reply of ``kind``, in worker order; progress reported on the
        way, a worker's error raised (a collision returned as a None, if ``collisions``)."""
        return [self.gather_one(worker, kind, collisions) for worker in range(len(self.pipes))]

    def gather_one(self, worker: int, kind: str, collisions: bool = False) -> tuple[Any, ...]:
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
            self.gather_one(worker, "hashes")  # then the bytes
            hashes = array("Q")
            hashes.frombytes(self.pipes[worker].recv_bytes())
            # A worker's hashes are distinct: no set is made of them but ``seen``.
            shared |= seen.intersection(hashes)
            if worker < workers - 1:
                seen.update(hashes)
        del seen, hashes
        raw = array("Q", shared).tobytes()
        for worker in range(workers):
            self.send_bytes(worker, raw)
        found = []
        for worker in range(workers):
            self.gather_one(worker, "postings")  # then the bytes
            found.append([self.pipes[worker].recv_bytes() for _ in range(workers - 1)])
        for target in range(workers):
            for source in range(workers):
                if source != target:
                    # Worker ``source`` sent its parts in owner order, without its own.
                    self.send_bytes(target, found[source][target - (target > source)])


def _work(
    pipe: Connection, job: _Job, run: list[Part], number: int, workers: int, parent: int
) -> None:
    """One worker's part of the protocol above; errors go to the parent."""
    try:
        with no_cyclic_gc():
            entities, problems = parse_parts(run)
            pipe.send(("validated", problems, [entity.id for entity in entities]))
            while (message := pipe.recv())[0] == "where":
                by_id = {entity.id: entity for entity in entities}
                pipe.send(("where", {i: by_id[i] for i in message[1]}))
            if message[0] != "compile":
                return
            shard = Shard.of(entities)
            types = {entity.type for entity in entities}
            pipe.send(("counted", len(shard.names), shard.token_counts(), shard.digests, types))
            postings = shard.postings()  # while this process sums the counts
            _, shard.first, aliases, counts, every = pipe.recv()
            weights = Weights(counts, aliases)
            del counts
            pipe.send(("sample", _sample(shard, weights, every)))
            owned, merged = _exchange(pipe, postings, shard.first, number, workers)
            _, schema = pipe.recv()
            pipe.send(("keys", len(owned) + len(merged)))
            while (message := pipe.recv())[0] == "write":
                _, version, buckets, keys = message
                writer = ShareWriter(job.client, job.prefix, version, buckets, schema, job.listpack)
                writer.progress = lambda stage, done: pipe.send(("progress", stage, done))
                writer.wanted = lambda: os.getppid() == parent
                try:
                    items = _encoded(owned, merged, shard, weights, schema)
                    pipe.send(("share", writer.write_encoded(items, keys)))
                except FieldCollision as error:
                    pipe.send(("collision", str(error)))
    except BaseException as error:
        report_error(pipe, error)
    finally:
        pipe.close()


def _sample(shard: Shard, weights: Weights, every: int) -> list[tuple[str, object]]:
    """Every ``every``-th alias record and entity, for the schema's dictionaries (the
    postings, short, are compressed by none)."""
    sample: list[tuple[str, object]] = list(shard.records(weights, every=every))
    sample += shard.entity_records(every)
    return sample


def _exchange(
    pipe: Connection, found: dict[str, Partial], first: int, number: int, workers: int
) -> tuple[dict[str, Partial], dict[str, Partial]]:
    """The postings of the keys this worker writes: those only its shard has (ids still
    local), and the merged postings of the shared keys it owns (which the others send it,
    as it sends them theirs). Only the hashes of the other keys cross. ``found`` becomes
    the first: the shared keys are taken out of it."""
    digest = xxhash.xxh3_64_intdigest
    hashes = array("Q", [digest(key.encode()) for key in found])
    pipe.send(("hashes",))
    pipe.send_bytes(hashes.tobytes())
    shared = array("Q")
    shared.frombytes(pipe.recv_bytes())
    others = set(shared)
    del shared
    # Most keys are this shard's alone: they stay in ``found`` (ids counted from ``first``
    # when written).
    parts: list[dict[str, Partial]] = [{} for _ in range(workers)]
    for key, hashed in [pair for pair in zip(found, hashes, strict=True) if pair[1] in others]:
        parts[hashed % workers][key] = found.pop(key)
    owned = found
    del hashes, others
    # Parts cross with their ids local, and the first id of their shard: the owner counts
    # only the ids it keeps (a common token's first shard often fills its postings).
    pipe.send(("postings",))
    for target in range(workers):
        if target != number:
            pipe.send_bytes(pickle.dumps((first, parts[target]), pickle.HIGHEST_PROTOCOL))
            parts[target] = {}
    firsts = [first] * workers
    for source in range(workers):
        if source != number:
            firsts[source], parts[source] = pickle.loads(pipe.recv_bytes())
    merged: dict[str, Partial] = {}
    for part, offset in zip(parts, firsts, strict=True):  # in shard order: ids ascend
        for key, partial in part.items():
            known = merged.get(key)
            merged[key] = (
                counted(partial, offset)
                if known is None
                else merge_postings(known, partial, offset)
            )
    return owned, merged


def _encoded(
    owned: dict[str, Partial],
    merged: dict[str, Partial],
    shard: Shard,
    weights: Weights,
    schema: codec.Schema,
) -> Iterator[tuple[str, bytes]]:
    """This worker's entries as ``schema``'s encoder encodes them, packed from their parts
    (making millions of records and postings first cost as much again); their namespaces
    are noted in ``schema``."""
    spaces = {codec.namespace(key) for postings in (owned, merged) for key in postings}
    # The schema's dictionaries were trained on samples of records and entities only.
    assert spaces.isdisjoint(schema.dictionaries), "postings are not compressed"
    for space in spaces:
        schema.note(space, Postings)
    first, pack = shard.first, codec.packer(Postings)
    for key, partial in owned.items():
        yield key, pack(*counted(partial, first))
    for key, (size, ids) in merged.items():
        yield key, pack(size, ids)
    for space, kind, entries in (
        (ALIAS_RECORDS, AliasRecord, shard.made_records(weights, codec.packer(AliasRecord))),
        (ENTITY_RECORDS, dict, ((k, codec.pack(v)) for k, v in shard.entity_records())),
    ):
        schema.note(space, kind)
        if (compress := schema.compressor(space)) is None:
            yield from entries
        else:
            for key, data in entries:
                yield key, compress(data)
