"""An Arabic-script query writes a Latin name as Arabic writes foreign names
(normalizer.text.arabic): such a word is as alike as a respelling, where its consonants
alone found it only alike, or not at all (a g written ج, j).

Invented names of the shapes these conventions make (never the benchmark's), word by word
and through the app on the invented tests/data/arabic_table.yml, with neighbours a
transcription must not be taken for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from explained import resolve_explained, table_client
from flask.testing import FlaskClient

from normalizer.match.likeness import alike
from normalizer.match.similarity import token_similarity
from normalizer.text.arabic import query_key, written_alike
from normalizer.text.translit import Script, to_ascii

TABLE = Path(__file__).parent / "data" / "arabic_table.yml"


@pytest.mark.parametrize(
    ("arabic", "query", "alias", "convention"),
    [
        ("فيرنون كيبلر", "firnun", "vernon", "ف for v, ي for e, و for o"),
        ("فيرنون كيبلر", "kiblr", "kepler", "ب for p, a short e unwritten"),
        ("دويل هندريكس", "duyl", "doyle", "و for o, ي for y, a silent final e"),
        ("بيفرلي كوبر", "bifrli", "beverly", "ب for b, ف for v, one short e unwritten"),
        ("بيفرلي كوبر", "kubr", "cooper", "و for oo, ب for p"),
        ("فيوليت بيمبرتون", "fiwlit", "violet", "ف for v, و for o, ي for e"),
        ("بيرسي بريويت", "birsi", "percy", "ب for p, a soft c as س, a final y as ي"),
        ("بيرسي بريويت", "briwit", "prewitt", "و for w, a double t written once"),
    ],
)
def test_a_word_written_as_arabic_transcribes_the_alias_is_a_respelling(
    arabic: str, query: str, alias: str, convention: str
) -> None:
    assert query in to_ascii(arabic).split()
    assert written_alike(query, alias), convention
    assert token_similarity(query, alias, transcribed=True) == (0.95, "transcription")
    # The likeness prefilter keeps the pair (the reading only makes a found pair surer).
    assert alike([query], [alias], transcribed=True) == {query: {alias}}


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        ("kiblr", "koblar"),  # ي is no o: Kepler, not Koblar
        ("briwit", "prowitt"),  # ي is no o either
        ("rhl", "rahil"),  # two vowels unwritten: a script without vowels, no transcription
        ("bil", "paulo"),  # nor is a word of one syllable for one of three
        ("bk", "pak"),  # too little to go on
    ],
)
def test_other_words_are_not_arabic_transcriptions(query: str, alias: str) -> None:
    assert not written_alike(query, alias)
    assert token_similarity(query, alias, transcribed=True)[1] != "transcription"


def test_a_word_with_vowels_arabic_does_not_write_is_read_by_other_conventions() -> None:
    # An e, or an o past the first letter, is no romanization of Arabic script: such a
    # word (Korean ㅔ, ㅗ; Japanese え, お) is left to the conventions of its own script.
    assert written_alike("kiblr", "kepler")
    assert not written_alike("kebler", "kepler")
    assert not written_alike("fernon", "vernon")
    assert not written_alike("firnon", "vernon")
    assert written_alike("odil", "odell")  # an initial او is o


def test_the_letters_for_one_sound_are_one_class() -> None:
    # ث is read as th, ش as sh; و and ي are vowels or consonants alike.
    assert query_key("thwyn") == query_key("tuin")
    assert query_key("shwp") == "Sub"
    assert not written_alike("x5", "x5")


def test_a_word_arabic_writes_with_a_letter_for_another_sound_is_a_transcription() -> None:
    # Arabic has no hard g and writes it ج (Egyptian usage), which reads back as j: by
    # their consonants, iniju and Inigo are two words.
    assert token_similarity("iniju", "inigo", Script.OTHER) == (0.0, "")
    assert token_similarity("iniju", "inigo", Script.ARABIC) == (0.95, "transcription")
    assert alike(["iniju"], ["inigo"], Script.ARABIC) == {"iniju": {"inigo"}}


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return table_client(TABLE)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("دويل هندريكس", "doyle-hendricks"),
        ("بيفرلي كوبر", "beverly-cooper"),
        ("فيوليت بيمبرتون", "violet-pemberton"),
        ("إينيجو هندريكس", "inigo-hendricks"),
    ],
)
def test_an_arabic_name_matches_the_latin_name_it_transcribes(
    client: FlaskClient, query: str, expected: str
) -> None:
    result = resolve_explained(client, query)
    assert result["match"] is not None and result["match"]["id"] == expected
    pairs = result["match"]["explain"]["alignment"]
    assert all(pair["similarity"] >= 0.95 for pair in pairs)


def test_a_transcription_tells_a_name_from_its_neighbour(client: FlaskClient) -> None:
    """كيبلر is Kepler and كوبلار Koblar, who shares the given name: each puts its own
    first, far ahead (the calibrated score of either stays cautious, as it is for any
    name with a neighbour so near)."""
    for query, first_id, second_id in (
        ("فيرنون كيبلر", "vernon-kepler", "vernon-koblar"),
        ("فيرنون كوبلار", "vernon-koblar", "vernon-kepler"),
        ("بيرسي بريويت", "percy-prewitt", "percy-prowitt"),
    ):
        first, second = resolve_explained(client, query)["candidates"][:2]
        assert (first["id"], second["id"]) == (first_id, second_id)
        assert first["score"] - second["score"] > 0.3


@pytest.mark.parametrize(
    "query",
    [
        "فيرنون كيسلر",  # Kessler: another surname, another person
        "دويل هاردي",  # Hardy, not Hendricks
        "بيرسي كيبلر",  # one man's given name, another's surname
    ],
)
def test_a_different_person_with_a_similar_name_is_no_match(
    client: FlaskClient, query: str
) -> None:
    assert resolve_explained(client, query)["match"] is None
