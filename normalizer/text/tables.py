"""Word tables shipped with the package (honorifics, legal forms, stopwords, abbreviations,
numbers, nicknames, the Palladius syllables).

They are YAML data files under ``normalizer/text/data/`` (package data, read through
``importlib.resources``) so curators can extend them without code; each is read once and
cached. Each file's header says where its words come from.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from normalizer.text.phonetics import spelling_fold

_DATA = resources.files("normalizer.text") / "data"


def _load(name: str) -> dict[str, Any]:
    # Every scalar is a word: the base loader keeps "on", "no" or "5" as written (the safe
    # loader made the stopword "on" the boolean True, so it never matched).
    data: dict[str, Any] = yaml.load((_DATA / name).read_text(encoding="utf-8"), yaml.BaseLoader)
    return data


def _read(name: str) -> dict[str, list[str]]:
    return _load(name)


def _read_mapping(name: str, section: str) -> dict[str, list[str]]:
    mapping: dict[str, list[str]] = _load(name)[section]
    return mapping


@cache
def honorifics() -> frozenset[str]:
    return frozenset(_read("honorifics.yml")["honorifics"])


@cache
def leading_articles() -> frozenset[str]:
    return frozenset(_read("honorifics.yml")["leading_articles"])


@cache
def stopwords() -> frozenset[str]:
    return frozenset(_read("stopwords.yml")["stopwords"])


@cache
def particles() -> frozenset[str]:
    return frozenset(_read("stopwords.yml")["particles"])


@cache
def patronymic_endings() -> tuple[str, ...]:
    return tuple(_read("stopwords.yml")["patronymic_endings"])


@cache
def patronymic_markers() -> frozenset[str]:
    return frozenset(_read("stopwords.yml")["patronymic_markers"])


@cache
def number_markers() -> frozenset[str]:
    return frozenset(_read("stopwords.yml")["number_markers"])


@cache
def compound_given_prefixes() -> frozenset[str]:
    return frozenset(_read("stopwords.yml")["compound_given_prefixes"])


@cache
def legal_forms() -> tuple[tuple[str, ...], ...]:
    """Legal forms as token tuples, longest first so "sa de cv" wins over "sa"."""
    forms = {tuple(form.split()) for form in _read("legal_forms.yml")["legal_forms"]}
    return tuple(sorted(forms, key=lambda form: (-len(form), form)))


@cache
def _legal_forms_by_last_word() -> dict[str, tuple[tuple[str, ...], ...]]:
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for form in legal_forms():
        by_last.setdefault(form[-1], []).append(form)
    return {word: tuple(forms) for word, forms in by_last.items()}


@cache
def _legal_forms_by_first_word() -> dict[str, tuple[tuple[str, ...], ...]]:
    # Only some one-word forms lead a name ("OOO", "JSC"); "AS" or "CO" first is a word.
    leading = {(form,) for form in _read("legal_forms.yml")["leading"]}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for form in legal_forms():
        if len(form) > 1 or form in leading:
            by_first.setdefault(form[0], []).append(form)
    return {word: tuple(forms) for word, forms in by_first.items()}


def legal_forms_ending(word: str) -> tuple[tuple[str, ...], ...]:
    """Legal forms that end with ``word``, longest first."""
    return _legal_forms_by_last_word().get(word, ())


def legal_forms_leading(word: str) -> tuple[tuple[str, ...], ...]:
    """Legal forms that may lead a name and start with ``word``, longest first."""
    return _legal_forms_by_first_word().get(word, ())


@cache
def legal_form_words() -> frozenset[str]:
    """Every word that is part of some legal form."""
    return frozenset(word for form in legal_forms() for word in form)


@cache
def abbreviations() -> frozenset[tuple[str, str]]:
    """(abbreviation, word) pairs, both ways round: "co" and "company" are one word."""
    return _both_ways(_read_mapping("abbreviations.yml", "abbreviations"))


@cache
def numbers() -> frozenset[tuple[str, str]]:
    """(digits, word) pairs, both ways round: "5" and "five" are one word."""
    return _both_ways(_read_mapping("numbers.yml", "numbers"))


@cache
def nicknames() -> dict[str, frozenset[str]]:
    """Spelling fold of a name -> folds of its nicknames or of the names it is short for,
    so that every romanization that folds alike is covered ("vasya" <-> "vasiliy")."""
    related: dict[str, set[str]] = {}
    for nickname, names in _read_mapping("nicknames.yml", "nicknames").items():
        short = spelling_fold(nickname)
        for name in names:
            full = spelling_fold(name)
            related.setdefault(short, set()).add(full)
            related.setdefault(full, set()).add(short)
    return {fold: frozenset(folds) for fold, folds in related.items()}


def _both_ways(mapping: dict[str, list[str]]) -> frozenset[tuple[str, str]]:
    pairs = set()
    for short, words in mapping.items():
        for word in words:
            pairs.update({(short, word), (word, short)})
    return frozenset(pairs)


@cache
def organization_words() -> frozenset[str]:
    """Words that say an organization, not which one (and legal forms' words, but the
    words joining them)."""
    connectors = frozenset(_read_list("legal_forms.yml", "connectors"))
    return frozenset(_read_list("organization_words.yml", "words")) | (
        legal_form_words() - connectors
    )


def _read_list(name: str, section: str) -> list[str]:
    words: list[str] = _load(name)[section]
    return words


@cache
def flaggable_words() -> frozenset[str]:
    """Every word that can be an optional token: a name without any has none."""
    return (
        honorifics()
        | leading_articles()
        | legal_form_words()
        | particles()
        | stopwords()
        | patronymic_markers()
        | number_markers()
    )


@cache
def palladius() -> dict[str, str]:
    """Each pinyin syllable -> its Cyrillic spelling by the Palladius system."""
    spellings: dict[str, str] = _load("palladius.yml")["palladius"]
    return spellings
