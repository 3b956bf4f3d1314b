"""A person's given name alone never stands for the person, however rare in the table; a
surname alone may, when rare enough ("Giammattei"). The table: invented persons, enough of
them that one rare word carries the information a big table gives it."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from flask.testing import FlaskClient

from normalizer.web.app import create_app

GIVEN = ("Adel", "Boris", "Clara")
SYLLABLES = ("ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "va", "ze")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    rows: list[dict[str, Any]] = [
        {"id": "maren-oldfield", "name": "Maren Oldfield", "type": "person", "aliases": []},
        {"id": "brevik-oldcastle", "name": "OLDCASTLE, Brevik", "type": "person", "aliases": []},
        {"id": "dr-ilse-varnholm", "name": "Dr. Ilse Varnholm", "type": "person", "aliases": []},
    ]
    for i, (a, b, c) in enumerate(itertools.product(SYLLABLES, repeat=3)):
        for given in GIVEN:
            surname = f"{a.title()}{b}{c}"
            rows.append({"id": f"p{i}-{given.lower()}", "name": f"{given} {surname}"})
            rows[-1] |= {"type": "person", "aliases": []}
    path = tmp_path_factory.mktemp("people") / "people.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return create_app({"TESTING": True, "ALIASES": str(path)}).test_client()


def matched(client: FlaskClient, name: str) -> str | None:
    body = client.get("/v1/resolve", query_string={"name": name}).json
    assert body is not None
    return None if body["match"] is None else str(body["match"]["id"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Maren", None),  # the given name, first
        ("Oldfield", "maren-oldfield"),  # the surname
        ("Brevik", None),  # the given name, after the comma of "SURNAME, Given"
        ("Oldcastle", "brevik-oldcastle"),
        ("Maren Oldfield", "maren-oldfield"),
        ("Ilse", None),  # the given name, after a title
        ("Varnholm", "dr-ilse-varnholm"),
    ],
)
def test_a_given_name_alone_is_no_match(
    client: FlaskClient, name: str, expected: str | None
) -> None:
    assert matched(client, name) == expected
