"""A Hangul query writes a Latin name as Korean loanword transcription does
(normalizer.text.hangul): such a word is as alike as a respelling, where its consonants
alone found it only alike.

Invented names of the shapes these conventions make (never the benchmark's), word by word
and through the app on the invented tests/data/hangul_table.yml, with neighbours a
transcription must not be taken for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from explained import resolve_explained, table_client
from flask.testing import FlaskClient

from normalizer.match.likeness import alike
from normalizer.match.similarity import token_similarity
from normalizer.text.hangul import alias_keys, first_sound, first_sounds, query_keys, written_alike
from normalizer.text.translit import Script, to_ascii

TABLE = Path(__file__).parent / "data" / "hangul_table.yml"


@pytest.mark.parametrize(
    ("hangul", "query", "alias", "convention"),
    [
        ("할런 새들러", "saedeulleo", "sadler", "ㅡ after d, ㄹㄹ for one l, -er as ㅓ"),
        ("할런 새들러", "halleon", "harlan", "an r after a vowel unwritten; ㄹ for l"),
        ("캘빈 펠비", "kaelbin", "calvin", "ㅐ for a, ㅂ for v"),
        ("캘빈 펠비", "pelbi", "felby", "ㅍ for f, a final y as ㅣ"),
        ("도리언 래슐리", "raesyulli", "lashley", "ㅠ after sh before a consonant"),
        ("퍼시벌 브리지먼", "peosibeol", "percival", "ㅓ for e and a, ㅂ for v"),
        ("퍼시벌 브리지먼", "brijimeon", "bridgeman", "ㅈ for dg, ㅣ for a lone e"),
        ("모턴 위트록", "moteon", "morton", "ㅓ for o, an r after a vowel unwritten"),
        ("모턴 위트록", "witrok", "whitlock", "w and a silent h unwritten, final ㄱ as k"),
    ],
)
def test_a_word_written_as_korean_transcribes_the_alias_is_a_respelling(
    hangul: str, query: str, alias: str, convention: str
) -> None:
    assert query in to_ascii(hangul).split()
    assert written_alike(query, alias), convention
    assert token_similarity(query, alias, transcribed=True) == (0.95, "transcription")
    # The likeness prefilter keeps the pair (the reading only makes a found pair surer).
    assert alike([query], [alias], transcribed=True) == {query: {alias}}


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        ("sideulleo", "sadler"),  # ㅣ is an i: Sidler, not Sadler
        ("saendeulleo", "sadler"),  # a consonant more: Sandler
        ("pelba", "felby"),  # a final a is not a y
        ("bet", "bette"),  # too little to go on
        ("tryn", "trawan"),  # a y alone (a script without vowels) is no Korean vowel
    ],
)
def test_other_words_are_not_korean_transcriptions(query: str, alias: str) -> None:
    assert not written_alike(query, alias)
    assert token_similarity(query, alias, transcribed=True)[1] != "transcription"


@pytest.mark.parametrize(
    ("hangul", "alias", "convention"),
    [
        ("갤러거", "gallagher", "gh said g, -er as ㅓ"),
        ("하퍼", "harper", "two r's after a vowel unwritten"),
        ("파머", "palmer", "a silent l"),
        ("녹스", "knox", "a silent k"),
    ],
)
def test_a_hangul_query_word_is_read_by_the_korean_conventions_alone(
    hangul: str, alias: str, convention: str
) -> None:
    """A word of a Hangul query written so is a transcription, though no other test finds
    the pair alike: likeness proposes it by its first sound."""
    # After a given name (존, John): alone, a short word is read as a Korean name's syllables.
    query = to_ascii("존 " + hangul).split()[1]
    assert first_sound(query) in first_sounds(alias), convention
    assert token_similarity(query, alias, Script.HANGUL) == (0.95, "transcription")
    assert alike([query], [alias], Script.HANGUL) == {query: {alias}}


def test_words_not_latin_letters_have_no_keys() -> None:
    assert query_keys("x5") == frozenset()
    assert alias_keys("새들러") == frozenset()


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return table_client(TABLE)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("캘빈 펠비", "calvin-felby"),
        ("도리언 래슐리", "dorian-lashley"),
        ("퍼시벌 브리지먼", "percival-bridgeman"),
        ("모턴 위트록", "morton-whitlock"),
    ],
)
def test_a_hangul_name_matches_the_latin_name_it_transcribes(
    client: FlaskClient, query: str, expected: str
) -> None:
    result = resolve_explained(client, query)
    assert result["match"] is not None and result["match"]["id"] == expected
    pairs = result["match"]["explain"]["alignment"]
    assert all(pair["similarity"] >= 0.95 for pair in pairs)


def test_a_transcription_tells_a_name_from_its_neighbour(client: FlaskClient) -> None:
    """새들러 is Sadler and 샌들러 Sandler, who shares the given name: each puts its own
    first, far ahead."""
    for query, first_id, second_id in (
        ("할런 새들러", "harlan-sadler", "harlan-sandler"),
        ("할런 샌들러", "harlan-sandler", "harlan-sadler"),
    ):
        first, second = resolve_explained(client, query)["candidates"][:2]
        assert (first["id"], second["id"]) == (first_id, second_id)
        assert first["score"] - second["score"] > 0.3


@pytest.mark.parametrize(
    "query",
    [
        "할런 시들러",  # Sidler: another surname, another person
        "캘빈 펠슨",  # Pelson, not Felby
        "도리언 위트록",  # one man's given name, another's surname
    ],
)
def test_a_different_person_with_a_similar_name_is_no_match(
    client: FlaskClient, query: str
) -> None:
    assert resolve_explained(client, query)["match"] is None


ASKED = "할런 타버"  # Harlan Tarver: 타버 writes neither of its r's
_OTHER_SURNAMES = (
    "Abbott Bellamy Crowther Dunmore Ellery Fenwick Gilmour Hollis Ingram Jessop Kingsley "
    "Lockhart Merriman Norcott Oakley Pennington Quayle Radcliffe Seaton Upton Vickery Whitby "
    "Yardley Ashdown Bramwell Cotterill Dalby Emsley Fairbairn Gosling"
).split()


def test_a_name_without_its_r_is_found_among_many_of_its_given_name(tmp_path: Path) -> None:
    """Thirty men share the given name, listed first: the surname, whose skeleton the
    query writes only with its r's restored (text.keys.unwritten_r_keys), shortlists
    the right one."""
    people = [f"Harlan {surname}" for surname in _OTHER_SURNAMES] + ["Harlan Tarver"]
    table = tmp_path / "harlans.yml"
    table.write_text(
        "".join(
            f"- id: {name.lower().replace(' ', '-')}\n  name: {name}\n  type: person\n"
            for name in people
        ),
        encoding="utf-8",
    )
    result = resolve_explained(table_client(table), ASKED)
    assert result["match"] is not None and result["match"]["id"] == "harlan-tarver"
