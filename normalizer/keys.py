"""Lookup keys: what a name is indexed under, and what a query looks up.

The same functions derive the keys of an alias at compile time and of a query at lookup
time, so a query finds an alias whenever they share a key. Key namespaces:

- ``n:`` the normalized name, and its core (optional tokens left out)
- ``s:`` the tokens sorted (order-insensitive), of the name and of its core
- ``j:`` the core tokens joined without spaces ("Abdul Rahman" = "Abdulrahman")
- ``a:`` acronyms of organization names (indexed side only)
- ``t:`` a token; ``f:`` its spelling fold; ``m:`` metaphone; ``k:`` consonant skeleton;
  ``d:`` one-letter deletions of the fold (typo neighbourhood, SymSpell-style); ``e:``
  one-letter deletions of the skeleton (looked up for names from other scripts only)
"""

from __future__ import annotations

from normalizer import tables
from normalizer.normalize import Analysis
from normalizer.phonetics import metaphone, skeleton, spelling_fold

FULL_NAMESPACES = ("n", "s", "j", "a")
TOKEN_NAMESPACES = ("t", "f", "m", "k", "d", "e")
TRANSCRIBED_ONLY = "e:"
MIN_DELETION_LENGTH = 4
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


def deletions(word: str) -> set[str]:
    """Every string made by deleting one letter of ``word``."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def token_keys(token: str) -> set[str]:
    """Keys of one token: itself, its phonetic forms and its typo neighbourhood."""
    folded = spelling_fold(token)
    keys = {"t:" + token, "f:" + folded}
    if sound := metaphone(folded):
        keys.add("m:" + sound)
    consonants = skeleton(token)
    if len(consonants) >= 2:
        keys.add("k:" + consonants)
    if len(consonants) >= 3:
        keys.update("e:" + variant for variant in deletions(consonants))
    if len(folded) >= MIN_DELETION_LENGTH:
        keys.update("d:" + variant for variant in deletions(folded))
        keys.add("d:" + folded)
    return keys


def acronym_keys(analysis: Analysis, hyphen_words: list[list[str]]) -> set[str]:
    """Acronyms of an organization name.

    ``hyphen_words`` groups tokens by written word ("Al-Haq" is one word of two tokens).
    Usage varies, so acronyms are taken by written word, by token, and by word without its
    article ("Asa'ib Ahl al-Haq": AAA, AAAH, AAH), each with and without function words
    and legal forms.
    """
    stop = tables.stopwords()
    legal_words = {word for form in tables.legal_forms() for word in form}
    optional = {
        t
        for t, opt in zip(analysis.tokens, analysis.optional, strict=True)
        if opt and t in legal_words
    }
    variants: set[str] = set()
    by_token = [[t] for word in hyphen_words for t in word]
    particles = tables.particles()
    no_article = [[t for t in word if t not in particles] or word for word in hyphen_words]
    for groups in (hyphen_words, by_token, no_article):
        for skip_stop in (True, False):
            for skip_legal in (True, False):
                letters = [
                    group[0][0]
                    for group in groups
                    if group
                    and not (skip_stop and len(group) == 1 and group[0] in stop)
                    and not (skip_legal and all(t in optional for t in group))
                ]
                acronym = "".join(letters)
                if len(acronym) in ACRONYM_LENGTHS:
                    variants.add(acronym)
    return {"a:" + v for v in variants}


def query_acronym_key(analysis: Analysis) -> str | None:
    """The acronym key a one-word query could be ("CJNG", "c.j.n.g.")."""
    if len(analysis.tokens) == 1 and analysis.tokens[0].isalpha():
        token = analysis.tokens[0]
        if len(token) in ACRONYM_LENGTHS:
            return "a:" + token
    return None
