"""Which of a query word's typo keys a table has, found without making the hundreds it has
not.

A word's typo keys (``text.keys.typo_keys``) are every string one edit from its spelling
fold (and, for a name from another script, its skeleton): some 60 a letter, most of a
query's 700 keys, of which a few exist. Substituting the letter at one place, or inserting
one there, makes a letter's worth of keys that agree everywhere else: the *pattern* with a
wildcard at that place. The table's keys' patterns go into a Bloom filter at publish time,
so a query makes the keys of a place only when some key of the table has its pattern, and
keeps those that exist: the same keys a lookup of every variant would find, a twentieth of
the work. Deletions and swaps, two a letter, are looked up directly.

Every pattern of a word that the table lists is the word's own: a second filter holds the
patterns two keys or more share, which such a word asks instead.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection

from normalizer.table.bloom import Bloom
from normalizer.text.keys import MAX_TYPO_LENGTH, MIN_TYPO_SKELETON, token_keys, typo_sources

WILDCARD = "\0"  # in no key: normalized text holds no control characters
_NAMESPACES = ("f:", "k:")  # the keys typo keys are variants of
_PREFIX = 2
# The lengths of key a typo key can have: one more than the longest word edited (an
# insertion), one less than the shortest (a deletion, looked up directly).
_SHORTEST, _LONGEST = _PREFIX + MIN_TYPO_SKELETON, _PREFIX + MAX_TYPO_LENGTH + 1


def _patterns(key: str) -> list[str]:
    """``key`` with each letter after its namespace in turn replaced by the wildcard."""
    return [key[:at] + WILDCARD + key[at + 1 :] for at in range(_PREFIX, len(key))]


def _indexed(keys: Collection[str]) -> list[str]:
    return [
        key for key in keys if key[:_PREFIX] in _NAMESPACES and _SHORTEST <= len(key) <= _LONGEST
    ]


class NearKeys:
    """The typo keys a table has, for the table whose keys ``keys`` are."""

    def __init__(self, keys: Collection[str]) -> None:
        self._has: Callable[[object], bool] = keys.__contains__
        indexed = _indexed(keys)
        self.patterns = Bloom.for_keys(sum(len(key) - _PREFIX for key in indexed))
        shared = array("q")
        seen = self.patterns
        for key in indexed:
            for hint in map(hash, _patterns(key)):
                if hint in seen:  # a key's own patterns differ: so another key's
                    shared.append(hint)
                else:
                    seen.add(hint)
        self.shared = Bloom.for_keys(len(shared))
        self.shared.add_many(shared)

    @property
    def nbytes(self) -> int:
        return 8 * (self.patterns.size + self.shared.size)

    def typo_keys(self, token: str, transcribed: int) -> frozenset[str]:
        """``text.keys.typo_keys(token, transcribed)``, only those the table has."""
        found: list[str] = []
        for prefix, word, letters in typo_sources(token, transcribed):
            found += self._near(prefix + word, letters)
        return frozenset(found).difference(token_keys(token))

    def _near(self, key: str, letters: str) -> list[str]:
        """The keys one edit from ``key``'s word that the table has."""
        has, patterns = self._has, self.patterns
        substituted = self.shared if has(key) else patterns
        candidates: list[str] = []
        end = len(key)
        for at in range(_PREFIX, end + 1):
            head, tail = key[:at], key[at:]
            if hash(head + WILDCARD + tail) in patterns:  # an insertion here
                candidates += [head + letter + tail for letter in letters]
            if at == end:
                break
            rest = tail[1:]
            candidates.append(head + rest)  # a deletion
            if rest:
                candidates.append(head + rest[0] + tail[0] + rest[1:])  # a swap
            if hash(head + WILDCARD + rest) in substituted:
                candidates += [head + letter + rest for letter in letters]
        return [candidate for candidate in candidates if candidate != key and has(candidate)]
