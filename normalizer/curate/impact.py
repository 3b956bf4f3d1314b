"""The impact of a change to the alias table: entities added, removed and changed, the
collisions and ambiguous names it brings, and the answers it changes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from normalizer.aliases.collisions import Collision, find_collisions
from normalizer.aliases.model import Entity
from normalizer.curate.answers import Answer, answers
from normalizer.curate.golden import GoldenQuery
from normalizer.exc import AliasProblem
from normalizer.match.matcher import Matcher
from normalizer.table.compiler import CompiledTable
from normalizer.table.silenced import silenced_names


@dataclass(frozen=True, slots=True)
class EntityChange:
    """One entity as the old table and the new one define it."""

    old: Entity
    new: Entity

    @property
    def id(self) -> str:
        return self.new.id

    def details(self) -> list[str]:
        """What changed, a phrase each: fields old → new, names added and removed."""
        old, new = self.old, self.new
        found = [
            f"{what}: {before or '-'} → {after or '-'}"
            for what, before, after in (
                ("name", old.name, new.name),
                ("type", old.type, new.type),
                ("country", old.country, new.country),
            )
            if before != after
        ]
        old_names, new_names = list(old.names()), list(new.names())
        found += _added_removed("names", old_names, new_names)
        if old.aliases != new.aliases and set(old_names) == set(new_names):
            found.append("aliases reordered or their languages changed")
        found += _added_removed("not-names", old.excluded, new.excluded)
        found += _added_removed("shared", old.shared, new.shared)
        found += ["notes changed"] if old.notes != new.notes else []
        found += ["sources changed"] if old.sources != new.sources else []
        return found


@dataclass(frozen=True, slots=True)
class TableChange:
    added: list[Entity]
    removed: list[Entity]
    changed: list[EntityChange]
    collisions: list[Collision]  # in the new table, not in the old
    silenced: list[AliasProblem]  # names of the old table the new one makes ambiguous
    where: dict[str, str]  # file:line of each entity the new collisions name


@dataclass(frozen=True, slots=True)
class Probe:
    """A query both tables answer: a golden query's, or one of a query log's names."""

    query: str
    type: str | None = None
    golden: GoldenQuery | None = None


@dataclass(frozen=True, slots=True)
class AnswerChange:
    probe: Probe
    old: Answer
    new: Answer


def table_change(
    old: Sequence[Entity], new: Sequence[Entity], old_table: CompiledTable, new_table: CompiledTable
) -> TableChange:
    """The change from the table of ``old`` to that of ``new``, each compiled already."""
    before = {entity.id: entity for entity in old}
    after = {entity.id: entity for entity in new}
    entries = old_table.entries
    silenced = silenced_names(new, new_table, lambda keys: [entries.get(key) for key in keys])
    known = set(find_collisions(list(old)))
    collisions = [c for c in find_collisions(list(new)) if c not in known]
    named = {entity_id for collision in collisions for entity_id, _ in collision.names}
    return TableChange(
        added=[entity for entity in new if entity.id not in before],
        removed=[entity for entity in old if entity.id not in after],
        changed=[
            EntityChange(before[entity.id], entity)
            for entity in new
            if entity.id in before and before[entity.id] != entity
        ],
        collisions=collisions,
        silenced=silenced,
        where={e.id: f"{e.path}:{e.line}" for e in new if e.id in named},
    )


def probes(
    new_golden: Iterable[GoldenQuery], old_golden: Iterable[GoldenQuery], log: Iterable[str]
) -> list[Probe]:
    """Each query once (with its type): a golden query the new table keeps is shown with
    the new table's expectation; a logged name asked by a golden query is that query."""
    found: dict[tuple[str, str | None], Probe] = {}
    for golden in (*new_golden, *old_golden):
        found.setdefault((golden.query, golden.type), Probe(golden.query, golden.type, golden))
    for name in log:
        found.setdefault((name, None), Probe(name))
    return list(found.values())


def answer_changes(old: Matcher, new: Matcher, asked: Sequence[Probe]) -> list[AnswerChange]:
    """The probes whose answer is another entity in the new table (or a match where there
    was none, or none where there was one); a score that moves alone is no change."""
    questions = [(probe.query, probe.type) for probe in asked]
    pairs = zip(asked, answers(old, questions), answers(new, questions), strict=True)
    return [
        AnswerChange(p, before, after)
        for p, before, after in pairs
        if before.entity != after.entity
    ]


def _added_removed(what: str, old: Sequence[str], new: Sequence[str]) -> list[str]:
    added = [name for name in new if name not in old]
    removed = [name for name in old if name not in new]
    return [
        f"{what} {how}: {', '.join(repr(name) for name in names)}"
        for how, names in (("added", added), ("removed", removed))
        if names
    ]
