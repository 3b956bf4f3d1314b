"""Store events an operator counts (Redis errors, reconnects), told to whoever listens.

The store layer knows when Redis fails but not how the service reports it; the app
registers a listener (web/metrics.py) that turns each event into a metric.
"""

from __future__ import annotations

from collections.abc import Callable

# An event's name ("redis_error", "redis_reconnect") and its kind ("unreachable", ...).
Listener = Callable[[str, str], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call ``listener`` on every event from now on (once, however often registered)."""
    if listener not in _listeners:
        _listeners.append(listener)


def emit(event: str, kind: str = "") -> None:
    for listener in _listeners:
        listener(event, kind)
