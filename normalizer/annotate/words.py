"""The words of a text, with their offsets in the text as written, in runs a name may span.

Offsets are code points into the original string: every word is found by a pattern over
the original, and folded on its own afterwards, so folding that changes a string's length
("İ" lowercases to two code points, "ß" folds to "ss") never moves an offset.

A run is a stretch of words no name crosses: sentence ends, brackets, quotation marks and
dashes end it; commas, line breaks and blank lines do not ("OSEGUERA CERVANTES, Nemesio",
a name broken across lines).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import regex

# Scripts written without spaces between words: each character of Han or hiragana is a word
# of its own (a name there is a run of a few characters, found as a window of them); a run
# of katakana, in which Japanese writes foreign names, is one word.
_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\u30fc"
# A word; split by it (the pattern is one group), a text alternates gaps and words.
_WORD_OR_GAP = regex.compile(
    # "U.S.", "C.J.N.G.": single letters joined by dots, the last dot kept.
    r"(\p{L}(?:\.\p{L})+\.?(?![\p{L}\p{M}\p{N}])"
    r"|[\p{Katakana}\u30fc]+"
    r"|[\p{Han}\p{Hiragana}]"
    # Letters with their combining marks and digits; an apostrophe between letters stays
    # inside the word ("O'Brien", "Guatemala's"), and so does one that opens a word before
    # a capital, as transliterated Arabic writes an ayin ("'Abd al-Rahman", "ʿAli").
    rf"|(?:(?<![\p{{L}}\p{{M}}\p{{N}}])['ʿʻ](?=\p{{Lu}}))?"
    rf"[[\p{{L}}\p{{M}}\p{{N}}]--[{_UNSPACED}]]+(?:['’][[\p{{L}}\p{{M}}\p{{N}}]--[{_UNSPACED}]]+)*)",
    regex.V1,
)
# The same split where a text is plain ASCII, in the standard library's engine, four times
# as fast: with no letter of another alphabet, no apostrophe and no dot between two
# letters, a word is a run of ASCII letters and digits (see ``_pieces``).
_ASCII_WORD_OR_GAP = re.compile(r"([A-Za-z0-9]+)")
# Where a text is not plain: one of those, found in a word (anything but whitespace).
_NOT_PLAIN = re.compile(r"[^\x00-\x7f]|'|[A-Za-z]\.[A-Za-z]")
# A possessive ending is part of the word but not of the name ("Guatemala’s" names Guatemala).
_POSSESSIVE_ENDINGS = frozenset({"'s", "'S", "’s", "’S"})
# What ends a run between two words.
_BREAK = regex.compile(r"[.!?;:()\[\]{}\"“”„«»‹›|/\\—–•]|(?<!\p{L})['‘’](?!\p{L})|\s-\s")
MAX_ABBREVIATION = 3
_SENTENCE_END = regex.compile(r"[.!?]|\n\s*\n")
# A lone "s" just after an apostrophe ("Guatemala\n\n‘s National Police"): the possessive
# of the word before, cut off by a line break.
_STRAY_POSSESSIVE = regex.compile(r"\s*['‘’]$")


class Word(NamedTuple):
    start: int
    # Where the word ends as a name's last word (before a possessive ending)...
    end: int
    # ...and where it ends inside a name ("Guatemala's Army" keeps the ending).
    full_end: int
    # Written with a capital, or in a script without case: may start or end a name that
    # the table does not know word for word (a typo, a respelling).
    capital: bool
    # The first word of the text, of a sentence or of a paragraph: a capital says nothing.
    opens_sentence: bool
    # ``text[start:end]``, made once per word as written (a text repeats its words).
    written: str


# A named tuple made by tuple's own constructor: half the time of its generated __new__,
# which a text of a megabyte calls a hundred thousand times.
_new = tuple.__new__


def runs(text: str) -> list[list[Word]]:
    """The words of ``text`` in runs that a name does not cross."""
    found: list[list[Word]] = []
    current: list[Word] = []
    shapes: dict[str, tuple[int, bool, str]] = {}  # by the word as written
    gaps: dict[str, tuple[bool, bool]] = {}  # by the gap: a text repeats ", " and ". "
    # Offsets add up from the lengths of gaps and words: no match object a word.
    pieces = _pieces(text)
    last_end = 0
    for gap, word in zip(pieces[0:-1:2], pieces[1::2], strict=True):
        start = last_end + len(gap)
        end = start + len(word)
        # Most gaps are one space: nothing to look for.
        opens_sentence = False
        if gap != " " or not last_end:
            if current and (word == "s" or word == "S") and _STRAY_POSSESSIVE.search(gap):
                current[-1] = current[-1]._replace(full_end=end)
                last_end = end
                continue
            opens_sentence = last_end == 0
            if current and gap.startswith("."):
                gap = _after_abbreviation(current[-1], gap)
            breaks, ends = gaps.get(gap) or gaps.setdefault(gap, _gap(gap))
            if current and breaks:
                found.append(current)
                current = []
            opens_sentence = opens_sentence or ends
        shape = shapes.get(word)
        if shape is None:
            shape = shapes[word] = _shape(word)
        current.append(_new(Word, (start, end - shape[0], end, shape[1], opens_sentence, shape[2])))
        last_end = end
    if current:
        found.append(current)
    return found


def _pieces(text: str) -> list[str]:
    """``_WORD_OR_GAP.split(text)``: gaps and words, alternating. No word holds whitespace,
    and whitespace is no letter to the pattern's lookarounds, so the split of a text is
    the splits of its stretches between two spaces, joined: the stretches that are not
    plain are split by the pattern, the rest (most of a text) as ASCII."""
    pieces = [""]
    done = 0
    for found in _NOT_PLAIN.finditer(text):
        start, end = found.start(), found.end()
        if start < done:
            continue  # in the stretch just split
        while start > done and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        _join(pieces, _ASCII_WORD_OR_GAP.split(text[done:start]))
        _join(pieces, _WORD_OR_GAP.split(text[start:end]))
        done = end
    _join(pieces, _ASCII_WORD_OR_GAP.split(text[done:]))
    return pieces


def _join(pieces: list[str], more: list[str]) -> None:
    """Gaps and words after ``pieces``: a gap at the end of one meets one at the start of
    the next."""
    pieces[-1] += more[0]
    pieces.extend(more[1:])


def _gap(gap: str) -> tuple[bool, bool]:
    """Whether a gap between two words ends a run, and whether it ends a sentence."""
    return _BREAK.search(gap) is not None, _SENTENCE_END.search(gap) is not None


def _shape(word: str) -> tuple[int, bool, str]:
    """How many characters of a word its possessive ending takes (none for a dotted word or
    one of a script without spaces, which has no apostrophe), whether it is written with a
    capital or in a script without case, and the word without the ending."""
    cut = 2 if word[-2:] in _POSSESSIVE_ENDINGS else 0
    letters = word.lstrip("'ʿʻ")
    if not letters:  # ayin marks alone (letters to Unicode): no capital, no name
        return cut, False, word
    first = letters[0]
    capital = first.isupper() or (first.isalpha() and first.lower() == first.upper())
    return cut, capital, word[: len(word) - cut]


def _after_abbreviation(previous: Word, gap: str) -> str:
    """The gap, less the dot of an abbreviation before it ("Dr.", "St.", "Co."): a capital
    and at most two more letters do not end a sentence."""
    if (
        gap.startswith(".")
        and previous.full_end - previous.start <= MAX_ABBREVIATION
        and previous.capital
    ):
        return gap[1:]
    return gap


def unspaced(word_text: str) -> bool:
    """Whether a word is one character of a script written without spaces."""
    return len(word_text) == 1 and regex.match(rf"[{_UNSPACED}]", word_text) is not None
