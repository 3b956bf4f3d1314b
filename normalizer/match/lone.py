"""When one word alone stands for an entity.

A one-word query is the hardest to decide: a given name names no one, a common surname
many, and a one-word name of the table is a name of its own. These rules say when the
word stands for the candidate ("Lopez" for a Josué López Velázquez does not, however the
calibration scores it), when it names no one entity because another entity's name has it
as written, and when it is the family name of one person and of no other name in the
table, which the calibration doubts as the table grows although nothing competes.
"""

from __future__ import annotations

import math

from normalizer.aliases.model import PERSON_TYPES
from normalizer.match.results import Candidate
from normalizer.match.scoring import Alignment
from normalizer.table.records import AliasRecord, Postings
from normalizer.text.normalize import Analysis, analyze

# A lone word of a longer name stands for its entity only if it is this rare in the table
# (one name in a thousand or less); a one-word alias is always a name of its own.
LONE_WORD_RARITY = math.log(1000)


def _one_name_word(analysis: Analysis) -> int | None:
    """Where the query's one name word is, if it has one and no other (its optional words
    aside: "Al-Rahim" is one name word)."""
    if sum(not optional for optional in analysis.optional) != 1:
        return None
    return analysis.optional.index(False)


def lone_common_word(alignment: Alignment, record: AliasRecord, alone: bool) -> bool:
    """The query is one word of a longer name of the alias's, a word not rare enough in
    the table to stand for it ("Lopez" for a Josué López Velázquez), or a person's given
    name alone, which never does ("Maren" for a Maren Oldfield, however rare; with a title,
    as in "Haji Maren", it may). ``alone``: the query is that one word, nothing else."""
    pairs = [pair for pair in alignment.pairs if pair.alias]
    if len(pairs) != 1 or sum(1 for optional in record.optional if not optional) < 2:
        return False
    (pair,) = pairs
    if len(pair.query) != 1:
        return False
    if len(pair.alias) > 1 and all(opt or i in pair.alias for i, opt in enumerate(record.optional)):
        return False  # the whole name written as one word ("AnaRuiz"), not one of its words
    if alone and record.entity_type in PERSON_TYPES and _given_name_at(record) in pair.alias:
        return True
    return max(record.weights[i] for i in pair.alias) < LONE_WORD_RARITY


def _given_name_at(record: AliasRecord) -> int:
    """Where a person's name has its given name: its first name word (after a title), or
    the first after the comma of "SURNAME, Given". (A name written family name first, as
    Chinese and Korean names are, has its family name there: alone, it is as common as a
    given name.)"""
    surnames, comma, _ = record.text.partition(",")
    at = len(analyze(surnames).tokens) if comma else 0
    while at < len(record.optional) - 1 and record.optional[at]:
        at += 1
    return at


def lone_word_of_a_title(analysis: Analysis, candidate: Candidate) -> bool:
    """The query is one name word, and the candidate's name is a person's that the query
    writes only without its optional words ("Shaykh Liss" as "Liss"): the table
    does not list that word alone, so its writing it is no more than any lone word's
    sharing (the fast path of match.owned leaves such a name out likewise)."""
    record, alignment = candidate.record, candidate.alignment
    if record is None or alignment is None or record.entity_type not in PERSON_TYPES:
        return False
    if _one_name_word(analysis) is None:
        return False
    paired = {i for pair in alignment.pairs for i in pair.alias}
    return len(paired) < len(record.tokens)


def lone_word_shared(
    analysis: Analysis, ranked: list[Candidate], shortlisted: list[AliasRecord]
) -> bool:
    """The query is one name word, and a name of an entity other than the best candidate's
    has it as written ("Talvane" for an Emir Talvane beside a Corin Talvane; "Bettoni" for
    a one-word alias "Betoni" beside a Marco Bettoni): the word names no one entity, so it
    stands for none, however the calibration scores it. (A name the query writes whole
    is matched before this is asked, ``whole_literal``.) The names looked at are every
    alias shortlisted, ``shortlisted``, not only the candidates ranked: how many are
    ranked depends on the limit asked, and an answer must not. An acronym is no name word,
    unless a candidate person's given name is that word as written ("David" before a
    D-A-V-I-D organization's initials: a given name alone names no one)."""
    named = _one_name_word(analysis)
    if not ranked or named is None:
        return False
    top = ranked[0]
    if top.method == "acronym":
        return any(_given_name_written(named, other) for other in ranked[1:])
    word = analysis.tokens[named]
    return any(
        record.entity_id != top.id and not record.negative and word in record.tokens
        for record in shortlisted
    )


def _given_name_written(named: int, candidate: Candidate) -> bool:
    """Whether the query's word ``named`` is the candidate person's given name as written."""
    record, alignment = candidate.record, candidate.alignment
    if record is None or alignment is None or record.entity_type not in PERSON_TYPES:
        return False
    given = _given_name_at(record)
    return any(
        pair.how == "exact" and named in pair.query and given in pair.alias
        for pair in alignment.pairs
    )


def lone_surname_owned(
    analysis: Analysis,
    top: Candidate,
    found: dict[str, object],
    shortlisted: list[AliasRecord],
) -> bool:
    """The query is one name word that is the best candidate's family name as written
    (not a given name, nor a word between; an article with it only as the name writes
    it), rare in the table, and no name of another entity in the table has it
    ("Okonkwo-Baptiste" for a Delia Okonkwo-Baptiste, when she is the table's only
    one): the word stands for her. In a big table the calibration doubts any lone word,
    since a common one names many; this one names one. ``found``: the table's postings
    of the query's keys; ``shortlisted``: the aliases aligned, among which must be every
    alias listing the word."""
    named = _one_name_word(analysis)
    record, alignment = top.record, top.alignment
    if (
        named is None
        or record is None
        or alignment is None
        or record.entity_type not in PERSON_TYPES
    ):
        return False
    # Every word of the query written in the name, its article too ("Al-Azawi"): an
    # optional word left over may be a given name ("Al" of an "Al Kooper").
    written = {
        i for pair in alignment.pairs if pair.alias and pair.how == "exact" for i in pair.query
    }
    if len(written) < len(analysis.tokens):
        return False
    pairs = [pair for pair in alignment.pairs if named in pair.query]
    if len(pairs) != 1 or pairs[0].query != (named,):
        return False
    (pair,) = pairs
    if not pair.alias or not set(pair.alias) <= _surname_at(record):
        return False
    if max(record.weights[i] for i in pair.alias) < LONE_WORD_RARITY:
        return False
    return listed_only_by(found.get("t:" + analysis.tokens[named]), top.id, shortlisted)


def listed_only_by(postings: object, entity_id: str, shortlisted: list[AliasRecord]) -> bool:
    """Whether a key's postings list every alias they count (not a common key's first few),
    and each is a shortlisted alias of ``entity_id``: no other entity's name has the key."""
    if not isinstance(postings, Postings) or postings.size != len(postings.ids):
        return False
    own = {record.alias_id for record in shortlisted if record.entity_id == entity_id}
    return own.issuperset(postings.ids)


def _surname_at(record: AliasRecord) -> set[int]:
    """Where a person's name has its family name: the words before the comma of "SURNAME,
    Given", else its last name word. (A name written family name first, as Chinese and
    Korean names are, has a given name there: such a name's words are rarely one
    person's alone.)"""
    surnames, comma, _ = record.text.partition(",")
    if comma:
        return set(range(len(analyze(surnames).tokens)))
    named = [i for i, optional in enumerate(record.optional) if not optional]
    return set(named[-1:])
