"""gunicorn's configuration in ``normalizer serve`` (``-c python:normalizer.web.gunicorn_conf``):
the log set up before the app is loaded, and the hooks that keep the workers' metrics right
(web/metrics.py)."""

from __future__ import annotations

import os
import shutil
from typing import Any

from prometheus_client import multiprocess

from normalizer.settings import Settings
from normalizer.web.metrics import MULTIPROC_DIR, OWNED_DIR
from normalizer.web.request_log import configure_logging

# gunicorn reads this module in its master, before it loads (with --preload) the app: the
# lines of the table's compilation are in the log too, and the workers inherit it.
configure_logging(Settings.load())


def child_exit(server: Any, worker: Any) -> None:
    """A worker is gone: its live gauges go too (its counts stay in the totals)."""
    if MULTIPROC_DIR in os.environ:
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def on_exit(server: Any) -> None:
    """The server stops: a metrics folder `normalizer serve` made is removed."""
    folder = os.environ.get(MULTIPROC_DIR)
    if folder and os.environ.get(OWNED_DIR) == folder:
        shutil.rmtree(folder, ignore_errors=True)
