"""Compile entities into the lookup table: key -> postings, alias records, entity records.

The compiled table is a plain mapping of string keys to values (see ``records``); every
store holds exactly this mapping, so the matcher never knows which store it talks to.

Compiling works on *shards*, runs of consecutive entities indexed on their own with alias
ids counted from the shard's first. Shards then merge without looking at a name again: a
key's postings are its shards' one after the other (ids ascend shard by shard), its size
their sum, and a token's weight comes from its count in all shards. ``compile_table`` is
one shard; ``normalizer load`` compiles big tables in several at once (``redis_shards``).
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import xxhash

from normalizer.aliases.load import Entity
from normalizer.bulk import no_cyclic_gc
from normalizer.store.redis import codec
from normalizer.table.records import AliasRecord, Postings, TableMeta
from normalizer.text.keys import acronym_keys, token_keys, whole_keys
from normalizer.text.normalize import Analysis, analyze_once, fold

# Postings longer than this keep their true size but list only this many aliases: a token
# as common as "mohammad" cannot identify anyone on its own, and walking long lists is
# what made lookups slower in larger tables (100k entities: 22.6 ms at 2,000, 11.4 at 300).
MAX_POSTINGS = 300
OPTIONAL_WEIGHT = 0.1
# The namespaces of alias records (by alias id) and entity records (by entity id).
ALIAS_RECORDS, ENTITY_RECORDS = "r", "e"
PERSON_TYPES = frozenset({"person", "individual"})
_SINGLE = struct.Struct("<f")

# A key's postings while compiling: its true size, and its first MAX_POSTINGS alias ids.
Partial = tuple[int, list[int]]


def idf(document_frequency: int, total: int) -> float:
    """Inverse document frequency of a token found in ``document_frequency`` of ``total``."""
    return math.log((total + 1) / (document_frequency + 0.5))


@dataclass
class CompiledTable:
    meta: TableMeta
    entries: dict[str, object]


def _single(number: float) -> float:
    """``number`` rounded to single precision."""
    rounded: float = _SINGLE.unpack(_SINGLE.pack(number))[0]
    return rounded


@lru_cache(maxsize=262144)
def _fold_word(word: str) -> tuple[str, ...]:
    return tuple(fold(word).split())


def _written_words(text: str) -> list[list[str]]:
    return [list(tokens) for word in text.split() if (tokens := _fold_word(word))]


class Weights:
    """Each token's weight: its rarity among all names (IDF), in single precision (half
    the bytes in Redis, the same in both stores); a tenth of it for an optional token."""

    def __init__(self, counts: Mapping[str, int], total: int) -> None:
        self.plain = {token: _single(idf(count, total)) for token, count in counts.items()}
        self.optional = {token: _single(w * OPTIONAL_WEIGHT) for token, w in self.plain.items()}

    def of(self, analysis: Analysis) -> tuple[float, ...]:
        plain, optional = self.plain, self.optional
        if True not in analysis.optional:
            return tuple(map(plain.__getitem__, analysis.tokens))
        return tuple(
            [
                optional[t] if opt else plain[t]
                for t, opt in zip(analysis.tokens, analysis.optional, strict=True)
            ]
        )


@dataclass
class Shard:
    """Consecutive entities, their distinct names analyzed, and the keys they are under."""

    entities: Sequence[Entity]
    names: list[tuple[Entity, str, Analysis]] = field(default_factory=list)
    # Alias ids are local (0 for the shard's first name) in the postings; ``first`` is
    # the global id of the shard's first name, for its records.
    whole: dict[str, list[int]] = field(default_factory=dict)  # whole-name, acronym keys
    by_token: dict[str, list[int]] = field(default_factory=dict)
    # A digest of each entity, for the table's fingerprint: the digest of them all, in
    # order, whatever the shards.
    digests: bytearray = field(default_factory=bytearray)
    bodies: list[bytes] = field(default_factory=list)  # each entity as the codec packs it
    first: int = 0

    @classmethod
    def of(cls, entities: Sequence[Entity]) -> Shard:
        shard = cls(entities)
        for entity in entities:
            seen: set[str] = set()
            for name in entity.names():
                analysis = analyze_once(name)
                if analysis.normalized and analysis.normalized not in seen:
                    seen.add(analysis.normalized)
                    shard.names.append((entity, name, analysis))
        # Whole-name and acronym keys are mostly one alias each; token keys are shared, so
        # they are collected per distinct token, and merged per key in ``postings``.
        whole, by_token = shard.whole, shard.by_token
        for alias, (entity, name, analysis) in enumerate(shard.names):
            keys = whole_keys(analysis)
            if entity.type not in PERSON_TYPES and len(analysis.tokens) > 1:
                keys |= acronym_keys(analysis, _written_words(name))
            for key in keys:
                if (ids := whole.get(key)) is None:
                    whole[key] = [alias]
                else:
                    ids.append(alias)
            for token in set(analysis.tokens):
                if (ids := by_token.get(token)) is None:
                    by_token[token] = [alias]
                else:
                    ids.append(alias)
        digest = xxhash.xxh3_128_digest
        shard.bodies = [codec.pack(entity.to_json()) for entity in entities]
        shard.digests = bytearray().join([digest(body) for body in shard.bodies])
        return shard

    def token_counts(self) -> dict[str, int]:
        """In how many of the shard's names each token is."""
        return {token: len(ids) for token, ids in self.by_token.items()}

    def postings(self) -> dict[str, Partial]:
        """Every key of the shard's names with its postings, ids local (see ``counted``)."""
        found: dict[str, Partial] = {
            key: (len(ids), ids[:MAX_POSTINGS]) for key, ids in self.whole.items()
        }
        sharing: dict[str, list[list[int]]] = defaultdict(list)
        for token, ids in self.by_token.items():
            for key in token_keys(token):
                sharing[key].append(ids)
        for key, lists in sharing.items():
            if len(lists) == 1:
                size, ids = len(lists[0]), lists[0][:MAX_POSTINGS]
            else:
                # Two tokens of one name can share a key: the alias is listed once. The
                # first ids of the union are among the first of each list.
                size = len(set().union(*lists))
                ids = sorted(set().union(*[ids[:MAX_POSTINGS] for ids in lists]))[:MAX_POSTINGS]
            found[key] = (size, ids)
        return found

    def records(self, weights: Weights, every: int = 1) -> Iterator[tuple[str, AliasRecord]]:
        """The alias records (every ``every``-th, for a sample)."""
        return self._records(weights, AliasRecord, every)

    def packed_records(self, weights: Weights) -> Iterator[tuple[str, bytes]]:
        """The alias records as the codec packs them, without making them (a load writes
        millions)."""
        return self._records(weights, codec.packer(AliasRecord))

    def _records(
        self, weights: Weights, make: Callable[..., Any], every: int = 1
    ) -> Iterator[tuple[str, Any]]:
        """Each alias record's key, and ``make`` of its fields in AliasRecord's order."""
        names, first, weigh = self.names, self.first, weights.of
        for local in range(0, len(names), every):
            entity, name, analysis = names[local]
            alias = first + local
            yield (
                f"{ALIAS_RECORDS}:{alias}",
                make(
                    alias,
                    entity.id,
                    entity.name,
                    entity.type,
                    name,
                    analysis.tokens,
                    analysis.optional,
                    weigh(analysis),
                ),
            )

    def entity_records(self, every: int = 1) -> Iterator[tuple[str, dict[str, Any]]]:
        for entity in self.entities[::every]:
            yield f"{ENTITY_RECORDS}:{entity.id}", entity.to_json()

    def packed_entities(self) -> Iterator[tuple[str, bytes]]:
        """The entity records as the codec packs them (their digests needed them)."""
        for entity, body in zip(self.entities, self.bodies, strict=True):
            yield f"{ENTITY_RECORDS}:{entity.id}", body


def counted(partial: Partial, first: int) -> Partial:
    """Postings of a shard with its local ids counted from ``first``, the shard's first."""
    size, ids = partial
    return (size, list(map(first.__add__, ids))) if first else partial


def merge_postings(known: Partial, later: Partial, first: int) -> Partial:
    """A key's ``known`` postings (ids counted) followed by a later shard's, whose local ids
    are counted from ``first``: only those that fit in MAX_POSTINGS are counted."""
    size, ids = known
    room = MAX_POSTINGS - len(ids)
    if room > 0:
        ids = ids + list(map(first.__add__, later[1][:room]))
    return size + later[0], ids


def table_meta(
    entities: int, aliases: int, types: set[str], digests: bytes | bytearray
) -> TableMeta:
    return TableMeta(
        # A content hash: the same files always compile to the same version.
        version=hashlib.sha256(digests).hexdigest()[:16],
        entities=entities,
        aliases=aliases,
        types=tuple(sorted(types)),
    )


def compile_table(entities: Iterable[Entity]) -> CompiledTable:
    """Index every name of every entity under its keys."""
    with no_cyclic_gc():
        entities = list(entities)
        shard = Shard.of(entities)
        entries: dict[str, object] = {
            key: Postings(size, tuple(ids)) for key, (size, ids) in shard.postings().items()
        }
        entries.update(shard.records(Weights(shard.token_counts(), len(shard.names))))
        entries.update(shard.entity_records())
        types = {entity.type for entity in entities}
        meta = table_meta(len(entities), len(shard.names), types, shard.digests)
        return CompiledTable(meta, entries)
