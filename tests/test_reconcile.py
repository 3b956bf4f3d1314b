"""The W3C Reconciliation API 0.2 at /reconcile (web/reconcile.py), through Flask's test
client on the bundled alias files: every answer validates against the spec's own JSON
Schemas (tests/data/reconciliation-api/0.2/schemas, resolved offline), and requests are
shaped as OpenRefine sends them."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7
from test_observability import samples, value
from werkzeug.test import TestResponse

from normalizer.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__file__).parent / "data" / "reconciliation-api" / "0.2" / "schemas"
PROBLEM_JSON = "application/problem+json"


def _registry() -> Registry:
    """Every schema under its $id (openapi.json is Swagger 2.0's, which manifest.json
    refers to by its own URL), so that no $ref goes to the network."""
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"].rstrip("#"), DRAFT7.create_resource(contents)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(name: str) -> Draft7Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=REGISTRY)


def valid(name: str, document: Any) -> Any:
    errors = [e.message for e in validator(name).iter_errors(document)]
    assert errors == [], errors
    return document


@pytest.fixture(scope="module")
def client() -> Iterator[FlaskClient]:
    app = create_app({"TESTING": True, "ALIASES": str(ROOT / "aliases")})
    yield app.test_client()


def post_batch(client: FlaskClient, batch: dict[str, Any]) -> TestResponse:
    """As OpenRefine sends a batch: the form field ``queries`` holding its JSON."""
    valid("reconciliation-query-batch.json", batch)  # the request itself is the spec's
    return client.post("/reconcile", data={"queries": json.dumps(batch)})


def results(response: TestResponse) -> dict[str, list[dict[str, Any]]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    body = valid("reconciliation-result-batch.json", response.get_json())
    return {key: value["result"] for key, value in body.items()}


def check_problem(response: TestResponse, status: int, says: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    assert says in response.get_json()["detail"]


# The schemas themselves


def test_the_schemas_are_resolved_offline() -> None:
    """A $ref that reaches for the network fails here rather than in CI."""
    for path in SCHEMAS.glob("*.json"):
        Draft7Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))
    manifest = validator("manifest.json")
    # authentication refers to Swagger 2.0's schema: found in the registry, it checks.
    errors = list(manifest.iter_errors({"authentication": {"type": "nonsense"}}))
    assert any("authentication" in list(e.absolute_path) for e in errors)
    assert not validator("reconciliation-result-batch.json").is_valid({"q0": {"result": [{}]}})


# The manifest


def test_manifest(client: FlaskClient) -> None:
    response = client.get("/reconcile")
    assert response.status_code == 200
    manifest = valid("manifest.json", response.get_json())
    assert manifest["versions"] == ["0.2"]
    assert [t["id"] for t in manifest["defaultTypes"]] == ["location", "organization", "person"]
    assert manifest["batchSize"] >= 10  # OpenRefine's default batch fits
    # The templates lead to the entity and its preview.
    view = manifest["view"]["url"].replace("{{id}}", "mexico")
    assert client.get(view).get_json()["name"] == "México"
    preview = manifest["preview"]["url"].replace("{{id}}", "mexico")
    assert "<h1>México</h1>" in client.get(preview).get_data(as_text=True)
    suggest = manifest["suggest"]["entity"]
    found = client.get(suggest["service_url"] + suggest["service_path"] + "?prefix=Mexi")
    assert "mexico" in [e["id"] for e in found.get_json()["result"]]


# Queries


SEEDS = {
    "q0": ("CJNG", "organization", "jalisco-new-generation-cartel"),
    "q1": ("Эль Менчо", "person", "nemesio-oseguera-cervantes"),
    "q2": ("Немесио Осегера Сервантес", "person", "nemesio-oseguera-cervantes"),
    "q3": ("El Mencho", "person", "nemesio-oseguera-cervantes"),
    "q4": ("Cártel de Jalisco Nueva Generación", "organization", "jalisco-new-generation-cartel"),
    "q5": ("Josue Lopez", "person", "josue-lopez-velazquez"),
    "q6": ("Ejercito de Guatemala", "organization", "guatemalan-army"),
    "q7": ("Giammattei", "person", "alejandro-giammattei"),
    "q8": ("Mexican Army", "organization", "mexican-army"),
    "q9": ("Twitter", "organization", "twitter"),
}
COUNTRY = {"q0": "MX", "q1": "MX", "q2": "MX", "q3": "MX", "q4": "MX", "q5": "MX"}


def openrefine_batch() -> dict[str, Any]:
    """Ten queries with a type and a property, as OpenRefine sends them."""
    batch: dict[str, Any] = {}
    for key, (name, entity_type, _) in SEEDS.items():
        query: dict[str, Any] = {"query": name, "type": entity_type, "type_strict": "should"}
        if key in COUNTRY:
            query["properties"] = [{"pid": "country", "v": COUNTRY[key]}]
        batch[key] = query
    return batch


def test_an_openrefine_batch_finds_the_seed_entities(client: FlaskClient) -> None:
    found = results(post_batch(client, openrefine_batch()))
    assert set(found) == set(SEEDS)
    for key, (name, entity_type, expected) in SEEDS.items():
        top = found[key][0]
        assert top["id"] == expected, name
        assert top["match"] is True, name
        assert top["type"] == [{"id": entity_type, "name": entity_type}]
        assert 0 < top["score"] <= 100
        features = {f["id"]: f["value"] for f in top["features"]}
        assert any(f.startswith("tier_") for f in features)
        assert 0 < features["similarity"] <= 1
        if key in COUNTRY:
            assert features["country_match"] is True


def test_a_get_batch_answers_as_the_post(client: FlaskClient) -> None:
    batch = openrefine_batch()
    by_get = client.get("/reconcile", query_string={"queries": json.dumps(batch)})
    assert results(by_get) == results(post_batch(client, batch))


def test_match_is_set_only_on_the_confident_answer(client: FlaskClient) -> None:
    """The same as /v1/resolve's match: a partial name has candidates, none a match."""
    names = ["Oseguera", "Lopez", "Alejandro", "Nemesio", "Mexico", "Jalisco Cartel"]
    found = results(post_batch(client, {f"q{i}": {"query": n} for i, n in enumerate(names)}))
    unmatched = 0
    for i, name in enumerate(names):
        resolved = client.get("/v1/resolve", query_string={"name": name}).get_json()
        confident = resolved["match"]["id"] if resolved["match"] else None
        candidates = found[f"q{i}"]
        assert [c["id"] for c in candidates] == [c["id"] for c in resolved["candidates"]]
        assert [c["id"] for c in candidates if c["match"]] == ([confident] if confident else [])
        unmatched += confident is None and bool(candidates)
    assert unmatched >= 3  # the partial names above


def test_limit_and_several_types(client: FlaskClient) -> None:
    found = results(
        post_batch(
            client,
            {
                "one": {"query": "Jalisco", "limit": 1},
                "kinds": {"query": "Jalisco", "type": ["location", "person"]},
                "none": {"query": "CJNG", "type": ["location", "person"]},
            },
        )
    )
    assert len(found["one"]) == 1
    assert [c["id"] for c in found["kinds"]] == ["jalisco"]
    assert found["none"] == []


SHARED = """\
- id: acme-gt
  name: Acme Holdings
  type: organization
  country: GT
  shared: [Acme Holdings]
  notes: 'A <b>bold</b> & <script>alert(1)</script> note'
- id: acme-us
  name: Acme Holdings
  type: organization
  country: US
  shared: [Acme Holdings]
"""


@pytest.fixture(scope="module")
def namesakes(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    path = tmp_path_factory.mktemp("namesakes") / "acme.yml"
    path.write_text(SHARED, encoding="utf-8")
    return create_app({"TESTING": True, "ALIASES": str(path)}).test_client()


@pytest.mark.parametrize("country", ["GT", "US", "gt"])
def test_the_country_property_ranks_its_namesake_first(
    namesakes: FlaskClient, country: str
) -> None:
    query = {"query": "Acme Holdings", "properties": [{"pid": "country", "v": country}]}
    found = results(post_batch(namesakes, {"q0": query}))["q0"]
    assert [c["id"] for c in found][0] == f"acme-{country.lower()}"
    assert {c["id"] for c in found} == {"acme-gt", "acme-us"}
    # Two namesakes: the country ranks, it does not make either a confident answer.
    assert not any(c["match"] for c in found)
    agree = {c["id"]: {f["id"]: f["value"] for f in c["features"]}["country_match"] for c in found}
    assert agree == {
        f"acme-{country.lower()}": True,
        f"acme-{'us' if country != 'US' else 'gt'}": False,
    }


def test_a_reconciled_country_value_counts_by_its_id(namesakes: FlaskClient) -> None:
    query = {"query": "Acme Holdings", "properties": [{"pid": "country", "v": {"id": "US"}}]}
    assert results(post_batch(namesakes, {"q0": query}))["q0"][0]["id"] == "acme-us"


# Bad batches


@pytest.mark.parametrize(
    ("queries", "status", "says"),
    [
        ("{", 400, "queries is not JSON"),
        ("[1, 2]", 400, "must be a non-empty JSON object"),
        ("{}", 400, "must be a non-empty JSON object"),
        ('{"q0": "CJNG"}', 400, "queries.q0 must be a JSON object"),
        ('{"q0": {"query": ""}}', 400, "queries.q0.query must be a non-empty string"),
        ('{"q0": {"query": 5}}', 400, "queries.q0.query must be a non-empty string"),
        ('{"q0": {"query": "\\ud800"}}', 400, "queries.q0.query is not valid Unicode"),
        ('{"q0": {"query": "' + "x" * 513 + '"}}', 400, "queries.q0.query is longer than 512"),
        ('{"q0": {"query": "x", "type_strict": 5}}', 400, "type_strict must be any, should"),
        ('{"q0": {"query": "x", "type": "vessel"}}', 400, "unknown type 'vessel'; known: location"),
        ('{"q0": {"query": "x", "type": [3]}}', 400, "must be a type id or a list"),
        ('{"q0": {"query": "x", "limit": 0}}', 400, "limit must be a whole number from 1"),
        ('{"q0": {"query": "x", "limit": 2.5}}', 400, "limit must be a whole number from 1"),
        ('{"q0": {"query": "x", "limit": true}}', 400, "limit must be a whole number from 1"),
        ('{"q0": {"query": "x", "limit": 1e400}}', 400, "limit must be a whole number from 1"),
        ('{"q0": {"query": "x", "limit": NaN}}', 400, "NaN is not JSON"),
        ('{"q0": {"query": "x", "limit": -Infinity}}', 400, "-Infinity is not JSON"),
        ('{"q0": {"query": "x", "colour": 1}}', 400, "unknown fields: colour"),
        (
            '{"q0": {"query": "x", "properties": [{"pid": "P17", "v": "MX"}]}}',
            400,
            "unknown property 'P17'; known: country",
        ),
        ('{"q0": {"query": "x", "properties": {"pid": "country"}}}', 400, "list of {pid, v}"),
        ('{"q0": {"query": "x", "properties": [{"pid": "country", "v": 1}]}}', 400, "code"),
        ("[" * 100_000, 400, "queries"),
    ],
    ids=str,
)
def test_a_bad_batch_is_a_problem(
    client: FlaskClient, queries: str, status: int, says: str
) -> None:
    check_problem(client.post("/reconcile", data={"queries": queries}), status, says)
    check_problem(client.get("/reconcile", query_string={"queries": queries}), status, says)


def test_a_batch_past_the_advertised_size_is_413(client: FlaskClient) -> None:
    size = client.get("/reconcile").get_json()["batchSize"]
    batch = {f"q{i}": {"query": "CJNG"} for i in range(size)}
    assert len(results(post_batch(client, batch))) == size
    batch["one more"] = {"query": "CJNG"}
    response = client.post("/reconcile", data={"queries": json.dumps(batch)})
    check_problem(response, 413, f"at most {size} queries")


def test_a_post_without_the_form_field_says_how(client: FlaskClient) -> None:
    check_problem(client.post("/reconcile", data={"query": "x"}), 400, "queries field")
    check_problem(client.post("/reconcile", json={"q0": {"query": "x"}}), 400, "form field")


# Suggestions and previews


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("Giam", "alejandro-giammattei"),
        ("giám", "alejandro-giammattei"),
        ("OSEG", "nemesio-oseguera-cervantes"),  # a later word of the name
        ("El Men", "nemesio-oseguera-cervantes"),  # an alias, over two words
        ("Неме", "nemesio-oseguera-cervantes"),  # a Cyrillic alias
        ("cjn", "jalisco-new-generation-cartel"),
    ],
    ids=str,
)
def test_suggest_entity(client: FlaskClient, prefix: str, expected: str) -> None:
    response = client.get("/reconcile/suggest/entity", query_string={"prefix": prefix})
    assert response.status_code == 200
    found = valid("suggest-entities-response.json", response.get_json())["result"]
    assert expected in [e["id"] for e in found]


def test_suggest_entity_finds_only_what_starts_so(client: FlaskClient) -> None:
    found = client.get("/reconcile/suggest/entity", query_string={"prefix": "ttei"}).get_json()
    assert found == {"result": []}
    found = client.get("/reconcile/suggest/entity", query_string={"prefix": "Gua"}).get_json()
    ids = [e["id"] for e in found["result"]]
    # The names that start so first: Guatemala before the Guatemalan Army and Police.
    assert ids[0] == "guatemala"
    assert {"guatemalan-army", "guatemalan-national-civil-police"} <= set(ids)


def test_suggest_type(client: FlaskClient) -> None:
    every = client.get("/reconcile/suggest/type", query_string={"prefix": ""}).get_json()
    assert valid("suggest-types-response.json", every)["result"] == [
        {"id": t, "name": t} for t in ("location", "organization", "person")
    ]
    some = client.get("/reconcile/suggest/type", query_string={"prefix": "Or"}).get_json()
    assert some == {"result": [{"id": "organization", "name": "organization"}]}


def test_suggest_needs_a_prefix(client: FlaskClient) -> None:
    for path in ("/reconcile/suggest/entity", "/reconcile/suggest/type"):
        check_problem(client.get(path), 400, "prefix parameter is missing")


def test_preview_shows_the_entity(client: FlaskClient) -> None:
    response = client.get("/reconcile/preview", query_string={"id": "nemesio-oseguera-cervantes"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for text in ("<h1>Nemesio Oseguera Cervantes</h1>", "El Mencho", "Эль Менчо", "MX", "person"):
        assert text in page


def test_preview_escapes_the_table(namesakes: FlaskClient) -> None:
    page = namesakes.get("/reconcile/preview?id=acme-gt").get_data(as_text=True)
    assert "A &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt; note" in page
    assert "<script>" not in page


def test_preview_of_no_entity(client: FlaskClient) -> None:
    check_problem(client.get("/reconcile/preview?id=nobody"), 404, "no entity with id 'nobody'")
    check_problem(client.get("/reconcile/preview"), 400, "id parameter is missing")


# Keys and CORS


KEY = "k" * 32


@pytest.fixture(scope="module")
def keyed() -> FlaskClient:
    app = create_app(
        {"TESTING": True, "ALIASES": str(ROOT / "aliases"), "API_KEYS": f"refine={KEY}"}
    )
    return app.test_client()


def test_with_keys_the_manifest_and_types_are_open_and_lookups_closed(keyed: FlaskClient) -> None:
    assert keyed.get("/reconcile").status_code == 200
    assert keyed.get("/reconcile/suggest/type?prefix=").status_code == 200
    batch = json.dumps({"q0": {"query": "CJNG"}})
    for response in (
        keyed.get("/reconcile", query_string={"queries": batch}),
        keyed.post("/reconcile", data={"queries": batch}),
        keyed.get("/reconcile/suggest/entity?prefix=Giam"),
        keyed.get("/reconcile/preview?id=mexico"),
    ):
        check_problem(response, 401, "needs an API key")
    answered = keyed.post("/reconcile", data={"queries": batch}, headers={"X-API-Key": KEY})
    assert results(answered)["q0"][0]["id"] == "jalisco-new-generation-cartel"


def test_cors_on_every_reconcile_route(client: FlaskClient) -> None:
    origin = {"Origin": "http://openrefine.example:3333"}
    for response in (
        client.get("/reconcile", headers=origin),
        client.post("/reconcile", data={"queries": "{"}, headers=origin),
        client.get("/reconcile/suggest/entity?prefix=a", headers=origin),
        client.get("/reconcile/preview?id=mexico", headers=origin),
    ):
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_body_over_the_limit_is_413(client: FlaskClient) -> None:
    response = client.post("/reconcile", data={"queries": "x" * 2_000_000})
    check_problem(response, 413, "larger than the limit")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
QUERY = st.fixed_dictionaries(
    {},
    optional={
        "query": st.text(max_size=30) | JSON,
        "type": st.sampled_from(["person", "organization", "vessel"]) | JSON,
        "limit": st.integers(-2, 60) | JSON,
        "properties": st.lists(
            st.fixed_dictionaries({"pid": st.sampled_from(["country", "P17"]), "v": JSON}),
            max_size=2,
        )
        | JSON,
        "type_strict": st.sampled_from(["any", "should", "all"]) | JSON,
    },
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.dictionaries(st.text(max_size=6), QUERY | JSON, max_size=4) | JSON)
def test_any_batch_is_answered_or_refused_never_an_error(client: FlaskClient, batch: Any) -> None:
    response = client.post("/reconcile", data={"queries": json.dumps(batch)})
    if response.status_code == 200:
        valid("reconciliation-result-batch.json", response.get_json())
    else:
        assert response.status_code in (400, 413), response.get_data(as_text=True)
        assert response.mimetype == PROBLEM_JSON


def test_a_batch_is_counted_and_logged_as_resolve_batches_are(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="normalizer.request")
    before = samples(client)
    batch = {"a": {"query": "CJNG"}, "b": {"query": "Oseguera"}, "c": {"query": "Zzyzx Qwrt"}}
    results(post_batch(client, batch))
    after = samples(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("normalizer_names_resolved_total", outcome="match", method="exact") == 1
    assert grew("normalizer_names_resolved_total", outcome="abstained", method="none") == 1
    assert grew("normalizer_names_resolved_total", outcome="none", method="none") == 1
    assert grew("normalizer_resolve_batch_names_sum") == 3
    assert (
        grew("normalizer_http_requests_total", endpoint="/reconcile", method="POST", status="200")
        == 1
    )
    (record,) = [
        r
        for r in caplog.records
        if r.name == "normalizer.request" and r.__dict__["endpoint"] == "/reconcile"
    ]
    assert record.__dict__["batch_size"] == 3
    assert "Oseguera" not in caplog.text  # names are not logged
