"""text/tables.py: the word tables shipped with the package (honorifics, legal forms,
stopwords, particles, abbreviations, numbers, nicknames), as the rules read them."""

from __future__ import annotations

import pytest

from normalizer.text import tables
from normalizer.text.phonetics import spelling_fold


def test_every_entry_is_a_word_as_written() -> None:
    # YAML's safe loader reads "on" as True and "5" as 5: such a word would never match.
    assert "on" in tables.stopwords()
    assert ("5", "five") in tables.numbers()
    words = (
        tables.honorifics()
        | tables.leading_articles()
        | tables.stopwords()
        | tables.particles()
        | tables.patronymic_markers()
        | tables.legal_form_words()
    )
    assert all(isinstance(word, str) and word for word in words)
    assert all(isinstance(ending, str) for ending in tables.patronymic_endings())


def test_legal_forms_longest_first() -> None:
    # "S.A. de C.V." must be tried before "S.A." inside it.
    sizes = [len(form) for form in tables.legal_forms()]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] > sizes[-1] == 1


@pytest.mark.parametrize("word", ["cv", "ltd", "company", "sa"], ids=str)
def test_legal_forms_ending_a_word(word: str) -> None:
    found = tables.legal_forms_ending(word)
    assert found
    assert all(form[-1] == word for form in found)
    assert [len(form) for form in found] == sorted((len(form) for form in found), reverse=True)
    # Every legal form that ends with the word is there, and no other.
    assert set(found) == {form for form in tables.legal_forms() if form[-1] == word}


def test_legal_forms_ending_an_ordinary_word() -> None:
    assert tables.legal_forms_ending("mendoza") == ()


def test_one_word_legal_forms_lead_a_name_only_when_listed_as_leading() -> None:
    # "OOO Volna" opens with a legal form; "Co" or "SA" first is a word of the name.
    assert ("ooo",) in tables.legal_forms_leading("ooo")
    assert ("co",) in tables.legal_forms_ending("co")
    assert ("co",) not in tables.legal_forms_leading("co")
    assert ("sa",) not in tables.legal_forms_leading("sa")
    # Forms of several words are unambiguous anywhere.
    assert ("co", "ltd") in tables.legal_forms_leading("co")


def test_legal_form_words_are_the_words_of_the_forms() -> None:
    assert tables.legal_form_words() == {word for form in tables.legal_forms() for word in form}
    assert {"ltd", "gmbh", "de", "cv"} <= tables.legal_form_words()


@pytest.mark.parametrize(
    ("short", "word"),
    [("co", "company"), ("intl", "international"), ("ltd", "limited"), ("corp", "corporation")],
    ids=str,
)
def test_abbreviations_both_ways(short: str, word: str) -> None:
    assert (short, word) in tables.abbreviations()
    assert (word, short) in tables.abbreviations()


@pytest.mark.parametrize(
    ("digits", "word"), [("7", "seven"), ("1", "uno"), ("3", "trois"), ("12", "twelve")], ids=str
)
def test_numbers_both_ways(digits: str, word: str) -> None:
    assert (digits, word) in tables.numbers()
    assert (word, digits) in tables.numbers()


def test_numbers_do_not_pair_two_numbers() -> None:
    assert ("7", "eight") not in tables.numbers()
    assert ("seven", "siete") not in tables.numbers()


@pytest.mark.parametrize(
    ("nickname", "name"),
    [("vasya", "vasiliy"), ("sasha", "aleksandr"), ("bill", "william"), ("pepe", "jose")],
    ids=str,
)
def test_nicknames_by_spelling_fold_both_ways(nickname: str, name: str) -> None:
    related = tables.nicknames()
    assert spelling_fold(name) in related[spelling_fold(nickname)]
    assert spelling_fold(nickname) in related[spelling_fold(name)]


def test_nicknames_cover_romanizations_that_fold_alike() -> None:
    # The table lists "vasiliy"; "Wasiliy" is another romanization of the same name.
    related = tables.nicknames()
    assert spelling_fold("vasya") in related[spelling_fold("wasiliy")]


def test_a_name_has_every_one_of_its_nicknames() -> None:
    related = tables.nicknames()[spelling_fold("aleksandr")]
    assert {spelling_fold(n) for n in ("sasha", "sanya", "shura")} <= related


def test_nicknames_of_unrelated_names_are_apart() -> None:
    related = tables.nicknames()
    assert spelling_fold("vasiliy") not in related[spelling_fold("sasha")]
    assert spelling_fold("mendoza") not in related


def test_flaggable_words_are_every_word_a_rule_may_flag() -> None:
    flaggable = tables.flaggable_words()
    for words in (
        tables.honorifics(),
        tables.leading_articles(),
        tables.legal_form_words(),
        tables.particles(),
        tables.stopwords(),
        tables.patronymic_markers(),
    ):
        assert words <= flaggable
    assert "mendoza" not in flaggable
    assert {"dr", "llc", "al", "of", "ogly", "el"} <= flaggable
