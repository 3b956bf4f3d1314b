"""Compile entities into the lookup table: key -> postings, alias records, entity records.

The compiled table is a plain mapping of string keys to values (see ``records``); every
store holds exactly this mapping, so the matcher never knows which store it talks to.
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from normalizer.aliases import Entity
from normalizer.bulk import no_cyclic_gc
from normalizer.keys import acronym_keys, token_keys, whole_keys
from normalizer.normalize import Analysis, analyze, fold
from normalizer.records import AliasRecord, Postings, TableMeta

# Postings longer than this keep their true size but list only this many aliases: a token
# as common as "mohammad" cannot identify anyone on its own, and walking long lists is
# what made lookups slower in larger tables (100k entities: 22.6 ms at 2,000, 11.4 at 300).
MAX_POSTINGS = 300
OPTIONAL_WEIGHT = 0.1
PERSON_TYPES = frozenset({"person", "individual"})
_SINGLE = struct.Struct("<f")


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


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> tuple[str, ...]:
    return tuple(fold(word).split())


def _written_words(text: str) -> list[list[str]]:
    return [list(tokens) for word in text.split() if (tokens := _fold_word(word))]


def _merged(lists: list[list[int]]) -> Postings:
    """The postings of a key that several tokens share, from theirs (ascending ids).
    Two tokens of one name can share a key: the alias is listed once."""
    if len(lists) == 1:
        return Postings(len(lists[0]), tuple(lists[0][:MAX_POSTINGS]))
    # The first ids of the union are among the first of each list: only those are sorted.
    first = sorted(set().union(*[ids[:MAX_POSTINGS] for ids in lists]))[:MAX_POSTINGS]
    return Postings(len(set().union(*lists)), tuple(first))


def compile_table(entities: Iterable[Entity]) -> CompiledTable:
    """Index every name of every entity under its keys."""
    with no_cyclic_gc():
        return _compile(list(entities))


def _compile(entities: list[Entity]) -> CompiledTable:
    named: list[tuple[Entity, str, Analysis]] = []
    for entity in entities:
        seen: set[str] = set()
        for name in entity.names():
            analysis = analyze(name)
            if analysis.normalized and analysis.normalized not in seen:
                seen.add(analysis.normalized)
                named.append((entity, name, analysis))

    # Whole-name and acronym keys are mostly one alias each; token keys are shared, so
    # they are collected per distinct token first and merged per key below.
    postings: dict[str, list[int]] = {}
    by_token: dict[str, list[int]] = {}
    for alias_id, (entity, name, analysis) in enumerate(named):
        keys = whole_keys(analysis)
        if entity.type not in PERSON_TYPES and len(analysis.tokens) > 1:
            keys |= acronym_keys(analysis, _written_words(name))
        for key in keys:
            if (ids := postings.get(key)) is None:
                postings[key] = [alias_id]
            else:
                ids.append(alias_id)
        for token in set(analysis.tokens):
            if (ids := by_token.get(token)) is None:
                by_token[token] = [alias_id]
            else:
                ids.append(alias_id)
    sources: dict[str, list[list[int]]] = defaultdict(list)
    for token, ids in by_token.items():
        for key in token_keys(token):
            sources[key].append(ids)
    entries: dict[str, object] = {
        key: Postings(len(ids), tuple(ids[:MAX_POSTINGS])) for key, ids in postings.items()
    }
    for key, lists in sources.items():
        entries[key] = _merged(lists)

    total = len(named)
    # Weights in single precision: half the bytes in Redis, the same in both stores.
    rarity = {token: _single(idf(len(ids), total)) for token, ids in by_token.items()}
    optional_rarity = {token: _single(w * OPTIONAL_WEIGHT) for token, w in rarity.items()}
    for alias_id, (entity, name, analysis) in enumerate(named):
        weights = tuple(
            [
                optional_rarity[t] if opt else rarity[t]
                for t, opt in zip(analysis.tokens, analysis.optional, strict=True)
            ]
        )
        entries[f"r:{alias_id}"] = AliasRecord(
            alias_id,
            entity.id,
            entity.name,
            entity.type,
            name,
            analysis.tokens,
            analysis.optional,
            weights,
        )
    digest = hashlib.sha256()
    for entity in entities:
        body = entity.to_json()
        entries[f"e:{entity.id}"] = body
        digest.update(repr(body).encode())
    meta = TableMeta(
        # A content hash: the same files always compile to the same version.
        version=digest.hexdigest()[:16],
        entities=len(entities),
        aliases=total,
        types=tuple(sorted({e.type for e in entities})),
    )
    return CompiledTable(meta, entries)
