"""A worker of a load in several processes: its run of the alias files, read, compiled as a
shard and written (the protocol is in ``shards``)."""

from __future__ import annotations

import pickle
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

import xxhash

from normalizer.aliases.load import parse_parts
from normalizer.aliases.model import Entity
from normalizer.aliases.readers import Part
from normalizer.bulk import no_cyclic_gc
from normalizer.store.redis import codec
from normalizer.store.redis.client import Client
from normalizer.store.redis.layout import Keys
from normalizer.store.redis.listpack import Listpack
from normalizer.store.redis.messages import (
    Compile,
    Counted,
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
from normalizer.store.redis.schema import Schema, stored
from normalizer.store.redis.workers import Channel, Message
from normalizer.store.redis.write import FieldCollision, ShareWriter
from normalizer.table.records import (
    ALIAS_RECORDS,
    ENTITY_RECORDS,
    KEY_FIELDS,
    AliasRecord,
    Postings,
)
from normalizer.table.shard import Partial, Shard, counted, merge_postings
from normalizer.table.weights import Weights


@dataclass(frozen=True)
class Job:
    """What a worker is forked with."""

    client: Client
    keys: Keys
    listpack: Listpack
    run: list[Part]
    workers: int  # how many there are


def work_on_run(job: Job, channel: Channel) -> None:
    """One worker's part of the protocol (``shards``); errors go to the parent."""
    with no_cyclic_gc():
        entities = _validate(job, channel)
        if entities is None:
            return  # the table is refused
        shard = Shard.of(entities)
        types = {entity.type for entity in entities}
        counted = Counted(
            len(shard.names), shard.excluded(), shard.token_counts(), shard.digests, types
        )
        channel.send(counted)
        postings = shard.postings()  # while the parent sums the counts
        weigh = channel.receive(Weigh)
        shard.first, weights, every = weigh.first, Weights(weigh.counts, weigh.aliases), weigh.every
        del weigh  # the counts of every token: big
        channel.send(Sampled(_sample(shard, weights, every)))
        owned, merged = _exchange(channel, postings, shard.first, job.workers)
        schema = channel.receive(UseSchema).schema
        channel.send(Owned(len(owned) + len(merged)))
        while isinstance(message := channel.receive(Message), Write):
            writer = ShareWriter(
                job.client, job.keys, message.version, message.buckets, schema, job.listpack
            )
            writer.progress = channel.progress
            writer.wanted = channel.parent_alive
            try:
                items = _encoded(owned, merged, shard, weights, schema)
                channel.send(Written(writer.write_encoded(items, message.keys)))
            except FieldCollision:
                channel.send(Written(None))


def _validate(job: Job, channel: Channel) -> list[Entity] | None:
    """The run's entities once the parent says the whole table is valid, else None."""
    entities, problems = parse_parts(job.run)
    channel.send(Validated(problems, [entity.id for entity in entities]))
    while isinstance(message := channel.receive(Message), Locate):
        by_id = {entity.id: entity for entity in entities}
        channel.send(Located({i: by_id[i] for i in message.ids}))
    return entities if isinstance(message, Compile) else None


def _sample(shard: Shard, weights: Weights, every: int) -> list[tuple[str, object]]:
    """Every ``every``-th alias record and entity, for the schema's dictionaries (the
    postings, short, are compressed by none)."""
    sample: list[tuple[str, object]] = list(shard.records(weights, every=every))
    sample += shard.entity_records(every)
    return sample


def _exchange(
    channel: Channel, found: dict[str, Partial], first: int, workers: int
) -> tuple[dict[str, Partial], dict[str, Partial]]:
    """The postings of the keys this worker writes: those only its shard has (ids still
    local), and the merged postings of the shared keys it owns (which the others send it,
    as it sends them theirs). Only the hashes of the other keys cross. ``found`` becomes
    the first: the shared keys are taken out of it."""
    digest = xxhash.xxh3_64_intdigest
    hashes = array("Q", [digest(key.encode()) for key in found])
    channel.send(Hashes())
    channel.send_bytes(hashes.tobytes())
    shared = array("Q")
    shared.frombytes(channel.receive_bytes())
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
    number = channel.number
    channel.send(PostingsSent())
    for target in range(workers):
        if target != number:
            channel.send_bytes(pickle.dumps((first, parts[target]), pickle.HIGHEST_PROTOCOL))
            parts[target] = {}
    firsts = [first] * workers
    for source in range(workers):
        if source != number:
            firsts[source], parts[source] = pickle.loads(channel.receive_bytes())
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
    schema: Schema,
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
    # Records are stored without the id their key writes (``schema.stored``).
    pack_record = codec.packer(AliasRecord, KEY_FIELDS[ALIAS_RECORDS])
    alias_records = shard.made_records(weights, pack_record)
    for space, kind, entries in (
        (ALIAS_RECORDS, AliasRecord, alias_records),
        (ENTITY_RECORDS, dict, ((k, stored(k, v)) for k, v in shard.entity_records())),
    ):
        schema.note(space, kind)
        if (compress := schema.compressor(space)) is None:
            yield from entries
        else:
            for key, data in entries:
                yield key, compress(data)
