"""How a Latin name comes back from katakana: a word as Japanese writes foreign names,
compared with the romanized query word letter by letter.

Japanese writes a foreign name by its sound in syllables, and ``translit`` reads them back
in Hepburn (a long vowel once, a final added vowel dropped): "Fletcher" comes back as
furetcha, "Buckley" as bakkuri, "Carver" as kava, "Smirnova" as sumirunowa. A
consonant skeleton finds such a word alike with many names; written out by the
conventions it is alike with few. The conventions, as the Cabinet notice on writing
loanwords (外来語の表記, 1991) and Japanese dictionaries of foreign names apply them:

- Every consonant but n carries a vowel: one the name lacks is added, u (o after t and d, i
  after ch and j); a consonant before another may be doubled (ッ: Dick, ディック).
- l and r are both r; v is b (or ヴ, v), f in German and Russian names, w in Russian
  -ova; th is s or z; f and ph are f, or h; si, ti, zi, tu, hu are shi, chi, ji, tsu,
  fu; ca is ka or kya; x is ks or kus.
- English r after a vowel and before no vowel is not written (the vowel is long:
  Carver, カーヴァー); final er, ar, or are a. A silent e is not written.
- English vowels as said: a as e or ei (Blake), i and y as ai (Mike), o and u
  as a (Buckley, バックリー), ee and ea as i, oo as u, ou and ow as au, au and aw as o.
- German names as German says them: ei and ey as ai, and before a vowel as aiy (Geyer,
  ガイヤー); ch as h with its vowel (Albrecht, アルブレヒト). Spanish names as Spanish says
  them: j, and g before e or i, as h (Gerona, ヘロナ), ju as fu (Julieta, フリエタ).
"""

from __future__ import annotations

import re
from functools import lru_cache
from string import ascii_lowercase

from normalizer.text.phonetics import TOKEN_CACHE
from normalizer.text.written import Convention, Options, Rules, comparable, reached

# A word needs this many letters to say a word ("kim" for Kim is the least).
MIN_KEY = 3
# A silent e inside a word ("James", jemuz) may go unwritten once; every other vowel is.
MAX_UNWRITTEN = 1
# What ``translit``'s Hepburn gives: no l, q or x, and c only in ch. A word with those was
# written in another script.
_HEPBURN = re.compile(r"(?:[abd-kmnoprstuvwyz]|ch)+")
_VOWEL = frozenset("aeiouy")
_SILENT_E = re.compile(r"es?$")
# Consonants a small ッ may double before them.
_DOUBLED = frozenset("bdgkpst")
# The vowels katakana adds after a consonant the name has without one.
_ADDED_VOWELS = ("u", "o", "i")

_RULES = Rules(
    ("k", ("k", "ky")),
    ("sch", ("sh",)),
    ("tch", ("ch",)),
    ("aie", ("aiya", "aiye")),
    ("aye", ("aiya", "aiye")),
    ("eie", ("aiya", "aiye")),
    ("eye", ("aiya", "aiye")),
    ("ai", ("ei", "ai", "e")),
    ("ay", ("ei", "ai", "e")),
    ("ei", ("ei", "ai", "e", "i")),
    ("ey", ("ei", "i", "e")),
    ("ee", ("i",)),
    ("ea", ("i", "e", "ia")),
    ("ie", ("i", "ie", "ai")),
    ("oo", ("u",)),
    ("ou", ("au", "o", "u")),
    ("ow", ("au", "o")),
    ("au", ("o", "au")),
    ("aw", ("o",)),
    ("oa", ("o",)),
    ("ue", ("u", "yu")),
    ("eu", ("yu", "oi")),
    ("oy", ("oi",)),
    ("ae", ("e", "ai")),
    ("ch", ("ch", "k", "sh", "h")),
    ("ck", ("k",)),
    ("dj", ("j",)),
    ("ge", ("he",)),
    ("gi", ("hi",)),
    ("ju", ("fu",)),
    ("gh", ("g", "", "f")),
    ("kh", ("h", "k")),
    ("kn", ("n",)),
    ("mc", ("mak", "mag")),
    ("ph", ("f",)),
    ("ps", ("s", "ps")),
    ("qu", ("kw", "k")),
    ("sh", ("sh",)),
    ("th", ("s", "z", "t")),
    ("ts", ("ts",)),
    ("tz", ("ts",)),
    ("wh", ("w", "h")),
    ("wr", ("r",)),
    ("zh", ("j",)),
    ("a", ("a", "e", "ei")),
    ("e", ("e", "i", "a", "")),
    ("i", ("i", "ai")),
    ("o", ("o", "a", "u")),
    ("u", ("u", "a", "yu")),
    ("y", ("i", "ai", "y")),
    ("c", ("k", "s", "ky")),
    ("d", ("d", "j")),
    ("f", ("f", "h")),
    ("g", ("g", "j")),
    ("h", ("h", "", "f")),
    ("j", ("j", "y", "h")),
    ("l", ("r",)),
    ("m", ("m", "n")),
    ("q", ("k",)),
    ("s", ("s", "sh", "z")),
    ("t", ("t", "ch", "ts")),
    ("v", ("b", "v", "f", "w")),
    ("w", ("w", "u", "v")),
    ("x", ("ks", "kus", "z")),
    ("z", ("z", "j", "ts")),
)


def _options(alias: str, at: int) -> Options:
    """The rules that match ``alias`` at ``at`` (a letter no rule names, b, k, n, p or r, is
    written as itself), with what katakana adds: a doubled consonant, a vowel after a
    consonant that has none, an r after a vowel unwritten."""
    found: Options = []
    # A first e is said, never silent (Ethan, イーサン, is no サン).
    first_e = not at and alias[0] == "e"
    for end, writings in _RULES.at(alias, at):
        if first_e:
            writings = tuple(written for written in writings if written)
        added = list(writings)
        # A silent final e (James, Charles) leaves the consonant before it without a vowel.
        vowel_next = alias[end : end + 1] in _VOWEL and not _SILENT_E.fullmatch(alias, end)
        for written in writings:
            if written[:1] in _DOUBLED:
                added.append(written[0] + written)
            elif written.startswith("ch"):
                added.append("t" + written)  # ッチ
            if written and written[-1] not in _VOWEL and written != "n" and not vowel_next:
                added += [written + vowel for vowel in _ADDED_VOWELS]
        if alias[at] == "r" and at and alias[at - 1] in _VOWEL and not _before_vowel(alias, end):
            added.append("")  # non-rhotic English: the vowel before is long
        found.append((end, tuple(added)))
    return found


def _before_vowel(alias: str, at: int) -> bool:
    """Whether a vowel is said at ``at``: not a final silent e, unless it ends the word
    after r (Claire, クレア)."""
    return alias[at : at + 1] in _VOWEL and alias[at:] != "e"


def _counted(alias: str, at: int) -> bool:
    """An e inside the word, which katakana may leave out as silent only once."""
    return alias[at] == "e" and at < len(alias) - 1


@lru_cache(maxsize=TOKEN_CACHE)
def first_letters(alias: str) -> frozenset[str]:
    """The letters a katakana transcription of ``alias`` may start with, as romanized
    (how likeness groups alias words for ``written_alike``)."""
    writings = [written for _, options in _options(alias, 0) for written in options]
    if "" in writings:
        return frozenset(ascii_lowercase)
    return frozenset(written[0] for written in writings)


@lru_cache(maxsize=TOKEN_CACHE)
def written_alike(query: str, alias: str) -> bool:
    """Whether the romanized query word may be the Latin alias word as katakana writes a
    foreign name (the conventions above), letter by letter."""
    if not comparable(query, alias, _HEPBURN, MIN_KEY) or query[0] not in first_letters(alias):
        return False
    return len(query) in reached(query, alias, _options, _counted, MAX_UNWRITTEN)


CONVENTION = Convention(written_alike, first_letters, lambda word: word[:1])
