"""Names held packed without their entity (``table.packed_names``): each alias record made
from one names its own entity, in the table a compile holds and in a shard's records (what
a Redis load writes)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from normalizer.aliases.load import load_path
from normalizer.aliases.model import Entity
from normalizer.service import build_table
from normalizer.table.records import AliasRecord
from normalizer.table.shard import Shard
from normalizer.table.weights import Weights

# Invented entities whose names interleave: a name shared by two, aliases of several words.
PEOPLE = """\
- id: q-1
  name: Odile Marchetti Varga
  type: person
  aliases: [La Varga, "VARGA, Odile"]
- id: q-2
  name: Compañía Minera del Alto Sauce
  type: organization
  aliases: [CMAS, Minera Alto Sauce]
  not: [Minera Sauce]
- id: q-3
  name: La Varga
  type: location
"""


def names_of(records: Iterable[AliasRecord]) -> dict[str, set[tuple[str, str, str, bool]]]:
    """Each entity's records, as (entity name, entity type, name as written, negative)."""
    found: dict[str, set[tuple[str, str, str, bool]]] = {}
    for record in records:
        found.setdefault(record.entity_id, set()).add(
            (record.entity_name, record.entity_type, record.text, record.negative)
        )
    return found


def expected(entities: list[Entity]) -> dict[str, set[tuple[str, str, str, bool]]]:
    return {
        e.id: {(e.name, e.type, name, negative) for name, negative in e.indexed_names()}
        for e in entities
    }


def test_every_alias_record_names_its_own_entity(tmp_path: Path, alias_file: Path) -> None:
    people = tmp_path / "people.yml"
    people.write_text(PEOPLE, encoding="utf-8")
    for path in (people, alias_file):
        entities = load_path(path)
        records = [v for v in build_table(path).entries.values() if isinstance(v, AliasRecord)]
        assert names_of(records) == expected(entities)
        assert sorted(r.alias_id for r in records) == list(range(len(records)))


def test_a_shards_records_name_their_own_entities(tmp_path: Path) -> None:
    people = tmp_path / "people.yml"
    people.write_text(PEOPLE, encoding="utf-8")
    entities = load_path(people)
    shard = Shard.of(entities)
    shard.first = 40  # a second shard's: its records' ids count from there
    made = [record for _, record in shard.records(Weights(shard.token_counts(), 99))]
    assert names_of(made) == expected(entities)
    assert [r.alias_id for r in made] == list(range(40, 40 + len(made)))
