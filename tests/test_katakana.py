"""A katakana query writes a Latin name as Japanese writes foreign names
(normalizer.text.katakana): such a word is as alike as a respelling, even where its
consonants alone did not find it alike.

Invented names of the shapes these conventions make (never the benchmark's), word by word
and through the app on the invented tests/data/katakana_table.yml, with neighbours a
transcription must not be taken for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from explained import resolve_explained, table_client
from flask.testing import FlaskClient

from normalizer.match.likeness import alike
from normalizer.match.similarity import token_similarity
from normalizer.text.katakana import first_letters, written_alike
from normalizer.text.normalize import analyze
from normalizer.text.translit import Script, to_ascii

TABLE = Path(__file__).parent / "data" / "katakana_table.yml"


@pytest.mark.parametrize(
    ("katakana", "query", "alias", "convention"),
    [
        ("デニス・パーカー", "denis", "dennis", "a double n written once"),
        ("デニス・パーカー", "paka", "parker", "r after a vowel unwritten, final er as a"),
        ("リンダ・カーヴァー", "rinda", "linda", "l as r"),
        ("リンダ・カーヴァー", "kava", "carver", "c as k, v as ヴ"),
        ("トラヴィス・ホールデン", "toravis", "travis", "o after t, the final added u dropped"),
        ("トラヴィス・ホールデン", "horuden", "holden", "u after a consonant before another"),
        ("ミーガン・フレッチャー", "migan", "megan", "e said as i"),
        ("ミーガン・フレッチャー", "furetcha", "fletcher", "ッ before ch"),
        ("デニス・パークス", "pakus", "parks", "u after k before s"),
        ("ライブリヒ・ドライヤー", "raiburihi", "leibrich", "German ei as ai, ch as ヒ"),
        ("ライブリヒ・ドライヤー", "doraiya", "dreier", "German ei before e as アイヤ"),
        ("フラネス・ヘルベラ", "furanes", "juranes", "Spanish ju as フ, said hu"),
        ("フラネス・ヘルベラ", "herubera", "gerbera", "Spanish ge as ヘ, said he"),
    ],
)
def test_a_word_written_as_katakana_transcribes_the_alias_is_a_respelling(
    katakana: str, query: str, alias: str, convention: str
) -> None:
    assert query in to_ascii(katakana).lower().split()
    assert written_alike(query, alias), convention
    # As sure as a respelling (a pair alike already, a typo or the same fold, stays so).
    assert token_similarity(query, alias, Script.KANA)[0] >= 0.95
    # Likeness proposes the pair, however few letters the words share.
    assert alias in alike([query], [alias, "palmer"], Script.KANA).get(query, set())


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        ("paka", "parks"),  # the s of Parks is written, ス
        ("kava", "carter"),  # ヴァ is no ター
        ("horuden", "hilden"),  # ホ is no hi
        ("migan", "morgan"),  # ミ is no mo
        ("hapa", "parker"),  # nor is ハ a pa
        ("jon", "jowan"),  # ジョン: one o, no o and an a after it
        ("doraiya", "drier"),  # ドライヤー is no ie: an English ie is one vowel
        ("paka", "pa3ka"),  # no name
        ("ka", "ka"),  # too little to go on
        ("linda", "linda"),  # an l: no romanization of katakana
        ("san", "ethan"),  # サン: a first e is said (イーサン), never silent
        ("veret", "everett"),  # ヴェレット is no エヴェレット
    ],
)
def test_other_words_are_not_katakana_transcriptions(query: str, alias: str) -> None:
    assert not written_alike(query, alias)


def test_a_katakana_word_starts_as_its_name_may_be_written() -> None:
    assert first_letters("carver") == frozenset("ks")
    assert first_letters("linda") == frozenset("r")
    # An h may go unwritten: such a word may start with any letter.
    assert "a" in first_letters("holden")


def test_only_a_kana_query_is_read_by_these_conventions() -> None:
    # "vika" writes Ivica as Arabic script may (its first i unwritten), never as katakana,
    # which writes every vowel: a katakana query is read by its own conventions only.
    assert token_similarity("vika", "ivica", Script.OTHER) == (0.95, "transcription")
    assert token_similarity("vika", "ivica", Script.KANA)[1] != "transcription"


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return table_client(TABLE)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("デニス・パーカー", "dennis-parker"),
        ("デニス・パークス", "dennis-parks"),
        ("リンダ・カーヴァー", "linda-carver"),
        ("リンダ・カーター", "linda-carter"),
        ("トラヴィス・ホールデン", "travis-holden"),
        ("ミーガン・フレッチャー", "megan-fletcher"),
    ],
)
def test_a_katakana_name_matches_the_latin_name_it_transcribes(
    client: FlaskClient, query: str, expected: str
) -> None:
    """Each name is matched, and its neighbour of the same given name is no candidate."""
    result = resolve_explained(client, query)
    assert result["match"] is not None and result["match"]["id"] == expected
    pairs = result["match"]["explain"]["alignment"]
    assert all(pair["similarity"] >= 0.95 for pair in pairs)
    assert [candidate["id"] for candidate in result["candidates"]] == [expected]


def test_a_different_person_with_a_similar_name_is_no_match(client: FlaskClient) -> None:
    assert resolve_explained(client, "デニス・ハーパー")["match"] is None  # Harper


def test_a_given_name_that_romanizes_as_a_title_is_a_name(tmp_path: Path) -> None:
    """エミール is Émile, romanized emir: in katakana it is no title (a name written in kana
    has none), so the name is not only its surname, which another person shares."""
    assert analyze("エミール・カーヴァー").optional == (False, False)
    assert analyze("Emir Carver").optional == (True, False)
    table = tmp_path / "carvers.yml"
    table.write_text(
        "- {id: emile-carver, name: Emile Carver, type: person}\n"
        "- {id: linda-carver, name: Linda Carver, type: person}\n"
    )
    result = resolve_explained(table_client(table), "エミール・カーヴァー")
    assert result["match"] is not None and result["match"]["id"] == "emile-carver"
