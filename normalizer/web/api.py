"""HTTP API v1: resolve one name or a batch, fetch an entity, health."""

from __future__ import annotations

import hmac
import json
import time
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from normalizer.exc import BadRequest, Conflict, NotFound, NotReady, Unauthorized
from normalizer.table.records import entity_key
from normalizer.web.app import service

bp = Blueprint("api", __name__)
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def _name(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise BadRequest(f"{field} must be a string", field=field)
    if not value.strip():
        raise BadRequest(f"{field} is empty", field=field)
    limit = current_app.config["MAX_NAME_LENGTH"]
    if len(value) > limit:
        raise BadRequest(f"{field} is longer than {limit} characters", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{field} is not valid Unicode (lone surrogate)", field=field) from None
    return value


def _entity_type(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise BadRequest("type must be a non-empty string", field="type")
    return value


def _limit(value: Any) -> int:
    if value is None:
        return int(current_app.config["DEFAULT_LIMIT"])
    most = current_app.config["MAX_LIMIT"]
    try:
        limit = int(value)
    except (TypeError, ValueError, OverflowError):
        raise BadRequest("limit must be a whole number", field="limit") from None
    if isinstance(value, bool) or isinstance(value, float) or not 1 <= limit <= most:
        raise BadRequest(f"limit must be a whole number from 1 to {most}", field="limit")
    return limit


def _flag(value: Any, field: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.lower() in TRUE_WORDS | FALSE_WORDS:
        return value.lower() in TRUE_WORDS
    raise BadRequest(f"{field} must be true or false", field=field)


@bp.get("/v1/resolve")
def resolve_one() -> ResponseReturnValue:
    args = request.args
    if "name" not in args:
        raise BadRequest("the query parameter name is required", field="name")
    name = _name(args["name"], "name")
    explain = _flag(args.get("explain"), "explain")
    resolution = service().matcher.resolve(
        name, _entity_type(args.get("type")), _limit(args.get("limit"))
    )
    return jsonify(resolution.to_json(explain))


@bp.post("/v1/resolve")
def resolve_batch() -> ResponseReturnValue:
    try:
        body = json.loads(request.get_data())
    except ValueError as error:
        raise BadRequest(f"the body is not valid JSON: {error}", field="body") from None
    except RecursionError:
        raise BadRequest("the body is nested too deeply", field="body") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object with a names list", field="body")
    unknown = set(body) - {"names", "type", "limit", "explain"}
    if unknown:
        raise BadRequest(
            f"unknown field(s): {', '.join(sorted(unknown))}", field=sorted(unknown)[0]
        )
    names = body.get("names")
    if not isinstance(names, list):
        raise BadRequest("names must be a list of strings", field="names")
    most = current_app.config["MAX_BATCH"]
    if not names or len(names) > most:
        raise BadRequest(f"names must hold 1 to {most} names, not {len(names)}", field="names")
    checked = [_name(value, f"names[{i}]") for i, value in enumerate(names)]
    explain = _flag(body.get("explain"), "explain")
    resolutions = service().matcher.resolve_many(
        checked, _entity_type(body.get("type")), _limit(body.get("limit"))
    )
    return jsonify({"results": [r.to_json(explain) for r in resolutions]})


@bp.get("/v1/entities/<entity_id>")
def entity(entity_id: str) -> ResponseReturnValue:
    (found,) = service().store.view().get_many([entity_key(entity_id)])
    if found is None:
        raise NotFound(f"no entity with id {entity_id!r}", field="id")
    return jsonify(found)


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
            "names": meta.aliases,
        }
    )


def _check_admin_token() -> None:
    """The admin endpoints exist only with a token set, and want it as a bearer token."""
    token = current_app.config["ADMIN_TOKEN"]
    if not token:
        raise NotFound("the admin endpoints are off: NORMALIZER_ADMIN_TOKEN is not set")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise Unauthorized("this endpoint needs the header Authorization: Bearer <token>")
    if not hmac.compare_digest(given.strip().encode(), str(token).encode()):
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
            "names": meta.aliases,
            "seconds": round(time.monotonic() - started, 3),
        }
    )
