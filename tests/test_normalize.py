"""Pure text functions: fold, analyze (optional tokens), spelling folds and lookup keys."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizer.text import keys, normalize, phonetics, tables
from normalizer.text.normalize import Analysis, analyze, fold
from normalizer.text.phonetics import spelling_fold

DATA = Path(__file__).parent / "data"


def cases(name: str) -> list[list[str]]:
    """Rows of a headerless CSV file under tests/data/."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle) if row]


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


def test_fold_arabic_transliterates_without_vowels() -> None:
    # unidecode writes the consonants only; phonetics.skeleton relies on this.
    assert fold("أيمن") == "ymn"


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
        ("Closed Joint Stock Company Absolutbank", ("absolutbank",)),
        ("Alborada Gardens S.A. de C.V.", ("alborada", "gardens")),
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
    assert analyze("ALBORADA GARDENS").core == analyze("Alborada Gardens, S.A.").core


# spelling_fold


@pytest.mark.parametrize(("a", "b"), cases("spelling_same.csv"), ids=str)
def test_spelling_fold_equal(a: str, b: str) -> None:
    assert spelling_fold(fold(a)) == spelling_fold(fold(b))


@pytest.mark.parametrize(("a", "b"), cases("spelling_different.csv"), ids=str)
def test_spelling_fold_different(a: str, b: str) -> None:
    assert spelling_fold(fold(a)) != spelling_fold(fold(b))


@pytest.mark.parametrize("token", ["4x4", "2pac", "g20"], ids=str)
def test_spelling_fold_leaves_tokens_with_digits(token: str) -> None:
    assert spelling_fold(token) == token


# keys


def written_words(text: str) -> list[list[str]]:
    """Tokens grouped by the word they were written in ("al-Haq" -> ["al", "haq"])."""
    return [fold(word).split() for word in text.split() if fold(word)]


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("Cártel de Jalisco Nueva Generación", "a:cjng"),
        ("Cártel de Jalisco Nueva Generación", "b:cdjng"),
        ("Fuerzas Armadas Revolucionarias de Colombia", "a:farc"),
        ("Bank of America", "a:ba"),
        ("Bank of America", "b:boa"),
        ("Alborada Gardens S.A.", "a:ag"),
        ("Alborada Gardens S.A.", "b:ags"),
    ],
    ids=str,
)
def test_acronym_keys(name: str, acronym: str) -> None:
    assert acronym in keys.acronym_keys(analyze(name), written_words(name))


def test_acronym_keys_only_in_acronym_namespace() -> None:
    name = "Cártel de Jalisco Nueva Generación"
    found = keys.acronym_keys(analyze(name), written_words(name))
    # The usual style skips "de"; spelling every word out is the other style.
    assert found == {"a:cjng", "b:cdjng"}


def test_acronym_keys_hyphenated_article_word() -> None:
    name = "Asa'ib Ahl al-Haq"
    found = keys.acronym_keys(analyze(name), written_words(name))
    assert {"b:aah", "b:aaah", "a:aaa"} <= found


@pytest.mark.parametrize("query", ["CJNG", "c.j.n.g.", "C.J.N.G."], ids=str)
def test_query_acronym_key_meets_indexed_acronym(query: str) -> None:
    name = "Cártel de Jalisco Nueva Generación"
    indexed = keys.acronym_keys(analyze(name), written_words(name))
    query_keys = keys.query_acronym_keys(analyze(query))
    assert query_keys is not None
    assert query_keys[0] in indexed


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Mendoza Rivas, Ana", "Ana Mendoza Rivas"),  # order
        ("Khalilzadeh", "Khalil Zadeh"),  # one word split in two
        ("Abdul Rahman Qadir", "Abdulrahman Qadir"),  # two words joined
        ("Abdul Rahman", "Abdulrahman"),  # the whole core joined
        ("Sr. Ana Mendoza", "Ana Mendoza"),  # the core, without the honorific
    ],
    ids=str,
)
def test_query_whole_keys_meet_the_indexed_ones(query: str, name: str) -> None:
    assert keys.query_whole_keys(analyze(query)) & keys.whole_keys(analyze(name))


def test_whole_keys_are_one_or_two_a_name() -> None:
    assert keys.whole_keys(analyze("Ana Mendoza Rivas")) == {"s:ana mendoza rivas"}
    assert keys.whole_keys(analyze("Sr. Ana Mendoza")) == {"s:ana mendoza sr", "s:ana mendoza"}
    assert not keys.query_whole_keys(analyze("Ana Rivas")) & keys.whole_keys(analyze("Ana Ruiz"))


@pytest.mark.parametrize(
    ("token", "typo"),
    [
        ("guzman", "guzmen"),  # substitution
        ("guzman", "guzan"),  # deletion
        ("guzman", "guzmaan"),  # insertion
        ("guzman", "guzmna"),  # transposition
        ("oseguera", "osegura"),
        ("zawahiri", "zawahri"),
    ],
    ids=str,
)
def test_typo_keys_reach_the_token_keys_of_a_one_edit_typo(token: str, typo: str) -> None:
    # Either the spelling folds already agree ("guzmaan"), or one edit joins them.
    assert (keys.typo_keys(typo, False) | keys.token_keys(typo)) & keys.token_keys(token)
    assert (keys.typo_keys(token, False) | keys.token_keys(token)) & keys.token_keys(typo)


def test_token_keys_namespaces() -> None:
    found = keys.token_keys("guzman")
    assert {"t:guzman", "f:" + spelling_fold("guzman")} <= found
    assert {key.split(":", 1)[0] for key in found} == {"t", "f", "m", "k"}


def test_typo_keys_none_for_short_tokens() -> None:
    assert not keys.typo_keys("abc", False)


def test_typo_keys_two_edits_apart_do_not_meet() -> None:
    assert keys.typo_keys("lopez", False)
    assert not keys.typo_keys("lopez", False) & keys.token_keys("perez")


def test_typo_keys_of_skeletons_only_for_other_scripts() -> None:
    latin = {key.split(":", 1)[0] for key in keys.typo_keys("stoudamire", False)}
    transcribed = {key.split(":", 1)[0] for key in keys.typo_keys("stoudamire", True)}
    assert latin == {"f"}
    assert transcribed == {"f", "k"}


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


def test_chinese_is_not_read_as_japanese() -> None:
    # Kanji are read as Japanese only beside kana.
    assert fold("毛泽东") == "mao ze dong"
    assert fold("ジョシュ") == "joshu"


@given(st.text(alphabet="abcdeghijklnopqstuvwxyz", min_size=1, max_size=12))
def test_rules_skipped_by_their_needles_would_not_have_matched(token: str) -> None:
    """A rule runs only if its token holds one of its needles: the result is the same as
    running every rule."""
    for rules in (phonetics._FOLD_RULES, phonetics._SKELETON_RULES):
        every = token
        for pattern, replacement, _ in rules:
            every = pattern.sub(replacement, every)
        assert phonetics._rewrite(token, rules) == every


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
