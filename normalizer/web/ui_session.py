"""Who may use the curation pages (``/ui``): a curator signs in once with the admin token.

Browsers cannot send an API key or a bearer token with a link or a form, so the pages keep
a signed session cookie instead (HttpOnly, SameSite=Strict). Its signing key is derived
from the admin token: every gunicorn worker derives the same one, and changing the token
signs every curator out. Forms that change anything also carry the session's CSRF token.

Searching and reading entities are as open as ``/v1/resolve``: open without API keys,
otherwise for a signed-in curator. The review queue always wants one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Flask, request, session

from normalizer.exc import NotFound, Unauthorized
from normalizer.settings import Settings
from normalizer.web.context import settings

CURATOR = "curator"
CSRF = "csrf"
OFF = "the curator sign-in is off: NORMALIZER_ADMIN_TOKEN is not set"


def init_app(app: Flask, config: Settings) -> None:
    if config.admin_token:
        app.secret_key = hashlib.sha256(b"normalizer /ui\0" + config.admin_token.encode()).digest()
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict")


def signed_in() -> bool:
    return bool(settings().admin_token) and session.get(CURATOR) is True


def sign_in(token: str) -> bool:
    """Sign the browser in if ``token`` is the admin token; whether it was."""
    expected = settings().admin_token
    if not expected:
        raise NotFound(OFF)
    if not hmac.compare_digest(token.encode(), expected.encode()):
        return False
    session.clear()
    session[CURATOR] = True
    session[CSRF] = secrets.token_urlsafe(24)
    return True


def sign_out() -> None:
    session.clear()


def csrf_token() -> str:
    found: str = session.get(CSRF, "")
    return found


def need_curator(for_lookups: bool) -> None:
    """Raise Unauthorized unless a curator is signed in; lookups (``for_lookups``) need
    one only where API keys guard /v1. A change (POST) must carry the session's CSRF
    token."""
    if for_lookups and not settings().api_keys:
        return
    if not settings().admin_token:
        raise NotFound(OFF)
    if not signed_in():
        raise Unauthorized("sign in at /ui/sign-in with the admin token first")
    if request.method == "POST":
        given = request.form.get(CSRF, "")
        if not given or not hmac.compare_digest(given.encode(), csrf_token().encode()):
            raise Unauthorized("the form's CSRF token is missing or wrong: reload the page")
