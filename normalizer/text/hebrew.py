"""How a Latin name comes back from Hebrew script: a word as Hebrew writes foreign names,
compared with the romanized query word letter by letter.

Hebrew writes a foreign name by its sound, most vowels with the letters that also write
consonants, and ``translit`` reads the letters back: "Kovalenko" comes back as kublnku,
"Weiss" as vys, "Maxine" as mksin, "Redfern" as rdprn. A consonant skeleton finds such a
word alike with many names; written out by the conventions it is alike with few. The
conventions, as the Academy of the Hebrew Language's rules for writing foreign names in
Hebrew letters (כללי התעתיק מלועזית לעברית, 2011) and the Hebrew press apply them:

- o and u are ו, i is י, and so is the vowel y; a and e are mostly not written, or a is
  א (a final a is ה or א) and an e said as i is י. A word's first vowel is carried by א
  or ע (Ellis, עליס), which ``translit`` reads as a or not at all.
- ei, ey, ai, ay are יי or י (Weiss, וייס); ou, oo, au are ו, and ow is ו or או.
- v and w are וו (or ו first in a word), or ב, and a German v, said f, is פ (von, פון);
  b is ב; p, ph and f are פ; k, hard c, ck and q are ק or כ; kh and German or Hebrew ch
  are ח or כ; English ch is צ׳, j is ג׳ or, in German and Dutch, י; soft g is ג׳ or ז׳; sh
  and sch are ש; ts, tz and German z are צ; th is ת; x is קס or כס. A doubled consonant is
  written once, and a final silent e not at all.
"""

from __future__ import annotations

import re
from functools import lru_cache

from normalizer.text.phonetics import TOKEN_CACHE
from normalizer.text.written import Convention, Options, Rules, comparable, reached

# A word needs this many letters to say a word: two, as in "rm", are too little to tell
# names apart by.
MIN_KEY = 3
# Hebrew writes o, u and i: a transcription may leave one of them out (דבלין for
# Dublin), no more; a and e it may leave out anywhere.
MAX_UNWRITTEN = 1
_WRITTEN_VOWELS = frozenset("iou")
# What ``translit`` gives for Hebrew letters: no e, o, f, w, q or x, and c only in the ch
# of צ׳. A word with those was written in another script.
_HEBREW_ROMANIZATION = re.compile(r"(?:[abdg-np-vyz]|ch)+")

# What letters of a Latin word Hebrew may write, and how (as ``translit`` reads it back;
# "" for not written; see ``text.written``).
_RULES = Rules(
    ("tch", ("ch",)),
    ("sch", ("sh",)),
    ("dzh", ("j",)),
    ("sh", ("sh",)),
    ("ch", ("ch", "kh", "h", "sh")),
    ("ph", ("p",)),
    ("th", ("t",)),
    ("kh", ("h", "kh")),
    ("gh", ("g", "")),
    ("ck", ("k",)),
    ("qu", ("kv", "k")),
    ("dj", ("j",)),
    ("zh", ("zh",)),
    ("ts", ("ts",)),
    ("tz", ("ts",)),
    ("ll", ("l", "y", "i", "")),
    ("ai", ("y", "i", "ai")),
    ("ay", ("y", "i", "ai")),
    ("ei", ("y", "i")),
    ("ey", ("y", "i")),
    ("au", ("u", "au")),
    ("aw", ("u", "av")),
    ("ow", ("u", "au", "uv")),
    ("ou", ("u",)),
    ("oo", ("u",)),
    ("ee", ("i",)),
    ("ea", ("i", "a")),
    ("a", ("", "a")),
    ("e", ("", "i", "a")),
    ("i", ("", "i", "y")),
    ("o", ("", "u")),
    ("u", ("", "u")),
    ("y", ("i", "y")),
    ("w", ("v", "u")),
    ("v", ("v", "u", "b", "p")),
    ("b", ("b",)),
    ("p", ("p",)),
    ("f", ("p",)),
    ("c", ("k", "kh", "s", "ts")),
    ("g", ("g", "j", "zh")),
    ("j", ("j", "y", "zh", "h")),
    ("h", ("h", "")),
    ("k", ("k", "kh")),
    ("q", ("k",)),
    ("x", ("ks", "khs")),
    ("s", ("s", "z")),
    ("z", ("z", "ts", "s")),
)
_VOWEL = frozenset("aeiouy")


def _options(alias: str, at: int) -> Options:
    """The rules that match ``alias`` at ``at`` (a letter no rule names, d, l, m, n, r or
    t, is written as itself); a first vowel may have א before it (read as a), and a final
    e is silent."""
    if at == len(alias) - 1 and at and alias[at] == "e":
        return [(at + 1, ("",))]
    found = _RULES.at(alias, at)
    if at == 0 and alias[0] in _VOWEL:
        found += [(end, tuple("a" + written for written in options)) for end, options in found]
    return found


def _counted(alias: str, at: int) -> bool:
    """An o, u or i: one the transcription may leave unwritten only once."""
    return alias[at] in _WRITTEN_VOWELS


def sonorants(word: str) -> str:
    """Which of m, n and r a word has, in this order: Hebrew always writes them, and no
    other letter as them, so a word and its transcription have the same (a quick test
    before the letter by letter one, and how likeness groups alias words for it)."""
    return "".join(letter for letter in "mnr" if letter in word)


@lru_cache(maxsize=TOKEN_CACHE)
def written_alike(query: str, alias: str) -> bool:
    """Whether the romanized query word may be the Latin alias word as Hebrew writes a
    foreign name (the conventions above), letter by letter."""
    if not comparable(query, alias, _HEBREW_ROMANIZATION, MIN_KEY):
        return False
    if sonorants(query) != sonorants(alias):
        return False
    return len(query) in reached(query, alias, _options, _counted, MAX_UNWRITTEN)


def carried_first_vowels(word: str) -> tuple[str, ...]:
    """A romanized Hebrew word read with its first vowel carried by א, not said: "aura"
    (אורה, Ora) as ura and ora, "aidn" (אידן, Idan) as idn and edn. ``translit`` reads a
    first א as a, which the comparison letter by letter allows for (``_options``), but
    keys of the word as read do not: a short name has no key of its consonants alone."""
    if len(word) < 3 or word[0] != "a":
        return ()
    rest = word[2:]
    if word[1] == "u":
        return ("u" + rest, "o" + rest)
    if word[1] == "i":
        return ("i" + rest, "e" + rest)
    return ()


CONVENTION = Convention(written_alike, lambda alias: (sonorants(alias),), sonorants)
