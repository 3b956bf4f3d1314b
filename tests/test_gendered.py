"""A man's and a woman's form of one name are two people (text.gendered): one edit apart,
they passed for a typo of each other. Invented names, word by word and through the app on
the invented tests/data/gendered_table.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
from explained import resolve_explained, table_client
from flask.testing import FlaskClient

from normalizer.text.gendered import sex_forms

TABLE = Path(__file__).parent / "data" / "gendered_table.yml"

SEX_FORMS = [
    ("lagunov", "lagunova"),  # Russian -ov, -ova
    ("kuzmin", "kuzmina"),  # -in, -ina
    ("gromov", "gromova"),
    ("zhukovskiy", "zhukovskaya"),  # adjectival: -skiy, -skaya
    ("zhukovsky", "zhukovskaia"),  # in other romanizations
    ("kowalski", "kowalska"),  # Polish -ski, -ska
    ("tolstoy", "tolstaya"),  # -oy, -aya
    ("novak", "novakova"),  # Czech -ova added
    ("yaroslav", "yaroslava"),  # a given name's feminine -a
    ("daniel", "daniela"),
    ("yevgeniy", "yevgeniya"),  # -iy, -iya
]
ONE_SEX = [
    ("zhukovsky", "zhukovskiy"),  # two romanizations of the masculine
    ("zhukovskaya", "zhukovskaia"),  # and of the feminine
    ("maria", "mari"),  # a name of its own, and a typo of the other
    ("nadia", "nadiya"),  # two spellings of one name
    ("andrea", "andre"),  # the shorter ends in a vowel
    ("mohammad", "mohammed"),
    ("abdulla", "abdullah"),
    ("lagunov", "lagunov"),
]


@pytest.mark.parametrize(("one", "other"), SEX_FORMS)
def test_a_mans_and_a_womans_form_are_told_apart(one: str, other: str) -> None:
    assert sex_forms(one, other)
    assert sex_forms(other, one)


@pytest.mark.parametrize(("one", "other"), ONE_SEX)
def test_spellings_of_one_sex_are_not(one: str, other: str) -> None:
    assert not sex_forms(one, other)
    assert not sex_forms(other, one)


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return table_client(TABLE)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Yaroslav Lagunov", "yaroslav-lagunov"),
        ("Ярослав Лагунов", "yaroslav-lagunov"),
        ("Yaroslav Lagunoff", "yaroslav-lagunov"),  # a romanization, not a sex
        ("Zofia Kowalska", "zofia-kowalska"),
        ("Milena Gromova", "milena-gromova"),
        ("Милена Громова", "milena-gromova"),
        # The other sex's forms: a sister, a wife, a brother; before, each matched at 0.99.
        ("Yaroslava Lagunova", None),
        ("Ярослава Лагунова", None),
        ("Yaroslav Lagunova", None),
        ("Zofia Kowalski", None),
        ("Daniela Brenner", None),
        ("Milena Gromov", None),
    ],
)
def test_a_name_of_the_other_sex_is_not_the_person(
    client: FlaskClient, query: str, expected: str | None
) -> None:
    match = resolve_explained(client, query)["match"]
    assert (match and match["id"]) == expected
