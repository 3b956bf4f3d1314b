"""Hangul romanized by Revised Romanization, for ``translit``, with help where unidecode is
weak.

A syllable whose vowel is ㅡ with no final consonant (스, 트, 프…) transcribes a bare
consonant in loanwords ("Trent" = 트렌트), so its "eu" is dropped. A final stop is k, t or p
unless a vowel follows, and ㄹㄹ is ll (Revised Romanization); a common family name takes
its usual Latin spelling (Kim, Lee, Park).
"""

from __future__ import annotations

import re

from unidecode import unidecode

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
_HANGUL_EU, _HANGUL_SILENT_INITIAL, _HANGUL_CH = 18, 11, 14
# Final consonants (jongseong index) that are stops, as Revised Romanization writes them
# at a syllable's end: ㄱ ㄲ ㅋ k; ㄷ ㅅ ㅆ ㅈ ㅊ ㅌ ㅎ t; ㅂ ㅍ p.
_HANGUL_FINAL_STOPS = {1: "k", 2: "k", 24: "k", 7: "t", 19: "t", 20: "t", 22: "t", 23: "t"}
_HANGUL_FINAL_STOPS |= {25: "t", 27: "t", 17: "p", 26: "p"}
# The most common Korean family names as their bearers usually spell them in Latin letters,
# where Revised Romanization differs (김 gim is Kim, 이 i is Lee): common usage, as surveyed
# by the National Institute of Korean Language (2009).
_FAMILY_NAMES = {
    "gim": "kim",
    "i": "lee",
    "bak": "park",
    "choe": "choi",
    "jeong": "jung",
    "jo": "cho",
    "yun": "yoon",
    "im": "lim",
    "sin": "shin",
    "o": "oh",
    "gwon": "kwon",
    "an": "ahn",
    "yu": "yoo",
    "mun": "moon",
    "no": "noh",
    "gwak": "kwak",
    "gu": "koo",
    "u": "woo",
}
_KOREAN_NAME = re.compile("[\uac00-\ud7a3]{2,4}")


def _hangul_syllable(char: str, before_vowel: bool = False) -> str:
    code = ord(char) - HANGUL_FIRST
    initial, vowel, final = code // 588, (code % 588) // 28, code % 28
    stop = _HANGUL_FINAL_STOPS.get(final, "") if not before_vowel else ""
    if stop:
        # A final stop is unreleased: Revised Romanization writes k, t, p where unidecode
        # writes the consonant's letter ("Guk", not "gug"; a final ㅅ is t, as in 로봇).
        char = chr(ord(char) - final)
    romanized = str(unidecode(char))
    if initial == _HANGUL_CH and romanized.startswith("c"):
        # unidecode writes ㅊ as "c"; Revised Romanization (and the names) write "ch".
        romanized = "ch" + romanized[1:]
    if vowel == _HANGUL_EU and final == 0 and initial != _HANGUL_SILENT_INITIAL:
        return romanized.removesuffix("eu")
    return romanized + stop


def _syllables(text: str) -> list[str]:
    """Each character, a syllable romanized knowing whether a vowel follows it (a syllable
    with the silent initial ㅇ), as final consonants are written apart from one."""
    out = []
    for i, char in enumerate(text):
        if not HANGUL_FIRST <= ord(char) <= HANGUL_LAST:
            out.append(char)
            continue
        following = ord(text[i + 1]) - HANGUL_FIRST if i + 1 < len(text) else -1
        before_vowel = 0 <= following <= HANGUL_LAST - HANGUL_FIRST and (
            following // 588 == _HANGUL_SILENT_INITIAL
        )
        out.append(_hangul_syllable(char, before_vowel))
    return out


def romanize_hangul(text: str) -> str:
    if _KOREAN_NAME.fullmatch(text.strip()):
        # A Korean name is written as one word, family name first ("한도윤"); romanized,
        # it is syllables apart ("Han Do-yun").
        family, *given = (_hangul_syllable(c) for c in text.strip())
        return " ".join([_FAMILY_NAMES.get(family, family), *given])
    # ㄹㄹ is ll (Revised Romanization), not lr.
    return "".join(_syllables(text)).replace("lr", "ll")
