"""match/clash.py: a query word where another name of the entity has a given name of its
own is evidence against the entity (a relative, a namesake), not merely an unmatched word.

The table is the invented tests/data/hard_table.yml: a person known by the full name, the
surnames alone and the sanctions-list form "SURNAMES, Given".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from normalizer.match.evidence import FEATURES
from normalizer.match.matcher import Matcher
from normalizer.web import create_app

TABLE = Path(__file__).parent / "data" / "hard_table.yml"
PERSON = "francisco-valdivieso-urquiza"
CONFLICT = FEATURES.index("conflict")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    found: Matcher = (
        create_app({"TESTING": True, "ALIASES": str(TABLE)}).extensions["normalizer"].matcher
    )
    return found


@pytest.mark.parametrize(
    ("query", "place"),
    [
        ("Leandro Valdivieso Urquiza", 0),  # a brother: the surnames alone are an alias
        ("Valdivieso Urquiza, Leandro", 2),  # the same, as a sanctions list writes him
        ("Leandro Valdivieso", 0),
    ],
)
def test_another_given_name_clashes(matcher: Matcher, query: str, place: int) -> None:
    resolution = matcher.resolve(query, explain=True)
    assert resolution.match is None
    top = resolution.candidates[0]
    assert top.id == PERSON and top.alignment is not None
    assert top.alignment.clash == (place,)
    assert top.features[CONFLICT] > 0.0
    assert top.similarity < 0.5  # counted as in a partial match, whole alias or not


@pytest.mark.parametrize(
    "query",
    [
        "Francisco Valdivieso Urquiza",  # the name
        "Francisco Ignacio Valdivieso Urquiza",  # a middle name the table lacks
        "Francsico Valdivieso Urquiza",  # a typo of the given name
        "Paco Valdivieso Urquiza",  # its nickname
        "F. Valdivieso Urquiza",  # its initial
        "Valdivieso Urquiza Francisco",  # surname first
    ],
)
def test_the_given_name_written_another_way_is_no_clash(matcher: Matcher, query: str) -> None:
    top = matcher.resolve(query, explain=True).candidates[0]
    assert top.id == PERSON and top.alignment is not None
    assert top.alignment.clash == ()
    assert top.features[CONFLICT] == 0.0


def test_a_word_where_no_name_has_a_given_name_is_no_clash(matcher: Matcher) -> None:
    """A word after the surnames (a second surname, a tribe) may be a name the table
    lacks: only a given name's place clashes."""
    top = matcher.resolve("Francisco Valdivieso Urquiza Montalbán", explain=True).candidates[0]
    assert top.id == PERSON and top.alignment is not None and top.alignment.clash == ()


def test_organizations_are_left_alone(matcher: Matcher) -> None:
    top = matcher.resolve("Noor Relief Foundation Uganda Branch", explain=True).candidates[0]
    assert top.alignment is not None and top.alignment.clash == ()
