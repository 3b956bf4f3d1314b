"""The Flask application factory, and the problem+json error handlers."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, json
from werkzeug.exceptions import HTTPException

from normalizer.exc import AliasProblem, AliasTableError, NormalizerError
from normalizer.match.matcher import Matcher
from normalizer.service import Service, build_table
from normalizer.settings import DEFAULTS, bundled_aliases, redis_target
from normalizer.store.base import MemoryStore, Store

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


def _redis_store(app: Flask, aliases: Path) -> Store | None:
    """The Redis store if Redis is configured. It connects on first use, so that a worker
    starts while Redis is down, and reloads ``aliases`` itself if Redis has no table."""
    url, nodes = redis_target(app.config, app.testing)
    if not (url or nodes):
        return None
    from normalizer.store.redis.reader import RedisStore, connect

    config = app.config
    return RedisStore(
        lambda: connect(url, nodes, float(config["REDIS_TIMEOUT"])),
        config["REDIS_PREFIX"],
        source=lambda: build_table(aliases),
        refresh=float(config["REDIS_REFRESH"]),
        grace=float(config["REDIS_GRACE"]),
        tune=bool(config["REDIS_TUNE"]),
        cache_size=int(config["REDIS_CACHE"]),
    )


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app. With the embedded store the table is compiled before the first
    request; with Redis the workers share the table there and compile nothing, unless
    Redis has none (then one worker loads it in the background)."""
    app = Flask(__name__)
    # Keys in the documented order, names as written (not \u escapes).
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("NORMALIZER")
    if test_config:
        app.config.from_mapping(test_config)
    aliases = Path(app.config["ALIASES"] or bundled_aliases())

    shared = _redis_store(app, aliases)
    store = shared or MemoryStore()
    matcher = Matcher(store, float(app.config["THRESHOLD"]), float(app.config["MARGIN"]))
    service = Service(store, matcher, aliases)
    if shared is None:
        service.reload()
    elif not aliases.exists():
        raise AliasTableError([AliasProblem(str(aliases), 0, "no such file or folder")])
    elif not shared.ready():
        log.warning("Redis has no alias table or does not answer: 503 until it does")
    app.extensions["normalizer"] = service

    app.register_error_handler(NormalizerError, _on_normalizer_error)
    app.register_error_handler(HTTPException, _on_http_error)
    app.register_error_handler(Exception, _on_unexpected)

    from normalizer.web.api import bp

    app.register_blueprint(bp)
    return app


def service() -> Service:
    """The service of the app handling the current request."""
    found: Service = current_app.extensions["normalizer"]
    return found
