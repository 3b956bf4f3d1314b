"""The review queue's interface: names the service could not resolve, kept for curators.

A name is queued under its key (spaces collapsed, case folded), so "EL MENCHITO" and
"el menchito" are one entry, shown as first written. Entries hold how often and when the
name was seen and its best candidates when last seen, never anything else of a request.
They are personal names: the queue keeps at most ``size`` entries (the least frequent go
first) for at most ``retention`` seconds after a name was last seen. A rejected name is
remembered and never queued again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

DAY = 86_400.0


def minute_utc(seconds: float) -> str:
    """When a name was seen, to the minute, in UTC ("2026-12-03 14:05"), for curators."""
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(seconds))


def review_key(name: str) -> str:
    """The key a name is queued under."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate entity for a queued name, with its score."""

    id: str
    name: str
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "score": self.score}

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Suggestion:
        return cls(str(body["id"]), str(body["name"]), float(body["score"]))


@dataclass(frozen=True, slots=True)
class Miss:
    """A name that got no confident match, and its best candidates."""

    name: str
    suggestions: tuple[Suggestion, ...] = ()


@dataclass(frozen=True, slots=True)
class QueuedName:
    name: str
    count: int
    first_seen: float  # Unix time
    last_seen: float
    suggestions: tuple[Suggestion, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "count": self.count,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "suggestions": [s.to_json() for s in self.suggestions],
        }


def once_each(misses: Iterable[Miss]) -> list[Miss]:
    """``misses`` with each key once (the first): a name counts once per request."""
    seen: dict[str, Miss] = {}
    for miss in misses:
        seen.setdefault(review_key(miss.name), miss)
    return list(seen.values())


class ReviewQueue(Protocol):
    def record(self, misses: Sequence[Miss], now: float) -> None:
        """Count each of ``misses`` once (rejected names are skipped), then drop what is
        past retention or over the size."""
        ...

    def top(self, limit: int, now: float) -> list[QueuedName]:
        """The most frequent names still within retention, most frequent first."""
        ...

    def get(self, name: str) -> QueuedName | None:
        """The entry of ``name`` (by its key), or None."""
        ...

    def remove(self, name: str) -> bool:
        """Take ``name`` off the queue (an accepted name); whether it was there."""
        ...

    def reject(self, name: str, now: float) -> bool:
        """Take ``name`` off the queue and never queue it again; whether it was queued."""
        ...

    def is_rejected(self, name: str) -> bool: ...

    def close(self) -> None: ...
