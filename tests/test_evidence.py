"""match/evidence.py: what a candidate's alignment found, measured against the table."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from explained import resolve_explained, table_client

from normalizer.match.evidence import FEATURES, features
from normalizer.match.matcher import Matcher
from normalizer.match.query import prepare
from normalizer.match.results import Candidate
from normalizer.table.records import Postings
from normalizer.table.weights import idf
from normalizer.web import create_app


@pytest.fixture(scope="module")
def matcher(alias_file: Path) -> Matcher:
    found: Matcher = create_app({"ALIASES": str(alias_file)}).extensions["normalizer"].matcher
    return found


def evidence(candidate: Candidate) -> dict[str, float]:
    assert len(candidate.features) == len(FEATURES)
    return dict(zip(FEATURES, candidate.features, strict=True))


def best(matcher: Matcher, query: str) -> dict[str, float]:
    # The features are the explanation's: an owned name's fast answer has none.
    return evidence(matcher.resolve(query, explain=True).candidates[0])


def test_a_name_written_as_the_alias(matcher: Matcher) -> None:
    found = best(matcher, "Tomasz Wierzbicki")
    assert found["similarity"] == 1.0 and found["literal"] == 1.0 and found["worst"] == 1.0
    assert found["exact"] == found["evidence"] > 0.0
    assert found["query_unmatched"] == found["alias_unmatched"] == found["conflict"] == 0.0
    assert found["lead"] > 0.0  # no other entity is like it
    names = matcher.store.view().meta.aliases
    assert found["table_size"] == pytest.approx(math.log(names + 1) / 10)


def test_a_word_the_table_lacks_is_as_rare_as_a_word_can_be(matcher: Matcher) -> None:
    found = best(matcher, "Tomasz Qwyxbrook Wierzbicki")
    assert found["query_unmatched"] == pytest.approx(1.0)  # one table's worth of information
    assert found["alias_unmatched"] == 0.0 and found["conflict"] == 0.0


def test_one_name_word_in_place_of_another_is_a_conflict(matcher: Matcher) -> None:
    found = best(matcher, "Ernesta Quintana Arévalo")
    assert found["query_unmatched"] > 0.0 or found["typo"] > 0.0
    other = best(matcher, "Rodolfo Quintana Arévalo")
    assert other["conflict"] > 0.0
    # At least what is left over on both sides; more when the query's word stands where
    # another name of the entity has its given name (match.clash).
    assert other["conflict"] >= min(other["query_unmatched"], other["alias_unmatched"])


def test_titles_and_legal_forms_are_no_evidence(matcher: Matcher) -> None:
    plain = best(matcher, "Kestrel Shipping")
    formal = best(matcher, "Kestrel Shipping Company Limited")
    assert formal["evidence"] == pytest.approx(plain["evidence"])


def test_kinds_of_likeness_are_told_apart(matcher: Matcher) -> None:
    assert best(matcher, "Marisol Quintana Arevalo")["exact"] > 0.0
    typo = best(matcher, "Marisol Quintana Arevalp")
    assert typo["typo"] > 0.0 and typo["worst"] < 1.0
    assert best(matcher, "Marisol Quintana Arevaio")["sound"] > 0.0  # an OCR slip
    assert best(matcher, "Томаш Вежбицкий")["transcribed"] == 1.0
    assert best(matcher, "Tomasz Wierzbicki")["transcribed"] == 0.0


def test_the_function_is_what_the_matcher_uses(matcher: Matcher) -> None:
    """The features a candidate carries are those the function computes from its parts."""
    resolution = matcher.resolve("Tomek Wierzbicki", explain=True)
    candidate = resolution.candidates[0]
    assert candidate.record is not None and candidate.alignment is not None
    query = prepare("Tomek Wierzbicki")
    weights = tuple(_query_weights(matcher, query.analysis.tokens))
    again = features(
        query.analysis,
        weights,
        candidate.record,
        candidate.alignment,
        candidate.similarity,
        candidate.method,
        evidence(candidate)["lead"],
        query.transcribed,
        matcher.store.view().meta.aliases,
    )
    assert again == candidate.features


def _query_weights(matcher: Matcher, tokens: tuple[str, ...]) -> list[float]:
    view = matcher.store.view()
    found = view.get_many(["t:" + token for token in tokens])
    total = view.meta.aliases
    return [idf(p.size, total) if isinstance(p, Postings) else 0.0 for p in found]


def _leads(table: Path, query: str) -> dict[str, tuple[float, float]]:
    """Each candidate's similarity and lead, by id, as the explanation gives them."""
    candidates = resolve_explained(table_client(table), query)["candidates"]
    return {
        c["id"]: (c["explain"]["evidence"]["similarity"], c["explain"]["evidence"]["lead"])
        for c in candidates
    }


@pytest.mark.parametrize(
    ("stranger", "query"),
    [
        ("Murat Silvong", "Marit Selvanq"),
        # A title found as written says nothing about who (as in the features).
        ("Dr. Murat Silvong", "Dr. Marit Selvanq"),
    ],
)
def test_an_entity_only_weakly_alike_is_no_rival(tmp_path: Path, stranger: str, query: str) -> None:
    """Every name word of Murat Silvong is only alike a word of the query (its consonants):
    a big table has such a name for any query, so the name the query misspells leads by its
    whole similarity, not by what is left over that stranger."""
    table = tmp_path / "weak.yml"
    table.write_text(
        "- {id: marit-selvang, name: Marit Selvang, type: person}\n"
        f"- {{id: murat-silvong, name: {stranger}, type: person}}\n"
    )
    leads = _leads(table, query)
    assert leads["murat-silvong"][0] > 0.8  # a candidate, and a close one
    similarity, lead = leads["marit-selvang"]
    assert lead == similarity


def test_an_entity_with_a_word_found_surely_is_a_rival(tmp_path: Path) -> None:
    table = tmp_path / "rival.yml"
    table.write_text(
        "- {id: marit-selvang, name: Marit Selvang, type: person}\n"
        "- {id: murat-silvong, name: Murat Silvong, type: person}\n"
        "- {id: marit-selvaag, name: Marit Selvaag, type: person}\n"
    )
    leads = _leads(table, "Marit Selvanq")
    similarity, lead = leads["marit-selvang"]
    assert lead == pytest.approx(similarity - leads["marit-selvaag"][0], abs=2e-4)
