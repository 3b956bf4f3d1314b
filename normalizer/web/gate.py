"""How many requests of a worker resolve names at once.

A worker's threads wait on slow clients cheaply, but resolving is CPU work under one GIL:
sixteen requests resolving together each take sixteen times as long, and the slowest
finish far later than if they had taken turns. So a few at a time resolve (enough to
overlap one's Redis round trips with another's matching), the others wait their turn
within their time budget, and a request that cannot get a turn before its deadline is
refused with a 503 rather than kept.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from normalizer.exc import OutOfTime


class Gate:
    """``slots`` turns at a time, given in the order asked for: a semaphore lets a newcomer
    take a freed slot before those waiting, and the unlucky wait far longer."""

    def __init__(self, slots: int) -> None:
        self._lock = threading.Lock()
        self._free = slots
        self._waiting: deque[threading.Event] = deque()

    @contextmanager
    def turn(self, deadline: float) -> Iterator[None]:
        """Wait for a slot until ``deadline`` (``time.monotonic()``), then hold it."""
        with self._lock:
            ticket = None
            if self._free and not self._waiting:
                self._free -= 1
            else:
                ticket = threading.Event()
                self._waiting.append(ticket)
        if ticket is not None and not ticket.wait(max(0.0, deadline - time.monotonic())):
            with self._lock:
                if not ticket.is_set():  # else it was handed a slot just now: take it
                    self._waiting.remove(ticket)
                    raise OutOfTime("the server is busy: no turn to resolve within the time budget")
        try:
            yield
        finally:
            with self._lock:
                if self._waiting:
                    self._waiting.popleft().set()  # the slot passes on, never freed between
                else:
                    self._free += 1
