"""The load lock: loads take turns, and the lock of a process that dies expires.

It is redis-py's ``Lock`` (SET NX with a TTL; only the holder's token releases or extends
it), kept alive by a heartbeat thread while held, so that a load may take longer than the
TTL but a dead one lets go within ``LOCK_TTL`` seconds. Its token is ours, so that the
switch script can check that the lock is still held by this load.
"""

from __future__ import annotations

import logging
import secrets
import threading

import redis
from redis.lock import Lock

from normalizer.store.redis.client import Connection, reachable

log = logging.getLogger(__name__)
LOCK_TTL = 30.0


class LoadLock:
    def __init__(self, connection: Connection, name: str) -> None:
        self.connection = connection
        self.name = name
        self.token = secrets.token_hex(8)
        self._lock: Lock | None = None
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None

    def acquire(self, wait: float) -> bool:
        """Take the lock, waiting up to ``wait`` seconds for another load to finish."""
        with reachable():
            self._lock = self.connection.client.lock(
                self.name, timeout=LOCK_TTL, sleep=0.1, thread_local=False
            )
            taken = self._lock.acquire(
                blocking=wait > 0, blocking_timeout=wait or None, token=self.token
            )
        if taken:
            self._heartbeat = threading.Thread(target=self._keep, name="load-lock", daemon=True)
            self._heartbeat.start()
        return bool(taken)

    def _keep(self) -> None:
        assert self._lock is not None
        while not self._stop.wait(LOCK_TTL / 3):
            try:
                self._lock.reacquire()
            except redis.RedisError as error:
                log.warning("could not extend the load lock: %s", error)

    def release(self) -> None:
        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join()
        try:
            if self._lock is not None:
                self._lock.release()
        except redis.RedisError as error:  # it expires by itself
            log.warning("could not release the load lock: %s", error)
