"""The HTTP API on the Redis store (Flask's test client, a real redis-server): startup
without compiling, /readyz, and the admin reload with no, wrong and right tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from normalizer.service import build_table
from normalizer.store.redis import RedisStore, connect
from normalizer.web.app import create_app

pytest_plugins = ["redis_fixtures"]

PREFIX = "test"
TOKEN = "s3cret-token-for-tests"
MakeApp = Callable[..., Flask]


@pytest.fixture
def make_app(alias_file: Path) -> Iterator[MakeApp]:
    """Apps on the Redis store; their connections are closed after the test."""
    apps: list[Flask] = []

    def make(url: str, **config: Any) -> Flask:
        settings = {"TESTING": True, "ALIASES": str(alias_file), "REDIS_URL": url}
        apps.append(create_app({**settings, "REDIS_PREFIX": PREFIX, **config}))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["normalizer"].store.close()


@pytest.fixture
def loaded(redis_url: str, alias_file: Path) -> Iterator[str]:
    """Redis holding the conftest table; yields its version."""
    store = RedisStore(connect(redis_url), PREFIX)
    try:
        yield store.publish(build_table(alias_file))
    finally:
        store.close()


def versions(url: str) -> set[str]:
    with connect(url) as client:
        return {v.decode() for v in client.hkeys(f"{{{PREFIX}}}:versions")}


def test_workers_read_the_table_in_redis(make_app: MakeApp, redis_url: str, loaded: str) -> None:
    client = make_app(redis_url).test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["version"] == loaded
    body = client.get("/v1/resolve", query_string={"name": "Tomek Wierzbicki"}).get_json()
    assert body["match"]["id"] == "tomasz-wierzbicki"
    entity = client.get("/v1/entities/honduras").get_json()
    assert entity["name"] == "Honduras"
    assert client.get("/v1/entities/nobody").status_code == 404
    assert versions(redis_url) == {loaded}  # starting compiled and loaded nothing


def test_entities_read_from_redis_are_those_of_the_embedded_store(
    make_app: MakeApp, redis_url: str, loaded: str, alias_file: Path
) -> None:
    """Redis stores an entity without the id its key writes: the reader puts it back, in
    its place, so the body is the embedded store's byte for byte."""
    on_redis = make_app(redis_url).test_client()
    embedded = create_app({"TESTING": True, "ALIASES": str(alias_file)}).test_client()
    ids = [key.partition(":")[2] for key in build_table(alias_file).entries if key[:2] == "e:"]
    assert ids
    for entity_id in ids:
        expected = embedded.get(f"/v1/entities/{entity_id}")
        assert expected.status_code == 200 and expected.get_json()["id"] == entity_id
        assert on_redis.get(f"/v1/entities/{entity_id}").data == expected.data


def test_an_empty_redis_is_loaded_at_startup(
    make_app: MakeApp, redis_url: str, wait_for: Callable[..., None]
) -> None:
    client = make_app(redis_url).test_client()
    wait_for(lambda: client.get("/readyz").status_code == 200, 10, "the table was not loaded")
    assert len(versions(redis_url)) == 1
    body = client.get("/v1/resolve", query_string={"name": "QUINTANA AREVALO, Marisol"})
    assert body.get_json()["match"]["id"] == "marisol-quintana-arevalo"


def test_unreachable_redis_is_503_not_a_crash(make_app: MakeApp) -> None:
    client = make_app("redis://127.0.0.1:1/0").test_client()  # nothing listens on port 1
    for path in ("/readyz", "/v1/resolve?name=Honduras", "/v1/entities/honduras"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.mimetype == "application/problem+json"
        assert response.headers["Retry-After"] == "1"
    detail = client.get("/v1/resolve?name=Honduras").get_json()["detail"]
    assert detail.startswith("Redis is unreachable")
    assert client.get("/healthz").status_code == 200  # alive, not ready


def reload(client: FlaskClient, authorization: str | None = None) -> Any:
    headers = {"Authorization": authorization} if authorization else {}
    return client.post("/v1/admin/reload", headers=headers)


def test_admin_reload_is_off_without_a_token(
    make_app: MakeApp, redis_url: str, loaded: str
) -> None:
    client = make_app(redis_url).test_client()
    response = reload(client, f"Bearer {TOKEN}")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert versions(redis_url) == {loaded}


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN],
    ids=str,
)
def test_admin_reload_refuses_a_wrong_token(
    make_app: MakeApp, redis_url: str, loaded: str, authorization: str | None
) -> None:
    client = make_app(redis_url, ADMIN_TOKEN=TOKEN).test_client()
    response = reload(client, authorization)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert versions(redis_url) == {loaded}


def test_admin_reload_with_the_right_token(
    make_app: MakeApp, redis_url: str, loaded: str, alias_file: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "edited.yml"
    text = alias_file.read_text(encoding="utf-8")
    edited.write_text(text.replace("Tomek Wierzbicki", "Tomeczek Wierzbicki"), encoding="utf-8")
    admin = make_app(redis_url, ADMIN_TOKEN=TOKEN, ALIASES=str(edited)).test_client()
    other_worker = make_app(redis_url, REDIS_REFRESH=0).test_client()
    response = reload(admin, f"Bearer {TOKEN}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "reloaded"
    assert body["version"] != loaded
    assert versions(redis_url) == {body["version"]}
    assert other_worker.get("/readyz").get_json()["version"] == body["version"]
    found = other_worker.get("/v1/resolve", query_string={"name": "Tomeczek Wierzbicki"})
    assert found.get_json()["match"]["method"] == "exact"


def test_admin_reload_of_a_bad_table_keeps_the_old(
    make_app: MakeApp, redis_url: str, loaded: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("- id: Not A Slug\n  name: X\n", encoding="utf-8")
    admin = make_app(redis_url, ADMIN_TOKEN=TOKEN, ALIASES=str(bad)).test_client()
    response = reload(admin, f"Bearer {TOKEN}")
    assert response.status_code == 422
    assert versions(redis_url) == {loaded}
    assert admin.get("/readyz").get_json()["version"] == loaded


def with_alias(text: str, entity_id: str, alias: str, shared: bool = False) -> str:
    """The fixture's text with ``alias`` added to the entity ``entity_id`` (a person)."""
    head = f"- id: {entity_id}\n"
    marked = f"  shared: [{alias}]\n" if shared else ""
    assert head in text
    return text.replace(head, f"{head}{marked}  aliases: [{alias}]\n", 1)


def test_admin_reload_refuses_a_table_that_silences_a_name(
    make_app: MakeApp, redis_url: str, loaded: str, alias_file: Path, tmp_path: Path
) -> None:
    """A curator gives a person the short name of an organization: the name would then
    resolve to neither. The reload is refused with the file and line of the person, and
    the table in force stays."""
    edited = tmp_path / "edited.yml"
    text = alias_file.read_text(encoding="utf-8")
    edited.write_text(with_alias(text, "ramiro-quintana-arevalo", "Rio Azul Logistics"), "utf-8")
    admin = make_app(redis_url, ADMIN_TOKEN=TOKEN, ALIASES=str(edited)).test_client()
    response = reload(admin, f"Bearer {TOKEN}")
    problem = response.get_json()
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    line = text.splitlines().index("- id: ramiro-quintana-arevalo") + 1
    assert f"{edited}:{line}: [ramiro-quintana-arevalo]" in problem["detail"]
    assert "'Rio Azul Logistics' resolved to rio-azul-logistics alone" in problem["detail"]
    assert versions(redis_url) == {loaded}
    found = admin.get("/v1/resolve", query_string={"name": "Rio Azul Logistics"}).get_json()
    assert found["match"]["id"] == "rio-azul-logistics"


def test_admin_reload_takes_a_shared_name_marked_as_such(
    make_app: MakeApp, redis_url: str, loaded: str, alias_file: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "edited.yml"
    text = alias_file.read_text(encoding="utf-8")
    marked = with_alias(text, "ramiro-quintana-arevalo", "Rio Azul Logistics", shared=True)
    edited.write_text(marked, "utf-8")
    admin = make_app(redis_url, ADMIN_TOKEN=TOKEN, ALIASES=str(edited)).test_client()
    response = reload(admin, f"Bearer {TOKEN}")
    assert response.status_code == 200, response.get_json()
    found = admin.get("/v1/resolve", query_string={"name": "Rio Azul Logistics"}).get_json()
    assert found["match"] is None  # as the curator chose: both are candidates
    assert {c["id"] for c in found["candidates"][:2]} == {
        "rio-azul-logistics",
        "ramiro-quintana-arevalo",
    }


def test_annotation_reads_the_table_in_redis_as_the_embedded_store_does(
    make_app: MakeApp, redis_url: str, loaded: str, alias_file: Path
) -> None:
    text = (
        "Tomek Wierzbicki, of Kestrel Shipping Company Limited, met Marisol Quintana Arévalo "
        "(La Güera) in Puerto Lempira, Honduras; Томаш Вежбицкий left for the Northern Basin."
    )
    on_redis = make_app(redis_url).test_client().post("/v1/annotate", json={"text": text})
    embedded = create_app({"TESTING": True, "ALIASES": str(alias_file)}).test_client()
    in_process = embedded.post("/v1/annotate", json={"text": text})
    assert on_redis.status_code == in_process.status_code == 200
    mentions = on_redis.get_json()["mentions"]
    assert mentions == in_process.get_json()["mentions"]
    assert [(m["text"], m["match"]["id"]) for m in mentions] == [
        ("Tomek Wierzbicki", "tomasz-wierzbicki"),
        ("Kestrel Shipping Company Limited", "kestrel-shipping"),
        ("Marisol Quintana Arévalo", "marisol-quintana-arevalo"),
        ("La Güera", "marisol-quintana-arevalo"),
        ("Puerto Lempira", "puerto-lempira"),
        ("Honduras", "honduras"),
        ("Томаш Вежбицкий", "tomasz-wierzbicki"),
    ]


def test_answers_kept_by_a_worker_are_not_given_for_a_new_version(
    make_app: MakeApp, redis_url: str, loaded: str, alias_file: Path, tmp_path: Path
) -> None:
    edited = tmp_path / "edited.yml"
    text = alias_file.read_text(encoding="utf-8")
    edited.write_text(with_alias(text, "ramiro-quintana-arevalo", "Ramiro el Flaco"), "utf-8")
    admin = make_app(redis_url, ADMIN_TOKEN=TOKEN, ALIASES=str(edited)).test_client()
    app = make_app(redis_url, REDIS_REFRESH=0)
    worker = app.test_client()

    def matched() -> object:
        # A typo of the alias the edit adds: the full path, whose answers a worker keeps.
        body = worker.get("/v1/resolve", query_string={"name": "Ramiro el Flacco"}).get_json()
        return body["match"] and body["match"]["id"]

    assert matched() is None
    assert matched() is None
    assert app.extensions["normalizer"].matcher.answers.hits == 1
    assert reload(admin, f"Bearer {TOKEN}").status_code == 200
    assert matched() == "ramiro-quintana-arevalo"
