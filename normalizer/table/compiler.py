"""Compile entities into the lookup table: key -> postings, alias records, entity records.

The compiled table is a plain mapping of string keys to values (see ``records``); every
store holds exactly this mapping, so the matcher never knows which store it talks to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from normalizer.aliases.model import Entity
from normalizer.bulk import no_cyclic_gc
from normalizer.table.analysis import Analyzed, analyzed
from normalizer.table.packed import Entries, Held
from normalizer.table.records import TableMeta
from normalizer.table.shard import Shard
from normalizer.table.weights import Weights


@dataclass
class CompiledTable:
    meta: TableMeta
    # Each key's value as compiled; ``compile_table``'s hold postings and entity records
    # packed (``packed.Entries``).
    entries: Mapping[str, object]


def table_meta(
    entities: int, aliases: int, types: set[str], digests: bytes, excluded: int = 0
) -> TableMeta:
    """The table's meta; its version is a hash of its entities' digests (``Shard``), in
    order: the same alias files always compile to the same version, whatever the store."""
    return TableMeta(
        version=hashlib.sha256(digests).hexdigest()[:16],
        entities=entities,
        aliases=aliases,
        types=tuple(sorted(types)),
        excluded=excluded,
    )


def compile_table(entities: Iterable[Entity]) -> CompiledTable:
    """Index every name of every entity under its keys. ``entities`` are read once, in
    order, and not kept: an iterator that lets each go once read keeps the compile's peak
    down (``service.build_table``)."""
    return compile_analyzed(map(analyzed, entities))


def compile_analyzed(entities: Iterable[Analyzed]) -> CompiledTable:
    """``compile_table`` of entities analyzed already, here or in other processes
    (``table.parallel``)."""
    with no_cyclic_gc():
        shard = Shard.of_analyzed(entities)
        weights = Weights(shard.token_counts(), len(shard.names))
        held = shard.packed_postings()
        names = shard.names
        records = dict(zip(shard.entity_ids, shard.packed_entities, strict=True))
        meta = table_meta(len(records), len(names), shard.types, shard.digests, shard.excluded())
        held_values = Held(held, names, weights, records, shard.owners)
        return CompiledTable(meta, Entries(held_values))
