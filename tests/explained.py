"""An app on a test table, and one name resolved through it with its explanation: for the
tests of a convention that a name written in another script follows; or with the rule that
decided, for the tests of those rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from normalizer.web.app import create_app


def table_client(table: Path) -> FlaskClient:
    return create_app({"TESTING": True, "ALIASES": str(table)}).test_client()


def resolve_explained(client: FlaskClient, name: str) -> dict[str, Any]:
    response = client.post("/v1/resolve", json={"names": [name], "explain": True})
    assert response.status_code == 200
    result: dict[str, Any] = response.get_json()["results"][0]
    return result


def decided(client: FlaskClient, name: str) -> tuple[str | None, str | None, float, str]:
    """The match's id, the top candidate's id and its score, and the decision."""
    body = client.get("/v1/resolve", query_string={"name": name}).json
    assert body is not None
    top = body["candidates"][0] if body["candidates"] else None
    match = None if body["match"] is None else str(body["match"]["id"])
    return match, top and str(top["id"]), top["score"] if top else 0.0, body["decision"]
