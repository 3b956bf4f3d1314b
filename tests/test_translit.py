"""text/translit.py: any script to ASCII, with the help five scripts get before unidecode.

Cases (tests/data/translit.csv: script, text, transliteration with spaces squashed) are
invented names and words: Japanese kana in Hepburn (pykakasi; katakana with a small vowel
for a foreign sound as Hepburn writes it, ウィ wi), in katakana without long
vowels' second letter or a final consonant's vowel, Hangul loanwords without
their written "eu", final stops as k, t, p and ㄹㄹ as ll, Korean names split by syllable
with the usual spelling of a common family name, Cyrillic yu/ya/yo/y, Hebrew vowel
letters (v and y first in a word, a final he a) and geresh, Arabic long-vowel letters
(alif, waw, ya) read as vowels.
"""

from __future__ import annotations

import pytest
from casefiles import cases
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from normalizer.caches import reset_caches
from normalizer.text import translit
from normalizer.text.normalize import fold
from normalizer.text.translit import to_ascii

# Hangul syllables are composed arithmetically (Unicode 3.12): 19 initials x 21 vowels x
# 28 finals (0: none) from U+AC00.
HANGUL_FIRST = 0xAC00
INITIALS, VOWELS, FINALS = 19, 21, 28
EU, SILENT_IEUNG, CHIEUT = 18, 11, 14  # vowel ㅡ; initials ㅇ and ㅊ
RIEUL_FINAL = 8  # final ㄹ


def hangul(initial: int, vowel: int, final: int = 0) -> str:
    return chr(HANGUL_FIRST + (initial * VOWELS + vowel) * FINALS + final)


def squashed(text: str) -> str:
    """Words apart by one space: where the helpers put spaces is no matter to ``fold``."""
    return " ".join(text.split())


@pytest.mark.parametrize(("script", "text", "expected"), cases("translit.csv"), ids=str)
def test_to_ascii(script: str, text: str, expected: str) -> None:
    assert squashed(to_ascii(text)) == expected
    # Each case needs its script's help: unidecode alone writes it otherwise.
    assert squashed(unidecode(text)) != expected


# Japanese


def test_kanji_without_kana_are_left_to_unidecode() -> None:
    # Kanji alone may be Chinese: only kana beside them say the text is Japanese.
    assert to_ascii("山田") == unidecode("山田")
    assert squashed(to_ascii("山田 ちはる")).startswith("yamada ")


def test_chinese_is_not_read_as_japanese() -> None:
    # Kanji are read as Japanese only beside kana.
    assert fold("毛泽东") == "mao ze dong"
    assert fold("ジョシュ") == "joshu"


# Hangul


@pytest.mark.parametrize("initial", range(INITIALS), ids=str)
def test_hangul_eu_without_final_is_a_bare_consonant(initial: int) -> None:
    """스, 트, 프…: loanwords write a bare consonant with the vowel ㅡ; only a silent
    initial (으) leaves the vowel to be read."""
    romanized = to_ascii(hangul(initial, EU))
    if initial == SILENT_IEUNG:
        assert romanized == "eu"
    else:
        assert romanized
        assert not set(romanized) & set("aeiou")


@pytest.mark.parametrize("initial", range(INITIALS), ids=str)
def test_hangul_eu_before_a_final_consonant_is_kept(initial: int) -> None:
    # 글 is "geul": a closed syllable is a real one.
    assert "eu" in to_ascii(hangul(initial, EU, RIEUL_FINAL))


@pytest.mark.parametrize("vowel", range(VOWELS), ids=str)
def test_hangul_chieut_is_ch(vowel: int) -> None:
    # unidecode writes ㅊ as "c"; Revised Romanization and passports write "ch".
    assert to_ascii(hangul(CHIEUT, vowel)).startswith("ch")


def test_hangul_name_split_only_when_the_whole_text_is_one_name() -> None:
    # Two to four syllables alone are a Korean name, family name first: one word a syllable.
    syllables = [hangul(0, 0), hangul(2, 4), hangul(6, 8, 4)]  # 가너몬
    for count in (2, 3, 4):
        name = "".join((syllables * 2)[:count])
        assert len(to_ascii(name).split()) == count
    # Five syllables, or two words, are left as written.
    assert len(to_ascii("".join((syllables * 2)[:5])).split()) == 1
    assert len(to_ascii(" ".join(syllables[:2]) + syllables[2]).split()) == 2


# Cyrillic


@pytest.mark.parametrize(
    ("letter", "latin"),
    [
        ("ю", "yu"),
        ("Ю", "Yu"),
        ("я", "ya"),
        ("Я", "Ya"),
        ("ё", "yo"),
        ("Ё", "Yo"),
        ("й", "y"),
        ("Й", "Y"),
        ("ь", ""),
        ("Ь", ""),
        ("ъ", ""),
        ("Ъ", ""),
    ],
    ids=str,
)
def test_cyrillic_letters_as_passports_write_them(letter: str, latin: str) -> None:
    # Between two letters, so that a sign dropped is seen as nothing between them.
    assert to_ascii("м" + letter + "н") == "m" + latin + "n"


def test_cyrillic_chzh_is_chinese_zh() -> None:
    # Palladius writes Chinese zh as чж; letter by letter it would be "chzh".
    assert to_ascii("чжу") == "zhu"
    assert to_ascii("Чжу") == "Zhu"


# Hebrew


def test_hebrew_vowel_letters_alone_and_doubled() -> None:
    # ו and י alone are vowels (u, i); doubled, the consonants v and y.
    assert to_ascii("לו") == "lu"
    assert to_ascii("לי") == "li"
    assert to_ascii("לוו") == "lv"
    assert to_ascii("ליי") == "ly"


@pytest.mark.parametrize("geresh", ["'", "\u05f3"], ids=["apostrophe", "geresh"])
def test_hebrew_geresh_marks_foreign_sounds(geresh: str) -> None:
    assert to_ascii("ג" + geresh) == "j"
    assert to_ascii("ז" + geresh) == "zh"
    assert to_ascii("צ" + geresh) == "ch"


# Any text


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_is_returned_unchanged(text: str) -> None:
    assert to_ascii(text) == text


def test_ascii_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """ASCII never reaches unidecode (a big table is mostly ASCII names)."""

    def unreachable(text: str) -> str:
        raise AssertionError(f"unidecode called for {text!r}")

    monkeypatch.setattr(translit, "unidecode", unreachable)
    reset_caches()  # so that no earlier call answers for it
    assert translit.to_ascii("Ana O'Garvey-Ruiz & Co. 7") == "Ana O'Garvey-Ruiz & Co. 7"


# unidecode imports a table module the first time it meets each 256-character block, which
# can outlast hypothesis's default 200 ms deadline on a cold cache.
@settings(deadline=None)
@given(st.text())
def test_output_is_ascii(text: str) -> None:
    assert to_ascii(text).isascii()
