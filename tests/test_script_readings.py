"""Letters another script writes for a Latin name, read back as the name has them: a query
also asks the keys of its word so read, as the letter-by-letter comparison already reads it.

- A Hebrew word's first vowel is carried by א, which ``translit`` reads as a
  (``text.hebrew.carried_first_vowels``).
- Arabic has no v and writes one as ف, which ``translit`` reads as f
  (``text.arabic.v_reading``).

Invented names (never the benchmark's), through the app on a table where the surname's
keys list only the first of their aliases: a short given name, which no skeleton key
finds, is found only by these.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

from explained import decided, table_client

from normalizer.match.query import prepare
from normalizer.table.shard import MAX_POSTINGS
from normalizer.text.arabic import v_reading
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


def test_an_f_from_arabic_is_also_read_as_v() -> None:
    assert v_reading("ifu") == "ivu"
    assert v_reading("stukr") is None
    assert "f:ibo" in prepare("إيفو ستوكر").keys  # Ivo's fold: its v is b
    assert "f:ibo" not in prepare("Ifu Stocker").keys


def crowded_table(folder: Path, name: str) -> Path:
    """``name`` beside many other given names of the surname Stocker, whose keys list
    only the first of them: the given name's keys alone can find it."""
    assert len(_GIVEN) > MAX_POSTINGS
    lines = [
        f"- {{id: common-{i}, name: {given} Stocker, type: person}}"
        for i, given in enumerate(_GIVEN)
    ]
    table = folder / "crowded.yml"
    table.write_text("\n".join([*lines, f"- {{id: wanted, name: {name}, type: person}}"]))
    return table


def test_a_name_found_only_by_its_first_vowel_read_without_alef(tmp_path: Path) -> None:
    """Ora's own keys (o, not the א's a) find her."""
    client = table_client(crowded_table(tmp_path, "Ora Stocker"))
    assert decided(client, "אורה סטוקר")[0] == "wanted"


def test_a_name_found_only_by_its_f_read_as_v(tmp_path: Path) -> None:
    """Ivo's own keys (v, not the ف's f) find him."""
    client = table_client(crowded_table(tmp_path, "Ivo Stocker"))
    assert decided(client, "إيفو ستوكر")[0] == "wanted"
