"""The compiled table's values as the compiler holds them: postings, names and entity
records packed in bytes, made into ``Postings``, ``AliasRecord`` and JSON again when read,
as the Redis store decodes its own (``Held``).

A million entities' table as objects was three times the 1.5 GB a compile may take: a
key's postings as a record, a tuple and the id objects it points to, an alias record as
tuples of tokens, flags and weights, an entity record as dicts and lists. Packed, a key's
postings are one bytes object (the size and the ids as machine integers), and a name or
an entity record its fields in MessagePack. Lookups read postings made afresh: their ids
lie together, where the compile's id objects lay among millions of others (at 1M entities,
a cache miss for each id a lookup walked).
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from typing import Any

import msgpack

from normalizer.table.packed_names import (
    EntityFields,
    PackedName,
    alias_record,
    entity_fields,
    owners_fields,
)
from normalizer.table.records import (
    ALIAS_RECORDS,
    ENTITY_RECORDS,
    AliasRecord,
    Postings,
    alias_key,
    entity_key,
)
from normalizer.table.weights import Weights


class PackedJson(bytes):
    """An entity record (JSON) in MessagePack."""

    __slots__ = ()


class _Layouts(dict[int, struct.Struct]):
    """The layout of postings ``count`` integers long (the size, then the ids), made once."""

    def __missing__(self, count: int) -> struct.Struct:
        made = self[count] = struct.Struct(f"{count}I")
        return made


_LAYOUTS = _Layouts()
_INT = 4  # bytes of an "I"


def packed_postings(size: int, ids: Sequence[int]) -> bytes:
    """A key's postings packed: its size, then its (capped) alias ids."""
    return _LAYOUTS[len(ids) + 1].pack(size, *ids)


def packed_ids(packed: bytes) -> tuple[int, ...]:
    """The alias ids of postings packed by ``packed_postings``."""
    fields: tuple[int, ...] = _LAYOUTS[len(packed) // _INT].unpack(packed)
    return fields[1:]


def unpacked(value: object) -> object:
    """A value of the table as compiled, from its held form (others are held as they are)."""
    if type(value) is bytes:
        fields: tuple[int, ...] = _LAYOUTS[len(value) // _INT].unpack(value)
        return Postings(fields[0], fields[1:])
    if type(value) is PackedJson:
        return msgpack.unpackb(value)
    return value


PACKED = frozenset({bytes, PackedJson})


class Held:
    """The compiled table's values in their held form, by kind: the lookup keys' (packed
    postings), the names in a list by alias id (packed, made into records with the
    table's ``weights`` when read), the entity records (packed) by entity id, and the
    number of each name's entity (``owners``: its place among the entities). Records are
    read under their keys (``records.alias_key``, ``entity_key``), but a million
    entities' 2.7 million record keys are no strings of their own (0.18 GB of the peak)."""

    __slots__ = ("keys", "aliases", "weights", "entities", "owners", "_entity_ids")

    def __init__(
        self,
        keys: dict[str, object],
        aliases: list[PackedName] | None = None,
        weights: Weights | None = None,
        entities: dict[str, PackedJson] | None = None,
        owners: array[int] | None = None,
    ) -> None:
        self.keys = keys
        self.aliases = aliases if aliases is not None else []
        self.weights = weights if weights is not None else Weights({}, 0)
        self.entities = entities if entities is not None else {}
        self.owners = owners if owners is not None else array("I")
        self._entity_ids = list(self.entities)  # the dict's own strings, by number

    def get(self, key: str) -> object | None:
        value = self.keys.get(key)
        # A table made otherwise holds its records among its keys: looked up there first.
        if value is None and key[1:2] == ":":
            if key[0] == ALIAS_RECORDS:
                return self._alias(key[2:])
            if key[0] == ENTITY_RECORDS:
                return self.entities.get(key[2:])
        return value

    def _alias(self, number: str) -> AliasRecord | None:
        # Only the key alias_key writes: "r:7", not "r:07" nor "r:+7".
        if number.isascii() and number.isdigit() and (number == "0" or number[0] != "0"):
            alias = int(number)
            if alias < len(self.aliases):
                return self._record(alias)
        return None

    def _record(self, alias: int, entity: EntityFields | None = None) -> AliasRecord:
        """Alias ``alias``'s record (``entity``: its entity's fields, if known)."""
        if entity is None:
            entity = self._entity(self.owners[alias])
        return alias_record(alias, self.aliases[alias], self.weights, entity)

    def _entity(self, number: int) -> EntityFields:
        entity_id = self._entity_ids[number]
        return entity_fields(entity_id, self.entities[entity_id])

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        return len(self.keys) + len(self.aliases) + len(self.entities)

    def __iter__(self) -> Iterator[tuple[str, object]]:
        """Every key and its held value: the lookup keys', the alias records', the
        entities' (in the order a compile made them)."""
        yield from self.keys.items()
        aliases = range(len(self.aliases))
        entities = owners_fields(self.owners, aliases, self._entity)
        for alias, entity in zip(aliases, entities, strict=True):
            yield alias_key(alias), self._record(alias, entity)
        for entity_id, packed in self.entities.items():
            yield entity_key(entity_id), packed

    def each_key(self) -> Iterator[str]:
        """Every key, in the same order, without making a record."""
        yield from self.keys
        yield from map(alias_key, range(len(self.aliases)))
        yield from map(entity_key, self.entities)


class Entries(Mapping[str, object]):
    """The compiled table: each key's value as compiled, held packed (``held``, which stores
    read directly and nobody changes)."""

    def __init__(self, held: Held) -> None:
        self.held = held

    def __getitem__(self, key: str) -> object:
        value = self.held.get(key)
        if value is None:
            raise KeyError(key)
        return unpacked(value)

    def __iter__(self) -> Iterator[str]:
        return self.held.each_key()

    def __len__(self) -> int:
        return len(self.held)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.held

    def get(self, key: str, default: Any = None) -> Any:  # noqa: ANN401 (Mapping's own)
        value = self.held.get(key)
        return default if value is None else unpacked(value)

    def items(self) -> ItemsView[str, object]:
        return _Items(self)


class _Items(ItemsView[str, object]):
    """Every key and its value as compiled, read from the held values in one pass (a store
    writing millions would otherwise look each key up again)."""

    _mapping: Entries

    def __iter__(self) -> Iterator[tuple[str, object]]:
        for key, value in self._mapping.held:
            yield key, unpacked(value)


def held_packed(entries: Mapping[str, object]) -> Held:
    """``entries``' values in their held form: postings and entity records packed (records
    listing the same aliases share one packed value)."""
    if isinstance(entries, Entries):
        return entries.held
    held: dict[str, object] = {}
    made: dict[bytes, bytes] = {}
    for key, value in entries.items():
        if type(value) is Postings:
            packed = packed_postings(value.size, value.ids)
            value = made.setdefault(packed, packed)
        elif type(value) is dict:
            value = PackedJson(msgpack.packb(value))
        held[key] = value
    return Held(held)
