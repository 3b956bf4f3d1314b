"""The decision for one query: its shortlisted aliases scored, each entity's best ranked
and calibrated, and the match, if any, with the first rule that decides
(``results.DECISIONS``). A match scores ``threshold`` and leads the next by ``margin``,
or a rule makes it sure where the score alone does not.
"""

from __future__ import annotations

from normalizer.match.aligned import score_records
from normalizer.match.bounds import Worth
from normalizer.match.candidates import (
    CALIBRATED,
    acronym_scores,
    best_per_entity,
    calibrated,
    not_barred,
    query_weights,
    ranked_by_similarity,
    sole_acronym_in_table,
    sole_long_acronym,
    whole_literal,
    whole_sounded,
)
from normalizer.match.lone import lone_surname_owned, lone_word_of_a_title, lone_word_shared
from normalizer.match.query import Query
from normalizer.match.results import Candidate, Resolution
from normalizer.table.records import AliasRecord
from normalizer.text.normalize import Analysis


def decide(
    query: Query,
    records: list[AliasRecord],
    found: dict[str, object],
    total: int,
    entity_type: str | None,
    limit: int,
    worth: Worth | None,
    threshold: float,
    margin: float,
) -> Resolution:
    """Score the shortlisted aliases, keep each entity's best, rank them and decide."""
    analysis = query.analysis
    weights = query_weights(analysis, found, total)
    acronyms = acronym_scores(analysis, found)
    most = max(CALIBRATED, limit)  # the entities calibrated: the answer is among them
    scored, barred = score_records(query, records, weights, acronyms, entity_type, most, worth)
    similar = ranked_by_similarity(best_per_entity(not_barred(scored, barred)))
    ranked = calibrated(query, weights, similar, most, total)
    match, decision = clear_winner(analysis, ranked, found, records, total, threshold, margin)
    return Resolution(
        query.text,
        analysis.normalized,
        analysis.tokens,
        match,
        tuple(ranked[:limit]),
        decision,
    )


def clear_winner(
    analysis: Analysis,
    ranked: list[Candidate],
    found: dict[str, object],
    records: list[AliasRecord],
    total: int,
    threshold: float,
    margin: float,
) -> tuple[Candidate | None, str]:
    """The match, if any, and the first rule that decides (``results.DECISIONS``): the
    one entity the query writes exactly (every word of the name, in any order) when no
    other is written so: an exact name of one entity wins over another's respelling,
    however alike; or the one entity whose name the query writes word for word as
    written or as it sounds; or the best candidate, if it scores the threshold and
    leads the next by the margin; and where the score alone does not, the one whose
    name a long acronym stands for, or a shorter one no other name of a big table
    gives, or the one person whose family name, rare, the query is (the last two lead
    by the margin)."""
    if not ranked:
        return None, "no_candidates"
    top, runner_up = ranked[0], ranked[1] if len(ranked) > 1 else None
    leads = runner_up is None or top.score - runner_up.score >= margin
    literal = [c for c in ranked if whole_literal(c) and not lone_word_of_a_title(analysis, c)]
    if len(literal) == 1 and literal[0] is top:
        return top, "exact_name"
    # A name written as it sounds, word for word, that no other entity's name is: in a
    # big table the calibration doubts it as it doubts a typo, but a respelling of
    # every word ("Zandor Kolvin") is not a neighbour's name one letter away.
    sounded = [c for c in ranked if whole_sounded(analysis, c)]
    if not literal and len(sounded) == 1 and sounded[0] is top and leads:
        return top, "sounded_name"
    shared = lone_word_shared(analysis, ranked, records)
    if leads and not shared and top.score >= threshold:
        return top, "score"
    # The rules below make a match the score alone does not.
    if (
        sole_long_acronym(analysis, ranked)
        and not shared
        and all(top.similarity - other.similarity >= margin for other in ranked[1:])
    ):
        return top, "long_acronym"
    if leads and not shared and sole_acronym_in_table(analysis, top, found, records, total):
        return top, "unique_initials"
    if leads and lone_surname_owned(analysis, top, found, records):
        return top, "rare_family_name"
    if shared:
        return None, "shared_word"
    # Two entities as alike as a match must be, within the margin of each other: the
    # name is ambiguous (a lead lost among weak candidates says nothing of the kind).
    if runner_up is not None and not leads and runner_up.similarity >= threshold:
        return None, "no_lead"
    return None, "below_threshold"
