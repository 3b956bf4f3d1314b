"""A Bloom filter over a set of strings of one table version: which may be in it.

A matcher lookup asks for about a thousand keys (the typo and phonetic variants of every
query token), of which a few dozen exist. The Redis store asks Redis only for those a filter
of its keys lets through, and never stops a present one; the embedded store's filter of
near keys (``near_keys``) decides which typo variants are worth making at all.

It is a *blocked* filter (Putze, Sanders and Singler, "Cache-, hash- and space-efficient
Bloom filters", 2007): a key's four probes all fall in one 64-bit word, so adding or
testing a key is one word read in Python, not four. With 12 bits a key it lets through
~1.1% of absent keys (measured; a classic filter of that size, 0.8%). A key's word and
probes come from its 64-bit ``hint``: the low 32 bits choose the word, four 6-bit fields
of the high ones the bits.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Iterable, Sequence

BITS_PER_KEY = 12
PROBES = 4
_SWAP = sys.byteorder != "little"  # stored words are little-endian on every machine


# The bits two of a key's probes set, by the 12 bits that choose them: two lookups make a
# key's mask, where four shifts cost twice the time (a lookup tests hundreds of keys).
_PAIR_MASKS = tuple(1 << (bits & 63) | 1 << (bits >> 6 & 63) for bits in range(1 << 12))


def probe_mask(hint: int) -> int:
    """The bits of its word that a key sets: four 6-bit fields of the hint's high half."""
    high = hint >> 32
    return _PAIR_MASKS[high & 0xFFF] | _PAIR_MASKS[high >> 12 & 0xFFF]


class Bloom:
    def __init__(self, words: array[int]) -> None:
        self.words = words
        self.size = len(words)

    @classmethod
    def for_keys(cls, count: int) -> Bloom:
        return cls(array("Q", bytes(8 * max(1, math.ceil(count * BITS_PER_KEY / 64)))))

    @classmethod
    def from_bytes(cls, raw: bytes) -> Bloom:
        words = array("Q")
        words.frombytes(raw)
        if _SWAP:
            words.byteswap()
        return cls(words)

    def to_bytes(self) -> bytes:
        if _SWAP:
            swapped = array("Q", self.words)
            swapped.byteswap()
            return swapped.tobytes()
        return self.words.tobytes()

    def add(self, hint: int) -> None:
        self.words[(hint & 0xFFFFFFFF) % self.size] |= probe_mask(hint)

    def add_many(self, hints: Iterable[int]) -> None:
        words, size = self.words, self.size
        masks = _PAIR_MASKS
        for hint in hints:  # add() inlined: a load adds millions
            high = hint >> 32
            words[(hint & 0xFFFFFFFF) % size] |= masks[high & 0xFFF] | masks[high >> 12 & 0xFFF]

    def __contains__(self, hint: int) -> bool:
        mask = probe_mask(hint)
        return self.words[(hint & 0xFFFFFFFF) % self.size] & mask == mask

    def admitted(self, hints: Sequence[int]) -> list[int]:
        """The positions of the ``hints`` whose keys may be present (``__contains__``
        inlined: a lookup tests hundreds of keys, nearly all absent)."""
        words, size = self.words, self.size
        found = []
        masks = _PAIR_MASKS
        for at, hint in enumerate(hints):
            high = hint >> 32
            mask = masks[high & 0xFFF] | masks[high >> 12 & 0xFFF]
            if words[(hint & 0xFFFFFFFF) % size] & mask == mask:
                found.append(at)
        return found

    def update(self, other: Bloom) -> None:
        """Add every key of ``other``, a filter of the same size (built by another writer)."""
        words = self.words
        for at, word in enumerate(other.words):
            if word:
                words[at] |= word
