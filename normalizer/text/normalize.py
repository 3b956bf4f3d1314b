"""Pure text normalization: from a name as written to comparable tokens.

Pipeline: Unicode NFKC -> lone surrogates become spaces -> transliteration to ASCII ->
casefold -> dotted abbreviations joined ("S.A." -> "sa") -> apostrophes dropped ("O'Brien"
-> "obrien") -> every other punctuation mark becomes a space -> whitespace squashed. What
comes out (``fold``) is lowercase ASCII letters and digits in words separated by single
spaces, whatever came in: ``[a-z0-9]+( [a-z0-9]+)*``, or empty.

A Chinese name written in Cyrillic is compared by the pinyin it writes (``text.palladius``):
"Гао Цзе" is "gao jie", where romanized as Russian it would be "gao tsze".

Tokens are then flagged *optional* when they are honorifics or nickname articles leading the
name ("Señor", "Dr.", "El" in "El Mencho"), legal forms at either end ("S.A. de C.V.",
"LLC", "Closed Joint Stock Company"), name particles anywhere ("al", "bin", "de") or
patronymics in the middle ("Ivan Petrovich Sidorov", "Elnur Rashid Ogly Aliyev").
Optional tokens stay in the name; the matcher only weighs them lightly, so "Miravalle
Orchards" finds "Miravalle Orchards S.A." and the reverse.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field

from normalizer.caches import bounded
from normalizer.text import tables
from normalizer.text.palladius import pinyin_name, written_in_syllables
from normalizer.text.translit import in_east_asian_script, in_syllables, to_ascii

# "S.A.", "U.S.A" and "C.J.N.G.": single letters joined by dots, the last dot optional.
_DOTTED_ABBREVIATION = re.compile(r"\b[a-z](?:\.[a-z])+\.?(?![a-z])")
_APOSTROPHES = re.compile(r"['`\u2018\u2019\u02bb\u02bc\u02be\u02bf\u00b4]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_HEBREW_APOSTROPHE = re.compile("([\u05d0-\u05ea])['`\u2018\u2019\u02bc\u00b4]")
# Lone surrogates are no characters: a string can hold them (Python's surrogateescape of a
# byte that is not UTF-8, a JSON "\ud800"), and the transliteration warns on each.
_SURROGATES = re.compile("[\ud800-\udfff]+")
# No name word is longer; a longer "word" (a run of letters pasted in, a hostile request)
# is cut here, so that every word a cache or a key sees is short.
MAX_TOKEN_LENGTH = 64
# Most names need none of the steps below but lowercasing (a fast path for big tables).
_PLAIN = re.compile(r"[A-Za-z0-9]+(?:,? [A-Za-z0-9]+)*")  # and "SURNAME, Given"


def fold(text: str) -> str:
    """Fold ``text`` to lowercase ASCII words separated by single spaces."""
    if _PLAIN.fullmatch(text):
        return text.lower().replace(",", "")
    return _fold(text)


def _fold(text: str) -> str:
    text = _SURROGATES.sub(" ", unicodedata.normalize("NFKC", text))
    # Drop apostrophe-like marks before transliteration: unidecode turns some into quotes.
    # After a Hebrew letter it is a geresh typed the usual keyboard way (ג' is j).
    text = _HEBREW_APOSTROPHE.sub("\\1\u05f3", text)
    text = _APOSTROPHES.sub("", text)
    text = to_ascii(text).casefold()
    text = _APOSTROPHES.sub("", text)
    text = _DOTTED_ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), text)
    text = text.replace("&", " and ")
    return _NOT_WORD.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Analysis:
    """A name folded into tokens, with the tokens that are optional flagged."""

    normalized: str
    tokens: tuple[str, ...]
    optional: tuple[bool, ...]
    # The tokens that are not optional (all of them if every token is optional).
    core: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if True in self.optional:
            core = tuple(t for t, opt in zip(self.tokens, self.optional, strict=True) if not opt)
            object.__setattr__(self, "core", core or self.tokens)
        else:
            object.__setattr__(self, "core", self.tokens)


def _optional_flags(tokens: tuple[str, ...], text: str) -> tuple[bool, ...]:
    if could_be_optional(tokens):
        # Han, Hangul or Palladius syllables are asked about only here: most names flag
        # nothing.
        syllables = in_syllables(text) or written_in_syllables(text, tokens)
        return _flag_optional(tokens, not syllables, titled=not in_east_asian_script(text))
    return (False,) * len(tokens)  # the common case, quickly: big tables have millions


def could_be_optional(tokens: tuple[str, ...]) -> bool:
    """Whether any rule below might flag one of ``tokens``."""
    return not tables.flaggable_words().isdisjoint(tokens) or _has_patronymic(tokens)


def _flag_optional(
    tokens: tuple[str, ...], latin_words: bool = True, titled: bool = True
) -> tuple[bool, ...]:
    """``latin_words``: the tokens may be Latin particles and function words, as they may
    not be when they are the romanized syllables of a Korean or Chinese name (in Hangul,
    Han or Cyrillic). ``titled``: the first tokens may be titles, as they are not in a
    name written in kana, Han or Hangul (a Japanese or Korean rendering of Émile or Don
    romanizes as emir or don)."""
    flags = [False] * len(tokens)
    start, end = 0, len(tokens)
    # Leading honorifics, then one nickname article, as long as a name token remains.
    while titled and start < end - 1 and tokens[start] in tables.honorifics():
        flags[start] = True
        start += 1
    if start < end - 1 and tokens[start] in tables.leading_articles():
        flags[start] = True
        start += 1
    # Legal forms at either end, longest first; at least one name token must remain.
    changed = bool(tokens)
    while changed:
        changed = False
        for form in tables.legal_forms_ending(tokens[end - 1]):
            size = len(form)
            if end - start > size and tokens[end - size : end] == form:
                names = [t for t in tokens[start : end - size] if t not in tables.particles()]
                if _is_short_form(form) and len(names) < 2 and end == len(tokens):
                    # "Kim Se", "Mem de Sá": a name, unless another legal form follows.
                    continue
                flags[end - size : end] = [True] * size
                end -= size
                changed = True
                break
        if changed or start >= end:
            continue
        for form in tables.legal_forms_leading(tokens[start]):
            size = len(form)
            if end - start > size and tokens[start : start + size] == form:
                flags[start : start + size] = [True] * size
                start += size
                changed = True
                break
    # Particles ("al", "bin", "de la", "van") lead the name word they belong to: optional
    # when a name word follows, never as the last word ("Grupo Alfa Y").
    particles = tables.particles() if latin_words else frozenset()
    for i in reversed(range(start, end - 1)):
        if tokens[i] in particles and (not flags[i + 1] or tokens[i + 1] in particles):
            flags[i] = True
    # Function words inside a name ("Front for the Liberation of ...") say little.
    stopwords = tables.stopwords() if latin_words else frozenset()
    for i in range(start + 1, end - 1):
        if tokens[i] in stopwords:
            flags[i] = True
    # "No." before a number ("Factory No. 5" is Factory 5).
    for i in range(start, end - 1):
        if tokens[i] in tables.number_markers() and tokens[i + 1].isdigit():
            flags[i] = True
    # A patronymic in the middle ("Ivan Petrovich Sidorov", "Elnur Rashid Ogly Aliyev").
    for i in range(start + 1, end - 1):
        word = tokens[i]
        if word in tables.patronymic_markers() and i - 1 > start:
            flags[i] = flags[i - 1] = True
        elif _is_patronymic(word):
            flags[i] = True
    if flags and all(flags):
        flags[-1] = False
    return tuple(flags)


def _is_patronymic(word: str) -> bool:
    return len(word) > 6 and word.endswith(tables.patronymic_endings())


def _has_patronymic(tokens: tuple[str, ...]) -> bool:
    """Whether a word inside the name (not first or last) ends like a patronymic."""
    return any(_is_patronymic(word) for word in tokens[1:-1])


def _is_short_form(form: tuple[str, ...]) -> bool:
    return len(form) == 1 and len(form[0]) <= 2


def analyze_once(text: str) -> Analysis:
    """Fold ``text`` and split it into tokens with their optional flags, uncached: for a
    compiler, which meets each name once (a cache of millions of names only costs)."""
    normalized = fold(text)
    # Interned: a compiled table holds each word once, however many names have it (a
    # million entities' names hold millions of words, of far fewer distinct ones).
    tokens = tuple(sys.intern(token[:MAX_TOKEN_LENGTH]) for token in normalized.split())
    if not text.isascii() and (pinyin := pinyin_name(text)) and len(pinyin) == len(tokens):
        # A Chinese name in Cyrillic is its pinyin, syllable for syllable (text.palladius):
        # romanized as Russian, Цзе is "tsze", Jie. A word that may be two pinyin stays as
        # romanized. Its syllables are no particles ("Бинь" is bin).
        tokens = tuple(sys.intern(p or t) for p, t in zip(pinyin, tokens, strict=True))
        return Analysis(" ".join(tokens), tokens, _flag_optional(tokens, latin_words=False))
    return Analysis(normalized, tokens, _optional_flags(tokens, text))


# Queries repeat, and the matcher re-analyzes the names it explains.
analyze = bounded(16 << 20)(analyze_once)
