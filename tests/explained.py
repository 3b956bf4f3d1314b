"""An app on a test table, and one name resolved through it with its explanation: for the
tests of a convention that a name written in another script follows."""

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
