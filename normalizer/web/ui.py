"""The curation pages: search a name and see why it resolves as it does, read an entity.

Server-rendered from Jinja templates (``web/templates/ui``), with no script: a curator's
browser needs nothing but forms and links. ``/ui?q=NAME`` shows the results for NAME.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from normalizer.exc import NotFound, Unauthorized
from normalizer.web import ui_session
from normalizer.web.context import deadline, gate, service, settings
from normalizer.web.params import text_problem

bp = Blueprint("ui", __name__, url_prefix="/ui", template_folder="templates")
RESULTS = 5
# The matcher's decision (``match.results.DECISIONS``), as the search page says it.
WHY = {
    "score": "its score clears the threshold and leads the next entity by the margin",
    "exact_name": "the name is written as a name of this entity and of no other",
    "sounded_name": "every word is written as in a name of this entity, or as it sounds",
    "long_acronym": "it is an acronym that only the name of this entity gives",
    "unique_initials": "these initials are of this entity and of no other name of the table",
    "rare_family_name": "it is the rare family name of this person and of no other name",
    "no_candidates": "no entity of the table comes close",
    "below_threshold": "the best candidate scores under the threshold",
    "no_lead": "another entity comes as near: the name is ambiguous",
    "shared_word": "it is one word that names of more than one entity have",
}

Page = str | tuple[str, int] | BaseResponse


def page(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
    values.update(signed_in=ui_session.signed_in(), csrf=ui_session.csrf_token())
    return render_template(f"ui/{template}", **values), status


def guarded(for_lookups: bool) -> BaseResponse | None:
    """A redirect to the sign-in page if the page needs a curator and none is signed in."""
    try:
        ui_session.need_curator(for_lookups)
    except Unauthorized:
        if request.method != "GET":
            raise
        return redirect(url_for("ui.sign_in", next=request.full_path.rstrip("?")))
    return None


@bp.get("")
def search() -> Page:
    if (elsewhere := guarded(for_lookups=True)) is not None:
        return elsewhere
    query = request.args.get("q", "")
    problem = text_problem(query, settings().max_name_length)
    if problem is not None:
        return page("search.html", 400, query=query, problem=f"The name {problem}.")
    resolution = None
    if query.strip():
        with gate().turn(deadline()):
            found = service().matcher.resolve(query, None, RESULTS, deadline(), explain=True)
        resolution = found.to_json(explain=True)
    why = WHY[resolution["decision"]] if resolution else ""
    return page("search.html", query=query, resolution=resolution, why=why)


@bp.get("/entities/<entity_id>")
def entity(entity_id: str) -> Page:
    if (elsewhere := guarded(for_lookups=True)) is not None:
        return elsewhere
    found = service().entity(entity_id)
    if found is None:
        raise NotFound(f"no entity with id {entity_id!r}", field="id")
    return page("entity.html", entity=found)


def _within_ui(target: str) -> str:
    """``target`` if it is a path of these pages, else the search page: a sign-in link
    must not send the curator to another site."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/ui"):
        return url_for("ui.search")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Page:
    if not settings().admin_token:
        raise NotFound(ui_session.OFF)
    target = _within_ui(request.values.get("next", ""))
    if request.method == "GET":
        return page("sign_in.html", target=target)
    if ui_session.sign_in(request.form.get("token", "")):
        return redirect(target, code=303)
    return page("sign_in.html", 401, target=target, problem="That is not the admin token.")


@bp.post("/sign-out")
def sign_out() -> Page:
    ui_session.need_curator(for_lookups=False)
    ui_session.sign_out()
    return redirect(url_for("ui.search"), code=303)
