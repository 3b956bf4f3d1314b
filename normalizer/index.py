"""Compile entities into the lookup table: key -> postings, alias records, entity records.

The compiled table is a plain mapping of string keys to values (see ``records``); every
store holds exactly this mapping, so the matcher never knows which store it talks to.
"""

from __future__ import annotations

import gc
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Set
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from normalizer.aliases import Entity
from normalizer.keys import acronym_keys, token_keys, whole_keys
from normalizer.normalize import Analysis, analyze, fold
from normalizer.records import AliasRecord, Postings, TableMeta

# Postings longer than this keep their true size but list only this many aliases: a token
# as common as "mohammad" cannot identify anyone on its own, and walking long lists is
# what made lookups slower in larger tables (100k entities: 22.6 ms at 2,000, 11.4 at 300).
MAX_POSTINGS = 300
OPTIONAL_WEIGHT = 0.1
PERSON_TYPES = frozenset({"person", "individual"})


def idf(document_frequency: int, total: int) -> float:
    """Inverse document frequency of a token found in ``document_frequency`` of ``total``."""
    return math.log((total + 1) / (document_frequency + 0.5))


@dataclass
class CompiledTable:
    meta: TableMeta
    entries: dict[str, object]


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> tuple[str, ...]:
    return tuple(fold(word).split())


def _written_words(text: str) -> list[list[str]]:
    return [list(tokens) for word in text.split() if (tokens := _fold_word(word))]


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Compiling allocates millions of small objects that live as long as the table; the
    cyclic collector would walk them again and again for nothing (40% of compile time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compile_table(entities: Iterable[Entity]) -> CompiledTable:
    """Index every name of every entity under its keys."""
    with _no_cyclic_gc():
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

    postings: dict[str, list[int]] = defaultdict(list)
    token_df: dict[str, int] = defaultdict(int)
    for alias_id, (entity, name, analysis) in enumerate(named):
        keys: list[Set[str]] = [whole_keys(analysis)]
        if entity.type not in PERSON_TYPES and len(analysis.tokens) > 1:
            keys.append(acronym_keys(analysis, _written_words(name)))
        for token in set(analysis.tokens):
            keys.append(token_keys(token))
            token_df[token] += 1
        for group in keys:
            for key in group:
                ids = postings[key]
                # Two tokens of one name can share a key: list the alias once.
                if not ids or ids[-1] != alias_id:
                    ids.append(alias_id)

    total = len(named)
    entries: dict[str, object] = {}
    for key, ids in postings.items():
        entries[key] = Postings(len(ids), tuple(ids[:MAX_POSTINGS]))
    for alias_id, (entity, name, analysis) in enumerate(named):
        weights = tuple(
            idf(token_df[t], total) * (OPTIONAL_WEIGHT if opt else 1.0)
            for t, opt in zip(analysis.tokens, analysis.optional, strict=True)
        )
        entries[f"r:{alias_id}"] = AliasRecord(
            alias_id=alias_id,
            entity_id=entity.id,
            entity_name=entity.name,
            entity_type=entity.type,
            text=name,
            tokens=analysis.tokens,
            optional=analysis.optional,
            weights=weights,
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
