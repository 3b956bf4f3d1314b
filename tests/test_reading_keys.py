"""A Latin word is indexed by its skeletons as its own language reads it (``v:`` keys,
normalizer.text.keys.reading_keys): Stockwell's w as a v is what Hebrew and Arabic write.
A query from another script asks them; a Latin query, which writes the letters, does not.

Invented names (never the benchmark's), through the app on a table where every other key
of the name lists only the first of its aliases.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path

from explained import decided, table_client

from normalizer.match.query import prepare
from normalizer.table.shard import MAX_POSTINGS
from normalizer.text.keys import reading_keys, skeleton_key

# Words of a big table none of which is alike the name asked: syllables of m, n, l, r, p,
# b, d, g.
_WORDS = [
    (first + middle + last).title()
    for first, middle, last in product(
        ("ma", "ne", "lo", "ru", "pa", "de"),
        ("di", "go", "le", "ba", "nu"),
        ("mo", "ren", "nal", "dup", "gib", "lom", "par", "neb", "rud", "mig", "lar", "bon"),
    )
]


def test_a_word_has_a_key_for_each_way_its_language_reads_it() -> None:
    keys = reading_keys("stockwell")
    assert "v:stkbr" in keys  # w as v
    assert skeleton_key("stockwell") == "k:stkr"  # its own: the w unwritten
    assert not {key for key in keys if not key.startswith("v:")}


def test_a_word_with_no_letter_read_otherwise_has_none() -> None:
    assert reading_keys("stocker") == ()


def test_a_query_from_another_script_asks_its_skeleton_as_a_reading() -> None:
    assert "v:stkbr" in prepare("אוטה סטוקוול").keys
    assert not [key for key in prepare("Ute Stokvel").keys if key.startswith("v:")]


def test_a_name_found_only_as_its_language_reads_it(tmp_path: Path) -> None:
    """Ute's keys, and the skeleton Stockwell has as written, list their first aliases
    only: the Hebrew's skeleton, Stockwell with its w read as v, finds the name alone."""
    assert len(set(_WORDS)) > MAX_POSTINGS
    common = [f"Ute {word}" for word in _WORDS] + [f"{word} Stocker" for word in _WORDS]
    lines = [f"- {{id: common-{i}, name: {name}, type: person}}" for i, name in enumerate(common)]
    table = tmp_path / "crowded.yml"
    table.write_text(
        "\n".join([*lines, "- {id: ute-stockwell, name: Ute Stockwell, type: person}"])
    )
    client = table_client(table)
    assert decided(client, "אוטה סטוקוול")[0] == "ute-stockwell"
