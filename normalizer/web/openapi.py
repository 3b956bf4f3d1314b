"""/openapi.json and /docs, by spectree: the views are decorated with the pydantic models
of their parameters (web/params.py, web/review_params.py) and answers (web/schemas.py,
web/review_schemas.py); the same models check each request here and describe it in the
document, so the two cannot drift apart.

Two things differ from spectree's defaults: a refused request is our problem+json 400 that
names the field (not spectree's list of pydantic errors), and a body is read by
web/body.py (415 for other media types, 413 however it is sent) before its model sees it.
"""

from __future__ import annotations

import copy
from functools import cache
from importlib.metadata import version
from typing import Any

from flask import Blueprint, Flask, jsonify, make_response
from flask.typing import ResponseReturnValue
from offapi import OpenAPITemplate
from pydantic import BaseModel, ValidationError
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree
from spectree.models import SecureType
from spectree.plugins.base import Context
from spectree.plugins.flask_plugin import FlaskPlugin

from normalizer.exc import BadRequest
from normalizer.web.body import json_body
from normalizer.web.context import settings
from normalizer.web.problems import PROBLEM_JSON
from normalizer.web.schemas import Problem

ERRORS = {
    400: "A parameter or field is wrong (the problem's field names it)",
    401: "The bearer token is missing or wrong",
    404: "Not found",
    409: "The service cannot do this in its present state",
    413: "The body is larger than NORMALIZER_MAX_CONTENT_LENGTH",
    415: "The body is not application/json in UTF-8",
    422: "The configured aliases do not compile (each problem named by file and line)",
    503: "No table is loaded, its store does not answer, or the request ran out of its "
    "time budget (retry after Retry-After)",
}
# What pydantic's refusals say, after the field's name.
_SAYS = {
    "string_type": "must be a string",
    "string_too_short": "is empty",
    "string_unicode": "is not valid Unicode (lone surrogate)",
    "int_type": "must be a JSON integer",
    "bool_type": "must be a JSON boolean (true or false)",
    "list_type": "must be a list of strings",
}


class _ProblemPlugin(FlaskPlugin):
    """Spectree's Flask plugin, refusing with our problems and reading bodies strictly."""

    def request_validation(
        self, request: Any, query: Any, json: Any, form: Any, headers: Any, cookies: Any
    ) -> None:
        request.context = Context(
            # A repeated query parameter counts once, its first value (as Flask reads it).
            _checked(query, request.args.to_dict(), "query") if query else None,
            _checked(json, json_body(), "body") if json else None,
            None,
            None,
            None,
        )

    def validate_response(self, resp: Any, *_: Any) -> tuple[Any, None]:
        """Responses go out as the views wrote them (orjson's bytes); the suite checks them
        against the document (tests/test_openapi.py), not every request in production."""
        return make_response(resp), None


def _checked(model: type[BaseModel], value: Any, where: str) -> BaseModel:
    try:
        return model.model_validate(value, context=settings())
    except ValidationError as error:
        raise _refusal(error, where) from None


def _refusal(error: ValidationError, where: str) -> BadRequest:
    """The first thing wrong, as a 400 naming its field (unknown fields all at once)."""
    errors = error.errors(include_url=False)
    unknown = sorted(str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden")
    if unknown:
        return BadRequest(f"unknown field(s): {', '.join(unknown)}", field=unknown[0])
    first = errors[0]
    if not first["loc"]:
        return BadRequest("the body must be a JSON object with a names list", field="body")
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
    field = field.lstrip(".")
    if first["type"] == "missing":
        what = "the query parameter" if where == "query" else "the field"
        return BadRequest(f"{what} {field} is required", field=field)
    says = first["msg"] if first["type"] == "normalizer" else _SAYS.get(first["type"])
    return BadRequest(f"{field} {says}" if says else f"{field}: {first['msg']}", field=field)


api = SpecTree(
    backend=_ProblemPlugin,
    mode="strict",  # only the decorated views: the API, not the service's other pages
    path="docs",
    title="normalizer",
    description="Resolve name variants, in any script, to the canonical entities of a "
    "curated alias table. Errors are RFC 9457 problem documents "
    "(application/problem+json), with the status and a `field` naming the parameter at "
    "fault; besides each operation's own, any path answers 404 if unknown and 405 (with "
    "Allow) to a method it does not take.",
    version=version("normalizer"),
    validation_error_status=400,
    validation_error_model=Problem,
    # Components by their model's name (Resolution, Candidate...), nested ones shared.
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
    security_schemes=[
        SecurityScheme(
            name="admin", data=SecuritySchemeData(type=SecureType.HTTP, scheme="bearer")
        ),
    ],
)


def answers(ok: type[BaseModel], *errors: int) -> Response:
    """The 200 and the problems an operation answers with."""
    problems: dict[str, Any] = {f"HTTP_{code}": (Problem, ERRORS[code]) for code in errors}
    return Response(HTTP_200=ok, **problems)


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document: spectree's, with the problems' media type."""
    spec: dict[str, Any] = copy.deepcopy(api.spec)
    for operations in spec["paths"].values():
        for operation in operations.values():
            if not operation["parameters"] and "requestBody" not in operation:
                operation["responses"].pop("400", None)  # nothing to refuse
            for code, answer in operation["responses"].items():
                if int(code) >= 400:
                    answer["content"] = {PROBLEM_JSON: answer["content"]["application/json"]}
    return spec


bp = Blueprint("openapi", __name__)  # spectree leaves "openapi*" endpoints out


@bp.get("/openapi.json")
def openapi_json() -> ResponseReturnValue:
    return jsonify(document())


@bp.get("/docs")
def docs() -> ResponseReturnValue:
    return _page(), {"Content-Type": "text/html; charset=utf-8"}


@cache
def _page() -> str:
    """Swagger UI with its scripts and styles inline (offapi ships them): no CDN. The
    validator badge is off: it would fetch an image from validator.swagger.io."""
    layout = 'layout: "StandaloneLayout",'
    template: str = OpenAPITemplate.SWAGGER.value
    assert layout in template
    page = template.replace(layout, layout + "\n        validatorUrl: null,")
    return page.format(spec_url="openapi.json")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
