"""Properties of the text analysis and of a lookup, over any Unicode string an attacker can
send: lone surrogates (JSON's "\\ud800"), controls, every plane. Derandomized, so that CI
sees the same examples on every run.

test_normalize.py holds the properties of ``fold`` over ordinary text; these add the strings
``st.text()`` leaves out, the keys derived for matching, the matcher itself and the web
layer, and a hang guard for long input.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalizer.match.matcher import Matcher
from normalizer.match.query import MAX_QUERY_TOKENS
from normalizer.settings import Settings
from normalizer.text import acronyms, keys, whole_names
from normalizer.text.normalize import MAX_TOKEN_LENGTH, Analysis, analyze, analyze_once, fold
from normalizer.text.palladius import written_in_syllables
from normalizer.text.translit import in_syllables
from normalizer.web import create_app
from normalizer.web.context import EXTENSION

# Every code point, surrogates too (st.characters() leaves them out unless told), and
# surrogates often enough to matter: a string of them comes from any JSON "\\udXXX".
SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
ANY_TEXT = st.text(st.characters(codec=None) | SURROGATES)
# Words from the scripts and marks the analysis treats apart, pasted together.
WORDS = st.sampled_from(
    "Señor Dr. El S.A. de C.V. O'Brien al-Harbi Ñandú Томаш Ван Сяо 北京 محمد יוסף 김정은 ﷺ ǅ "
    "ﬁ Ⅻ ½ \u200b \u200f \u202e \ufeff \x00 \ud800 \udfff".split(" ")
)
NAMES = ANY_TEXT | st.lists(WORDS, max_size=12).map(" ".join)
stable = settings(
    derandomize=True,
    database=None,
    # unidecode loads a table the first time it meets each block of 256 code points.
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# What ``fold`` promises (its docstring): lowercase ASCII words separated by single spaces.
FOLDED = re.compile(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?")
HANG_GUARD = 60.0  # seconds; a 10,000-character name takes well under one


@pytest.fixture(scope="module")
def app(alias_file: Path) -> Flask:
    return create_app({"TESTING": True, "ALIASES": str(alias_file), "REDIS_URL": ""})


@pytest.fixture(scope="module")
def matcher(app: Flask) -> Matcher:
    found: Matcher = app.extensions[EXTENSION].matcher
    return found


@stable
@given(NAMES)
def test_fold_is_idempotent_and_within_its_alphabet(text: str) -> None:
    folded = fold(text)
    assert FOLDED.fullmatch(folded), folded
    assert fold(folded) == folded


@stable
@given(NAMES)
def test_analysis_is_idempotent(text: str) -> None:
    analysis = analyze(text)
    again = analyze_once(analysis.normalized)
    assert again.tokens == analysis.tokens
    if not in_syllables(text) and not written_in_syllables(text, analysis.tokens):
        # Romanized Han, Hangul or Palladius syllables are a name's own words, never Latin
        # particles: only the text they were written in says so.
        assert again == analysis
    assert all(0 < len(token) <= MAX_TOKEN_LENGTH for token in analysis.tokens)
    assert analysis.tokens == tuple(t[:MAX_TOKEN_LENGTH] for t in analysis.normalized.split())


@stable
@given(NAMES)
def test_lookup_keys_never_raise(text: str) -> None:
    """Every key a query or a name is looked up or indexed under, derived from any text,
    is a namespaced ASCII key."""
    analysis = analyze(text)
    found = whole_names.query_whole_keys(analysis) | whole_names.whole_keys(analysis)
    found |= acronyms.acronym_keys(analysis, [[t] for t in analysis.tokens])
    for token in analysis.tokens:
        found |= keys.token_keys(token)
        found |= keys.typo_keys(token, True) | keys.typo_keys(token, False)
    acronym = acronyms.query_acronym_keys(analysis)
    found |= set(acronym or ())
    assert all(re.fullmatch(r"[a-z]:[ -~]*", key) for key in found), found


@stable
@given(NAMES)
def test_a_lookup_never_raises(matcher: Matcher, text: str) -> None:
    resolution = matcher.resolve(text, limit=3)
    assert resolution.query == text
    # The words of the name, the first MAX_QUERY_TOKENS of them.
    kept = fold(text).split()[:MAX_QUERY_TOKENS]
    assert resolution.normalized == " ".join(t[:MAX_TOKEN_LENGTH] for t in kept)
    assert len(resolution.candidates) <= 3


@stable
@given(NAMES)
def test_the_api_answers_any_string_with_200_or_a_problem(app: Flask, text: str) -> None:
    """A lone surrogate is a 400 that names the field; anything else a name may hold is
    answered (or refused as empty or too long), never a 500."""
    body = json.dumps({"names": [text]})  # ASCII, a surrogate as "\\udXXX"
    response = app.test_client().post(
        "/v1/resolve", data=body, headers={"Content-Type": "application/json"}
    )
    # What JSON means: "\\ud800\\udc00" is one character, a pair; a lone one stays.
    (text,) = json.loads(body)["names"]
    lone = any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    if lone or not text.strip() or len(text) > Settings.max_name_length:
        assert response.status_code == 400, response.data
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem["field"] == "names[0]"
        if lone:
            assert "lone surrogate" in problem["detail"]
    else:
        assert response.status_code == 200, response.data
        (result,) = response.get_json()["results"]
        assert result["query"] == text


def finishes(work: Callable[[], object]) -> bool:
    """Whether ``work`` returns within the hang guard (run in a thread, so that a hang
    fails the test instead of holding the suite); its exception, if any, is raised."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            work()
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 (raised again below)
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    if outcome and outcome[0] is not None:
        raise outcome[0]
    return bool(outcome)


LONG_INPUTS = {
    "one word": "a" * 10_000,
    "many words": "ab " * 3_333 + "c",
    "one letter words": "a " * 5_000,
    "dotted letters": "S." * 5_000,
    "mixed scripts": ("Томаш 北京 محمد 김정은 Ñandú " * 500)[:10_000],
    "marks": "a" + "\u0301" * 9_999,
    "apostrophes": "O'" * 5_000,
    "surrogates": "\ud800" * 10_000,
    "zero width": "a\u200b" * 5_000,
}


@pytest.mark.parametrize("text", LONG_INPUTS.values(), ids=LONG_INPUTS.keys())
def test_ten_thousand_characters_finish(matcher: Matcher, text: str) -> None:
    assert len(text) == 10_000
    analyzed: list[Analysis] = []
    assert finishes(lambda: analyzed.append(analyze_once(text)))
    assert FOLDED.fullmatch(analyzed[0].normalized)
    assert finishes(lambda: matcher.resolve(text))
