"""Sounded keys (``w:``): a name of two core words or more by its words' spelling folds, which
query asks as it is and with one word replaced by a word of the table one typo from it.
In a big table every word of a name may be too common for its own keys to list it
(``table.shard.MAX_POSTINGS``); the whole name is rare."""

from __future__ import annotations

from pathlib import Path

import pytest
from crowds import LAST, compiled, crowded_table, listing
from explained import resolve_explained, table_client

from normalizer.match.query import prepare
from normalizer.match.second_fetch import near_sounded_keys
from normalizer.table.records import Postings
from normalizer.table.shard import MAX_POSTINGS
from normalizer.text.keys import token_keys, typo_keys
from normalizer.text.normalize import analyze
from normalizer.text.whole_names import sounded_keys


def test_a_sounded_key_is_the_folds_of_the_core_sorted() -> None:
    assert sounded_keys(analyze("Thora Philbrick")) == {"w:filbrik tora"}
    # A title names no one: the core alone.
    assert sounded_keys(analyze("General Thora Philbrick")) == {"w:filbrik tora"}


def test_a_name_of_one_core_word_has_no_sounded_key() -> None:
    # Its spelling fold's own key finds it.
    assert sounded_keys(analyze("Philbrick")) == set()
    assert sounded_keys(analyze("General Philbrick")) == set()


CASES = [
    # A typo in one word (two letters swapped), of an organization: no pair keys.
    ("organization", "Nrovel Philbrick"),
    # A letter mistyped in a person's given name, and his surname respelled as it sounds:
    # the skeletons' pair is not the name's (a k for the l).
    ("person", "Norvek Filbrik"),
    # Every word respelled as it sounds, no typo: the query's own sounded key.
    ("organization", "Norrvel Filbrik"),
]


@pytest.mark.parametrize(("kind", "query"), CASES)
def test_a_name_of_common_words_is_found_by_its_sounded_key(
    tmp_path: Path, kind: str, query: str
) -> None:
    # Invented names: none of the crowd sounds like either word.
    first, second = "Norvel", "Philbrick"
    table = crowded_table(tmp_path / "crowded.yml", first, second, kind)
    entries = compiled(table)
    # The premise: no key of the query's words, nor any typo key of them, lists the name.
    asked = prepare(query).all_keys()
    assert listing(entries, [key for key in asked if not key.startswith("w:")]) == []
    for word in (first, second):
        for key in token_keys(word.lower()):
            postings = entries.get(key)
            assert isinstance(postings, Postings) and postings.size > MAX_POSTINGS

    result = resolve_explained(table_client(table), query)
    assert result["candidates"][0]["id"] == f"p{LAST}"
    assert result["match"] is not None and result["match"]["id"] == f"p{LAST}"


def test_near_sounded_keys_replace_one_word_by_a_typo_key_the_table_has() -> None:
    query = prepare("Nrovel Philbrick")
    assert "f:norbel" in query.typos[0]  # Norvel's fold, two letters swapped
    found: dict[str, object] = {"f:norbel": object(), "f:filbrik": object()}
    # Only the typo keys of a word replace it ("filbrik" is the second word's own fold).
    assert set(near_sounded_keys(query, found)) == {"w:filbrik norbel"}
    assert "f:filbrik" not in typo_keys("nrovel", 0)


def test_a_one_word_query_asks_no_sounded_key() -> None:
    query = prepare("Nrovel")
    assert not [key for key in query.keys if key.startswith("w:")]
    assert near_sounded_keys(query, {"f:norbel": object()}) == {}
