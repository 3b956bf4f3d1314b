"""How a Latin name comes back from Hangul: a word as Korean loanword transcription writes
it, compared with the romanized query word on the sounds both keep.

Korean writes foreign names by the Rules of Loanword Transcription (외래어 표기법, the
National Institute of Korean Language, 1986), and ``translit`` romanizes the Hangul by
Revised Romanization (2000). The two together change a Latin name in regular ways, which
neither a spelling fold nor a consonant skeleton undoes: "Chandler" comes back as
chaendeulleo, "Fisher" as pisyeo, "Turner" as teoneo, "Morton" as moteon. A word here is
reduced to keys that keep what the transcription keeps, its consonants as Korean writes
them and its runs of vowels; a query word writes an alias word when a key of each has the
same consonants, and vowels where the alias's are that may write them:

- Korean has one liquid (ㄹ: l and r), ㅍ for p and f, ㅂ for b and v, ㅈ for j, z, a
  soft g and the English dg (rules 1 and 2 of the English section); a final stop is
  unreleased, so Revised Romanization writes a final ㅂ, ㄷ and ㄱ as p, t and k whatever
  letter they write; ㄹㄹ is one l between vowels. Vowels are compared as the vowel table of
  the rules writes them: ㅓ (eo) writes English a, o, u and er alike, ㅐ (ae) a and e, but
  ㅣ only i, y or ee.
- What the transcription adds (read back, each may be left out): the vowel ㅡ (eu) after a
  consonant with no vowel of its own (플레처, peullecheo, for Fletcher); ㅠ (yu) after ㅅ
  before a consonant, and ㅣ (i) after a final ㅅ, ㅈ or ㅊ, for English sh, j and ch (rule
  3 of the English section); ㅇ (ng) for a French nasal vowel (rule 4 of the French
  section: Jean, 장).
- What it leaves out of the Latin word (each may be dropped): an r after a vowel (English
  as spoken in Britain, which the rules follow: Turner, 터너), a silent final e (Stone,
  스톤; Jones, 존스), the other letters English does not say (w before r, k before n, gh
  before no vowel, l between a or o and k or m) or a silent final s of French; and it
  writes a Latin word as its own language says it: th as ㅅ (s), the c of Latin as ㅋ (k),
  the j of Spanish as ㅎ (h), the w of German as ㅂ (v), the ch of Greek names as ㅋ (k), a
  French ç as ㅅ (s).

A Hangul query is read by these conventions (``CONVENTION``), so a word written so is a
transcription even where no other test finds the pair alike; likeness proposes the alias
words whose keys start with the query word's first sound.
"""

from __future__ import annotations

import re
from functools import lru_cache

from normalizer.text.phonetics import (
    TOKEN_CACHE,
    Substitutions,
    rewritten,
    substitutions,
    variants,
)
from normalizer.text.written import Convention

# A key: consonants as Korean writes them, and runs of vowels, in order.
Key = tuple[str, ...]
# A key needs this many consonants and runs of vowels to say a word: "bet" or "hat" is too
# little to tell names apart by.
MIN_KEY = 4
_VOWEL_LETTERS = "aeiouyw"

# What the romanized Hangul may have added to the Latin word (each rule applied to every
# match or to none).
_ADDED = substitutions(
    (r"(?<=[^aeiouy])eu", ""),
    (r"(?<=s)yu(?=[^aeiouy])", ""),
    (r"(?<=[sjh])i$", ""),
    (r"ng(?=[^aeiouy]|$)", "n"),
    # Revised Romanization writes a final ㅂ, ㄷ (ㅅ) and ㄱ by their sound, p, t and k;
    # they write b, d and g too (케일럽 for Caleb; German says a final d as t, 트).
    (r"p(?![aeiouyw])", "b"),
    (r"t(?![aeiouyw])", "d"),
    (r"k(?![aeiouyw])", "g"),
)
# What the Latin word may hold that the transcription does not write, or writes otherwise.
_UNWRITTEN = substitutions(
    (r"(?<=[aeiou])r+(?![aeiouy])", ""),
    (r"(?<=[^aeiouy])e(?=s?$)", ""),
    (r"t?th", "s"),
    (r"c(?=[eiy])", "k"),
    (r"^j", "h"),
    # English letters not said (Wright, 라이트; Knox, 녹스; Hugh, 휴; Walker, 워커; Holmes,
    # 홈스).
    (r"^wr", "r"),
    (r"^kn", "n"),
    (r"gh(?![aeiouy])", ""),
    (r"(?<=[ao])l(?=[km])", ""),
    (r"g(?=[eiy])", "j"),
    # German, Dutch and Slavic w is v (ㅂ); Greek ch before r or l is k (ㅋ); Mc is
    # Mac (맥).
    (r"w", "v"),
    (r"ch(?=[rl])", "k"),
    (r"^mc", "mac"),
    # French: ç (folded to c) is s, and a final s after a vowel is not said.
    (r"c(?=[aou])", "s"),
    (r"(?<=[aeiou])s$", ""),
)
# The key: sounds Korean writes with one letter, as one letter.
_KEY = substitutions(
    (r"sch|sh", "s"),
    (r"ph|f", "p"),
    (r"th", "t"),
    (r"kh|gh", "g"),
    (r"ck|qu|q", "k"),
    (r"x", "ks"),
    (r"c(?=[eiy])", "s"),
    (r"c(?!h)", "k"),
    (r"tch|ch|tz|ts", "C"),
    (r"dg|z", "j"),
    (r"v", "b"),
    (r"l", "r"),
    (r"(?<!^)h", ""),
    (r"([^aeiouyw])\1+", r"\1"),
)
_SEGMENTS = re.compile(r"[aeiouyw]+|[^aeiouyw]+")
# The Latin vowel letters each vowel of Revised Romanization writes in a transcribed name,
# by the vowel table of the Rules of Loanword Transcription (English [ae] ㅐ, [schwa] and
# [wedge] ㅓ, [open a] ㅏ, [open o] and [ou] ㅗ, [i] ㅣ, [ei] 에이 and [ai] 아이, whatever
# letters write them; German o-umlaut ㅚ and u-umlaut ㅟ; French oi 와). A run of vowels
# of the alias word must hold a letter that each vowel of the query's run writes.
_VOWELS = {
    "yeo": "aeiouy",
    "yae": "aeiy",
    "wae": "aew",
    "eo": "aeiouy",
    "ae": "ae",
    "ya": "aiy",
    "yo": "oiy",
    "yu": "uwiy",
    "ye": "eiy",
    "ei": "aeiy",
    "ai": "aeiy",
    "wa": "aow",
    "wo": "aouw",
    "weo": "aouw",  # ㅝ as translit writes it (Revised Romanization writes wo)
    "we": "ew",
    "wi": "iuw",
    "oe": "oe",
    "ui": "iu",
    "eu": "eu",
    "a": "ao",
    "e": "e",
    "i": "iey",
    "o": "oa",
    "u": "uow",
}
_RR_VOWEL = re.compile("|".join(sorted(_VOWELS, key=len, reverse=True)))


def _key(word: str) -> Key:
    return tuple(_SEGMENTS.findall(rewritten(word, _KEY)))


def _size(segment: str) -> int:
    return 1 if segment[0] in _VOWEL_LETTERS else len(segment)


def _keys(word: str, rules: Substitutions) -> frozenset[Key]:
    if not word.isalpha() or not word.isascii():
        return frozenset()
    keys = map(_key, variants(word, rules))
    return frozenset(key for key in keys if sum(map(_size, key)) >= MIN_KEY)


@lru_cache(maxsize=TOKEN_CACHE)
def query_keys(word: str) -> frozenset[Key]:
    """The keys of a romanized word as it may have been before Hangul wrote it."""
    return _keys(word, _ADDED)


@lru_cache(maxsize=TOKEN_CACHE)
def alias_keys(word: str) -> frozenset[Key]:
    """The keys of a Latin word as Korean transcription may write it."""
    return _keys(word, _UNWRITTEN)


@lru_cache(maxsize=TOKEN_CACHE)
def _writes(run: str) -> tuple[frozenset[str], ...]:
    """The Latin vowel letters each vowel of a romanized run of vowels may write."""
    return tuple(frozenset(_VOWELS[vowel]) for vowel in _RR_VOWEL.findall(run))


def _alike(query: Key, alias: Key) -> bool:
    if len(query) != len(alias):
        return False
    for q, a in zip(query, alias, strict=True):
        if q[0] in _VOWEL_LETTERS:
            vowels = _writes(q)  # none for a y or w alone: no Korean vowel
            if not vowels or a[0] not in _VOWEL_LETTERS or any(v.isdisjoint(a) for v in vowels):
                return False
        elif q != a:
            return False
    return True


@lru_cache(maxsize=TOKEN_CACHE)
def written_alike(query: str, alias: str) -> bool:
    """Whether a romanized query word may write the Latin alias word: the same consonants
    as Korean writes them, and vowels where the alias has vowels they may write."""
    aliases = alias_keys(alias)
    return any(_alike(q, a) for q in query_keys(query) for a in aliases)


def _first_sound(key: Key) -> str:
    """A key's first consonant, or "" for a vowel (one vowel may write another)."""
    first = key[0][0]
    return "" if first in _VOWEL_LETTERS else first


@lru_cache(maxsize=TOKEN_CACHE)
def first_sounds(alias: str) -> frozenset[str]:
    """The first sounds of the keys of a Latin word (how likeness groups alias words for
    ``written_alike``: a query word's keys all start as its one first sound does)."""
    return frozenset(map(_first_sound, alias_keys(alias)))


def first_sound(query: str) -> str:
    """The first sound of a romanized word's keys ("?", alike none, if it has none)."""
    return min(map(_first_sound, query_keys(query)), default="?")


CONVENTION = Convention(written_alike, first_sounds, first_sound)
