"""Phonetic keys per token: Spanish-aware folding, jellyfish metaphone, consonant skeletons.

The keys generate candidates; the scorer then compares the tokens themselves. ``spelling_fold``
maps spellings that sound alike in Spanish and English to one form (z/s/c, v/b/w, ll/y/i, ph/f,
th/t, kh/h, qu/k, silent h, double letters). ``skeleton`` keeps only the consonants, which
survives scripts that drop vowels (Arabic, Hebrew) and vowel respellings.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish

# Order matters: digraphs before the single letters they contain.
_FOLD_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"sch", "sh"),
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
        (r"ll", "y"),
        (r"j", "y"),
        (r"y", "i"),
        (r"ou", "u"),
        (r"oo", "u"),
        (r"ee", "i"),
        (r"(?<!^)h|^h(?=[aeiou])", ""),
        (r"(.)\1+", r"\1"),
    )
)
_VOWELS = re.compile(r"[aeiou]")


@lru_cache(maxsize=131072)
def spelling_fold(token: str) -> str:
    """Fold spellings that sound alike; tokens with digits are returned unchanged."""
    if not token.isalpha():
        return token
    for pattern, replacement in _FOLD_RULES:
        token = pattern.sub(replacement, token)
    return token


@lru_cache(maxsize=131072)
def skeleton(token: str) -> str:
    """Consonants of the folded token, with its first letter kept even if a vowel."""
    folded = spelling_fold(token)
    if len(folded) < 2:
        return folded
    rest = _VOWELS.sub("", folded[1:])
    return re.sub(r"(.)\1+", r"\1", folded[0] + rest)


@lru_cache(maxsize=131072)
def metaphone(token: str) -> str:
    """jellyfish's metaphone of the token; empty for tokens that are not letters."""
    if not token.isalpha():
        return ""
    return str(jellyfish.metaphone(token))


def jaro_winkler(a: str, b: str) -> float:
    return float(jellyfish.jaro_winkler_similarity(a, b))
