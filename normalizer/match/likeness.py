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
from typing import NamedTuple

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

    def scored(self, texts: list[str], form: int) -> list[set[str]]:
        """For each of ``texts`` (query words in one form), the words whose ``form`` (0 the
        word, 1 its fold, 2 its skeleton) rapidfuzz finds near it: at least the form's floor
        alike by Jaro-Winkler, or (``ONE_EDIT``) at most one edit away. One call for all
        the texts: a call per text cost more than its scoring."""
        choices = (self.words, self.folds, self.skeletons)[form % 3]
        near: list[set[str]] = [set() for _ in texts]
        if form >= ONE_EDIT:
            matrix = process.cdist(texts, choices, scorer=OSA.distance, score_cutoff=1)
            rows, columns = (matrix <= 1).nonzero()
        else:
            floor = _FOLD_FLOOR if form == 1 else _WORD_FLOOR
            matrix = process.cdist(
                texts, choices, scorer=JaroWinkler.similarity, score_cutoff=floor
            )
            rows, columns = matrix.nonzero()  # under the floor scores 0
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            near[row].add(self.words[column])
        return near


def alike(
    query_words: Collection[str], alias_words: Iterable[str], transcribed: int
) -> dict[str, set[str]]:
    """Each query word -> the alias words token_similarity may find it alike: a superset.
    A word alike none is left out."""
    index = _Index(alias_words)
    if not index.words:
        return {}
    words = list(dict.fromkeys(query_words))
    scored = _scored(index, [word for word in words if len(word) > 1], transcribed)
    found: dict[str, set[str]] = {}
    for word in words:
        if partners := _alike_words(word, index, transcribed, scored.get(word)):
            found[word] = partners
    return found


# A form of _Index.scored plus ONE_EDIT: at most one edit from the query word in that form.
ONE_EDIT = 3
_WORD, _FOLD, _SKELETON = 0, 1, 2


class _Scored(NamedTuple):
    """A query word's spelling fold and consonant skeleton, and the alias words rapidfuzz
    finds near it in either form or as written."""

    fold: str
    consonants: str
    near: set[str]


def _scored(index: _Index, words: list[str], transcribed: int) -> dict[str, _Scored]:
    """Each word (of two letters or more) -> the alias words rapidfuzz finds near it: the
    word, its spelling fold and (``skeletons.skeleton_similarity``, for romanizations and
    transcriptions) its consonant skeleton, alike by Jaro-Winkler or one edit away (the
    skeleton one edit away only for a word from another script)."""
    if not words:
        return {}
    folds = [spelling_fold(word) for word in words]
    skeletons = [skeleton(word, hard_g=transcribed) for word in words]
    tests = [
        (words, _WORD),
        (folds, _FOLD),
        (words, _WORD + ONE_EDIT),
        (folds, _FOLD + ONE_EDIT),
        (skeletons, _SKELETON),
    ]
    if transcribed:
        tests.append((skeletons, _SKELETON + ONE_EDIT))
    found = {
        word: _Scored(fold, consonants, set())
        for word, fold, consonants in zip(words, folds, skeletons, strict=True)
    }
    for texts, form in tests:
        for word, near in zip(words, index.scored(texts, form), strict=True):
            found[word].near.update(near)
    return found


def _alike_words(word: str, index: _Index, transcribed: int, scored: _Scored | None) -> set[str]:
    """The alias words that may be alike ``word``, by each of token_similarity's tests
    (``scored``: its forms and those rapidfuzz's scorers found, _scored; None for a word of
    one letter)."""
    found = {word} & index.present
    found.update(_listed_with().get(word, frozenset()) & index.present)
    if transcribed:  # the pinyin a word in Cyrillic writes (one letter, У, is Wu)
        for spelling in pinyin_spellings(word):
            found.update(index.by_fold.get(spelling, ()))
        found.update(index.by_transcription.get(spelling_fold(word), ()))
    if own := CONVENTIONS.get(transcribed):  # a script's way of writing foreign names
        candidates = index.by_convention(own).get(own.query_key(word), ())
        found.update(other for other in candidates if own.written_alike(word, other))
    if scored is None:  # an initial, and nothing else (see token_similarity)
        found.update(w for w in index.words if w.startswith(word))
        return found
    # The same fold is found by _scored: it is zero edits away.
    for nickname in tables.nicknames().get(scored.fold, ()):
        found.update(index.by_fold.get(nickname, ()))
    found.update(index.by_ocr.get(ocr_fold(word), ()))
    found |= scored.near
    if transcribed:
        found.update(index.by_non_rhotic.get(scored.consonants, ()))
        found.update(index.by_reading.get(scored.consonants, ()))
        for written, sound in READ_AS:
            if word.startswith(written):
                respelled = sound + word[len(written) :]
                found.update(index.by_skeleton.get(skeleton(respelled, hard_g=True), ()))
    return found
