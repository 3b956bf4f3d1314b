"""Which words of a query may be alike any words of the aliases it is aligned with, found
for all of them at once.

``similarity.token_similarity`` is exact and costs a few microseconds a pair; a query meets
a few hundred pairs, and about one in twenty is alike at all. ``alike`` returns a superset
of the alike pairs from indexes of the alias words (by spelling fold, OCR fold and
consonant skeleton) and from rapidfuzz's batch scorers (Jaro-Winkler and one edit over every
alias word at once, in C++); the matcher then asks token_similarity about those pairs only.
Every test token_similarity passes a pair by is covered here by a looser one, so no pair it
would find alike is left out (tests/test_likeness.py checks this on recorded pairs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from functools import cache, cached_property, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from normalizer.match.similarity import CONVENTIONS
from normalizer.match.skeletons import MIN_FUZZY, NON_RHOTIC, READ_AS
from normalizer.text import tables
from normalizer.text.palladius import pinyin_spellings
from normalizer.text.phonetics import TOKEN_CACHE, ocr_fold, skeleton, spelling_fold
from normalizer.text.transcription import alias_readings, transcribed_readings
from normalizer.text.written import Convention

# token_similarity takes the better of Jaro-Winkler on the words and 0.98 times it on their
# folds, and keeps it from MIN_FUZZY up; the floors are a hair lower, never higher.
_WORD_FLOOR = MIN_FUZZY - 1e-6
_FOLD_FLOOR = MIN_FUZZY / 0.98 - 1e-6


@cache
def _listed_with() -> dict[str, frozenset[str]]:
    """Each word of the abbreviation and number tables -> the words it stands for."""
    found: dict[str, set[str]] = defaultdict(set)
    for word, other in tables.abbreviations() | tables.numbers():
        found[word].add(other)
    return {word: frozenset(others) for word, others in found.items()}


@lru_cache(maxsize=TOKEN_CACHE)
def _forms(word: str) -> tuple[str, str, str, str]:
    """The forms of an alias word: spelling fold, OCR fold, skeleton, and skeleton with the
    r of non-rhotic English unwritten."""
    return (
        spelling_fold(word),
        ocr_fold(word),
        skeleton(word),
        skeleton(NON_RHOTIC.sub("", word)),
    )


class _Index:
    """The alias words, by each form a query word is compared in (each grouping built the
    first time a query word needs it)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = list(dict.fromkeys(words))
        self.present = frozenset(self.words)
        self.forms = [_forms(word) for word in self.words]
        self.folds = [forms[0] for forms in self.forms]
        self.skeletons = [forms[2] for forms in self.forms]
        self._by_convention: dict[Convention, dict[str, list[str]]] = {}

    def _by(self, form: int) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for word, forms in zip(self.words, self.forms, strict=True):
            groups[forms[form]].append(word)
        return groups

    @cached_property
    def by_fold(self) -> dict[str, list[str]]:
        return self._by(0)

    @cached_property
    def by_ocr(self) -> dict[str, list[str]]:
        return self._by(1)

    @cached_property
    def by_skeleton(self) -> dict[str, list[str]]:
        return self._by(2)

    @cached_property
    def by_non_rhotic(self) -> dict[str, list[str]]:
        return self._by(3)

    @cached_property
    def by_reading(self) -> dict[str, list[str]]:
        """The words by each skeleton of their other readings (transcription.alias_readings)."""
        return self._by_each(alias_readings)

    @cached_property
    def by_transcription(self) -> dict[str, list[str]]:
        """The words by each of their readings as Cyrillic transcription writes them."""
        return self._by_each(transcribed_readings)

    def by_convention(self, convention: Convention) -> dict[str, list[str]]:
        """The words by each of their keys in a script's convention (``text.written``)."""
        if convention not in self._by_convention:
            self._by_convention[convention] = self._by_each(convention.alias_keys)
        return self._by_convention[convention]

    def _by_each(self, readings: Callable[[str], Iterable[str]]) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for word in self.words:
            for reading in readings(word):
                groups[reading].append(word)
        return groups

    def near(self, choices: list[str], text: str, floor: float) -> list[str]:
        """The words whose form in ``choices`` is at least ``floor`` alike ``text``."""
        hits = process.extract(
            text, choices, scorer=JaroWinkler.similarity, score_cutoff=floor, limit=None
        )
        return [self.words[index] for _, _, index in hits]

    def one_edit(self, choices: list[str], text: str) -> list[str]:
        """The words whose form in ``choices`` is at most one edit from ``text``."""
        hits = process.extract(text, choices, scorer=OSA.distance, score_cutoff=1, limit=None)
        return [self.words[index] for _, _, index in hits]


def alike(
    query_words: Collection[str], alias_words: Iterable[str], transcribed: int
) -> dict[str, set[str]]:
    """Each query word -> the alias words token_similarity may find it alike: a superset.
    A word alike none is left out."""
    index = _Index(alias_words)
    found: dict[str, set[str]] = {}
    for word in dict.fromkeys(query_words) if index.words else ():
        if partners := _alike_words(word, index, transcribed):
            found[word] = partners
    return found


def _alike_words(word: str, index: _Index, transcribed: int) -> set[str]:
    """The alias words that may be alike ``word``, by each of token_similarity's tests."""
    found = {word} & index.present
    found.update(_listed_with().get(word, frozenset()) & index.present)
    if transcribed:  # the pinyin a word in Cyrillic writes (one letter, У, is Wu)
        for spelling in pinyin_spellings(word):
            found.update(index.by_fold.get(spelling, ()))
        found.update(index.by_transcription.get(spelling_fold(word), ()))
    if own := CONVENTIONS.get(transcribed):  # a script's way of writing foreign names
        candidates = index.by_convention(own).get(own.query_key(word), ())
        found.update(other for other in candidates if own.written_alike(word, other))
    if len(word) == 1:  # an initial, and nothing else (see token_similarity)
        found.update(w for w in index.words if w.startswith(word))
        return found
    # The same fold is found below: it is zero edits away.
    fold = spelling_fold(word)
    for nickname in tables.nicknames().get(fold, ()):
        found.update(index.by_fold.get(nickname, ()))
    found.update(index.by_ocr.get(ocr_fold(word), ()))
    found.update(index.near(index.words, word, _WORD_FLOOR))
    found.update(index.near(index.folds, fold, _FOLD_FLOOR))
    found.update(index.one_edit(index.words, word))
    found.update(index.one_edit(index.folds, fold))
    # Consonant skeletons, for romanizations and transcriptions (skeletons.skeleton_similarity).
    # The same skeleton is as near as can be; an empty one (no consonant) is alike none.
    consonants = skeleton(word, hard_g=transcribed)
    found.update(index.near(index.skeletons, consonants, _WORD_FLOOR))
    if transcribed:
        found.update(index.one_edit(index.skeletons, consonants))
        found.update(index.by_non_rhotic.get(consonants, ()))
        found.update(index.by_reading.get(consonants, ()))
        for written, sound in READ_AS:
            if word.startswith(written):
                respelled = sound + word[len(written) :]
                found.update(index.by_skeleton.get(skeleton(respelled, hard_g=True), ()))
    return found
