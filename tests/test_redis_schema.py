"""The schema of a loaded table (``store.redis.schema``): namespaces learned by prefix,
JSON data kept JSON, long values compressed, a changed record type refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizer.service import build_table
from normalizer.store.redis import codec
from normalizer.store.redis.schema import Schema, SchemaMismatch
from normalizer.table.records import AliasRecord, Postings

# Ints within 64 bits, as the codec packs them.
INTS = st.integers(min_value=-(2**62), max_value=2**62)
TEXTS = st.text()


JSON_DATA = st.recursive(
    st.none() | st.booleans() | INTS | st.floats(allow_nan=False) | TEXTS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXTS, inner, max_size=4),
    max_leaves=20,
)


@given(JSON_DATA)
def test_json_data_reads_back_as_json_would(value: object) -> None:
    schema = Schema.learn([("e:1", value)])
    decoded = schema.decoders()["e"]("e:1", schema.encoder()("e:1", value))
    assert decoded == json.loads(json.dumps(value))


def test_json_values_stay_json() -> None:
    entity = {"id": "a-b", "name": "Ä B", "aliases": [{"name": "ab", "lang": "de"}]}
    schema = Schema.learn([("e:a-b", entity)])
    assert schema.namespaces == {"e": "json"}
    assert schema.decoders()["e"]("e:a-b", schema.encoder()("e:a-b", entity)) == entity


def test_schema_learns_namespaces_by_prefix(alias_file: Path) -> None:
    table = build_table(alias_file)
    schema = Schema.learn(table.entries.items())
    assert schema.namespaces["r"] == "AliasRecord"
    assert schema.namespaces["e"] == "json"
    assert all(kind == "Postings" for space, kind in schema.namespaces.items() if space not in "re")
    assert schema.fields["Postings"] == ["size", "ids"]
    again = Schema.from_json(json.loads(json.dumps(schema.to_json())))
    assert again == schema
    encode, decoders = schema.encoder(), again.decoders()
    for key, value in table.entries.items():
        assert decoders[codec.namespace(key)](key, encode(key, value)) == value


def test_a_namespace_holds_one_type() -> None:
    with pytest.raises(ValueError, match="namespace 'x' holds both"):
        Schema.learn([("x:1", Postings(1, (1,))), ("x:2", {"a": 1})])


def test_a_changed_record_type_is_refused() -> None:
    """A table written by a release whose records had other fields is not misread."""
    schema = Schema.learn([("x:1", Postings(1, (1,)))])
    schema.fields["Postings"] = ["size", "ids", "weight"]
    with pytest.raises(SchemaMismatch, match="reload the table"):
        schema.decoders()


def test_long_repetitive_values_are_compressed_short_ones_not() -> None:
    names = [f"Kestrel Shipping Company Limited number {n}" for n in range(3000)]
    entries: list[tuple[str, object]] = [
        (f"r:{n}", AliasRecord(n, f"kestrel-{n}", name, "organization", name, (), (), ()))
        for n, name in enumerate(names)
    ]
    entries += [(f"t:{n}", Postings(1, (n,))) for n in range(3000)]
    schema = Schema.learn(entries)
    assert set(schema.dictionaries) == {"r"}
    encode = schema.encoder()
    record = entries[5][1]
    stored = encode("r:5", record)
    assert len(stored) < len(codec.pack(record)) / 2
    assert schema.decoders()["r"]("r:5", stored) == record
