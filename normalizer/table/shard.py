"""A shard: consecutive entities indexed on their own, with alias ids local to the shard.

Shards merge without looking at a name again: a key's postings are its shards' one after
the other (ids ascend shard by shard), its size their sum, and a token's weight comes from
its count in all shards. ``compile_table`` is one shard; ``normalizer load`` compiles big
tables in several at once (``store.redis.shards``).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import msgpack

from normalizer.aliases.model import Entity
from normalizer.table.analysis import Analyzed, analyzed
from normalizer.table.packed import PackedJson, packed_ids, packed_postings
from normalizer.table.packed_names import (
    EntityFields,
    PackedName,
    entity_fields,
    owners_fields,
    record_fields,
)
from normalizer.table.records import AliasRecord, alias_key, entity_key
from normalizer.table.weights import Weights
from normalizer.text.keys import reading_keys, token_keys

# Postings longer than this keep their true size but list only this many aliases: a token
# as common as "mohammad" cannot identify anyone on its own, and walking long lists is
# what made lookups slower in larger tables (100k entities: 22.6 ms at 2,000, 11.4 at 300).
# A person's name whose every word is that common is found by two words' keys together
# (pair keys, ``text.keys.pair_keys``).
MAX_POSTINGS = 300

# A key's postings while compiling: its true size, and its first MAX_POSTINGS alias ids.
Partial = tuple[int, list[int]]
Made = TypeVar("Made")


class _Lists(list["array[int]"]):
    """The ids of each token that shares a key."""


def _union(lists: _Lists) -> tuple[int, list[int]]:
    """The size and first ids of the postings of a key several tokens share: two tokens of
    one name can share a key, and its alias is listed once. The first ids of the union are
    among the first of each list."""
    size = len(set().union(*lists))
    return size, sorted(set().union(*[ids[:MAX_POSTINGS] for ids in lists]))[:MAX_POSTINGS]


@dataclass
class Shard:
    """Consecutive entities' distinct names, the keys they are under, and the entities'
    records; the entities themselves are read once and not kept."""

    # Every distinct name of each entity, packed (``packed_names.PackedName``), and the
    # number of its entity (its place in ``entity_ids``).
    names: list[PackedName] = field(default_factory=list)
    owners: array[int] = field(default_factory=lambda: array("I"))
    not_names: int = 0
    # Alias ids are local (0 for the shard's first name) in the postings; ``first`` is
    # the global id of the shard's first name, for its records.
    # Whole-name, acronym and pair keys: the postings of one alias packed (the table's value
    # for most), or the ids of two or more. Ids are machine integers (``array``), not lists
    # of int objects: a million entities have 1.7 million names.
    whole: dict[str, bytes | array[int]] = field(default_factory=dict)
    by_token: dict[str, array[int]] = field(default_factory=dict)
    # A digest of each entity, for the table's fingerprint: the digest of them all, in
    # order, whatever the shards.
    digests: bytes = b""
    first: int = 0
    # Each entity's id, and its record packed (two lists: a pair each would be another
    # million objects).
    entity_ids: list[str] = field(default_factory=list)
    packed_entities: list[PackedJson] = field(default_factory=list)
    types: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, entities: Iterable[Entity]) -> Shard:
        """The shard of ``entities``, read once in order: an iterator that lets each entity
        go once read keeps only the shard in memory (``service.build_table``)."""
        return cls.of_analyzed(map(analyzed, entities))

    @classmethod
    def of_analyzed(cls, entities: Iterable[Analyzed]) -> Shard:
        """The shard of entities analyzed already (``analysis.analyzed``), here or in other
        processes (``table.parallel``), in order."""
        shard = cls()
        names, owners, whole, by_token = shard.names, shard.owners, shard.whole, shard.by_token
        # One buffer, not a bytes object an entity: 16 bytes each, not 57 (0.05 GB of a
        # million entities' compile peak).
        digests = bytearray()
        for entity_id, entity_type, record, digest, analyzed_names in entities:
            digests += digest
            owner = len(shard.entity_ids)
            shard.entity_ids.append(entity_id)
            shard.packed_entities.append(PackedJson(record))
            shard.types.add(entity_type)
            for packed, keys, tokens, negative in analyzed_names:
                alias = len(names)
                # Most whole-name keys are one alias's: they hold its postings as the table
                # will, one value for all its keys, until a second alias comes.
                alone = packed_postings(1, (alias,))
                for key in keys:
                    if (known := whole.get(key)) is None:
                        whole[key] = alone
                    elif isinstance(known, bytes):
                        whole[key] = array("I", (*packed_ids(known), alias))
                    else:
                        known.append(alias)
                # Token keys are shared: they are collected per distinct token, and merged
                # per key in ``postings``.
                for token in tokens:
                    if (ids := by_token.get(token)) is None:
                        by_token[token] = array("I", (alias,))
                    else:
                        ids.append(alias)
                names.append(PackedName(packed))
                owners.append(owner)
                shard.not_names += negative
        shard.digests = bytes(digests)
        return shard

    def excluded(self) -> int:
        """How many of the shard's names are not-names."""
        return self.not_names

    def token_counts(self) -> dict[str, int]:
        """In how many of the shard's names each token is."""
        return {token: len(ids) for token, ids in self.by_token.items()}

    def postings(self) -> dict[str, Partial]:
        """Every key of the shard's names with its postings, ids local (see ``counted``)."""
        return {key: (size, ids) for key, size, ids in self.each_postings()}

    def each_postings(self) -> Iterator[tuple[str, int, list[int]]]:
        """``postings`` one key at a time: its size and its first MAX_POSTINGS ids."""
        for key, ids in self.whole.items():
            if isinstance(ids, bytes):
                yield key, 1, list(packed_ids(ids))
            else:
                yield key, len(ids), ids[:MAX_POSTINGS].tolist()
        for key, lists in self._sharing().items():
            if isinstance(lists, _Lists):
                yield key, *_union(lists)
            else:
                yield key, len(lists), lists[:MAX_POSTINGS].tolist()

    def packed_postings(self) -> dict[str, object]:
        """Every key with its postings packed (``packed.packed_postings``), the keys listing
        the same aliases sharing one value (an alias's own whole-name and pair keys, a rare
        token's keys). Made in the whole-name keys' dict, their ids replaced: a second
        dict of millions of keys, while the first was still held, and a dict of the packed
        values to share them were 0.12 GB of a 1M compile's peak. The shard's ids go with
        it."""
        held = cast(dict[str, object], self.whole)
        self.whole = {}
        for key, ids in held.items():
            if isinstance(ids, array):
                held[key] = packed_postings(len(ids), ids[:MAX_POSTINGS])
        sharing, self.by_token = self._sharing(), {}
        by_list: dict[int, bytes] = {}
        for key, lists in sharing.items():
            if isinstance(lists, _Lists):
                held[key] = packed_postings(*_union(lists))
            else:
                if (known := by_list.get(id(lists))) is None:
                    known = by_list[id(lists)] = packed_postings(len(lists), lists[:MAX_POSTINGS])
                held[key] = known
        return held

    def _sharing(self) -> dict[str, array[int] | _Lists]:
        """Each token key, and the ids of the token that has it, or of each that does."""
        # Most keys are one token's: its ids until another token shares the key.
        sharing: dict[str, array[int] | _Lists] = {}
        for token, ids in self.by_token.items():
            for key in (*token_keys(token), *reading_keys(token)):
                if (known := sharing.get(key)) is None:
                    sharing[key] = ids
                elif isinstance(known, _Lists):
                    known.append(ids)
                else:
                    sharing[key] = _Lists((known, ids))
        return sharing

    def records(self, weights: Weights, every: int = 1) -> Iterator[tuple[str, AliasRecord]]:
        """Each alias record with its key (every ``every``-th, for a sample)."""
        return self.made_records(weights, AliasRecord, every)

    def made_records(
        self, weights: Weights, make: Callable[..., Made], every: int = 1
    ) -> Iterator[tuple[str, Made]]:
        """Each alias record's key and ``make`` of its fields in AliasRecord's order: a
        store that writes millions packs the fields without making the records."""
        names, first = self.names, self.first
        places = range(0, len(names), every)
        entities = owners_fields(self.owners, places, self._entity_fields)
        for local, entity in zip(places, entities, strict=True):
            alias = first + local
            yield alias_key(alias), make(*record_fields(alias, names[local], weights, entity))

    def _entity_fields(self, number: int) -> EntityFields:
        return entity_fields(self.entity_ids[number], self.packed_entities[number])

    def entity_records(self, every: int = 1) -> Iterator[tuple[str, dict[str, Any]]]:
        records = zip(self.entity_ids[::every], self.packed_entities[::every], strict=True)
        for entity_id, packed in records:
            yield entity_key(entity_id), msgpack.unpackb(packed)


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
