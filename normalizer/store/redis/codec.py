"""Compact, lossless bytes for the values of a compiled table, for the Redis store.

Nothing here knows the key namespaces or the record fields, which change as matching is
tuned. A value is a dataclass from ``normalizer.table.records`` or plain JSON data. A record is
packed as a MessagePack array of its fields in declaration order, read from its type hints:

- a ``tuple[int, ...]`` field (postings ids, the bulk of the keys) as its first value and
  the differences, which fit a byte each when the ids ascend;
- floats in 8 bytes, so scores match the embedded store exactly, or in 4 if the type
  declares every float it holds ``records.Single`` (weights the compiler rounds);
- ints within 64 bits.

JSON data (entity records) is packed as MessagePack too, and read back as JSON would be.

A ``Schema`` is learned from the table being loaded and saved with it: the type each
namespace (the key up to its first ``:``) holds, the fields of each record type, and a
zstd dictionary, trained on samples, for namespaces of long values (alias and entity
records), which halves them. A reader decodes by the schema of the version it reads, and
refuses a table whose record fields differ from its own code's.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import itertools
import operator
import threading
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import msgpack
import zstandard

from normalizer.table import records

JSON = "json"
# Compression: measured on a 100k-entity table, a 16 KiB zstd dictionary trained on sample
# values makes alias records 0.52 and entity records 0.44 of their size, at ~1.5 us per
# value to encode and ~1 us to decode (zlib with a preset dictionary compressed more, but
# took 8 us). Postings shrink little and are decoded by the thousand per lookup, so a
# namespace qualifies only if its values are long and shrink below 0.6.
SAMPLES = 4000
DICTIONARY_BYTES = 16 * 1024
COMPRESS_FROM_BYTES = 48
COMPRESS_WHEN_RATIO = 0.6
ZSTD_LEVEL = 3
# Frames without the magic number, the dictionary id or a checksum: 9 bytes a value less.
_ZSTD_PARAMETERS = {
    "format": zstandard.FORMAT_ZSTD1_MAGICLESS,
    "write_checksum": 0,
    "write_dict_id": 0,
    "write_content_size": 1,
}
_INT_TUPLE = tuple[int, ...]


class SchemaMismatch(Exception):
    """The table was encoded with record types this code does not have."""


def namespace(key: str) -> str:
    return key.partition(":")[0]


def record_types() -> dict[str, type]:
    """Every dataclass a compiled table may hold, by name."""
    return {
        name: kind
        for name, kind in vars(records).items()
        if isinstance(kind, type) and dataclasses.is_dataclass(kind)
    }


# Packing


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


@functools.cache
def packer(kind: type) -> Callable[..., bytes]:
    """``pack(*fields)``: what ``pack`` makes of a record of ``kind`` whose fields are
    ``fields``, in declaration order, without the record (a load packs millions)."""
    shape = _shape(kind)
    single, deltas = shape.single, shape.deltas
    packers = _PACKERS

    def pack_fields(*fields: Any) -> bytes:
        pack = packers.by_precision[single]
        if not deltas:
            return pack(fields)  # type: ignore[no-any-return]
        values = list(fields)
        for at in deltas:
            values[at] = _deltas(values[at])
        return pack(values)  # type: ignore[no-any-return]

    return pack_fields


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


def _unpack_json(data: bytes) -> object:
    return msgpack.unpackb(data)


def unpacker(kind: type) -> Callable[[bytes], object]:
    """The inverse of ``pack`` for one record type."""
    deltas = _shape(kind).deltas
    unpackb, accumulate = msgpack.unpackb, itertools.accumulate
    if not deltas:
        return lambda data: kind(*unpackb(data, use_list=False))

    def unpack(data: bytes) -> object:
        fields = list(unpackb(data, use_list=False))
        for at in deltas:
            fields[at] = tuple(accumulate(fields[at]))
        return kind(*fields)

    return unpack


# Schema


class _Sample:
    """Every n-th value of a namespace, n doubling as it fills: spread over the whole
    namespace whatever its size, with one counter per value seen."""

    def __init__(self) -> None:
        self.values: list[bytes] = []
        self.seen = 0
        self.stride = 1

    def wants(self) -> bool:
        self.seen += 1
        return (self.seen - 1) % self.stride == 0

    def add(self, value: bytes) -> None:
        self.values.append(value)
        if len(self.values) == SAMPLES:
            del self.values[1::2]
            self.stride *= 2


def _dictionary(samples: list[bytes]) -> bytes | None:
    """A dictionary trained on half the samples, if it pays on the other half."""
    if len(samples) < 20 or sum(map(len, samples)) < COMPRESS_FROM_BYTES * len(samples):
        return None
    train: list[bytes | bytearray | memoryview] = list(samples[::2])
    test = samples[1::2]
    try:
        dictionary = zstandard.train_dictionary(DICTIONARY_BYTES, train).as_bytes()
    except zstandard.ZstdError:  # too few or too alike to train on
        return None
    compress = _compressor(dictionary)
    compressed = sum(len(compress(sample)) for sample in test)
    return dictionary if compressed < COMPRESS_WHEN_RATIO * sum(map(len, test)) else None


def _compressor(dictionary: bytes) -> Callable[[bytes], bytes]:
    """Compression with ``dictionary``, for one thread (the loader's)."""
    parameters = zstandard.ZstdCompressionParameters.from_level(ZSTD_LEVEL, **_ZSTD_PARAMETERS)
    trained = zstandard.ZstdCompressionDict(dictionary)
    compressor = zstandard.ZstdCompressor(dict_data=trained, compression_params=parameters)
    return compressor.compress


def _decompressor(dictionary: bytes) -> Callable[[bytes], bytes]:
    """Decompression with ``dictionary``, from any thread: a decompressor is not thread-safe
    and costs ~10 us to make, so each thread keeps its own."""
    trained = zstandard.ZstdCompressionDict(dictionary)
    local = threading.local()

    def decompress(data: bytes) -> bytes:
        decompressor = getattr(local, "decompressor", None)
        if decompressor is None:
            decompressor = local.decompressor = zstandard.ZstdDecompressor(
                dict_data=trained, format=zstandard.FORMAT_ZSTD1_MAGICLESS
            )
        raw: bytes = decompressor.decompress(data)
        return raw

    return decompress


@dataclasses.dataclass
class Schema:
    """What each namespace holds, each record type's fields, and compression dictionaries."""

    namespaces: dict[str, str] = dataclasses.field(default_factory=dict)
    fields: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    dictionaries: dict[str, bytes] = dataclasses.field(default_factory=dict)

    @classmethod
    def learn(cls, entries: Iterable[tuple[str, object]]) -> Schema:
        """The schema of ``entries`` (a table, or a sample of one: the encoder notes the
        namespaces a sample missed); raises ValueError if a namespace mixes types."""
        schema = cls()
        kinds: dict[str, type] = {}  # compared by identity: this loop sees every entry
        samples: dict[str, _Sample] = {}
        for key, value in entries:
            space = key.partition(":")[0]
            kind = type(value)
            if kinds.get(space) is not kind:
                schema.note(space, kind)
                kinds[space] = kind
                samples.setdefault(space, _Sample())
            sample = samples[space]
            if sample.wants():
                sample.add(pack(value))
        for space, sample in samples.items():
            if (dictionary := _dictionary(sample.values)) is not None:
                schema.dictionaries[space] = dictionary
        return schema

    def note(self, space: str, kind: type) -> None:
        """What ``space`` holds; raises ValueError if it held another type."""
        self.merge({space: kind.__name__ if dataclasses.is_dataclass(kind) else JSON}, {})
        if dataclasses.is_dataclass(kind):
            self.fields[kind.__name__] = list(_shape(kind).names)

    def merge(self, namespaces: dict[str, str], fields: dict[str, list[str]]) -> None:
        """Add what another encoder of the same table noted."""
        for space, name in namespaces.items():
            known = self.namespaces.setdefault(space, name)
            if known != name:
                raise ValueError(f"namespace {space!r} holds both {known} and {name} values")
        self.fields.update(fields)

    def encoder(self) -> Callable[[str, object], bytes]:
        """``encode(key, value)``: the stored bytes of one entry, its namespace noted."""
        compressors = {s: _compressor(d) for s, d in self.dictionaries.items()}
        kinds: dict[str, type] = {}

        def encode(key: str, value: object) -> bytes:
            space = key.partition(":")[0]
            kind = type(value)
            if kinds.get(space) is not kind:
                self.note(space, kind)
                kinds[space] = kind
            compress = compressors.get(space)
            return compress(pack(value)) if compress else pack(value)

        return encode

    def compressor(self, space: str) -> Callable[[bytes], bytes] | None:
        """What the encoder does to the packed values of ``space`` (None: nothing), for
        the encoder of a load that packs its values itself."""
        dictionary = self.dictionaries.get(space)
        return _compressor(dictionary) if dictionary is not None else None

    def decoders(self) -> dict[str, Callable[[bytes], object]]:
        """A decoder per namespace; raises SchemaMismatch if a record type has changed."""
        known = record_types()
        decoders: dict[str, Callable[[bytes], object]] = {}
        for space, kind in self.namespaces.items():
            decode: Callable[[bytes], object]
            if kind == JSON:
                decode = _unpack_json
            else:
                record = known.get(kind)
                ours = [f.name for f in dataclasses.fields(record)] if record else None
                if record is None or ours != self.fields[kind]:
                    raise SchemaMismatch(
                        f"the table's {kind} records have fields {self.fields[kind]}, "
                        f"this code's have {ours}: reload the table with this release"
                    )
                decode = unpacker(record)
            if space in self.dictionaries:
                decode = _chain(_decompressor(self.dictionaries[space]), decode)
            decoders[space] = decode
        return decoders

    def to_json(self) -> dict[str, Any]:
        return {
            "namespaces": self.namespaces,
            "fields": self.fields,
            "dictionaries": {
                s: base64.b64encode(d).decode("ascii") for s, d in self.dictionaries.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Schema:
        return cls(
            dict(data["namespaces"]),
            {kind: list(names) for kind, names in data["fields"].items()},
            {s: base64.b64decode(d) for s, d in data.get("dictionaries", {}).items()},
        )


def _chain(
    first: Callable[[bytes], bytes], then: Callable[[bytes], object]
) -> Callable[[bytes], object]:
    return lambda data: then(first(data))


def record_to_json(value: object) -> dict[str, Any]:
    """A small record (such as TableMeta) as a JSON object of its fields."""
    assert dataclasses.is_dataclass(value) and not isinstance(value, type)
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}


def record_from_json(record: type, data: dict[str, Any]) -> Any:
    """The inverse of ``record_to_json``: lists come back as the tuples records hold."""
    return record(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
