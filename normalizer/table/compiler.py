"""Compile entities into the lookup table: key -> postings, alias records, entity records.

The compiled table is a plain mapping of string keys to values (see ``records``); every
store holds exactly this mapping, so the matcher never knows which store it talks to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from normalizer.aliases.model import Entity
from normalizer.bulk import no_cyclic_gc
from normalizer.table.records import Postings, TableMeta
from normalizer.table.shard import Shard
from normalizer.table.weights import Weights


@dataclass
class CompiledTable:
    meta: TableMeta
    entries: dict[str, object]


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
    """Index every name of every entity under its keys."""
    with no_cyclic_gc():
        entities = list(entities)
        shard = Shard.of(entities)
        weights = Weights(shard.token_counts(), len(shard.names))
        postings = shard.postings()
        # The names' keys are in the postings now: their lists go before the table grows.
        shard.whole, shard.by_token = {}, {}
        entries: dict[str, object] = {}
        # Half the keys list the same aliases as another (a rare word's token, fold and
        # phonetic keys): those share one record, which is immutable.
        made: dict[tuple[int, tuple[int, ...]], Postings] = {}
        for key in list(postings):
            size, ids = postings.pop(key)
            fields = (size, tuple(ids))
            if (record := made.get(fields)) is None:
                record = made[fields] = Postings(*fields)
            entries[key] = record
        del postings, made
        entries.update(shard.records(weights))
        entries.update(shard.entity_records())
        types = {entity.type for entity in entities}
        meta = table_meta(len(entities), len(shard.names), types, shard.digests, shard.excluded())
        return CompiledTable(meta, entries)
