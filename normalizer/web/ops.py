"""Operations: health, readiness, and the admin reload."""

from __future__ import annotations

import hmac
import time

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from normalizer.exc import Conflict, NotFound, NotReady, Unauthorized
from normalizer.match.calibration import SCORE_VERSION
from normalizer.web.context import service, settings

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
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


def _check_admin_token() -> None:
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
def admin_reload() -> ResponseReturnValue:
    """Recompile the configured alias path and publish it (to every worker, with Redis)."""
    _check_admin_token()
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
