"""Optional API keys for the lookups (``NORMALIZER_API_KEYS``; off when unset).

With keys set, every route asks for one except those an operator's tooling calls without
(health, readiness, metrics, the API's description) and the admin and review ones, which
have their own token. A new route is closed until it is listed here: forgetting fails safe.

Of the reconciliation API, the manifest (GET /reconcile without queries) and the type
list are open, so that a tool can be pointed at the service; its queries, suggestions and
previews are lookups of the table, and ask for a key as /v1 does.
"""

from __future__ import annotations

import hmac

from flask import Flask, g, request

from normalizer.access import parse_api_keys
from normalizer.exc import Unauthorized
from normalizer.web.metrics import API_KEY_REQUESTS

KEYS = "normalizer.api_keys"
# The review queue's routes want the admin token instead (web/review.py); the curation
# pages guard themselves: with keys set they want a signed-in curator, since a browser cannot
# send a key with a link (web/ui_session.py).
OPEN_RULES = frozenset({"/healthz", "/readyz", "/metrics", "/openapi.json", "/v1/review"})
OPEN_PREFIXES = (
    "/docs",
    "/openapi",
    "/v1/admin/",
    "/v1/review/",
    "/reconcile/suggest/type",
    "/ui",
)
NEEDED = (
    "this endpoint needs an API key: the header X-API-Key: <key> or Authorization: Bearer <key>"
)


def key_id(keys: dict[str, str], given: str) -> str | None:
    """The id of the key ``given`` is the secret of, comparing with every secret in
    constant time (how long it takes tells nothing of how much was right)."""
    found = None
    for secret, identity in keys.items():
        if hmac.compare_digest(given.encode(), secret.encode()):
            found = identity
    return found


def _given() -> str | None:
    if "X-API-Key" in request.headers:
        return request.headers["X-API-Key"].strip()
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _manifest() -> bool:
    """A request for the reconciliation manifest (the same route answers queries)."""
    rule = request.url_rule
    return (
        rule is not None
        and rule.rule == "/reconcile"
        and request.method == "GET"
        and "queries" not in request.args
    )


def _check(keys: dict[str, str]) -> None:
    rule = request.url_rule
    if rule is None or request.method == "OPTIONS":
        return  # a 404 or 405 to come, or a CORS preflight (browsers send no key there)
    if rule.rule in OPEN_RULES or rule.rule.startswith(OPEN_PREFIXES) or _manifest():
        return
    given = _given()
    if given is None:
        raise Unauthorized(NEEDED)
    found = key_id(keys, given)
    if found is None:
        raise Unauthorized("the API key is wrong")
    g.api_key_id = found
    API_KEY_REQUESTS.labels(found).inc()


def init_app(app: Flask, api_keys: str | None) -> None:
    """Ask for a key on the lookups if any is configured."""
    keys = parse_api_keys(api_keys)
    if keys:
        app.before_request(lambda: _check(keys))
