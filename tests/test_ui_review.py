"""The review queue's page (/ui/review) through Flask's test client: a curator signs in,
sees the queued names, accepts one into a copy of the bundled alias files, rejects another.
tests/test_ui_browser.py does the same in chromium against the production server."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from normalizer.service import Service
from normalizer.web.app import create_app
from normalizer.web.context import EXTENSION

BUNDLED = Path(__file__).resolve().parent.parent / "aliases"
TOKEN = "curator-token-0123456789"
HANG = 60.0  # seconds: only to catch a hang


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def aliases(tmp_path: Path) -> Path:
    return Path(shutil.copytree(BUNDLED, tmp_path / "aliases"))


def client_with_misses(aliases: Path, tmp_path: Path, *names: str) -> FlaskClient:
    app = create_app(
        {
            "TESTING": True,
            "ALIASES": str(aliases),
            "ADMIN_TOKEN": TOKEN,
            "REVIEW": True,
            "REVIEW_PATH": str(tmp_path / "review.sqlite3"),
        }
    )
    client = app.test_client()
    for name in names:
        assert client.get("/v1/resolve", query_string={"name": name}).json["match"] is None  # type: ignore[index]
    running: Service = app.extensions[EXTENSION]
    assert running.flush_review(HANG)
    return client


def signed_in(client: FlaskClient) -> str:
    """Sign in; the CSRF token of the session's forms."""
    client.post("/ui/sign-in", data={"token": TOKEN})
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/ui/review").text)
    assert found is not None
    return found[1]


def test_the_queue_wants_a_curator(aliases: Path, tmp_path: Path) -> None:
    client = client_with_misses(aliases, tmp_path, "Ejército Hondureño")
    page = client.get("/ui/review")
    assert (page.status_code, page.headers["Location"]) == (302, "/ui/sign-in?next=/ui/review")
    posted = client.post("/ui/review/reject", data={"name": "Ejército Hondureño"})
    assert posted.status_code == 401 and posted.mimetype == "application/problem+json"


def test_a_curator_sees_the_queue_most_frequent_first(aliases: Path, tmp_path: Path) -> None:
    client = client_with_misses(
        aliases, tmp_path, "Fuerzas Armadas de Guatemala", "Ejército Hondureño"
    )
    client.get("/v1/resolve", query_string={"name": "Ejército Hondureño"})
    client.application.extensions[EXTENSION].flush_review(HANG)
    signed_in(client)
    shown = text(client.get("/ui/review").text)
    assert shown.index("Ejército Hondureño 2×") < shown.index("Fuerzas Armadas de Guatemala 1×")
    assert "Mexican Armed Forces (0.07)" in shown


def test_accepting_adds_the_alias_to_its_file_and_serves_it(aliases: Path, tmp_path: Path) -> None:
    client = client_with_misses(aliases, tmp_path, "Fuerzas Armadas de Guatemala")
    csrf = signed_in(client)
    form = {"csrf": csrf, "name": "Fuerzas Armadas de Guatemala", "other": "guatemalan-army"}
    done = client.post("/ui/review/accept", data=form)
    assert (done.status_code, done.headers["Location"]) == (303, "/ui/review")
    shown = text(client.get("/ui/review").text)
    assert "Added 'Fuerzas Armadas de Guatemala' to guatemalan-army" in shown.replace("&#39;", "'")
    assert "Nothing to review." in shown
    assert "    - Fuerzas Armadas de Guatemala\n" in (aliases / "organizations.yml").read_text()
    answer = client.get("/v1/resolve", query_string={"name": "Fuerzas Armadas de Guatemala"})
    assert answer.json is not None and answer.json["match"]["id"] == "guatemalan-army"


def test_a_refused_accept_is_said_in_the_page_and_changes_nothing(
    aliases: Path, tmp_path: Path
) -> None:
    client = client_with_misses(aliases, tmp_path, "Salvadoran Army")
    csrf = signed_in(client)
    before = (aliases / "organizations.yml").read_bytes()
    form = {"csrf": csrf, "name": "Salvadoran Army", "entity": "guatemalan-army"}
    assert client.post("/ui/review/accept", data=form).status_code == 303
    shown = text(client.get("/ui/review").text).replace("&#39;", "'")
    assert "'Salvadoran Army' was not added to guatemalan-army" in shown
    assert "golden query fails: 'Salvadoran Army'" in shown
    assert (aliases / "organizations.yml").read_bytes() == before
    assert "Salvadoran Army 1×" in shown  # still queued
    form = {"csrf": csrf, "name": "Salvadoran Army"}
    assert client.post("/ui/review/accept", data=form).status_code == 303
    assert "choose a suggested entity" in text(client.get("/ui/review").text)


def test_rejecting_takes_the_name_off_for_good(aliases: Path, tmp_path: Path) -> None:
    client = client_with_misses(aliases, tmp_path, "Ejército Hondureño")
    csrf = signed_in(client)
    forged = client.post("/ui/review/reject", data={"name": "Ejército Hondureño"})
    assert forged.status_code == 401  # no CSRF token
    done = client.post("/ui/review/reject", data={"csrf": csrf, "name": "Ejército Hondureño"})
    assert done.status_code == 303
    assert "Nothing to review." in text(client.get("/ui/review").text)
    client.get("/v1/resolve", query_string={"name": "Ejército Hondureño"})
    client.application.extensions[EXTENSION].flush_review(HANG)
    assert "Nothing to review." in text(client.get("/ui/review").text)


def test_without_review_the_page_says_it_is_off(alias_file: Path) -> None:
    client = create_app({"ALIASES": str(alias_file), "ADMIN_TOKEN": TOKEN}).test_client()
    client.post("/ui/sign-in", data={"token": TOKEN})
    page = client.get("/ui/review")
    assert page.status_code == 404 and "NORMALIZER_REVIEW" in text(page.text)
