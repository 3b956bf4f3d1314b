"""Values held in the compiled table, shared by the compiler, the stores and the matcher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

# A float the compiler has rounded to single precision: the Redis store keeps it in 4 bytes,
# exactly.
Single = Annotated[float, "single precision"]


@dataclass(frozen=True, slots=True)
class Postings:
    """Aliases under one key. ``size`` is the true count; ``ids`` may be capped."""

    size: int
    ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AliasRecord:
    """One name of one entity, with its tokens and their weights (rarity in the table)."""

    alias_id: int
    entity_id: str
    entity_name: str
    entity_type: str
    text: str
    tokens: tuple[str, ...]
    optional: tuple[bool, ...]
    weights: tuple[Single, ...]


@dataclass(frozen=True, slots=True)
class TableMeta:
    version: str
    entities: int
    aliases: int
    types: tuple[str, ...]
