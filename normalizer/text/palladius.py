"""A Chinese name written in Cyrillic, read back as pinyin (the Palladius system).

Russian writes a Chinese name syllable by syllable by the Palladius system: Zhang Wei is
Чжан Вэй, Guo Jingming is Го Цзинмин. ``translit`` romanizes Cyrillic as Russian reads it
("zhan vey", "go tszinmin"), which neither a spelling fold nor a consonant skeleton brings
back to the pinyin. Here the system's syllable table (``data/palladius.yml``) is romanized
the same way, and a romanized word that splits wholly into its syllables reads back as the
pinyin it may write. A word may have several readings: romanized, the soft sign is gone
(цзин, jing, and цзинь, jin, are both "tszin"), and Palladius writes some pinyin alike
(цз is j before i and ü, z before other vowels; ж and чж both romanize as zh).

Read as written, before romanization (``pinyin_name``), a Chinese name's Cyrillic says its
pinyin nearly syllable for syllable, and text.normalize compares the name by it: Цзе is
jie and Цзэ ze, Янь is yan and Ян yang. Only nearly: many writers leave the soft sign out,
so a syllable ending in н may be one in нь too, and such a word stays as romanized, read
by the readings above.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from itertools import islice, product

from normalizer.text import tables
from normalizer.text.phonetics import TOKEN_CACHE, spelling_fold
from normalizer.text.translit import has_cyrillic, to_ascii

# A given name is one or two syllables, a surname one or two; a longer word is not one
# name of Chinese.
MAX_SYLLABLES = 4
# A Chinese given name is one syllable or two.
MAX_GIVEN_SYLLABLES = 2
# Readings of a word kept, the combinations of its syllables' pinyin: at most this many.
MAX_READINGS = 16


def warm_up() -> None:
    """Read the syllable table now, not on the first Cyrillic name (some 20 ms)."""
    _syllables()
    _syllables_as_written()


def _pinyin_by(spelling: Callable[[str], str]) -> dict[str, dict[str, None]]:
    """Each syllable's Cyrillic, as ``spelling`` writes it -> the pinyin syllables (as a
    name's words are folded to ASCII) it writes, in the table's order."""
    found: dict[str, dict[str, None]] = defaultdict(dict)
    for pinyin, cyrillic in tables.palladius().items():
        found[spelling(cyrillic)][to_ascii(pinyin).lower()] = None
    return found


@cache
def _syllables() -> dict[str, tuple[str, ...]]:
    """Each syllable's Cyrillic spelling as translit romanizes it -> its pinyin."""
    found = _pinyin_by(lambda cyrillic: to_ascii(cyrillic).lower())
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


def pinyin_names(words: Sequence[str]) -> list[tuple[str, ...]]:
    """The pinyin names a romanized Cyrillic name may write, word for word: each word's
    readings (a word read already, or none, as itself), every combination of them (at most
    MAX_READINGS); none unless the name has two to MAX_SYLLABLES words, one of which reads
    as pinyin."""
    if not 2 <= len(words) <= MAX_SYLLABLES:
        return []
    readings = [pinyin_readings(word) for word in words]
    if not any(readings):
        return []
    each = [read or (word,) for read, word in zip(readings, words, strict=True)]
    return list(islice(product(*each), MAX_READINGS))


@cache
def _syllables_as_written() -> dict[str, tuple[str, ...]]:
    """Each syllable's Cyrillic spelling (lowercase, its soft sign kept) -> its pinyin."""
    found = _pinyin_by(str.lower)
    # Many writers leave the soft sign out: a syllable ending in н may be one in нь too.
    for written in [w for w in found if w.endswith("нь") and w[:-1] in found]:
        found[written[:-1]].update(found[written])
    return {written: tuple(pinyin) for written, pinyin in found.items()}


@lru_cache(maxsize=TOKEN_CACHE)
def _splits(word: str) -> tuple[tuple[str, ...], ...]:
    """The pinyin syllables a Cyrillic word (lowercase) writes by the Palladius system, each
    way it splits wholly into the fewest of them ("чао" is chao, not cha and o): none, one,
    or two (the first two of several: enough to say it may write two)."""
    syllables = _syllables_as_written()
    longest = max(map(len, syllables))
    none: tuple[str, ...] = ()
    fewest: list[list[tuple[str, ...]]] = [[none]] + [[] for _ in word]
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - longest), end):
            for before in fewest[start]:
                for pinyin in syllables.get(word[start:end], ()):
                    split = (*before, pinyin)
                    if fewest[end] and len(split) > len(fewest[end][0]):
                        continue
                    if fewest[end] and len(split) < len(fewest[end][0]):
                        fewest[end].clear()
                    fewest[end].append(split)
            del fewest[end][2:]
    return tuple(fewest[-1]) if word else ()


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_NOT_CYRILLIC_WORDS = re.compile(r"[^\u0400-\u04ff\s\-]")


def pinyin_name(text: str) -> tuple[str | None, ...] | None:
    """The pinyin of each word of a Chinese name written in Cyrillic ("Ли Янь" is Li Yan),
    if it is one as Russian writes them: a family name of one syllable, then a given name
    of one or two as one word (Сяомин) or hyphenated (Сяо-мин), each wholly Palladius
    syllables; else None. A word is None where it may write two pinyin: most often a
    syllable ending in н, which is ang, ing... in Palladius but an, in... where the writer
    left the soft sign out. ("Иван Ли" is no Chinese name, though "иван" splits into и, yi,
    and ван, wang; nor is "Хо Ши Мин", whose syllables are three words: Vietnamese and
    Korean names are so written.)"""
    text = unicodedata.normalize("NFC", text).lower()
    if _NOT_CYRILLIC_WORDS.search(text) or len(names := text.split()) != 2:
        return None
    family, given = ([_word_splits(w) for w in _CYRILLIC_WORD.findall(n)] for n in names)
    splits = family + given
    if len(family) != 1 or not given or not all(splits):
        return None
    if len(family[0][0]) != 1 or sum(len(split[0]) for split in given) > MAX_GIVEN_SYLLABLES:
        return None
    return tuple("".join(split[0]) if len(split) == 1 else None for split in splits)


def _word_splits(word: str) -> tuple[tuple[str, ...], ...]:
    """A word's _splits, its syllables apart where a hard sign parts them (Минъюань is
    Mingyuan: мин, юань)."""
    found: tuple[tuple[str, ...], ...] = ((),)
    for part in word.split("ъ"):
        splits = _splits(part)
        found = tuple((*before, *split) for before in found for split in splits)[:2]
    return found


def written_in_syllables(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` is Cyrillic whose romanized ``words`` are each Palladius syllables:
    a name of Chinese, whose syllable written like a Latin particle ("Ван", Wang, as van)
    is a name's own."""
    return has_cyrillic(text) and all(map(pinyin_readings, words))
