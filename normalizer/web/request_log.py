"""The log: one line per request (JSON by default), and the request id that ties it to the
client's own records.

A line says who asked what kind of thing and how it went: the request id, method, route
rule, status, time and number of names; never the names or the body, which are the
callers' data and would make the log a copy of every lookup. It replaces gunicorn's
access log (off in ``normalizer serve``); gunicorn's error log stays, on stderr.
"""

from __future__ import annotations

import logging
import sys
import uuid

from flask import Flask, Response, g, request
from pythonjsonlogger.orjson import OrjsonFormatter

from normalizer.settings import Settings
from normalizer.web.context import elapsed
from normalizer.web.metrics import endpoint

log = logging.getLogger("normalizer.request")
HEADER = "X-Request-ID"
LONGEST_ID = 128
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(settings: Settings) -> None:
    """Send the package's log to stdout, as JSON lines or text, from INFO up: done by the
    server (web/gunicorn_conf.py, ``serve --debug``), not by the app, which the CLI also
    uses and whose stdout is its output. Called again, it replaces its handler."""
    logger = logging.getLogger("normalizer")
    for handler in [h for h in logger.handlers if getattr(h, "ours", False)]:
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stdout)
    handler.ours = True  # type: ignore[attr-defined]
    if settings.log_format == "json":
        # orjson (a dependency already) writes a line in a third of the standard library's time.
        handler.setFormatter(
            OrjsonFormatter(
                "{levelname}{name}{process}{message}",
                style="{",
                timestamp=True,
                rename_fields={"levelname": "level", "name": "logger", "process": "pid"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def request_id(given: str | None) -> str:
    """The client's X-Request-ID if it is 1 to 128 printable ASCII characters (no spaces,
    nothing that could forge a log line or a header), else a new one."""
    if given and len(given) <= LONGEST_ID and all("!" <= c <= "~" for c in given):
        return given
    return uuid.uuid4().hex


def _start() -> None:
    g.request_id = request_id(request.headers.get(HEADER))


def _log_line(response: Response) -> Response:
    rid = g.get("request_id") or request_id(None)
    response.headers[HEADER] = rid
    seconds = elapsed()
    milliseconds = None if seconds is None else round(seconds * 1000, 2)
    where = endpoint()
    fields = {
        "request_id": rid,
        "method": request.method,
        "endpoint": where,
        "status": response.status_code,
        "latency_ms": milliseconds,
        "batch_size": g.get("batch_size"),
        "api_key": g.get("api_key_id"),
    }
    log.info(
        "%s %s %d %s ms",
        request.method,
        where,
        response.status_code,
        milliseconds,
        extra={k: v for k, v in fields.items() if v is not None},
    )
    return response


def _id_only(response: Response) -> Response:
    response.headers[HEADER] = g.get("request_id") or request_id(None)
    return response


def init_app(app: Flask, settings: Settings) -> None:
    """Give every request an id and, unless NORMALIZER_REQUEST_LOG is off, a log line
    (register before the hooks that change responses, so that it logs the final status)."""
    app.before_request(_start)
    app.after_request(_log_line if settings.request_log else _id_only)
