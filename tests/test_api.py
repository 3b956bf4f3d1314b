"""The HTTP API through Flask's test client: the factory, resolve, entities, health, errors."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from normalizer.exc import AliasTableError
from normalizer.match.evidence import FEATURES
from normalizer.match.results import ABSTAINED, MATCHED
from normalizer.settings import Settings
from normalizer.web.app import create_app

PROBLEM_JSON = "application/problem+json"
RESOLUTION_KEYS = {"query", "normalized", "match", "decision", "candidates"}
CANDIDATE_KEYS = {"id", "name", "type", "score", "matched", "method"}
PAIR_KEYS = {"query", "alias", "similarity", "how", "contribution"}
# Counts of the table in conftest.py.
ENTITY_COUNT = 13
NAME_COUNT = 28
SHARING_IDS = ["khalid-saeed-al-harbi", "yusuf-abdelkarim-nasser"]
SIBLING_IDS = ["ernesto-quintana-arevalo", "marisol-quintana-arevalo", "ramiro-quintana-arevalo"]


def get_resolve(client: FlaskClient, **params: Any) -> TestResponse:
    return client.get("/v1/resolve", query_string=params)


def post_resolve(client: FlaskClient, body: Any) -> TestResponse:
    return client.post("/v1/resolve", json=body)


def check_resolution(body: dict[str, Any], explain: bool = False) -> None:
    """The documented shape of one resolution, exactly."""
    assert set(body) == RESOLUTION_KEYS
    assert isinstance(body["query"], str)
    assert isinstance(body["normalized"], str)
    assert body["decision"] in (MATCHED if body["match"] else ABSTAINED)
    candidates = body["candidates"]
    assert isinstance(candidates, list)
    for candidate in candidates + ([body["match"]] if body["match"] else []):
        keys = CANDIDATE_KEYS | {"explain"} if explain else CANDIDATE_KEYS
        assert set(candidate) == keys
        assert isinstance(candidate["score"], int | float)
        assert 0.0 <= candidate["score"] <= 1.0
        for key in CANDIDATE_KEYS - {"score"}:
            assert isinstance(candidate[key], str)
    scores = [c["score"] for c in candidates]
    assert scores == sorted(scores, reverse=True)
    if body["match"] is not None:
        assert body["match"] == candidates[0]


def check_problem(response: TestResponse, status: int, field: str | None = None) -> dict[str, Any]:
    """A problem+json document (RFC 9457) with ``status``; never HTML, never a 500."""
    assert response.status_code == status
    assert response.mimetype == PROBLEM_JSON
    text = response.get_data(as_text=True)
    assert not text.lstrip().startswith("<")
    body: dict[str, Any] = json.loads(text)
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    if field is not None:
        assert body["field"] == field
    return body


# --- the factory ---------------------------------------------------------------------------


def test_factory(alias_file: Path) -> None:
    assert not create_app({"ALIASES": str(alias_file)}).testing
    app = create_app({"TESTING": True, "ALIASES": str(alias_file)})
    assert app.testing
    settings = app.extensions["normalizer"].settings
    assert settings.alias_path == alias_file
    assert settings.max_name_length == Settings.max_name_length


def test_factory_refuses_a_missing_alias_path(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yml"
    with pytest.raises(AliasTableError) as caught:
        create_app({"TESTING": True, "ALIASES": str(missing)})
    assert [p.path for p in caught.value.problems] == [str(missing)]


def test_factory_refuses_an_invalid_table(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("- id: puerto-lempira\n  type: location\n", encoding="utf-8")
    with pytest.raises(AliasTableError) as caught:
        create_app({"TESTING": True, "ALIASES": str(bad)})
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.message) == (str(bad), 1, "missing name")


def test_factory_reads_prefixed_environment(
    alias_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NORMALIZER_ALIASES", str(alias_file))
    monkeypatch.setenv("NORMALIZER_MAX_LIMIT", "3")
    client = create_app({"TESTING": True}).test_client()
    assert get_resolve(client, name="Honduras", limit=3).status_code == 200
    check_problem(get_resolve(client, name="Honduras", limit=4), 400, "limit")


def test_factory_test_config_wins_over_environment(
    alias_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NORMALIZER_ALIASES", str(tmp_path / "missing.yml"))
    app = create_app({"TESTING": True, "ALIASES": str(alias_file)})
    assert app.test_client().get("/readyz").get_json()["entities"] == ENTITY_COUNT


# --- GET /v1/resolve -----------------------------------------------------------------------


def test_get_resolve_shape(client: FlaskClient) -> None:
    response = get_resolve(client, name="  QUINTANA ARÉVALO,  Marisol ")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    check_resolution(body)
    assert body["query"] == "  QUINTANA ARÉVALO,  Marisol "
    assert body["normalized"] == "quintana arevalo marisol"
    match = body["match"]
    assert match.pop("score") >= Settings.threshold
    assert match == {
        "id": "marisol-quintana-arevalo",
        "name": "Marisol Quintana Arévalo",
        "type": "person",
        "matched": "QUINTANA ARÉVALO, Marisol",
        "method": "normalized",
    }


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Marisol Quintana Arévalo", "marisol-quintana-arevalo"),
        ("marisol quintana arevalo", "marisol-quintana-arevalo"),
        ("Wierzbicki, Tomasz", "tomasz-wierzbicki"),
        ("Томаш Вежбицкий", "tomasz-wierzbicki"),
        ("RIO AZUL LOGISTICS SA DE CV", "rio-azul-logistics"),
        ("Kestrel Shipping Co Ltd", "kestrel-shipping"),
        ("NBWA", "northern-basin-water-authority"),
        ("F.U.T.N.", "frente-unido-transportistas-norte"),
        ("Republica de Honduras", "honduras"),
    ],
    ids=str,
)
def test_get_resolve_matches(client: FlaskClient, name: str, entity_id: str) -> None:
    body = get_resolve(client, name=name).get_json()
    check_resolution(body)
    assert body["match"]["id"] == entity_id


@pytest.mark.parametrize(
    ("name", "decision"),
    [
        ("  QUINTANA ARÉVALO,  Marisol ", "exact_name"),  # the name, written otherwise
        ("Томаш Вежбицкий", "exact_name"),  # an alias, in Cyrillic
        ("Wierzbicky Tomasz", "sounded_name"),  # every word as written or as it sounds
        ("NBWA", "score"),  # an acronym the calibration is sure of
        ("Quintana Arévalo", "below_threshold"),  # the surnames of three siblings
        ("Abu Muhammad", "no_lead"),  # an alias of two entities
        ("Quintana", "shared_word"),  # one word of three names
        ("Nobody Atall", "no_candidates"),
    ],
    ids=str,
)
def test_get_resolve_says_why(client: FlaskClient, name: str, decision: str) -> None:
    """The rule that decided, and a match exactly when the rule is one that matches."""
    body = get_resolve(client, name=name).get_json()
    check_resolution(body)
    assert body["decision"] == decision


def test_get_resolve_candidates_best_first(client: FlaskClient) -> None:
    # explain: the full path, which ranks every candidate (not only the owner of the name)
    body = get_resolve(client, name="Ramiro Quintana Arévalo", explain="true").get_json()
    check_resolution(body, explain=True)
    assert [c["id"] for c in body["candidates"]][:1] == ["ramiro-quintana-arevalo"]
    assert sorted(c["id"] for c in body["candidates"]) == SIBLING_IDS
    scores = [c["score"] for c in body["candidates"]]
    assert 1.0 >= scores[0] >= Settings.threshold
    assert scores[0] > scores[1] >= scores[2] > 0.0
    assert body["match"]["id"] == "ramiro-quintana-arevalo"


def test_get_resolve_siblings_are_ambiguous(client: FlaskClient) -> None:
    body = get_resolve(client, name="Quintana Arévalo").get_json()
    check_resolution(body)
    assert sorted(c["id"] for c in body["candidates"]) == SIBLING_IDS
    assert body["match"] is None


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_get_resolve_limit(client: FlaskClient, limit: int) -> None:
    name, explain = "Marisol Quintana Arévalo", "true"  # the full path: every candidate
    everything = get_resolve(client, name=name, limit=50, explain=explain).get_json()
    assert len(everything["candidates"]) == 3
    body = get_resolve(client, name=name, limit=limit, explain=explain).get_json()
    check_resolution(body, explain=True)
    assert body["candidates"] == everything["candidates"][:limit]
    assert body["match"] == everything["match"]


def test_get_resolve_limit_cuts_the_ranking(client: FlaskClient, app: Flask) -> None:
    # Three siblings share the surnames: each is a candidate for them.
    many = get_resolve(client, name="Quintana Arévalo", limit=50).get_json()
    assert len(many["candidates"]) >= 3
    two = get_resolve(client, name="Quintana Arévalo", limit=2).get_json()
    assert two["candidates"] == many["candidates"][:2]
    default = get_resolve(client, name="Quintana Arévalo").get_json()
    default_limit = app.extensions["normalizer"].settings.default_limit
    assert default["candidates"] == many["candidates"][:default_limit]


@pytest.mark.parametrize(
    ("entity_type", "expected"),
    [
        # The country's name, no one else's: the fast path answers with it alone.
        (None, ["honduras"]),
        ("location", ["honduras"]),
        ("organization", ["banco-agricola-honduras"]),
        ("person", []),
    ],
    ids=str,
)
def test_get_resolve_type_filter(
    client: FlaskClient, entity_type: str | None, expected: list[str]
) -> None:
    params = {"name": "Honduras"} | ({"type": entity_type} if entity_type else {})
    body = get_resolve(client, **params).get_json()
    check_resolution(body)
    assert [c["id"] for c in body["candidates"]] == expected
    if entity_type:
        assert {c["type"] for c in body["candidates"]} <= {entity_type}
    if expected[:1] == ["honduras"]:
        assert body["match"]["id"] == "honduras"


@pytest.mark.parametrize("flag", ["true", "True", "1", "yes", "on"])
def test_get_resolve_explain(client: FlaskClient, flag: str) -> None:
    body = get_resolve(client, name="Wierzbicki Tomek", explain=flag).get_json()
    check_resolution(body, explain=True)
    match = body["match"]
    assert match["id"] == "tomasz-wierzbicki"
    explain = match["explain"]
    assert explain["alias"] == match["matched"] == "Tomek Wierzbicki"
    assert explain["tier"] == match["method"]
    alignment = sorted(explain["alignment"], key=lambda pair: pair["query"])
    assert [{k: v for k, v in pair.items() if k != "contribution"} for pair in alignment] == [
        {"query": "tomek", "alias": "tomek", "similarity": 1.0, "how": "exact"},
        {"query": "wierzbicki", "alias": "wierzbicki", "similarity": 1.0, "how": "exact"},
    ]
    # Every token matched exactly: the contributions add up to the whole similarity, from
    # which (with the rest of the evidence) the score is calibrated.
    assert sum(pair["contribution"] for pair in alignment) == pytest.approx(
        explain["similarity"], abs=1e-3
    )
    assert set(explain["evidence"]) == set(FEATURES)
    assert explain["evidence"]["similarity"] == explain["similarity"]
    # The rarer token carries more of the score ("Tomek" is one alias, "Wierzbicki" two).
    assert alignment[0]["contribution"] > alignment[1]["contribution"]
    for candidate in body["candidates"]:
        assert {"alias", "tier", "similarity", "evidence", "alignment"} <= set(candidate["explain"])
        assert candidate["explain"]["alias"] == candidate["matched"]
        for pair in candidate["explain"]["alignment"]:
            assert set(pair) == PAIR_KEYS


@pytest.mark.parametrize("flag", ["false", "0", "no", "off", "FALSE"])
def test_get_resolve_without_explain(client: FlaskClient, flag: str) -> None:
    body = get_resolve(client, name="Wierzbicki Tomek", explain=flag).get_json()
    check_resolution(body, explain=False)
    assert body["match"]["id"] == "tomasz-wierzbicki"


def test_get_resolve_shared_alias_is_ambiguous(client: FlaskClient) -> None:
    body = get_resolve(client, name="Abu Muhammad").get_json()
    check_resolution(body)
    assert body["match"] is None
    assert sorted(c["id"] for c in body["candidates"]) == SHARING_IDS
    assert {c["matched"] for c in body["candidates"]} == {"Abu Muhammad"}


@pytest.mark.parametrize("name", ["Nobody Atall", "John Smith", "Jalisco"], ids=str)
def test_get_resolve_unknown_name(client: FlaskClient, name: str) -> None:
    body = get_resolve(client, name=name).get_json()
    check_resolution(body)
    assert body["match"] is None


@pytest.mark.parametrize("name", ["a" * 512, "ñ" * 512, "Honduras" + " " * 504], ids=len)
def test_get_resolve_longest_name(client: FlaskClient, name: str) -> None:
    response = get_resolve(client, name=name)
    assert response.status_code == 200
    check_resolution(response.get_json())


@pytest.mark.parametrize("limit", [1, 50])
def test_get_resolve_limit_bounds(client: FlaskClient, limit: int) -> None:
    response = get_resolve(client, name="Honduras", limit=limit)
    assert response.status_code == 200
    assert 1 <= len(response.get_json()["candidates"]) <= limit


# --- POST /v1/resolve ----------------------------------------------------------------------


def test_post_resolve_in_order(client: FlaskClient) -> None:
    names = ["Puerto Lempira", "Nobody Atall", "NBWA", "Abu Muhammad", "Puerto Lempira"]
    response = post_resolve(client, {"names": names})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"results"}
    results = body["results"]
    assert [r["query"] for r in results] == names
    for result in results:
        check_resolution(result)
    ids = [r["match"]["id"] if r["match"] else None for r in results]
    assert ids == ["puerto-lempira", None, "northern-basin-water-authority", None, "puerto-lempira"]


@pytest.mark.parametrize(
    "options",
    [{}, {"type": "organization"}, {"limit": 2}, {"explain": True}, {"explain": False}],
    ids=str,
)
def test_post_resolve_same_as_get(client: FlaskClient, options: dict[str, Any]) -> None:
    names = ["Honduras", "Marisol Quintana Arévalo", "Quintana Arévalo", "Abu Muhammad", "NBWA"]
    results = post_resolve(client, {"names": names} | options).get_json()["results"]
    assert len(results) == len(names)
    query = {k: str(v).lower() for k, v in options.items()}
    for name, result in zip(names, results, strict=True):
        assert result == get_resolve(client, name=name, **query).get_json()
        check_resolution(result, explain=bool(options.get("explain")))


def test_post_resolve_type_in_body(client: FlaskClient) -> None:
    body = {"names": ["Honduras", "Tomasz Wierzbicki"], "type": "location"}
    honduras, tomasz = post_resolve(client, body).get_json()["results"]
    assert [c["id"] for c in honduras["candidates"]] == ["honduras"]
    assert honduras["match"]["id"] == "honduras"
    assert tomasz["candidates"] == []
    assert tomasz["match"] is None


def test_post_resolve_largest_batch(client: FlaskClient) -> None:
    response = post_resolve(client, {"names": ["Puerto Lempira"] * 1000})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 1000
    assert {r["match"]["id"] for r in results} == {"puerto-lempira"}


def test_post_resolve_longest_name(client: FlaskClient) -> None:
    response = post_resolve(client, {"names": ["ñ" * 512]})
    assert response.status_code == 200
    check_resolution(response.get_json()["results"][0])


# --- bad input: 4xx problem+json -----------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "name"),
        ({"type": "person"}, "name"),
        ({"name": ""}, "name"),
        ({"name": " \t "}, "name"),
        ({"name": "a" * 513}, "name"),
        ({"name": "ñ" * 513}, "name"),
        ({"name": "Honduras", "type": "vessel"}, "type"),
        ({"name": "Honduras", "type": "Location"}, "type"),
        ({"name": "Honduras", "type": ""}, "type"),
        ({"name": "Honduras", "limit": "0"}, "limit"),
        ({"name": "Honduras", "limit": "51"}, "limit"),
        ({"name": "Honduras", "limit": "-1"}, "limit"),
        ({"name": "Honduras", "limit": "abc"}, "limit"),
        ({"name": "Honduras", "limit": "1.5"}, "limit"),
        ({"name": "Honduras", "limit": ""}, "limit"),
        ({"name": "Honduras", "explain": "maybe"}, "explain"),
        ({"name": "Honduras", "explain": "2"}, "explain"),
        # Strict: a number is ASCII digits, a yes/no one of the documented words.
        ({"name": "Honduras", "limit": "\u0663"}, "limit"),  # an Arabic-Indic three
        ({"name": "Honduras", "limit": "+3"}, "limit"),
        ({"name": "Honduras", "limit": "3_0"}, "limit"),
        ({"name": "Honduras", "limit": " 3"}, "limit"),
        ({"name": "Honduras", "explain": ""}, "explain"),
    ],
    ids=str,
)
def test_get_resolve_bad_input(client: FlaskClient, params: dict[str, str], field: str) -> None:
    check_problem(get_resolve(client, **params), 400, field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "names"),
        ({"type": "person"}, "names"),
        ({"names": None}, "names"),
        ({"names": "Honduras"}, "names"),
        ({"names": {"0": "Honduras"}}, "names"),
        ({"names": []}, "names"),
        ({"names": ["Honduras"] * 1001}, "names"),
        ({"names": ["Honduras", 3]}, "names[1]"),
        ({"names": ["Honduras", None]}, "names[1]"),
        ({"names": [["Honduras"]]}, "names[0]"),
        ({"names": ["Honduras", ""]}, "names[1]"),
        ({"names": ["Honduras", "Puerto Lempira", "  "]}, "names[2]"),
        ({"names": ["ñ" * 513]}, "names[0]"),
        ({"names": ["Honduras"], "type": "vessel"}, "type"),
        ({"names": ["Honduras"], "type": 3}, "type"),
        ({"names": ["Honduras"], "type": ["location"]}, "type"),
        ({"names": ["Honduras"], "type": ""}, "type"),
        ({"names": ["Honduras"], "limit": 0}, "limit"),
        ({"names": ["Honduras"], "limit": 51}, "limit"),
        ({"names": ["Honduras"], "limit": "abc"}, "limit"),
        ({"names": ["Honduras"], "limit": 1.5}, "limit"),
        ({"names": ["Honduras"], "limit": True}, "limit"),
        ({"names": ["Honduras"], "limit": [5]}, "limit"),
        ({"names": ["Honduras"], "explain": "maybe"}, "explain"),
        ({"names": ["Honduras"], "explain": 1}, "explain"),
        # Strict: in JSON, an integer is a JSON number and a yes/no a JSON boolean.
        ({"names": ["Honduras"], "limit": "3"}, "limit"),
        ({"names": ["Honduras"], "explain": "yes"}, "explain"),
        ({"names": ["Honduras"], "explain": "true"}, "explain"),
        ({"names": ["Honduras"], "nmes": ["Honduras"]}, "nmes"),
        ({"names": ["Honduras"], "query": "x", "filter": "y"}, "filter"),
    ],
    ids=str,
)
def test_post_resolve_bad_input(client: FlaskClient, body: dict[str, Any], field: str) -> None:
    check_problem(post_resolve(client, body), 400, field)


@pytest.mark.parametrize(
    "data", ["", "{", '{"names": ["Honduras"],}', "names=Honduras", b"\xff\xfe\x00"], ids=str
)
def test_post_resolve_invalid_json(client: FlaskClient, data: str | bytes) -> None:
    response = client.post("/v1/resolve", data=data, content_type="application/json")
    problem = check_problem(response, 400, "body")
    assert problem["detail"].startswith("the body is not")


@pytest.mark.parametrize("body", [["Honduras"], "Honduras", 3], ids=str)
def test_post_resolve_body_not_an_object(client: FlaskClient, body: Any) -> None:
    check_problem(post_resolve(client, body), 400)


def test_post_resolve_without_a_body(client: FlaskClient) -> None:
    check_problem(client.post("/v1/resolve"), 415, "Content-Type")


def test_post_resolve_body_too_large(client: FlaskClient, app: Flask) -> None:
    data = json.dumps({"names": ["Honduras " * 50] * 2500})
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/v1/resolve", data=data, content_type="application/json")
    problem = check_problem(response, 413)
    assert str(app.config["MAX_CONTENT_LENGTH"]) in problem["detail"]


@pytest.mark.parametrize("limit", ["Infinity", "-Infinity", "1e400"])
def test_post_resolve_infinite_limit(client: FlaskClient, limit: str) -> None:
    data = f'{{"names": ["Honduras"], "limit": {limit}}}'
    response = client.post("/v1/resolve", data=data, content_type="application/json")
    check_problem(response, 400, "limit")


def test_post_resolve_deeply_nested_body(client: FlaskClient) -> None:
    data = '{"names": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post("/v1/resolve", data=data, content_type="application/json")
    check_problem(response, 400)


@pytest.mark.parametrize("path", ["/", "/v1", "/v1/resolver", "/v2/resolve", "/v1/entities/"])
def test_unknown_url(client: FlaskClient, path: str) -> None:
    check_problem(client.get(path), 404)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/v1/resolve", {"GET", "POST"}),
        ("put", "/v1/resolve", {"GET", "POST"}),
        ("post", "/healthz", {"GET"}),
        ("post", "/v1/entities/honduras", {"GET"}),
    ],
    ids=str,
)
def test_wrong_method(client: FlaskClient, method: str, path: str, allowed: set[str]) -> None:
    response = getattr(client, method)(path)
    check_problem(response, 405)
    assert allowed <= set(response.headers["Allow"].split(", "))


# --- GET /v1/entities/<id> -----------------------------------------------------------------


def test_entity(client: FlaskClient) -> None:
    response = client.get("/v1/entities/honduras")
    assert response.status_code == 200
    assert response.get_json() == {
        "id": "honduras",
        "name": "Honduras",
        "type": "location",
        "country": "HN",
        "aliases": [
            {"name": "Republic of Honduras"},
            {"name": "República de Honduras", "lang": "es"},
        ],
    }


def test_entity_without_aliases(client: FlaskClient) -> None:
    body = client.get("/v1/entities/puerto-lempira").get_json()
    assert body["name"] == "Puerto Lempira"
    assert body["aliases"] == []


def test_entity_shared_alias(client: FlaskClient) -> None:
    for entity_id in SHARING_IDS:
        aliases = client.get(f"/v1/entities/{entity_id}").get_json()["aliases"]
        assert {"name": "Abu Muhammad"} in aliases


@pytest.mark.parametrize("entity_id", ["nobody", "Honduras", "honduras-"])
def test_unknown_entity(client: FlaskClient, entity_id: str) -> None:
    problem = check_problem(client.get(f"/v1/entities/{entity_id}"), 404, "id")
    assert repr(entity_id) in problem["detail"]


# --- health --------------------------------------------------------------------------------


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"status", "version", "entities", "names", "score_version"}
    assert body["score_version"] == 3
    assert body["status"] == "ready"
    assert re.fullmatch(r"[0-9a-f]{16}", body["version"])
    assert (body["entities"], body["names"]) == (ENTITY_COUNT, NAME_COUNT)


def test_readyz_version_follows_the_table(
    client: FlaskClient, alias_file: Path, tmp_path: Path
) -> None:
    version = client.get("/readyz").get_json()["version"]
    again = create_app({"TESTING": True, "ALIASES": str(alias_file)})
    assert again.test_client().get("/readyz").get_json()["version"] == version
    changed = tmp_path / "changed.yml"
    text = alias_file.read_text(encoding="utf-8")
    changed.write_text(text.replace("Tomek Wierzbicki", "Tomek W."), encoding="utf-8")
    other = create_app({"TESTING": True, "ALIASES": str(changed)})
    assert other.test_client().get("/readyz").get_json()["version"] != version


def test_admin_reload_refuses_the_embedded_store(alias_file: Path) -> None:
    """Each worker holds its own embedded table: a reload could reach only one."""
    app = create_app({"TESTING": True, "ALIASES": str(alias_file), "ADMIN_TOKEN": "s3cret"})
    response = app.test_client().post(
        "/v1/admin/reload", headers={"Authorization": "Bearer s3cret"}
    )
    problem = check_problem(response, 409)
    assert "Redis" in problem["detail"]


def test_a_full_batch_of_the_longest_names_is_answered(client: FlaskClient) -> None:
    name = ("Quintana Arévalo Wierzbicki Kestrel " * 20)[:512]
    response = client.post("/v1/resolve", json={"names": [name] * 200})
    assert response.status_code == 200
    assert len(response.get_json()["results"]) == 200


# --- what the body is, and methods -----------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "data", "status"),
    [
        ("text/plain", b'{"names": ["Honduras"]}', 415),
        ("application/x-www-form-urlencoded", b"names=Honduras", 415),
        ("application/json; charset=utf-16", '{"names": ["Honduras"]}'.encode("utf-16"), 415),
        ("application/json", '{"names": ["Honduras"]}'.encode("utf-16"), 400),
        ("application/json", '{"names": ["Honduras"]}'.encode("utf-32"), 400),
    ],
    ids=str,
)
def test_post_resolve_wants_json_in_utf8(
    client: FlaskClient, content_type: str, data: bytes, status: int
) -> None:
    check_problem(client.post("/v1/resolve", data=data, content_type=content_type), status)


def test_post_resolve_json_utf8_with_its_charset(client: FlaskClient) -> None:
    data = b'{"names": ["Honduras"]}'
    response = client.post("/v1/resolve", data=data, content_type="application/json; charset=UTF-8")
    assert response.status_code == 200


def test_a_chunked_body_over_the_limit_is_413(client: FlaskClient, app: Flask) -> None:
    """Without a Content-Length (chunked), the body is still cut at the limit: 413, not a
    truncated body read as invalid JSON."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    data = json.dumps({"names": ["Honduras " * 40] * (limit // 300)}).encode()
    assert len(data) > limit
    # As gunicorn passes a chunked body: no length, a stream that ends (input_terminated).
    response = client.post(
        "/v1/resolve",
        input_stream=io.BytesIO(data),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    problem = check_problem(response, 413)
    assert str(limit) in problem["detail"]


def test_options_answers_the_allowed_methods_without_a_page(client: FlaskClient) -> None:
    response = client.options("/v1/resolve")
    assert response.status_code == 204
    assert response.get_data() == b""
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST", "OPTIONS"}


def test_head_is_get_without_a_body(client: FlaskClient) -> None:
    response = client.head("/v1/resolve", query_string={"name": "Honduras"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_data() == b""


def test_a_request_past_its_time_budget_is_503_saying_how_far_it_got(alias_file: Path) -> None:
    """A budget no request can meet: the answer is a 503 to retry, never a hung worker."""
    app = create_app({"TESTING": True, "ALIASES": str(alias_file), "REQUEST_BUDGET": 1e-9})
    client = app.test_client()
    response = post_resolve(client, {"names": ["Honduras", "Guatemala", "Belize"]})
    problem = check_problem(response, 503, "names")
    assert response.headers["Retry-After"] == "1"
    assert "0 of 3 name(s)" in problem["detail"]
    check_problem(get_resolve(client, name="Honduras"), 503, "names")
    # Health answers regardless: the budget is for resolving.
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("token", ["true", "0", "null", "false", "1e3"])
def test_an_admin_token_that_reads_as_json_is_the_string_it_is(
    token: str, alias_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the environment, the token is taken as written: "0" or "null" does not turn
    the endpoint off, and "Bearer true" is the right token for "true"."""
    monkeypatch.setenv("NORMALIZER_ADMIN_TOKEN", token)
    client = create_app({"TESTING": True, "ALIASES": str(alias_file)}).test_client()
    check_problem(client.post("/v1/admin/reload"), 401)
    check_problem(client.post("/v1/admin/reload", headers={"Authorization": "Bearer x"}), 401)
    # The token is right: past the check, the embedded store's own answer.
    right = client.post("/v1/admin/reload", headers={"Authorization": f"Bearer {token}"})
    check_problem(right, 409)


def test_responses_are_the_json_the_standard_library_writes(client: FlaskClient) -> None:
    """orjson writes the responses: the same bytes as the standard library's compact JSON,
    keys in order, names as written (no \\u escapes), scores as Python writes them."""
    names = ["Томаш Вежбицкий", "Marisol Quintana Arévalo", "QUINTANA AREVALO", "CJNG"]
    body = post_resolve(client, {"names": names, "explain": True}).get_data()
    parsed = json.loads(body)
    standard = json.dumps(parsed, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert body == standard.encode()
    assert "Томаш".encode() in body
