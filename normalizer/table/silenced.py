"""Names a new table would silence: a name that resolved to one entity in the table in
force, and that the new table gives to several (so it resolves to none: it is ambiguous).

A reload refuses such a table, naming the file and line of each entity that now shares the
name, unless one of those entities lists the name under ``shared`` (the curator knows).
A name that was ambiguous already, or is new, silences nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from normalizer.aliases.model import Entity
from normalizer.exc import AliasProblem, AliasTableError
from normalizer.table.compiler import CompiledTable
from normalizer.table.records import AliasRecord, Postings, alias_key
from normalizer.text.normalize import analyze
from normalizer.text.whole_names import whole_keys

# A table's lookups: the values of keys, None where absent (``TableView.get_many``).
Lookup = Callable[[Sequence[str]], list[object | None]]
WHOLE_NAME = "s:"


def refuse_silencing(
    entities: Sequence[Entity], table: CompiledTable, before: Lookup | None
) -> None:
    """Raise AliasTableError if ``table`` silences a name of the table in force (read
    through ``before``; None: there is none, so nothing to silence)."""
    if before is not None and (problems := silenced_names(entities, table, before)):
        raise AliasTableError(problems)


def silenced_names(
    entities: Sequence[Entity], table: CompiledTable, before: Lookup
) -> list[AliasProblem]:
    """The problems of ``table`` (compiled from ``entities``) against the table in force,
    read through ``before``: one per entity that makes a name of another ambiguous."""
    shared_now = _shared_keys(table)
    if not shared_now:
        return []
    keys = list(shared_now)
    owners_before = _owners(keys, before)
    by_id = {entity.id: entity for entity in entities}
    problems = []
    for key in keys:
        before_ids = owners_before.get(key, set())
        if len(before_ids) != 1:
            continue  # new, or ambiguous already
        (owner,) = before_ids
        holders = [by_id[i] for i in sorted(shared_now[key]) if i in by_id]
        if any(key in _marked(entity) for entity in holders):
            continue
        name = _written(holders, key)
        others = ", ".join(entity.id for entity in holders)
        for entity in holders:
            if entity.id == owner:
                continue
            problems.append(
                AliasProblem(
                    entity.path,
                    entity.line,
                    f"name {name!r} resolved to {owner} alone; shared now by {others}, it "
                    f"would resolve to none. If that is meant, list it under 'shared'",
                    entity.id,
                )
            )
    return problems


def _shared_keys(table: CompiledTable) -> dict[str, set[str]]:
    """Whole-name keys of ``table`` that several entities' names have, and those entities."""
    shared = {}
    get = table.entries.get
    # The keys, and the values of the whole-name keys alone: not every record made.
    for key in table.entries:
        if (
            key.startswith(WHOLE_NAME)
            and isinstance(value := get(key), Postings)
            and value.size > 1
        ):
            ids = _entity_ids([get(alias_key(i)) for i in value.ids])
            if len(ids) > 1:
                shared[key] = ids
    return shared


def _owners(keys: list[str], lookup: Lookup) -> dict[str, set[str]]:
    """The entities each of ``keys`` names in the table ``lookup`` reads."""
    postings = dict(zip(keys, lookup(keys), strict=True))
    wanted = {
        alias_key(i): key
        for key, value in postings.items()
        if isinstance(value, Postings)
        for i in value.ids
    }
    records = dict(zip(wanted, lookup(list(wanted)), strict=True))
    owners: dict[str, set[str]] = {}
    for record_key, key in wanted.items():
        owners.setdefault(key, set()).update(_entity_ids([records[record_key]]))
    return owners


def _entity_ids(records: list[object]) -> set[str]:
    return {r.entity_id for r in records if isinstance(r, AliasRecord) and not r.negative}


def _marked(entity: Entity) -> set[str]:
    return {key for name in entity.shared for key in whole_keys(analyze(name))}


def _written(holders: list[Entity], key: str) -> str:
    """The name under ``key`` as one of its holders writes it."""
    for entity in holders:
        for name in entity.names():
            if key in whole_keys(analyze(name)):
                return name
    return key.removeprefix(WHOLE_NAME)
