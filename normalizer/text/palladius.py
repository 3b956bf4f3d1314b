"""A Chinese name written in Cyrillic, read back as pinyin (the Palladius system).

Russian writes a Chinese name syllable by syllable by the Palladius system: Zhang Wei is
Чжан Вэй, Guo Jingming is Го Цзинмин. ``translit`` romanizes Cyrillic as Russian reads it
("zhan vey", "go tszinmin"), which neither a spelling fold nor a consonant skeleton brings
back to the pinyin. Here the system's syllable table (``data/palladius.yml``) is romanized
the same way, and a romanized word that splits wholly into its syllables reads back as the
pinyin it may write. A word may have several readings: romanized, the soft sign is gone
(цзин, jing, and цзинь, jin, are both "tszin"), and Palladius writes some pinyin alike
(цз is j before i and ü, z before other vowels; ж and чж both romanize as zh).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache

from normalizer.text import tables
from normalizer.text.phonetics import TOKEN_CACHE, spelling_fold
from normalizer.text.translit import has_cyrillic, to_ascii

# A given name is one or two syllables, a surname one or two; a longer word is not one
# name of Chinese.
MAX_SYLLABLES = 4
# Readings of a word kept, the combinations of its syllables' pinyin: at most this many.
MAX_READINGS = 16


def warm_up() -> None:
    """Read the syllable table now, not on the first Cyrillic name (some 20 ms)."""
    _syllables()


@cache
def _syllables() -> dict[str, tuple[str, ...]]:
    """Each syllable's Cyrillic spelling as translit romanizes it -> the pinyin syllables
    (as a name's words are folded to ASCII) it writes."""
    found: dict[str, dict[str, None]] = defaultdict(dict)
    for pinyin, cyrillic in tables.palladius().items():
        found[to_ascii(cyrillic).lower()][to_ascii(pinyin).lower()] = None
    return {written: tuple(pinyin) for written, pinyin in found.items()}


@lru_cache(maxsize=TOKEN_CACHE)
def pinyin_readings(word: str) -> tuple[str, ...]:
    """The pinyin a romanized Cyrillic word may write by the Palladius system, each way it
    splits wholly into the system's syllables (at most MAX_READINGS); none if it does not."""
    if not word.isascii() or not word.isalpha():
        return ()
    syllables = _syllables()
    longest = max(map(len, syllables))
    # readings[i]: the pinyin of word[:i] (as syllable lists), for each way to split it.
    start_of_word: tuple[str, ...] = ()
    readings: list[list[tuple[str, ...]]] = [[start_of_word]] + [[] for _ in word]
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - longest), end):
            pinyin = syllables.get(word[start:end])
            if not pinyin:
                continue
            for before in readings[start]:
                if len(before) < MAX_SYLLABLES:
                    readings[end] += [(*before, syllable) for syllable in pinyin]
        readings[end] = readings[end][:MAX_READINGS]
    return tuple(dict.fromkeys("".join(reading) for reading in readings[-1]))


@lru_cache(maxsize=TOKEN_CACHE)
def pinyin_spellings(word: str) -> frozenset[str]:
    """The spelling folds of ``pinyin_readings``, other than the word's own fold."""
    return frozenset(map(spelling_fold, pinyin_readings(word))) - {spelling_fold(word)}


def written_in_syllables(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` is Cyrillic whose romanized ``words`` are each Palladius syllables:
    a name of Chinese, whose syllable written like a Latin particle ("Ван", Wang, as van)
    is a name's own."""
    return has_cyrillic(text) and all(map(pinyin_readings, words))
