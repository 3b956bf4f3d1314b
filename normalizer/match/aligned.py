"""The shortlisted aliases aligned with a query and made candidates, entity by entity: the
likeliest first (by match.bounds), until no entity left could be among those shown."""

from __future__ import annotations

import heapq
import unicodedata
from collections import defaultdict
from itertools import chain

from normalizer.aliases.model import PERSON_TYPES
from normalizer.match.bounds import Reach, Worth, by_entity, entity_bounds, reach
from normalizer.match.candidates import MIN_CANDIDATE_SCORE, as_candidate
from normalizer.match.clash import clashing
from normalizer.match.likeness import alike
from normalizer.match.pair_candidates import Alike, alike_pairs, units_alike
from normalizer.match.pairing import WeightedPair
from normalizer.match.query import Query
from normalizer.match.results import Candidate
from normalizer.match.scoring import Alignment, align
from normalizer.match.units import unit_texts
from normalizer.table.records import AliasRecord
from normalizer.text import tables
from normalizer.text.normalize import Analysis


def score_records(
    query: Query,
    records: list[AliasRecord],
    weights: tuple[float, ...],
    acronym_scores: dict[int, float],
    entity_type: str | None,
    keep: int | None = None,
    worth: Worth | None = None,
) -> tuple[list[Candidate], dict[str, float]]:
    """Each alias of the wanted type aligned with the query, as a candidate; and for each
    entity with a name it must not have among the records, how well the query matches
    that name. ``keep``: only the most similar this many entities are wanted; the aliases
    of an entity that cannot be among them (nor be shown at all) are left out, unaligned
    (match.bounds: the candidates kept are those every alias aligned would give).
    ``worth``: only a match of an alias it accepts, given the most an alignment of the
    alias could pair (bounds.reach), is wanted; if it accepts none, none is aligned and
    there are no candidates."""
    written = unicodedata.normalize("NFC", query.text).strip()
    alone = len(query.analysis.tokens) == 1
    names_of: dict[str, list[AliasRecord]] = defaultdict(list)
    for record in records:
        if not record.negative:
            names_of[record.entity_id].append(record)
    titles, legal_forms = _kind_words(query.analysis)
    wanted = [
        r
        for r in records
        if (not entity_type or r.entity_type == entity_type)
        and not _other_kind(r, titles, legal_forms)
    ]
    # Every record's words, not only the wanted ones': a word of another name of the same
    # entity may be borrowed, and bounds must know which.
    pairs = alike(
        unit_texts(query.analysis.tokens),
        chain.from_iterable(unit_texts(record.tokens) for record in records),
        query.transcribed,
    )
    elsewhere = {
        record.alias_id: frozenset(
            token
            for other in names_of[record.entity_id]
            if other.alias_id != record.alias_id
            for token in other.tokens
        )
        for record in wanted
    }
    entities = by_entity(wanted)
    order: list[str] = list(entities)
    options: dict[int, list[WeightedPair]] = {}
    if keep is not None or worth is not None:
        near = units_alike(query.analysis, pairs)
        options = {
            r.alias_id: alike_pairs(query.analysis, r, query.transcribed, near) for r in wanted
        }
    if worth is not None and not any(
        worth(query, r, _reach(query, r, options, pairs, elsewhere, acronym_scores))
        for r in wanted
        if not r.negative  # it bars, it gives no candidate
    ):
        return [], {}
    if keep is not None:
        most = entity_bounds(
            query, weights, entities, options, pairs, elsewhere, written, acronym_scores
        )
        order.sort(key=lambda entity_id: -most[entity_id])
    aligned: dict[int, Alignment] = {}
    found: dict[int, Candidate] = {}
    barred: dict[str, float] = {}
    best: list[float] = []  # the similarities of the best ``keep`` entities so far (a heap)

    def aligning(record: AliasRecord, clash: tuple[int, ...] = ()) -> Alignment:
        return align(
            query.analysis,
            weights,
            record,
            query.transcribed,
            elsewhere[record.alias_id],
            pairs,
            clash,
            options.get(record.alias_id),
        )

    for entity_id in order:
        if keep is not None:
            floor = max(best[0], MIN_CANDIDATE_SCORE) if len(best) >= keep else MIN_CANDIDATE_SCORE
            if most[entity_id] < floor:
                break  # nor can any entity after it: they are in the order of their bounds
        own = entities[entity_id]
        for record in own:
            aligned[record.alias_id] = aligning(record)
        for record in own:
            others = [
                (other, aligned[other.alias_id])
                for other in names_of[entity_id]
                if other.alias_id != record.alias_id and other.alias_id in aligned
            ]
            alignment = aligned[record.alias_id]
            # A relative or a namesake: a query word where another name has a given name.
            if clash := clashing(query.analysis, query.transcribed, record, alignment, others):
                alignment = aligning(record, clash)
            candidate = as_candidate(record, alignment, written, alone, acronym_scores)
            if record.negative:
                barred[entity_id] = max(candidate.similarity, barred.get(entity_id, 0.0))
            else:
                found[record.alias_id] = candidate
        if keep is not None:
            floor = barred.get(entity_id, -1.0)
            shown = [found[r.alias_id].similarity for r in own if r.alias_id in found]
            if shown := [similarity for similarity in shown if similarity >= floor]:
                if len(best) < keep:
                    heapq.heappush(best, max(shown))
                else:
                    heapq.heappushpop(best, max(shown))
    candidates = [found[record.alias_id] for record in wanted if record.alias_id in found]
    return candidates, barred


def _reach(
    query: Query,
    record: AliasRecord,
    options: dict[int, list[WeightedPair]],
    pairs: Alike,
    elsewhere: dict[int, frozenset[str]],
    acronym_scores: dict[int, float],
) -> Reach:
    alias_id = record.alias_id
    analysis = query.analysis
    return reach(analysis, record, options[alias_id], pairs, elsewhere[alias_id], acronym_scores)


def _kind_words(analysis: Analysis) -> tuple[frozenset[str], frozenset[str]]:
    """The query's optional words that say what it names: a title or form of address
    (a person), a legal form (an organization)."""
    optional = {t for t, opt in zip(analysis.tokens, analysis.optional, strict=True) if opt}
    if not optional:
        return frozenset(), frozenset()
    titles = optional & (tables.honorifics() - tables.leading_articles())
    return frozenset(titles), frozenset(optional & tables.legal_form_words())


def _other_kind(record: AliasRecord, titles: frozenset[str], legal_forms: frozenset[str]) -> bool:
    """Whether the query's title or legal form says it names another kind of entity than
    the record's: a titled name is a person, unless the organization's own name holds the
    title ("Imam ... Foundation"); a name with a legal form is not a person's."""
    is_person = record.entity_type in PERSON_TYPES
    if titles and not is_person:
        return not titles <= set(record.tokens)
    if legal_forms and is_person:
        return not legal_forms <= set(record.tokens)
    return False
