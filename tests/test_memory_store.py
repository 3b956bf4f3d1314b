"""The embedded store (``store.memory``): it holds postings packed, and gives back every
value as compiled, without changing the table it was given."""

from __future__ import annotations

from pathlib import Path

from normalizer.aliases.load import load_path
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore
from normalizer.table.compiler import CompiledTable
from normalizer.table.records import AliasRecord, Postings, alias_key, entity_key


def test_every_value_comes_back_as_compiled(alias_file: Path) -> None:
    table = build_table(alias_file)
    compiled = dict(table.entries)
    store = MemoryStore()
    store.publish(table)
    keys = [*table.entries, "t:no-such-key", "", "?"]
    assert store.view().get_many(keys) == [*compiled.values(), None, None, None]
    # The table's own values are left as they were (a caller may read them afterwards).
    assert dict(table.entries) == compiled
    assert any(isinstance(value, Postings) and len(value.ids) > 1 for value in compiled.values())


def test_presence_agrees_with_the_values(alias_file: Path) -> None:
    table = build_table(alias_file)
    store = MemoryStore()
    store.publish(table)
    keys = [*list(table.entries)[:50], "t:no-such-key", "", "e:nobody"]
    view = store.view()
    assert view.has_many(keys) == [value is not None for value in view.get_many(keys)]
    assert view.has_many(keys).count(False) == 3


def test_fetched_postings_are_tuples_of_ints(alias_file: Path) -> None:
    table = build_table(alias_file)
    store = MemoryStore()
    store.publish(table)
    key = next(k for k, v in table.entries.items() if isinstance(v, Postings))
    (postings,) = store.view().get_many([key])
    assert isinstance(postings, Postings)
    assert type(postings.ids) is tuple
    assert all(type(i) is int for i in postings.ids)


def test_a_table_of_plain_values_comes_back_as_given(alias_file: Path) -> None:
    # A table made otherwise than by compile_table (a dict of Postings, AliasRecord, JSON).
    compiled = build_table(alias_file)
    plain = dict(compiled.entries.items())
    store = MemoryStore()
    store.publish(CompiledTable(compiled.meta, plain))
    assert store.view().get_many(list(plain)) == list(plain.values())
    assert dict(compiled.entries) == plain


def test_records_are_found_only_under_the_keys_they_are_written_under(alias_file: Path) -> None:
    # Alias records are held in a list by id, entity records by entity id: a key that
    # alias_key or entity_key would not write names none.
    table = build_table(alias_file)
    store = MemoryStore()
    store.publish(table)
    last = table.meta.aliases - 1
    written = [alias_key(0), alias_key(last), entity_key(next(iter(load_path(alias_file))).id)]
    unwritten = ["r:00", "r:+1", "r:-1", " r:1", "r:1 ", "r:1x", "r:", "r:\u0663", "e:", "e"]
    unwritten.append(alias_key(last + 1))
    view = store.view()
    found = view.get_many([*written, *unwritten])
    assert isinstance(found[0], AliasRecord) and found[0].alias_id == 0
    assert isinstance(found[1], AliasRecord) and found[1].alias_id == last
    assert isinstance(found[2], dict)
    assert found[3:] == [None] * len(unwritten)
    assert view.has_many([*written, *unwritten]) == [True] * 3 + [False] * len(unwritten)
    assert not [key for key in table.entries if key in unwritten]


def test_no_lookup_key_is_in_the_records_namespaces(alias_file: Path) -> None:
    # The embedded store tells a record's key from a lookup key by its namespace alone.
    table = build_table(alias_file)
    records = (alias_key(0)[:2], entity_key("")[:2])
    lookup = [key for key in table.entries if not key.startswith(records)]
    assert len(lookup) == len(table.entries) - table.meta.aliases - table.meta.entities
    assert all(key[1:2] == ":" for key in lookup)
