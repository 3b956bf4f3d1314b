"""Transliteration of any script to ASCII, with script-specific help where unidecode is weak.

unidecode is the base. Five scripts get help first, because names in them are mostly
transcriptions of foreign names and unidecode's letter-by-letter output hides them:

- Japanese kana and kanji: pykakasi's Hepburn romanization, a name in katakana alone read
  as a foreign one (``text.japanese_romanization``).
- Hangul: Revised Romanization, a loanword's bare consonants without the vowel they are
  written with, and a common family name in its usual Latin spelling
  (``text.korean_romanization``).
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

from unidecode import unidecode

from normalizer.caches import bounded
from normalizer.text.japanese_romanization import romanize_japanese
from normalizer.text.korean_romanization import HANGUL_FIRST, HANGUL_LAST, romanize_hangul

_KANA_ONLY = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u4e00-\u9fff]+")
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


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC_LETTERS.search(text) is not None


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
        text = _KANA.sub(lambda m: " " + romanize_japanese(m.group(0)) + " ", text)
    if any(HANGUL_FIRST <= ord(c) <= HANGUL_LAST for c in text):
        text = romanize_hangul(text)
    if _ARABIC_LETTERS.search(text):
        text = _arabic_vowels(text)
    if _HEBREW_LETTERS.search(text):
        text = _hebrew_vowels(text)
    if has_cyrillic(text):
        text = text.replace("чж", "zh").replace("Чж", "Zh").translate(_CYRILLIC)
    return str(unidecode(text))
