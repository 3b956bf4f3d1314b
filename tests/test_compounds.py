"""Words written as one: two query words pair with one alias word (or the reverse) only
when, written together, they are that word; a spelling fold that drops letters across
their boundary does not make them so. Two words pair with two others written with the
space between them moved, when their letters are the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from explained import decided, resolve_explained, table_client

# Invented names.
_TABLE = (
    "- id: josepha\n  name: Josepha Hakk\n  type: person\n"
    "- id: sohrabzadeh\n  name: Sohrabzadeh Karimi\n  type: person\n"
    "- id: abd\n  name: Abd al-Rahman Zuberi\n  type: person\n"
    "- id: marisol\n  name: Marisol Quintanar Ybarra\n  type: person\n"
    "- id: idris\n  name: Idris Kovalenko\n  type: person\n"
)

CASES = [
    # A respelled given name and a surname: "yosefa" + "hak" folds to "yosefak", a letter
    # from "yosefa", but the words are two, each alike one of the alias's.
    ("Yosefa Hak", "josepha", {("yosefa", "josepha"), ("hak", "hakk")}),
    # Two query words that write one alias word together.
    ("Sohrab Zadeh Karimi", "sohrabzadeh", {("sohrab zadeh", "sohrabzadeh"), ("karimi", "karimi")}),
    # One query word that writes three alias words together, a particle among them.
    ("Abdurahman Zuberi", "abd", {("abdurahman", "abd al rahman"), ("zuberi", "zuberi")}),
    # The space typed a letter late, or early: the same letters, two words for two.
    (
        "MarisolQ uintanar Ybarra",
        "marisol",
        {("marisolq uintanar", "marisol quintanar"), ("ybarra", "ybarra")},
    ),
    (
        "Marisol QuintanarY barra",
        "marisol",
        {("marisol", "marisol"), ("quintanary barra", "quintanar ybarra")},
    ),
    # Written as the alias is, each word pairs with its own.
    (
        "Marisol Quintanar Ybarra",
        "marisol",
        {("marisol", "marisol"), ("quintanar", "quintanar"), ("ybarra", "ybarra")},
    ),
]


@pytest.mark.parametrize(("query", "expected", "pairs"), CASES)
def test_words_pair_as_one_only_when_written_together_they_are_one(
    tmp_path: Path, query: str, expected: str, pairs: set[tuple[str, str]]
) -> None:
    table = tmp_path / "names.yml"
    table.write_text(_TABLE, encoding="utf-8")
    result = resolve_explained(table_client(table), query)
    best = result["candidates"][0]
    assert best["id"] == expected
    alignment = best["explain"]["alignment"]
    assert {(pair["query"], pair["alias"]) for pair in alignment} == pairs
    assert result["match"] is not None and result["match"]["id"] == expected


def test_two_words_pair_with_two_only_when_their_letters_are_the_same(tmp_path: Path) -> None:
    """A moved space is the one difference a pair of two words for two allows: with a
    letter changed too, each word pairs on its own, or not at all."""
    table = tmp_path / "names.yml"
    table.write_text(_TABLE, encoding="utf-8")
    result = resolve_explained(table_client(table), "MarisoQ luintanar Ybarra")
    best = result["candidates"][0]
    assert best["id"] == "marisol"
    assert all(" " not in pair["query"] for pair in best["explain"]["alignment"])


def test_a_name_written_without_its_spaces_is_the_name_not_a_lone_word(tmp_path: Path) -> None:
    """As a handle or a hashtag writes it: one word that is every name word of the alias
    together pairs with them all, and is not held to a lone word's rules; its given name
    alone still is."""
    table = tmp_path / "names.yml"
    table.write_text(_TABLE, encoding="utf-8")
    client = table_client(table)
    match, top, score, _ = decided(client, "IdrisKovalenko")
    assert (match, top) == ("idris", "idris")
    assert score > 0.9
    pairs = resolve_explained(client, "IdrisKovalenko")["candidates"][0]["explain"]["alignment"]
    assert [(pair["query"], pair["alias"]) for pair in pairs] == [
        ("idriskovalenko", "idris kovalenko")
    ]
    assert decided(client, "Idris")[0] is None


def test_a_name_written_with_a_letter_for_its_space_is_the_name_with_a_typo(
    tmp_path: Path,
) -> None:
    """One letter typed for the space between the words is as alike as the words apart
    with that typo; with a second typo, the word is not that name."""
    table = tmp_path / "names.yml"
    table.write_text(_TABLE, encoding="utf-8")
    client = table_client(table)
    assert decided(client, "IdrisnKovalenko")[:2] == ("idris", "idris")
    assert decided(client, "IdrisnKovalenkp")[0] is None
