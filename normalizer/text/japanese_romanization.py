"""Japanese kana and kanji romanized: pykakasi's Hepburn romanization, for ``translit``
(unidecode gives "ziyoshiyu" for ジョシュ; Hepburn gives "joshu").

A name in katakana alone is mostly a foreign one: its long vowels are written once and the
vowel katakana adds after a final consonant is dropped ("kuris", not "kurisu"). Katakana
written with a small vowel for a sound Japanese lacks are spelled as Hepburn writes them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# Katakana alone mostly write foreign names, with a long vowel (ー) doubled, a doubled
# consonant (ッ) before a final one, and a vowel after a final consonant (u; o after t, d):
# the conventions of katakana transcription (e.g. the Cabinet notice on loanwords, 1991).
_KATAKANA_ONLY = re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff\s]+")
_LONG_VOWEL = re.compile(r"([aeiou])\1+")
# Katakana written with a small vowel for sounds Japanese lacks, as the Cabinet notice on
# loanwords (1991) lists them and Hepburn writes them; pykakasi reads them letter by letter
# (ウィ "ui", ティ "tei", ジェ "jie").
_KATAKANA_DIGRAPHS = {
    "ウィ": "wi",
    "ウェ": "we",
    "ウォ": "wo",
    "ティ": "ti",
    "トゥ": "tu",
    "テュ": "tyu",
    "ドゥ": "du",
    "デュ": "dyu",
    "シェ": "she",
    "ジェ": "je",
    "イェ": "ye",
    "ツァ": "tsa",
    "ツィ": "tsi",
    "ツェ": "tse",
    "ツォ": "tso",
    "クァ": "kwa",
    "クィ": "kwi",
    "クェ": "kwe",
    "クォ": "kwo",
    "グァ": "gwa",
    "グィ": "gwi",
    "グェ": "gwe",
    "グォ": "gwo",
    "フュ": "fyu",
    "スィ": "si",
    "ズィ": "zi",
}
# A small ッ before one doubles its consonant (ッティ is tti).
_KATAKANA_DIGRAPH = re.compile("(ッ?)(" + "|".join(_KATAKANA_DIGRAPHS) + ")")
_FINAL_GEMINATE = re.compile(r"(?:([bdfgkmprsz])u|([td])o|([bdgkpst])\3[uo])$")


@cache
def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def warm_up() -> None:
    """Load pykakasi's dictionaries now: lazily, they cost the first Japanese name of each
    process half a second or more."""
    romanize_japanese("東京")


def romanize_japanese(text: str) -> str:
    spelled = _KATAKANA_DIGRAPH.sub(_spell_digraph, text)
    romanized = "".join(item["hepburn"] for item in _kakasi().convert(spelled))
    if _KATAKANA_ONLY.fullmatch(text):
        # Names apart by a middle dot (・), which pykakasi keeps.
        return " ".join(_foreign_word(word) for word in romanized.replace("・", " ").split())
    return romanized


def _spell_digraph(match: re.Match[str]) -> str:
    latin = _KATAKANA_DIGRAPHS[match.group(2)]
    return latin[0] + latin if match.group(1) else latin


def _foreign_word(word: str) -> str:
    """A foreign name's katakana, romanized, without what the script adds to it: a long
    vowel's second letter, and the vowel after a final consonant."""
    word = _LONG_VOWEL.sub(r"\1", word)
    if len(word) <= 4:
        return word
    return _FINAL_GEMINATE.sub(lambda m: next(g for g in m.groups() if g), word)
