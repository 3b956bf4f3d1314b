"""The messages of a load in several processes (``shards``, ``load``), parent and workers.

In the order a sharded load sends them. Bulky payloads (key hashes, postings) follow their
message as raw bytes, relayed by the parent without unpickling them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from normalizer.aliases.model import Entity
from normalizer.exc import AliasProblem
from normalizer.store.redis.schema import Schema
from normalizer.store.redis.workers import Message
from normalizer.store.redis.write import Share


@dataclass(frozen=True)
class Validated(Message):
    """A worker has read and validated its run: its problems, and the ids it defines."""

    problems: list[AliasProblem]
    ids: list[str]


@dataclass(frozen=True)
class Locate(Message):
    """Where are these entities defined? (ids another worker defines too)"""

    ids: list[str]


@dataclass(frozen=True)
class Located(Message):
    entities: dict[str, Entity]


@dataclass(frozen=True)
class Compile(Message):
    """The table is valid: compile your run as a shard."""


@dataclass(frozen=True)
class Counted(Message):
    """A worker's shard: how many names, in how many each token is, the digests of its
    entities and their types."""

    names: int
    excluded: int
    counts: dict[str, int]
    digests: bytes
    types: set[str]


@dataclass(frozen=True)
class Weigh(Message):
    """Your shard's first alias id, the table's names, your tokens' counts in the whole
    table; send every ``every``-th value for the schema."""

    first: int
    aliases: int
    counts: dict[str, int]
    every: int


@dataclass(frozen=True)
class Sampled(Message):
    values: list[tuple[str, Any]]


@dataclass(frozen=True)
class Hashes(Message):
    """The 64-bit hashes of the worker's keys follow, as bytes."""


@dataclass(frozen=True)
class PostingsSent(Message):
    """The postings of the shared keys other workers own follow, one bytes each, in owner
    order."""


@dataclass(frozen=True)
class UseSchema(Message):
    schema: Schema


@dataclass(frozen=True)
class Owned(Message):
    """How many keys the worker writes."""

    keys: int


@dataclass(frozen=True)
class Write(Message):
    """Write your share under ``version``, in ``buckets`` buckets of a ``keys``-key table."""

    version: str
    buckets: int
    keys: int


@dataclass(frozen=True)
class Written(Message):
    """A worker's share is written; None if two of its keys met on a field."""

    share: Share | None


@dataclass(frozen=True)
class Done(Message):
    """The load is over."""
