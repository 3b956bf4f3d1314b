"""Annotating a text: every entity it mentions, with offsets."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from normalizer.annotate import annotate
from normalizer.web.context import deadline, gate, service
from normalizer.web.openapi import answers, api
from normalizer.web.params import AnnotateBody
from normalizer.web.schemas import Mentions

bp = Blueprint("annotate", __name__)


@bp.post("/v1/annotate")
@api.validate(resp=answers(Mentions, 400, 413, 415, 503), tags=["annotate"])
def annotate_text(json: AnnotateBody) -> Response:
    """Find the entities a text mentions

    Each mention with its offsets in code points into the text as sent (``text[start:end]``
    is the mention) and its match, as GET /v1/resolve gives it. Overlapping readings resolve
    to the longest; names are found with the same tolerance and abstention as resolve. A
    text past the time budget is a 503.
    """
    with gate().turn(deadline()):
        mentions = annotate(service().matcher, json.text, json.type, json.explain, deadline())
    return jsonify({"mentions": [m.to_json(json.explain) for m in mentions]})
