"""Operations: health, readiness, and the admin reload."""

from __future__ import annotations

import hmac
import time

from flask import Blueprint, Response, jsonify, request

from normalizer.exc import Conflict, NotFound, NotReady, Unauthorized
from normalizer.match.calibration import SCORE_VERSION
from normalizer.web.context import service, settings
from normalizer.web.openapi import answers, api
from normalizer.web.schemas import Health, Ready, Reloaded

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
@api.validate(resp=answers(Health), tags=["operations"])
def healthz() -> Response:
    """Liveness: the process answers (whether or not a table is loaded)"""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
@api.validate(resp=answers(Ready, 503), tags=["operations"])
def readyz() -> Response:
    """Readiness: a table is loaded and its store answers"""
    store = service().store
    if not store.ready():  # a live check: a remote store must answer now
        raise NotReady("no alias table is loaded, or its store does not answer")
    meta = store.view().meta
    return jsonify(
        {
            "status": "ready",
            "version": meta.version,
            "entities": meta.entities,
            "names": meta.names,
            "score_version": SCORE_VERSION,
        }
    )


def check_admin_token() -> None:
    """The admin endpoints exist only with a token set, and want it as a bearer token."""
    token = settings().admin_token
    if not token:
        raise NotFound("the admin endpoints are off: NORMALIZER_ADMIN_TOKEN is not set")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise Unauthorized("this endpoint needs the header Authorization: Bearer <token>")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Unauthorized("the bearer token is wrong")


@bp.post("/v1/admin/reload")
@api.validate(
    resp=answers(Reloaded, 401, 404, 409, 422, 503), tags=["operations"], security={"admin": []}
)
def admin_reload() -> Response:
    """Reload the alias table

    Recompile the configured aliases (NORMALIZER_ALIASES) and publish them to every worker;
    with the Redis store only. 404 unless NORMALIZER_ADMIN_TOKEN is set; the token is a
    bearer token.
    """
    check_admin_token()
    if not service().store.shared:
        # Each worker holds its own embedded table: a reload here would reach only one.
        raise Conflict(
            "the embedded store cannot be reloaded for every worker: restart the service, "
            "or serve from Redis (REDIS_URL) and reload there"
        )
    started = time.monotonic()
    meta = service().reload()
    return jsonify(
        {
            "status": "reloaded",
            "version": meta.version,
            "entities": meta.entities,
            "names": meta.names,
            "seconds": round(time.monotonic() - started, 3),
        }
    )
