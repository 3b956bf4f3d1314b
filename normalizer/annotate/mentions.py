"""What makes a window's match a mention: it takes in the window's first and last words
and stands for itself in prose (see makes_mention)."""

from __future__ import annotations

from normalizer.match.results import Resolution
from normalizer.text.normalize import analyze

# A one-word name found respelled or with a typo: no shorter ("week" sounds like "BJCC").
MIN_RESPELLED_WORD = 6


def makes_mention(written: str, resolution: Resolution) -> bool:
    """Whether the window ``written`` resolved so is a mention."""
    return _covers_its_edges(resolution) and _stands_for_itself(written, resolution)


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
