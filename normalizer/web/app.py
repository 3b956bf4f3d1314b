"""The Flask application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request

from normalizer.service import Service
from normalizer.settings import Settings
from normalizer.web import (
    annotate,
    auth,
    cors,
    metrics,
    openapi,
    ops,
    reconcile,
    request_log,
    resolve,
    review,
    ui,
    ui_review,
    ui_session,
)
from normalizer.web.context import EXTENSION, GATE, start_clock
from normalizer.web.gate import Gate
from normalizer.web.json_provider import OrjsonProvider
from normalizer.web.problems import register_error_handlers


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the ``NORMALIZER_*`` settings, ``test_config`` overriding them
    (setting names without the prefix, and Flask's own keys such as TESTING).

    With the embedded store the table is compiled before the first request; with Redis the
    workers share the table there and compile nothing, unless Redis has none (then one
    worker loads it in the background). Raises SettingsError for a bad setting.
    """
    settings = Settings.load(overrides=test_config)
    app = Flask(__name__)
    # Keys in the documented order, names as written (not \u escapes).
    app.json = OrjsonProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_content_length
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions[EXTENSION] = running = Service.start(settings)
    app.extensions[GATE] = Gate(settings.resolving)
    register_error_handlers(app)
    # The time budget and the latency count from here, before the body is read.
    app.before_request(start_clock)
    app.before_request(running.follow_files)
    # First registered, their after_request hooks run last: they see the final response.
    request_log.init_app(app, settings)
    metrics.init_app(app, running)
    auth.init_app(app, settings.api_keys)
    cors.init_app(app, settings.cors_origins)
    ui_session.init_app(app, settings)
    app.after_request(_options_without_a_page)
    app.register_blueprint(resolve.bp)
    app.register_blueprint(annotate.bp)
    app.register_blueprint(ops.bp)
    app.register_blueprint(reconcile.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(ui.bp)
    app.register_blueprint(ui_review.bp)
    openapi.init_app(app)
    return app


def _options_without_a_page(response: Response) -> Response:
    """Flask answers OPTIONS itself, with an empty text/html 200: say 204 No Content."""
    if request.method == "OPTIONS" and response.status_code == 200 and not response.data:
        response.status_code = 204
        del response.headers["Content-Type"]
    return response
