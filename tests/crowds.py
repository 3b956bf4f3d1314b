"""A crowded table: many names with one word, many with another, and one name of both
listed last, so that every key of either word lists other names and not that one
(``table.shard.MAX_POSTINGS``)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import product
from pathlib import Path

from normalizer.aliases.load import load_path
from normalizer.table.compiler import compile_table
from normalizer.table.packed import Entries
from normalizer.table.records import Postings
from normalizer.table.shard import MAX_POSTINGS

# Invented syllables: no name made of them sounds like the words the tests crowd.
_SYLLABLES = "ba do fu gi lo mu pe ta vi zo".split()
_OTHERS = ["".join(parts).capitalize() for parts in product(_SYLLABLES, repeat=3)]
CROWD = MAX_POSTINGS + 20
# The alias id (and, as "p{LAST}", the entity id) of the name of both words.
LAST = CROWD * 2


def crowded_table(path: Path, first: str, second: str, kind: str = "person") -> Path:
    """Names "{first} X" and "X {second}", CROWD of each, then "{first} {second}", written
    to ``path`` as entities p0, p1, ... of ``kind``."""
    names = [f"{first} {other}" for other in _OTHERS[:CROWD]]
    names += [f"{other} {second}" for other in _OTHERS[-CROWD:]]
    names.append(f"{first} {second}")
    path.write_text(
        "".join(
            f"- id: p{number}\n  name: {name}\n  type: {kind}\n"
            for number, name in enumerate(names)
        ),
        encoding="utf-8",
    )
    return path


def compiled(table: Path) -> Entries:
    """The compiled keys of the alias file ``table``."""
    entries = compile_table(load_path(table)).entries
    assert isinstance(entries, Entries)
    return entries


def listing(entries: Entries, keys: Iterable[str], alias: int = LAST) -> list[str]:
    """Those of ``keys`` whose postings list ``alias``."""
    return [
        key
        for key in keys
        if isinstance(postings := entries.get(key), Postings) and alias in postings.ids
    ]
