"""What operators see of the service in one process (Flask's test client): request ids,
the request log, /metrics, API keys and CORS. tests/test_observability_server.py checks
the same under gunicorn, where the workers' counts add up."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from serving import free_port

from normalizer.cli.serve import serve
from normalizer.match.results import DECISIONS
from normalizer.settings import Settings, SettingsError
from normalizer.web.app import create_app
from normalizer.web.auth import key_id
from normalizer.web.request_log import request_id

NAME = "Marisol Quintana Arévalo"
KEY_A = "alice-secret-0123456789"
KEY_B = "bob-secret-abcdefghijk=="


def samples(client: FlaskClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of /metrics: (name, labels) -> value."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(
    found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def keyed_client(alias_file: Path, **config: str) -> FlaskClient:
    app = create_app({"TESTING": True, "ALIASES": str(alias_file), **config})
    return app.test_client()


# Request ids


@pytest.mark.parametrize(
    "given", ["abc-123", "x" * 128, "!~", "req:7/a=b"], ids=["plain", "128", "edges", "symbols"]
)
def test_a_valid_request_id_is_echoed(client: FlaskClient, given: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert response.headers["X-Request-ID"] == given


@pytest.mark.parametrize(
    "given",
    ["", "x" * 129, "two words", "caf\u00e9", "a\tb", "id\x7f"],
    ids=["empty", "129", "space", "non-ascii", "tab", "del"],
)
def test_an_invalid_request_id_is_replaced(client: FlaskClient, given: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": given})
    made = response.headers["X-Request-ID"]
    assert made != given
    assert len(made) == 32 and int(made, 16) >= 0


def test_request_ids_are_made_when_absent_and_differ() -> None:
    assert request_id(None) != request_id(None)
    assert request_id("x" * 129) != "x" * 129


def test_errors_carry_the_request_id_too(client: FlaskClient) -> None:
    response = client.get("/v1/resolve", headers={"X-Request-ID": "err-1"})
    assert response.status_code == 400
    assert response.headers["X-Request-ID"] == "err-1"


# The request log


def test_one_log_record_per_request_without_the_name(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="normalizer.request")
    response = client.post("/v1/resolve", json={"names": [NAME, "Tomek Wierzbicki"]})
    assert response.status_code == 200
    records = [r for r in caplog.records if r.name == "normalizer.request"]
    assert len(records) == 1
    record = records[0].__dict__
    assert record["method"] == "POST"
    assert record["endpoint"] == "/v1/resolve"
    assert record["status"] == 200
    assert record["batch_size"] == 2
    assert record["latency_ms"] > 0
    assert record["request_id"] == response.headers["X-Request-ID"]
    assert "Marisol" not in caplog.text and "Wierzbicki" not in caplog.text


def test_the_log_names_the_route_not_the_path(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="normalizer.request")
    client.get("/v1/entities/secret-entity-name")
    client.get("/no/such/secret-path")
    endpoints = [r.__dict__["endpoint"] for r in caplog.records if r.name == "normalizer.request"]
    assert endpoints == ["/v1/entities/<entity_id>", "unmatched"]
    assert "secret" not in caplog.text


def test_the_request_log_can_be_off(alias_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    client = keyed_client(alias_file, REQUEST_LOG="off")
    caplog.set_level(logging.INFO, logger="normalizer.request")
    response = client.get("/healthz", headers={"X-Request-ID": "quiet-1"})
    assert response.headers["X-Request-ID"] == "quiet-1"
    assert [r for r in caplog.records if r.name == "normalizer.request"] == []


def test_log_format_is_json_or_text() -> None:
    assert Settings.load({}).log_format == "json"
    assert Settings.load({"NORMALIZER_LOG_FORMAT": "text"}).log_format == "text"
    with pytest.raises(SettingsError, match="NORMALIZER_LOG_FORMAT='xml'"):
        Settings.load({"NORMALIZER_LOG_FORMAT": "xml"})


# Metrics in one process


def test_metrics_count_requests_names_and_batches(client: FlaskClient) -> None:
    before = samples(client)
    for _ in range(3):
        assert client.get("/v1/resolve", query_string={"name": NAME}).status_code == 200
    assert client.get("/v1/resolve").status_code == 400
    # The batch counts one outcome twice: a request's names are counted by outcome at once.
    names = [NAME, "Zzyzx Qwertyuiop", "Abu Muhammad", NAME]
    assert client.post("/v1/resolve", json={"names": names}).status_code == 200
    after = samples(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "normalizer_http_requests_total"
    assert grew(requests, endpoint="/v1/resolve", method="GET", status="200") == 3
    assert grew(requests, endpoint="/v1/resolve", method="GET", status="400") == 1
    assert grew(requests, endpoint="/v1/resolve", method="POST", status="200") == 1
    assert grew("normalizer_http_request_duration_seconds_count", endpoint="/v1/resolve") == 5
    resolved = "normalizer_names_resolved_total"
    assert grew(resolved, outcome="match", method="exact") == 5  # three GETs and two of the batch
    assert grew(resolved, outcome="abstained", method="none") == 1  # Abu Muhammad: two people
    assert (
        grew(resolved, outcome="none", method="none")
        + grew(resolved, outcome="abstained", method="none")
        == 2
    )
    assert grew("normalizer_resolve_batch_names_count") == 4
    assert grew("normalizer_resolve_batch_names_sum") == 7
    decided = "normalizer_decisions_total"
    assert grew(decided, decision="exact_name") == 5
    assert grew(decided, decision="no_lead") == 1  # Abu Muhammad: two people, as near
    assert sum(grew(decided, decision=d) for d in DECISIONS) == 7
    ready = client.get("/readyz").get_json()
    assert value(after, "normalizer_table_entities") == ready["entities"] == 13
    assert value(after, "normalizer_table_names") == ready["names"]
    assert value(after, "normalizer_table_info", version=ready["version"]) == 1


def test_lookups_in_the_answer_cache_are_counted(client: FlaskClient) -> None:
    typo = "Marisol Quintanna Arévalo"  # not a name as written: the full path, then the cache
    before = samples(client)
    for _ in range(3):
        assert client.get("/v1/resolve", query_string={"name": typo}).status_code == 200
    after = samples(client)
    lookups = "normalizer_answer_cache_lookups_total"
    assert value(after, lookups, outcome="miss") - value(before, lookups, outcome="miss") == 1
    assert value(after, lookups, outcome="hit") - value(before, lookups, outcome="hit") == 2


def test_redis_errors_are_counted(client: FlaskClient, alias_file: Path) -> None:
    # A Redis nobody listens on: the start's check and the lookup fail to reach it (the
    # lookup perhaps at once, the breaker open); the embedded app's /metrics shows them,
    # the counts being the process's.
    before = value(samples(client), "normalizer_redis_errors_total", kind="unreachable")
    dead = keyed_client(alias_file, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert dead.get("/v1/resolve", query_string={"name": NAME}).status_code == 503
    assert value(samples(client), "normalizer_redis_errors_total", kind="unreachable") > before


# API keys


def test_without_keys_lookups_are_open(client: FlaskClient) -> None:
    assert client.get("/v1/resolve", query_string={"name": NAME}).status_code == 200


@pytest.fixture
def keyed(alias_file: Path) -> FlaskClient:
    return keyed_client(alias_file, API_KEYS=f"alice={KEY_A}, bob={KEY_B}")


def test_a_lookup_without_a_key_is_refused(keyed: FlaskClient) -> None:
    for response in (
        keyed.get("/v1/resolve", query_string={"name": NAME}),
        keyed.post("/v1/resolve", json={"names": [NAME]}),
        keyed.get("/v1/entities/honduras"),
    ):
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert "X-API-Key" in response.get_json()["detail"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "headers",
    [{"X-API-Key": KEY_A[:-1]}, {"Authorization": f"Bearer {KEY_A}x"}, {"X-API-Key": "alice"}],
    ids=["short", "longer", "the-id"],
)
def test_a_wrong_key_is_refused(keyed: FlaskClient, headers: dict[str, str]) -> None:
    response = keyed.get("/v1/resolve", query_string={"name": NAME}, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["detail"] == "the API key is wrong"


def test_a_right_key_lets_in_and_is_counted_by_id(keyed: FlaskClient) -> None:
    before = samples(keyed)
    ok = keyed.get("/v1/resolve", query_string={"name": NAME}, headers={"X-API-Key": KEY_A})
    assert ok.status_code == 200 and ok.get_json()["match"]["id"] == "marisol-quintana-arevalo"
    bearer = {"Authorization": f"Bearer {KEY_B}"}
    assert keyed.post("/v1/resolve", json={"names": [NAME]}, headers=bearer).status_code == 200
    assert keyed.get("/v1/entities/honduras", headers=bearer).status_code == 200
    after = samples(keyed)
    counter = "normalizer_api_key_requests_total"
    assert value(after, counter, key="alice") - value(before, counter, key="alice") == 1
    assert value(after, counter, key="bob") - value(before, counter, key="bob") == 2
    assert not any(KEY_A in str(k) or KEY_B in str(k) for k in after)


def test_operations_need_no_key(keyed: FlaskClient) -> None:
    assert keyed.get("/healthz").status_code == 200
    assert keyed.get("/readyz").status_code == 200
    assert keyed.get("/metrics").status_code == 200
    # The admin endpoint keeps its own token (off here), not the API keys.
    assert keyed.post("/v1/admin/reload", headers={"X-API-Key": KEY_A}).status_code == 404
    # A CORS preflight carries no key.
    assert keyed.options("/v1/resolve").status_code == 204


@pytest.mark.parametrize(
    "raw",
    ["alice", "alice=short", "a b=0123456789abcdef", f"a={KEY_A},b={KEY_A}", ","],
    ids=["no-secret", "short", "bad-id", "same-secret", "empty"],
)
def test_bad_api_keys_stop_the_start_without_showing_them(raw: str, alias_file: Path) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.load({"NORMALIZER_API_KEYS": raw})
    assert str(error.value).startswith("NORMALIZER_API_KEYS=<hidden>: ")
    assert KEY_A not in str(error.value) and "0123456789abcdef" not in str(error.value)


def test_key_id_compares_every_secret() -> None:
    keys = {KEY_A: "alice", KEY_B: "bob"}
    assert key_id(keys, KEY_B) == "bob"
    assert key_id(keys, "") is None


# CORS


def test_cors_allows_every_origin_by_default(client: FlaskClient) -> None:
    origin = {"Origin": "https://refine.example.org"}
    response = client.get("/v1/resolve", query_string={"name": NAME}, headers=origin)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Expose-Headers"] == "X-Request-ID"
    error = client.get("/v1/resolve", headers=origin)
    assert error.status_code == 400
    assert error.headers["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_is_answered_204(client: FlaskClient) -> None:
    response = client.options(
        "/v1/resolve",
        headers={
            "Origin": "https://refine.example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type, X-API-Key, X-Request-ID",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert {"content-type", "x-api-key", "x-request-id"} <= set(allowed.split(", "))


def test_cors_for_listed_origins_only(alias_file: Path) -> None:
    client = keyed_client(alias_file, CORS_ORIGINS="https://a.example, http://localhost:3333")
    mine = client.get("/healthz", headers={"Origin": "http://localhost:3333"})
    assert mine.headers["Access-Control-Allow-Origin"] == "http://localhost:3333"
    other = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_cors_can_be_off(alias_file: Path) -> None:
    client = keyed_client(alias_file, CORS_ORIGINS="none")
    response = client.get("/healthz", headers={"Origin": "https://a.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert client.options("/v1/resolve").status_code == 204


def test_a_malformed_origin_is_refused_at_start() -> None:
    with pytest.raises(SettingsError, match="NORMALIZER_CORS_ORIGINS='example.org'"):
        Settings.load({"NORMALIZER_CORS_ORIGINS": "example.org"})


def test_serve_refuses_a_metrics_folder_that_is_not_one(
    runner: CliRunner, alias_file: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder"
    result = runner.invoke(
        serve, ["--aliases", str(alias_file)], env={"PROMETHEUS_MULTIPROC_DIR": str(missing)}
    )
    assert result.exit_code == 2
    assert f"PROMETHEUS_MULTIPROC_DIR='{missing}': not a folder" in result.output
