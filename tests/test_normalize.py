"""text/normalize.py: fold (a name to lowercase ASCII words) and analyze (tokens, with the
optional ones flagged)."""

from __future__ import annotations

import pytest
from casefiles import cases
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizer.text import normalize, tables
from normalizer.text.normalize import Analysis, analyze, fold
from normalizer.text.phonetics import skeleton


def marked(analysis: Analysis) -> str:
    """Tokens joined by spaces, optional ones in brackets: "[dr] ayman x"."""
    return " ".join(
        f"[{token}]" if optional else token
        for token, optional in zip(analysis.tokens, analysis.optional, strict=True)
    )


# fold


@pytest.mark.parametrize(("text", "expected"), cases("fold.csv"), ids=str)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ana\u00a0María", "ana maria"),  # no-break space
        ("Ana\u3000María", "ana maria"),  # ideographic space
        ("Ana\tMaría\nLópez", "ana maria lopez"),
        ("Ana\u2009-\u2009María", "ana maria"),  # thin spaces around a hyphen
        ("Jean\u2010Luc", "jean luc"),  # Unicode hyphen
        ("Jean\u2013Luc", "jean luc"),  # en dash
        ("Jose\u0301", "jose"),  # decomposed accent: NFKC composes it first
    ],
    ids=["nbsp", "ideographic-space", "tab-newline", "thin-space", "hyphen", "en-dash", "nfd"],
)
def test_fold_whitespace_and_marks(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    "text",
    ["أيمن الظواهري", "בנימין נתניהו"],
    ids=["arabic", "hebrew"],
)
def test_fold_rtl_scripts_give_ascii_words(text: str) -> None:
    folded = fold(text)
    assert folded
    assert folded.isascii()
    # Two written words stay two words.
    assert len(folded.split()) == 2


def test_fold_dotted_abbreviation_without_final_dot() -> None:
    assert fold("U.S.A") == fold("U.S.A.") == "usa"
    assert analyze("U.S.A").core == ("usa",)


def test_fold_arabic_reads_the_long_vowel_letters() -> None:
    # unidecode writes the consonants only; the alif and the ya are read as vowels (a, y
    # after a vowel), and the consonant skeleton is the same either way.
    assert fold("أيمن") == "aymn"
    assert skeleton(fold("أيمن")) == skeleton("ymn") == skeleton("ayman")


def test_fold_keeps_a_geresh_typed_as_an_apostrophe() -> None:
    # Typed as an apostrophe (the usual keyboard way), it is still a geresh.
    assert fold("ג'ורבין") == fold("ג\u05f3ורבין") == fold("ג\u2019ורבין") == "jurbin"


# analyze


@pytest.mark.parametrize(("text", "expected"), cases("optional.csv"), ids=str)
def test_optional_tokens(text: str, expected: str) -> None:
    assert marked(analyze(text)) == expected


def test_analysis_fields() -> None:
    analysis = analyze("Señor Nemesio Oseguera S.A.")
    assert analysis.normalized == "senor nemesio oseguera sa"
    assert analysis.tokens == ("senor", "nemesio", "oseguera", "sa")
    assert analysis.optional == (True, False, False, True)
    assert analysis.core == ("nemesio", "oseguera")


@pytest.mark.parametrize(
    ("text", "core"),
    [
        ("Dr. Ayman X", ("ayman", "x")),
        ("El Mencho", ("mencho",)),
        ("Señor Don", ("don",)),
        ("Closed Joint Stock Company Veltrobank", ("veltrobank",)),
        ("Miravalle Orchards S.A. de C.V.", ("miravalle", "orchards")),
        ("LLC", ("llc",)),
    ],
    ids=str,
)
def test_core(text: str, core: tuple[str, ...]) -> None:
    assert analyze(text).core == core


@pytest.mark.parametrize("text", ["", "  ", "!!!", "\u200b"], ids=repr)
def test_analyze_empty_name(text: str) -> None:
    analysis = analyze(text)
    assert analysis == Analysis("", (), ())
    assert analysis.core == ()


def test_core_falls_back_to_all_tokens_when_all_are_optional() -> None:
    assert Analysis("sa", ("sa",), (True,)).core == ("sa",)
    assert Analysis("dr sa", ("dr", "sa"), (True, True)).core == ("dr", "sa")


def test_alias_and_name_with_legal_form_share_core() -> None:
    assert analyze("MIRAVALLE ORCHARDS").core == analyze("Miravalle Orchards, S.A.").core


# properties

# Words that exercise every branch of the optional-token rules.
_NAME_WORDS = st.sampled_from(
    "Señor Dr. Don El La the S.A. de C.V. LLC Co. Ltd Closed Joint Stock Company"
    " Nemesio Oseguera Ayman x".split()
)
_NAMES = st.lists(_NAME_WORDS, max_size=8).map(" ".join)
# unidecode imports a table module the first time it meets each 256-character block, which
# can outlast hypothesis's default 200 ms deadline on a cold cache.
cold_cache = settings(deadline=None)


@cold_cache
@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@cold_cache
@given(st.text())
def test_fold_output_is_ascii_lowercase_words(text: str) -> None:
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert "  " not in folded
    assert folded == folded.strip()
    assert all(word.isalnum() for word in folded.split())


@cold_cache
@given(st.text() | _NAMES)
def test_analyze_tokens_are_the_folded_words(text: str) -> None:
    analysis = analyze(text)
    assert analysis.normalized == fold(text)
    assert analysis.tokens == tuple(fold(text).split())
    assert len(analysis.optional) == len(analysis.tokens)


@given(_NAMES)
def test_analyze_keeps_a_core_token(text: str) -> None:
    analysis = analyze(text)
    if analysis.tokens:
        assert not all(analysis.optional)
        assert set(analysis.core) <= set(analysis.tokens)


WORDS = sorted(tables.flaggable_words())[::7] + ["petrovich", "ana", "mendoza", "kestrel", "x"]


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(tuple))
def test_names_skipped_by_the_quick_check_have_no_optional_word(tokens: tuple[str, ...]) -> None:
    """Most names hold no word any rule flags: they skip the rules, with the same result."""
    if not normalize.could_be_optional(tokens):
        assert not any(normalize._flag_optional(tokens))
    assert analyze(" ".join(tokens)).optional == normalize._flag_optional(tokens)


@given(st.from_regex(normalize._PLAIN, fullmatch=True))
def test_plain_names_fold_the_quick_way_as_the_long(text: str) -> None:
    assert fold(text) == normalize._fold(text)
