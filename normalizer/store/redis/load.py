"""What a load writes, and who writes it.

A compiled table is written by this process, or by forked writers for a big one, each
writing the buckets of one share. Alias files are validated and compiled here, or, when
they are big and the load has processes to spare, by several workers that each read,
compile and write a run of them (``shards``).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from normalizer.aliases.load import alias_paths, load_path
from normalizer.aliases.model import Entity
from normalizer.aliases.readers import split_files
from normalizer.store.redis.listpack import Listpack
from normalizer.store.redis.messages import Written
from normalizer.store.redis.publish import LoadReport, Publisher
from normalizer.store.redis.schema import Schema
from normalizer.store.redis.shards import load_runs
from normalizer.store.redis.workers import Channel, Workers
from normalizer.store.redis.write import Share, ShareWriter
from normalizer.table.compiler import CompiledTable, compile_table

# A check of a compiled table before it is written: raises AliasTableError to refuse it.
Vet = Callable[[list[Entity], CompiledTable], None]
# Entries the schema is learned from (every n-th of the table), and the table size from
# which forking writers pays.
SAMPLE_ENTRIES = 200_000
PARALLEL_FROM = 200_000
# Alias files from which reading and compiling them in several processes pays (~25,000
# entities).
PARALLEL_FROM_BYTES = 4_000_000


def load_table(
    publisher: Publisher, table: CompiledTable, laps: tuple[float, float] = (0.0, 0.0)
) -> LoadReport:
    """Load a compiled table; ``laps``: seconds it took to validate and to compile it."""
    started = time.monotonic()
    entries = table.entries
    stride = max(1, len(entries) // SAMPLE_ENTRIES)
    schema = Schema.learn(itertools.islice(entries.items(), 0, None, stride))
    listpack = Listpack(publisher.connection.client, publisher.tune)
    count = max(1, math.ceil(len(entries) / listpack.bucket_fields()))
    prepared = time.monotonic()
    write = functools.partial(_write, publisher, schema, count, listpack, entries)
    version, shares = publisher.commit(table.meta, schema, count, write)
    validated, compiled = laps
    spent = (validated, compiled + prepared - started, time.monotonic() - prepared)
    return LoadReport.of(version, table.meta, count, shares, spent)


def load_files(publisher: Publisher, path: Path, vet: Vet | None = None) -> LoadReport:
    """Validate, compile and load the alias files at ``path``: in ``publisher.jobs``
    processes if they are big enough to gain from it (each reads a run of them), else in
    this one. Raises AliasTableError, as ``load_path`` does, and as ``vet`` may when given
    the entities and the compiled table (in this process only: a table compiled in pieces
    is not vetted)."""
    started = time.monotonic()
    files = alias_paths(path)
    size = sum(f.stat().st_size for f in files if f.is_file())
    if publisher.jobs > 1 and size >= PARALLEL_FROM_BYTES and hasattr(os, "fork"):
        runs = split_files(files, publisher.jobs)
        if len(runs) > 1:
            return load_runs(publisher, path, runs)
    entities = load_path(path)
    validated = time.monotonic()
    publisher.progress("validated", len(entities), len(entities))
    table = compile_table(entities)
    table.meta = dataclasses.replace(table.meta, source=str(path.resolve()))
    if vet is not None:
        vet(entities, table)
    publisher.progress("compiled", len(table.entries), len(table.entries))
    compiled = time.monotonic()
    return load_table(publisher, table, (validated - started, compiled - validated))


def _write(
    publisher: Publisher,
    schema: Schema,
    count: int,
    listpack: Listpack,
    entries: Mapping[str, object],
    version: str,
) -> list[Share]:
    """Every bucket of ``version``, by ``jobs`` writers; the shares they wrote."""
    total = len(entries)
    jobs = publisher.jobs if total >= PARALLEL_FROM and hasattr(os, "fork") else 1
    client, keys = publisher.connection.client, publisher.keys
    writers = [
        ShareWriter(client, keys, version, count, schema, listpack, part, jobs)
        for part in range(jobs)
    ]
    if jobs == 1:
        writers[0].progress = lambda stage, done: publisher.progress(stage, done, total)
        return [writers[0].write(entries.items(), total)]
    # Forked, each writer shares ``entries`` with this process (copy on write).
    works = [functools.partial(_write_share, writer, entries) for writer in writers]
    with Workers(works, publisher.progress) as workers:
        workers.total = total
        return [_share(written) for written in workers.gather(Written)]


def _share(written: Written) -> Share:
    assert written.share is not None, "a writer of a compiled table reports its collision"
    return written.share


def _write_share(writer: ShareWriter, entries: Mapping[str, object], channel: Channel) -> None:
    writer.progress = channel.progress
    writer.wanted = channel.parent_alive
    channel.send(Written(writer.write(entries.items(), len(entries))))
