"""Which stretches of a text's words are worth resolving as names.

A text has many more stretches than names, and each costs a lookup, so only those the table
could answer are kept: a window of consecutive words of one run that holds a word the table
knows (its word or spelling-fold key exists; in other scripts, its sound keys too) that is
not a function word, and at most one word it does not know (a typo, a respelling). Its first
word is written with a capital (names in prose are), its last with a capital or is a known
word other than a function word ("Mexican military forces"); in text without capitals, any
known word other than a function word may start or end one. The matcher then decides, with
its usual abstention.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from itertools import compress
from typing import NamedTuple

import regex

from normalizer.annotate.words import Word, unspaced
from normalizer.store.base import TableView
from normalizer.text import tables
from normalizer.text.keys import token_keys
from normalizer.text.normalize import fold

# Few names have more words than this, legal forms included; in scripts without spaces,
# characters. (A window grows only over words the table knows, so in prose it stays short.)
MAX_WORDS = 12
MAX_CHARACTERS = 12
MAX_UNKNOWN = 1
_LATIN = regex.compile(r"[\p{Latin}\p{M}\p{N}'’.]+")


class Window(NamedTuple):
    run: int
    first: int  # index of its first word in the run
    last: int  # index of its last word, inclusive
    # Worth the matcher's full path (typos, respellings, partial names), not only the fast
    # path of a name written as one entity's: see ``_worth_full_path``.
    fuzzy: bool = True


@cache
def _weak_words() -> frozenset[str]:
    """Words that never make a window worth resolving on their own: "the", "de", "Dr"."""
    return (
        tables.stopwords()
        | tables.particles()
        | tables.leading_articles()
        | tables.honorifics()
        | tables.legal_form_words()
    )


def known_words(view: TableView, written: Iterable[str]) -> frozenset[str]:
    """The words, as written, of which the table holds the word or its spelling fold, in
    one fetch for the whole text. Not their sound keys in Latin script: in prose, "also"
    sounds like too many names. In other scripts, where a name is a transcription, those too.
    """
    keys_of: dict[str, list[str]] = {}
    for word in set(written):
        kinds = "tf" if _LATIN.fullmatch(word) else "tfmk"
        keys = [key for token in fold(word).split() for key in token_keys(token)]
        keys_of[word] = [key for key in keys if key[0] in kinds]
    every = list({key for keys in keys_of.values() for key in keys})
    # Presence only: values would be unpacked for nothing.
    present = set(compress(every, view.has_many(every)))
    return frozenset(word for word, keys in keys_of.items() if not present.isdisjoint(keys))


# A named tuple made by tuple's own constructor, in half the time of its generated __new__.
_new = tuple.__new__


def windows(
    text: str, runs: Sequence[Sequence[Word]], known: frozenset[str], cased: bool = True
) -> list[Window]:
    """The windows worth resolving, in text order. ``cased``: the text has capitals, so
    a name's first word has one (or is in a script without case)."""
    kinds = _kinds({word.written for run in runs for word in run}, known)
    # What a word says of the windows around it, by the word as written, written with a
    # capital or not: worked out once a word, not once a run.
    with_capital = {word: _flags(kind, True, cased) for word, kind in kinds.items()}
    without = {word: _flags(kind, False, cased) for word, kind in kinds.items()}
    found: list[Window] = []
    for index, run in enumerate(runs):
        is_known, is_weak, strong, longest, edge, last_edge, proper = zip(
            *[(with_capital if word.capital else without)[word.written] for word in run],
            strict=True,
        )
        if True not in strong:
            continue  # every window holds a strong word
        for first in [i for i, e in enumerate(edge) if e]:
            unknown = 0
            has_strong = False
            looks_proper = True  # each word a capital or a function word
            for last in range(first, min(first + longest[first], len(run))):
                if not is_known[last]:
                    unknown += 1
                    if unknown > MAX_UNKNOWN:
                        break
                has_strong = has_strong or strong[last]
                looks_proper = looks_proper and proper[last]
                # (The first word is an edge, so a window of one word ends at one.)
                if not (has_strong and last_edge[last]):
                    continue
                if last == first and cased and _fragment(text, run, first, is_weak):
                    continue
                fuzzy = not cased or _worth_full_path(
                    run[first].opens_sentence, is_weak[first], looks_proper, first == last
                )
                if fuzzy and last > first and cased:
                    # Not cut out of a longer capitalized name ("Red Cross"): looked at
                    # here only, for the few windows that ask.
                    fuzzy = not (first and _joined(text, run, first - 1, is_weak)) and not (
                        last < len(run) - 1 and _joined(text, run, last, is_weak)
                    )
                found.append(_new(Window, (index, first, last, fuzzy)))
    return found


def _kinds(
    written: Iterable[str], known: frozenset[str]
) -> dict[str, tuple[bool, bool, bool, int]]:
    """By each distinct word as written (a text repeats its words): whether the table knows
    it, whether it is a function word, whether both known and not one (strong), and the
    most words a window it starts may have (characters, in a script without spaces)."""
    weak_words = _weak_words()
    kinds: dict[str, tuple[bool, bool, bool, int]] = {}
    for word in written:
        is_known = word in known
        weak = fold(word) in weak_words
        longest = MAX_CHARACTERS if unspaced(word) else MAX_WORDS
        kinds[word] = (is_known, weak, is_known and not weak, longest)
    return kinds


def _flags(
    kind: tuple[bool, bool, bool, int], capital: bool, cased: bool
) -> tuple[bool, bool, bool, int, bool, bool, bool]:
    """A word's kind, then whether a window may start there (an edge), end there, and
    whether it looks like part of a name (a capital or a function word)."""
    is_known, weak, strong, longest = kind
    # "El Mencho" starts with a capital "El"; "la aldea La Laguna" is not a name.
    edge = capital if cased else capital or strong
    # "Mexican military forces": a name's last word may be a known common noun.
    return is_known, weak, strong, longest, edge, edge or strong, capital or weak


def _worth_full_path(opens_sentence: bool, weak: bool, looks_proper: bool, alone: bool) -> bool:
    """Whether a window of a text with capitals looks like a name written with a typo or in
    another spelling, worth the matcher's full path (milliseconds a window; other windows
    are names only if written as one): each word a capital but the function words ("Cártel
    de Jalisco"), not starting with a function word that opens a sentence ("The Supreme
    Court": the capital is the sentence's), and a lone word no function word and not one
    that opens a sentence (where a capital says nothing). Nor, of several words, cut out of
    a longer stretch of capitalized words: see ``_joined``."""
    if alone:
        return looks_proper and not weak and not opens_sentence
    return looks_proper and not (weak and opens_sentence)


def _joined(text: str, run: Sequence[Word], left: int, weak: Sequence[bool]) -> bool:
    """Whether a word and the next are parts of one capitalized name, which a window does
    not cut ("Red Cross and the Coast" of "... Coast Guard": the longer stretch is a window
    of its own): both with a capital, neither a function word, only a space between them,
    and the next not opening a sentence."""
    right = left + 1
    return not (
        weak[left]
        or weak[right]
        or not run[left].capital
        or not run[right].capital
        or run[right].opens_sentence
        or not text[run[left].full_end : run[right].start].isspace()
    )


def _fragment(text: str, run: Sequence[Word], at: int, weak: Sequence[bool]) -> bool:
    """Whether the word at ``at`` is one word of a longer name written with capitals ("Cross"
    of "Red Cross", "Supreme" of "Supreme Court"): a next or previous word with a capital,
    only a space away, that is no function word or title ("Guatemala President") and does
    not open a sentence. Alone, such a word is not a mention; the whole may be one."""
    for other in (at - 1, at + 1):
        if not 0 <= other < len(run) or weak[other]:
            continue
        neighbour = run[other]
        if not neighbour.capital:
            continue
        if other < at:
            gap = text[neighbour.full_end : run[at].start]
        elif neighbour.opens_sentence:
            continue
        else:
            gap = text[run[at].full_end : neighbour.start]
        if gap.isspace():
            return True
    return False
