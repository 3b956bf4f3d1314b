"""Collisions in an alias table: one written form claimed by several entities.

A *collision* is a name that normalizes to the same key for two entities: resolving it can
only give both as candidates. A *near-collision* shares the token-sorted key or every
token's spelling fold: not ambiguous yet, but one typo away from it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from normalizer.aliases.model import Entity
from normalizer.text.normalize import Analysis, analyze
from normalizer.text.phonetics import spelling_fold


@dataclass(frozen=True, slots=True)
class Collision:
    key: str
    kind: str  # "collision" or "near-collision"
    names: tuple[tuple[str, str], ...]  # (entity id, name as written)


def _sorted_key(analysis: Analysis) -> str:
    return " ".join(sorted(analysis.tokens))


def _sound_key(analysis: Analysis) -> str:
    return " ".join(sorted(spelling_fold(t) for t in analysis.tokens))


def _grouped(
    entities: Iterable[Entity], key: Callable[[Analysis], str]
) -> dict[str, set[tuple[str, str]]]:
    groups: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for entity in entities:
        for name in entity.names():
            analysis = analyze(name)
            if analysis.tokens:
                groups[key(analysis)].add((entity.id, name))
    return groups


def find_collisions(entities: list[Entity]) -> list[Collision]:
    """Collisions first, then near-collisions, each listed once, sorted by key."""
    found: list[Collision] = []
    exact_ids: set[frozenset[str]] = set()
    for key, names in sorted(_grouped(entities, lambda a: a.normalized).items()):
        if len({entity_id for entity_id, _ in names}) > 1:
            found.append(Collision(key, "collision", tuple(sorted(names))))
            exact_ids.add(frozenset(entity_id for entity_id, _ in names))
    for key_of in (_sorted_key, _sound_key):
        for key, names in sorted(_grouped(entities, key_of).items()):
            ids = frozenset(entity_id for entity_id, _ in names)
            if len(ids) > 1 and ids not in exact_ids:
                found.append(Collision(key, "near-collision", tuple(sorted(names))))
                exact_ids.add(ids)
    return found
