"""A circuit breaker in front of Redis, for the read path.

A hung Redis makes every lookup wait the full socket timeout; under load the requests
queue behind each other and clients time out before they hear anything. After a failure
to reach Redis, the breaker answers 503 at once for a second, then lets one request
through to probe: if it succeeds the breaker closes, if not it stays open another second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from normalizer.exc import NotReady
from normalizer.store.redis.client import UNREACHABLE, reachable

COOLDOWN_SECONDS = 1.0


class Breaker:
    """Fail fast for ``cooldown`` seconds after Redis could not be reached."""

    def __init__(self, cooldown: float = COOLDOWN_SECONDS) -> None:
        self.cooldown = cooldown
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._failure = ""

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Run a Redis call, or refuse it at once while the breaker is open. Errors as
        ``reachable()`` raises them (NotReady)."""
        with self._lock:
            now = time.monotonic()
            if now < self._open_until:
                left = self._open_until - now
                raise NotReady(f"{self._failure}; Redis is asked again in {left:.1f} s")
            if self._open_until:
                # Half-open: this call probes; the others keep failing fast meanwhile.
                self._open_until = now + self.cooldown
        answered = True
        try:
            with reachable():
                try:
                    yield
                except UNREACHABLE as error:  # before reachable() makes it a NotReady
                    answered = False
                    self._trip(f"Redis is unreachable: {error}")
                    raise
        finally:
            if answered:
                self._open_until = 0.0

    def _trip(self, failure: str) -> None:
        with self._lock:
            self._open_until = time.monotonic() + self.cooldown
            self._failure = failure
