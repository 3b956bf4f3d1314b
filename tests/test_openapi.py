"""/openapi.json and /docs: the document, its examples, and requests generated from it
(schemathesis) whose every answer must be one the document allows."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from normalizer.web.app import create_app

TOKEN = "s3cret"
OPERATIONS = {
    ("/v1/resolve", "get"),
    ("/v1/resolve", "post"),
    ("/v1/entities/{entity_id}", "get"),
    ("/healthz", "get"),
    ("/readyz", "get"),
    ("/v1/admin/reload", "post"),
    ("/v1/annotate", "post"),
    ("/v1/review", "get"),
    ("/v1/review/accept", "post"),
    ("/v1/review/reject", "post"),
}
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def bundled() -> Flask:
    """The bundled table (the examples are its seed names), with an admin token. The
    embedded store refuses every reload (409), so generated calls to the reload endpoint
    change nothing, whatever token they carry; the review queue is off (404 past the
    token), so generated accepts never edit the bundled files."""
    return create_app({"TESTING": True, "ADMIN_TOKEN": TOKEN})


@pytest.fixture
def document(bundled: Flask) -> dict[str, Any]:
    response = bundled.test_client().get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body: dict[str, Any] = response.get_json()
    return body


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


def test_the_document_is_openapi_3_1_of_every_operation(document: dict[str, Any]) -> None:
    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert document["info"]["title"] == "normalizer"
    assert document["info"]["version"] == version("normalizer")
    assert "servers" not in document  # relative to wherever it is served from
    assert set(operations(document)) == OPERATIONS
    for operation in operations(document).values():
        assert operation["summary"] and operation["responses"]["200"]


def test_every_error_is_a_problem_document(document: dict[str, Any]) -> None:
    problem = {"$ref": "#/components/schemas/Problem"}
    for operation in operations(document).values():
        for code, answer in operation["responses"].items():
            if int(code) >= 400:
                assert answer["content"] == {PROBLEM_JSON: {"schema": problem}}
    documented = {key: set(op["responses"]) for key, op in operations(document).items()}
    assert {"400", "503"} <= documented[("/v1/resolve", "get")]
    assert {"400", "413", "415", "503"} <= documented[("/v1/resolve", "post")]
    assert {"401", "404", "409"} <= documented[("/v1/admin/reload", "post")]
    assert {"400", "413", "415", "503"} <= documented[("/v1/annotate", "post")]
    assert {"400", "401", "404", "503"} <= documented[("/v1/review", "get")]
    assert {"401", "404", "409", "422"} <= documented[("/v1/review/accept", "post")]
    assert "400" not in documented[("/healthz", "get")]  # no parameter to refuse


def test_the_parameters_come_from_the_request_models(document: dict[str, Any]) -> None:
    get = operations(document)[("/v1/resolve", "get")]
    parameters = {p["name"]: p for p in get["parameters"]}
    assert set(parameters) == {"name", "type", "limit", "explain"}
    assert parameters["name"]["required"] and not parameters["limit"]["required"]
    assert parameters["limit"]["schema"]["type"] == "integer"
    assert parameters["explain"]["schema"]["type"] == "boolean"
    body = document["components"]["schemas"]["ResolveBatch"]
    assert body["required"] == ["names"]
    assert body["additionalProperties"] is False  # unknown fields are refused
    assert body["properties"]["names"]["items"]["type"] == "string"


def test_the_examples_are_seed_names_that_resolve(document: dict[str, Any], bundled: Flask) -> None:
    client = bundled.test_client()
    get = operations(document)[("/v1/resolve", "get")]
    (name,) = [p for p in get["parameters"] if p["name"] == "name"]
    examples = name["schema"]["examples"]
    assert {"CJNG", "El Mencho"} <= set(examples)
    for example in examples:
        assert client.get("/v1/resolve", query_string={"name": example}).get_json()["match"]
    (body,) = document["components"]["schemas"]["ResolveBatch"]["examples"]
    results = client.post("/v1/resolve", json=body).get_json()["results"]
    assert [r["query"] for r in results] == body["names"]
    assert all(r["match"] for r in results)
    # The example of an answer is the answer CJNG gets.
    (answer,) = document["components"]["schemas"]["Resolution"]["examples"]
    got = client.get("/v1/resolve", query_string={"name": "CJNG"}).get_json()
    assert got == answer


@pytest.mark.parametrize(
    ("body", "field", "detail"),
    [
        ({"names": ["a\ud800"]}, "names[0]", "names[0] is not valid Unicode (lone surrogate)"),
        ({"names": ["a", "b", "c"]}, "names", "names must hold 1 to 2 names, not 3"),
        ({"names": ["a" * 11]}, "names[0]", "names[0] is longer than 10 characters"),
        ({"names": ["a"], "limit": 4}, "limit", "limit must be a whole number from 1 to 3"),
        ({"names": ["a"], "limit": "3"}, "limit", "limit must be a JSON integer"),
        ({"names": ["a"], "nmes": [], "x": 1}, "nmes", "unknown field(s): nmes, x"),
    ],
    ids=str,
)
def test_the_models_refuse_naming_the_field_and_the_configured_limit(
    alias_file: Path, body: dict[str, Any], field: str, detail: str
) -> None:
    """The limits are settings, read when a request is checked: the refusal names the
    configured one, not a default frozen into the model."""
    config = {"ALIASES": str(alias_file), "MAX_BATCH": 2, "MAX_NAME_LENGTH": 10, "MAX_LIMIT": 3}
    client = create_app({"TESTING": True} | config).test_client()
    data = json.dumps(body)  # as written: the lone surrogate escaped, as a client sends it
    response = client.post("/v1/resolve", data=data, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == PROBLEM_JSON
    problem = response.get_json()
    assert (problem["field"], problem["detail"]) == (field, detail)


def test_docs_is_swagger_ui_with_no_outside_assets(client: FlaskClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "url: 'openapi.json'" in page
    assert "SwaggerUIBundle" in page
    # Scripts and styles inline: nothing fetched from elsewhere.
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?(https?:)?//", page)


# --- requests generated from the document ---------------------------------------------------


# schemathesis.pytest.from_fixture would build the schema from a fixture, but reads an
# attribute pytest 9 no longer has (Function._nodeid): each operation's strategy is drawn
# from here instead, with hypothesis's own @given.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CASES = 50  # per operation and mode: 10 of them, 500 cases
# Data the document forbids exists only where it constrains something: resolve's parameters.
GENERATED = [(path, method, GenerationMode.POSITIVE) for path, method in sorted(OPERATIONS)] + [
    ("/v1/resolve", "get", GenerationMode.NEGATIVE),
    ("/v1/resolve", "post", GenerationMode.NEGATIVE),
    ("/v1/annotate", "post", GenerationMode.NEGATIVE),
]


@pytest.mark.parametrize(("path", "method", "mode"), GENERATED, ids=str)
def test_generated_requests(bundled: Flask, path: str, method: str, mode: GenerationMode) -> None:
    """No 5xx, and every answer one the document allows: its status, media type and
    schema. Requests the document forbids (the negative mode) must be refused with a 4xx."""
    operation = schemathesis.openapi.from_wsgi("/openapi.json", bundled)[path][method.upper()]
    checks = CHECKS + ([negative_data_rejection] if mode == GenerationMode.NEGATIVE else [])
    seen: list[schemathesis.Case[Any]] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=CASES,
        deadline=None,
        derandomize=True,  # the same cases on every run: CI stays stable
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def call(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(checks=checks)
        seen.append(case)

    call()
    assert seen  # cases were generated and answered
