"""The impact report of a change, as text for a terminal or Markdown to paste in a review."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from normalizer.aliases.collisions import Collision
from normalizer.aliases.model import Entity
from normalizer.curate.impact import AnswerChange, TableChange

FORMATS = ("text", "markdown")


@dataclass(frozen=True, slots=True)
class Impact:
    old: str  # how the old table is named: a path, or revision:path
    new: str
    table: TableChange
    answers: list[AnswerChange]
    asked: int  # queries both tables answered
    golden: int  # of which golden queries

    @property
    def golden_changes(self) -> list[AnswerChange]:
        return [change for change in self.answers if change.probe.golden is not None]

    def summary(self) -> str:
        table = self.table
        return (
            f"{len(table.added)} entities added, {len(table.removed)} removed, "
            f"{len(table.changed)} changed; {len(table.collisions)} new collision(s); "
            f"{len(table.silenced)} name(s) made ambiguous; {len(self.answers)} of "
            f"{self.asked} answers changed ({len(self.golden_changes)} of {self.golden} golden)"
        )


def render(impact: Impact, form: str) -> str:
    lines = _markdown(impact) if form == "markdown" else _text(impact)
    return "\n".join(lines) + "\n"


def _entity(entity: Entity) -> str:
    return f"{entity.id} ({entity.name!r}, {entity.type})"


def _who(collision: Collision, where: dict[str, str]) -> str:
    """The names in ``collision``, each with its entity and where that is defined."""
    return ", ".join(f"{i} ({name!r}, {where.get(i, '?')})" for i, name in collision.names)


def _golden_note(change: AnswerChange) -> str:
    golden = change.probe.golden
    if golden is None:
        return ""
    verdict = "passes" if change.new.entity == golden.expect else "fails"
    return f"golden at {golden.where}, expects {golden.expected}: {verdict}"


def _query(change: AnswerChange) -> str:
    typed = f" (type {change.probe.type})" if change.probe.type else ""
    return f"{change.probe.query!r}{typed}"


def _text(impact: Impact) -> Iterator[str]:
    table = impact.table
    yield f"impact of {impact.old} → {impact.new}"
    yield (
        f"entities: {len(table.added)} added, {len(table.removed)} removed, "
        f"{len(table.changed)} changed"
    )
    yield from (f"  added: {_entity(e)} at {e.path}:{e.line}" for e in table.added)
    yield from (f"  removed: {_entity(e)}" for e in table.removed)
    yield from (f"  changed: {c.id}: {'; '.join(c.details())}" for c in table.changed)
    yield f"new collisions: {len(table.collisions)}"
    yield from (f"  {c.kind} on {c.key!r}: {_who(c, table.where)}" for c in table.collisions)
    yield f"names made ambiguous: {len(table.silenced)}"
    yield from (f"  {problem}" for problem in table.silenced)
    yield (
        f"answers changed: {len(impact.answers)} of {impact.asked} queries "
        f"({len(impact.golden_changes)} of {impact.golden} golden)"
    )
    for change in impact.answers:
        note = _golden_note(change)
        yield f"  {_query(change)}: {change.old} → {change.new}" + (f"  [{note}]" if note else "")


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _row(*cells: str) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> Iterator[str]:
    yield _row(*header)
    yield "|" + "---|" * len(header)
    yield from (_row(*row) for row in rows)


def _markdown(impact: Impact) -> Iterator[str]:
    table = impact.table
    yield f"## Impact of `{impact.old}` → `{impact.new}`"
    yield ""
    yield impact.summary()
    entities: list[tuple[str, ...]] = [
        *(("added", _entity(e), f"{e.path}:{e.line}") for e in table.added),
        *(("removed", _entity(e), "") for e in table.removed),
        *(("changed", c.id, "; ".join(c.details())) for c in table.changed),
    ]
    if entities:
        yield from ("", "### Entities", "", *_table(("change", "entity", "details"), entities))
    if table.collisions:
        header: tuple[str, ...] = ("kind", "key", "names")
        rows: list[tuple[str, ...]] = [
            (c.kind, c.key, _who(c, table.where)) for c in table.collisions
        ]
        yield from ("", "### New collisions", "", *_table(header, rows))
    if table.silenced:
        header = ("where", "entity", "problem")
        rows = [(f"{p.path}:{p.line}", p.entity or "", p.message) for p in table.silenced]
        yield from ("", "### Names made ambiguous", "", *_table(header, rows))
    if impact.answers:
        header = ("query", "old answer", "new answer", "golden query")
        rows = [(_query(c), str(c.old), str(c.new), _golden_note(c)) for c in impact.answers]
        yield from ("", "### Answers that change", "", *_table(header, rows))
