"""The curation pages (/ui) through Flask's test client: what they show, who may see them,
and the sign-in that guards them. tests/test_ui_browser.py drives them in chromium."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from normalizer.match.results import DECISIONS
from normalizer.web.app import create_app
from normalizer.web.ui import WHY

TOKEN = "curator-token-0123456789"
KEY = "lookup-key-0123456789abcdef"


def curator_client(alias_file: Path, **config: str) -> FlaskClient:
    settings = {"TESTING": True, "ALIASES": str(alias_file), "ADMIN_TOKEN": TOKEN}
    return create_app(settings | config).test_client()


def text(html: bytes) -> str:
    """The page's text, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split())


def test_a_search_shows_the_match_its_candidates_and_the_alignment(client: FlaskClient) -> None:
    page = client.get("/ui", query_string={"q": "quintana arevalo marisol"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    shown = text(page.data)
    assert "Resolves to Marisol Quintana Arévalo" in shown
    assert "normalized on “QUINTANA ARÉVALO, Marisol”" in shown
    assert "written as a name of this entity and of no other ( exact_name )" in shown
    assert 'href="/ui/entities/marisol-quintana-arevalo"' in page.text
    # The other Quintana Arévalo siblings are candidates, below the match.
    assert shown.index("Marisol Quintana") < shown.index("Ernesto Quintana Arévalo")
    assert "query covered 100%" in shown
    assert re.search(r"<td>quintana</td><td>quintana</td><td>1\.00</td>", page.text)


def test_a_name_of_no_entity_abstains(client: FlaskClient) -> None:
    shown = text(client.get("/ui?q=Quintana").data)
    assert "No confident match" in shown and "Resolves to" not in shown
    assert "one word that names of more than one entity have ( shared_word )" in shown


def test_the_query_is_escaped_not_run_as_html(client: FlaskClient) -> None:
    page = client.get("/ui", query_string={"q": '<script>alert("x")</script> Neto'})
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Neto" in page.text


def test_a_name_too_long_is_a_400_that_says_so_in_the_page(client: FlaskClient) -> None:
    page = client.get("/ui", query_string={"q": "a" * 513})
    assert page.status_code == 400
    assert "The name is longer than 512 characters." in text(page.data)


def test_the_entity_page_lists_its_names_and_the_ones_it_must_never_have(
    client: FlaskClient,
) -> None:
    page = client.get("/ui/entities/puerto-lempira")
    assert page.status_code == 200
    shown = text(page.data)
    assert "Puerto Lempira" in shown and "location · HN · puerto-lempira" in shown
    assert "Never this entity Lempira" in shown
    page = client.get("/ui/entities/marisol-quintana-arevalo")
    assert "La Güera es" in text(page.data)
    assert 'href="/ui?q=La+G%C3%BCera"' in page.text


def test_an_unknown_entity_is_a_404_problem(client: FlaskClient) -> None:
    page = client.get("/ui/entities/nobody")
    assert page.status_code == 404 and page.mimetype == "application/problem+json"
    assert page.json is not None and page.json["detail"] == "no entity with id 'nobody'"


def test_without_an_admin_token_there_is_no_sign_in(client: FlaskClient) -> None:
    page = client.get("/ui/sign-in")
    assert page.status_code == 404
    assert page.json is not None and "NORMALIZER_ADMIN_TOKEN" in page.json["detail"]


def test_with_api_keys_the_pages_want_a_curator_signed_in(alias_file: Path) -> None:
    client = curator_client(alias_file, API_KEYS=f"newsroom={KEY}")
    assert client.get("/v1/resolve?name=Neto+Quintana").status_code == 401
    page = client.get("/ui?q=Neto+Quintana")
    assert page.status_code == 302
    assert page.headers["Location"] == "/ui/sign-in?next=/ui?q%3DNeto%2BQuintana"
    wrong = client.post("/ui/sign-in", data={"token": "guess", "next": "/ui?q=Neto+Quintana"})
    assert wrong.status_code == 401 and "That is not the admin token." in text(wrong.data)
    assert client.get("/ui?q=Neto+Quintana").status_code == 302
    signed = client.post("/ui/sign-in", data={"token": TOKEN, "next": "/ui?q=Neto+Quintana"})
    assert (signed.status_code, signed.headers["Location"]) == (303, "/ui?q=Neto+Quintana")
    cookie = signed.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Resolves to Ernesto Quintana Arévalo" in text(client.get("/ui?q=Neto+Quintana").data)


def test_sign_in_sends_the_browser_only_within_the_pages(alias_file: Path) -> None:
    client = curator_client(alias_file)
    for target in ("https://elsewhere.example/ui", "//elsewhere.example/ui", "/v1/resolve"):
        signed = client.post("/ui/sign-in", data={"token": TOKEN, "next": target})
        assert signed.headers["Location"] == "/ui"


def test_signing_out_wants_the_forms_csrf_token(alias_file: Path) -> None:
    client = curator_client(alias_file)
    client.post("/ui/sign-in", data={"token": TOKEN})
    forged = client.post("/ui/sign-out")
    assert forged.status_code == 401 and forged.json is not None
    assert "CSRF" in forged.json["detail"]
    page = client.get("/ui").text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    assert client.post("/ui/sign-out", data={"csrf": found[1]}).status_code == 303
    assert 'name="csrf"' not in client.get("/ui").text  # signed out: no sign-out form


def test_the_search_page_can_say_every_decision() -> None:
    assert set(WHY) == set(DECISIONS)
