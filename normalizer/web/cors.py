"""CORS (``NORMALIZER_CORS_ORIGINS``; every origin by default): OpenRefine and other
browser tools call the lookups from their own page, which a browser allows only if the
answer says so. The headers come from flask-cors; preflights are answered 204 (app.py).
"""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

from normalizer.access import parse_cors_origins

ALLOW_HEADERS = ["Content-Type", "Authorization", "X-API-Key", "X-Request-ID"]
EXPOSE_HEADERS = ["X-Request-ID"]
METHODS = ["GET", "POST", "OPTIONS"]
PREFLIGHT_SECONDS = 600  # how long a browser may reuse a preflight's answer


def init_app(app: Flask, origins: str) -> None:
    """Allow ``origins`` ("*", a comma list, or "none": CORS off)."""
    allowed = parse_cors_origins(origins)
    if not allowed:
        return
    CORS(
        app,
        origins=allowed,
        # "*" itself rather than the caller's origin echoed: the same answer for everyone.
        send_wildcard=allowed == ["*"],
        methods=METHODS,
        allow_headers=ALLOW_HEADERS,
        expose_headers=EXPOSE_HEADERS,
        max_age=PREFLIGHT_SECONDS,
    )
