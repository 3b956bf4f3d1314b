"""Reading a Latin word as another script writes foreign names, for ``text.arabic``,
``text.hebrew`` and ``text.katakana``: each names what the letters of a Latin word may be
written as (rules), and this module walks a Latin word through them against a romanized
query word.

A rule is a pattern of Latin letters and what the script may write for it, as
``translit`` reads that back ("" for not written). Longer patterns are tried first, and
each span may also be read by the patterns that match less of it (a diphthong letter by
letter), so every way of writing the word is tried, each counting the vowels it leaves
unwritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Convention:
    """A script's way of writing foreign names, as the matcher asks it: whether a romanized
    query word writes a Latin alias word so, and a quick grouping of alias words under
    keys (``alias_keys``) of which a query word's partners all share its one key
    (``query_key``), so that likeness asks only those."""

    written_alike: Callable[[str, str], bool]
    alias_keys: Callable[[str], Iterable[str]]
    query_key: Callable[[str], str]


# Where a pattern that matches ``alias`` at a position ends, and what it may be written as.
Options = list[tuple[int, tuple[str, ...]]]


class Rules:
    """What the letters of a Latin word may be written as: patterns of Latin letters, each
    with its writings."""

    def __init__(self, *rules: tuple[str, tuple[str, ...]]) -> None:
        self.written = dict(rules)
        self.longest = max(map(len, self.written))

    def at(self, alias: str, at: int) -> Options:
        """The patterns that match ``alias`` at ``at``, longest first: where each ends, and
        what it may be written as. A letter no rule names is written as itself."""
        found = [
            (at + size, self.written[alias[at : at + size]])
            for size in range(min(self.longest, len(alias) - at), 0, -1)
            if alias[at : at + size] in self.written
        ]
        return found or [(at + 1, (alias[at],))]


def comparable(query: str, alias: str, romanization: re.Pattern[str], shortest: int) -> bool:
    """Whether the query word may be a romanization of the script (``romanization`` reads
    all of it) of at least ``shortest`` letters, and the alias word a Latin one."""
    return (
        len(query) >= shortest
        and alias.isalpha()
        and alias.isascii()
        and romanization.fullmatch(query) is not None
    )


def consume(query: str, at: int, written: str) -> int | None:
    """Where the query word is after ``written`` is read from ``at``, or None if it
    differs. A letter written again just after itself is the same letter (a doubled
    consonant is written once), unless the query word has it twice there."""
    for letter in written:
        if at and query[at - 1] == letter and (at >= len(query) or query[at] != letter):
            continue
        if at < len(query) and query[at] == letter:
            at += 1
        else:
            return None
    return at


def reached(
    query: str,
    alias: str,
    options_at: Callable[[str, int], Options],
    counted: Callable[[str, int], bool],
    max_unwritten: int,
) -> set[int]:
    """The positions in the query word the whole alias word may reach, written by
    ``options_at``, leaving at most ``max_unwritten`` of the letters ``counted`` says count
    unwritten (written as nothing)."""
    # For each prefix of the alias: the query positions reached, each with the number of
    # counted letters left unwritten on the way.
    states: list[set[tuple[int, int]]] = [set() for _ in range(len(alias) + 1)]
    states[0].add((0, 0))
    for at in range(len(alias)):
        if not states[at]:
            continue
        counts = counted(alias, at)
        for end, written_as in options_at(alias, at):
            for position, unwritten in states[at]:
                for written in written_as:
                    more = unwritten + (counts and not written)
                    after = consume(query, position, written)
                    if after is not None and more <= max_unwritten:
                        states[end].add((after, more))
    return {position for position, _ in states[len(alias)]}
