"""The words of a text and the runs a name may span (normalizer/annotate/words.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizer.annotate.words import _WORD_OR_GAP, _pieces, runs


def spelled(text: str) -> list[list[str]]:
    """Each run's words as a name ends them (possessive endings left out)."""
    return [[text[word.start : word.end] for word in run] for run in runs(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Guatemala’s Army said", [["Guatemala", "Army", "said"]]),
        ("O'Brien met 'Umar Ka'bari", [["O'Brien", "met", "'Umar", "Ka'bari"]]),
        ("U.S. officials and C.J.N.G. men", [["U.S.", "officials", "and", "C.J.N.G.", "men"]]),
        ("Dr. Smith left. Then rain", [["Dr", "Smith", "left"], ["Then", "rain"]]),
        ("known as “El Mencho,” for", [["known", "as"], ["El", "Mencho"], ["for"]]),
        ("OSEGUERA CERVANTES, Nemesio", [["OSEGUERA", "CERVANTES", "Nemesio"]]),
        ("Nemesio Oseguera\nCervantes", [["Nemesio", "Oseguera", "Cervantes"]]),
        ("(CJNG) — the cartel", [["CJNG"], ["the", "cartel"]]),
        ("ネメシオ・オセゲラは東京", [["ネメシオ", "オセゲラ", "は", "東", "京"]]),
        ("Ñandú e\u0301te", [["Ñandú", "e\u0301te"]]),
    ],
    ids=[
        "possessive",
        "apostrophes",
        "dotted",
        "abbreviation dot",
        "quotes",
        "comma",
        "line break",
        "brackets and dash",
        "japanese",
        "combining mark",
    ],
)
def test_words_and_runs(text: str, expected: list[list[str]]) -> None:
    assert spelled(text) == expected


def test_a_possessive_cut_by_a_line_break_belongs_to_the_word_before() -> None:
    text = "threatened Guatemala\n\n‘s National Police"
    (run,) = runs(text)
    guatemala = run[1]
    assert text[guatemala.start : guatemala.end] == "Guatemala"
    assert text[guatemala.start : guatemala.full_end] == "Guatemala\n\n‘s"
    assert [text[w.start : w.end] for w in run[2:]] == ["National", "Police"]


def test_capitals_and_scripts_without_case() -> None:
    text = "the Army, 'Ali, Немесио, بغداد, 東"
    capitals = [word.capital for run in runs(text) for word in run]
    assert capitals == [False, True, True, True, True, True]


def test_a_word_of_ayin_marks_alone_has_no_capital() -> None:
    """ʿ and ʻ are letters to Unicode (Lm), so they make a word; with no letter after them
    it is written with no capital."""
    assert [(word.written, word.capital) for run in runs("ʿ ʻʿ") for word in run] == [
        ("ʿ", False),
        ("ʻʿ", False),
    ]


# Letters of several scripts, marks, apostrophes, dots and spaces of several kinds: where
# the split of a plain stretch and the pattern's could part.
_CHARACTERS = st.sampled_from(
    list("aAzZ09 .'’,-&\n\t")
    + ["é", "e\u0301", "ʿ", "ʻ", "İ", "ß", "ア", "ー", "東", "は", "\xa0", "\u2003", "™", "½"]
)


@given(st.lists(_CHARACTERS, max_size=40).map("".join))
@settings(max_examples=2000, deadline=None)
def test_a_text_splits_into_the_words_and_gaps_of_the_pattern(text: str) -> None:
    assert _pieces(text) == _WORD_OR_GAP.split(text)
