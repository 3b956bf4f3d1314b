"""Names never seen before: one edit of a gallery name or alias, for speed benchmarks.

An edit substitutes a letter with a vowel or a common consonant, drops one, doubles one,
or swaps two adjacent characters (which may move a space), anywhere but the name's first
and last letter. Every name is distinct and none is a gallery name, so that no cache of
answers helps. Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from typing import Any

VOWELS = "aeiou"
COMMON_CONSONANTS = "nrstlmdk"
EDITS = ("substitute", "drop", "double", "swap")


def gallery_names(entities: Iterable[dict[str, Any]]) -> list[str]:
    """Every name and alias of the gallery, each once, in order."""
    names: dict[str, None] = {}
    for entity in entities:
        names[entity["name"]] = None
        for alias in entity.get("aliases", []):
            names[alias if isinstance(alias, str) else alias["name"]] = None
    return list(names)


def one_edit(name: str, rng: random.Random) -> str | None:
    """``name`` with one edit strictly inside it, or None if it is too short."""
    if len(name) < 4:
        return None
    at = rng.randrange(1, len(name) - 2)  # never the first or last character
    kind = rng.choice(EDITS)
    char = name[at]
    if kind == "substitute":
        pool = [c for c in VOWELS + COMMON_CONSONANTS if c != char.lower()]
        new = rng.choice(pool)
        return name[:at] + (new.upper() if char.isupper() else new) + name[at + 1 :]
    if kind == "drop":
        return name[:at] + name[at + 1 :]
    if kind == "double":
        return name[: at + 1] + char + name[at + 1 :]
    return name[:at] + name[at + 1] + char + name[at + 2 :]


def unseen(names: list[str], count: int, seed: int = 11) -> Iterator[tuple[str, str]]:
    """``count`` distinct one-edit names, each with the gallery name it came from."""
    rng = random.Random(seed)
    known = {name.lower() for name in names}
    made: set[str] = set()
    attempts = 0
    while len(made) < count:
        attempts += 1
        if attempts > 50 * count:
            raise ValueError(f"only {len(made)} unseen names could be made from the gallery")
        source = rng.choice(names)
        edited = one_edit(source, rng)
        if edited is None or edited.lower() in known or edited in made or not edited.strip():
            continue
        made.add(edited)
        yield edited, source
