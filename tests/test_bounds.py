"""The bound on an alias's score (match.bounds) is never below what aligning it gives, so the
entities left unaligned are never among those shown: the best entities are the same with
every alias aligned and with only those the bounds call for. Dev queries, and the same
queries with two letters swapped (words the table lacks weigh what their pairs give them),
against the dev gallery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalizer.match.aligned import score_records
from normalizer.match.bounds import most_similarity
from normalizer.match.candidates import (
    acronym_scores,
    best_per_entity,
    not_barred,
    query_weights,
    ranked_by_similarity,
)
from normalizer.match.likeness import alike
from normalizer.match.pair_candidates import alike_pairs, candidate_pairs, units_alike
from normalizer.match.query import Query, prepare
from normalizer.match.results import Candidate
from normalizer.match.scoring import align
from normalizer.match.shortlist import shortlist
from normalizer.match.units import unit_texts
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore, MemoryView
from normalizer.table.records import AliasRecord, alias_key

DEV = Path(__file__).resolve().parent.parent / "bench" / "data" / "dev"
Shortlisted = tuple[Query, list[AliasRecord], tuple[float, ...], dict[int, float]]


def _swapped(name: str) -> str:
    middle = len(name) // 2
    return name[: middle - 1] + name[middle] + name[middle - 1] + name[middle + 1 :]


@pytest.fixture(scope="module")
def shortlisted() -> list[Shortlisted]:
    """Dev queries with their shortlisted records, query weights and acronym scores."""
    store = MemoryStore()
    store.publish(build_table(DEV / "gallery.jsonl"))
    view = store.view()
    with (DEV / "queries.jsonl").open(encoding="utf-8") as lines:
        names = [json.loads(line)["query"] for line in lines][::10]
    return [_shortlisted(view, prepare(name)) for name in names + [_swapped(n) for n in names]]


def _shortlisted(view: MemoryView, query: Query) -> Shortlisted:
    total = view.meta.aliases
    keys = query.all_keys()
    found = {k: v for k, v in zip(keys, view.get_many(keys), strict=True) if v is not None}
    ids = shortlist(query, found, total, 25)
    records = [r for r in view.get_many([alias_key(i) for i in ids]) if isinstance(r, AliasRecord)]
    analysis = query.analysis
    return query, records, query_weights(analysis, found, total), acronym_scores(analysis, found)


def _shown(candidates: list[Candidate], barred: dict[str, float], keep: int) -> list[object]:
    best = ranked_by_similarity(best_per_entity(not_barred(candidates, barred)))[:keep]
    return [(c.id, c.similarity, c.method, c.matched, c.alignment) for c in best]


@pytest.mark.parametrize("keep", [1, 5, 10])
def test_the_best_entities_are_those_of_every_alias_aligned(
    shortlisted: list[Shortlisted], keep: int
) -> None:
    left_out = 0
    for query, records, weights, acronyms in shortlisted:
        every = score_records(query, records, weights, acronyms, None)
        bounded = score_records(query, records, weights, acronyms, None, keep)
        assert _shown(*bounded, keep) == _shown(*every, keep), query.text
        left_out += len(every[0]) - len(bounded[0])
    assert left_out > len(shortlisted)  # the bounds leave many aliases unaligned


def test_no_alias_scores_above_its_bound(shortlisted: list[Shortlisted]) -> None:
    for query, records, weights, _ in shortlisted:
        analysis, transcribed = query.analysis, query.transcribed
        texts = alike(
            unit_texts(analysis.tokens),
            [t for r in records for t in unit_texts(r.tokens)],
            transcribed,
        )
        near = units_alike(analysis, texts)
        for record in records:
            options = alike_pairs(analysis, record, transcribed, near)
            assert options == candidate_pairs(analysis, record, transcribed, texts)
            elsewhere = frozenset(
                t
                for r in records
                if r.entity_id == record.entity_id and r is not record
                for t in r.tokens
            )
            bound = most_similarity(
                analysis, weights, record, options, texts, elsewhere, transcribed
            )
            clash = tuple(range(len(analysis.tokens)))
            for clashing in ((), clash):
                aligned = align(analysis, weights, record, transcribed, elsewhere, texts, clashing)
                assert aligned.score <= bound, (query.text, record.text)
