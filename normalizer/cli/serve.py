"""``normalizer serve``: the production server (gunicorn on the app factory)."""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path

import click

from normalizer.cli.common import aliases_option, redis_option, settings_with
from normalizer.settings import variable
from normalizer.web import create_app
from normalizer.web.metrics import MULTIPROC_DIR, OWNED_DIR
from normalizer.web.request_log import configure_logging

APP_FACTORY = "normalizer.web:create_app()"
GUNICORN_CONFIG = "python:normalizer.web.gunicorn_conf"
WORKER_CLASS = "normalizer.web.worker.ProblemWorker"
# The longest request line gunicorn allows: a name of 512 characters of four UTF-8 bytes
# each, percent-encoded (6,144 bytes), fits with the rest of the URL.
REQUEST_LINE_LIMIT = 8190
# gunicorn kills a worker whose main loop is silent this long past the request budget
# (a request in a thread does not silence it; a wedged process does).
TIMEOUT_BEYOND_BUDGET = 20


@click.command(help="Run the HTTP API under gunicorn (the production server).")
@aliases_option
@redis_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--threads",
    default=16,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Threads per worker: requests in progress, or clients still sending.",
)
@click.option("--debug", is_flag=True, help="Flask's development server with the reloader.")
def serve(
    aliases: Path | None,
    redis_url: str | None,
    host: str,
    port: int,
    workers: int,
    threads: int,
    debug: bool,
) -> None:
    # Checked here, so that a bad setting is one line, not a traceback from every worker.
    settings = settings_with(aliases=aliases and aliases.resolve(), redis_url=redis_url)
    given = os.environ.get(MULTIPROC_DIR)
    if given and not os.path.isdir(given):
        # Else every worker fails at its first count, with a traceback per request.
        raise click.UsageError(f"{MULTIPROC_DIR}={given!r}: not a folder")
    # The workers read their settings from the environment: the options go there.
    if aliases is not None:
        os.environ[variable("aliases")] = str(settings.alias_path)
    if redis_url:
        os.environ[variable("redis_url")] = redis_url
    if debug:
        configure_logging(settings)
        create_app().run(host=host, port=port, debug=True)
        return
    # gunicorn from this interpreter's environment, activated or not (`make run`).
    argv = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}"]
    argv += ["--workers", str(workers), "--threads", str(threads)]
    argv += ["--worker-class", WORKER_CLASS, "--limit-request-line", str(REQUEST_LINE_LIMIT)]
    argv += ["--timeout", str(math.ceil(settings.request_budget) + TIMEOUT_BEYOND_BUDGET)]
    # No gunicorn access log: the app writes a line per request (web/request_log.py).
    argv += ["--config", GUNICORN_CONFIG, APP_FACTORY]
    _metrics_folder()
    if not settings.uses_redis:
        # The embedded store compiles the table once in the master; workers share it.
        # With Redis, workers start on their own and read the table from Redis.
        argv.insert(-1, "--preload")
    store = "Redis" if settings.uses_redis else "the embedded store"
    click.echo(
        f"normalizer: serving on http://{host}:{port} with {workers} worker(s) of {threads} "
        f"thread(s) from {store}",
        err=True,
    )
    os.execvp(argv[0], argv)


def _metrics_folder() -> None:
    """Where the workers count for /metrics: the operator's PROMETHEUS_MULTIPROC_DIR (checked
    above, before anything was changed), or a new folder (removed when gunicorn exits), so
    that no count of an earlier run is added."""
    if not os.environ.get(MULTIPROC_DIR):
        folder = tempfile.mkdtemp(prefix="normalizer-metrics-")
        os.environ[MULTIPROC_DIR] = folder
        os.environ[OWNED_DIR] = folder
