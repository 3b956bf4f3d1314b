"""Resolving names (one, or a batch) and fetching entities."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from normalizer.exc import BadRequest, NotFound
from normalizer.web import params
from normalizer.web.context import deadline, gate, service, settings

bp = Blueprint("resolve", __name__)
BATCH_FIELDS = frozenset({"names", "type", "limit", "explain"})


@bp.get("/v1/resolve")
def resolve_one() -> ResponseReturnValue:
    args = request.args
    if "name" not in args:
        raise BadRequest("the query parameter name is required", field="name")
    name = params.name(args["name"], "name")
    explain = params.flag_in_query(args.get("explain"), "explain")
    entity_type, limit = (
        params.entity_type(args.get("type")),
        params.limit_in_query(args.get("limit")),
    )
    with gate().turn(deadline()):
        resolution = service().matcher.resolve(name, entity_type, limit, deadline(), explain)
    return jsonify(resolution.to_json(explain))


@bp.post("/v1/resolve")
def resolve_batch() -> ResponseReturnValue:
    body = params.json_object(BATCH_FIELDS, "with a names list")
    names = body.get("names")
    if not isinstance(names, list):
        raise BadRequest("names must be a list of strings", field="names")
    most = settings().max_batch
    if not names or len(names) > most:
        raise BadRequest(f"names must hold 1 to {most} names, not {len(names)}", field="names")
    checked = [params.name(value, f"names[{i}]") for i, value in enumerate(names)]
    explain = params.flag_in_json(body.get("explain"), "explain")
    entity_type, limit = (
        params.entity_type(body.get("type")),
        params.limit_in_json(body.get("limit")),
    )
    with gate().turn(deadline()):
        resolutions = service().matcher.resolve_many(
            checked, entity_type, limit, deadline(), explain
        )
    return jsonify({"results": [r.to_json(explain) for r in resolutions]})


@bp.get("/v1/entities/<entity_id>")
def entity(entity_id: str) -> ResponseReturnValue:
    found = service().entity(entity_id)
    if found is None:
        raise NotFound(f"no entity with id {entity_id!r}", field="id")
    return jsonify(found)
