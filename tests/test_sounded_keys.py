"""Sounded keys (``w:``): a name of two words or more by its words' spelling folds, which a
query asks as it is and with one word replaced by a word of the table one typo from it.
In a big table every word of a name may be too common for its own keys to list it
(``table.shard.MAX_POSTINGS``); the whole name is rare."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
from explained import resolve_explained, table_client

from normalizer.aliases.load import load_path
from normalizer.match.query import near_sounded_keys, prepare
from normalizer.table.compiler import compile_table
from normalizer.table.packed import Entries
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


# Invented names: none sounds like "norvel" or "philbrick" (checked below).
_SYLLABLES = "ba do fu gi lo mu pe ta vi zo".split()
_OTHERS = ["".join(parts).capitalize() for parts in product(_SYLLABLES, repeat=3)]
CROWD = MAX_POSTINGS + 20


def _crowded_table(path: Path, first: str, second: str, kind: str) -> Path:
    """Many names with the word ``first``, many with ``second``, and one of both listed
    last (ids n0, n1, ...: its is n{CROWD * 2})."""
    names = [f"{first} {other}" for other in _OTHERS[:CROWD]]
    names += [f"{other} {second}" for other in _OTHERS[-CROWD:]]
    names.append(f"{first} {second}")
    path.write_text(
        "".join(
            f"- id: n{number}\n  name: {name}\n  type: {kind}\n"
            for number, name in enumerate(names)
        ),
        encoding="utf-8",
    )
    return path


TARGET = f"n{CROWD * 2}"
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
    first, second = "Norvel", "Philbrick"
    table = _crowded_table(tmp_path / "crowded.yml", first, second, kind)
    entries = compile_table(load_path(table)).entries
    assert isinstance(entries, Entries)
    target = CROWD * 2
    # The premise: every key of each of the query's words, and every typo key of them,
    # lists other names, not this one.
    asked = prepare(query)
    for key in asked.all_keys():
        postings = entries.get(key)
        if not key.startswith("w:"):
            assert not isinstance(postings, Postings) or target not in postings.ids, key
    for word in (first, second):
        for key in token_keys(word.lower()):
            postings = entries.get(key)
            assert isinstance(postings, Postings) and postings.size > MAX_POSTINGS

    result = resolve_explained(table_client(table), query)
    assert result["candidates"][0]["id"] == TARGET
    assert result["match"] is not None and result["match"]["id"] == TARGET


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
