"""Errors as RFC 9457 problem documents (``application/problem+json``), never HTML."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, json
from werkzeug.exceptions import HTTPException

from normalizer.exc import NormalizerError

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    """An RFC 9457 problem document."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


def _on_normalizer_error(error: NormalizerError) -> Response:
    response = problem(error.status, error.title, error.detail, field=error.field)
    if error.status == 503:
        response.headers["Retry-After"] = "1"
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="normalizer"'
    return response


def _on_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    detail = error.description or error.name
    if status == 413:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        detail = f"the request body is larger than the limit of {limit} bytes"
    response = problem(status, error.name, detail)
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return response


def _on_unexpected(error: Exception) -> Response:
    log.exception("unhandled error", exc_info=error)
    return problem(500, "Internal error", "an unexpected error occurred; it has been logged")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(NormalizerError, _on_normalizer_error)
    app.register_error_handler(HTTPException, _on_http_error)
    app.register_error_handler(Exception, _on_unexpected)
