"""Resolving names (one, or a batch) and fetching entities."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from normalizer.exc import NotFound
from normalizer.web.context import deadline, gate, service, settings
from normalizer.web.metrics import count_resolved
from normalizer.web.openapi import answers, api
from normalizer.web.params import ResolveBatch, ResolveQuery
from normalizer.web.schemas import Entity, Resolution, Resolutions

bp = Blueprint("resolve", __name__)


@bp.get("/v1/resolve")
@api.validate(resp=answers(Resolution, 400, 503), tags=["resolve"])
def resolve_one(query: ResolveQuery) -> Response:
    """Resolve one name

    The entity the name refers to, if one is a confident match, and the candidates,
    best first. An answer past the time budget (NORMALIZER_REQUEST_BUDGET) is a 503.
    """
    limit = query.limit or settings().default_limit
    with gate().turn(deadline()):
        resolution = service().matcher.resolve(
            query.name, query.type, limit, deadline(), query.explain
        )
    count_resolved([resolution])
    return jsonify(resolution.to_json(query.explain))


@bp.post("/v1/resolve")
@api.validate(resp=answers(Resolutions, 400, 413, 415, 503), tags=["resolve"])
def resolve_batch(json: ResolveBatch) -> Response:
    """Resolve a batch of names

    One result per name, in the order sent, each as GET /v1/resolve answers it. A batch
    past the time budget is a 503 saying how many names were done.
    """
    limit = json.limit or settings().default_limit
    with gate().turn(deadline()):
        resolutions = service().matcher.resolve_many(
            json.names, json.type, limit, deadline(), json.explain
        )
    count_resolved(resolutions)
    return jsonify({"results": [r.to_json(json.explain) for r in resolutions]})


@bp.get("/v1/entities/<entity_id>")
@api.validate(
    resp=answers(Entity, 404, 503),
    tags=["resolve"],
    path_parameter_descriptions={"entity_id": "The entity's id, as results give it."},
)
def entity(entity_id: str) -> Response:
    """An entity, with its aliases"""
    found = service().entity(entity_id)
    if found is None:
        raise NotFound(f"no entity with id {entity_id!r}", field="id")
    return jsonify(found)
