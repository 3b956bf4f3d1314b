"""A Bloom filter over the keys of one table version: which keys may exist.

A matcher lookup asks for about a thousand keys (the typo and phonetic variants of every
query token), of which a few dozen exist. The Redis store asks Redis only for those the
filter lets through. With 12 bits a key and 4 probes it lets through ~0.8% of absent keys,
by Bloom's formula (1 - e^(-4/12))^4, and never stops a present one.

A key's probes come from a 64-bit hash (``hint``) by double hashing: h1 + i * h2
(Kirsch and Mitzenmacher, "Less hashing, same performance", 2006).
"""

from __future__ import annotations

import math

BITS_PER_KEY = 12
PROBES = 4


class Bloom:
    def __init__(self, bits: bytes | bytearray, probes: int = PROBES) -> None:
        self.bits = bits
        self.size = len(bits) * 8
        self.probes = probes

    @classmethod
    def for_keys(cls, count: int) -> Bloom:
        return cls(bytearray(max(8, math.ceil(count * BITS_PER_KEY / 8))))

    def add(self, hint: int) -> None:
        bits, size = self.bits, self.size
        assert isinstance(bits, bytearray)
        first, step = hint & 0xFFFFFFFF, (hint >> 32) | 1
        for probe in range(self.probes):
            at = (first + probe * step) % size
            bits[at >> 3] |= 1 << (at & 7)

    def __contains__(self, hint: int) -> bool:
        bits, size = self.bits, self.size
        first, step = hint & 0xFFFFFFFF, (hint >> 32) | 1
        for probe in range(self.probes):
            at = (first + probe * step) % size
            if not bits[at >> 3] >> (at & 7) & 1:
                return False  # most absent keys stop at the first or second probe
        return True
