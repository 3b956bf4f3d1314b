"""A Cyrillic query writes a Chinese name by the Palladius system (normalizer.text.palladius):
its words read back as the pinyin they write, as sure as a respelling.

Invented names (never the benchmark's), word by word and through the app on the invented
tests/data/palladius_table.yml, with a neighbour one syllable apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from explained import resolve_explained, table_client
from flask.testing import FlaskClient

from normalizer.match.likeness import alike
from normalizer.match.query import prepare
from normalizer.match.similarity import token_similarity
from normalizer.text.normalize import analyze
from normalizer.text.palladius import MAX_READINGS, pinyin_spellings
from normalizer.text.phonetics import spelling_fold
from normalizer.text.translit import to_ascii

TABLE = Path(__file__).parent / "data" / "palladius_table.yml"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))


def romanized(cyrillic: str) -> str:
    return to_ascii(cyrillic).lower()


def test_the_shipped_syllable_table_is_what_pypinyin_writes() -> None:
    generator = pytest.importorskip("palladius_table", reason="bench dependencies (.[dev])")
    assert generator.TABLE.read_text(encoding="utf-8") == generator.render()


@pytest.mark.parametrize(
    ("cyrillic", "pinyin", "rule"),
    [
        ("Цзинмин", "jingming", "j as цз before i; ing as ин"),
        ("Цзэлун", "zelong", "z as цз before e; ong as ун"),
        ("Сюй", "xu", "x as с; ü as юй"),
        ("Жэнь", "ren", "r as ж; en as энь"),
        ("Цянь", "qian", "q as ц; ian as янь"),
        ("Го", "guo", "uo as о"),
        ("Дохуа", "duohua", "uo as о after d too"),
        ("Чжэнлун", "zhenglong", "zh as чж"),
        ("Цзяхуэй", "jiahui", "ia as я; hui as хуэй"),
        ("Сюэлань", "xuelan", "üe as юэ; an as ань"),
    ],
)
def test_a_word_written_by_palladius_reads_back_as_its_pinyin(
    cyrillic: str, pinyin: str, rule: str
) -> None:
    word = romanized(cyrillic)
    assert spelling_fold(pinyin) in pinyin_spellings(word), rule
    assert token_similarity(word, pinyin, transcribed=True) == (0.95, "transcription")
    # Written in Latin letters, it is another spelling, not a transcription.
    assert token_similarity(word, pinyin, transcribed=False)[1] != "transcription"
    # The likeness prefilter finds the pair by the reading alone.
    assert pinyin in alike([word], [pinyin, "mikhail"], transcribed=True)[word]


def test_a_word_that_is_not_palladius_syllables_has_no_readings() -> None:
    assert pinyin_spellings(romanized("Борис")) == frozenset()
    assert pinyin_spellings(romanized("Сергей")) == frozenset()
    assert pinyin_spellings("x5") == frozenset()
    # Another syllable is another name: Минян is Mingyang, not Mingyuan.
    assert spelling_fold("mingyuan") not in pinyin_spellings(romanized("Минян"))
    assert token_similarity(romanized("Минян"), "mingyuan", transcribed=True)[1] != (
        "transcription"
    )


def test_a_long_word_has_few_readings() -> None:
    assert len(pinyin_spellings(romanized("Цзиньцзиньцзиньцзинь"))) <= MAX_READINGS


def test_a_syllable_written_like_a_particle_is_a_name_word_in_a_chinese_name() -> None:
    """Ван is Wang in a name of Palladius syllables, and the Dutch van of Ван Гог (Van
    Gogh), whose Гог is none."""
    assert analyze("Ван Сяолунь").optional == (False, False)
    assert analyze("Ван Гог").optional == (True, False)
    assert analyze("Van Xiaolun").optional == (True, False)


def test_a_cyrillic_query_asks_for_the_pinyin_it_writes() -> None:
    keys = prepare("Гао Цзинмин").keys
    assert "f:" + spelling_fold("jingming") in keys
    assert "f:" + spelling_fold("jingming") not in prepare("Gao Tszinmin").keys


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return table_client(TABLE)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Чжэн Сяоцинь", "zheng-xiaoqin"),
        ("Жэнь Цзяхуэй", "ren-jiahui"),
        ("Цю Шолань", "qiu-shuolan"),
        ("Сюй Чжэнлун", "xu-zhenglong"),
        ("Ван Сяолунь", "wang-xiaolun"),  # Ван is Wang here, not a particle
        # A Russian name whose letters are also Palladius syllables (Иван, и-ван).
        ("Иван Лебедко", "ivan-lebedko"),
    ],
)
def test_a_chinese_name_in_cyrillic_matches_its_pinyin(
    client: FlaskClient, query: str, expected: str
) -> None:
    result = resolve_explained(client, query)
    assert result["match"] is not None and result["match"]["id"] == expected


@pytest.mark.parametrize(
    ("query", "expected", "neighbour"),
    [
        ("Гао Минъюань", "gao-mingyuan", "gao-mingyang"),  # a hard sign between syllables
        ("Гао Минян", "gao-mingyang", "gao-mingyuan"),
    ],
)
def test_the_syllables_put_a_name_before_its_neighbour(
    client: FlaskClient, query: str, expected: str, neighbour: str
) -> None:
    """Two names one syllable apart, a letter apart in pinyin: each query ranks the name it
    writes first. (Neither is a confident match in a table of seven: the neighbour is close.)"""
    first, second = resolve_explained(client, query)["candidates"][:2]
    assert (first["id"], second["id"]) == (expected, neighbour)
    assert first["score"] > second["score"]
