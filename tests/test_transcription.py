"""A Cyrillic query writes a Latin name as Russian transcribes it (normalizer.text.transcription):
such a word is as alike as a respelling, where its consonants alone found it only alike.

Invented names of the shapes these conventions make (never the benchmark's), word by word
and through the app on the invented tests/data/transcription_table.yml, with neighbours a
transcription must not be taken for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from explained import resolve_explained, table_client
from flask.testing import FlaskClient

from normalizer.match.likeness import alike
from normalizer.match.query import prepare
from normalizer.match.similarity import token_similarity
from normalizer.match.skeletons import NEAR_SKELETON
from normalizer.text.phonetics import spelling_fold
from normalizer.text.transcription import MAX_SPELLINGS, latin_spellings, transcribed_readings

TABLE = Path(__file__).parent / "data" / "transcription_table.yml"


@pytest.mark.parametrize(
    ("query", "alias", "convention"),
    [
        ("maksvell", "maxwell", "x as кс: Максвелл"),
        ("ksenon", "xenon", "x as кс, first in a word"),
        ("endryu", "andrew", "ew as ью, a as э: Эндрю"),
        ("nyuton", "newton", "ew as ью: Ньютон"),
        ("dzhekson", "jackson", "a before two consonants as е: Джексон"),
        ("klerk", "clark", "a before two consonants as е: Кларк is also Клерк"),
        ("teylor", "taylor", "ay as эй: Тейлор"),
        ("sem", "sam", "a before a final consonant as э: Сэм"),
        ("pol", "paul", "au as о: Пол"),
        ("shou", "shaw", "aw as оу: Шоу"),
        ("raytson", "wrightson", "wr as р, igh as ай: Райтсон"),
        ("nayton", "knighton", "kn as н, igh as ай: Найтон"),
        ("brayton", "brighton", "igh as ай: Брайтон"),
        ("khavelar", "javelar", "Spanish j as х: Хавелар"),
        ("kherundo", "gerundo", "Spanish g before e as х: Херундо"),
        ("galvik", "halvik", "a first h as г, the older convention: Гальвик"),
        ("brekhel", "brechel", "German ch as х: Брехель"),
        ("mitiko", "michiko", "Polivanov chi as ти: Митико"),
        ("nyu", "niu", "Palladius iu as ю: Ню"),
        ("tyoko", "choko", "Polivanov cho as тё: Тёко (its consonants alone are not alike)"),
        ("dzyunko", "junko", "Polivanov ju as дзю: Дзюнко"),
        ("dzyundzo", "junzo", "Polivanov ju as дзю, z as дз: Дзюндзо"),
    ],
)
def test_a_word_written_as_russian_transcribes_the_alias_is_a_respelling(
    query: str, alias: str, convention: str
) -> None:
    assert spelling_fold(query) in transcribed_readings(alias), convention
    assert token_similarity(query, alias, transcribed=True) == (0.95, "transcription")
    # Written in Latin letters, it is another spelling, not a transcription.
    assert token_similarity(query, alias, transcribed=False)[1] != "transcription"
    # The likeness prefilter finds the pair, by its consonants or by the reading.
    assert alike([query], [alias], transcribed=True) == {query: {alias}}


def test_a_word_one_letter_from_a_reading_is_a_typo_of_it() -> None:
    """Russian writes a Greek -ander as -андр (Лександр): one letter from the reading, which a
    typo of the reading is, surer than the consonants alone. (Without its e, as Ксандр, the
    word is also Xander as Arabic writes it, كساندر: a transcription, text.arabic.)"""
    assert token_similarity("leksandr", "lexander", transcribed=True) == (1.0 - 0.6 / 9, "typo")
    assert token_similarity("leksandr", "lexander", transcribed=False)[1] == "fuzzy"
    # A short word one letter from a reading is too often another word.
    assert token_similarity("sen", "sam", transcribed=True)[1] != "typo"


def test_the_silent_first_letters_of_english_are_not_sounded() -> None:
    """Two consonants in common are a weak likeness when both words start alike: Wren
    starts with an r as spoken, as a transcription writes it; Knight's k is not read."""
    assert token_similarity("rin", "wren", transcribed=True) == (NEAR_SKELETON, "transliteration")
    assert token_similarity("vin", "wren", transcribed=True) == (0.0, "")
    assert token_similarity("nit", "knight", transcribed=True) == (NEAR_SKELETON, "transliteration")
    assert alike(["nit"], ["knight"], transcribed=True) == {"nit": {"knight"}}


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        ("lena", "lana"),  # an open a is а, not э: Lana is Лана, Лена another name
        ("petr", "pater"),  # the same: Pater is Патер
        ("bleyk", "blake"),  # a silent e is not read: too little to go on
        ("tyoka", "choko"),  # another vowel, another name: Тёка
    ],
)
def test_other_words_are_not_transcriptions(query: str, alias: str) -> None:
    assert token_similarity(query, alias, transcribed=True)[1] != "transcription"


def test_words_not_latin_letters_have_no_readings() -> None:
    assert transcribed_readings("x5") == frozenset()
    assert transcribed_readings("kim") == frozenset()


def test_a_cyrillic_query_asks_for_the_latin_spellings_it_may_transcribe() -> None:
    """Шоу Клерк asks for the folds of Shaw and Clark, as Shaw Clark is indexed; the same
    words in Latin letters are a spelling of their own and ask for no more."""
    keys = prepare("Шоу Клерк").keys
    assert {"f:" + spelling_fold("shaw"), "f:" + spelling_fold("clark")} <= keys.keys()
    latin = prepare("Shou Klerk").keys
    assert "f:" + spelling_fold("shaw") not in latin
    assert "f:" + spelling_fold("clark") not in latin


def test_a_word_has_few_latin_spellings() -> None:
    assert spelling_fold("maxwell") in latin_spellings("maksvell")
    assert latin_spellings("kim") == ()
    assert len(latin_spellings("eksteksyusiti")) <= MAX_SPELLINGS


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return table_client(TABLE)


@pytest.mark.parametrize(
    ("query", "expected", "word", "alias_word"),
    [
        ("Джексон Делмонт", "jackson-delmont", "dzhekson", "jackson"),
        ("Тейлор Бриксхэм", "taylor-brixham", "teylor", "taylor"),
        ("Митико Танабэ", "michiko-tanabe", "mitiko", "michiko"),
        ("Дзюнко Кодзуми", "junko-kozumi", "dzyunko", "junko"),
        ("Шоу Клерк", "shaw-clark", "shou", "shaw"),  # beside Shue Kluck
        ("Хавелар Тиронди", "javelar-tirondi", "khavelar", "javelar"),
        ("Гальвик Брехель", "halvik-brechel", "galvik", "halvik"),
    ],
)
def test_a_cyrillic_name_matches_the_latin_name_it_transcribes(
    client: FlaskClient, query: str, expected: str, word: str, alias_word: str
) -> None:
    result = resolve_explained(client, query)
    assert result["match"] is not None and result["match"]["id"] == expected
    pairs = result["match"]["explain"]["alignment"]
    assert {"query": word, "alias": alias_word, "how": "transcription"}.items() <= next(
        pair for pair in pairs if pair["query"] == word
    ).items()


def test_a_transcription_tells_a_name_from_its_neighbour(client: FlaskClient) -> None:
    """Эндрю is Andrew, not Andre (Андре), who shares the surname: the transcription puts
    Andrew first, far ahead, where the consonants alone could not tell them apart."""
    result = resolve_explained(client, "Эндрю Пембертон")
    first, second = result["candidates"][:2]
    assert first["id"] == "andrew-pemberton"
    assert second["id"] == "andre-pemberton"
    assert first["score"] - second["score"] > 0.3
    andre = resolve_explained(client, "Андре Пембертон")
    assert andre["match"] is not None and andre["match"]["id"] == "andre-pemberton"


@pytest.mark.parametrize(
    "query",
    [
        "Эндрю Пемброк",  # another surname: another person
        "Андреа Пембертон",  # Andrea, neither Andre nor Andrew
        "Эндрю Делмонт",  # one man's given name, another's surname
    ],
)
def test_a_different_person_with_a_similar_name_is_no_match(
    client: FlaskClient, query: str
) -> None:
    assert resolve_explained(client, query)["match"] is None


def test_a_chinese_name_in_cyrillic_matches_as_the_pinyin_it_writes(client: FlaskClient) -> None:
    """Ню Бэйлэй is Niu Beilei word for word by Palladius (text.palladius), not a transcription
    of it: its words are the pinyin's."""
    result = resolve_explained(client, "Ню Бэйлэй")
    assert result["normalized"] == "niu beilei"
    assert result["match"] is not None and result["match"]["id"] == "niu-beilei"
