"""Events an operator counts (Redis errors, reconnects; lookups in the cache of finished
answers), told to whoever listens.

The store and match layers know when Redis fails or an answer was kept, but not how the
service reports it; the app registers a listener (web/metrics.py) that turns each event
into a metric.
"""

from __future__ import annotations

from collections.abc import Callable

# An event's name ("redis_error", "redis_reconnect", "answer_cache") and its kind
# ("unreachable", ..., "hit", "miss").
Listener = Callable[[str, str, int], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call ``listener`` on every event from now on (once, however often registered)."""
    if listener not in _listeners:
        _listeners.append(listener)


def emit(event: str, kind: str = "", count: int = 1) -> None:
    """Tell the listeners ``count`` events of a kind happened (a batch's, at once)."""
    for listener in _listeners:
        listener(event, kind, count)
