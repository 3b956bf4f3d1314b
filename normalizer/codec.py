"""Compact, lossless bytes for the values of a compiled table, for the Redis store.

Nothing here knows the key namespaces or the record fields, which change as matching is
tuned. A value is a dataclass from ``normalizer.records`` or plain JSON data. A dataclass
is packed field by field in declaration order, each field tagged by its runtime type: a
tuple of ints (postings ids, the bulk of the keys) becomes its first value and a
fixed-width array of differences, a float its 8 IEEE bytes, so scores match the embedded
store exactly.

A ``Schema`` is learned from the table being loaded and saved with it: the type each
namespace (the key up to its first ``:``) holds, the fields of each record type, and a
zstd dictionary, trained on samples, for namespaces of long values (alias and entity
records), which halves them. A reader decodes by the schema of the version it reads, and
refuses a table whose record fields differ from its own code's.
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import operator
import struct
import sys
import threading
from array import array
from collections.abc import Callable, Iterable
from typing import Any

import zstandard

from normalizer import records

JSON = "json"
# Array typecodes, narrowest first, with the range each holds (uppercase: unsigned).
_RANGES = tuple(
    (code, -half if code.islower() else 0, half if code.islower() else 2 * half)
    for code in ("B", "b", "H", "h", "I", "i", "Q", "q")
    for half in (1 << (8 * array(code).itemsize - 1),)
)
_DOUBLE = struct.Struct("<d")
_SWAP = sys.byteorder != "little"  # stored arrays are little-endian on every machine
# Compression: measured on a 100k-entity table, a 16 KiB zstd dictionary trained on sample
# values makes alias records 0.49 and entity records 0.39 of their size, at ~2 us per value
# to encode and ~1 us to decode (zlib with a preset dictionary: 0.44 and 0.31, but 8 us to
# encode). Postings shrink little and are decoded by the thousand per lookup, so a
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


def _varint(number: int) -> bytes:
    if number < 0x80:
        return _SMALL[number]
    out = bytearray()
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


_SMALL = [bytes((n,)) for n in range(0x80)]
_STR_SMALL = [b"s" + small for small in _SMALL]


def _zigzag(number: int) -> int:
    return number << 1 if number >= 0 else (-number << 1) - 1


def _unzigzag(number: int) -> int:
    return number >> 1 if not number & 1 else -((number + 1) >> 1)


def _text(value: str) -> bytes:
    raw = value.encode()
    size = len(raw)
    return (_SMALL[size] if size < 0x80 else _varint(size)) + raw


def _str(value: str) -> bytes:
    raw = value.encode()
    size = len(raw)
    return (_STR_SMALL[size] if size < 0x80 else b"s" + _varint(size)) + raw


def _int(value: int) -> bytes:
    zigzag = value << 1 if value >= 0 else (-value << 1) - 1
    return b"i" + (_SMALL[zigzag] if zigzag < 0x80 else _varint(zigzag))


def _ints(values: tuple[int, ...]) -> bytes:
    """The count, the first value, then the differences as a fixed-width array.

    Postings ids ascend, so the differences of a long list fit a byte each, and ``array``
    decodes them at C speed.
    """
    head = b"I" + _varint(len(values)) + _varint(_zigzag(values[0]))
    if len(values) == 1:
        return head
    deltas = list(map(operator.sub, values[1:], values))
    code = _typecode(min(deltas), max(deltas))
    if code is None:  # differences beyond 64 bits
        return _json_tuple(values)
    packed = array(code, deltas)
    if _SWAP:
        packed.byteswap()
    return head + code.encode() + packed.tobytes()


def _typecode(low: int, high: int) -> str | None:
    """The narrowest array typecode holding every int from ``low`` to ``high``."""
    for code, least, limit in _RANGES:
        if least <= low and high < limit:
            return code
    return None


def _tuple(value: tuple[Any, ...]) -> bytes:
    if not value:
        return b"S\x00"
    first = type(value[0])
    if len(value) == 1 or len(set(map(type, value))) == 1:
        if first is int:
            return _ints(value)
        if first is str:
            return b"S" + _varint(len(value)) + b"".join(list(map(_text, value)))
        if first is float:
            return _floats_packed(value)
        if first is bool:
            return b"B" + _varint(len(value)) + bytes(value)
    return _json_tuple(value)


def _floats_packed(value: tuple[float, ...]) -> bytes:
    """4 bytes a float when every one survives single precision (table weights are
    rounded to it), else 8."""
    count = len(value)
    singles = _SINGLES.get(count) or _SINGLES.setdefault(count, struct.Struct(f"<{count}f"))
    try:
        single = singles.pack(*value)
    except OverflowError:
        single = b""
    if single and singles.unpack(single) == value:
        return b"E" + _varint(count) + single
    return b"D" + _varint(count) + struct.pack(f"<{count}d", *value)


_SINGLES: dict[int, struct.Struct] = {}


def _json_tuple(value: tuple[Any, ...]) -> bytes:
    return b"J" + _text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _json(value: object) -> bytes:
    return b"j" + _text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


# Tagged packers by exact type (bool is not int here); anything else is tagged JSON.
_PACKERS: dict[type, Callable[[Any], bytes]] = {
    type(None): lambda v: b"N",
    bool: lambda v: b"T" if v else b"F",
    int: _int,
    float: lambda v: b"d" + _DOUBLE.pack(v),
    str: _str,
    tuple: _tuple,
}


def pack_field(value: object) -> bytes:
    """One field: a type tag, then the payload (lengths and counts as varints)."""
    return _PACKERS.get(type(value), _json)(value)


def _field_names(record: Any) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record))


def _packer(kind: type) -> Callable[[Any], bytes]:
    """The packer of one value type: a record's fields in order, or JSON."""
    if not dataclasses.is_dataclass(kind):
        return lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    names = _field_names(kind)
    get = operator.attrgetter(*names) if len(names) > 1 else lambda v: (getattr(v, names[0]),)
    packers = _PACKERS

    def pack_record(value: Any) -> bytes:
        return b"".join([packers.get(type(field), _json)(field) for field in get(value)])

    return pack_record


_RECORD_PACKERS: dict[type, Callable[[Any], bytes]] = {}


def pack(value: object) -> bytes:
    """A record (a dataclass instance) field by field, or JSON data as compact JSON."""
    if type(value) is Packed:
        return value.data
    kind = type(value)
    packer = _RECORD_PACKERS.get(kind)
    if packer is None:
        packer = _RECORD_PACKERS[kind] = _packer(kind)
    return packer(value)


def pack_fields(*fields: object) -> bytes:
    """What ``pack`` makes of a record whose fields are ``fields``, in declaration order,
    without the record: a record is its packed fields one after the other."""
    packers = _PACKERS
    return b"".join([packers.get(type(field), _json)(field) for field in fields])


def kind_of(value: object) -> type:
    """The type of a value, or of the record a Packed value holds."""
    return value.kind if type(value) is Packed else type(value)


@dataclasses.dataclass(frozen=True, slots=True)
class Packed:
    """A record of type ``kind`` already packed (by ``pack_fields``): what a compiler of
    millions of records hands the encoder instead of the records."""

    kind: type
    data: bytes


# Unpacking: one loop over the tags with the varints inlined, since lookups decode
# thousands of values and a function call per field costs more than the work.


def _long_varint(data: bytes, at: int) -> tuple[int, int]:
    number, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        number |= (byte & 0x7F) << shift
        if byte < 0x80:
            return number, at
        shift += 7


def unpack_fields(data: bytes) -> list[object]:
    """The fields of a packed record, in order."""
    fields: list[object] = []
    at, end = 0, len(data)
    while at < end:
        tag = data[at]
        rare = _RARE.get(tag)
        if rare is not None:
            value, at = rare(data, at + 1)
            fields.append(value)
            continue
        size = data[at + 1]  # the common tags all start with a varint
        at += 2
        if size >= 0x80:
            size, at = _long_varint(data, at - 1)
        if tag == 0x73:  # s: str of size bytes
            fields.append(data[at : at + size].decode())
            at += size
        elif tag == 0x69:  # i: int, zigzagged
            fields.append(_unzigzag(size))
        elif tag == 0x49:  # I: size ints
            value, at = _ints_at(data, at, size)
            fields.append(value)
        else:  # S: size strs
            texts = []
            for _ in range(size):
                length, at = data[at], at + 1
                if length >= 0x80:
                    length, at = _long_varint(data, at - 1)
                texts.append(data[at : at + length].decode())
                at += length
            fields.append(tuple(texts))
    return fields


def _ints_at(data: bytes, at: int, count: int) -> tuple[tuple[int, ...], int]:
    first, at = data[at], at + 1
    if first >= 0x80:
        first, at = _long_varint(data, at - 1)
    first = _unzigzag(first)
    if count == 1:
        return (first,), at
    deltas = array(chr(data[at]))
    stop = at + 1 + (count - 1) * deltas.itemsize
    deltas.frombytes(data[at + 1 : stop])
    if _SWAP:
        deltas.byteswap()
    return tuple(itertools.accumulate(deltas, initial=first)), stop


def _floats(data: bytes, at: int) -> tuple[tuple[float, ...], int]:
    count, at = _long_varint(data, at)
    return struct.unpack_from(f"<{count}d", data, at), at + 8 * count


def _singles(data: bytes, at: int) -> tuple[tuple[float, ...], int]:
    count, at = _long_varint(data, at)
    return struct.unpack_from(f"<{count}f", data, at), at + 4 * count


def _bools(data: bytes, at: int) -> tuple[tuple[bool, ...], int]:
    count, at = _long_varint(data, at)
    return tuple(map(bool, data[at : at + count])), at + count


def _json_at(data: bytes, at: int) -> tuple[Any, int]:
    length, at = _long_varint(data, at)
    return json.loads(data[at : at + length]), at + length


def _json_tuple_at(data: bytes, at: int) -> tuple[tuple[Any, ...], int]:
    value, at = _json_at(data, at)
    return tuple(value), at


# Tags without a varint right after them, or rare enough for a call: (value, next offset).
_RARE: dict[int, Callable[[bytes, int], tuple[object, int]]] = {
    ord("N"): lambda data, at: (None, at),
    ord("T"): lambda data, at: (True, at),
    ord("F"): lambda data, at: (False, at),
    ord("d"): lambda data, at: (_DOUBLE.unpack_from(data, at)[0], at + 8),
    ord("D"): _floats,
    ord("E"): _singles,
    ord("B"): _bools,
    ord("j"): _json_at,
    ord("J"): lambda data, at: _json_tuple_at(data, at),
}


def unpacker(record: type) -> Callable[[bytes], object]:
    """The inverse of ``pack`` for one record type."""
    return lambda data: record(*unpack_fields(data))


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
            kind = kind_of(value)
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
            self.fields[kind.__name__] = list(_field_names(kind))

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
            kind = kind_of(value)
            if kinds.get(space) is not kind:
                self.note(space, kind)
                kinds[space] = kind
            compress = compressors.get(space)
            return compress(pack(value)) if compress else pack(value)

        return encode

    def decoders(self) -> dict[str, Callable[[bytes], object]]:
        """A decoder per namespace; raises SchemaMismatch if a record type has changed."""
        known = record_types()
        decoders: dict[str, Callable[[bytes], object]] = {}
        for space, kind in self.namespaces.items():
            decode: Callable[[bytes], object]
            if kind == JSON:
                decode = json.loads
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
