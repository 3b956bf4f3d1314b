"""text/keys.py: the keys a name is indexed under and those a query looks up."""

from __future__ import annotations

import pytest

from normalizer.text import keys
from normalizer.text.normalize import analyze, fold
from normalizer.text.phonetics import spelling_fold


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
