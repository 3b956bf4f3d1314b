"""Pair keys: two words' skeletons together find a name whose every own key is too common
for its postings to list it (``table.shard.MAX_POSTINGS``), wherever the table lists it."""

from __future__ import annotations

from pathlib import Path

from crowds import LAST, compiled, crowded_table, listing
from explained import resolve_explained, table_client

from normalizer.aliases.load import load_path
from normalizer.match.query import prepare
from normalizer.match.second_fetch import NEAR_PAIR_WEIGHT, near_pair_keys
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


def _crowded_table(path: Path, given: str = "Henrik", surname: str = "Rosse") -> Path:
    """Many men named ``given``, many surnamed ``surname``, and a man of both names listed
    last (his id is p{LAST}); none of the others sounds like either."""
    return crowded_table(path, given, surname)


def test_a_name_of_common_words_listed_last_is_found_by_its_pair_key(tmp_path: Path) -> None:
    table = _crowded_table(tmp_path / "crowded.yml")
    entries = compile_table(load_path(table)).entries
    assert isinstance(entries, Entries)
    target = LAST  # the last alias
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


def test_words_left_out_of_the_core_are_not_paired() -> None:
    """A title or a particle names no one: the table pairs a name's core words, and the
    query asks for those pairs alone."""
    query = prepare("General Henrik al Rosse")
    assert {key for key in query.keys if key.startswith("p:")} == {"p:nrk rs"}
    assert pair_keys([["k:nrk"], [], ["k:rs"]]) == {"p:nrk rs": (0, 2)}


def _entries_of(table: Path, text: str) -> Entries:
    """The compiled keys of a table of these alias file lines, written to ``table``."""
    table.write_text(text, encoding="utf-8")
    entries = compile_table(load_path(table)).entries
    assert isinstance(entries, Entries)
    return entries


def test_only_persons_names_are_paired(tmp_path: Path) -> None:
    entries = _entries_of(
        tmp_path / "two.yml",
        "- id: firm\n  name: Henrik Rosse Trading\n  type: organization\n"
        "- id: man\n  name: Henrik Rosse\n  type: person\n",
    )
    assert sorted(key for key in entries if key.startswith("p:")) == ["p:nrk rs"]
    paired = entries.get("p:nrk rs")
    assert isinstance(paired, Postings) and paired.ids == (1,)  # the man's name alone


# A Japanese writing of an invented "Henrik Lozick": its surname's skeleton (rck) is one
# letter from the Latin one's (rsk), as a transcription's often is.
_NEAR_QUERY = "ヘンリク・ロージック"


def test_a_transcribed_name_is_found_by_a_pair_one_edit_off(tmp_path: Path) -> None:
    table = _crowded_table(tmp_path / "crowded.yml", surname="Lozick")
    entries = compiled(table)
    target = LAST
    query = prepare(_NEAR_QUERY)
    # The premise: no key the query asks lists the name; the table's pair of its two words
    # is one skeleton letter off the query's pairs.
    assert listing(entries, query.all_keys()) == []
    paired = entries.get("p:nrk rsk")
    assert isinstance(paired, Postings) and paired.ids == (target,)
    assert "p:nrk rsk" not in query.keys

    found = {key: value for key in query.all_keys() if (value := entries.get(key)) is not None}
    assert set(near_pair_keys(query, found)["p:nrk rsk"]) == {
        (0, NEAR_PAIR_WEIGHT),
        (1, NEAR_PAIR_WEIGHT),
    }
    result = resolve_explained(table_client(table), _NEAR_QUERY)
    assert result["candidates"][0]["id"] == f"p{target}"


def test_near_pairs_are_asked_only_where_a_word_lists_some_of_its_aliases(
    tmp_path: Path,
) -> None:
    """Where every key lists all its aliases, each says what it can: no pair is needed."""
    table = tmp_path / "few.yml"
    entries = _entries_of(
        table,
        "- id: one\n  name: Henrik Lozick\n  type: person\n"
        "- id: two\n  name: Henrik Ibsen\n  type: person\n",
    )
    query = prepare(_NEAR_QUERY)
    found = {key: value for key in query.all_keys() if (value := entries.get(key)) is not None}
    assert "k:rsk" in found  # the surname one edit off, listed whole
    assert near_pair_keys(query, found) == {}
    result = resolve_explained(table_client(table), _NEAR_QUERY)
    assert result["candidates"][0]["id"] == "one"


def test_a_latin_query_asks_no_near_pairs() -> None:
    """A Latin name's typo keys are its spelling's, not its skeleton's: it has none."""
    query = prepare("Henrik Lozack")
    assert near_pair_keys(query, dict.fromkeys(query.all_keys(), Postings(999, (1,)))) == {}
