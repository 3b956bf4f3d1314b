"""A query as the matcher looks it up: its words, whether it was written in another script,
and the keys it asks the store for (``match.query_keys``; those of a second fetch,
``match.second_fetch``), each with the word it comes from and what sharing it says.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from itertools import chain

from normalizer.match.query_keys import Keys, query_keys
from normalizer.table.near_keys import NearKeys
from normalizer.text.keys import typo_keys
from normalizer.text.normalize import Analysis, analyze
from normalizer.text.translit import Script

MAX_QUERY_TOKENS = 16


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
    keys, skeletons = query_keys(analysis, transcribed)
    return Query(text, analysis, keys, transcribed, typos, skeletons)


def _script(text: str) -> str | None:
    """The script of the first letter of ``text`` that is not Latin, if any."""
    for char in text:
        if char.isalpha() and not char.isascii():
            name = unicodedata.name(char, "")
            script = name.split(" ", 1)[0]
            if script != "LATIN":
                return script
    return None
