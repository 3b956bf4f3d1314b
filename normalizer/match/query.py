"""A query as the matcher looks it up: its words, whether it was written in another script,
and the keys it asks the store for, each with the word it comes from and what sharing it says.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain

from normalizer.table.near_keys import NearKeys
from normalizer.table.records import Postings
from normalizer.text.acronyms import query_acronym_keys
from normalizer.text.arabic import v_reading
from normalizer.text.hebrew import carried_first_vowels
from normalizer.text.keys import (
    MAX_PAIRED_WORDS,
    MIN_TYPO_SKELETON,
    nickname_keys,
    pair_keys,
    respelled_keys,
    token_keys,
    transcribed_skeleton_key,
    typo_keys,
    unwritten_r_keys,
)
from normalizer.text.normalize import Analysis, analyze
from normalizer.text.palladius import pinyin_names, pinyin_spellings
from normalizer.text.phonetics import ocr_readings, skeleton, spelling_fold
from normalizer.text.transcription import latin_spellings
from normalizer.text.translit import Script
from normalizer.text.whole_names import letter_runs, query_whole_keys, sounded_key, sounded_keys

# How much a shared key of each kind says, relative to sharing the token itself.
KEY_WEIGHTS = {"t": 1.0, "f": 0.9, "m": 0.6, "k": 0.6}
# A skeleton of a word from another script that an alias word has as its language reads it
# (``text.keys.reading_keys``) says what a skeleton shared as written does. Chosen on half
# A of the dev set (a typo key's weight, 0.5, tried too: the same answers at 5x and 50x).
READING_WEIGHT = KEY_WEIGHTS["k"]
# A pair key (``text.keys.pair_keys``) says for each of its two words three quarters of
# its rarity at a skeleton's weight. Half would be about what the two skeleton keys say
# were they rare enough to list every alias (a pair's rarity is about the sum of its
# words'); two words found together as they are written say more than two found apart,
# each by one of its sixty typo keys. Chosen on half A of the dev set at 50x (a half, three
# quarters and all tried: three quarters found five names from other scripts more; all
# of it the same five and a held-out alias, and lost a Korean name).
PAIR_WEIGHT = KEY_WEIGHTS["k"] * 0.75
TYPO_WEIGHT = 0.5
# A word from another script read with one vowel as another (or, from kana or Hangul, an r
# as an l: ``text.keys.respelled_keys``) says more than one of its typo keys does: its
# vowels are the transcription's least sure letters. Chosen on half A of the dev set (0.6
# and 0.9 tried: 0.6 found three names from kana more at 50x; 0.9 one at 5x, and at 50x
# three more and two fewer).
RESPELLED_WEIGHT = 0.6
# A pair key with one word's skeleton one edit off says, for each word, half a typo key's.
NEAR_PAIR_WEIGHT = TYPO_WEIGHT / 2
# Scripts that write English names as spoken in Britain (text.keys.unwritten_r_keys).
_NON_RHOTIC = frozenset((Script.KANA, Script.HANGUL))
# Scripts of languages with one liquid, r and l alike (text.keys.respelled_keys).
_ONE_LIQUID = frozenset((Script.KANA, Script.HANGUL))
MAX_QUERY_TOKENS = 16

Keys = dict[str, list[tuple[int, float]]]


@dataclass
class Query:
    """A name to resolve, analyzed, with its keys."""

    text: str
    analysis: Analysis
    # key -> (position of a query token that produces it, how much sharing it says)
    keys: Keys
    transcribed: int  # a translit.Script: 0 (false) for Latin letters
    # Each token's typo keys (worth TYPO_WEIGHT), kept apart: they are most of a query's
    # keys and few exist, so the matcher looks them up without a list for each.
    typos: tuple[frozenset[str], ...] = ()
    # Each token's skeleton keys as its pair keys pair them (empty for a word left out).
    skeletons: tuple[tuple[str, ...], ...] = ()

    def all_keys(self) -> list[str]:
        """Every key the query looks up, each once."""
        return list(dict.fromkeys(chain(self.keys, *self.typos)))


def analyzed(text: str) -> Analysis:
    """A name's words, at most MAX_QUERY_TOKENS of them."""
    analysis = analyze(text)
    if len(analysis.tokens) > MAX_QUERY_TOKENS:
        # No name has this many words; the rest would only cost (keys, alignments).
        kept = analysis.tokens[:MAX_QUERY_TOKENS]
        analysis = Analysis(" ".join(kept), kept, analysis.optional[:MAX_QUERY_TOKENS])
    return analysis


def prepare(text: str, analysis: Analysis | None = None, near: NearKeys | None = None) -> Query:
    """The query for a name (``analysis``: its words, if analyzed already) and its keys;
    with the table's ``near`` keys, only the typo keys it has (no others could be found)."""
    analysis = analysis or analyzed(text)
    script = _script(text)
    transcribed = Script.LATIN if script is None else Script.OTHER
    if script == "CYRILLIC":
        transcribed = Script.CYRILLIC
    elif script == "HEBREW":
        transcribed = Script.HEBREW
    elif script in ("KATAKANA", "HIRAGANA"):
        transcribed = Script.KANA
    elif script == "HANGUL":
        transcribed = Script.HANGUL
    elif script == "ARABIC":
        transcribed = Script.ARABIC
    typos_of = typo_keys if near is None else near.typo_keys
    typos = tuple(typos_of(token, transcribed) for token in analysis.tokens)
    keys, skeletons = _keys(analysis, transcribed)
    return Query(text, analysis, keys, transcribed, typos, skeletons)


def near_pair_keys(query: Query, found: Mapping[str, object]) -> Keys:
    """The pair keys of the query's words with one word's skeleton one edit off: each
    skeleton typo key the table has (in ``found``, the first fetch) paired with each other
    word's skeletons, where one of the two lists only some of its aliases; those the query
    does not ask already.

    A name from another script is a guess at its Latin spelling, and a word's skeleton is
    often one letter off (a z written j, an r left out). Where the other word is common,
    its own keys list only some of its aliases, and the name may be found by neither word:
    the pair of the near skeleton and the other word's is rare, and names it. Where both
    list every alias, each already says what it can."""
    extra: Keys = {}
    # The words the table's pair keys could pair (``text.keys.pair_keys``).
    paired = [i for i, skeletons in enumerate(query.skeletons) if skeletons][:MAX_PAIRED_WORDS]
    if not query.transcribed or len(paired) < 2:
        return extra
    for position in paired:
        near = [
            (key[2:], _partial(found[key]))
            for key in sorted(found.keys() & query.typos[position])
            if key.startswith("k:") and len(key) >= _NEAR_PAIRED
        ]
        for other in paired:
            if other == position:
                continue
            for key in query.skeletons[other]:
                if len(key) < _NEAR_PAIRED:
                    continue
                listed_all = not _partial(found.get(key))
                for variant, partial in near:
                    if listed_all and not partial:
                        continue
                    pair = "p:" + " ".join(sorted((variant, key[2:])))
                    if pair not in query.keys:
                        places = extra.setdefault(pair, [])
                        places += [(position, NEAR_PAIR_WEIGHT), (other, NEAR_PAIR_WEIGHT)]
    return extra


# The most ``w:`` keys a query asks with one word mistyped (each a word of the table).
MAX_NEAR_SOUNDED = 64


def near_sounded_keys(query: Query, found: Mapping[str, object]) -> Keys:
    """The ``w:`` keys (text.whole_names.sounded_keys) of the query's core with one word
    replaced by a word of the table one typo from it: each of the word's typo keys that
    the table has (in ``found``, the first fetch). A name one typo from the query, all of
    whose words are common, is listed by none of its words' keys in a big table; its
    whole name is rare."""
    extra: Keys = {}
    analysis = query.analysis
    core = _core_positions(analysis)
    if len(core) < 2:
        return extra
    folds = [spelling_fold(analysis.tokens[i]) for i in core]
    for at, position in enumerate(core):
        for key in sorted(found.keys() & query.typos[position]):
            if key.startswith("f:") and len(extra) < MAX_NEAR_SOUNDED:
                near = sounded_key([*folds[:at], key[2:], *folds[at + 1 :]])
                if near not in query.keys:
                    extra[near] = []
    return extra


# Two consonants are too many names' skeleton to pair one edit off ("k:" and three).
_NEAR_PAIRED = 2 + MIN_TYPO_SKELETON


def _partial(postings: object) -> bool:
    """Whether a key's postings list only some of its aliases (a common key's)."""
    return isinstance(postings, Postings) and postings.size > len(postings.ids)


def _keys(analysis: Analysis, transcribed: int) -> tuple[Keys, tuple[tuple[str, ...], ...]]:
    """Whole-name and acronym keys (of no one word), then the keys of each word and of each
    two adjacent words written as one; and each word's skeleton keys, as paired."""
    keys: Keys = {key: [] for key in query_whole_keys(analysis)}
    keys.update((key, []) for key in sounded_keys(analysis))
    if transcribed == Script.CYRILLIC:
        # A Chinese name in Cyrillic writes its pinyin syllable by syllable (Palladius): the
        # names it may write are whole names, as rare as the query's own whole-name key
        # (a common syllable's keys, "wang", list only some of their aliases).
        for name in pinyin_names(analysis.tokens):
            keys.setdefault("s:" + " ".join(sorted(name)), [])
    # Initials are Latin letters (match.pairing): a name from another script is none.
    for acronym in () if transcribed else query_acronym_keys(analysis) or ():
        keys[acronym] = []
    skeletons: list[list[str]] = []  # each word's skeleton keys, for its pair keys
    # The table pairs the words of a name's core.
    in_core = set(_core_positions(analysis))
    for position, token in enumerate(analysis.tokens):
        word_keys = _word_keys(token, transcribed)
        core = position in in_core
        skeletons.append([key for key in word_keys if key.startswith("k:")] if core else [])
        for key in word_keys:
            keys.setdefault(key, []).append((position, KEY_WEIGHTS[key[0]]))
        for key in nickname_keys(token):
            keys.setdefault(key, []).append((position, KEY_WEIGHTS["f"]))
        if not transcribed:
            # A scanned name's letters misread, two for one ("rn" for m): two edits, which
            # a typo's keys do not reach; weighed as a typo's.
            for reading in ocr_readings(token):
                for key in token_keys(reading):
                    keys.setdefault(key, []).append((position, TYPO_WEIGHT))
        if transcribed:
            # The Latin spellings Russian transcription writes so ("blek" is Black), and
            # the pinyin a Chinese name in Cyrillic writes ("tszin" is Jing).
            for spelling in (*latin_spellings(token), *pinyin_spellings(token)):
                keys.setdefault("f:" + spelling, []).append((position, KEY_WEIGHTS["f"]))
            # The alias words whose letters, read as their language reads them, this
            # word's skeleton writes (Hebrew ו and Arabic ف for a German w).
            for key in word_keys:
                if key.startswith("k:"):
                    keys.setdefault("v:" + key[2:], []).append((position, READING_WEIGHT))
            for key in respelled_keys(token, transcribed in _ONE_LIQUID):
                keys.setdefault(key, []).append((position, RESPELLED_WEIGHT))
        if transcribed == Script.ARABIC and (with_v := v_reading(token)):
            # The spellings of the word with its f as the v Arabic writes so, weighed as a
            # respelling's: a short word has no skeleton key, which would find it.
            for key in ("f:" + spelling_fold(with_v), *respelled_keys(with_v, False)):
                keys.setdefault(key, []).append((position, RESPELLED_WEIGHT))
        if transcribed == Script.HEBREW:
            # A first א that only carries the vowel after it: the word without it is as
            # much the word as ``translit``'s reading with an a.
            for reading in carried_first_vowels(token):
                for key in token_keys(reading):
                    keys.setdefault(key, []).append((position, KEY_WEIGHTS[key[0]]))
        if transcribed in _NON_RHOTIC:
            # Guessed letters, weighed as a typo's keys are: many words have one.
            guessed = unwritten_r_keys(token)
            for key in guessed:
                keys.setdefault(key, []).append((position, TYPO_WEIGHT))
            if core:
                skeletons[-1] += guessed
    # Two words' skeletons: what each word says, where its own keys are too common to
    # list every alias.
    for key, places in pair_keys(skeletons).items():
        keys.setdefault(key, []).extend((position, PAIR_WEIGHT) for position in places)
    # Two words the table writes as one ("Sohrab Zadeh" for Sohrabzadeh).
    tokens = analysis.tokens
    for position in range(len(tokens) - 1):
        joined = tokens[position] + tokens[position + 1]
        for key in token_keys(joined):
            keys.setdefault(key, []).append((position, KEY_WEIGHTS[key[0]]))
    # A word spelled out in single letters ("Q A V").
    for run in letter_runs(tokens):
        for key in token_keys("".join(tokens[i] for i in run)):
            keys.setdefault(key, []).append((run[0], KEY_WEIGHTS[key[0]]))
    return keys, tuple(tuple(word) for word in skeletons)


def _core_positions(analysis: Analysis) -> list[int]:
    """The places of the words of ``Analysis.core``: every word when all are optional."""
    every_word = analysis.core is analysis.tokens
    return [i for i, optional in enumerate(analysis.optional) if every_word or not optional]


def _word_keys(token: str, transcribed: int) -> frozenset[str]:
    """A word's keys; a romanized word's skeleton key with its g read hard."""
    keys = token_keys(token)
    if transcribed and (hard := transcribed_skeleton_key(token)):
        return (keys - {"k:" + skeleton(token)}) | {hard}
    return keys


def _script(text: str) -> str | None:
    """The script of the first letter of ``text`` that is not Latin, if any."""
    for char in text:
        if char.isalpha() and not char.isascii():
            name = unicodedata.name(char, "")
            script = name.split(" ", 1)[0]
            if script != "LATIN":
                return script
    return None
