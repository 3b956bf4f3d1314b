"""Phonetic keys per token: Spanish-aware folding, jellyfish metaphone, consonant skeletons.

The keys generate candidates; the scorer then compares the tokens themselves.
``spelling_fold`` maps spellings that sound alike in Spanish and English to one form
(z/s/c, v/b/w, ll/y/j, y/i as a vowel, sh/x, ph/f, th/t, kh/h, qu/k, silent h, double
letters). ``skeleton`` keeps only consonant classes, which survives scripts that drop
vowels (Arabic, Hebrew) and transcriptions that blur consonants (Japanese, Korean).
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA, DamerauLevenshtein, JaroWinkler

# Entries per token cache: tokens are at most normalize.MAX_TOKEN_LENGTH letters, so a cache
# holds a few megabytes at most.
TOKEN_CACHE = 32768

# A rule: its pattern, its replacement, and the letters or digraphs one of which any match
# holds (None: unknown), so that most rules are skipped with a substring test.
Rules = tuple[tuple[re.Pattern[str], str, tuple[str, ...] | None], ...]
_LOOKAROUND = re.compile(r"\(\?<?[=!][^)]*\)")
_LITERAL = re.compile(r"\^?([a-z]+)")
_LETTER_CLASS = re.compile(r"\[([a-z]+)\]")


def _needles(pattern: str) -> tuple[str, ...] | None:
    """What a match of ``pattern`` must contain, for the shapes of rule used here: literals
    or letter classes, alternatives, anchors and lookarounds; None for any other."""
    needles: list[str] = []
    for alternative in _LOOKAROUND.sub("", pattern).split("|"):
        if literal := _LITERAL.fullmatch(alternative):
            needles.append(literal.group(1))
        elif letters := _LETTER_CLASS.fullmatch(alternative):
            needles.extend(letters.group(1))
        else:
            return None
    return tuple(needles)


Substitutions = tuple[tuple[re.Pattern[str], str], ...]


def substitutions(*rules: tuple[str, str]) -> Substitutions:
    """Rewrite rules (a pattern, its replacement) compiled, for the tables of
    ``text.transcription``, ``text.hangul`` and ``text.arabic``."""
    return tuple((re.compile(pattern), replacement) for pattern, replacement in rules)


def rewritten(word: str, rules: Substitutions) -> str:
    """``word`` with every rule applied, in order."""
    for pattern, replacement in rules:
        word = pattern.sub(replacement, word)
    return word


def variants(word: str, rules: Substitutions) -> set[str]:
    """``word`` with each rule applied to every match or to none, in every combination."""
    found = {word}
    for pattern, replacement in rules:
        found |= {pattern.sub(replacement, variant) for variant in found}
    return found


def _compiled(*rules: tuple[str, str]) -> Rules:
    return tuple((re.compile(pattern), new, _needles(pattern)) for pattern, new in rules)


def _rewrite(token: str, rules: Rules) -> str:
    """Apply the rules in order; tokens with digits are returned unchanged."""
    if not token.isalpha():
        return token
    for pattern, replacement, needles in rules:
        if needles is not None:
            for needle in needles:
                if needle in token:
                    break
            else:
                continue  # no match possible
        token = pattern.sub(replacement, token)
    return token


# Order matters: digraphs before the single letters they contain.
_FOLD_RULES = _compiled(
    # Arabic 'abd al-' ("servant of") is written abdul, abdel, abdal, abdol.
    (r"^abd[aeiou]l", "abdul"),
    (r"dzh", "j"),
    (r"zh", "j"),
    (r"sch|sh", "x"),
    (r"ph", "f"),
    (r"th", "t"),
    (r"kh", "h"),
    (r"gh", "g"),
    (r"dh", "d"),
    (r"ck", "k"),
    (r"qu", "k"),
    (r"q", "k"),
    (r"c(?=[eiy])", "s"),
    (r"c(?!h)", "k"),
    (r"z", "s"),
    (r"w", "v"),
    (r"v", "b"),
    # Russian ё after a consonant is romanized yo or e (Fyodor, Fedor; Kovalyov, Kovalev).
    (r"(?<=[^aeiouy])yo", "e"),
    (r"ll", "y"),
    (r"j", "y"),
    (r"y(?![aeiou])", "i"),
    (r"ou", "u"),
    (r"oo", "u"),
    (r"ee", "i"),
    (r"(?<!^)h|^h(?=[aeiou])", ""),
    (r"(.)\1+", r"\1"),
)
_VOWELS = re.compile(r"[aeiou]")


@lru_cache(maxsize=TOKEN_CACHE)
def spelling_fold(token: str) -> str:
    """Fold spellings that sound alike; tokens with digits are returned unchanged."""
    return _rewrite(token, _FOLD_RULES)


# The loose skeleton: consonant classes only. Vowels, w, y and h go (abjads omit or
# reuse them); l/r and d/t merge (Japanese and Korean transcriptions do not keep them
# apart), and so do b/p/f/v (Arabic has no p, Korean no f); a soft g is j; j/ch/ts/tz/cz
# merge (Korean ㅈ is j or ch; Hebrew and Slavic spellings of one sound).
_CONSONANT_CLASSES = (
    (r"sch|sh", "s"),
    (r"ph", "f"),
    (r"th", "t"),
    (r"kh|gh", "h"),
    (r"ck|qu|q", "k"),
    (r"x", "ks"),
    (r"c(?=[eiy])", "s"),
    (r"c(?!h)", "k"),
    (r"tch|ch|ts|tz|cz|j", "c"),
    (r"z", "s"),
    (r"[vfp]", "b"),
    (r"l", "r"),
    (r"d", "t"),
)
_NO_VOWELS = ((r"[aeiouywh]", ""), (r"(.)\1+", r"\1"))
_SOFT_G = (r"dzh|zh|dj|g(?=[eiy])", "j")
# A name romanized from another script writes the sound of a soft g as j: its g is hard
# (Korean and Japanese "ge", "gi"; Russian "ге"; Hebrew and Arabic as transliterated here).
_HARD_G = (r"dzh|zh|dj", "j")
_SKELETON_RULES = _compiled(_SOFT_G, *_CONSONANT_CLASSES, *_NO_VOWELS)
_HARD_G_SKELETON_RULES = _compiled(_HARD_G, *_CONSONANT_CLASSES, *_NO_VOWELS)


@lru_cache(maxsize=TOKEN_CACHE)
def skeleton(token: str, hard_g: bool = False) -> str:
    """The token's consonant classes, for scripts that drop or respell vowels; ``hard_g``
    for a word romanized from another script."""
    return _rewrite(token, _HARD_G_SKELETON_RULES if hard_g else _SKELETON_RULES)


# Sound classes: the skeleton's consonant classes with each run of vowels (and of the
# semivowels w, y) kept as one "a": where a short name has its vowels, which a
# transcription keeps more reliably than which vowels they are.
_CLASS_RULES = _compiled(
    _HARD_G, *_CONSONANT_CLASSES, (r"h", ""), (r"[aeiouyw]+", "a"), (r"(.)\1+", r"\1")
)


@lru_cache(maxsize=TOKEN_CACHE)
def sound_classes(token: str) -> str:
    """The token's consonant classes (its g read hard) and where its vowels are."""
    return _rewrite(token, _CLASS_RULES)


@lru_cache(maxsize=TOKEN_CACHE)
def metaphone(token: str) -> str:
    """jellyfish's metaphone of the token; empty for tokens that are not letters."""
    if not token.isalpha():
        return ""
    return str(jellyfish.metaphone(token))


# rapidfuzz rather than jellyfish for the two measures the matcher calls per word pair (a
# few hundred times a name): the same values at a third of the cost a call.
jaro_winkler = JaroWinkler.similarity


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance: typos are mostly one insertion, deletion,
    substitution or swap of two neighbours."""
    return int(DamerauLevenshtein.distance(a, b))


def one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are one edit apart; words whose lengths differ by more than
    one cannot be, and most pairs a query meets are such (no distance computed). At one
    edit the optimal-string-alignment distance is Damerau-Levenshtein's, and the cutoff
    stops it there."""
    return abs(len(a) - len(b)) <= 1 and OSA.distance(a, b, score_cutoff=1) == 1


# Characters that optical character recognition confuses, folded to one of each group.
_OCR_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("1", "l"), ("i", "l"), ("0", "o"), ("5", "s"))


@lru_cache(maxsize=TOKEN_CACHE)
def ocr_fold(token: str) -> str:
    for confusable, replacement in _OCR_PAIRS:
        token = token.replace(confusable, replacement)
    return token


# The confusions of two letters for one: two edits apart, beyond a typo's one.
_OCR_SPLITS = tuple(pair for pair in _OCR_PAIRS if len(pair[0]) == 2)


@lru_cache(maxsize=TOKEN_CACHE)
def ocr_readings(token: str) -> frozenset[str]:
    """The token as written before a recognition error of two letters for one, or of one
    for two ("harnpel" as "hampel", "hampem" as "harnpern"): each confusion undone
    throughout, one kind at a time."""
    readings = set()
    for split, merged in _OCR_SPLITS:
        if split in token:
            readings.add(token.replace(split, merged))
        if merged in token:
            readings.add(token.replace(merged, split))
    readings.discard(token)
    return frozenset(readings)
