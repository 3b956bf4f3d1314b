"""Candidates from a query's shortlisted aliases: each alias aligned and scored, the best
name of each entity kept, ranked by similarity, and the first few given a calibrated score."""

from __future__ import annotations

from dataclasses import replace

from normalizer.match import calibration
from normalizer.match.bounds import written_as
from normalizer.match.capped import SINGLE_WORD_FUZZY_CAP
from normalizer.match.evidence import features, only_weakly_alike
from normalizer.match.lone import LONE_WORD_RARITY, listed_only_by, lone_common_word
from normalizer.match.query import Query
from normalizer.match.results import Candidate, better
from normalizer.match.scoring import Alignment
from normalizer.table.records import AliasRecord, Postings
from normalizer.table.weights import idf
from normalizer.text.acronyms import query_acronym_keys
from normalizer.text.normalize import Analysis

# An acronym in the usual style, then in another style (see text.acronyms).
ACRONYM_SCORES = (0.92, 0.87)
# An acronym this long that one entity's name gives, and no other's, stands for it.
SURE_ACRONYM = 5
# ... and one this long, if no other name of the table gives it (sole_acronym_in_table).
TABLE_ACRONYM = 3
# Below this a candidate shares too little with the query to be worth showing.
MIN_CANDIDATE_SCORE = 0.2
# Entities given a calibrated score (by similarity, best first; more if a longer list is
# asked for): the match is among them.
CALIBRATED = 5
_LITERAL = frozenset({"exact", "normalized", "reordered"})
# Word pairs that say the two words are one: as written, spelled alike (similarity's
# spelling fold), a usual abbreviation, a number in digits and in words.
_SOUNDED = frozenset({"exact", "phonetic", "abbreviation", "number"})


def query_weights(analysis: Analysis, found: dict[str, object], total: int) -> tuple[float, ...]:
    """Each query token's rarity in the table; 0 for a token the table lacks."""
    rarity = [found.get("t:" + token) for token in analysis.tokens]
    return tuple(idf(p.size, total) if isinstance(p, Postings) else 0.0 for p in rarity)


def acronym_scores(analysis: Analysis, found: dict[str, object]) -> dict[int, float]:
    """The aliases the query writes as an acronym, with the score of the likelier style."""
    acronym_scores: dict[int, float] = {}
    for key, score in zip(query_acronym_keys(analysis) or (), ACRONYM_SCORES, strict=False):
        hits = found.get(key)
        for alias_id in hits.ids if isinstance(hits, Postings) else ():
            acronym_scores.setdefault(alias_id, score)
    return acronym_scores


def not_barred(candidates: list[Candidate], barred: dict[str, float]) -> list[Candidate]:
    """The candidates, but none whose query is closer to a name its entity must not have
    than to the candidate's own name: the curators said that name is someone else."""
    if not barred:
        return candidates
    return [c for c in candidates if c.similarity >= barred.get(c.id, -1.0)]


def as_candidate(
    record: AliasRecord,
    alignment: Alignment,
    written: str,
    alone: bool,
    acronym_scores: dict[int, float],
) -> Candidate:
    """The alias as a candidate: the alignment's similarity, unless the query writes the
    alias exactly or as an acronym that scores higher (calibrated later)."""
    score, method = alignment.score, alignment.method
    if written_as(record, written):
        score, method = 1.0, "exact"
    elif acronym_scores.get(record.alias_id, 0.0) > score:
        score, method = acronym_scores[record.alias_id], "acronym"
    elif lone_common_word(alignment, record, alone):
        score = min(score, SINGLE_WORD_FUZZY_CAP)
    return Candidate(
        record.entity_id,
        record.entity_name,
        record.entity_type,
        score,
        record.text,
        method,
        alignment,
        similarity=score,
        record=record,
    )


def whole_literal(candidate: Candidate) -> bool:
    """The query writes the candidate's name, every word of both, in any order."""
    alignment = candidate.alignment
    return (
        candidate.method in _LITERAL
        and alignment is not None
        and min(alignment.query_coverage, alignment.alias_coverage) >= 0.999
    )


def whole_sounded(analysis: Analysis, candidate: Candidate) -> bool:
    """The query writes every word of the candidate's name, and no other, each as written
    or spelled as it sounds (one spelling fold: "Zandor" for "Sandor", "Kolvin" for
    "Colvin"), with two name words at least and one of them as written. Such a name is
    the candidate's name respelled, not a near neighbour's: a typo, a nickname or another
    reading of a word is not among its pairs."""
    alignment = candidate.alignment
    if (
        alignment is None
        or alignment.clash
        or min(alignment.query_coverage, alignment.alias_coverage) < 0.999
        or not alignment.pairs
    ):
        return False
    if any(not pair.alias or pair.how not in _SOUNDED for pair in alignment.pairs):
        return False
    named = [p for p in alignment.pairs if not all(analysis.optional[i] for i in p.query)]
    return len(named) >= 2 and any(pair.how == "exact" for pair in named)


def sole_long_acronym(analysis: Analysis, ranked: list[Candidate]) -> bool:
    """Whether the best candidate is the one entity whose name the query writes as an
    acronym in the usual style, of at least SURE_ACRONYM letters, and no other candidate's
    name gives that acronym in any style: an acronym of five letters or more is rarely one
    by chance, a shorter one often is ("ABC")."""
    acronyms = [c for c in ranked if c.method == "acronym"]
    return (
        len(acronyms) == 1
        and acronyms[0] is ranked[0]
        and acronyms[0].similarity >= ACRONYM_SCORES[0]
        and len(analysis.core) == 1
        and len(analysis.core[0]) >= SURE_ACRONYM
    )


def calibrated(
    query: Query, weights: tuple[float, ...], similar: list[Candidate], most: int, total: int
) -> list[Candidate]:
    """The first ``most`` candidates (by similarity) with their calibrated scores, best
    first: the first CALIBRATED ranked by score, any more after them (scores no higher),
    so that a longer list never changes the head of a shorter one."""
    model = calibration.model()
    # Each candidate leads the most similar other entity of the CALIBRATED most similar and
    # those tied with the last of them (more asked for must not change the head's lead),
    # but for an entity found only weakly alike: a big table has such a name for any
    # query, and it is no rival.
    least = similar[CALIBRATED - 1].similarity if len(similar) >= CALIBRATED else 0.0
    rivals = [
        0.0 if only_weakly_alike(c.alignment, c.record) else c.similarity
        for c in similar
        if c.similarity >= least
    ]
    scored = []
    for position, candidate in enumerate(similar[:most]):
        others = (rival for i, rival in enumerate(rivals) if i != position)
        lead = candidate.similarity - max(others, default=0.0)
        assert candidate.record is not None and candidate.alignment is not None
        found = features(
            query.analysis,
            weights,
            candidate.record,
            candidate.alignment,
            candidate.similarity,
            candidate.method,
            lead,
            query.transcribed,
            total,
        )
        score = model.probability(found) if model else candidate.similarity
        scored.append(replace(candidate, score=score, features=found))
    head = sorted(scored[:CALIBRATED], key=_by_score)
    floor = min((c.score for c in head), default=1.0)
    tail = [replace(c, score=min(c.score, floor)) for c in scored[CALIBRATED:]]
    return head + sorted(tail, key=_by_score)


def _by_score(candidate: Candidate) -> tuple[float, float, str]:
    return (-candidate.score, -candidate.similarity, candidate.id)


def best_per_entity(candidates: list[Candidate]) -> list[Candidate]:
    """Each entity's best-scoring name (the most literal among equals)."""
    best: dict[str, Candidate] = {}
    for candidate in candidates:
        current = best.get(candidate.id)
        if current is None or better(candidate, current):
            best[candidate.id] = candidate
    return list(best.values())


def ranked_by_similarity(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates worth showing, most similar first."""
    return sorted(
        (c for c in candidates if c.similarity >= MIN_CANDIDATE_SCORE),
        key=lambda c: (-c.similarity, c.id),
    )


def sole_acronym_in_table(
    analysis: Analysis,
    top: Candidate,
    found: dict[str, object],
    shortlisted: list[AliasRecord],
    total: int,
) -> bool:
    """Whether the query is an acronym in the usual style, of at least TABLE_ACRONYM
    letters, that the best candidate's name gives and no other name of the table gives in
    any style, in a table big enough for that to be rare (one name in a thousand, as a
    lone word must be). Shorter than SURE_ACRONYM, an acronym is often another name's
    initials by chance, which the table's own keys tell: a big table has several names
    of most three-letter initials, and then none stands for them. ``found``: the table's
    postings of the query's keys; ``shortlisted``: the aliases aligned, among which must
    be every alias listing the acronym; ``total``: the table's names."""
    keys = query_acronym_keys(analysis)
    if keys is None or len(analysis.core[0]) < TABLE_ACRONYM:
        return False
    if top.method != "acronym" or top.similarity < ACRONYM_SCORES[0]:
        return False
    listed = [p for key in keys if isinstance(p := found.get(key), Postings)]
    return (
        bool(listed)
        and all(listed_only_by(p, top.id, shortlisted) for p in listed)
        and idf(sum(p.size for p in listed), total) >= LONE_WORD_RARITY
    )
