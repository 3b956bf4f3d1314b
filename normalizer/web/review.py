"""The review queue over HTTP: the names that got no confident match, for curators, and
accepting (an alias added to its entity's YAML file, in force at once) or rejecting them.

Every route wants the admin token (as ``POST /v1/admin/reload``), not an API key, and is a
404 while the queue is off (NORMALIZER_REVIEW).
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, jsonify

from normalizer.curate import review
from normalizer.exc import NotFound
from normalizer.store import ReviewQueue
from normalizer.web.context import service
from normalizer.web.openapi import answers, api
from normalizer.web.ops import check_admin_token
from normalizer.web.review_params import ReviewAccept, ReviewQuery, ReviewReject
from normalizer.web.review_schemas import Accepted, Rejected
from normalizer.web.review_schemas import ReviewQueue as ReviewQueueModel

bp = Blueprint("review", __name__)
OFF = "the review queue is off: NORMALIZER_REVIEW is not set"
TAGS = ["review"]
ADMIN: dict[str, list[str]] = {"admin": []}


@bp.before_request
def _guard() -> None:
    """The token before anything else, the request's parameters included."""
    check_admin_token()
    if service().review is None:
        raise NotFound(OFF)


def _queue() -> ReviewQueue:
    queue = service().review
    assert queue is not None  # _guard
    return queue


@bp.get("/v1/review")
@api.validate(resp=answers(ReviewQueueModel, 400, 401, 404, 503), tags=TAGS, security=ADMIN)
def names(query: ReviewQuery) -> Response:
    """Names awaiting review

    The names that got no confident match, most frequent first, with how often and when
    they were seen and their best candidates. Names only, once a request; the queue keeps
    NORMALIZER_REVIEW_SIZE names for NORMALIZER_REVIEW_RETENTION days after last seen.
    404 unless NORMALIZER_REVIEW and NORMALIZER_ADMIN_TOKEN are set; the token is a bearer
    token.
    """
    found = _queue().top(query.limit, time.time())
    return jsonify({"names": [entry.to_json() for entry in found]})


@bp.post("/v1/review/accept")
@api.validate(
    resp=answers(Accepted, 400, 401, 404, 409, 413, 415, 422, 503), tags=TAGS, security=ADMIN
)
def accept(json: ReviewAccept) -> Response:
    """Accept a name as an alias

    Append the name to the entity's aliases in the YAML file that defines it (its other
    lines kept byte for byte), reload the table so the alias is in force at once, and take
    the name off the queue. An edit that would break the table, make a name ambiguous or
    fail a golden query is refused with 422 naming file and line, and the file is restored;
    a name the entity has already, or an entity in a JSON Lines file, is a 409. With the
    embedded store only the worker that answers reloads at once; the others follow the
    edited file within seconds (NORMALIZER_FOLLOW_FILES).
    """
    running = service()
    done = review.accept(_queue(), json.name, json.entity, running.settings, running)
    return jsonify(done.to_json())


@bp.post("/v1/review/reject")
@api.validate(resp=answers(Rejected, 400, 401, 404, 413, 415, 503), tags=TAGS, security=ADMIN)
def reject(json: ReviewReject) -> Response:
    """Reject a name

    Take the name off the queue and never queue it again.
    """
    return jsonify({"name": json.name, "queued": review.reject(_queue(), json.name)})
