"""Resolve names against the compiled table: keys -> candidates -> alignment -> decision.

A lookup is two batched fetches from the store, whatever the table's size: first every key
the query produces (whole-name, acronym and per-token keys), then the records of the best
few candidate aliases, ranked by the rarity of the keys they share with the query. A batch
of names shares both fetches.
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from normalizer.exc import BadRequest, OutOfTime
from normalizer.match import calibration
from normalizer.match.clash import clashing
from normalizer.match.evidence import features
from normalizer.match.likeness import alike
from normalizer.match.owned import owned
from normalizer.match.pairing import unit_texts
from normalizer.match.query import TYPO_WEIGHT, Query, analyzed, prepare
from normalizer.match.results import Candidate, Resolution, better
from normalizer.match.scoring import SINGLE_WORD_FUZZY_CAP, Alignment, align
from normalizer.settings import Settings
from normalizer.store.base import Store, TableView
from normalizer.table.records import AliasRecord, Postings, alias_key
from normalizer.table.weights import idf
from normalizer.text.keys import query_acronym_keys
from normalizer.text.normalize import Analysis

DEFAULT_THRESHOLD: float = Settings.threshold
DEFAULT_MARGIN: float = Settings.margin
# An acronym in the usual style, then in another style (see keys.acronym_keys).
ACRONYM_SCORES = (0.92, 0.87)
WHOLE_NAME_BONUS = 100.0
CANDIDATE_ALIASES = 25
TYPED_SHORTLIST = 4
# Below this a candidate shares too little with the query to be worth showing.
MIN_CANDIDATE_SCORE = 0.2
# Entities given a calibrated score (by similarity, best first; more if a longer list is
# asked for): the match is among them.
CALIBRATED = 5
# A lone word of a longer name stands for its entity only if it is this rare in the table
# (one name in a thousand or less); a one-word alias is always a name of its own.
LONE_WORD_RARITY = math.log(1000)
_LITERAL = frozenset({"exact", "normalized", "reordered"})


def check_type(view: TableView, entity_type: str | None) -> None:
    """Raises BadRequest, naming the known types, for a type the table does not have."""
    if entity_type is not None and entity_type not in view.meta.types:
        known = ", ".join(view.meta.types)
        raise BadRequest(f"unknown type {entity_type!r}; known: {known}", field="type")


class Matcher:
    """Resolves names against the table in a store: a match only when one entity leads."""

    def __init__(
        self,
        store: Store,
        threshold: float = DEFAULT_THRESHOLD,
        margin: float = DEFAULT_MARGIN,
    ) -> None:
        self.store = store
        self.threshold = threshold
        self.margin = margin

    def resolve(
        self,
        name: str,
        entity_type: str | None = None,
        limit: int = 5,
        deadline: float | None = None,
        explain: bool = False,
    ) -> Resolution:
        """One name; see resolve_many."""
        return self.resolve_many([name], entity_type, limit, deadline, explain)[0]

    def resolve_many(
        self,
        names: Sequence[str],
        entity_type: str | None = None,
        limit: int = 5,
        deadline: float | None = None,
        explain: bool = False,
    ) -> list[Resolution]:
        """Resolve names, of ``entity_type`` only if given, each with up to ``limit``
        candidates; the whole batch shares its fetches. A name one entity owns is answered
        at once (match.owned), unless ``explain`` asks for every candidate's alignment.
        Past ``deadline`` (a ``time.monotonic()`` time), raises OutOfTime between two
        names."""
        clock = _Clock(deadline, len(names))
        view = self.store.view()
        check_type(view, entity_type)
        analyses = [analyzed(name) for name in names]
        clock.tick(0)
        answered = {} if explain else owned(view, names, analyses, entity_type)
        rest = [i for i in range(len(names)) if i not in answered]
        clock.answered = len(answered)
        resolved = self._resolve_fully(
            view, [names[i] for i in rest], [analyses[i] for i in rest], entity_type, limit, clock
        )
        answered.update(zip(rest, resolved, strict=True))
        return [answered[i] for i in range(len(names))]

    def _resolve_fully(
        self,
        view: TableView,
        names: list[str],
        analyses: list[Analysis],
        entity_type: str | None,
        limit: int,
        clock: _Clock,
    ) -> list[Resolution]:
        """Keys, shortlists, alignments and decisions: two fetches for the batch."""
        total = view.meta.aliases
        queries: list[Query] = []
        for name, analysis in zip(names, analyses, strict=True):
            clock.tick(0)
            queries.append(prepare(name, analysis))
        keys = list(dict.fromkeys(key for q in queries for key in q.all_keys()))
        # Only the keys the table has: a few dozen of the query's hundreds.
        found = {k: v for k, v in zip(keys, view.get_many(keys), strict=True) if v is not None}

        # A type filter or a long candidate list needs more names scored to fill it.
        size = max(CANDIDATE_ALIASES, limit) * (TYPED_SHORTLIST if entity_type else 1)
        shortlists: list[list[int]] = []
        for query in queries:
            clock.tick(0)
            shortlists.append(self._shortlist(query, found, total, size))
        record_keys = list(dict.fromkeys(alias_key(i) for ids in shortlists for i in ids))
        records = dict(zip(record_keys, view.get_many(record_keys), strict=True))

        results: list[Resolution] = []
        for query, ids in zip(queries, shortlists, strict=True):
            clock.tick(len(results))
            alias_records = [r for i in ids if isinstance(r := records[alias_key(i)], AliasRecord)]
            results.append(self._decide(query, alias_records, found, total, entity_type, limit))
        return results

    @staticmethod
    def _shortlist(query: Query, found: dict[str, object], total: int, size: int) -> list[int]:
        """The aliases most worth scoring: whole-name hits first, then by shared rare keys."""
        by_token: dict[tuple[int, int], float] = defaultdict(float)
        whole: dict[int, float] = defaultdict(float)
        for key, sources in query.keys.items():
            postings = found.get(key)
            if not isinstance(postings, Postings):
                continue
            if not sources:
                for alias_id in postings.ids:
                    whole[alias_id] += WHOLE_NAME_BONUS
                continue
            rarity = idf(postings.size, total)
            for position, weight in sources:
                _share(by_token, position, weight * rarity, postings)
        for position, variants in enumerate(query.typos):
            for key in found.keys() & variants:
                postings = found[key]
                if isinstance(postings, Postings):
                    _share(by_token, position, TYPO_WEIGHT * idf(postings.size, total), postings)
        for (_, alias_id), evidence in by_token.items():
            whole[alias_id] += evidence
        # Ties go to the older alias, so that a result never depends on set order. Only the
        # aliases with at least the size-th most evidence are sorted (the many under a common
        # key of a large table are not).
        aliases: Iterable[int] = whole
        if len(whole) > size:
            least = heapq.nlargest(size, whole.values())[-1]
            aliases = itertools.compress(whole, map(least.__le__, whole.values()))
        ranked = sorted([(-whole[alias_id], alias_id) for alias_id in aliases])
        return [alias_id for _, alias_id in ranked[:size]]

    def _decide(
        self,
        query: Query,
        records: list[AliasRecord],
        found: dict[str, object],
        total: int,
        entity_type: str | None,
        limit: int,
    ) -> Resolution:
        """Score the shortlisted aliases, keep each entity's best, rank them and decide."""
        analysis = query.analysis
        weights = _query_weights(analysis, found, total)
        acronym_scores = _acronym_scores(analysis, found)
        candidates, barred = _score_records(query, records, weights, acronym_scores, entity_type)
        similar = _ranked(_best_per_entity(_not_barred(candidates, barred)))
        ranked = _calibrated(query, weights, similar, max(CALIBRATED, limit), total)
        match = self._clear_winner(ranked)
        return Resolution(
            query.text, analysis.normalized, analysis.tokens, match, tuple(ranked[:limit])
        )

    def _clear_winner(self, ranked: list[Candidate]) -> Candidate | None:
        """The best candidate, if it scores the threshold and leads the next by the margin;
        or the one entity the query writes exactly (every word of the name, in any order)
        when no other is written so: an exact name of one entity wins over another's
        respelling, however alike."""
        if not ranked:
            return None
        top, runner_up = ranked[0], ranked[1] if len(ranked) > 1 else None
        literal = [c for c in ranked if _whole_literal(c)]
        if len(literal) == 1 and literal[0] is top:
            return top
        if top.score < self.threshold:
            return None
        if runner_up is None or top.score - runner_up.score >= self.margin:
            return top
        return None


class _Clock:
    """The request's deadline, looked at between two names."""

    def __init__(self, deadline: float | None, names: int) -> None:
        self.deadline = deadline
        self.names = names
        self.answered = 0  # by the fast path, before the names ticked off

    def tick(self, done: int) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            done += self.answered
            raise OutOfTime(
                f"the request ran out of its time after {done} of {self.names} name(s) were "
                "resolved; send fewer or shorter names a request",
                field="names",
            )


def _share(
    by_token: dict[tuple[int, int], float], position: int, evidence: float, postings: Postings
) -> None:
    """What a key the query token at ``position`` shares says for each alias under it: the
    most any of the token's keys says."""
    for alias_id in postings.ids:
        slot = (position, alias_id)
        if evidence > by_token[slot]:
            by_token[slot] = evidence


def _query_weights(analysis: Analysis, found: dict[str, object], total: int) -> tuple[float, ...]:
    """Each query token's rarity in the table; 0 for a token the table lacks."""
    rarity = [found.get("t:" + token) for token in analysis.tokens]
    return tuple(idf(p.size, total) if isinstance(p, Postings) else 0.0 for p in rarity)


def _acronym_scores(analysis: Analysis, found: dict[str, object]) -> dict[int, float]:
    """The aliases the query writes as an acronym, with the score of the likelier style."""
    acronym_scores: dict[int, float] = {}
    for key, score in zip(query_acronym_keys(analysis) or (), ACRONYM_SCORES, strict=False):
        hits = found.get(key)
        for alias_id in hits.ids if isinstance(hits, Postings) else ():
            acronym_scores.setdefault(alias_id, score)
    return acronym_scores


def _score_records(
    query: Query,
    records: list[AliasRecord],
    weights: tuple[float, ...],
    acronym_scores: dict[int, float],
    entity_type: str | None,
) -> tuple[list[Candidate], dict[str, float]]:
    """Each alias of the wanted type aligned with the query, as a candidate; and for each
    entity with a name it must not have among the records, how well the query matches
    that name."""
    written = unicodedata.normalize("NFC", query.text).strip()
    names_of: dict[str, list[AliasRecord]] = defaultdict(list)
    for record in records:
        if not record.negative:
            names_of[record.entity_id].append(record)
    candidates = []
    barred: dict[str, float] = {}
    wanted = [r for r in records if not entity_type or r.entity_type == entity_type]
    pairs = alike(
        unit_texts(query.analysis.tokens),
        (text for record in wanted for text in unit_texts(record.tokens)),
        query.transcribed,
    )
    aligned: dict[int, Alignment] = {}
    elsewhere: dict[int, frozenset[str]] = {}
    for record in wanted:
        elsewhere[record.alias_id] = frozenset(
            token
            for other in names_of[record.entity_id]
            if other.alias_id != record.alias_id
            for token in other.tokens
        )
        aligned[record.alias_id] = align(
            query.analysis, weights, record, query.transcribed, elsewhere[record.alias_id], pairs
        )
    for record in wanted:
        alignment = aligned[record.alias_id]
        others = [
            (other, aligned[other.alias_id])
            for other in names_of[record.entity_id]
            if other.alias_id != record.alias_id and other.alias_id in aligned
        ]
        # A relative or a namesake: a query word where another name has a given name.
        if clash := clashing(query.analysis, query.transcribed, record, alignment, others):
            found = elsewhere[record.alias_id]
            alignment = align(
                query.analysis, weights, record, query.transcribed, found, pairs, clash
            )
        candidate = _candidate(record, alignment, written, acronym_scores)
        if record.negative:
            barred[record.entity_id] = max(candidate.similarity, barred.get(record.entity_id, 0.0))
        else:
            candidates.append(candidate)
    return candidates, barred


def _not_barred(candidates: list[Candidate], barred: dict[str, float]) -> list[Candidate]:
    """The candidates, but none whose query is closer to a name its entity must not have
    than to the candidate's own name: the curators said that name is someone else."""
    if not barred:
        return candidates
    return [c for c in candidates if c.similarity >= barred.get(c.id, -1.0)]


def _candidate(
    record: AliasRecord, alignment: Alignment, written: str, acronym_scores: dict[int, float]
) -> Candidate:
    """The alias as a candidate: the alignment's similarity, unless the query writes the
    alias exactly or as an acronym that scores higher (calibrated later)."""
    score, method = alignment.score, alignment.method
    if unicodedata.normalize("NFC", record.text) == written:
        score, method = 1.0, "exact"
    elif acronym_scores.get(record.alias_id, 0.0) > score:
        score, method = acronym_scores[record.alias_id], "acronym"
    elif _lone_common_word(alignment, record):
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


def _lone_common_word(alignment: Alignment, record: AliasRecord) -> bool:
    """The query is one word of a longer name of the alias's, a word not rare enough in
    the table to stand for it ("Lopez" for a Josué López Velázquez)."""
    pairs = [pair for pair in alignment.pairs if pair.alias]
    if len(pairs) != 1 or sum(1 for optional in record.optional if not optional) < 2:
        return False
    (pair,) = pairs
    return len(pair.query) == 1 and max(record.weights[i] for i in pair.alias) < LONE_WORD_RARITY


def _whole_literal(candidate: Candidate) -> bool:
    """The query writes the candidate's name, every word of both, in any order."""
    alignment = candidate.alignment
    return (
        candidate.method in _LITERAL
        and alignment is not None
        and min(alignment.query_coverage, alignment.alias_coverage) >= 0.999
    )


def _calibrated(
    query: Query, weights: tuple[float, ...], similar: list[Candidate], most: int, total: int
) -> list[Candidate]:
    """The first ``most`` candidates (by similarity) with their calibrated scores, best
    first: the first CALIBRATED ranked by score, any more after them (scores no higher),
    so that a longer list never changes the head of a shorter one."""
    model = calibration.model()
    scored = []
    for position, candidate in enumerate(similar[:most]):
        others = [c.similarity for i, c in enumerate(similar) if i != position]
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


def _best_per_entity(candidates: list[Candidate]) -> list[Candidate]:
    """Each entity's best-scoring name (the most literal among equals)."""
    best: dict[str, Candidate] = {}
    for candidate in candidates:
        current = best.get(candidate.id)
        if current is None or better(candidate, current):
            best[candidate.id] = candidate
    return list(best.values())


def _ranked(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates worth showing, most similar first."""
    return sorted(
        (c for c in candidates if c.similarity >= MIN_CANDIDATE_SCORE),
        key=lambda c: (-c.similarity, c.id),
    )
