"""Recording misses in the review queue off the request path.

A lookup only appends its misses to a bounded buffer; a thread of the process writes them,
one ``record`` a request (so a name still counts once per request). A queue that is slow
or down (Redis hung, the SQLite file locked) then delays no lookup: its failure is logged
once (and its recovery), and the misses pending meanwhile are dropped. Past ``capacity``
pending requests, new ones are dropped too: the queue is a hint for curators, not a log.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Sequence

from normalizer.store.review import Miss, ReviewQueue

log = logging.getLogger(__name__)
CAPACITY = 10_000
EXIT_FLUSH = 2.0  # seconds a process leaving waits for its pending misses


class ReviewWriter:
    def __init__(self, queue: ReviewQueue, capacity: int = CAPACITY) -> None:
        self.queue = queue
        self.capacity = capacity
        self._pending: deque[tuple[Sequence[Miss], float]] = deque()
        self._changed = threading.Condition()
        self._writing = False
        self._failing = False
        self._dropped = 0
        self._pid = 0  # the process whose thread runs: a forked worker starts its own

    def offer(self, misses: Sequence[Miss], now: float | None = None) -> None:
        """Queue ``misses`` (one request's) for writing; never waits on the queue."""
        if not misses:
            return
        with self._changed:
            if self._pid != os.getpid():
                self._start()
            if len(self._pending) >= self.capacity:
                self._dropped += 1
                return
            self._pending.append((misses, time.time() if now is None else now))
            self._changed.notify_all()

    def flush(self, timeout: float) -> bool:
        """Wait until every pending miss is written (or dropped); whether that happened
        within ``timeout`` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._pending and not self._writing, timeout)

    def _start(self) -> None:
        self._pending.clear()  # a parent's, which its own thread writes
        self._writing = False
        self._pid = os.getpid()
        threading.Thread(target=self._run, name="review-writer", daemon=True).start()
        atexit.register(self.flush, EXIT_FLUSH)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._writing = False
                self._changed.notify_all()
                self._changed.wait_for(lambda: bool(self._pending))
                misses, now = self._pending.popleft()
                self._writing = True
            self._write(misses, now)

    def _write(self, misses: Sequence[Miss], now: float) -> None:
        try:
            self.queue.record(misses, now)
        except Exception as error:  # noqa: BLE001 (whatever it is, lookups go on)
            with self._changed:
                # What came meanwhile would wait for the same failure, one at a time.
                self._dropped += 1 + len(self._pending)
                self._pending.clear()
            if not self._failing:
                log.warning("the review queue failed; misses are dropped until it works: %s", error)
            self._failing = True
            return
        with self._changed:
            dropped, self._dropped = self._dropped, 0
        if self._failing:
            log.warning("the review queue works again; %d request(s) were dropped", dropped)
        elif dropped:
            log.warning("the review queue fell behind; %d request(s) were dropped", dropped)
        self._failing = False
