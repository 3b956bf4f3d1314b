"""Keeping an idle worker's version current.

A worker reads the pointer when a lookup needs it; one that serves nothing for a while
knows an old version. That matters when Redis loses the table: the version a worker had
in force is what self-healing restores (``heal``), and a reload that no lookup has seen
since would be lost for an older one. So each worker's reader also reads the pointer
when it has not for ``refresh`` seconds (at least MIN_EVERY), in a background thread,
which also notices a lost table (and starts the reload) without waiting for traffic. A
table lost within that time of its load may still come back as the one before it.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from normalizer.exc import NotReady
from normalizer.store.redis.reader import Reader

log = logging.getLogger(__name__)
MIN_EVERY = 0.25  # seconds: a refresh of 0 (tests) must not spin


class Keeper:
    """A daemon thread per process that re-pins ``reader``'s version when it is idle."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.every = max(reader.refresh, MIN_EVERY)
        self._stop = threading.Event()
        self._pid = 0  # of the process whose thread runs (a fork has none)
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the thread in this process, once (cheap to call on every lookup)."""
        if self._pid == os.getpid() or self._stop.is_set():
            return
        with self._lock:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="normalizer-keeper", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            pinned = self.reader.pinned
            if pinned is not None and time.monotonic() - pinned.confirmed < self.every:
                continue  # lookups keep it current
            try:
                self.reader.pin()
            except NotReady:
                pass  # said to the lookups; the breaker and the healer act on it
            except Exception:
                log.exception("reading the version in force failed")
