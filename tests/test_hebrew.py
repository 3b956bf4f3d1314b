"""A Hebrew-script query writes a Latin name as Hebrew writes foreign names
(normalizer.text.hebrew): such a word is as alike as a respelling, even where its
consonants alone did not find it alike.

Invented names of the shapes these conventions make (never the benchmark's), word by word
and through the app on the invented tests/data/hebrew_table.yml, with neighbours a
transcription must not be taken for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from explained import resolve_explained, table_client
from flask.testing import FlaskClient

from normalizer.match.likeness import alike
from normalizer.match.similarity import token_similarity
from normalizer.text.hebrew import written_alike
from normalizer.text.translit import Script, to_ascii

TABLE = Path(__file__).parent / "data" / "hebrew_table.yml"


@pytest.mark.parametrize(
    ("hebrew", "query", "alias", "convention"),
    [
        ("גורדון וויטלוק", "gurdun", "gordon", "ו for o"),
        ("גורדון וויטלוק", "vitluk", "whitlock", "וו for w, h unwritten, ק for ck"),
        ("מקסין רדפרן", "mksin", "maxine", "קס for x, a unwritten, a silent final e"),
        ("מקסין רדפרן", "rdprn", "redfern", "פ for f, both e unwritten"),
        ("נדין קלרמן", "klrmn", "kellerman", "a double l written once"),
        ("צ׳סטר באודן", "chstr", "chester", "צ׳ for English ch"),
        ("צ׳סטר באודן", "baudn", "bowden", "או for ow"),
        ("רחל טרמונט", "rhl", "rachel", "ח for ch, sharing one consonant class"),
        ("רחל טרמונט", "trmunt", "tremont", "ט for t, ו for o"),
        ("כרמן סלבי", "krmn", "carmen", "כ first in a word is k, not kh"),
        ("פולקנר שטיין", "pulknr", "volkner", "פ for a German v, said f"),
    ],
)
def test_a_word_written_as_hebrew_transcribes_the_alias_is_a_respelling(
    hebrew: str, query: str, alias: str, convention: str
) -> None:
    assert query in to_ascii(hebrew).lower().split()
    assert written_alike(query, alias), convention
    assert token_similarity(query, alias, Script.HEBREW) == (0.95, "transcription")
    # Likeness proposes the pair, however few letters the words share.
    assert alias in alike([query], [alias, "tremaine"], Script.HEBREW).get(query, set())


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        ("gurdun", "garden"),  # ו is no a
        ("vitluk", "whitlake"),  # nor is a written o left out where the alias has none
        ("mksin", "maxon"),  # י is no o
        ("klrmn", "kollorman"),  # two o unwritten: no transcription
        ("klrmn", "kalderon"),  # a d Hebrew would write
        ("gordun", "gordon"),  # an o: no romanization of Hebrew letters
        ("rm", "ram"),  # too little to go on
    ],
)
def test_other_words_are_not_hebrew_transcriptions(query: str, alias: str) -> None:
    assert not written_alike(query, alias)


def test_only_a_query_in_hebrew_script_is_read_by_these_conventions() -> None:
    # "rhl" for Rachel is a transcription when the query was written in Hebrew; as Latin,
    # or from another script, it shares too little with the name.
    assert token_similarity("rhl", "rachel", Script.HEBREW) == (0.95, "transcription")
    assert token_similarity("rhl", "rachel", Script.OTHER)[1] != "transcription"
    assert token_similarity("rhl", "rachel", Script.LATIN) == (0.0, "")


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return table_client(TABLE)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("גורדון וויטלוק", "gordon-whitlock"),
        ("מקסין רדפרן", "maxine-redfern"),
        ("צ׳סטר באודן", "chester-bowden"),
        ("רחל טרמונט", "rachel-tremont"),
        ("כרמן סלבי", "carmen-selby"),
    ],
)
def test_a_hebrew_name_matches_the_latin_name_it_transcribes(
    client: FlaskClient, query: str, expected: str
) -> None:
    result = resolve_explained(client, query)
    assert result["match"] is not None and result["match"]["id"] == expected
    pairs = result["match"]["explain"]["alignment"]
    assert all(pair["similarity"] >= 0.95 for pair in pairs)


def test_a_transcription_tells_a_name_from_its_neighbour(client: FlaskClient) -> None:
    """קלרמן is Kellerman and קלדרון Kalderon, who shares the given name; וויטלוק is
    Whitlock and ויטלי Wheatley, who shares the given name: each matches its own, and the
    other is no candidate beside it."""
    for query, own, other in (
        ("נדין קלרמן", "nadine-kellerman", "nadine-kalderon"),
        ("נדין קלדרון", "nadine-kalderon", "nadine-kellerman"),
        ("גורדון וויטלוק", "gordon-whitlock", "gordon-wheatley"),
        ("גורדון ויטלי", "gordon-wheatley", "gordon-whitlock"),
    ):
        result = resolve_explained(client, query)
        assert result["match"] is not None and result["match"]["id"] == own
        assert other not in [candidate["id"] for candidate in result["candidates"]]


@pytest.mark.parametrize(
    "query",
    [
        "גורדון וויטני",  # Whitney: another surname, another person
        "נדין רדפרן",  # one woman's given name, another's surname
    ],
)
def test_a_different_person_with_a_similar_name_is_no_match(
    client: FlaskClient, query: str
) -> None:
    assert resolve_explained(client, query)["match"] is None
