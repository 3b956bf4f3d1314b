"""What makes a window's match a mention, and what proves, before any alignment, that a
window cannot become one.

A mention's match takes in the window's first and last words and stands for itself in prose
(see makes_mention). Both ask only what the alignment paired, the alias's words and the
match's method and type: so the most an alignment of an alias could pair (match.bounds.reach)
tells which aliases could ever make the window a mention. When no alias of its shortlist
could, the matcher leaves the window unaligned (Matcher.resolve_many's ``worth``), as it
does most of prose's capitalized phrases that name nothing. Exact: ``may_mention`` only
loosens ``makes_mention``, step by step (tests/test_annotate_bound.py checks the answers).
"""

from __future__ import annotations

import unicodedata

from normalizer.match.bounds import Reach
from normalizer.match.query import Query
from normalizer.match.results import Resolution
from normalizer.table.records import AliasRecord
from normalizer.text.normalize import analyze

# A one-word name found respelled or with a typo: no shorter ("week" sounds like "BJCC").
MIN_RESPELLED_WORD = 6


def makes_mention(written: str, resolution: Resolution) -> bool:
    """Whether the window ``written`` resolved so is a mention."""
    return _covers_its_edges(resolution) and _stands_for_itself(written, resolution)


def may_mention(query: Query, record: AliasRecord, reach: Reach) -> bool:
    """Whether ``record``, were it the window's match, could make a mention, its alignment
    pairing at most ``reach``: makes_mention asked of what any alignment could give."""
    tokens = query.analysis.tokens
    if not tokens:
        return False
    alias_words = record.tokens  # as compiled: the analysis of its text
    ends = {tokens[0], tokens[-1]}
    if not ({0, len(tokens) - 1} <= reach.query or ends <= set(alias_words)):
        return False  # _covers_its_edges: neither paired nor the alias's own words
    if len(tokens) != 1:
        # _stands_for_itself: "partial" (an alias word unpaired) only of a person, unless
        # the query writes the alias or its acronym, which make the method another.
        written = unicodedata.normalize("NFC", query.text).strip()
        return (
            record.entity_type == "person"
            or reach.acronym
            or unicodedata.normalize("NFC", record.text) == written
            or all(opt or i in reach.alias for i, opt in enumerate(record.optional))
        )
    # One word: of a person's name (partial), a whole one-word name (as written, respelled),
    # or an acronym in capitals.
    if record.entity_type == "person" or len(alias_words) == 1:
        return True
    return reach.acronym and query.text.isupper()


def _covers_its_edges(resolution: Resolution) -> bool:
    """A confident match whose name takes in the first and the last word of the window."""
    match = resolution.match
    if match is None:
        return False
    last = len(resolution.tokens) - 1
    if match.alignment is None:  # the fast path: the window is the whole of a name
        return True
    paired = {i for pair in match.alignment.pairs if pair.similarity > 0 for i in pair.query}
    if 0 in paired and last in paired:
        return True
    # A name matched as written may still pair its words elsewhere (an acronym, a borrowed
    # word): its edge words are the name's own.
    alias_words = set(analyze(match.matched).tokens)
    return (
        bool(resolution.tokens) and {resolution.tokens[0], resolution.tokens[last]} <= alias_words
    )


def _stands_for_itself(written: str, resolution: Resolution) -> bool:
    """Whether a mention is a name in prose. Of one word, not a common word that happens to
    be part of a name ("National" of a "National Ltd", "Police" of a "Varnia Police"): a
    whole one-word name of the entity as written or respelled, or an acronym in capitals,
    or a surname alone that the matcher found rare enough to stand for its person. Of more,
    only part of a person's name when only part of a name is found."""
    match = resolution.match
    if match is None:
        return True
    if len(resolution.tokens) != 1:
        # Part of a person's name is how prose names people ("López Velázquez"); part of an
        # organization's is as often a place or a thing ("the Northern Basin").
        return match.method != "partial" or match.type == "person"
    whole_word = len(analyze(match.matched).tokens) == 1
    if match.method in ("exact", "normalized", "reordered"):
        return whole_word
    if match.method in ("fuzzy", "phonetic"):
        return whole_word and len(written) >= MIN_RESPELLED_WORD
    if match.method == "acronym":
        return written.isupper()
    return match.method == "partial" and match.type == "person"
