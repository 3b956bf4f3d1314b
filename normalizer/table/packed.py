"""The compiled table's values as the compiler holds them: postings and entity records packed
in bytes, made into ``Postings`` and JSON again when read, as the Redis store decodes its own.

A million entities' table as objects was three times the 1.5 GB a compile may take: a
key's postings as a record, a tuple and the id objects it points to, an entity record as
dicts and lists. Packed, a key's postings are one bytes object (the size and the ids as
machine integers), and an entity record its JSON in MessagePack. Lookups read postings made
afresh: their ids lie together, where the compile's id objects lay among millions of others
(at 1M entities, a cache miss for each id a lookup walked).
"""

from __future__ import annotations

import struct
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from typing import Any

import msgpack

from normalizer.table.records import Postings


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


def unpacked(value: object) -> object:
    """A value of the table as compiled, from its held form (others are held as they are)."""
    if type(value) is bytes:
        fields: tuple[int, ...] = _LAYOUTS[len(value) // _INT].unpack(value)
        return Postings(fields[0], fields[1:])
    if type(value) is PackedJson:
        return msgpack.unpackb(value)
    return value


PACKED = frozenset({bytes, PackedJson})


class Entries(Mapping[str, object]):
    """The compiled table: each key's value as compiled, held packed (``held``, which stores
    read directly and nobody changes)."""

    def __init__(self, held: dict[str, object]) -> None:
        self.held = held

    def __getitem__(self, key: str) -> object:
        return unpacked(self.held[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.held)

    def __len__(self) -> int:
        return len(self.held)

    def __contains__(self, key: object) -> bool:
        return key in self.held

    def get(self, key: str, default: Any = None) -> Any:  # noqa: ANN401 (Mapping's own)
        value = self.held.get(key)
        return default if value is None else unpacked(value)

    def items(self) -> ItemsView[str, object]:
        return _Items(self)


class _Items(ItemsView[str, object]):
    """Every key and its value as compiled, read from the held dict in one pass (a store
    writing millions would otherwise look each key up again)."""

    _mapping: Entries

    def __iter__(self) -> Iterator[tuple[str, object]]:
        for key, value in self._mapping.held.items():
            yield key, unpacked(value)


def held_packed(entries: Mapping[str, object]) -> dict[str, object]:
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
    return held
