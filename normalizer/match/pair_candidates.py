"""The candidate pairs of a query and an alias, among which their alignment chooses
(``match.pairing``): any two units alike enough (see similarity.py), single words, two
adjacent words (or three around a particle) written as one, and (organizations) one word
that is the acronym of several.
"""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter

from normalizer.aliases.model import PERSON_TYPES
from normalizer.match.pairing import Pair, WeightedPair
from normalizer.match.similarity import token_similarity
from normalizer.match.units import Unit, WeightedUnit, acronym_runs, units, weighted_units
from normalizer.table.records import AliasRecord
from normalizer.text import tables
from normalizer.text.gendered import sex_forms
from normalizer.text.normalize import Analysis
from normalizer.text.phonetics import jaro_winkler, one_edit, spelling_fold
from normalizer.text.translit import Script

# Two or three words written as one pair as a unit only when nearly the same word.
MIN_COMPOUND = 0.92
# A word written as the initials of several words on the other side ("FPLC" for "Frente
# Popular de Liberación Costera"): sure of the letters, not of the reading.
ACRONYM_SIMILARITY = 0.9
# How a generic organization word may pair: written alike, not merely similar.
_LITERAL = frozenset({"exact", "phonetic", "abbreviation", "number", "typo", "ocr"})
# What token_similarity may find from the spelling folds of two words alone.
_BY_FOLD = frozenset({"fuzzy", "typo"})
# An organization's name of one word this short is a code or an acronym (ETA, KCNA): its
# letters are not sounds, and one letter more or less is another code.
MAX_CODE = 4
_AS_CODE = frozenset({"exact", "abbreviation", "number"})
# Scripts that write every vowel: there a final -a is written where the name has one (an
# abjad's or a syllabary's transcription guesses it).
_EVERY_VOWEL = frozenset({Script.LATIN, Script.CYRILLIC})


def candidate_pairs(
    query: Analysis, record: AliasRecord, transcribed: int, alike: Alike | None = None
) -> list[WeightedPair]:
    """Every pair of a query unit and an alias unit alike enough, and the acronym pairs.
    ``alike``: the only pairs of texts that may be (match.likeness), if known."""
    candidates: list[WeightedPair] = []
    alias_units = weighted_units(record.tokens, record.weights)
    person = record.entity_type in PERSON_TYPES
    words = query.tokens, record.tokens
    for q_unit in units(query.tokens):
        if alike is None:
            partners = None
        elif (partners := alike.get(q_unit[1])) is None:
            continue  # alike no word of any alias
        for a_unit in alias_units:
            if partners is None or a_unit[1] in partners:
                if found := _pair(q_unit, a_unit, transcribed, person, words):
                    candidates.append(found)
    return candidates + _acronyms(query, record, transcribed)


def alike_pairs(
    query: Analysis, record: AliasRecord, transcribed: int, near: UnitsAlike
) -> list[WeightedPair]:
    """What candidate_pairs finds with ``alike``, in the same order, from the query's units
    by the alias texts they may be alike (``near``: units_alike), one query for them all."""
    found: list[tuple[int, int, WeightedPair]] = []
    person = record.entity_type in PERSON_TYPES
    words = query.tokens, record.tokens
    for a_index, a_unit in enumerate(weighted_units(record.tokens, record.weights)):
        for q_index, q_unit in near.get(a_unit[1], ()):
            if pair := _pair(q_unit, a_unit, transcribed, person, words):
                found.append((q_index, a_index, pair))
    found.sort(key=_UNITS_ORDER)  # query unit first, as candidate_pairs loops
    return [pair for _, _, pair in found] + _acronyms(query, record, transcribed)


UnitsAlike = dict[str, list[tuple[int, Unit]]]  # an alias text -> the query units alike it
_UNITS_ORDER = itemgetter(0, 1)


def units_alike(query: Analysis, alike: Alike) -> UnitsAlike:
    """The query's units (with their place among them) by each alias text they may be alike."""
    found: UnitsAlike = defaultdict(list)
    for index, unit in enumerate(units(query.tokens)):
        for partner in alike.get(unit[1], ()):
            found[partner].append((index, unit))
    return found


def _pair(
    q_unit: Unit,
    a_unit: WeightedUnit,
    transcribed: int,
    person: bool,
    words: tuple[tuple[str, ...], tuple[str, ...]],
) -> WeightedPair | None:
    """The pair of two units, weighted by the alias tokens', if alike enough. ``person``:
    the alias is a person's, whose words are names even where an organization's would
    not be (a surname "Stock" or "Banks"): only the query's word may be generic.
    ``words``: the query's and the alias's tokens."""
    q_span, q_text, q_joined = q_unit
    a_span, a_text, a_joined, weight = a_unit
    compound = q_joined or a_joined
    if q_joined and a_joined:
        # The same letters with the space between two words moved ("AnaR uiz"): no other
        # likeness of two joined units, which would pair half-words.
        if q_text != a_text or _spanned(words[0], q_span) == _spanned(words[1], a_span):
            return None
    elif compound and abs(len(q_text) - len(a_text)) > 2:
        return None
    elif person and not compound and transcribed in _EVERY_VOWEL and sex_forms(q_text, a_text):
        return None  # a woman's name for a man's, or the reverse: another person
    similarity, how = token_similarity(q_text, a_text, transcribed)
    if compound and similarity < MIN_COMPOUND:
        return None
    if compound and how in _BY_FOLD:
        joined, tokens, span = (
            (q_text, words[0], q_span) if q_joined else (a_text, words[1], a_span)
        )
        if _folded_across(joined, [tokens[i] for i in span]) and not _alike_as_written(
            q_text, a_text
        ):
            return None
    if not person and how not in _AS_CODE and _is_code(a_text, words[1]):
        return None  # a code is alike only as written
    if how not in _LITERAL:
        generic = tables.organization_words()
        if q_text in generic or (not person and a_text in generic):
            return None  # a word like "Services" says no more when only like another
    if not similarity:
        return None
    return weight, Pair(q_span, a_span, similarity, "compound" if compound else how)


def _spanned(tokens: tuple[str, ...], span: tuple[int, ...]) -> list[str]:
    return [tokens[i] for i in span]


def _is_code(text: str, tokens: tuple[str, ...]) -> bool:
    """Whether an organization's alias is one word of MAX_CODE letters at most."""
    return len(tokens) == 1 and len(text) <= MAX_CODE


def _folded_across(joined: str, parts: list[str]) -> bool:
    """Whether the spelling fold of words written as one drops letters across their
    boundary, which their own folds keep: it takes an h between vowels and a repeated vowel
    for nothing, which the start of a word is not ("yosefa" + "hak" folds to "yosefak", one
    letter from Josepha's "yosefa", where the words' own folds make "yosefaak")."""
    return len(spelling_fold(joined)) < sum(len(spelling_fold(part)) for part in parts)


def _alike_as_written(q_text: str, a_text: str) -> bool:
    """Alike enough for a compound as written, folds aside."""
    return jaro_winkler(q_text, a_text) >= MIN_COMPOUND or one_edit(q_text, a_text)


def _acronyms(query: Analysis, record: AliasRecord, transcribed: int) -> list[WeightedPair]:
    if transcribed:
        # Initials are Latin letters: a name from another script is words, and one
        # romanized without its vowels ("zr" for Zahir) reads as initials.
        return []
    return [(sum(record.weights[i] for i in p.alias), p) for p in acronym_pairs(query, record)]


Alike = dict[str, set[str]]  # a query text -> the alias texts it may be alike (likeness)


def acronym_pairs(query: Analysis, record: AliasRecord) -> list[Pair]:
    """A word of one name that is the initials of a run of words of the other, either way
    ("TSD" in "Grupo TSD" for "Transportes San Diego"). Organizations only: in a person's
    name a short word such as "Abu" is a word, not initials."""
    if record.entity_type in PERSON_TYPES:
        return []
    pairs = []
    for span, initials in acronym_runs(record.tokens):
        for i, token in enumerate(query.tokens):
            if token == initials and not query.optional[i]:
                pairs.append(Pair((i,), span, ACRONYM_SIMILARITY, "acronym"))
    for span, initials in acronym_runs(query.tokens):
        for i, token in enumerate(record.tokens):
            if token == initials and not record.optional[i]:
                pairs.append(Pair(span, (i,), ACRONYM_SIMILARITY, "acronym"))
    return pairs
