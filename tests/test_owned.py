"""The fast path (match.owned): a name written as one entity's, and as no other's, is
answered with that entity alone, score 1, without aligning anything; a name two entities
share, one an entity must not have, one of another type than asked, or a request for an
explanation, takes the full path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from normalizer.web.app import create_app

TABLE = """\
- id: kestrel-marine
  name: Kestrel Marine Holdings
  type: organization
  aliases: [Kestrel Marine]
- id: kestrel-marine-services
  name: Kestrel Marine Services
  type: organization
- id: orla-brennan
  name: Orla Brennan
  type: person
- id: orla-brennan-vance
  name: Orla Brennan Vance
  type: person
  aliases: [Orla Brennan]
- id: port-aurel
  name: Port Aurel
  type: location
  not: [Aurel Port]
- id: aurel-port-authority
  name: Aurel Port Authority
  type: organization
  aliases: [Aurel Port]
"""


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    path = tmp_path / "table.yml"
    path.write_text(TABLE, encoding="utf-8")
    return create_app({"TESTING": True, "ALIASES": str(path)}).test_client()


def resolve(client: FlaskClient, **params: str) -> dict[str, Any]:
    response = client.get("/v1/resolve", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body, dict)
    return body


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("Kestrel Marine", "exact"),
        ("KESTREL MARINE", "normalized"),
        ("Marine Kestrel", "reordered"),
        ("Kestrel Marine Holdings", "exact"),
    ],
)
def test_a_name_one_entity_owns_is_that_entity_alone(
    client: FlaskClient, name: str, method: str
) -> None:
    body = resolve(client, name=name)
    (candidate,) = body["candidates"]
    assert candidate["id"] == "kestrel-marine"
    assert (candidate["score"], candidate["method"]) == (1.0, method)
    assert body["match"] == candidate


def test_an_explanation_takes_the_full_path(client: FlaskClient) -> None:
    body = resolve(client, name="Kestrel Marine", explain="true")
    ids = [c["id"] for c in body["candidates"]]
    assert ids[0] == "kestrel-marine" and "kestrel-marine-services" in ids
    assert body["match"]["explain"]["alignment"]


def test_a_name_two_entities_have_is_not_owned(client: FlaskClient) -> None:
    body = resolve(client, name="Orla Brennan")
    ids = {c["id"] for c in body["candidates"]}
    assert ids == {"orla-brennan", "orla-brennan-vance"}
    assert all(c["score"] < 1.0 for c in body["candidates"])


def test_a_name_an_entity_must_not_have_is_not_owned(client: FlaskClient) -> None:
    # Port Aurel must not be called so; the full path weighs that against its own name.
    body = resolve(client, name="Aurel Port")
    ids = {c["id"] for c in body["candidates"]}
    assert ids == {"aurel-port-authority", "port-aurel"}


def test_an_owner_of_another_type_than_asked_is_not_the_answer(client: FlaskClient) -> None:
    body = resolve(client, name="Kestrel Marine", type="location")
    assert body["match"] is None and body["candidates"] == []
