"""The schema of a loaded table: what each namespace holds, and how it is compressed.

A ``Schema`` is learned from the table being loaded and saved with it: the type each
namespace (the key up to its first ``:``) holds, the fields of each record type, and a
zstd dictionary, trained on samples, for namespaces of long values (alias and entity
records), which halves them. A reader decodes by the schema of the version it reads, and
refuses a table whose record fields differ from its own code's. Alias and entity records
are stored without the id their key writes (``records.KEY_FIELDS``): a decoder takes the
key with the value.
"""

from __future__ import annotations

import base64
import dataclasses
import threading
from collections.abc import Callable, Iterable
from typing import Any

import zstandard

from normalizer.store.redis.codec import (
    JSON,
    field_names,
    keyed_unpacker,
    pack,
    pack_keyed,
    record_types,
    unpack_json,
    unpacker,
)
from normalizer.table.records import KEY_FIELDS

# Compression: measured on a 100k-entity table, a 16 KiB zstd dictionary trained on sample
# values makes alias records 0.52 and entity records 0.44 of their size, at ~1.5 us per
# value to encode and ~1 us to decode (zlib with a preset dictionary compressed more, but
# took 8 us). On padded tables of 200k entities, alias records (two thirds of a table's
# bytes) shrank only to 0.61 with it and went uncompressed; a 64 KiB dictionary trained on
# 8,000 of them makes them 0.57 (entity records 0.45), ~1.4 us to encode and ~0.6 to decode.
# A 256 KiB one, trained on the same samples, takes another 4.1 bytes off an alias record of
# a 100k table (63.4 -> 59.3) and 1.7 off an entity record (38.7 -> 37.0), at the same
# speed: 128 KiB took 1.5 and 0.7, and twice the samples nothing more.
# Postings shrink little and are decoded by the thousand per lookup, so a namespace
# qualifies only if its values are long and shrink below 0.7.
SAMPLES = 16000
DICTIONARY_BYTES = 256 * 1024
COMPRESS_FROM_BYTES = 48
COMPRESS_WHEN_RATIO = 0.7
ZSTD_LEVEL = 3
# Frames without the magic number, the dictionary id or a checksum: 9 bytes a value less.
_ZSTD_PARAMETERS = {
    "format": zstandard.FORMAT_ZSTD1_MAGICLESS,
    "write_checksum": 0,
    "write_dict_id": 0,
    "write_content_size": 1,
}


# ``decode(key, value)``: a table entry read back from its key and stored bytes.
Decoder = Callable[[str, bytes], object]


def stored(key: str, value: object) -> bytes:
    """``value`` packed as the table stores it under ``key``, before compression."""
    space, _, written = key.partition(":")
    field = KEY_FIELDS.get(space)
    return pack(value) if field is None else pack_keyed(value, field, written)


class SchemaMismatch(Exception):
    """The table was encoded with record types this code does not have."""


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
                sample.add(stored(key, value))
        for space, sample in samples.items():
            if (dictionary := _dictionary(sample.values)) is not None:
                schema.dictionaries[space] = dictionary
        return schema

    def note(self, space: str, kind: type) -> None:
        """What ``space`` holds; raises ValueError if it held another type."""
        self.merge({space: kind.__name__ if dataclasses.is_dataclass(kind) else JSON}, {})
        if dataclasses.is_dataclass(kind):
            self.fields[kind.__name__] = list(field_names(kind))

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
            return compress(stored(key, value)) if compress else stored(key, value)

        return encode

    def compressor(self, space: str) -> Callable[[bytes], bytes] | None:
        """What the encoder does to the packed values of ``space`` (None: nothing), for
        the encoder of a load that packs its values itself."""
        dictionary = self.dictionaries.get(space)
        return _compressor(dictionary) if dictionary is not None else None

    def decoders(self) -> dict[str, Decoder]:
        """A decoder per namespace; raises SchemaMismatch if a record type has changed."""
        known = record_types()
        decoders: dict[str, Decoder] = {}
        for space, kind in self.namespaces.items():
            record: type = dict
            if kind != JSON:
                found = known.get(kind)
                ours = [f.name for f in dataclasses.fields(found)] if found else None
                if found is None or ours != self.fields[kind]:
                    raise SchemaMismatch(
                        f"the table's {kind} records have fields {self.fields[kind]}, "
                        f"this code's have {ours}: reload the table with this release"
                    )
                record = found
            decoders[space] = _decoder(record, KEY_FIELDS.get(space), self.dictionaries.get(space))
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


def _decoder(record: type, field: str | None, dictionary: bytes | None) -> Decoder:
    """The decoder of a namespace of ``record`` values (``dict``: JSON) whose keys write
    ``field`` (None: nothing), compressed with ``dictionary`` (None: not compressed)."""
    decode: Decoder
    if field is not None:
        keyed = keyed_unpacker(record, field)
        decode = lambda key, data: keyed(key.partition(":")[2], data)  # noqa: E731
    else:
        plain = unpack_json if record is dict else unpacker(record)
        decode = lambda key, data: plain(data)  # noqa: E731
    if dictionary is None:
        return decode
    decompress = _decompressor(dictionary)
    return lambda key, data: decode(key, decompress(data))
