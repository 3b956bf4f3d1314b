"""An acronym of three letters or more stands for the one organization whose name gives it
when no other name of a big table gives it in any style; initials two names share stand
for neither, and in a small table being the only one says little.

The tables: invented organizations whose words recur (so their initials carry little of
the calibration's evidence), one named "Al Amin and Al Hilal LLC" (AAAH, its article and
function word aside as usual), and a person "Ah Ming", whose "Ah" sounds like the
acronym: the calibration sees a neighbour behind and scores AAAH under the threshold."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from explained import decided
from flask.testing import FlaskClient

from normalizer.web.app import create_app

WORDS = ("Al Amin", "Al Hilal", "Al Noor", "Trading", "General")
SYLLABLES = ("ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "va", "ze")
NAMED = [
    {"id": "al-amin-al-hilal", "name": "Al Amin and Al Hilal LLC", "type": "organization"},
    {"id": "ah-ming", "name": "Ah Ming", "type": "person"},
    {"id": "brisk-oval", "name": "Brisk Oval Tannery", "type": "organization"},
    {"id": "bolder-orchard", "name": "Bolder Orchard Trust", "type": "organization"},
]


def organizations_table(folder: Path, fillers: int) -> Path:
    """The NAMED and ``fillers`` invented organizations, as an alias file in ``folder``."""
    rows: list[dict[str, Any]] = [{**row, "aliases": []} for row in NAMED]
    for i, letters in enumerate(itertools.product(SYLLABLES, repeat=4)):
        if i == fillers:
            break
        name = f"{WORDS[i % 5]} {''.join(letters).title()} {WORDS[i // 5 % 5]} Company"
        rows.append({"id": f"o{i}", "name": name, "type": "organization", "aliases": []})
    path = folder / "organizations.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _client(folder: Path, fillers: int) -> FlaskClient:
    path = organizations_table(folder, fillers)
    return create_app({"TESTING": True, "ALIASES": str(path)}).test_client()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    return _client(tmp_path_factory.mktemp("big"), 10_000)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    return _client(tmp_path_factory.mktemp("small"), 300)


@pytest.mark.parametrize("name", ["AAAH", "A.A.A.H."])
def test_initials_no_other_name_of_a_big_table_gives_stand_for_it(
    big: FlaskClient, name: str
) -> None:
    match, top, score, decision = decided(big, name)
    assert top == "al-amin-al-hilal" and score < 0.9  # the calibration alone: no match
    assert (match, decision) == ("al-amin-al-hilal", "unique_initials")


def test_initials_two_names_give_stand_for_neither(big: FlaskClient) -> None:
    assert decided(big, "BOT")[::3] == (None, "no_lead")


def test_in_a_small_table_the_only_initials_are_no_sign(small: FlaskClient) -> None:
    match, top, _, decision = decided(small, "AAAH")
    assert top == "al-amin-al-hilal" and (match, decision) == (None, "below_threshold")
