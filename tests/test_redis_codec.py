"""The codec of the Redis store: lossless for any record field values, generic over types."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizer.service import build_table
from normalizer.store.redis import codec
from normalizer.table.records import AliasRecord, Postings, TableMeta

# Ints within 64 bits; ids whose differences are within 64 bits too.
INTS = st.integers(min_value=-(2**62), max_value=2**62)
TEXTS = st.text()


@dataclasses.dataclass(frozen=True)
class Varied:
    """A record with a field of every kind the codec packs (doubles: floats not Single)."""

    number: int
    maybe: int | None
    flag: bool
    ratio: float
    text: str
    ids: tuple[int, ...]
    floats: tuple[float, ...]
    flags: tuple[bool, ...]
    texts: tuple[str, ...]
    mixed: tuple[int | str, ...]


VARIED = st.builds(
    Varied,
    number=st.integers(min_value=-(2**63), max_value=2**64 - 1),
    maybe=st.none() | INTS,
    flag=st.booleans(),
    ratio=st.floats(allow_nan=False),
    text=TEXTS,
    ids=st.lists(INTS, max_size=50).map(tuple)
    | st.lists(st.integers(min_value=0, max_value=5_000_000), max_size=300).map(
        lambda ids: tuple(sorted(ids))
    ),
    floats=st.lists(st.floats(allow_nan=False), max_size=8).map(tuple),
    flags=st.lists(st.booleans(), max_size=8).map(tuple),
    texts=st.lists(TEXTS, max_size=8).map(tuple),
    mixed=st.lists(INTS | TEXTS, max_size=8).map(tuple),
)


@given(VARIED)
def test_records_round_trip_exactly(record: Varied) -> None:
    decoded = codec.unpacker(Varied)(codec.pack(record))
    assert decoded == record
    for field in dataclasses.fields(Varied):
        ours, theirs = getattr(record, field.name), getattr(decoded, field.name)
        assert type(theirs) is type(ours), field.name
        if isinstance(ours, tuple):
            assert [type(v) for v in theirs] == [type(v) for v in ours], field.name
    assert [w.hex() for w in decoded.floats] == [w.hex() for w in record.floats]


@given(
    st.integers(min_value=0, max_value=10**7),
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=2000),
)
def test_postings_round_trip(size: int, ids: list[int]) -> None:
    postings = Postings(size, tuple(sorted(ids)))
    assert codec.unpacker(Postings)(codec.pack(postings)) == postings


def test_ascending_ids_cost_a_byte_each() -> None:
    """Postings ids ascend; their differences are stored, not the ids."""
    ids = tuple(range(1_000_000, 1_002_000, 3))
    assert len(codec.pack(Postings(len(ids), ids))) <= len(ids) + 16  # and the heads


def test_floats_are_bit_exact() -> None:
    """Scores from Redis must equal the embedded store's: floats not declared Single keep
    every bit."""
    floats = (0.1 + 0.2, 1 / 3, 2.302585092994046, -0.0)
    record = Varied(0, None, False, 1 / 7, "", (), floats, (), (), ())
    decoded = codec.unpacker(Varied)(codec.pack(record))
    assert [w.hex() for w in decoded.floats] == [w.hex() for w in floats]
    assert decoded.ratio.hex() == (1 / 7).hex()


def test_single_precision_floats_take_four_bytes() -> None:
    """Weights, declared Single, are stored in 4 bytes (and a type byte) each."""
    singles = (1.5, 0.1875, 11.25)
    record = AliasRecord(7, "x", "X", "person", "X Y Z", ("x", "y", "z"), (False,) * 3, singles)
    without = dataclasses.replace(record, weights=())
    assert len(codec.pack(record)) == len(codec.pack(without)) + 5 * len(singles)
    assert codec.unpacker(AliasRecord)(codec.pack(record)) == record


def test_table_weights_are_single_precision(alias_file: object) -> None:
    """The compiler rounds every weight, so alias records come back from 4-byte floats
    exactly as compiled."""
    table = build_table(alias_file)  # type: ignore[arg-type]
    records = [v for v in table.entries.values() if isinstance(v, AliasRecord)]
    assert records
    decode = codec.unpacker(AliasRecord)
    for record in records:
        assert decode(codec.pack(record)) == record


JSON_DATA = st.recursive(
    st.none() | st.booleans() | INTS | st.floats(allow_nan=False) | TEXTS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXTS, inner, max_size=4),
    max_leaves=20,
)


@given(JSON_DATA)
def test_json_data_reads_back_as_json_would(value: object) -> None:
    schema = codec.Schema.learn([("e:1", value)])
    decoded = schema.decoders()["e"](schema.encoder()("e:1", value))
    assert decoded == json.loads(json.dumps(value))


def test_json_values_stay_json() -> None:
    entity = {"id": "a-b", "name": "Ä B", "aliases": [{"name": "ab", "lang": "de"}]}
    schema = codec.Schema.learn([("e:a-b", entity)])
    assert schema.namespaces == {"e": "json"}
    assert schema.decoders()["e"](schema.encoder()("e:a-b", entity)) == entity


def test_schema_learns_namespaces_by_prefix(alias_file: object) -> None:
    table = build_table(alias_file)  # type: ignore[arg-type]
    schema = codec.Schema.learn(table.entries.items())
    assert schema.namespaces["r"] == "AliasRecord"
    assert schema.namespaces["e"] == "json"
    assert all(kind == "Postings" for space, kind in schema.namespaces.items() if space not in "re")
    assert schema.fields["Postings"] == ["size", "ids"]
    again = codec.Schema.from_json(json.loads(json.dumps(schema.to_json())))
    assert again == schema
    encode, decoders = schema.encoder(), again.decoders()
    for key, value in table.entries.items():
        assert decoders[codec.namespace(key)](encode(key, value)) == value


def test_a_namespace_holds_one_type() -> None:
    with pytest.raises(ValueError, match="namespace 'x' holds both"):
        codec.Schema.learn([("x:1", Postings(1, (1,))), ("x:2", {"a": 1})])


def test_a_changed_record_type_is_refused() -> None:
    """A table written by a release whose records had other fields is not misread."""
    schema = codec.Schema.learn([("x:1", Postings(1, (1,)))])
    schema.fields["Postings"] = ["size", "ids", "weight"]
    with pytest.raises(codec.SchemaMismatch, match="reload the table"):
        schema.decoders()


def test_long_repetitive_values_are_compressed_short_ones_not() -> None:
    names = [f"Kestrel Shipping Company Limited number {n}" for n in range(3000)]
    entries: list[tuple[str, object]] = [
        (f"r:{n}", AliasRecord(n, f"kestrel-{n}", name, "organization", name, (), (), ()))
        for n, name in enumerate(names)
    ]
    entries += [(f"t:{n}", Postings(1, (n,))) for n in range(3000)]
    schema = codec.Schema.learn(entries)
    assert set(schema.dictionaries) == {"r"}
    encode = schema.encoder()
    record = entries[5][1]
    stored = encode("r:5", record)
    assert len(stored) < len(codec.pack(record)) / 2
    assert schema.decoders()["r"](stored) == record


def test_meta_as_json_round_trips() -> None:
    meta = TableMeta("v1", 3, 5, ("person", "location"))
    data = json.loads(json.dumps(codec.record_to_json(meta)))
    assert codec.record_from_json(TableMeta, data) == meta
    assert dataclasses.asdict(meta)["types"] == ("person", "location")


def test_packed_fields_are_the_packed_record(alias_file: object) -> None:
    """A load packs millions of records from their fields without making them: the bytes
    are those of the record, and decode to it."""
    table = build_table(alias_file)  # type: ignore[arg-type]
    records = [v for v in table.entries.values() if isinstance(v, AliasRecord | Postings)]
    assert any(isinstance(r, Postings) for r in records) and any(
        isinstance(r, AliasRecord) for r in records
    )
    for record in records:
        kind = type(record)
        fields = [getattr(record, f.name) for f in dataclasses.fields(record)]
        packed = codec.packer(kind)(*fields)
        assert packed == codec.pack(record)
        assert codec.unpacker(kind)(packed) == record
