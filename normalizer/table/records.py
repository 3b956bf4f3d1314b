"""Values held in the compiled table, and the keys they are held under.

The compiler makes them, every store holds them, and the matcher reads them; nothing here
knows how a store encodes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

# A float the compiler has rounded to single precision: the Redis store keeps it in 4 bytes,
# exactly.
Single = Annotated[float, "single precision"]

# The namespaces of alias records (by alias id) and entity records (by entity id); lookup
# keys have theirs in ``text.keys``.
ALIAS_RECORDS, ENTITY_RECORDS = "r", "e"
# What the key of each writes (an alias record's field, an entity record's member): a store
# that keeps the key need not keep it twice.
KEY_FIELDS = {ALIAS_RECORDS: "alias_id", ENTITY_RECORDS: "id"}


def alias_key(alias_id: int) -> str:
    """The key of an alias record."""
    return f"{ALIAS_RECORDS}:{alias_id}"


def entity_key(entity_id: str) -> str:
    """The key of an entity record (the entity as JSON, as ``GET /v1/entities`` shows it)."""
    return f"{ENTITY_RECORDS}:{entity_id}"


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
    # A name that must not resolve to the entity (its file's "not"), indexed like the others
    # so that a query closer to it than to the entity's own names is kept from the entity.
    negative: bool = False


@dataclass(frozen=True, slots=True)
class TableMeta:
    version: str
    entities: int
    aliases: int  # names indexed, the not-names among them (alias ids run up to this)
    types: tuple[str, ...]
    excluded: int = 0  # not-names
    source: str = ""  # the alias path it was compiled from, for messages ("": not known)

    @property
    def names(self) -> int:
        """The entities' own names."""
        return self.aliases - self.excluded
