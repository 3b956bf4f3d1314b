"""Token weights: how much a token says about who a name belongs to (its rarity, IDF).

The compiler stores each alias token's weight in its record; the matcher weighs query tokens
the same way, from the postings sizes it fetches.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping

# An optional token (a title, a legal form, a particle) weighs a tenth of its rarity.
OPTIONAL_WEIGHT = 0.1
_SINGLE = struct.Struct("<f")


def idf(document_frequency: int, total: int) -> float:
    """Inverse document frequency of a token found in ``document_frequency`` of ``total``."""
    return math.log((total + 1) / (document_frequency + 0.5))


def single(number: float) -> float:
    """``number`` rounded to single precision."""
    rounded: float = _SINGLE.unpack(_SINGLE.pack(number))[0]
    return rounded


class Weights:
    """Each token's weight: its rarity among all names (IDF), in single precision (half
    the bytes in Redis, the same in both stores); a tenth of it for an optional token."""

    def __init__(self, counts: Mapping[str, int], total: int) -> None:
        self.plain = {token: single(idf(count, total)) for token, count in counts.items()}
        self.optional = {token: single(w * OPTIONAL_WEIGHT) for token, w in self.plain.items()}

    def of(self, tokens: tuple[str, ...], flags: tuple[bool, ...]) -> tuple[float, ...]:
        """The weights of ``tokens``, optional where ``flags`` say so."""
        plain, optional = self.plain, self.optional
        if True not in flags:
            return tuple(map(plain.__getitem__, tokens))
        return tuple(
            [optional[t] if opt else plain[t] for t, opt in zip(tokens, flags, strict=True)]
        )
