"""A Hebrew word's first vowel is carried by א, which ``translit`` reads as a: the query
also asks the keys of the word read without it (``text.hebrew.carried_first_vowels``), as
the letter-by-letter comparison already allows.

Invented names (never the benchmark's), through the app on a table where the surname's
keys list only the first of their aliases.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

from explained import decided, table_client

from normalizer.match.query import prepare
from normalizer.table.shard import MAX_POSTINGS
from normalizer.text.hebrew import carried_first_vowels

# Given names of a big table none of which is alike the one asked.
_GIVEN = [
    (first + middle + last).title()
    for first, middle, last in product(
        ("mal", "ned", "lom", "rud", "pag", "deb", "gim", "bel"),
        ("di", "go", "le", "ba", "nu", "mi", "pe"),
        ("mo", "ren", "nal", "dup", "gib", "lom"),
    )
]


def test_a_first_alef_before_a_vowel_letter_is_read_as_that_vowel() -> None:
    assert carried_first_vowels("aura") == ("ura", "ora")
    assert carried_first_vowels("aila") == ("ila", "ela")
    # An alef before a consonant, or a word of other letters, is read as it is.
    assert carried_first_vowels("abra") == ()
    assert carried_first_vowels("mira") == ()


def test_only_a_hebrew_query_asks_the_readings() -> None:
    assert "t:ora" in prepare("אורה סטוקר").keys
    assert "t:ora" not in prepare("Aura Stocker").keys


def test_a_name_found_only_by_its_first_vowel_read_without_alef(tmp_path: Path) -> None:
    """Ora's own keys (o, not the א's a) find her; Stocker's list others first."""
    assert len(_GIVEN) > MAX_POSTINGS
    lines = [
        f"- {{id: common-{i}, name: {name} Stocker, type: person}}" for i, name in enumerate(_GIVEN)
    ]
    table = tmp_path / "crowded.yml"
    table.write_text("\n".join([*lines, "- {id: ora-stocker, name: Ora Stocker, type: person}"]))
    assert decided(table_client(table), "אורה סטוקר")[0] == "ora-stocker"
