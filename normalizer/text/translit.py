"""Transliteration of any script to ASCII, with script-specific help where unidecode is weak.

unidecode is the base. Five scripts get help first, because names in them are mostly
transcriptions of foreign names and unidecode's letter-by-letter output hides them:

- Japanese kana and kanji: pykakasi's Hepburn romanization (unidecode gives "ziyoshiyu" for
  ジョシュ; Hepburn gives "joshu"). A name in katakana alone is mostly a foreign one: its
  long vowels are written once and the vowel katakana adds after a final consonant is
  dropped ("kuris", not "kurisu").
- Hangul: a syllable whose vowel is ㅡ with no final consonant (스, 트, 프…) transcribes a
  bare consonant in loanwords ("Trent" = 트렌트), so its "eu" is dropped. A final stop is
  k, t or p unless a vowel follows, and ㄹㄹ is ll (Revised Romanization); a common family
  name takes its usual Latin spelling (Kim, Lee, Park).
- Cyrillic: ю, я, ё, й as yu, ya, yo, y (unidecode writes iu, ia, io, i).
- Hebrew: the matres lectionis ו and י mostly write vowels (u/o, i/e) in names; doubled, or
  alone first in a word, they write the consonants v and y; a final ה writes a vowel (a);
  a geresh marks foreign sounds (ג' = j).
- Arabic: unidecode drops alif and writes و and ي as w and y, leaving a skeleton ("brbr"
  for Barbara). The long-vowel letters are read as the usual romanizations (ALA-LC,
  UNGEGN) read them: alif (ا أ آ) a, إ i, ة and ى a; و and ي are the vowels u and i after a
  consonant, the consonants w and y first in a word or after a vowel; initial او is o. An
  ʿayn first in a word before a consonant is written with the short vowel it carries,
  mostly a (ʿAli, ʿAbd, ʿAziz); unidecode's backquote would leave no vowel at all.

Everything is cached, and pure ASCII takes a fast path.
"""

from __future__ import annotations

import re
from enum import IntEnum
from functools import cache
from typing import Any

from unidecode import unidecode

from normalizer.caches import bounded

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
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
_KANA_ONLY = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u4e00-\u9fff]+")
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
_HEBREW_LETTERS = re.compile(r"[\u0590-\u05ff]")
# Cyrillic letters unidecode spells unlike the usual romanizations (BGN/PCGN, passports):
# "Юрий" is Yuriy, not Iurii. "чж" writes Chinese zh (Palladius).
_CYRILLIC = str.maketrans(
    {
        "ю": "yu",
        "Ю": "Yu",
        "я": "ya",
        "Я": "Ya",
        "ё": "yo",
        "Ё": "Yo",
        "й": "y",
        "Й": "Y",
        "ь": "",
        "Ь": "",
        "ъ": "",
        "Ъ": "",
    }
)
_CYRILLIC_LETTERS = re.compile(r"[\u0400-\u04ff]")
_HEBREW_GERESH = re.compile("([גזצ])['\u05f3]")
_HEBREW_GERESH_SOUNDS = {"ג": "j", "ז": "zh", "צ": "ch"}
_HEBREW_VOWEL_LETTERS = (("וו", "v"), ("יי", "y"), ("ו", "u"), ("י", "i"))
_HEBREW_FIRST = re.compile("(?<![\u05d0-\u05ea\u05f3'])(?:ו(?!ו)|י(?!י))")
_HEBREW_FINAL_HE = re.compile("(?<=[\u05d0-\u05ea])ה(?![\u05d0-\u05ea])")
# First in a word, כ is k (a dagesh is implied there: Cohen, כהן); elsewhere it is kh.
_HEBREW_FIRST_KAF = re.compile("(?<![\u05d0-\u05ea\u05f3'])כ")
_ARABIC_LETTERS = re.compile(r"[\u0621-\u064a]+")
_ARABIC_VOWELS = {"ا": "a", "أ": "a", "آ": "a", "إ": "i", "ة": "a", "ى": "a"}
_ARABIC_LONG = {"و": ("w", "u"), "ي": ("y", "i")}  # as a consonant, as a vowel
_ARABIC_AYN = "ع"
_ARABIC_VOWEL_LETTERS = frozenset(_ARABIC_VOWELS) | frozenset(_ARABIC_LONG)


class Script(IntEnum):
    """What a name was written in, as the matcher reads its romanized words (the value of
    their ``transcribed`` flags, true for any script but Latin): Latin letters; a script
    that drops or respells vowels or romanizes by syllables (Chinese characters, and any
    other script not named here), compared by consonants too; Cyrillic, an alphabet that
    writes every vowel, so that a name of its own languages romanizes letter for letter;
    Hebrew, kana, Hangul and Arabic, compared as the other scripts are and by how they
    write foreign names (``text.hebrew``, ``text.katakana``, ``text.hangul``,
    ``text.arabic``)."""

    LATIN = 0
    OTHER = 1
    CYRILLIC = 2
    HEBREW = 3
    KANA = 4
    HANGUL = 5
    ARABIC = 6


# Han ideographs and Hangul syllables: romanized, a name's syllables are words apart.
_SYLLABLES = re.compile("[\u4e00-\u9fff\uac00-\ud7a3]")


@cache
def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC_LETTERS.search(text) is not None


def warm_up() -> None:
    """Load pykakasi's dictionaries now: lazily, they cost the first Japanese name of each
    process half a second or more."""
    _romanize_japanese("東京")


def _romanize_japanese(text: str) -> str:
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


def _hangul_syllable(char: str, before_vowel: bool = False) -> str:
    code = ord(char) - _HANGUL_FIRST
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
        if not _HANGUL_FIRST <= ord(char) <= _HANGUL_LAST:
            out.append(char)
            continue
        following = ord(text[i + 1]) - _HANGUL_FIRST if i + 1 < len(text) else -1
        before_vowel = 0 <= following <= _HANGUL_LAST - _HANGUL_FIRST and (
            following // 588 == _HANGUL_SILENT_INITIAL
        )
        out.append(_hangul_syllable(char, before_vowel))
    return out


def _romanize_hangul(text: str) -> str:
    if _KOREAN_NAME.fullmatch(text.strip()):
        # A Korean name is written as one word, family name first ("한도윤"); romanized,
        # it is syllables apart ("Han Do-yun").
        family, *given = (_hangul_syllable(c) for c in text.strip())
        return " ".join([_FAMILY_NAMES.get(family, family), *given])
    # ㄹㄹ is ll (Revised Romanization), not lr.
    return "".join(_syllables(text)).replace("lr", "ll")


def _hebrew_vowels(text: str) -> str:
    # First in a word, a lone ו or י is the consonant v or y; last, ה writes a vowel.
    text = _HEBREW_FIRST.sub(lambda m: "v" if m.group(0) == "ו" else "y", text)
    text = _HEBREW_FINAL_HE.sub("a", text)
    text = _HEBREW_FIRST_KAF.sub("k", text)
    # A geresh marks sounds Hebrew lacks: ג' is j in "James", צ' is ch in "Chen".
    text = _HEBREW_GERESH.sub(lambda m: _HEBREW_GERESH_SOUNDS[m.group(1)], text)
    for letters, latin in _HEBREW_VOWEL_LETTERS:
        text = text.replace(letters, latin)
    return text


def _arabic_word(word: str) -> str:
    out: list[str] = []
    for i, letter in enumerate(word):
        after_vowel = bool(out) and out[-1][-1:] in ("a", "i", "u", "o")
        if letter in _ARABIC_VOWELS:
            out.append(_ARABIC_VOWELS[letter])
        elif letter in _ARABIC_LONG:
            consonant, vowel = _ARABIC_LONG[letter]
            if i == 1 and word[0] in "اأ" and letter == "و":
                out[-1] = "o"  # initial او, أو: o ("Okada")
            elif i == 1 and word[0] in "اإ" and letter == "ي":
                out[-1] = "i"  # initial اي, إي: i
            else:
                out.append(consonant if i == 0 or after_vowel else vowel)
        elif letter == _ARABIC_AYN and i == 0 and word[1:2] not in _ARABIC_VOWEL_LETTERS:
            out.append("a")
        else:
            out.append(letter)
    return "".join(out)


# Kana, Han and Hangul: a name in them is written by its sounds or its characters.
_EAST_ASIAN = re.compile("[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]")


def in_east_asian_script(text: str) -> bool:
    """Whether ``text`` has kana, Han or Hangul: its romanized words may read as a Latin
    title ("エミール", Émile, as emir), but a name in them has no such title."""
    return _EAST_ASIAN.search(text) is not None


def in_syllables(text: str) -> bool:
    """Whether ``text`` has Han or Hangul, whose romanized syllables are words apart: a
    syllable written like a Latin particle ("Do" of "Do-yun") is a name's own."""
    return _SYLLABLES.search(text) is not None


def _arabic_vowels(text: str) -> str:
    return _ARABIC_LETTERS.sub(lambda m: _arabic_word(m.group(0)), text)


@bounded(16 << 20)
def to_ascii(text: str) -> str:
    """Transliterate ``text`` to ASCII; ASCII text is returned unchanged."""
    if text.isascii():
        return text
    if _KANA_ONLY.search(text):
        # Kanji are read as Japanese only beside kana; Chinese text is left to unidecode.
        text = _KANA.sub(lambda m: " " + _romanize_japanese(m.group(0)) + " ", text)
    if any(_HANGUL_FIRST <= ord(c) <= _HANGUL_LAST for c in text):
        text = _romanize_hangul(text)
    if _ARABIC_LETTERS.search(text):
        text = _arabic_vowels(text)
    if _HEBREW_LETTERS.search(text):
        text = _hebrew_vowels(text)
    if has_cyrillic(text):
        text = text.replace("чж", "zh").replace("Чж", "Zh").translate(_CYRILLIC)
    return str(unidecode(text))
