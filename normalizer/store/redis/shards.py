"""Validating, compiling and loading a big table in several processes (``normalizer load``).

The table is never read or compiled whole in one process. The alias files are cut into
runs of about equal size (``aliases.readers.split_files``), and each worker, forked with
its run (``shard_worker``):

1. reads and validates its run, and says which ids it defines (an id two runs define is a
   problem this process reports, with the lines of both);
2. compiles its entities as one shard (``table.shard.Shard``), and says how many names it
   has and in how many each token is;
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
import functools
import itertools
import logging
import math
import time
from array import array
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from normalizer.aliases.load import duplicate, no_entities
from normalizer.aliases.model import Entity
from normalizer.aliases.readers import Part
from normalizer.exc import AliasProblem, AliasTableError
from normalizer.store.redis.listpack import Listpack
from normalizer.store.redis.messages import (
    Compile,
    Counted,
    Done,
    Hashes,
    Locate,
    Located,
    Owned,
    PostingsSent,
    Sampled,
    UseSchema,
    Validated,
    Weigh,
    Write,
    Written,
)
from normalizer.store.redis.publish import LoadReport, Publisher
from normalizer.store.redis.schema import Schema
from normalizer.store.redis.shard_worker import Job, work_on_run
from normalizer.store.redis.workers import Workers
from normalizer.store.redis.write import FieldCollision, Share
from normalizer.table.compiler import table_meta
from normalizer.table.records import TableMeta

log = logging.getLogger(__name__)

# Values the codec schema is learned from, over all workers.
SAMPLE_VALUES = 60_000


@dataclass(frozen=True)
class _Compiled:
    meta: TableMeta
    schema: Schema
    keys: int


def load_runs(publisher: Publisher, path: Path, runs: list[list[Part]]) -> LoadReport:
    """Validate, compile and load the alias files at ``path``, one run of them a worker."""
    started = time.monotonic()
    client = publisher.connection.client
    listpack = Listpack(client, publisher.tune)
    per_bucket = listpack.bucket_fields()
    jobs = [Job(client, publisher.keys, listpack, run, len(runs)) for run in runs]
    log.info("reading %s in %d processes", path, len(runs))
    with Workers(
        [functools.partial(work_on_run, job) for job in jobs], publisher.progress
    ) as workers:
        entities = _validated(workers, path)
        validated = time.monotonic()
        publisher.progress("validated", entities, entities)
        compiled = _compile(workers, entities)
        keys = compiled.keys
        count = max(1, math.ceil(keys / per_bucket))
        publisher.progress("compiled", keys, keys)
        compiled_at = time.monotonic()
        log.info(
            "validated in %.1f s, compiled in %.1f s", validated - started, compiled_at - validated
        )
        workers.total = keys
        write = functools.partial(_write, workers, count, keys)
        meta = dataclasses.replace(compiled.meta, source=str(path.resolve()))
        version, shares = publisher.commit(meta, compiled.schema, count, write)
        workers.broadcast(Done())
    laps = (validated - started, compiled_at - validated, time.monotonic() - compiled_at)
    return LoadReport.of(version, meta, count, shares, laps)


def _validated(workers: Workers, path: Path) -> int:
    """How many entities the runs define; raises AliasTableError for every problem, as
    ``load_path`` would (an id two runs define included)."""
    replies = workers.gather(Validated)
    problems: list[AliasProblem] = [problem for reply in replies for problem in reply.problems]
    first_of: dict[str, int] = {}  # id -> the worker that defines it first
    again: list[tuple[int, str]] = []  # (worker, id) defined by an earlier worker too
    for worker, reply in enumerate(replies):
        for entity_id in reply.ids:
            if first_of.setdefault(entity_id, worker) != worker:
                again.append((worker, entity_id))
    if again:  # where both are defined, for the message
        asked: dict[int, set[str]] = defaultdict(set)
        for worker, entity_id in again:
            asked[worker].add(entity_id)
            asked[first_of[entity_id]].add(entity_id)
        where: dict[int, dict[str, Entity]] = {}
        for worker, ids in asked.items():
            workers.send(worker, Locate(sorted(ids)))
            where[worker] = workers.gather_one(worker, Located).entities
        for worker, entity_id in again:
            problems.append(
                duplicate(where[worker][entity_id], where[first_of[entity_id]][entity_id])
            )
    if problems:
        raise AliasTableError(problems)
    entities = sum(len(reply.ids) for reply in replies)
    if not entities:
        raise no_entities(path)
    return entities


def _compile(workers: Workers, entities: int) -> _Compiled:
    """Have the workers compile their shards and exchange what they share; the table's
    meta, its codec schema and its number of keys."""
    workers.broadcast(Compile())
    counted = workers.gather(Counted)
    firsts = list(itertools.accumulate((shard.names for shard in counted), initial=0))
    aliases = firsts[-1]
    counts: dict[str, int] = {}
    for shard in counted:
        for token, count in shard.counts.items():
            counts[token] = counts.get(token, 0) + count
    every = max(1, math.ceil((aliases + entities) / SAMPLE_VALUES))
    for worker, first in enumerate(firsts[:-1]):
        theirs = {token: counts[token] for token in counted[worker].counts}
        workers.send(worker, Weigh(first, aliases, theirs, every))
    del counts
    samples = workers.gather(Sampled)
    _relay_postings(workers)
    # While the workers merge the postings they own.
    schema = Schema.learn(item for sample in samples for item in sample.values)
    workers.broadcast(UseSchema(schema))
    keys = sum(owned.keys for owned in workers.gather(Owned)) + aliases + entities
    types = set().union(*(shard.types for shard in counted))
    digests = b"".join(shard.digests for shard in counted)
    excluded = sum(shard.excluded for shard in counted)
    meta = table_meta(entities, aliases, types, digests, excluded)
    return _Compiled(meta, schema, keys)


def _relay_postings(workers: Workers) -> None:
    """Tell the workers which of their keys others have too (by 64-bit hash); then pass
    each worker the postings the others found for the shared keys it owns, in shard order,
    as the bytes they were sent in."""
    count = len(workers)
    seen: set[int] = set()
    shared: set[int] = set()
    for worker in range(count):
        workers.gather_one(worker, Hashes)  # then the bytes
        hashes = array("Q")
        hashes.frombytes(workers.receive_bytes(worker))
        # A worker's hashes are distinct: no set is made of them but ``seen``.
        shared |= seen.intersection(hashes)
        if worker < count - 1:
            seen.update(hashes)
    del seen, hashes
    raw = array("Q", shared).tobytes()
    for worker in range(count):
        workers.send_bytes(worker, raw)
    found = []
    for worker in range(count):
        workers.gather_one(worker, PostingsSent)  # then the bytes
        found.append([workers.receive_bytes(worker) for _ in range(count - 1)])
    for target in range(count):
        for source in range(count):
            if source != target:
                # Worker ``source`` sent its parts in owner order, without its own.
                workers.send_bytes(target, found[source][target - (target > source)])


def _write(workers: Workers, count: int, keys: int, version: str) -> list[Share]:
    """Have every worker write its share under ``version``."""
    workers.broadcast(Write(version, count, keys))
    replies = workers.gather(Written)
    shares = [reply.share for reply in replies if reply.share is not None]
    if len(shares) < len(replies):
        raise FieldCollision(f"two keys of version {version} met on a field")
    return shares
