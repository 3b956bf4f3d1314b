"""A query as the matcher looks it up: its words, whether it was written in another script,
and the keys it asks the store for, each with the word it comes from and what sharing it says.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from itertools import chain

from normalizer.table.near_keys import NearKeys
from normalizer.text.keys import (
    nickname_keys,
    pair_keys,
    query_acronym_keys,
    query_whole_keys,
    token_keys,
    transcribed_skeleton_key,
    typo_keys,
    unwritten_r_keys,
)
from normalizer.text.normalize import Analysis, analyze
from normalizer.text.palladius import pinyin_spellings
from normalizer.text.phonetics import skeleton
from normalizer.text.transcription import latin_spellings
from normalizer.text.translit import Script

# How much a shared key of each kind says, relative to sharing the token itself.
KEY_WEIGHTS = {"t": 1.0, "f": 0.9, "m": 0.6, "k": 0.6}
# A pair key (``text.keys.pair_keys``) says for each of its two words what half its rarity
# says at a skeleton's weight: together, about what the two skeleton keys would say were
# they rare enough to list every alias (a pair's rarity is about the sum of its words').
PAIR_WEIGHT = KEY_WEIGHTS["k"] / 2
TYPO_WEIGHT = 0.5
# Scripts that write English names as spoken in Britain (text.keys.unwritten_r_keys).
_NON_RHOTIC = frozenset((Script.KANA, Script.HANGUL))
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
    typos_of = typo_keys if near is None else near.typo_keys
    typos = tuple(typos_of(token, transcribed) for token in analysis.tokens)
    return Query(text, analysis, _keys(analysis, transcribed), transcribed, typos)


def _keys(analysis: Analysis, transcribed: int) -> Keys:
    """Whole-name and acronym keys (of no one word), then the keys of each word and of each
    two adjacent words written as one."""
    keys: Keys = {key: [] for key in query_whole_keys(analysis)}
    # Initials are Latin letters (match.pairing): a name from another script is none.
    for acronym in () if transcribed else query_acronym_keys(analysis) or ():
        keys[acronym] = []
    skeletons: list[list[str]] = []  # each word's skeleton keys, for its pair keys
    # The table pairs the words of a name's core (``Analysis.core``: every word when all
    # are optional).
    every_word = analysis.core is analysis.tokens
    for position, token in enumerate(analysis.tokens):
        word_keys = _word_keys(token, transcribed)
        core = every_word or not analysis.optional[position]
        skeletons.append([key for key in word_keys if key.startswith("k:")] if core else [])
        for key in word_keys:
            keys.setdefault(key, []).append((position, KEY_WEIGHTS[key[0]]))
        for key in nickname_keys(token):
            keys.setdefault(key, []).append((position, KEY_WEIGHTS["f"]))
        if transcribed:
            # The Latin spellings Russian transcription writes so ("blek" is Black), and
            # the pinyin a Chinese name in Cyrillic writes ("tszin" is Jing).
            for spelling in (*latin_spellings(token), *pinyin_spellings(token)):
                keys.setdefault("f:" + spelling, []).append((position, KEY_WEIGHTS["f"]))
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
    return keys


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
