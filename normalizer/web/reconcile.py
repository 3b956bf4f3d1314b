"""The W3C Reconciliation Service API 0.2 at /reconcile, for OpenRefine and other curating
tools: the manifest, query batches (POST form-encoded as OpenRefine sends them, or GET),
entity and type suggestions, and an HTML preview of an entity.

These routes follow the W3C spec's contract (its JSON Schemas; tests/test_reconcile.py
checks every answer against them), not ours: they are left out of /openapi.json, which
describes the /v1 API. JSONP is not offered: 0.2 dropped it for CORS (web/cors.py), and a
JSONP answer runs the service's text as script in the client's page.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from normalizer.exc import BadRequest
from normalizer.web.context import service
from normalizer.web.metrics import count_resolved
from normalizer.web.reconcile_batch import answer, batch_size, parse_batch
from normalizer.web.reconcile_pages import preview_card, suggest_entities, suggest_types

bp = Blueprint("reconcile", __name__)
NAME = "normalizer"
PREVIEW_WIDTH = 400
PREVIEW_HEIGHT = 240


@bp.get("/reconcile")
def manifest_or_queries() -> Response:
    """The manifest, or (with ``queries``) the answers to a batch."""
    if "queries" in request.args:
        return _answered(request.args.get("queries"))
    return jsonify(manifest())


@bp.post("/reconcile")
def queries() -> Response:
    """A batch in the form field ``queries``, as OpenRefine sends it."""
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # A batch sent bare as JSON is common enough to say what to do instead.
        raise BadRequest(
            "send the batch as the form field queries "
            "(application/x-www-form-urlencoded), as OpenRefine does",
            field="queries",
        )
    return _answered(request.form.get("queries"))


def _answered(raw: str | None) -> Response:
    results, resolutions = answer(parse_batch(raw))
    count_resolved(resolutions)
    return jsonify(results)


def manifest() -> dict[str, object]:
    """The service manifest; URLs are this server's, as the request reached it."""
    root = request.host_url.rstrip("/")
    types = service().store.view().meta.types
    return {
        "versions": ["0.2"],
        "name": NAME,
        "identifierSpace": f"{root}/v1/entities/",
        "schemaSpace": f"{root}/reconcile/types/",
        "documentation": f"{root}/docs",
        "batchSize": batch_size(),
        "defaultTypes": [{"id": t, "name": t} for t in types],
        "view": {"url": f"{root}/v1/entities/{{{{id}}}}"},
        "preview": {
            "url": f"{root}/reconcile/preview?id={{{{id}}}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "suggest": {
            "entity": {"service_url": root, "service_path": "/reconcile/suggest/entity"},
            "type": {"service_url": root, "service_path": "/reconcile/suggest/type"},
        },
    }


@bp.get("/reconcile/suggest/entity")
def suggest_entity() -> Response:
    return jsonify({"result": suggest_entities(_prefix())})


@bp.get("/reconcile/suggest/type")
def suggest_type() -> Response:
    return jsonify({"result": suggest_types(_prefix())})


@bp.get("/reconcile/preview")
def preview() -> Response:
    entity_id = request.args.get("id", "")
    if not entity_id.strip():
        raise BadRequest("the id parameter is missing or empty", field="id")
    return Response(preview_card(entity_id), mimetype="text/html")


def _prefix() -> str:
    prefix = request.args.get("prefix")
    if prefix is None:
        raise BadRequest("the prefix parameter is missing", field="prefix")
    if len(prefix) > 200:
        raise BadRequest("prefix is longer than 200 characters", field="prefix")
    return prefix
