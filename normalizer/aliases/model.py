"""The alias table's data model: an entity, its canonical name and its other names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Entity types whose names are personal names: no acronyms, and short words such as "Abu"
# are words, not initials.
PERSON_TYPES = frozenset({"person", "individual"})


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[Alias, ...] = ()
    country: str | None = None
    notes: str | None = None
    sources: tuple[str, ...] = ()
    # Names that must never resolve to this entity ("not" in the files): a relative's
    # nickname, a word too common to stand for it alone.
    excluded: tuple[str, ...] = ()
    # Names it shares with other entities on purpose ("shared"): a reload that makes one
    # of them ambiguous is not refused for it.
    shared: tuple[str, ...] = ()
    # Where the entity is defined, for problems that name it.
    path: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    @property
    def is_person(self) -> bool:
        return self.type in PERSON_TYPES

    def names(self) -> Iterator[str]:
        """The canonical name, then every alias."""
        yield self.name
        for alias in self.aliases:
            yield alias.name

    def indexed_names(self) -> Iterator[tuple[str, bool]]:
        """Every name the table indexes, and whether the entity must not have it."""
        for name in self.names():
            yield name, False
        for name in self.excluded:
            yield name, True

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "name": self.name, "type": self.type}
        body["aliases"] = [
            {"name": a.name, "lang": a.lang} if a.lang else {"name": a.name} for a in self.aliases
        ]
        if self.country:
            body["country"] = self.country
        if self.notes:
            body["notes"] = self.notes
        if self.sources:
            body["sources"] = list(self.sources)
        if self.excluded:
            body["not"] = list(self.excluded)
        if self.shared:
            body["shared"] = list(self.shared)
        return body
