"""How a Latin name comes back from Arabic script: a word as Arabic writes foreign names,
compared with the romanized query word letter class by letter class.

Arabic writes a European or Asian name by its sound with the letters it has, and
``translit`` reads the letters back; the two together change a Latin name in regular ways
that neither a spelling fold nor a consonant skeleton undoes: "Vernon" comes back as
firnun, "Kepler" as kiblr, "Beverly" as bifrli, "Doyle" as duyl. The conventions, as the
Arabic press and Arabic Wikipedia's guidance on writing foreign names (ويكيبيديا:تعريب)
apply them, and as Arabic grammars of loanwords describe them (e.g. Holes, "Modern
Arabic", 2004, on the phonology of loanwords):

- Arabic has no p, v or hard g: p is ب (b), v is ف (f), g is غ, ج (Egyptian usage) or ك;
  ch is تش (tsh) or ش, or خ or ك in German, Greek and Italian names; a German or Dutch w
  is ف and j is ي; a Spanish j is خ or ه; English s said as z is ز (Holmes, هولمز).
- A vowel is written with a long-vowel letter, e and i as ي, o and u as و, a as ا; a
  short one may be left out (Beverly, بيفرلي), and a silent final e is. An English a or i
  said as a diphthong (Blake, Simon) is اي or ي, and so are ai, ay, ei, ey (Raines,
  راينز); au and aw are او or و; a final vowel may be followed by ه (Pelé, بيليه). A
  doubled consonant is written once (no shadda).
- The letters ي and و write both the vowels i and u and the consonants y and w, which
  ``translit`` must guess between; here they are one class each.
"""

from __future__ import annotations

import re
from functools import lru_cache

from normalizer.text.phonetics import TOKEN_CACHE, rewritten, substitutions
from normalizer.text.written import Convention, Options, Rules, reached

# A word needs this many letter classes to say a word (as ``hangul.MIN_KEY``): two, as
# in "bn", are too little to tell names apart by.
MIN_KEY = 3

# The romanized query word in letter classes: ي and و (i, y; u, w, o) each one class;
# ث read as t (English th), غ as g, ق as k, خ as H; the rest as written. z and s are one
# class (English s said as z is ز), b and p, f and v (Persian پ, ڤ).
_QUERY = substitutions(
    (r"sh", "S"),
    (r"kh", "H"),
    (r"gh", "g"),
    (r"th", "t"),
    (r"dh", "d"),
    (r"[qc]", "k"),
    (r"p", "b"),
    (r"v", "f"),
    (r"z", "s"),
    (r"[eiy]", "i"),
    (r"[ouw]", "u"),
    (r"[^a-zSH]", ""),
    (r"(.)\1+", r"\1"),
)

# What letters of a Latin word Arabic may write, and how (in the classes above; "" for
# not written). Longer patterns first; each may also be read by the patterns that match
# less of it (a diphthong letter by letter).
_RULES = Rules(
    ("tch", ("S", "tS")),
    ("sch", ("S",)),
    ("dzh", ("j",)),
    ("sh", ("S",)),
    ("ch", ("S", "tS", "k", "H")),
    ("ph", ("f",)),
    ("th", ("t", "s", "d")),
    ("kh", ("H", "k")),
    ("gh", ("g", "")),
    ("ck", ("k",)),
    ("qu", ("ku", "k")),
    ("dj", ("j",)),
    ("zh", ("j", "s")),
    ("ai", ("ai", "i")),
    ("ay", ("ai", "i")),
    ("ei", ("ai", "i")),
    ("ey", ("ai", "i")),
    ("au", ("u", "au")),
    ("aw", ("u", "au")),
    ("eu", ("ui",)),
    ("a", ("", "a")),
    ("e", ("", "i")),
    ("i", ("", "i")),
    ("o", ("", "u")),
    ("u", ("", "u")),
    ("y", ("i",)),
    ("w", ("u", "f")),
    ("b", ("b",)),
    ("p", ("b",)),
    ("f", ("f",)),
    ("v", ("f",)),
    ("c", ("k", "s")),
    ("g", ("g", "j", "k")),
    ("j", ("j", "i", "H", "h")),
    ("h", ("h", "")),
    ("k", ("k",)),
    ("q", ("k",)),
    ("x", ("ks",)),
    ("s", ("s",)),
    ("z", ("s", "ts")),
)
_FINAL_VOWEL = re.compile(r"[aeiouy]$")
# English a and i in an open syllable (a consonant and a vowel after them: Blake, Simon)
# are said as diphthongs, which Arabic writes اي (ai); a as ي (i) too (بليك).
_OPEN = re.compile(r"[ai](?=[^aeiouy][aeiouy])")
_OPEN_SYLLABLE = {"a": ("i", "ai"), "i": ("ai",)}
# A transcription writes most of a foreign name's vowels: it may leave out one short vowel
# (Beverly, بيفرلي) besides a silent final e (Holmes, هولمز); a word with more of them unwritten
# is no transcription of the alias word, whatever its consonants.
MAX_UNWRITTEN = 1
_VOWEL = frozenset("aeiou")
# A word ``translit`` may have romanized from Arabic script writes its vowels a, i and u
# (o only first, for an initial او): one with an e or another o was written in a script
# that has them (Korean, Japanese, Cyrillic), whose own conventions are not these.
_ARABIC_ROMANIZATION = re.compile(r"o?[a-df-np-z]*")
_SILENT_E = re.compile(r"es?$")


@lru_cache(maxsize=TOKEN_CACHE)
def query_key(word: str) -> str:
    """The romanized query word in letter classes, runs of one class as one."""
    return rewritten(word, _QUERY)


def _options(alias: str, at: int) -> Options:
    """The rules that match ``alias`` at ``at`` (a letter no rule names, d, l, m, n, r or
    t, is written as itself), and an English a or i of an open syllable as a diphthong."""
    found = _RULES.at(alias, at)
    if _OPEN.match(alias, at):
        found.append((at + 1, _OPEN_SYLLABLE[alias[at]]))
    return found


def _counted(alias: str, at: int) -> bool:
    """A vowel, but a silent final e: one the transcription may leave unwritten."""
    return alias[at] in _VOWEL and not _SILENT_E.fullmatch(alias, at)


@lru_cache(maxsize=TOKEN_CACHE)
def written_alike(query: str, alias: str) -> bool:
    """Whether the romanized query word may be the Latin alias word as Arabic writes a
    foreign name (the conventions above), letter class by letter class."""
    if not alias.isalpha() or not alias.isascii() or not _ARABIC_ROMANIZATION.fullmatch(query):
        return False
    key = query_key(query)
    if len(key) < MIN_KEY:
        return False
    ends = reached(key, alias, _options, _counted, MAX_UNWRITTEN)
    # A final vowel may be followed by ه, which translit reads as h (Pelé, بيليه).
    final_h = _FINAL_VOWEL.search(alias) and key.endswith("h") and len(key) - 1 in ends
    return len(key) in ends or bool(final_h)


def liquids_and_nasals(word: str) -> str:
    """Which of l, m, n and r a word has, in this order: Arabic writes each as itself
    (ل, م, ن, ر) and no other letter as them, so a word and its transcription have the
    same (how likeness groups alias words for ``written_alike``)."""
    return "".join(letter for letter in "lmnr" if letter in word)


def v_reading(word: str) -> str | None:
    """The romanized word with its f read as v, if it has one: Arabic has no v and writes
    a foreign one as ف, which ``translit`` reads as f (Vernon comes back as firnun). A
    consonant skeleton makes the two one letter; a spelling fold, whose v is b, does not."""
    return word.replace("f", "v") if "f" in word else None


CONVENTION = Convention(
    written_alike, lambda alias: (liquids_and_nasals(alias),), liquids_and_nasals
)
