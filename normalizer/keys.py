"""Lookup keys: what a name is indexed under, and what a query looks up.

The same functions derive the keys of an alias at compile time and of a query at lookup
time, so a query finds an alias whenever they share a key. Key namespaces:

- ``n:`` the normalized name, and its core (optional tokens left out)
- ``s:`` the tokens sorted (order-insensitive), of the name and of its core
- ``j:`` the core tokens joined without spaces ("Abdul Rahman" = "Abdulrahman")
- ``a:`` acronyms of organization names in the usual style, ``b:`` in other styles
- ``t:`` a token; ``f:`` its spelling fold; ``m:`` metaphone; ``k:`` consonant skeleton

A query also looks up the spelling folds of the nicknames of its given names, and of the
names its nicknames are short for ("Vasya" <-> "Vasiliy").

Typos are found from the query side only: a query also looks up every spelling fold one
edit away from its own (and, for names from other scripts, every skeleton one edit away).
That costs a few hundred key lookups per query, batched in one fetch, and keeps the index
at four keys per token whatever the table's size (a deletion neighbourhood on the indexed
side would multiply it by the word length).
"""

from __future__ import annotations

from functools import lru_cache

from normalizer import tables
from normalizer.normalize import Analysis
from normalizer.phonetics import metaphone, skeleton, spelling_fold

MIN_TYPO_LENGTH = 4
ACRONYM_LENGTHS = range(2, 11)


def full_keys(analysis: Analysis) -> set[str]:
    """Whole-name keys: normalized, token-sorted and joined, of the name and of its core."""
    keys: set[str] = set()
    for tokens in {analysis.tokens, analysis.core}:
        if tokens:
            keys.add("n:" + " ".join(tokens))
            keys.add("s:" + " ".join(sorted(tokens)))
    if len(analysis.core) > 1:
        keys.add("j:" + "".join(analysis.core))
    elif analysis.core:
        keys.add("j:" + analysis.core[0])
    return keys


_FOLD_LETTERS = "abcdefghiklmnoprstuxy"
_SKELETON_LETTERS = "bcgjkmnrstx"


def edits(word: str, letters: str) -> set[str]:
    """Every string one deletion, swap of neighbours, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b[1:] for a, b in splits if b for c in letters}
    found |= {a + c + b for a, b in splits for c in letters}
    found.discard(word)
    return found


@lru_cache(maxsize=262144)
def token_keys(token: str) -> frozenset[str]:
    """Keys of one token: itself and its phonetic forms."""
    folded = spelling_fold(token)
    keys = {"t:" + token, "f:" + folded}
    if sound := metaphone(folded):
        keys.add("m:" + sound)
    consonants = skeleton(token)
    if len(consonants) >= 2:
        keys.add("k:" + consonants)
    return frozenset(keys)


@lru_cache(maxsize=65536)
def nickname_keys(token: str) -> frozenset[str]:
    """Spelling-fold keys of the names a given name is a nickname of, or the nicknames of
    it ("vasya" looks up "vasiliy", and the reverse)."""
    return frozenset("f:" + fold for fold in tables.nicknames().get(spelling_fold(token), ()))


@lru_cache(maxsize=65536)
def typo_keys(token: str, transcribed: bool) -> frozenset[str]:
    """Keys one edit away from the token's: its spelling fold and, for a name transcribed
    from another script, its consonant skeleton."""
    folded = spelling_fold(token)
    keys: set[str] = set()
    if len(folded) >= MIN_TYPO_LENGTH:
        keys.update("f:" + variant for variant in edits(folded, _FOLD_LETTERS))
    consonants = skeleton(token)
    if transcribed and len(consonants) >= 3:
        keys.update("k:" + variant for variant in edits(consonants, _SKELETON_LETTERS))
    return frozenset(keys - token_keys(token))


def acronym_keys(analysis: Analysis, hyphen_words: list[list[str]]) -> set[str]:
    """Acronyms of an organization name.

    ``hyphen_words`` groups tokens by written word ("Al-Haq" is one word of two tokens).
    Usage varies, so acronyms are taken by written word, by token, and by word without its
    article ("Asa'ib Ahl al-Haq": AAA, AAAH, AAH), each with and without function words
    and legal forms.
    """
    stop = tables.stopwords()
    legal_words = tables.legal_form_words()
    optional = {
        t
        for t, opt in zip(analysis.tokens, analysis.optional, strict=True)
        if opt and t in legal_words
    }
    variants: dict[str, bool] = {}  # acronym -> the usual style made it
    by_token = [[t] for word in hyphen_words for t in word]
    particles = tables.particles()
    no_article = [[t for t in word if t not in particles] or word for word in hyphen_words]
    for groups in (hyphen_words, by_token, no_article):
        # Each word once: its initial, and whether it is a function word or a legal form.
        words = [
            (group[0][0], len(group) == 1 and group[0] in stop, all(t in optional for t in group))
            for group in groups
            if group
        ]
        for skip_stop in (True, False):
            for skip_legal in (True, False):
                acronym = "".join(
                    initial
                    for initial, is_stop, is_legal in words
                    if not (skip_stop and is_stop) and not (skip_legal and is_legal)
                )
                if len(acronym) in ACRONYM_LENGTHS:
                    usual = groups is hyphen_words and skip_stop and skip_legal
                    variants[acronym] = variants.get(acronym, False) or usual
    # The usual style (one letter a written word, no function words or legal form) is
    # "a:"; the other styles are "b:", weaker when two organizations share an acronym.
    return {("a:" if usual else "b:") + acronym for acronym, usual in variants.items()}


def query_acronym_keys(analysis: Analysis) -> tuple[str, str] | None:
    """The acronym keys (usual style, other styles) a one-word query could be ("CJNG"),
    legal form and titles aside ("TMZ OAO", "RB LLC": the acronym of the name before it)."""
    if len(analysis.core) == 1 and analysis.core[0].isalpha():
        token = analysis.core[0]
        if len(token) in ACRONYM_LENGTHS:
            return "a:" + token, "b:" + token
    return None
