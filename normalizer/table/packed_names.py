"""A name of the compiled table packed as the compile holds it (``PackedName``), and its
alias record made from it when a lookup reads it (``alias_record``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import msgpack

from normalizer.table.records import AliasRecord
from normalizer.table.weights import Weights


class PackedName(bytes):
    """A name as its alias record needs it, but for its id, its entity and its weights: the
    name as written, its tokens and their optional flags, and whether it is a name the
    entity must not have, in MessagePack. Not the entity, nor the name's analysis, nor a
    record: a million entities' 1.7 million names as records (tuples of tokens, of flags,
    of weights, and ids) were some 0.6 GB of the compile's peak of 2.0; packed, 0.2, and
    0.06 less without their entity's id, name and type, which its record has (the table
    keeps each name's entity by number, ``Held.owners``). The weights are the table's
    (``Weights``), known once every name is read: a lookup makes the ~21 records it
    fetches, as the Redis store decodes its own."""

    __slots__ = ()


# An alias record's entity fields: its id, name and type.
EntityFields = tuple[str, str, str]


def packed_name(
    entity_name: str,
    text: str,
    tokens: tuple[str, ...],
    optional: tuple[bool, ...],
    negative: bool,
) -> bytes:
    """A ``PackedName``'s bytes (a bytes subclass pickles ten times slower: names cross
    processes by the million, ``table.parallel``)."""
    # The entity's own name, written as it is (most names), is not written twice.
    written = None if text == entity_name else text
    packed: bytes = msgpack.packb((written, tokens, optional, negative))
    return packed


def entity_fields(entity_id: str, record: bytes) -> EntityFields:
    """What an alias record holds of its entity, from the entity's packed record."""
    body = msgpack.unpackb(record)
    return entity_id, body["name"], body["type"]


def owners_fields(
    owners: Sequence[int], places: Iterable[int], fields_of: Callable[[int], EntityFields]
) -> Iterator[EntityFields]:
    """The entity fields of the names at ``places`` (``owners``: each name's entity's
    number), each entity's read once: an entity's names are together."""
    owner, fields = -1, ("", "", "")
    for place in places:
        if owners[place] != owner:
            owner = owners[place]
            fields = fields_of(owner)
        yield fields


def record_fields(
    alias: int, packed: PackedName, weights: Weights, entity: EntityFields
) -> tuple[Any, ...]:
    """Alias ``alias``'s record's fields, in AliasRecord's order, from its packed name
    (``packed_name``), its entity's fields and the table's weights."""
    text, tokens, optional, negative = msgpack.unpackb(packed, use_list=False)
    entity_id, entity_name, entity_type = entity
    text = entity_name if text is None else text
    weighed = weights.of(tokens, optional)
    return alias, entity_id, entity_name, entity_type, text, tokens, optional, weighed, negative


def alias_record(
    alias: int, packed: PackedName, weights: Weights, entity: EntityFields
) -> AliasRecord:
    """Alias ``alias``'s record, from its packed name, its entity's and the table's
    weights."""
    return AliasRecord(*record_fields(alias, packed, weights, entity))
