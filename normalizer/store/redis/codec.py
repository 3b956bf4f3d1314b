"""Compact, lossless bytes for the values of a compiled table, for the Redis store.

Nothing here knows the key namespaces or the record fields, which change as matching is
tuned. A value is a dataclass from ``normalizer.table.records`` or plain JSON data. A
record is packed as a MessagePack array of its fields in declaration order, read from its
type hints:

- a ``tuple[int, ...]`` field (postings ids, the bulk of the keys) as its first value and
  the differences, which fit a byte each when the ids ascend;
- floats in 8 bytes, so scores match the embedded store exactly, or in 4 if the type
  declares every float it holds ``records.Single`` (weights the compiler rounds);
- ints within 64 bits.

One record is not: ``Postings`` of one alias, most keys of a big table, are its id alone
(``_one_alias``).

JSON data (entity records) is packed as MessagePack too, and read back as JSON would be.
A field (or a JSON object's member) that the value's key writes may be left out and read
back from the key (``pack_keyed``, ``keyed_unpacker``). Which namespace holds which type,
which field its keys write, and compression, are the ``schema``'s.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
import threading
import typing
from collections.abc import Callable, Sequence
from typing import Any

import msgpack

from normalizer.table import records

_INT_TUPLE = tuple[int, ...]
# What a schema calls a namespace of JSON data, rather than of records.
JSON = "json"


def namespace(key: str) -> str:
    return key.partition(":")[0]


def record_types() -> dict[str, type]:
    """Every dataclass a compiled table may hold, by name."""
    return {
        name: kind
        for name, kind in vars(records).items()
        if isinstance(kind, type) and dataclasses.is_dataclass(kind)
    }


@dataclasses.dataclass(frozen=True)
class _Shape:
    """How a record type is packed: which fields are stored as differences, and whether
    its floats take 4 bytes."""

    names: tuple[str, ...]
    deltas: tuple[int, ...]
    single: bool


def _precisions(hint: object) -> set[str]:
    """The precisions of the floats a type hint holds: "single" for ``records.Single``."""
    if hint == records.Single:
        return {"single"}
    if hint is float:
        return {"double"}
    return set().union(*map(_precisions, typing.get_args(hint)))


@functools.cache
def _shape(kind: type) -> _Shape:
    hints = typing.get_type_hints(kind, include_extras=True)
    names = tuple(f.name for f in dataclasses.fields(kind))
    deltas = tuple(at for at, name in enumerate(names) if hints[name] == _INT_TUPLE)
    precisions = set().union(*(_precisions(hints[name]) for name in names))
    return _Shape(names, deltas, precisions == {"single"})


class _Packers(threading.local):
    """A MessagePack packer per thread and precision (a packer has its own buffer)."""

    def __init__(self) -> None:
        self.by_precision = {
            single: msgpack.Packer(use_single_float=single).pack for single in (False, True)
        }


_PACKERS = _Packers()


def _deltas(ids: Sequence[int]) -> Sequence[int]:
    if len(ids) < 2:
        return ids
    return [ids[0], *map(operator.sub, ids[1:], ids)]


# Postings of one alias, four lookup keys in five of a table of a million entities, are its
# id alone in three bytes, big-endian (15 MB less in Redis there): MessagePack's [1, [id]]
# takes eight for an id over 65,535. Postings packed otherwise start with MessagePack's
# array of two (0x92), which an id below 0x920000 (9.5 million names) never does.
_ARRAY_OF_TWO = 0x92
_ONE_ALIAS_BYTES = 3
_ONE_ALIAS_BELOW = _ARRAY_OF_TWO << 8 * (_ONE_ALIAS_BYTES - 1)


def _one_alias(pack_fields: Callable[..., bytes]) -> Callable[..., bytes]:
    """``pack_fields`` of Postings, one alias's id alone."""

    def pack_postings(size: int, ids: Sequence[int]) -> bytes:
        if size == 1 and len(ids) == 1 and 0 <= (alias := ids[0]) < _ONE_ALIAS_BELOW:
            return alias.to_bytes(_ONE_ALIAS_BYTES, "big")
        return pack_fields(size, ids)

    return pack_postings


def _of_one_alias(unpack: Callable[[bytes], object]) -> Callable[[bytes], object]:
    """``unpack`` of Postings, one alias's id alone read back (``_one_alias``)."""
    from_bytes = int.from_bytes

    def unpack_postings(data: bytes) -> object:
        if data[0] == _ARRAY_OF_TWO:
            return unpack(data)
        return records.Postings(1, (from_bytes(data, "big"),))

    return unpack_postings


@functools.cache
def packer(kind: type, without: str | None = None) -> Callable[..., bytes]:
    """``pack(*fields)``: what ``pack`` makes of a record of ``kind`` whose fields are
    ``fields``, in declaration order, without the record (a load packs millions); the field
    named ``without`` left out (``pack_keyed``)."""
    shape = _shape(kind)
    single, deltas = shape.single, shape.deltas
    packers = _PACKERS
    left_out = -1 if without is None else shape.names.index(without)

    def pack_fields(*fields: Any) -> bytes:
        pack = packers.by_precision[single]
        if not deltas and left_out < 0:
            return pack(fields)  # type: ignore[no-any-return]
        values = list(fields)
        for at in deltas:
            values[at] = _deltas(values[at])
        if left_out >= 0:
            del values[left_out]
        return pack(values)  # type: ignore[no-any-return]

    return _one_alias(pack_fields) if kind is records.Postings else pack_fields


@functools.cache
def _record_packer(kind: type) -> Callable[[Any], bytes]:
    """The packer of one value type: a record's fields in order, or JSON."""
    if not dataclasses.is_dataclass(kind):
        packers = _PACKERS
        return lambda value: packers.by_precision[False](value)
    names = _shape(kind).names
    get = operator.attrgetter(*names) if len(names) > 1 else lambda v: (getattr(v, names[0]),)
    pack_fields = packer(kind)
    return lambda value: pack_fields(*get(value))


def pack(value: object) -> bytes:
    """A record (a dataclass instance) field by field, or JSON data."""
    kind: Any = type(value)  # a type is hashable, whatever its instances
    return _record_packer(kind)(value)


def unpack_json(data: bytes) -> object:
    return msgpack.unpackb(data)


@functools.cache  # a publish asks it for each of millions of records
def _key_type(kind: type, field: str) -> Callable[[str], object]:
    """How a key's text becomes ``field`` of a record of ``kind`` (or of a JSON object)."""
    if not dataclasses.is_dataclass(kind):
        return str
    hint = typing.get_type_hints(kind)[field]
    if hint not in (int, str):
        raise TypeError(f"{kind.__name__}.{field} is no int or str: no key can write it")
    return typing.cast(Callable[[str], object], hint)


def pack_keyed(value: object, field: str, written: str) -> bytes:
    """``pack(value)``, without its ``field`` if that is what its key writes (``written``,
    the key after its namespace): the key is stored anyway, and a million entities' ids
    are megabytes. Left in otherwise, and read back as it is.

    JSON data: an object whose member ``field`` the key writes is stored as an object
    without it; anything else in an array of one, to tell them apart."""
    if not dataclasses.is_dataclass(value):
        if isinstance(value, dict) and value.get(field) == written:
            return pack({member: v for member, v in value.items() if member != field})
        return pack([value])
    kind: Any = type(value)
    _key_type(kind, field)  # a field no key can write is an error, written or not
    if str(getattr(value, field)) != written:
        return pack(value)
    return packer(kind, field)(*[getattr(value, name) for name in _shape(kind).names])


def keyed_unpacker(kind: type, field: str) -> Callable[[str, bytes], object]:
    """``unpack(written, data)``: the inverse of ``pack_keyed`` for values of ``kind``
    (a record type, or ``dict`` for JSON), ``written`` the key after its namespace."""
    parse = _key_type(kind, field)
    if not dataclasses.is_dataclass(kind):

        def unpack_object(written: str, data: bytes) -> object:
            value = msgpack.unpackb(data)
            if isinstance(value, dict):
                return {field: parse(written), **value}
            return value[0]

        return unpack_object
    made, names = _maker(kind), _shape(kind).names
    at, count = names.index(field), len(names)
    unpackb = msgpack.unpackb

    def unpack_record(written: str, data: bytes) -> object:
        fields = unpackb(data, use_list=False)
        if len(fields) < count:
            fields = (*fields[:at], parse(written), *fields[at:])
        return made(fields)

    return unpack_record


def field_names(kind: type) -> tuple[str, ...]:
    """The fields of a record type, in the order they are packed."""
    return _shape(kind).names


def unpacker(kind: type) -> Callable[[bytes], object]:
    """The inverse of ``pack`` for one record type."""
    unpack = _unpacker(kind)
    return _of_one_alias(unpack) if kind is records.Postings else unpack


def _unpacker(kind: type) -> Callable[[bytes], object]:
    made, unpackb = _maker(kind), msgpack.unpackb
    return lambda data: made(unpackb(data, use_list=False))


def _maker(kind: type) -> Callable[[Sequence[Any]], object]:
    """A record of ``kind`` from its packed fields, differences summed."""
    deltas = _shape(kind).deltas
    accumulate = itertools.accumulate
    if not deltas:
        return lambda fields: kind(*fields)

    def make(packed: Sequence[Any]) -> object:
        fields = list(packed)
        for at in deltas:
            fields[at] = tuple(accumulate(fields[at]))
        return kind(*fields)

    return make


def record_to_json(value: object) -> dict[str, Any]:
    """A small record (such as TableMeta) as a JSON object of its fields."""
    assert dataclasses.is_dataclass(value) and not isinstance(value, type)
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def record_from_json(record: type, data: dict[str, Any]) -> Any:
    """The inverse of ``record_to_json``: lists come back as the tuples records hold."""
    return record(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
