"""text/phonetics.py: spelling folds (respellings that sound alike meet) and the rules
behind them, consonant skeletons (for scripts that drop vowels), OCR folds, metaphone and
the edit distance of typos."""

from __future__ import annotations

import pytest
from casefiles import cases
from hypothesis import given
from hypothesis import strategies as st

from normalizer.text import phonetics
from normalizer.text.normalize import fold
from normalizer.text.phonetics import spelling_fold


@pytest.mark.parametrize(("a", "b"), cases("spelling_same.csv"), ids=str)
def test_spelling_fold_equal(a: str, b: str) -> None:
    assert spelling_fold(fold(a)) == spelling_fold(fold(b))


@pytest.mark.parametrize(("a", "b"), cases("spelling_different.csv"), ids=str)
def test_spelling_fold_different(a: str, b: str) -> None:
    assert spelling_fold(fold(a)) != spelling_fold(fold(b))


@pytest.mark.parametrize("token", ["4x4", "2pac", "g20"], ids=str)
def test_spelling_fold_leaves_tokens_with_digits(token: str) -> None:
    assert spelling_fold(token) == token


@given(st.text(alphabet="abcdeghijklnopqstuvwxyz", min_size=1, max_size=12))
def test_rules_skipped_by_their_needles_would_not_have_matched(token: str) -> None:
    """A rule runs only if its token holds one of its needles: the result is the same as
    running every rule."""
    for rules in (phonetics._FOLD_RULES, phonetics._SKELETON_RULES):
        every = token
        for pattern, replacement, _ in rules:
            every = pattern.sub(replacement, every)
        assert phonetics._rewrite(token, rules) == every


# consonant skeletons


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("lensavo", "rensavo"),  # l and r (Japanese and Korean do not tell them apart)
        ("dorvan", "torfan"),  # d and t; b, p, f and v
        ("gemrath", "jemrath"),  # a soft g is j
        ("chelvor", "tselvor"),  # ch, ts, tz, cz and j: one sound in several scripts
        ("marvesto", "marbesto"),  # v and b
        ("kelbrun", "qelbrun"),  # k and q
        ("zellbra", "selvra"),  # z and s; vowels go, a double is one
    ],
    ids=str,
)
def test_skeletons_equal(a: str, b: str) -> None:
    assert phonetics.skeleton(a) == phonetics.skeleton(b)


@pytest.mark.parametrize(
    ("a", "b"), [("marvesto", "markesto"), ("dorvan", "dormun"), ("selbrat", "selbran")], ids=str
)
def test_skeletons_different(a: str, b: str) -> None:
    assert phonetics.skeleton(a) != phonetics.skeleton(b)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=12))
def test_skeletons_have_no_vowel_like_letter_or_double(token: str) -> None:
    consonants = phonetics.skeleton(token)
    assert not set(consonants) & set("aeiouywh")
    assert all(a != b for a, b in zip(consonants, consonants[1:], strict=False))


# OCR, metaphone, edit distance


@pytest.mark.parametrize(
    ("read", "written"),
    [
        ("rnarvesto", "marvesto"),
        ("vvalbrun", "walbrun"),
        ("clorvan", "dorvan"),
        ("t0r5an", "torsan"),
    ],
    ids=str,
)
def test_ocr_confusions_fold_alike(read: str, written: str) -> None:
    assert phonetics.ocr_fold(read) == phonetics.ocr_fold(written)


def test_ocr_fold_keeps_other_letters_apart() -> None:
    assert phonetics.ocr_fold("marvesto") != phonetics.ocr_fold("narvesto")


@pytest.mark.parametrize("token", ["4x4", "g20", "1999"], ids=str)
def test_metaphone_of_a_token_with_digits_is_empty(token: str) -> None:
    assert phonetics.metaphone(token) == ""


def test_metaphone_of_alike_sounding_words() -> None:
    assert phonetics.metaphone("dorvan") == phonetics.metaphone("dorvann")
    assert phonetics.metaphone("dorvan")


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("dorvan", "dorvan", 0),
        ("dorvan", "dorvna", 1),  # a swap of neighbours is one typo
        ("dorvan", "dorvn", 1),
        ("dorvan", "dorvain", 1),
        ("dorvan", "torvam", 2),
    ],
    ids=str,
)
def test_edit_distance_counts_typos(a: str, b: str, distance: int) -> None:
    assert phonetics.edit_distance(a, b) == distance
