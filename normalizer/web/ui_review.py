"""The review queue's page: the names the service could not resolve, to accept as aliases
or reject, for a signed-in curator. Accepting and rejecting go through ``curate.review``,
as ``normalizer review`` and ``POST /v1/review/...`` do."""

from __future__ import annotations

import time

from flask import Blueprint, flash, get_flashed_messages, redirect, request, url_for

from normalizer.curate import review
from normalizer.exc import BadRequest, NormalizerError
from normalizer.store import ReviewQueue
from normalizer.store.review import minute_utc
from normalizer.web import ui_session
from normalizer.web.context import service
from normalizer.web.ui import Page, guarded, page

bp = Blueprint("ui_review", __name__, url_prefix="/ui/review")
SHOWN = 100
OFF = "The review queue is off: the service runs without NORMALIZER_REVIEW."
DONE, PROBLEM = "done", "problem"


@bp.get("")
def queue() -> Page:
    if (elsewhere := guarded(for_lookups=False)) is not None:
        return elsewhere
    found = service().review
    if found is None:
        return page("review.html", 404, names=[], problem=OFF)
    entries = found.top(SHOWN, time.time())
    names = [(entry, minute_utc(entry.last_seen) + " UTC") for entry in entries]
    return page(
        "review.html",
        names=names,
        done=get_flashed_messages(category_filter=[DONE]),
        problem=" ".join(str(m) for m in get_flashed_messages(category_filter=[PROBLEM])) or None,
    )


def _queue() -> ReviewQueue:
    ui_session.need_curator(for_lookups=False)  # and the form's CSRF token
    found = service().review
    if found is None:
        raise BadRequest(OFF)
    return found


def _field(name: str) -> str:
    value = request.form.get(name, "").strip()
    if not value:
        raise BadRequest(f"the form has no {name}", field=name)
    return value


@bp.post("/accept")
def accept() -> Page:
    queue = _queue()
    name = _field("name")
    entity = request.form.get("other", "").strip() or request.form.get("entity", "").strip()
    running = service()
    try:
        if not entity:
            raise BadRequest("choose a suggested entity or give an entity's id")
        done = review.accept(queue, name, entity, running.settings, running)
    except NormalizerError as error:
        flash(f"{name!r} was not added to {entity or 'an entity'}: {error.detail}", PROBLEM)
    else:
        added = done.added
        flash(f"Added {name!r} to {entity} ({added.path}:{added.line}).", DONE)
    return redirect(url_for("ui_review.queue"), code=303)


@bp.post("/reject")
def reject() -> Page:
    queue = _queue()
    name = _field("name")
    review.reject(queue, name)
    flash(f"Rejected {name!r}: it will not be queued again.", DONE)
    return redirect(url_for("ui_review.queue"), code=303)
