"""match/scoring.py: align() of a query's analysis with one alias record of a compiled table.

Records come from conftest.py's invented fixture table compiled with a few invented
entities of its own (a short one-word nickname, an organization and its acronym), and the
query's weights from the same table's postings, as the matcher takes them. Tests assert
methods, relations between scores and the module's documented constants, never a score
copied from a run.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from casefiles import cases

from normalizer.aliases.load import load_path
from normalizer.match.capped import ONE_WORD_LENGTH, SINGLE_WORD_FUZZY_CAP
from normalizer.match.scoring import UNMATCHED_OPTIONAL_COST, Alignment, align
from normalizer.table.compiler import CompiledTable, compile_table
from normalizer.table.records import AliasRecord, Postings
from normalizer.table.weights import idf
from normalizer.text.normalize import analyze

EXTRA_YML = """\
# Invented entities for the scoring tests: a nickname of one short word, and an
# organization known by its acronym.
- id: rodrigo-mejia-lanza
  name: Rodrigo Mejía Lanza
  type: person
  aliases:
    - Vunko

- id: transportes-quimera-del-sur
  name: Transportes Quimera del Sur
  type: organization
  aliases:
    - TQS

- id: orvex-services-brothers
  name: Orvex Services Brothers
  type: organization
"""


class Scorer:
    """A compiled table, and align() of a query with one of its names."""

    def __init__(self, table: CompiledTable) -> None:
        self.table = table
        self.records = [r for r in table.entries.values() if isinstance(r, AliasRecord)]

    def record(self, text: str) -> AliasRecord:
        (record,) = [r for r in self.records if r.text == text]
        return record

    def weights(self, query: str) -> tuple[float, ...]:
        """Each query token's rarity in the table; 0 for a token it does not hold."""
        total = self.table.meta.aliases
        found = [self.table.entries.get("t:" + token) for token in analyze(query).tokens]
        return tuple(idf(p.size, total) if isinstance(p, Postings) else 0.0 for p in found)

    def elsewhere(self, record: AliasRecord) -> frozenset[str]:
        """The words of the entity's other names, as the matcher gathers them."""
        return frozenset(
            token
            for other in self.records
            if other.entity_id == record.entity_id and other.alias_id != record.alias_id
            for token in other.tokens
        )

    def align(self, query: str, alias: str | AliasRecord, borrow: bool = False) -> Alignment:
        record = alias if isinstance(alias, AliasRecord) else self.record(alias)
        elsewhere = self.elsewhere(record) if borrow else frozenset()
        return align(analyze(query), self.weights(query), record, elsewhere=elsewhere)


@pytest.fixture(scope="module")
def scorer(alias_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Scorer:
    extra = tmp_path_factory.mktemp("scoring") / "extra.yml"
    extra.write_text(EXTRA_YML, encoding="utf-8")
    return Scorer(compile_table(load_path(alias_file) + load_path(extra)))


def hows(alignment: Alignment) -> list[str]:
    return [pair.how for pair in alignment.pairs]


# methods


@pytest.mark.parametrize(("query", "alias", "method"), cases("alignment_methods.csv"), ids=str)
def test_method(scorer: Scorer, query: str, alias: str, method: str) -> None:
    """tests/data/alignment_methods.csv: query, alias, the method align() names."""
    alignment = scorer.align(query, alias)
    assert alignment.method == method
    assert 0.0 < alignment.score <= 1.0


@pytest.mark.parametrize(
    "query", ["Marisol Quintana Arévalo", "MARISOL QUINTANA AREVALO", "Quintana Arévalo Marisol"]
)
def test_the_same_words_in_any_order_score_one(scorer: Scorer, query: str) -> None:
    alignment = scorer.align(query, "Marisol Quintana Arévalo")
    assert alignment.score == 1.0
    assert alignment.query_coverage == pytest.approx(1.0)
    assert alignment.alias_coverage == pytest.approx(1.0)
    assert set(hows(alignment)) == {"exact"}


def test_respelled_words_score_below_the_same_words(scorer: Scorer) -> None:
    alias = "Marisol Quintana Arévalo"
    exact = scorer.align("Marisol Quintana Arévalo", alias).score
    phonetic = scorer.align("Marisol Kintana Arebalo", alias)
    assert phonetic.method == "phonetic"
    assert phonetic.query_coverage == pytest.approx(1.0)
    assert 0.0 < phonetic.score < exact


def test_a_typo_scores_below_the_same_words(scorer: Scorer) -> None:
    alias = "Marisol Quintana Arévalo"
    fuzzy = scorer.align("Marisol Quintaba Arévalo", alias)
    assert fuzzy.method == "fuzzy"
    assert fuzzy.score < scorer.align(alias, alias).score


def test_partial_name(scorer: Scorer) -> None:
    alignment = scorer.align("Marisol Quintana", "Marisol Quintana Arévalo")
    assert alignment.method == "partial"
    assert alignment.query_coverage == pytest.approx(1.0)
    assert alignment.alias_coverage < 1.0
    assert alignment.score < 1.0


# optional words


def test_an_unmatched_honorific_costs_its_small_constant(scorer: Scorer) -> None:
    alignment = scorer.align("Señor Marisol Quintana Arévalo", "Marisol Quintana Arévalo")
    # The title is left out of the coverage and costs UNMATCHED_OPTIONAL_COST.
    assert alignment.query_coverage == pytest.approx(1.0)
    assert alignment.score == pytest.approx(UNMATCHED_OPTIONAL_COST)


def test_an_unmatched_legal_form_costs_the_constant_a_word(scorer: Scorer) -> None:
    record = scorer.record("Río Azul Logistics S.A. de C.V.")
    unmatched = sum(record.optional)
    assert unmatched >= 2  # "S.A. de C.V." is several words
    alignment = scorer.align("Rio Azul Logistics", record)
    assert alignment.alias_coverage == pytest.approx(1.0)
    assert alignment.score == pytest.approx(UNMATCHED_OPTIONAL_COST**unmatched)


def test_an_unmatched_optional_word_costs_less_than_a_name_word(scorer: Scorer) -> None:
    alias = "Marisol Quintana Arévalo"
    title = scorer.align("Dr. Marisol Quintana Arévalo", alias)
    # "Trevanto" is in no name of the table: it weighs as the alias's rarest word.
    name = scorer.align("Marisol Quintana Arévalo Trevanto", alias)
    assert name.score < title.score < 1.0


def test_matched_optional_words_weigh_little(scorer: Scorer) -> None:
    text = "Río Azul Logistics S.A. de C.V."
    record = scorer.record(text)
    alignment = scorer.align(text, record)
    assert alignment.score == 1.0

    def optional(pair_query: tuple[int, ...]) -> bool:
        return all(record.optional[i] for i in pair_query)

    titles = [p.contribution for p in alignment.pairs if optional(p.query)]
    names = [p.contribution for p in alignment.pairs if not optional(p.query)]
    assert len(titles) == sum(record.optional)
    # Every legal-form word together says less than any word of the name.
    assert sum(titles) < min(names)


# extra words on either side


def test_unmatched_query_words_cost_more_than_unmatched_alias_words(scorer: Scorer) -> None:
    # The same three words and the same two in common, the third on either side.
    longer, shorter = "Marisol Quintana Arévalo", "Marisol Quintana"
    extra_query = scorer.align(longer, shorter)
    extra_alias = scorer.align(shorter, longer)
    assert extra_query.alias_coverage == pytest.approx(1.0)
    assert extra_alias.query_coverage == pytest.approx(1.0)
    assert extra_query.score < extra_alias.score


def test_an_unmatched_query_word_costs_more_than_its_share(scorer: Scorer) -> None:
    """An extra query word may name someone else: unless the whole alias was found, the
    score falls by more than the share of the query it leaves unmatched."""
    alias = "Marisol Quintana Arévalo"
    without = scorer.align("Marisol Quintana", alias)
    # "Trevanto" is in no name of the table; the alias misses the same word in both.
    extra = scorer.align("Marisol Quintana Trevanto", alias)
    assert extra.alias_coverage == without.alias_coverage < 1.0
    assert extra.query_coverage < 1.0
    assert extra.score < without.score * extra.query_coverage
    # When the whole alias is found, the extra words cost less than their share.
    superset = scorer.align(alias, "Marisol Quintana")
    assert superset.alias_coverage == pytest.approx(1.0)
    assert superset.score > superset.query_coverage


# one query word


def test_one_fuzzy_word_is_capped(scorer: Scorer) -> None:
    alignment = scorer.align("Wierzbocki", "Tomasz Wierzbicki")
    assert hows(alignment) == ["typo"]
    assert alignment.score <= SINGLE_WORD_FUZZY_CAP
    # With the given name beside it, the same typo is not capped.
    assert scorer.align("Tomasz Wierzbocki", "Tomasz Wierzbicki").score > SINGLE_WORD_FUZZY_CAP


def test_one_letter_more_is_capped_however_alike(scorer: Scorer) -> None:
    alignment = scorer.align("Hondurase", "Honduras")
    (pair,) = alignment.pairs
    assert pair.similarity > SINGLE_WORD_FUZZY_CAP
    assert alignment.score == SINGLE_WORD_FUZZY_CAP


def test_one_letter_other_in_a_long_one_word_alias_is_not_capped(scorer: Scorer) -> None:
    assert len("honduras") >= ONE_WORD_LENGTH
    alignment = scorer.align("Hondures", "Honduras")
    assert hows(alignment) == ["typo"]
    assert alignment.score > SINGLE_WORD_FUZZY_CAP


def test_one_letter_other_in_a_short_one_word_alias_is_capped(scorer: Scorer) -> None:
    # Among short words one letter often makes another name.
    assert len("vunko") < ONE_WORD_LENGTH
    alignment = scorer.align("Vunki", "Vunko")
    (pair,) = alignment.pairs
    assert pair.similarity > SINGLE_WORD_FUZZY_CAP
    assert alignment.score == SINGLE_WORD_FUZZY_CAP


def test_two_neighbours_swapped_in_a_long_one_word_alias_are_not_capped(scorer: Scorer) -> None:
    # The same letters, two typed in the wrong order: one typo, not another name.
    alignment = scorer.align("Honduars", "Honduras")
    assert hows(alignment) == ["typo"]
    assert alignment.score > SINGLE_WORD_FUZZY_CAP
    # Two letters apart swapped are two letters other.
    alignment = scorer.align("Hondarus", "Honduras")
    (pair,) = alignment.pairs
    assert pair.similarity > SINGLE_WORD_FUZZY_CAP
    assert alignment.score == SINGLE_WORD_FUZZY_CAP


def test_two_letters_other_in_a_long_one_word_alias_are_capped(scorer: Scorer) -> None:
    alignment = scorer.align("Hondares", "Honduras")
    (pair,) = alignment.pairs
    assert pair.similarity > SINGLE_WORD_FUZZY_CAP
    assert alignment.score == SINGLE_WORD_FUZZY_CAP


def test_one_exact_word_is_not_capped(scorer: Scorer) -> None:
    assert scorer.align("Vunko", "Vunko").score == 1.0


# words of the entity's other names


def test_a_query_word_may_be_borrowed_from_another_name(scorer: Scorer) -> None:
    # "Neto Quintana" lacks "Arévalo"; "Ernesto Quintana Arévalo", the same man, has it.
    query, alias = "Neto Quintana Arévalo", "Neto Quintana"
    alone = scorer.align(query, alias)
    borrowed = scorer.align(query, alias, borrow=True)
    assert "other name" not in hows(alone)
    assert hows(borrowed).count("other name") == 1
    assert borrowed.query_coverage == pytest.approx(1.0)
    assert alone.query_coverage < borrowed.query_coverage
    assert borrowed.score > alone.score
    # A word found only elsewhere is less sure than one of the alias itself.
    (other,) = [p for p in borrowed.pairs if p.how == "other name"]
    assert other.similarity < 1.0
    assert borrowed.score < scorer.align("Neto Quintana", alias).score


def test_no_more_words_borrowed_than_the_alias_own_words_found(scorer: Scorer) -> None:
    # One word of the alias found ("Neto"), two only elsewhere: none is borrowed.
    alignment = scorer.align("Neto Ernesto Arévalo", "Neto Quintana", borrow=True)
    assert hows(alignment) == ["exact"]


def test_nothing_borrowed_when_nothing_of_the_alias_is_found(scorer: Scorer) -> None:
    alignment = scorer.align("Ernesto Arévalo", "Neto Quintana", borrow=True)
    assert alignment.pairs == ()
    assert alignment.score == 0.0


def test_a_repeated_word_is_not_borrowed(scorer: Scorer) -> None:
    # The alias pairs "Quintana" once; the query's second one is someone else's name.
    alignment = scorer.align("Neto Quintana Quintana", "Neto Quintana", borrow=True)
    assert "other name" not in hows(alignment)
    assert alignment.query_coverage < 1.0


# acronyms


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        ("TQS", "Transportes Quimera del Sur"),  # the query is the acronym
        ("Transportes Quimera del Sur", "TQS"),  # the alias is
        ("FUTN", "Frente Unido de Transportistas del Norte"),  # function words skipped
    ],
    ids=str,
)
def test_acronym_pairs_for_organizations(scorer: Scorer, query: str, alias: str) -> None:
    record = scorer.record(alias)
    assert record.entity_type == "organization"
    alignment = scorer.align(query, record)
    assert hows(alignment) == ["acronym"]
    assert alignment.method == "acronym"
    # Sure of the letters, not of the reading.
    assert 0.0 < alignment.pairs[0].similarity < 1.0
    # The same name of a person is no acronym: "Abu" is a word, not initials.
    person = scorer.align(query, replace(record, entity_type="person"))
    assert "acronym" not in hows(person)
    assert person.score < alignment.score


# explanations


def queries(scorer: Scorer) -> list[str]:
    """Every name of the table, and respellings of a few."""
    names = sorted({record.text for record in scorer.records})
    return names + [row[0] for row in cases("alignment_methods.csv")]


def test_contributions_sum_to_at_most_one(scorer: Scorer) -> None:
    aligned = 0
    for query in queries(scorer):
        for record in scorer.records:
            alignment = scorer.align(query, record, borrow=True)
            contributions = [pair.contribution for pair in alignment.pairs]
            assert all(c >= 0.0 for c in contributions)
            assert sum(contributions) <= 1.0 + 1e-9
            # A pair carries its share of the query times its similarity (at most 1).
            assert sum(contributions) <= alignment.query_coverage + 1e-9
            assert 0.0 <= alignment.score <= 1.0
            aligned += bool(alignment.pairs)
    assert aligned


def test_contributions_of_exact_pairs_are_the_query_coverage(scorer: Scorer) -> None:
    alignment = scorer.align("Marisol Quintana Arévalo", "Marisol Quintana")
    assert set(hows(alignment)) == {"exact"}
    assert alignment.query_coverage < 1.0
    assert sum(p.contribution for p in alignment.pairs) == pytest.approx(alignment.query_coverage)


def test_contributions_sum_to_one_when_every_query_word_is_the_alias(scorer: Scorer) -> None:
    for record in scorer.records:
        alignment = scorer.align(record.text, record)
        assert sum(p.contribution for p in alignment.pairs) == pytest.approx(1.0)


# organization words


def test_a_word_only_like_an_organization_word_does_not_pair(scorer: Scorer) -> None:
    """A surname like "Servicer" is not the word "Services": generic organization words
    pair only as written (or respelled alike, or with a typo), so the person's name finds
    the organization's own name word and nothing more."""
    alignment = scorer.align("Servides Orvex", "Orvex Services Brothers")
    assert [(p.how, alignment.pairs.index(p)) for p in alignment.pairs if p.how != "exact"] == [
        ("typo", 1)
    ]
    unlike = scorer.align("Servucis Orvex", "Orvex Services Brothers")
    assert hows(unlike) == ["exact"]
    assert unlike.score < alignment.score


def test_one_edit_is_a_typo_however_alike_the_words_are(scorer: Scorer) -> None:
    assert hows(scorer.align("Tomasz Wierzbidki", "Tomasz Wierzbicki")) == ["exact", "typo"]
