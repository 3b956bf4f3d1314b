"""text/phonetics.py: spelling folds (respellings that sound alike meet) and the rules
behind them and the consonant skeletons."""

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
