"""Query words that stand where the entity has another given name: a relative, a namesake.

An alias that covers only part of a person's name (the surnames alone) leaves the query's
other words unmatched, and an unmatched word may merely be a name the table lacks. But when
another name of the same entity, aligned with the query, shows a given name of its own in
that very place, which the query's word is not (not as written, respelled, with a typo, as
an initial or a nickname, nor even only a little alike: those pair), the query names
someone else who shares the rest: a brother with the same surnames, a namesake. That is
evidence against the entity (scoring counts the word as in a partial match), not merely an
absence of evidence for it.

The place of an unmatched word is the number of words paired before it, on its side of an
alignment whose pairs come in order. A given name's place is before the words paired, or
after them in a name written "SURNAME, Given" (as sanctions lists write names); a word
elsewhere (a tribe, a father's name) may be a name the query's source adds.

A given name of two words ("Abdul Ghani": Arabic "Abd al-" and a name of God) clashes
within one name: when its first word is paired alone and its second is not, the name
matched has another given name there, or none ("Abdul Zorbani" for "Abdul Ghani
Zorbani").
"""

from __future__ import annotations

from collections.abc import Sequence

from normalizer.aliases.model import PERSON_TYPES
from normalizer.match.pairing import Pair
from normalizer.match.scoring import Alignment
from normalizer.table.records import AliasRecord
from normalizer.text import tables
from normalizer.text.normalize import Analysis

Named = tuple[AliasRecord, Alignment]


def clashing(
    query: Analysis,
    transcribed: int,
    record: AliasRecord,
    alignment: Alignment,
    others: Sequence[Named],
) -> tuple[int, ...]:
    """The query positions, left unmatched by ``alignment`` of a person's name ``record``,
    that stand where one of ``others`` (the entity's other names, aligned with the same
    query) has a given name of its own that the query lacks. None for a query transcribed
    from another script (a word only poorly transcribed is not another name), nor for an
    organization (its words are not given names and surnames)."""
    if transcribed or record.negative or record.entity_type not in PERSON_TYPES:
        return ()
    paired = {i for pair in alignment.pairs for i in pair.query}
    left = [i for i in range(len(query.tokens)) if i not in paired and not query.optional[i]]
    if not left:
        return ()
    # A word alike a word of any name of the entity is no conflict.
    left = [i for i in left if not any(_found(i, other) for _, other in others)]
    alone = {pair.query[0] for pair in alignment.pairs if len(pair.query) == 1}
    found = [
        i
        for i in left
        if _second_of_compound(query.tokens, i, alone)
        or any(_in_place(i, paired, record, other) for record, other in others)
    ]
    return tuple(found)


def _second_of_compound(tokens: tuple[str, ...], position: int, alone: set[int]) -> bool:
    """Whether the word at ``position`` is the second of a given name of two words ("Abdul
    Ghani") whose first was paired alone: the name matched has another given name there
    ("Abdul Zorbani" for "Abdul Ghani Zorbani"), as a clash of places would find."""
    return (
        position > 0
        and position - 1 in alone
        and tokens[position - 1] in tables.compound_given_prefixes()
    )


def _paired(pairs: Sequence[Pair]) -> list[Pair]:
    """The pairs with a word of the name: alike at all, even only a little, is no clash."""
    return [p for p in pairs if p.alias]


def _found(position: int, alignment: Alignment) -> bool:
    return any(position in pair.query for pair in _paired(alignment.pairs))


def _in_place(position: int, known: set[int], record: AliasRecord, alignment: Alignment) -> bool:
    """Whether ``record`` has an unpaired name word where the query has ``position``, and
    the query has there no word ``known`` to be the entity's (paired by the alias matched):
    the name's word may be that one, written in a way the name does not pair."""
    pairs = sorted(_paired(alignment.pairs), key=lambda p: p.query[0])
    if not pairs:
        return False
    order = [p.alias[0] for p in pairs]
    if order != sorted(order):
        return False  # paired out of order: places do not correspond
    used_query = {i for p in pairs for i in p.query}
    used_alias = {i for p in pairs for i in p.alias}

    def place_of_query(i: int) -> int:
        return sum(1 for p in pairs if p.query[0] < i)

    place = place_of_query(position)
    # The given name's place: first, or last in a name written "SURNAME, Given".
    if place != (len(pairs) if "," in record.text else 0):
        return False
    if any(place_of_query(i) == place for i in known - used_query):
        return False
    for i in range(len(record.tokens)):
        if i in used_alias or record.optional[i]:
            continue
        if sum(1 for p in pairs if p.alias[0] < i) == place:
            return True
    return False
