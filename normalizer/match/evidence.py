"""What one candidate's alignment found, measured against the table: the calibration's input.

A score of word similarities alone means less as the table grows: among a million names,
some other name is always close. So the calibrated score (``calibration``) weighs how much
of the names was found and how (as written, respelled, by a typo, only alike), how rare
what was found is compared with the table's size (its information, ``log`` of the number
of names), what was left over on either side, and how far the candidate leads the next
entity. Word weights are their rarity in the table (IDF); a query word the table lacks is
as rare as a word can be.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from normalizer.match.pairing import Pair
from normalizer.match.scoring import Alignment
from normalizer.table.records import AliasRecord
from normalizer.text.normalize import Analysis

# The features, in the order the calibration model reads them.
FEATURES = (
    "similarity",  # the alignment's score
    "lead",  # over the best other entity's similarity (one only weakly alike aside)
    "evidence",  # the found words' weight, over the table's information
    "exact",  # ... of words found as written (or abbreviated, or as a number)
    "sound",  # ... respelled alike, or a nickname
    "typo",  # ... with one edit, or written as one word, or as initials
    "fuzzy",  # ... only alike (Jaro-Winkler, vowels)
    "transliteration",  # ... alike once transcribed from another script
    "query_unmatched",  # the weight of query words left over
    "alias_unmatched",  # the weight of alias words left over
    "conflict",  # the lesser of the two, or a clash: one name word in place of another
    "weak_share",  # the share of the found weight only weakly alike
    "worst",  # the least similarity of a pair of name words
    "transcribed",  # the query was written in another script
    "literal",  # the query writes the alias's words, in any order
    "one_word",  # the query is one name word
    "acronym",  # the query is the alias's acronym
    "table_size",  # the table's information (log of its names), over ten
)
# A weight beyond twice the table's information adds nothing: long names are not surer.
CEILING = 2.0
# A pair at most this alike is a weak one (a Jaro-Winkler or transcription likeness).
WEAK_SIMILARITY = 0.88
_EXACT = frozenset({"exact", "abbreviation", "number"})
_SOUND = frozenset({"phonetic", "nickname", "ocr", "transcription"})
_TYPO = frozenset({"typo", "compound", "acronym", "initial"})
_WEAK = frozenset({"fuzzy", "transliteration"})
_LITERAL = frozenset({"exact", "normalized", "reordered"})


def features(
    query: Analysis,
    weights: Sequence[float],
    record: AliasRecord,
    alignment: Alignment,
    similarity: float,
    method: str,
    lead: float,
    transcribed: int,
    table_size: int,
) -> tuple[float, ...]:
    """The candidate's features, in FEATURES order."""
    information = math.log(table_size + 1)

    def weight_of_query(i: int) -> float:
        return weights[i] or information

    found = dict.fromkeys(("exact", "sound", "typo", "fuzzy", "transliteration"), 0.0)
    total = weak = 0.0
    worst = 1.0
    for pair in alignment.pairs:
        if pair.alias and all(record.optional[i] for i in pair.alias):
            continue  # a title or a legal form says nothing about who
        weight = _weight(pair, record, weight_of_query)
        total += weight
        worst = min(worst, pair.similarity)
        found[_kind(pair)] += weight if pair.how in _EXACT | _SOUND else weight * pair.similarity
        if pair.how in _WEAK and pair.similarity < WEAK_SIMILARITY:
            weak += weight
    used_query = {i for pair in alignment.pairs for i in pair.query}
    used_alias = {i for pair in alignment.pairs for i in pair.alias}
    query_left = sum(
        weight_of_query(i)
        for i in range(len(query.tokens))
        if i not in used_query and not query.optional[i]
    )
    clash = sum(weight_of_query(i) for i in alignment.clash)
    alias_left = sum(
        record.weights[i]
        for i in range(len(record.tokens))
        if i not in used_alias and not record.optional[i]
    )

    def share(value: float) -> float:
        return min(value / information, CEILING)

    return (
        similarity,
        lead,
        share(total),
        share(found["exact"]),
        share(found["sound"]),
        share(found["typo"]),
        share(found["fuzzy"]),
        share(found["transliteration"]),
        share(query_left),
        share(alias_left),
        max(min(share(query_left), share(alias_left)), share(clash)),
        weak / total if total else 0.0,
        worst,
        float(bool(transcribed)),
        float(method in _LITERAL),
        float(len(query.core) == 1),
        float(method == "acronym"),
        information / 10.0,
    )


def only_weakly_alike(alignment: Alignment | None, record: AliasRecord | None) -> bool:
    """Whether every pair of an alignment is only weakly alike (Jaro-Winkler or a
    transcription's consonants, under WEAK_SIMILARITY): what any name finds in a big table."""
    if alignment is None or record is None:
        return False
    named = [
        pair
        for pair in alignment.pairs
        if not (pair.alias and all(record.optional[i] for i in pair.alias))
    ]
    return bool(named) and all(
        pair.how in _WEAK and pair.similarity < WEAK_SIMILARITY for pair in named
    )


def _weight(pair: Pair, record: AliasRecord, weight_of_query: Callable[[int], float]) -> float:
    """A pair's weight: its alias words' rarity; a word found in another name of the entity
    (no alias word) half its own."""
    if pair.alias:
        return float(sum(record.weights[i] for i in pair.alias))
    return 0.5 * sum(weight_of_query(i) for i in pair.query)


def _kind(pair: Pair) -> str:
    if pair.how in _EXACT:
        return "exact"
    if pair.how in _SOUND:
        return "sound"
    if pair.how == "fuzzy":
        return "fuzzy"
    if pair.how == "transliteration":
        return "transliteration"
    return "typo"
