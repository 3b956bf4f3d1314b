"""Pair keys: two words' skeletons together find a name whose every own key is too common
for its postings to list it (``table.shard.MAX_POSTINGS``), wherever the table lists it."""

from __future__ import annotations

from itertools import product
from pathlib import Path

from explained import resolve_explained, table_client

from normalizer.aliases.load import load_path
from normalizer.table.compiler import compile_table
from normalizer.table.packed import Entries
from normalizer.table.records import Postings
from normalizer.table.shard import MAX_POSTINGS
from normalizer.text.keys import MAX_PAIRED_WORDS, pair_keys, token_keys


def test_pair_keys_pair_each_two_words_skeletons_sorted_with_their_places() -> None:
    assert pair_keys([["k:nrk"], ["k:rs", "k:rt"], []]) == {
        "p:nrk rs": (0, 1),
        "p:nrk rt": (0, 1),
    }
    # Sorted: the same key whichever word comes first.
    assert pair_keys([["k:rs"], ["k:nrk"]]) == {"p:nrk rs": (0, 1)}


def test_pair_keys_pair_only_the_first_words() -> None:
    words = [[f"k:{letter}{letter}"] for letter in "bcdfgjklm"]
    places = set(pair_keys(words).values())
    assert len(places) == MAX_PAIRED_WORDS * (MAX_PAIRED_WORDS - 1) // 2
    assert max(j for _, j in places) == MAX_PAIRED_WORDS - 1


# Invented names: none sounds like "rosse" or "henrik" (checked below).
_SYLLABLES = "ba do fu gi lo mu pe ta vi zo".split()
_OTHERS = ["".join(parts).capitalize() for parts in product(_SYLLABLES, repeat=3)]
CROWD = MAX_POSTINGS + 20


def _crowded_table(path: Path) -> Path:
    """Many men named Henrik, many surnamed Rosse, and Henrik Rosse listed last."""
    people = [f"Henrik {other}" for other in _OTHERS[:CROWD]]
    people += [f"{other} Rosse" for other in _OTHERS[-CROWD:]]
    people.append("Henrik Rosse")
    path.write_text(
        "".join(
            f"- id: p{number}\n  name: {name}\n  type: person\n"
            for number, name in enumerate(people)
        ),
        encoding="utf-8",
    )
    return path


def test_a_name_of_common_words_listed_last_is_found_by_its_pair_key(tmp_path: Path) -> None:
    table = _crowded_table(tmp_path / "crowded.yml")
    entries = compile_table(load_path(table)).entries
    assert isinstance(entries, Entries)
    target = CROWD * 2  # the last alias
    # The premise: every key of both words lists other names, not this one.
    for key in token_keys("henrik") | token_keys("rosse"):
        postings = entries.get(key)
        assert isinstance(postings, Postings)
        assert postings.size > MAX_POSTINGS and target not in postings.ids
    paired = entries.get("p:nrk rs")
    assert isinstance(paired, Postings) and paired.ids == (target,)

    # Respelled: no whole-name key, each word's keys those of the crowd's.
    result = resolve_explained(table_client(table), "Henrick Rose")
    assert result["candidates"][0]["id"] == f"p{target}"
