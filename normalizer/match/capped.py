"""The caps on an alignment's score where the query is too little to go on: one word only
like the alias's (a typo? another name?), or too few letters found; and the one-word
queries that are a whole name for all that."""

from __future__ import annotations

from normalizer.match.pairing import Pair
from normalizer.table.records import AliasRecord
from normalizer.text.normalize import Analysis
from normalizer.text.phonetics import one_edit

# One query word only like another (a typo? another name?) is weak evidence on its own.
SINGLE_WORD_FUZZY_CAP = 0.78
# ... unless one letter differs from a whole one-word alias of at least this many letters.
ONE_WORD_LENGTH = 6


def capped(score: float, query: Analysis, record: AliasRecord, pairs: list[Pair]) -> float:
    """The score, capped when the query is too little to go on: one word only like the
    alias's, or too few letters found."""
    if len(query.core) == 1 and not {p.how for p in pairs} & {"exact", "phonetic"}:
        if not _one_letter_apart(query, record, pairs) and not _written_together(
            query, record, pairs
        ):
            score = min(score, SINGLE_WORD_FUZZY_CAP)
    tokens = query.tokens
    if sum(len(tokens[i]) for p in pairs for i in p.query if not query.optional[i]) < 4:
        # "LA B", "K.": too few letters to tell anyone apart.
        score = min(score, SINGLE_WORD_FUZZY_CAP)
    return score


def _one_letter_apart(query: Analysis, record: AliasRecord, pairs: list[Pair]) -> bool:
    """The query is one word, a one-word alias with one letter written another way, or
    two neighbours typed in the wrong order, long enough to be a name rather than a
    coincidence ("Tokala" or "Tokaol" for the nickname "Tokalo"). Among shorter words one
    letter often makes another name ("Karim", "Karin"), and so does a letter more or less
    at any length ("Petrov", "Petrova")."""
    core = [i for i, optional in enumerate(record.optional) if not optional]
    if len(core) != 1 or len(pairs) != 1 or pairs[0].alias != (core[0],):
        return False
    word, alias_word = query.tokens[pairs[0].query[0]], record.tokens[core[0]]
    if len(pairs[0].query) != 1 or len(word) != len(alias_word) or len(word) < ONE_WORD_LENGTH:
        return False
    # Of the same length, one edit is a letter substituted or two neighbours swapped.
    return one_edit(word, alias_word)


def _written_together(query: Analysis, record: AliasRecord, pairs: list[Pair]) -> bool:
    """The query is one word, the alias's name words written together without their
    spaces ("AnaRuiz" for Ana Ruiz, as a handle or a hashtag writes a name), or with one
    typo (the space typed as a letter, "AnaxRuiz"): a whole name, as alike as the words
    apart with that typo would be, not one word alike another."""
    core = tuple(i for i, optional in enumerate(record.optional) if not optional)
    if len(core) < 2 or len(pairs) != 1 or pairs[0].alias != core:
        return False
    word = query.tokens[pairs[0].query[0]]
    together = "".join(record.tokens[i] for i in core)
    return word == together or one_edit(word, together)
