"""table/near_keys.py: a query word's typo keys that a table has, found from the patterns of
the table's keys. The oracle is the plain way: every typo variant, kept if the table has it.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from test_keys import LETTERS, apply_edit

from normalizer.service import build_table
from normalizer.store.memory import MemoryStore
from normalizer.table.near_keys import NearKeys
from normalizer.text.keys import typo_keys
from normalizer.text.normalize import analyze
from normalizer.text.phonetics import skeleton, spelling_fold

_EDIT = st.tuples(st.integers(0, 3), st.integers(0, 12), st.sampled_from(LETTERS))


def _oracle(keys: set[str], token: str, transcribed: bool) -> frozenset[str]:
    return typo_keys(token, transcribed) & keys


@given(
    st.text(alphabet=LETTERS, min_size=2, max_size=12),
    st.lists(_EDIT, max_size=12),
    st.lists(st.text(alphabet="abdk", min_size=1, max_size=8), max_size=8),
    st.booleans(),
    st.booleans(),
)
def test_the_typo_keys_found_are_those_the_table_has(
    word: str,
    edits: list[tuple[int, int, str]],
    others: list[str],
    listed: bool,
    transcribed: bool,
) -> None:
    # A table of the word's neighbours (near ones share its patterns), unrelated keys, and
    # maybe the word itself, whose own patterns then tell nothing.
    folded, consonants = spelling_fold(word), skeleton(word, hard_g=True)
    keys = {"f:" + apply_edit(folded, *edit) for edit in edits}
    keys |= {"k:" + apply_edit(consonants, *edit) for edit in edits[::2]}
    keys |= {prefix + other for other in others for prefix in ("f:", "k:", "t:")}
    if listed:
        keys |= {"f:" + folded, "k:" + consonants}
    assert NearKeys(keys).typo_keys(word, transcribed) == _oracle(keys, word, transcribed)


def test_a_word_listed_finds_its_listed_neighbours_only() -> None:
    keys = {"f:morena", "f:moreno", "f:morenas", "f:oreno", "f:merino"}
    near = NearKeys(keys)
    assert near.typo_keys("moreno", False) == {"f:morena", "f:oreno"}
    assert near.typo_keys("morino", False) == {"f:moreno", "f:merino"}
    assert NearKeys({"f:moreno"}).typo_keys("moreno", False) == frozenset()


def test_every_name_of_a_table_and_its_typos_find_what_the_oracle_finds(
    alias_file: Path,
) -> None:
    table = build_table(alias_file)
    keys = set(table.entries)
    near = NearKeys(keys)
    tokens = {token for key in keys if key.startswith("t:") for token in analyze(key[2:]).tokens}
    words = tokens | {apply_edit(token, kind, 3, "e") for token in tokens for kind in range(4)}
    found = 0
    for word in sorted(words):
        for transcribed in (False, True):
            expected = _oracle(keys, word, transcribed)
            assert near.typo_keys(word, transcribed) == expected, word
            found += len(expected)
    assert found > len(tokens)  # the table's words have neighbours in it: the test bites


def test_each_published_table_brings_its_own_near_keys(alias_file: Path, tmp_path: Path) -> None:
    store = MemoryStore()
    store.publish(build_table(alias_file))
    before = store.view()
    edited = tmp_path / "edited.yml"
    entry = "\n- id: tolbarin-venkadom\n  name: Tolbarin Venkadom\n  type: person\n"
    edited.write_text(alias_file.read_text(encoding="utf-8") + entry, encoding="utf-8")
    store.publish(build_table(edited))
    typo = "venkaodm"  # two letters swapped: its fold is one edit from the new name's
    assert "f:benkadom" in store.view().near_keys.typo_keys(typo, False)
    # The view a lookup pinned before keeps its own table's keys.
    assert before.near_keys.typo_keys(typo, False) == frozenset()
