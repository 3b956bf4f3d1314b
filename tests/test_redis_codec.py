"""The codec of the Redis store: lossless for any record field values, generic over types."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

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
    assert isinstance(decoded, Varied)
    assert [w.hex() for w in decoded.floats] == [w.hex() for w in floats]
    assert decoded.ratio.hex() == (1 / 7).hex()


def test_single_precision_floats_take_four_bytes() -> None:
    """Weights, declared Single, are stored in 4 bytes (and a type byte) each."""
    singles = (1.5, 0.1875, 11.25)
    record = AliasRecord(7, "x", "X", "person", "X Y Z", ("x", "y", "z"), (False,) * 3, singles)
    without = dataclasses.replace(record, weights=())
    assert len(codec.pack(record)) == len(codec.pack(without)) + 5 * len(singles)
    assert codec.unpacker(AliasRecord)(codec.pack(record)) == record


def test_table_weights_are_single_precision(alias_file: Path) -> None:
    """The compiler rounds every weight, so alias records come back from 4-byte floats
    exactly as compiled."""
    table = build_table(alias_file)
    records = [v for v in table.entries.values() if isinstance(v, AliasRecord)]
    assert records
    decode = codec.unpacker(AliasRecord)
    for record in records:
        assert decode(codec.pack(record)) == record


def test_meta_as_json_round_trips() -> None:
    meta = TableMeta("v1", 3, 5, ("person", "location"))
    data = json.loads(json.dumps(codec.record_to_json(meta)))
    assert codec.record_from_json(TableMeta, data) == meta
    assert dataclasses.asdict(meta)["types"] == ("person", "location")


def test_packed_fields_are_the_packed_record(alias_file: Path) -> None:
    """A load packs millions of records from their fields without making them: the bytes
    are those of the record, and decode to it."""
    table = build_table(alias_file)
    records = [v for v in table.entries.values() if isinstance(v, AliasRecord | Postings)]
    assert any(isinstance(r, Postings) for r in records) and any(
        isinstance(r, AliasRecord) for r in records
    )
    for record in records:
        kind: type = type(record)
        fields = [getattr(record, f.name) for f in dataclasses.fields(record)]
        packed = codec.packer(kind)(*fields)
        assert packed == codec.pack(record)
        assert codec.unpacker(kind)(packed) == record


@pytest.mark.parametrize("alias", [0, 1, 65_535, 65_536, 1_700_000, 0x91FFFF, 0x920000, 2**32])
def test_one_alias_postings_round_trip(alias: int) -> None:
    """Most keys list one alias: its id alone, in three bytes while it fits below the
    MessagePack head that any other postings start with."""
    postings = Postings(1, (alias,))
    packed = codec.pack(postings)
    assert codec.unpacker(Postings)(packed) == postings
    assert (len(packed) == 3) == (alias < 0x920000)


def test_postings_of_two_aliases_or_a_capped_one_keep_their_size() -> None:
    for postings in (Postings(2, (5,)), Postings(2, (5, 9)), Postings(0, ())):
        assert codec.unpacker(Postings)(codec.pack(postings)) == postings


@given(VARIED, st.sampled_from(["number", "text"]), st.booleans())
def test_a_field_its_key_writes_is_left_out_and_read_back(
    record: Varied, field: str, keyed: bool
) -> None:
    """A record stored under a key that writes one of its fields does not hold it twice;
    under any other key it is stored whole. Either way it reads back exactly."""
    value = str(getattr(record, field))
    written = value if keyed else value + "x"
    packed = codec.pack_keyed(record, field, written)
    assert codec.keyed_unpacker(Varied, field)(written, packed) == record
    if keyed:
        assert len(packed) < len(codec.pack(record))
    else:
        assert packed == codec.pack(record)


def test_a_field_no_key_can_write_is_refused() -> None:
    record = AliasRecord(7, "kestrel-7", "Kestrel", "organization", "Kestrel", (), (), ())
    with pytest.raises(TypeError, match="optional"):
        codec.pack_keyed(record, "optional", "7")


@given(st.dictionaries(TEXTS, INTS | TEXTS, max_size=4), TEXTS, st.booleans())
def test_a_json_objects_id_its_key_writes_is_left_out(
    members: dict[str, object], entity_id: str, keyed: bool
) -> None:
    """An entity record keeps its members' order, its id first, as the embedded store's."""
    entity = {"id": entity_id, **{k: v for k, v in members.items() if k != "id"}}
    written = entity_id if keyed else entity_id + "x"
    packed = codec.pack_keyed(entity, "id", written)
    decoded = codec.keyed_unpacker(dict, "id")(written, packed)
    assert decoded == entity and list(decoded) == list(entity)
    if keyed:
        assert len(packed) < len(codec.pack(entity))


def test_alias_records_of_a_table_are_stored_without_their_id(alias_file: Path) -> None:
    table = build_table(alias_file)
    records = [(k, v) for k, v in table.entries.items() if isinstance(v, AliasRecord)]
    assert records
    decode = codec.keyed_unpacker(AliasRecord, "alias_id")
    for key, record in records:
        written = key.partition(":")[2]
        fields = [getattr(record, f.name) for f in dataclasses.fields(record)]
        packed = codec.packer(AliasRecord, "alias_id")(*fields)
        assert packed == codec.pack_keyed(record, "alias_id", written)
        assert len(packed) < len(codec.pack(record))
        assert decode(written, packed) == record
