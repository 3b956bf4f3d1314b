"""The Flask application factory, and the problem+json error handlers."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, json
from werkzeug.exceptions import HTTPException

from normalizer.exc import NormalizerError
from normalizer.matcher import Matcher
from normalizer.service import Service
from normalizer.settings import DEFAULTS, bundled_aliases
from normalizer.store import MemoryStore

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


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; the table is compiled and published before the first request."""
    app = Flask(__name__)
    # Keys in the documented order, names as written (not \u escapes).
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("NORMALIZER")
    if test_config:
        app.config.from_mapping(test_config)
    aliases = Path(app.config["ALIASES"] or bundled_aliases())

    store = MemoryStore()
    matcher = Matcher(store, float(app.config["THRESHOLD"]), float(app.config["MARGIN"]))
    service = Service(store, matcher, aliases)
    service.reload()
    app.extensions["normalizer"] = service

    app.register_error_handler(NormalizerError, _on_normalizer_error)
    app.register_error_handler(HTTPException, _on_http_error)
    app.register_error_handler(Exception, _on_unexpected)

    from normalizer.api import bp

    app.register_blueprint(bp)
    return app


def service() -> Service:
    """The service of the app handling the current request."""
    found: Service = current_app.extensions["normalizer"]
    return found
