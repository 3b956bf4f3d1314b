"""A Russian surname written in Cyrillic romanizes letter for letter: compared as Latin
spelling is, its consonants alone do not make it alike another surname, as an abjad's or a
syllabary's transcription would (similarity._compared_as). Invented names, word by word
and through the app on the invented tests/data/russian_table.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
from explained import resolve_explained, table_client
from flask.testing import FlaskClient

from normalizer.match.similarity import token_similarity
from normalizer.text.translit import Script

TABLE = Path(__file__).parent / "data" / "russian_table.yml"
OTHER_SURNAMES = [("avdeeva", "petukhova"), ("belousov", "vlasov"), ("gulyaev", "golubev")]


@pytest.mark.parametrize(("query", "alias"), OTHER_SURNAMES)
def test_a_cyrillic_surname_is_not_alike_by_its_consonants_alone(query: str, alias: str) -> None:
    assert token_similarity(query, alias, Script.CYRILLIC)[1] != "transliteration"
    # Written in Hebrew or Arabic letters, whose vowels are unsure, the consonants agree.
    assert token_similarity(query, alias, Script.OTHER)[1] == "transliteration"


def test_a_cyrillic_surname_keeps_its_respellings() -> None:
    """A typo or a Russian respelling of the surname is still alike."""
    assert token_similarity("petukhova", "petuhova", Script.CYRILLIC)[0] >= 0.9
    assert token_similarity("solovyev", "solovev", Script.CYRILLIC)[0] >= 0.9


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return table_client(TABLE)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ольга Петухова", "olga-petukhova"),
        ("Егор Власов", "egor-vlasov"),
        ("Ростислав Голубев", "rostislav-golubev"),
        # The same given names, other surnames: other women and men.
        ("Ольга Авдеева", None),
        ("Егор Белоусов", None),
        ("Ростислав Гуляев", None),
    ],
)
def test_a_russian_name_in_cyrillic_matches_only_its_own_surname(
    client: FlaskClient, query: str, expected: str | None
) -> None:
    match = resolve_explained(client, query)["match"]
    assert (match and match["id"]) == expected


def test_a_cyrillic_g_read_as_an_h_needs_an_h_on_the_other_side() -> None:
    """Russian г writes German h (Гельмут, Helmut): so read, a word's first consonant is one
    a skeleton leaves out, and must be the alias word's first letter; it is not a letter
    to drop before any other name (invented words)."""
    assert token_similarity("gelmut", "helmut", Script.CYRILLIC)[0] >= 0.9
    consonant_apart = token_similarity("glomak", "romak", Script.CYRILLIC)
    assert consonant_apart[0] < token_similarity("gelmut", "helmut", Script.CYRILLIC)[0]
    assert consonant_apart[0] < 0.9


@pytest.mark.parametrize(("query", "alias"), [("borina", "bolena"), ("tirana", "telana")])
def test_a_cyrillic_word_keeps_its_l_and_r(query: str, alias: str) -> None:
    """Cyrillic writes л and р apart: a word with r where the alias word has l is not
    written as Hangul's one liquid would transcribe it (invented words)."""
    assert token_similarity(query, alias, Script.CYRILLIC)[1] != "transcription"
    # From a script with one liquid, or an abjad's guessed vowels, it may be.
    assert token_similarity(query, alias, Script.OTHER)[1] == "transcription"
