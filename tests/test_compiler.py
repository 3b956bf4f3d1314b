"""table/: compiling entities into the key table (postings, alias records, entity records,
meta), capping long postings, token weights, shards merged, and the table's version.

Tables are conftest.py's invented fixture (``alias_file``) or written here. Every count is
derived from the entities (names per entity, names per token), never typed in.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from normalizer.aliases.load import load_path
from normalizer.aliases.model import PERSON_TYPES, Alias, Entity
from normalizer.table.compiler import CompiledTable, compile_table, table_meta
from normalizer.table.records import AliasRecord, Postings, alias_key, entity_key
from normalizer.table.shard import MAX_POSTINGS, Partial, Shard, counted, merge_postings
from normalizer.table.weights import OPTIONAL_WEIGHT, Weights
from normalizer.text.normalize import analyze, fold
from normalizer.text.phonetics import spelling_fold


@pytest.fixture(scope="module")
def entities(alias_file: Path) -> list[Entity]:
    return load_path(alias_file)


@pytest.fixture(scope="module")
def table(entities: list[Entity]) -> CompiledTable:
    return compile_table(entities)


def distinct_names(entity: Entity) -> list[str]:
    """The names the table indexes for the entity, its own then those it must not have,
    the first of those that fold alike (they are one name)."""
    seen: dict[str, str] = {}
    for name in [*entity.names(), *entity.excluded]:
        seen.setdefault(fold(name), name)
    return [name for folded, name in seen.items() if folded]


def all_names(entities: Iterable[Entity]) -> list[str]:
    return [name for entity in entities for name in distinct_names(entity)]


def alias_records(table: CompiledTable) -> list[AliasRecord]:
    """The table's alias records by id, 0 first."""
    records = [table.entries[alias_key(i)] for i in range(table.meta.aliases)]
    assert all(isinstance(record, AliasRecord) for record in records)
    return [record for record in records if isinstance(record, AliasRecord)]


def postings(table: CompiledTable, key: str) -> Postings:
    found = table.entries[key]
    assert isinstance(found, Postings)
    return found


def f32(number: float) -> float:
    """``number`` in single precision (as a C float holds it)."""
    return array("f", [number])[0]


def people(names: Sequence[str], kind: str = "person") -> list[Entity]:
    return [Entity(f"p{i}", name, kind) for i, name in enumerate(names)]


# meta and records


def test_meta_counts_come_from_the_entities(entities: list[Entity], table: CompiledTable) -> None:
    assert table.meta.entities == len(entities)
    assert table.meta.aliases == sum(len(distinct_names(entity)) for entity in entities)
    assert table.meta.excluded == sum(len(entity.excluded) for entity in entities) > 0
    assert table.meta.names == table.meta.aliases - table.meta.excluded
    assert table.meta.types == tuple(sorted({entity.type for entity in entities}))


def test_alias_records_are_each_entity_names_in_order(
    entities: list[Entity], table: CompiledTable
) -> None:
    records = alias_records(table)
    assert [r.text for r in records] == all_names(entities)
    assert [r.alias_id for r in records] == list(range(len(records)))
    by_id = {entity.id: entity for entity in entities}
    for record in records:
        entity = by_id[record.entity_id]
        assert (record.entity_name, record.entity_type) == (entity.name, entity.type)
        analysis = analyze(record.text)
        assert (record.tokens, record.optional) == (analysis.tokens, analysis.optional)
    # One record a name, and no more.
    assert alias_key(len(records)) not in table.entries


def test_entity_records_are_the_entities_as_json(
    entities: list[Entity], table: CompiledTable
) -> None:
    for entity in entities:
        assert table.entries[entity_key(entity.id)] == entity.to_json()
    held = [key for key in table.entries if key.startswith(entity_key(""))]
    assert len(held) == len(entities)


def test_names_that_fold_alike_are_one_name() -> None:
    entity = Entity(
        "tq", "Tejidos Quimera", "organization", (Alias("TEJIDOS QUIMERA"), Alias("Quimera"))
    )
    table = compile_table([entity])
    assert [r.text for r in alias_records(table)] == ["Tejidos Quimera", "Quimera"]
    assert table.meta.aliases == len({fold(name) for name in entity.names()})


# postings


def test_token_postings_list_every_name_with_the_token(
    entities: list[Entity], table: CompiledTable
) -> None:
    names = all_names(entities)
    holders: dict[str, list[int]] = {}
    for alias_id, name in enumerate(names):
        for token in dict.fromkeys(analyze(name).tokens):
            holders.setdefault(token, []).append(alias_id)
    assert holders
    for token, ids in holders.items():
        assert postings(table, "t:" + token) == Postings(len(ids), tuple(ids))


def test_whole_name_postings(entities: list[Entity], table: CompiledTable) -> None:
    # Two people share "Abu Muhammad" in the fixture: one key, both names.
    names = all_names(entities)
    shared = [i for i, name in enumerate(names) if fold(name) == "abu muhammad"]
    assert len(shared) == 2
    assert postings(table, "s:abu muhammad") == Postings(2, tuple(shared))


def test_a_key_two_tokens_of_one_name_share_lists_the_name_once() -> None:
    # "Cirano" and "Sirano" fold alike: the second name has both.
    names = ["Cirano Bexley", "Cirano Sirano Bexley", "Sirano Ruiz"]
    assert spelling_fold("cirano") == spelling_fold("sirano")
    table = compile_table(people(names))
    assert postings(table, "f:" + spelling_fold("cirano")) == Postings(len(names), (0, 1, 2))


@pytest.fixture(scope="module")
def crowded() -> list[Entity]:
    """More people than a postings list holds, each of one of two spellings that fold alike
    ("Cirano", "Sirano"), each spelling alone also more than it holds."""
    count = 2 * MAX_POSTINGS + 11
    return people([f"{('Cirano', 'Sirano')[i % 2]} Bexley {i}" for i in range(count)])


def test_postings_are_capped_with_their_true_size(crowded: list[Entity]) -> None:
    table = compile_table(crowded)
    first = tuple(range(MAX_POSTINGS))
    # One token in every name.
    assert postings(table, "t:bexley") == Postings(len(crowded), first)
    # One token in every other name.
    cirano = postings(table, "t:cirano")
    assert cirano.size == math.ceil(len(crowded) / 2)
    assert cirano.ids == tuple(range(0, 2 * MAX_POSTINGS, 2))
    # Two tokens, one key: the first ids of both lists together.
    assert postings(table, "f:" + spelling_fold("cirano")) == Postings(len(crowded), first)
    # A key of one name is not capped.
    assert postings(table, "t:7") == Postings(1, (7,))


# weights


def test_weights_are_idf_in_single_precision(entities: list[Entity], table: CompiledTable) -> None:
    names = all_names(entities)
    total = len(names)
    counts = Counter(token for name in names for token in set(analyze(name).tokens))
    optional_seen = plain_seen = 0
    for record in alias_records(table):
        for token, optional, weight in zip(
            record.tokens, record.optional, record.weights, strict=True
        ):
            # Inverse document frequency, smoothed: ln((N + 1) / (df + 0.5)).
            plain = f32(math.log((total + 1) / (counts[token] + 0.5)))
            if optional:
                optional_seen += 1
                assert weight == f32(plain * OPTIONAL_WEIGHT)
                assert weight == pytest.approx(plain / 10, rel=1e-6)
            else:
                plain_seen += 1
                assert weight == plain
    # The fixture has both kinds of token.
    assert optional_seen and plain_seen


def test_rarer_tokens_weigh_more(crowded: list[Entity]) -> None:
    (record,) = [r for r in alias_records(compile_table(crowded)) if r.text == "Sirano Bexley 1"]
    sirano, bexley, one = record.weights
    # "1" is in one name, "sirano" in half of them, "bexley" in all.
    assert one > sirano > bexley > 0.0


# shards


def merged_table(entities: list[Entity], cut: int) -> CompiledTable:
    """``entities`` compiled as two shards, cut before entity ``cut``, and merged as
    ``normalizer load`` merges them: postings in shard order, counts summed."""
    shards = [Shard.of(entities[:cut]), Shard.of(entities[cut:])]
    shards[1].first = len(shards[0].names)
    merged: dict[str, Partial] = {}
    for shard in shards:
        for key, partial in shard.postings().items():
            known = merged.get(key)
            merged[key] = (
                counted(partial, shard.first)
                if known is None
                else merge_postings(known, partial, shard.first)
            )
    total = sum(len(shard.names) for shard in shards)
    counts: Counter[str] = Counter()
    for shard in shards:
        counts.update(shard.token_counts())
    entries: dict[str, object] = {
        key: Postings(size, tuple(ids)) for key, (size, ids) in merged.items()
    }
    for shard in shards:
        entries.update(shard.records(Weights(counts, total)))
        entries.update(shard.entity_records())
    types = {entity.type for entity in entities}
    digests = b"".join(shard.digests for shard in shards)
    excluded = sum(shard.excluded() for shard in shards)
    return CompiledTable(table_meta(len(entities), total, types, digests, excluded), entries)


@pytest.mark.parametrize("at", ["first", "middle", "last"])
def test_two_shards_merged_are_the_table_compiled_whole(
    entities: list[Entity], table: CompiledTable, at: str
) -> None:
    cut = {"first": 1, "middle": len(entities) // 2, "last": len(entities) - 1}[at]
    assert merged_table(entities, cut) == table


@pytest.mark.parametrize("third", [1, 2])
def test_capped_postings_merge_as_compiled_whole(crowded: list[Entity], third: int) -> None:
    # A cut before MAX_POSTINGS names: the first shard's list is not full, the second fills
    # it. A cut after: the first shard's list is full already.
    cut = len(crowded) * third // 3
    assert (cut < MAX_POSTINGS) == (third == 1)
    assert merged_table(crowded, cut) == compile_table(crowded)


# version

_VERSION = """
import sys
from normalizer.aliases.load import load_path
from normalizer.table.compiler import compile_table
print(compile_table(load_path(sys.argv[1])).meta.version)
"""


def test_version_is_the_same_in_another_process(alias_file: Path, table: CompiledTable) -> None:
    env = {**os.environ, "PYTHONHASHSEED": "7"}
    run = subprocess.run(
        [sys.executable, "-c", _VERSION, str(alias_file)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == table.meta.version


def test_version_does_not_depend_on_where_entities_are_defined(
    alias_file: Path, table: CompiledTable, tmp_path: Path
) -> None:
    copy = tmp_path / "elsewhere" / "copy.yml"
    copy.parent.mkdir()
    copy.write_text("# the same entities, from another file\n" + alias_file.read_text("utf-8"))
    assert compile_table(load_path(copy)).meta.version == table.meta.version


@pytest.mark.parametrize(
    "change",
    ["alias", "notes", "type", "order"],
)
def test_version_changes_when_an_entity_changes(
    entities: list[Entity], table: CompiledTable, change: str
) -> None:
    changed = list(entities)
    last = changed[-1]
    if change == "alias":
        changed[-1] = replace(last, aliases=(*last.aliases, Alias("Puerto Nuevo")))
    elif change == "notes":
        changed[-1] = replace(last, notes="a note")
    elif change == "type":
        changed[-1] = replace(last, type="organization")
    else:
        changed[-2:] = changed[-1], changed[-2]
    assert compile_table(changed).meta.version != table.meta.version


# acronyms


def acronym_keys_of(table: CompiledTable) -> set[str]:
    return {key for key in table.entries if key[:2] in ("a:", "b:")}


def test_acronym_keys_only_for_entities_other_than_people(table: CompiledTable) -> None:
    records = alias_records(table)
    keys = acronym_keys_of(table)
    assert keys
    for key in keys:
        for alias_id in postings(table, key).ids:
            assert records[alias_id].entity_type not in PERSON_TYPES


@pytest.mark.parametrize("kind", sorted(PERSON_TYPES | {"organization", "location"}))
def test_one_name_as_a_person_or_not(kind: str) -> None:
    table = compile_table(people(["Quimera Velour Holdings"], kind))
    assert ("a:qvh" in table.entries) == (kind not in PERSON_TYPES)


def test_no_acronym_keys_of_a_one_word_name() -> None:
    assert not acronym_keys_of(compile_table(people(["Quimera"], "organization")))
