"""The review queue in the service: what lookups record, GET /v1/review, and accepting or
rejecting a name over HTTP, on a copy of the fixture table (never the repository's)."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from normalizer.match.results import Candidate, Resolution
from normalizer.service import Service, misses
from normalizer.store.review import Suggestion
from normalizer.web.app import create_app
from normalizer.web.context import EXTENSION

TOKEN = "curator-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}
PROBLEM_JSON = "application/problem+json"
KEY = "refine-0123456789abcdef"
ERNESTO = "ernesto-quintana-arevalo"


@pytest.fixture
def aliases(alias_copy: Path) -> Path:
    return alias_copy


def reviewing(aliases: Path, tmp_path: Path, **config: Any) -> Flask:
    settings = {"ALIASES": str(aliases), "REVIEW": True, "ADMIN_TOKEN": TOKEN}
    settings["REVIEW_PATH"] = str(tmp_path / "review.sqlite3")
    return create_app({"TESTING": True} | settings | config)


@pytest.fixture
def app(aliases: Path, tmp_path: Path) -> Flask:
    return reviewing(aliases, tmp_path)


def queued(app: Flask) -> list[dict[str, Any]]:
    """The queue over HTTP, once what the lookups offered is written."""
    service: Service = app.extensions[EXTENSION]
    assert service.flush_review(30)
    response = app.test_client().get("/v1/review", headers=ADMIN)
    assert response.status_code == 200, response.get_data(as_text=True)
    names: list[dict[str, Any]] = response.get_json()["names"]
    return names


def test_names_without_a_confident_match_are_queued_once_a_request(
    app: Flask, client: FlaskClient
) -> None:
    for name in ["Quintana Arévalo", "QUINTANA  arévalo", "Marisol Quintana", "Menchito"]:
        assert client.get("/v1/resolve", query_string={"name": name}).status_code == 200
    batch = {"names": ["Quintana Arévalo", "quintana arévalo", "Menchito", "Honduras"]}
    assert client.post("/v1/resolve", json=batch).status_code == 200
    reconcile = {"q0": {"query": "Menchito"}, "q1": {"query": "menchito"}}
    assert client.post("/reconcile", data={"queries": json.dumps(reconcile)}).status_code == 200
    names = queued(app)
    # Matches ("Marisol Quintana", "Honduras") are not queued; the batch and the reconcile
    # query counted each name once. Of equal counts, the one seen last comes first.
    assert [(n["name"], n["count"]) for n in names] == [("Menchito", 3), ("Quintana Arévalo", 3)]
    quintana = names[1]
    assert [s["id"] for s in quintana["suggestions"]] == [
        "marisol-quintana-arevalo",
        "ernesto-quintana-arevalo",
        "ramiro-quintana-arevalo",
    ]
    assert set(quintana) == {"name", "count", "first_seen", "last_seen", "suggestions"}
    assert quintana["first_seen"] <= quintana["last_seen"] <= time.time()
    assert names[0]["suggestions"] == []


def test_invalid_names_are_refused_not_queued(app: Flask, client: FlaskClient) -> None:
    assert client.get("/v1/resolve", query_string={"name": "x" * 600}).status_code == 400
    assert client.post("/v1/resolve", json={"names": ["Menchito", " "]}).status_code == 400
    assert client.get("/v1/resolve", query_string={"name": "!!!"}).status_code == 200
    assert queued(app) == []


def test_a_miss_keeps_its_three_best_candidates_and_nothing_else() -> None:
    candidates = tuple(
        Candidate(f"e{n}", f"Entity {n}", "person", 0.5 - n / 7, "x", "fuzzy") for n in range(5)
    )
    found = Resolution("Some Name", "some name", ("some", "name"), None, candidates, "no_lead")
    matched = Resolution("Other", "other", ("other",), candidates[0], candidates, "score")
    (miss,) = misses([found, matched])
    assert miss.name == "Some Name"
    best = tuple(Suggestion(f"e{n}", f"Entity {n}", round(0.5 - n / 7, 4)) for n in range(3))
    assert miss.suggestions == best


def test_review_is_off_by_default_and_then_costs_nothing(
    alias_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where the default queue file would go
    app = create_app({"TESTING": True, "ALIASES": str(alias_file), "ADMIN_TOKEN": TOKEN})
    client = app.test_client()
    assert app.extensions[EXTENSION].review is None
    assert client.get("/v1/resolve", query_string={"name": "Menchito"}).status_code == 200
    for method, path in [("get", "/v1/review"), ("post", "/v1/review/reject")]:
        response = getattr(client, method)(path, headers=ADMIN, json={"name": "x"})
        assert response.status_code == 404 and response.mimetype == PROBLEM_JSON
        assert "NORMALIZER_REVIEW is not set" in response.get_json()["detail"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"Authorization": "Bearer wrong"}, 401), ({"X-API-Key": TOKEN}, 401)],
)
def test_the_review_routes_want_the_admin_token(
    client: FlaskClient, headers: dict[str, str], status: int
) -> None:
    for response in [
        client.get("/v1/review?limit=0", headers=headers),  # the token before the parameters
        client.post("/v1/review/accept", headers=headers, json={"name": "a", "entity": "b"}),
        client.post("/v1/review/reject", headers=headers, json={"name": "a"}),
    ]:
        assert response.status_code == status and response.mimetype == PROBLEM_JSON


def test_api_keys_do_not_open_the_queue_and_the_token_needs_no_key(
    aliases: Path, tmp_path: Path
) -> None:
    client = reviewing(aliases, tmp_path, API_KEYS=f"refine={KEY}").test_client()
    assert client.get("/v1/review", headers=ADMIN).status_code == 200
    assert client.get("/v1/review", headers={"X-API-Key": KEY}).status_code == 401
    assert client.get("/v1/resolve?name=x", headers=ADMIN).status_code == 401  # default-deny
    assert client.get("/v1/reviewers", headers=ADMIN).status_code == 404


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("limit=0", "limit must be a whole number from 1 to 500"),
        ("limit=501", "limit must be a whole number from 1 to 500"),
        ("limit=-1", "limit must be a whole number in ASCII digits"),
        ("limit=ten", "limit must be a whole number in ASCII digits"),
    ],
)
def test_a_bad_limit_is_a_400_naming_it(client: FlaskClient, query: str, detail: str) -> None:
    response = client.get(f"/v1/review?{query}", headers=ADMIN)
    assert response.status_code == 400 and response.mimetype == PROBLEM_JSON
    assert (response.get_json()["field"], response.get_json()["detail"]) == ("limit", detail)


def test_the_limit_takes_the_most_frequent(app: Flask, client: FlaskClient) -> None:
    for count, name in enumerate(["Uno Nombre", "Dos Nombre", "Tres Nombre"], 1):
        for _ in range(count):
            client.get("/v1/resolve", query_string={"name": name})
    assert [n["name"] for n in queued(app)] == ["Tres Nombre", "Dos Nombre", "Uno Nombre"]
    top = client.get("/v1/review?limit=2", headers=ADMIN).get_json()["names"]
    assert [n["name"] for n in top] == ["Tres Nombre", "Dos Nombre"]


def test_accepting_edits_the_file_puts_the_alias_in_force_and_dequeues_it(
    app: Flask, client: FlaskClient, aliases: Path
) -> None:
    before = aliases.read_text(encoding="utf-8")
    assert client.get("/v1/resolve?name=Neto%20Arevalo").get_json()["match"] is None
    assert [n["name"] for n in queued(app)] == ["Neto Arevalo"]
    body = {"name": "Neto Arevalo", "entity": "ernesto-quintana-arevalo"}
    response = client.post("/v1/review/accept", headers=ADMIN, json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    done = response.get_json()
    assert done["file"] == str(aliases) and done["line"] == 11 and done["queued"] is True
    assert done["in_force"] == "this worker; the others within seconds" and done["version"]
    after = aliases.read_text(encoding="utf-8")
    added = "    - Neto Quintana\n    - Neto Arevalo\n"
    assert after == before.replace("    - Neto Quintana\n", added)
    match = client.get("/v1/resolve?name=Neto%20Arevalo").get_json()["match"]
    assert match["id"] == "ernesto-quintana-arevalo" and match["method"] == "exact"
    assert queued(app) == []


def test_a_refused_accept_names_the_problem_and_leaves_file_and_table(
    client: FlaskClient, aliases: Path
) -> None:
    before = aliases.read_bytes()
    version = client.get("/readyz").get_json()["version"]
    cases = [
        ({"name": "Lempira", "entity": "puerto-lempira"}, 422, "is also a name of the entity"),
        ({"name": "Tomek Wierzbicki", "entity": ERNESTO}, 422, "resolve to none"),
        ({"name": "NETO quintana", "entity": "ernesto-quintana-arevalo"}, 409, "already"),
        ({"name": "Neto", "entity": "nobody"}, 404, "no entity with id 'nobody'"),
        ({"name": "Neto"}, 400, "the field entity is required"),
    ]
    for body, status, says in cases:
        response = client.post("/v1/review/accept", headers=ADMIN, json=body)
        assert response.status_code == status, response.get_data(as_text=True)
        assert response.mimetype == PROBLEM_JSON and says in response.get_json()["detail"]
        if status in (409, 422):
            assert f"{aliases}:" in response.get_json()["detail"]  # file and line
    assert aliases.read_bytes() == before
    assert client.get("/readyz").get_json()["version"] == version


def test_a_rejected_name_leaves_the_queue_and_is_not_queued_again(
    app: Flask, client: FlaskClient
) -> None:
    client.get("/v1/resolve?name=Menchito")
    assert [n["name"] for n in queued(app)] == ["Menchito"]
    response = client.post("/v1/review/reject", headers=ADMIN, json={"name": "MENCHITO"})
    assert response.get_json() == {"name": "MENCHITO", "queued": True}
    client.get("/v1/resolve?name=Menchito")
    assert queued(app) == []
    again = client.post("/v1/review/reject", headers=ADMIN, json={"name": "menchito"})
    assert again.get_json()["queued"] is False


def test_a_queue_that_cannot_be_written_fails_no_lookup(
    aliases: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    app = reviewing(aliases, tmp_path, REVIEW_PATH=str(blocked / "review.sqlite3"))
    client = app.test_client()
    caplog.set_level(logging.WARNING, logger="normalizer.store.review_writer")
    for _ in range(3):
        started = time.monotonic()
        response = client.get("/v1/resolve?name=Menchito")
        assert response.status_code == 200 and time.monotonic() - started < 1.0
    assert app.extensions[EXTENSION].flush_review(30)
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "the review queue failed" in warnings[0]
    assert "not-a-folder" in warnings[0] and "Menchito" not in warnings[0]
    response = client.get("/v1/review", headers=ADMIN)
    assert response.status_code == 503 and response.mimetype == PROBLEM_JSON
