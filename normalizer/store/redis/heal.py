"""Self-healing: when Redis has no table (it restarted without persistence), the first
worker to notice takes the load lock and reloads the table from its source in a thread.
Meanwhile every worker answers 503.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from normalizer.exc import NotReady
from normalizer.store.redis.client import Connection, reachable
from normalizer.store.redis.layout import Keys
from normalizer.store.redis.lock import LoadLock
from normalizer.store.redis.publish import LoadReport
from normalizer.table.compiler import CompiledTable

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0  # a process tries at most this often


class Healer:
    """Args:
    source: compiles the table to load.
    load: loads a table under a lock already held (and does not release it).
    """

    def __init__(
        self,
        connection: Connection,
        keys: Keys,
        source: Callable[[], CompiledTable],
        load: Callable[[CompiledTable, LoadLock], LoadReport],
    ) -> None:
        self.connection = connection
        self.keys = keys
        self.source = source
        self.load = load
        self._healing = threading.Lock()
        self._next_try = 0.0

    def lost(self) -> str:
        """Redis has no table: start reloading it, unless another worker already is; why
        there is no answer, for the 503."""
        now = time.monotonic()
        if now >= self._next_try and self._healing.acquire(blocking=False):
            self._next_try = now + RETRY_SECONDS
            lock, won = LoadLock(self.connection, self.keys.lock), False
            try:
                won = lock.acquire(wait=0)
            except NotReady:
                pass
            finally:
                if won:  # the heal thread releases both locks
                    threading.Thread(target=self._heal, args=(lock,), daemon=True).start()
                else:
                    self._healing.release()
        return "no alias table is loaded in Redis; it is being reloaded"

    def _heal(self, lock: LoadLock) -> None:
        try:
            with reachable():
                if self.connection.client.exists(self.keys.current):
                    return  # another process has loaded a table meanwhile
            log.warning("Redis has no alias table: reloading it")
            report = self.load(self.source(), lock)
            log.warning("alias table %s reloaded into Redis", report.version)
        except Exception:
            log.exception("reloading the alias table into Redis failed")
        finally:
            lock.release()
            self._healing.release()
