"""The service of the app handling the current request, for the blueprints."""

from __future__ import annotations

import time

from flask import current_app, g

from normalizer.service import Service
from normalizer.settings import Settings
from normalizer.web.gate import Gate

EXTENSION = "normalizer"
GATE = "normalizer.gate"


def service() -> Service:
    found: Service = current_app.extensions[EXTENSION]
    return found


def settings() -> Settings:
    return service().settings


def deadline() -> float:
    """The ``time.monotonic()`` time the current request must be answered by, counted
    from its first call (the app makes that call before each request)."""
    found: float = g.setdefault("deadline", time.monotonic() + settings().request_budget)
    return found


def start_clock() -> None:
    """Start the current request's clocks: its time budget, and the latency the metrics and
    the log report (the app calls this first, before each request)."""
    g.started = time.perf_counter()
    deadline()


def elapsed() -> float | None:
    """Seconds since the current request's clock started, if it did."""
    started: float | None = g.get("started")
    return None if started is None else time.perf_counter() - started


def gate() -> Gate:
    found: Gate = current_app.extensions[GATE]
    return found
