"""Words written as one: two query words pair with one alias word (or the reverse) only
when, written together, they are that word; a spelling fold that drops letters across
their boundary does not make them so."""

from __future__ import annotations

from pathlib import Path

import pytest
from explained import resolve_explained, table_client

# Invented names.
_TABLE = (
    "- id: josepha\n  name: Josepha Hakk\n  type: person\n"
    "- id: sohrabzadeh\n  name: Sohrabzadeh Karimi\n  type: person\n"
    "- id: abd\n  name: Abd al-Rahman Zuberi\n  type: person\n"
)

CASES = [
    # A respelled given name and a surname: "yosefa" + "hak" folds to "yosefak", a letter
    # from "yosefa", but the words are two, each alike one of the alias's.
    ("Yosefa Hak", "josepha", {("yosefa", "josepha"), ("hak", "hakk")}),
    # Two query words that write one alias word together.
    ("Sohrab Zadeh Karimi", "sohrabzadeh", {("sohrab zadeh", "sohrabzadeh"), ("karimi", "karimi")}),
    # One query word that writes three alias words together, a particle among them.
    ("Abdurahman Zuberi", "abd", {("abdurahman", "abd al rahman"), ("zuberi", "zuberi")}),
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
