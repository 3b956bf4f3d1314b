"""A Cyrillic query writes a Chinese name by the Palladius system (normalizer.text.palladius):
its words read back as the pinyin they write, as sure as a respelling.

Invented names (never the benchmark's), word by word and through the app on the invented
tests/data/palladius_table.yml, with a neighbour one syllable apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from explained import decided, resolve_explained, table_client
from flask.testing import FlaskClient

from normalizer.match.likeness import alike
from normalizer.match.query import prepare
from normalizer.match.similarity import PINYIN_SIMILARITY, token_similarity
from normalizer.table.shard import MAX_POSTINGS
from normalizer.text import tables
from normalizer.text.normalize import analyze
from normalizer.text.palladius import MAX_READINGS, pinyin_name, pinyin_spellings
from normalizer.text.phonetics import spelling_fold
from normalizer.text.translit import Script, to_ascii

TABLE = Path(__file__).parent / "data" / "palladius_table.yml"
# Invented names of a big table's common syllables: given names of two syllables after Wang,
# family names of one before Jie.
_SYLLABLES = sorted(tables.palladius())
GIVEN_NAMES = [a.title() + b for a in _SYLLABLES[:20] for b in _SYLLABLES[40:60]]
FAMILY = [s.title() for s in _SYLLABLES if s not in ("jie", "wang", "wan")][: MAX_POSTINGS + 20]
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


@pytest.mark.parametrize(
    ("cyrillic", "pinyin"),
    [
        ("Гао Цзе", ("gao", "jie")),  # romanized as Russian, Цзе is "tsze"
        ("Ли Янь", ("li", "yan")),  # the soft sign says an
        ("Ли Ян", ("li", None)),  # ang by Palladius, an where the soft sign was left out
        ("Чао Цзе", ("chao", "jie")),  # the fewest syllables: chao, not cha and o
        ("Гао Цзинмин", ("gao", None)),
        ("Тан Сюэлань", (None, "xuelan")),
        ("Ню Сюэли", ("niu", "xueli")),  # romanized as Russian, "nyu syueli"
        ("Мао Цзэ-дун", ("mao", "ze", None)),  # a given name hyphenated, as once written
    ],
)
def test_a_chinese_name_in_cyrillic_reads_as_its_pinyin_word_by_word(
    cyrillic: str, pinyin: tuple[str | None, ...]
) -> None:
    assert pinyin_name(cyrillic) == pinyin


@pytest.mark.parametrize(
    "cyrillic",
    [
        "Иван Ли",  # a family name first, of one syllable: иван is two (и, ван)
        "Ван Гог",  # гог is no syllable
        "Цзе",  # one word
        "Ли Сяомин Хуа",  # a given name of more than two syllables
        "Ле Хо Ван",  # each syllable a word, as Vietnamese and Korean names are written
        "Ли Jie",  # Latin letters
    ],
)
def test_a_name_that_is_not_one_of_palladius_syllables_has_no_pinyin(cyrillic: str) -> None:
    assert pinyin_name(cyrillic) is None


def test_the_words_a_chinese_name_in_cyrillic_is_compared_by_are_its_pinyin() -> None:
    assert analyze("Гао Цзе").tokens == ("gao", "jie")
    assert analyze("Гао Цзе").normalized == "gao jie"
    # A word that may write two pinyin stays as romanized; a syllable is no particle.
    assert analyze("Ли Ян").tokens == ("li", "yan")
    assert analyze("Ван Бинь").tokens == ("van", "bin")
    assert analyze("Ван Бинь").optional == (False, False)
    assert analyze("Иван Ли").tokens == ("ivan", "li")


def test_a_word_written_as_palladius_writes_the_alias_word_is_as_sure_as_written() -> None:
    # Ван may be Wang or, its soft sign left out, Wan: both written so.
    assert token_similarity("van", "wang", Script.CYRILLIC) == (PINYIN_SIMILARITY, "transcription")
    assert token_similarity("van", "wan", Script.CYRILLIC) == (PINYIN_SIMILARITY, "transcription")
    # Its spelling fold alike a reading's is only a transcription: zh and y fold alike.
    assert token_similarity("zhan", "yang", Script.CYRILLIC)[0] < PINYIN_SIMILARITY


def test_a_chinese_name_in_cyrillic_is_told_from_its_neighbour_by_its_syllables(
    client: FlaskClient,
) -> None:
    """Цзе is jie and Цзэ is ze, both "tsze" as Russian romanizes them."""
    assert decided(client, "Гао Цзе")[0] == "gao-jie"
    assert decided(client, "Гао Цзэ")[0] == "gao-ze"


def test_a_name_of_common_syllables_is_found_by_the_whole_name_its_pinyin_writes(
    tmp_path: Path,
) -> None:
    """Where each syllable's keys list only their first aliases (a big table's Wangs and
    Jies), the name the Cyrillic writes in pinyin is one whole-name key."""
    common = [f"Wang {given}" for given in GIVEN_NAMES] + [f"{family} Jie" for family in FAMILY]
    assert len(common) > 2 * MAX_POSTINGS
    lines = [f"- {{id: common-{i}, name: {name}, type: person}}" for i, name in enumerate(common)]
    table = tmp_path / "common.yml"
    table.write_text("\n".join([*lines, "- {id: wang-jie, name: Wang Jie, type: person}"]))
    assert decided(table_client(table), "Ван Цзе")[0] == "wang-jie"
