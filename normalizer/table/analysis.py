"""An entity as the table indexes it: each of its names once (``distinct_names``, which also
counts a table's names), with the name's whole-name, pair and acronym keys and its tokens,
and the entity's record packed, with its digest. Made without a shard
(``table.shard.Shard``), in this process or in others (``table.parallel``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache

import msgpack
import xxhash

from normalizer.aliases.model import Entity
from normalizer.table.packed_names import packed_name
from normalizer.text.acronyms import acronym_keys
from normalizer.text.keys import pair_keys, skeleton_key
from normalizer.text.normalize import Analysis, analyze_once, fold
from normalizer.text.whole_names import sounded_keys, whole_keys


# An organization name's common words, not every word: a cache of 262,144 words filled
# with a million entities' rarer ones was 0.05 GB of the compile's peak.
@lru_cache(maxsize=32768)
def _fold_word(word: str) -> tuple[str, ...]:
    return tuple(fold(word).split())


def _skeleton_keys(token: str) -> tuple[str, ...]:
    # The skeleton alone: token_keys would make (or find in its cache) every key.
    return (key,) if (key := skeleton_key(token)) else ()


def _pair_keys(words: tuple[str, ...]) -> set[str]:
    return set(pair_keys([_skeleton_keys(word) for word in words]))


def _written_words(text: str) -> list[list[str]]:
    return [list(tokens) for word in text.split() if (tokens := _fold_word(word))]


def distinct_names(entity: Entity) -> Iterator[tuple[str, Analysis, bool]]:
    """The names the table indexes for ``entity``: each normalized form once, as first
    written (an alias written as the name in capitals is the same name), and whether it is
    one the entity must not have."""
    seen: set[str] = set()
    for name, negative in entity.indexed_names():
        analysis = analyze_once(name)
        if analysis.normalized and analysis.normalized not in seen:
            seen.add(analysis.normalized)
            yield name, analysis, negative


def count_names(entities: Iterable[Entity]) -> int:
    """The names a table of ``entities`` has, its not-names left out: ``TableMeta.names``
    (what ``/readyz`` and ``normalizer load`` report) without compiling the table."""
    return sum(not negative for e in entities for *_, negative in distinct_names(e))


# A name as the table indexes it: packed (``packed.packed_name``), its whole-name, pair and
# acronym keys, its distinct tokens, and whether its entity must not have it.
AnalyzedName = tuple[bytes, tuple[str, ...], tuple[str, ...], bool]
# An entity as the table indexes it: its id and type, its record (its JSON in MessagePack),
# the record's digest, and its names. Plain tuples and bytes, made without the shard: other
# processes make them by the million (``table.parallel``), and named tuples and bytes
# subclasses pickled three times slower.
Analyzed = tuple[str, str, bytes, bytes, list[AnalyzedName]]


def analyzed(entity: Entity) -> Analyzed:
    """``entity``'s record and digest, and each of its distinct names' keys and tokens."""
    # MessagePack: 0.5 us, not json's 4. The table's version is the digest of the digests.
    record: bytes = msgpack.packb(entity.to_json())
    # Interned: a type read from a file is a string of its own for each entity.
    entity_type = sys.intern(entity.type)
    names = []
    for name, analysis, negative in distinct_names(entity):
        keys = whole_keys(analysis) | sounded_keys(analysis)
        if entity.is_person:
            # A person's name is transcribed and respelled from source to source, an
            # organization's mostly translated, and found by its rarer words and acronyms.
            # An optional word (a title, a particle) names no one.
            keys |= _pair_keys(analysis.core)
        if not entity.is_person and not negative and len(analysis.tokens) > 1:
            keys |= acronym_keys(analysis, _written_words(name))
        packed = packed_name(entity.name, name, analysis.tokens, analysis.optional, negative)
        names.append((packed, tuple(keys), tuple(set(analysis.tokens)), negative))
    return entity.id, entity_type, record, xxhash.xxh3_128_digest(record), names
