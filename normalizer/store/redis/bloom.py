"""A Bloom filter over the keys of one table version: which keys may exist.

A matcher lookup asks for about a thousand keys (the typo and phonetic variants of every
query token), of which a few dozen exist. The Redis store asks Redis only for those the
filter lets through, and never stops a present one.

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
from collections.abc import Iterable

BITS_PER_KEY = 12
PROBES = 4
_SWAP = sys.byteorder != "little"  # stored words are little-endian on every machine


def probe_mask(hint: int) -> int:
    """The bits of its word that a key sets."""
    high = hint >> 32
    return (
        1 << (high & 63) | 1 << (high >> 6 & 63) | 1 << (high >> 12 & 63) | 1 << (high >> 18 & 63)
    )


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
        for hint in hints:  # add() inlined: a load adds millions
            high = hint >> 32
            words[(hint & 0xFFFFFFFF) % size] |= (
                1 << (high & 63)
                | 1 << (high >> 6 & 63)
                | 1 << (high >> 12 & 63)
                | 1 << (high >> 18 & 63)
            )

    def __contains__(self, hint: int) -> bool:
        mask = probe_mask(hint)
        return self.words[(hint & 0xFFFFFFFF) % self.size] & mask == mask

    def update(self, other: Bloom) -> None:
        """Add every key of ``other``, a filter of the same size (built by another writer)."""
        words = self.words
        for at, word in enumerate(other.words):
            if word:
                words[at] |= word
