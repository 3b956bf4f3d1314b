"""Which words of a query pair with which words of an alias.

The candidate pairs are any two units alike enough (see similarity.py): single words, two
adjacent words (or three around a particle) written as one, and (organizations) one word
that is the acronym of several. They are taken greedily, name words before optional ones,
most similar first. Query words the alias lacks may then be found in another name of the
same entity.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from normalizer.aliases.model import PERSON_TYPES
from normalizer.match.similarity import token_similarity
from normalizer.table.records import AliasRecord
from normalizer.text import tables
from normalizer.text.normalize import Analysis

# Two or three words written as one pair as a unit only when nearly the same word.
MIN_COMPOUND = 0.92
# A word written as the initials of several words on the other side ("FPLC" for "Frente
# Popular de Liberación Costera"): sure of the letters, not of the reading.
ACRONYM_SIMILARITY = 0.9
ACRONYM_RUN = range(3, 9)
# A query word found, as written or respelled, only in another name of the same entity.
BORROWED_SIMILARITY = 0.9
_AS_WRITTEN = frozenset({"exact", "phonetic", "abbreviation", "number", "nickname"})
# How a generic organization word may pair: written alike, not merely similar.
_LITERAL = frozenset({"exact", "phonetic", "abbreviation", "number", "typo", "ocr"})


@dataclass(frozen=True, slots=True)
class Pair:
    """Query tokens paired with alias tokens (none: found in another name), how alike, why."""

    query: tuple[int, ...]
    alias: tuple[int, ...]
    similarity: float
    how: str
    # The share of the query's weight this pair carries, times its similarity.
    contribution: float = 0.0


WeightedPair = tuple[float, Pair]  # the weight of the alias tokens paired, the pair


def candidate_pairs(
    query: Analysis, record: AliasRecord, transcribed: bool, alike: Alike | None = None
) -> list[WeightedPair]:
    """Every pair of a query unit and an alias unit alike enough, and the acronym pairs.
    ``alike``: the only pairs of texts that may be (match.likeness), if known."""
    candidates: list[WeightedPair] = []
    alias_units = _units(record.tokens)
    organization = tables.organization_words()
    for q_span, q_text, q_joined in _units(query.tokens):
        partners = None if alike is None else alike.get(q_text)
        if alike is not None and partners is None:
            continue  # alike no word of any alias
        for a_span, a_text, a_joined in alias_units:
            compound = q_joined or a_joined
            if compound and (q_joined and a_joined or abs(len(q_text) - len(a_text)) > 2):
                continue
            if partners is not None and a_text not in partners:
                continue
            similarity, how = token_similarity(q_text, a_text, transcribed)
            if compound and similarity < MIN_COMPOUND:
                continue
            if how not in _LITERAL and not organization.isdisjoint((q_text, a_text)):
                continue  # a word like "Services" says no more when only like another
            if similarity:
                how = "compound" if compound else how
                weight = sum(record.weights[i] for i in a_span)
                candidates.append((weight, Pair(q_span, a_span, similarity, how)))
    for pair in _acronym_pairs(query, record):
        candidates.append((sum(record.weights[i] for i in pair.alias), pair))
    return candidates


def pair_greedily(
    query: Analysis, record: AliasRecord, candidates: list[WeightedPair]
) -> tuple[list[Pair], set[int], set[int]]:
    """The best candidates that share no token, and the query and alias positions they use."""

    # Name words first, so that a particle paired as written never keeps "Abdurahim" from
    # "Abd al-Rahim"; then most similar first; among equals, the rarer alias tokens and
    # then single tokens.
    def optional_only(pair: Pair) -> bool:
        return all(query.optional[i] for i in pair.query) and all(
            record.optional[i] for i in pair.alias
        )

    candidates.sort(
        key=lambda item: (
            optional_only(item[1]),
            -item[1].similarity,
            -item[0],
            len(item[1].query) + len(item[1].alias),
        )
    )
    used_q: set[int] = set()
    used_a: set[int] = set()
    pairs: list[Pair] = []
    for _, pair in candidates:
        if used_q.isdisjoint(pair.query) and used_a.isdisjoint(pair.alias):
            pairs.append(pair)
            used_q.update(pair.query)
            used_a.update(pair.alias)
    return pairs, used_q, used_a


def borrowed(
    query: Analysis,
    pairs: list[Pair],
    used: set[int],
    elsewhere: frozenset[str],
    transcribed: bool,
) -> list[Pair]:
    """Query words the alias lacks but another name of the same entity has, as written or
    respelled: a nickname beside the surname ("Cuervo Batista" for the alias "El Cuervo"
    of Rogelio Batista). No more of them than the alias's own name words found in the query,
    so that many names of one entity never add up to a name of someone else."""
    own = sum(1 for p in pairs if not all(query.optional[i] for i in p.query))
    if not own or not elsewhere:
        return []
    found = []
    paired = {query.tokens[i] for i in used}
    for i, token in enumerate(query.tokens):
        # Optional words cost little unmatched; a word the alias already paired once, when
        # the query repeats it, is another person's name ("Nabil Yousef Nabil").
        if i in used or query.optional[i] or token in paired:
            continue
        if any(token_similarity(token, word, transcribed)[1] in _AS_WRITTEN for word in elsewhere):
            found.append(Pair((i,), (), BORROWED_SIMILARITY, "other name"))
    return found if len(found) <= own else []


Unit = tuple[tuple[int, ...], str, bool]  # token positions, text, joined from two
Alike = dict[str, set[str]]  # a query text -> the alias texts it may be alike (likeness)


def unit_texts(tokens: tuple[str, ...]) -> list[str]:
    """The texts of the units candidate_pairs compares."""
    return [text for _, text, _ in _units(tokens)]


# Counted, not measured: an entry holds at most 45 units of 16 query words of 64 letters at
# most (a few kB); measuring each in Python would cost more than the cache saves.
@lru_cache(maxsize=4096)
def _units(tokens: tuple[str, ...]) -> tuple[Unit, ...]:
    """Each token, each two adjacent tokens joined ("abdul rahman" -> "abdulrahman"), and
    three around a particle ("abd al hafiz" -> "abdalhafiz", written "Abdulhafiz")."""
    singles: list[Unit] = [((i,), t, False) for i, t in enumerate(tokens)]
    joined: list[Unit] = [
        ((i, i + 1), tokens[i] + tokens[i + 1], True) for i in range(len(tokens) - 1)
    ]
    particles = tables.particles()
    joined += [
        ((i - 1, i, i + 1), tokens[i - 1] + tokens[i] + tokens[i + 1], True)
        for i in range(1, len(tokens) - 1)
        if tokens[i] in particles
    ]
    return tuple(singles + joined)


Run = tuple[tuple[int, ...], str]  # consecutive token positions, their initials


@lru_cache(maxsize=4096)
def _acronym_runs(tokens: tuple[str, ...]) -> tuple[Run, ...]:
    """Runs of words that could be written as their initials, function words skipped
    ("Frente Popular de Liberacion Costera" -> "fplc"); a run starts and ends on a name word."""
    stop = tables.stopwords()
    runs: list[Run] = []
    for start, first in enumerate(tokens):
        if first in stop or not first.isalpha():
            continue
        initials = first[0]
        for end in range(start + 1, len(tokens)):
            word = tokens[end]
            if not word.isalpha():
                break
            if word in stop:
                continue
            initials += word[0]
            if len(initials) > ACRONYM_RUN.stop - 1:
                break
            if len(initials) in ACRONYM_RUN:
                runs.append((tuple(range(start, end + 1)), initials))
    return tuple(runs)


def _acronym_pairs(query: Analysis, record: AliasRecord) -> list[Pair]:
    """A word of one name that is the initials of a run of words of the other, either way
    ("TSD" in "Grupo TSD" for "Transportes San Diego"). Organizations only: in a person's
    name a short word such as "Abu" is a word, not initials."""
    if record.entity_type in PERSON_TYPES:
        return []
    pairs = []
    for span, initials in _acronym_runs(record.tokens):
        for i, token in enumerate(query.tokens):
            if token == initials and not query.optional[i]:
                pairs.append(Pair((i,), span, ACRONYM_SIMILARITY, "acronym"))
    for span, initials in _acronym_runs(query.tokens):
        for i, token in enumerate(record.tokens):
            if token == initials and not record.optional[i]:
                pairs.append(Pair(span, (i,), ACRONYM_SIMILARITY, "acronym"))
    return pairs
