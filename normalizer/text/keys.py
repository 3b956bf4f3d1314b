"""Lookup keys: what a name is indexed under, and what a query looks up.

The same functions derive the keys of an alias at compile time and of a query at lookup
time, so a query finds an alias whenever they share a key. Key namespaces:

- ``s:`` the whole name, tokens sorted (order-insensitive), of the name and of its core
  (optional tokens left out). A query also asks for its core joined into one word, with
  two adjacent words joined, and with one word split in two, so that "Abdul Rahman",
  "Abdulrahman" and "Sohrab Zadeh"/"Sohrabzadeh" find each other from the query side
  alone: the table keeps one or two whole-name keys per name (three for a name with a word
  spelled out in single letters, "Q A V", which it also keeps as one word). They are made
  in ``text.whole_names``.
- ``a:`` acronyms of organization names in the usual style, ``b:`` in other styles
  (``text.acronyms``)
- ``t:`` a token; ``f:`` its spelling fold; ``m:`` metaphone; ``k:`` consonant skeleton
- ``p:`` two core words of a person's name by their consonant skeletons, sorted (``pair_keys``)
- ``v:`` a token's consonant skeletons as its own language may read its letters
  (``reading_keys``), which only a query from another script asks
- ``w:`` a name's core words by their spelling folds, sorted, if two or more
  (``text.whole_names.sounded_keys``); a query also asks its own with one word replaced by
  a typo key of it that the table has (``match.second_fetch.near_sounded_keys``)

A query also looks up the spelling folds of the nicknames of its given names, and of the
names its nicknames are short for ("Vasya" <-> "Vasiliy"); a word from Hangul or kana, the
skeletons of the English words it may write without their r (``unwritten_r_keys``); a
word from any other script, its fold with one vowel read as another, and from kana or
Hangul with an r read as an l (``respelled_keys``).

Typos are found from the query side only: a query also looks up every spelling fold one
edit away from its own (and, for names from other scripts, every skeleton one edit away).
That costs a few hundred key lookups per query, batched in one fetch, and keeps the index
at four keys per token whatever the table's size (a deletion neighbourhood on the indexed
side would multiply it by the word length).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import combinations, product

from normalizer.caches import bounded
from normalizer.text import tables
from normalizer.text.phonetics import metaphone, skeleton, sound_classes, spelling_fold
from normalizer.text.transcription import alias_readings

MIN_TYPO_LENGTH = 4
# Typo variants are the spelling folds one edit away, some 60 per letter: no more letters
# than this (a longer word is still found by its other keys; its typos are not).
MAX_TYPO_LENGTH = 20


_FOLD_LETTERS = "abcdefghiklmnoprstuxy"
_DOUBLED = re.compile(r"(.)\1+")
_SKELETON_LETTERS = "bcgjkmnrstx"


def edits(word: str, letters: str, prefix: str = "") -> set[str]:
    """Every string one deletion, swap of neighbours, substitution or insertion away, each
    after ``prefix`` (a key's namespace: written once, not added to each string after)."""
    splits = [(prefix + word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    # Substitutions and insertions are most of them: each string built in one step.
    for a, b in splits:
        found.update([f"{a}{c}{b}" for c in letters])
        if b:
            rest = b[1:]
            found.update([f"{a}{c}{rest}" for c in letters])
    found.discard(prefix + word)
    return found


@lru_cache(maxsize=32768)
def token_keys(token: str) -> frozenset[str]:
    """Keys of one token: itself and its phonetic forms."""
    folded = spelling_fold(token)
    keys = {"t:" + token, "f:" + folded}
    if sound := metaphone(folded):
        keys.add("m:" + sound)
    if consonants := skeleton_key(token):
        keys.add(consonants)
    return frozenset(keys)


def skeleton_key(token: str) -> str | None:
    """A token's ``k:`` key (of its token_keys): its consonant skeleton, if of two
    consonants or more."""
    consonants = skeleton(token)
    return "k:" + consonants if len(consonants) >= 2 else None


def reading_keys(token: str) -> tuple[str, ...]:
    """A word's ``v:`` keys: its consonant skeletons, of two consonants or more, as its own
    language may read its letters (``transcription.alias_readings``: Wendt as Vendt,
    Padilla as Padiya), which is what another script writes of it. Apart from the
    ``k:`` keys: a Latin query writes the letters, and asks none; and a common skeleton's
    postings stay those of the words that have it."""
    return tuple("v:" + reading for reading in alias_readings(token) if len(reading) >= 2)


# A name's words paired: the first this many that have a skeleton (15 pairs at most).
MAX_PAIRED_WORDS = 6


def pair_keys(skeleton_keys: Sequence[Iterable[str]]) -> dict[str, tuple[int, int]]:
    """The ``p:`` keys of a name whose words have these skeleton keys (none for a word left
    out): each two skeletons of two words, sorted, with the two words' places; of the first
    MAX_PAIRED_WORDS words that have one.

    A common word's keys list only their first aliases (``table.shard.MAX_POSTINGS``): in a
    large table, a name whose every word is common (as written, by sound) could be found by
    none of them, or only if listed early. Two words' skeletons together are rare, and a
    name from another script, whose spelling is a guess, has few other keys."""
    words = [(i, sorted({key[2:] for key in keys})) for i, keys in enumerate(skeleton_keys)]
    words = [word for word in words if word[1]][:MAX_PAIRED_WORDS]
    pairs: dict[str, tuple[int, int]] = {}
    for (i, first), (j, second) in combinations(words, 2):
        for pair in product(first, second):
            pairs.setdefault("p:" + " ".join(sorted(pair)), (i, j))
    return pairs


def transcribed_skeleton_key(token: str) -> str | None:
    """The skeleton key a word romanized from another script looks up instead of its own
    when its g, read hard, makes it another (``phonetics.skeleton``)."""
    consonants = skeleton(token, hard_g=True)
    if len(consonants) >= 2 and consonants != skeleton(token):
        return "k:" + consonants
    return None


# An English r a Korean or Japanese transcription may have left unwritten, at most this
# many times a word.
MAX_UNWRITTEN_R = 2


@lru_cache(maxsize=65536)
def unwritten_r_keys(token: str) -> frozenset[str]:
    """The skeleton keys of the Latin words a romanized Korean or Japanese word may write,
    had it kept the letters these scripts do not write of English (Britain's English,
    which both follow, says no r after a vowel and before no vowel: Parker, Korean pakeo,
    Japanese paka; both write th as s): an r after any one or two of its vowels, and
    its s as th; and its h with a vowel after a vowel as the ch of German. Its own skeleton
    key aside."""
    classes = sound_classes(token)  # consonant classes, each run of vowels one "a"
    ends = [i + 1 for i, c in enumerate(classes) if c == "a"]
    spellings = {classes}
    for count in range(1, MAX_UNWRITTEN_R + 1):
        for at in combinations(ends, count):
            spellings.add("".join(c + "r" * (i + 1 in at) for i, c in enumerate(classes)))
    spellings |= {s[:i] + "t" + s[i + 1 :] for s in spellings for i, c in enumerate(s) if c == "s"}
    keys = {"k:" + _DOUBLED.sub(r"\1", spelling.replace("a", "")) for spelling in spellings}
    # German ch, which both write as h and a vowel after a vowel (Albrecht: アルブレヒト,
    # aruburehit; 알브레히트), where the skeleton, which leaves h out, loses it.
    if (german := _GERMAN_CH.sub("ch", token)) != token:
        keys.add("k:" + skeleton(german, hard_g=True))
    own = "k:" + skeleton(token, hard_g=True)
    return frozenset(key for key in keys if len(key) >= 4 and key != own)


_GERMAN_CH = re.compile(r"(?<=[aeiou])h(?=[iu])")
_VOWEL_LETTERS = "aeiou"
# Japanese and Korean have one liquid, which their romanization writes r (or l): a Latin
# name's l and r are the same letter there ("Dolin" is ドーリン, dorin).
_LIQUIDS = {"r": "l", "l": "r"}


@lru_cache(maxsize=65536)
def respelled_keys(token: str, liquids: bool) -> frozenset[str]:
    """The spelling folds a word from another script may write with one of its vowels
    read as another (a transcription's vowels say least: Arabic and Hebrew leave most
    unwritten, katakana writes English e as i), or, with ``liquids`` (from kana or
    Hangul), one of its r and l as the other. Its own fold aside; a fold of two letters
    or more."""
    folded = spelling_fold(token)
    if len(folded) < 2:
        return frozenset()
    keys: set[str] = set()
    for at, letter in enumerate(folded):
        if letter in _VOWEL_LETTERS:
            others = _VOWEL_LETTERS.replace(letter, "")
        elif liquids and letter in _LIQUIDS:
            others = _LIQUIDS[letter]
        else:
            continue
        keys.update("f:" + folded[:at] + other + folded[at + 1 :] for other in others)
    return frozenset(keys)


@lru_cache(maxsize=65536)
def nickname_keys(token: str) -> frozenset[str]:
    """Spelling-fold keys of the names a given name is a nickname of, or the nicknames of
    it ("vasya" looks up "vasiliy", and the reverse)."""
    return frozenset("f:" + fold for fold in tables.nicknames().get(spelling_fold(token), ()))


MIN_TYPO_SKELETON = 3


def typo_sources(token: str, transcribed: int) -> list[tuple[str, str, str]]:
    """What a token's typo keys are one edit from, as (namespace, word, letters the edits
    write): its spelling fold and, for a name transcribed from another script, its
    consonant skeleton."""
    sources = []
    folded = spelling_fold(token)
    if MIN_TYPO_LENGTH <= len(folded) <= MAX_TYPO_LENGTH:
        sources.append(("f:", folded, _FOLD_LETTERS))
    if transcribed:  # only then: the skeleton of a word costs a rewrite of it
        consonants = skeleton(token, hard_g=True)
        if MIN_TYPO_SKELETON <= len(consonants) <= MAX_TYPO_LENGTH:
            sources.append(("k:", consonants, _SKELETON_LETTERS))
    return sources


@bounded(32 << 20)
def typo_keys(token: str, transcribed: int) -> frozenset[str]:
    """Keys one edit away from the token's (``typo_sources``), its own keys aside."""
    keys: set[str] = set()
    for prefix, word, letters in typo_sources(token, transcribed):
        keys |= edits(word, letters, prefix)
    return frozenset(keys - token_keys(token))
