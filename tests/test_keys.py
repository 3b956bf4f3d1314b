"""text/keys.py: the keys a name is indexed under and those a query looks up.

A query finds an alias when they share a key, so most tests derive the keys of both sides
and look for the one they should share (or not).
"""

from __future__ import annotations

import jellyfish
import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizer.text import acronyms, keys, whole_names
from normalizer.text.normalize import analyze, fold
from normalizer.text.phonetics import skeleton, spelling_fold


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
        ("Miravalle Orchards S.A.", "a:mo"),
        ("Miravalle Orchards S.A.", "b:mos"),
    ],
    ids=str,
)
def test_acronym_keys(name: str, acronym: str) -> None:
    assert acronym in acronyms.acronym_keys(analyze(name), written_words(name))


def test_acronym_keys_only_in_acronym_namespace() -> None:
    name = "Cártel de Jalisco Nueva Generación"
    found = acronyms.acronym_keys(analyze(name), written_words(name))
    # The usual style skips "de"; spelling every word out is the other style.
    assert found == {"a:cjng", "b:cdjng"}


def test_acronym_keys_hyphenated_article_word() -> None:
    name = "Asa'ib Ahl al-Haq"
    found = acronyms.acronym_keys(analyze(name), written_words(name))
    assert {"b:aah", "b:aaah", "a:aaa"} <= found


@pytest.mark.parametrize("query", ["CJNG", "c.j.n.g.", "C.J.N.G."], ids=str)
def test_query_acronym_key_meets_indexed_acronym(query: str) -> None:
    name = "Cártel de Jalisco Nueva Generación"
    indexed = acronyms.acronym_keys(analyze(name), written_words(name))
    query_keys = acronyms.query_acronym_keys(analyze(query))
    assert query_keys is not None
    assert query_keys[0] in indexed


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Mendoza Rivas, Ana", "Ana Mendoza Rivas"),  # order
        ("Sohrabzadeh", "Sohrab Zadeh"),  # one word split in two
        ("Abdul Rahman Qadir", "Abdulrahman Qadir"),  # two words joined
        ("Abdul Rahman", "Abdulrahman"),  # the whole core joined
        ("AnaM endoza Rivas", "Ana Mendoza Rivas"),  # the space typed a letter late
        ("Ana Mendoz aRivas", "Ana Mendoza Rivas"),  # ... or early
        ("AnaxMendoza Rivas", "Ana Mendoza Rivas"),  # ... or as a letter
        ("Sr. Ana Mendoza", "Ana Mendoza"),  # the core, without the honorific
        ("Q E V Marlowe Trading", "QEV Marlowe Trading"),  # a word spelled out in letters
        ("QEV Marlowe Trading", "Q E V Marlowe Trading"),
        ("Q.E.V. Marlowe", "Q E V Marlowe"),
    ],
    ids=str,
)
def test_query_whole_keys_meet_the_indexed_ones(query: str, name: str) -> None:
    assert whole_names.query_whole_keys(analyze(query)) & whole_names.whole_keys(analyze(name))


def test_whole_keys_are_one_or_two_a_name() -> None:
    assert whole_names.whole_keys(analyze("Ana Mendoza Rivas")) == {"s:ana mendoza rivas"}
    assert whole_names.whole_keys(analyze("Sr. Ana Mendoza")) == {
        "s:ana mendoza sr",
        "s:ana mendoza",
    }
    query = whole_names.query_whole_keys(analyze("Ana Rivas"))
    assert not query & whole_names.whole_keys(analyze("Ana Ruiz"))


def test_a_word_spelled_out_in_three_letters_or_more_is_one_word_too() -> None:
    """A third key for a name with a run of single letters, the run as one word (its "a"
    kept, an optional article elsewhere); two letters are two words, as initials are."""
    assert whole_names.whole_keys(analyze("Q A V Marlowe")) == {
        "s:a marlowe q v",
        "s:marlowe q v",
        "s:marlowe qav",
    }
    assert whole_names.whole_keys(analyze("J R Marlowe")) == {"s:j marlowe r"}


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
    latin = {key.split(":", 1)[0] for key in keys.typo_keys("stolvarine", False)}
    transcribed = {key.split(":", 1)[0] for key in keys.typo_keys("stolvarine", True)}
    assert latin == {"f"}
    assert transcribed == {"f", "k"}


# whole-name keys


def test_whole_keys_ignore_word_order() -> None:
    assert whole_names.whole_keys(analyze("Ruiz Ana Mendoza")) == whole_names.whole_keys(
        analyze("Ana Mendoza Ruiz")
    )


def test_whole_keys_of_a_name_with_optional_words_include_its_core() -> None:
    # "S.A." is a legal form at the end: the name is also indexed without it.
    found = whole_names.whole_keys(analyze("Tejidos Quimera S.A."))
    assert found == {"s:quimera sa tejidos", "s:quimera tejidos"}


def test_whole_keys_of_an_empty_name() -> None:
    assert whole_names.whole_keys(analyze("!!!")) == set()
    assert whole_names.query_whole_keys(analyze("!!!")) == set()


def test_query_whole_keys_join_and_split_the_core() -> None:
    # Its own key; the core as one word; "ruiz" split with two letters each side at least
    # ("ana" is too short to split into parts of whole_names.MIN_SPLIT_PART letters); the space
    # between the words moved a letter either way.
    assert whole_names.query_whole_keys(analyze("Ana Ruiz")) == {
        "s:ana ruiz",
        "s:anaruiz",
        "s:ana iz ru",
        "s:an aruiz",
        "s:anar uiz",
    }


def test_a_moved_space_keeps_a_letter_on_each_side() -> None:
    assert whole_names.moved_boundaries(["a", "ruiz", "lo"]) == [
        ["ar", "uiz", "lo"],
        ["a", "rui", "zlo"],
        ["a", "ruizl", "o"],
    ]


def test_query_whole_keys_join_any_two_adjacent_words() -> None:
    found = whole_names.query_whole_keys(analyze("Ana Sofia Ruiz Toledo"))
    assert {"s:anasofia ruiz toledo", "s:ana sofiaruiz toledo", "s:ana ruiztoledo sofia"} <= found
    assert "s:anasofiaruiztoledo" in found
    # Only neighbours are joined, and two at a time.
    assert "s:ana ruiz sofiatoledo" not in found
    assert "s:anasofiaruiz toledo" not in found


@pytest.mark.parametrize("word", ["quimeradelsur", "tejidos", "abcd"], ids=str)
def test_query_whole_keys_split_one_word_at_every_point(word: str) -> None:
    found = whole_names.query_whole_keys(analyze(word))
    least = whole_names.MIN_SPLIT_PART
    splits = {f"s:{' '.join(sorted((word[:at], word[at:])))}" for at in range(1, len(word))}
    fair = {
        f"s:{' '.join(sorted((word[:at], word[at:])))}"
        for at in range(least, len(word) - least + 1)
    }
    assert found & splits == fair
    assert len(fair) == max(len(word) - 2 * least + 1, 0)


def test_query_whole_keys_split_one_word_without_a_letter_it_may_have_for_a_space() -> None:
    # Two letters a side at least, as any split.
    found = whole_names.query_whole_keys(analyze("tejidoxsur"))
    assert {"s:sur tejido", "s:tejid xsur", "s:idoxsur te"} <= found
    assert "s:jidoxsur t" not in found
    assert "s:r tejidoxs" not in found


def test_query_whole_keys_leave_optional_words_out_of_the_spellings() -> None:
    # The honorific keeps its own key, but the joined spelling is the core's.
    found = whole_names.query_whole_keys(analyze("Sr. Ana Ruiz"))
    assert {"s:ana ruiz sr", "s:ana ruiz", "s:anaruiz"} <= found
    assert not any(key.startswith("s:") and "sranaruiz" in key for key in found)


# typos


def apply_edit(word: str, kind: int, at: int, letter: str) -> str:
    """``word`` with one deletion, swap of neighbours, substitution or insertion at ``at``."""
    at = at % (len(word) + 1)
    if kind == 0 and at < len(word):
        return word[:at] + word[at + 1 :]
    if kind == 1 and at + 1 < len(word):
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == 2 and at < len(word):
        return word[:at] + letter + word[at + 1 :]
    return word[:at] + letter + word[at:]


LETTERS = "abcdefghiklmnoprstuxy"  # the letters a spelling fold is written in


@given(
    st.text(alphabet=LETTERS, min_size=1, max_size=9),
    st.integers(0, 3),
    st.integers(0, 10),
    st.sampled_from(LETTERS),
)
def test_edits_hold_every_one_edit_variant(word: str, kind: int, at: int, letter: str) -> None:
    variant = apply_edit(word, kind, at, letter)
    assert (variant in keys.edits(word, LETTERS)) == (variant != word)


@given(st.text(alphabet="abcdk", min_size=1, max_size=6))
def test_edits_are_one_edit_away(word: str) -> None:
    for variant in keys.edits(word, "abk"):
        assert jellyfish.damerau_levenshtein_distance(word, variant) == 1


def test_typo_keys_exclude_the_token_own_keys() -> None:
    for token in ("quimera", "tejidos", "wierzbicki"):
        assert not keys.typo_keys(token, True) & keys.token_keys(token)


def test_typo_keys_start_at_the_minimum_length() -> None:
    # Spelling folds of these words are as long as the words (no digraphs, no doubles).
    shortest = "tomasinbaru"[: keys.MIN_TYPO_LENGTH]
    assert len(spelling_fold(shortest)) == keys.MIN_TYPO_LENGTH
    assert keys.typo_keys(shortest, False)
    assert not keys.typo_keys(shortest[:-1], False)


# nicknames


@pytest.mark.parametrize(
    ("given_name", "written"),
    [
        ("vasya", "vasiliy"),
        ("vasiliy", "vasya"),
        ("sasha", "aleksandr"),
        ("pepe", "jose"),
        # A Ukrainian or Belarusian form and the Russian, either way.
        ("volodymyr", "vladimir"),
        ("vladimir", "uladzimir"),
        ("mykola", "nikolai"),
    ],
    ids=str,
)
def test_nickname_keys_meet_the_other_form(given_name: str, written: str) -> None:
    assert keys.nickname_keys(given_name) & keys.token_keys(written)


def test_nickname_keys_are_spelling_folds() -> None:
    found = keys.nickname_keys("vasya")
    assert found
    assert all(key.startswith("f:") for key in found)
    # Any romanization of the nickname that folds alike finds the same names.
    assert keys.nickname_keys("wasja") == found


def test_nickname_keys_of_a_name_without_nicknames() -> None:
    assert keys.nickname_keys("quimera") == frozenset()


# acronyms


def test_acronym_keys_usual_style_skips_function_words_and_legal_forms() -> None:
    name = "Tejidos y Hilados del Norte S.A."
    found = acronyms.acronym_keys(analyze(name), written_words(name))
    # T(ejidos) H(ilados) N(orte) in the usual style; with "y", "del" or "S.A." spelled,
    # another style.
    assert "a:thn" in found
    assert {"b:tyhdn", "b:thns", "b:tyhdns"} <= found
    assert {key[:2] for key in found} == {"a:", "b:"}
    assert sum(key.startswith("a:") for key in found) == 1


def test_acronym_keys_of_one_style_only() -> None:
    # No function word, no legal form, no hyphen: one acronym, the usual one.
    name = "Quimera Velour Holdings"
    assert acronyms.acronym_keys(analyze(name), written_words(name)) == {"a:qvh"}


@given(st.lists(st.sampled_from(["norte", "sur", "del", "y", "banco", "sa"]), max_size=14))
def test_acronym_keys_lengths(words: list[str]) -> None:
    name = " ".join(words)
    for key in acronyms.acronym_keys(analyze(name), written_words(name)):
        assert key[:2] in ("a:", "b:")
        assert len(key) - 2 in acronyms.ACRONYM_LENGTHS


@pytest.mark.parametrize("query", ["QVH", "q.v.h.", "QVH LLC", "QVH OAO"], ids=str)
def test_query_acronym_keys_of_one_word(query: str) -> None:
    # A legal form beside it is left out ("QVH LLC" is the acronym QVH of a company).
    assert acronyms.query_acronym_keys(analyze(query)) == ("a:qvh", "b:qvh")


@pytest.mark.parametrize(
    "query",
    [
        "Quimera Velour",  # two words
        "G20",  # not letters only
        "q",  # shorter than any acronym
        "q" * (acronyms.ACRONYM_LENGTHS.stop),  # longer than any
    ],
    ids=str,
)
def test_query_acronym_keys_none(query: str) -> None:
    assert acronyms.query_acronym_keys(analyze(query)) is None


@pytest.mark.parametrize(
    ("romanized", "latin"),
    [
        ("teokeo", "tucker"),  # 터커: the r of -er unwritten
        ("poteo", "porter"),  # 포터: two of them
        ("kaba", "carver"),  # カーヴァー read back: a long vowel for ar
        ("smis", "smith"),  # 스미스: th written as s
        ("raiburihi", "leibrich"),  # ライブリヒ: German ch as ヒ, hi
        ("rainrihi", "reinrich"),  # 라인리히 in a full name: 히 for German ch
    ],
)
def test_a_korean_or_japanese_word_asks_the_skeleton_of_the_english_it_writes(
    romanized: str, latin: str
) -> None:
    assert "k:" + skeleton(latin) in keys.unwritten_r_keys(romanized)


def test_unwritten_r_keys_leave_out_the_words_own_skeleton() -> None:
    found = keys.unwritten_r_keys("teokeo")
    assert "k:" + skeleton("teokeo", hard_g=True) not in found
    # An r after three vowels at once is more than a transcription leaves out.
    assert "k:" + skeleton("tarkarpar") not in keys.unwritten_r_keys("takapa")


@pytest.mark.parametrize(
    ("romanized", "latin", "liquids"),
    [
        ("isan", "esan", True),  # katakana writes English e as i
        ("kalid", "kolid", False),  # Arabic leaves the vowel's quality unsaid
        ("dorin", "dolin", True),  # one liquid in Japanese and Korean
        ("kari", "kali", True),  # the same, at the end of a word
    ],
)
def test_a_word_from_another_script_asks_its_fold_respelled(
    romanized: str, latin: str, liquids: bool
) -> None:
    assert "f:" + spelling_fold(latin) in keys.respelled_keys(romanized, liquids)


def test_respelled_keys_change_one_letter_and_the_liquids_only_from_kana_or_hangul() -> None:
    assert "f:dolin" not in keys.respelled_keys("dorin", False)
    assert "f:dorin" not in keys.respelled_keys("dorin", True)  # its own fold
    # One letter at a time: a vowel and the r are two readings away.
    assert "f:dolen" not in keys.respelled_keys("dorin", True)
    assert "f:derin" in keys.respelled_keys("dorin", True)
    assert keys.respelled_keys("a", True) == frozenset()
