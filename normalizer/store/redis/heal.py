"""Self-healing: when Redis has no table (it restarted without persistence), the first
worker to notice takes the load lock and reloads the table from its source in a thread.
Meanwhile every worker answers 503.

Only the table that was lost comes back. Each worker notes the version it had in force in
Redis (``{P}:lost``, which every worker and instance sees; the newest version noted wins,
and idle workers keep theirs current, ``keeper``). The reload waits NOTE_SECONDS for the
notes, then loads the service's own aliases only if they compile to the noted table (the
same fingerprint). If the lost table came from elsewhere (``normalizer load other.jsonl``),
the service stays 503 and says which table was lost and the command that reloads it: an
answer from another table than the one loaded would be wrong without a word. With no note
(Redis was empty from the start), the service's aliases are loaded, as at a first start.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable

from normalizer.exc import NotReady
from normalizer.store.redis.client import Connection, reachable
from normalizer.store.redis.layout import Keys
from normalizer.store.redis.lock import LoadLock
from normalizer.store.redis.publish import LoadReport
from normalizer.store.redis.version import Version
from normalizer.table.compiler import CompiledTable

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0  # a process tries at most this often
# Seconds a reload waits for every worker to note the version it had (each reads the
# pointer at least every ``refresh``, 0.5 s): the newest noted is the one to restore.
NOTE_SECONDS = 1.5
NOTE_SCRIPT = """
-- KEYS[1]: the note; ARGV[1]: a worker's note of the version it had, ARGV[2]: when that
-- version was loaded. A worker idle since a newer load knows an older one: the newest wins.
local old = redis.call('GET', KEYS[1])
if not old or cjson.decode(old)['created'] < ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[1])
  return ARGV[1]
end
return old
"""


@dataclasses.dataclass(frozen=True)
class LostTable:
    """What a worker knew of the version in force when Redis lost it."""

    version: str
    fingerprint: str
    source: str
    entities: int
    created: str

    @classmethod
    def of(cls, version: Version) -> LostTable:
        meta = version.meta
        return cls(version.id, version.fingerprint, meta.source, meta.entities, version.created)

    def reload_command(self) -> str:
        return f"normalizer load {self.source or '<its alias files>'}"


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
        # The lost table's fingerprint the service's aliases were found not to be, and why.
        self._refused: tuple[str, str] | None = None

    def lost(self, previous: Version | None) -> str:
        """Redis has no table (``previous``: the version this worker had in force, if
        any): start reloading it if it can be, unless another worker already is; why there
        is no answer, for the 503."""
        lost = self._note(previous)
        if lost is not None and self._refused and self._refused[0] == lost.fingerprint:
            return self._refused[1]
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
        if lost is None:
            return "no alias table is loaded in Redis; it is being reloaded"
        return (
            f"Redis lost alias table {lost.version}; it is reloaded if the service's alias "
            f"files are that table, else: {lost.reload_command()}"
        )

    def _note(self, previous: Version | None) -> LostTable | None:
        """The lost table: the newest version any worker noted, ``previous`` among them."""
        with reachable():
            if previous is None:
                raw = self.connection.client.get(self.keys.lost)
            else:
                lost = LostTable.of(previous)
                raw = self.connection.script(NOTE_SCRIPT)(
                    keys=[self.keys.lost], args=[json.dumps(dataclasses.asdict(lost)), lost.created]
                )
        return LostTable(**json.loads(raw)) if isinstance(raw, bytes) else None

    def _heal(self, lock: LoadLock) -> None:
        try:
            # Even a worker that knew no version waits: another may have known one.
            time.sleep(NOTE_SECONDS)
            lost = self._note(None)
            with reachable():
                if self.connection.client.exists(self.keys.current):
                    return  # another process has loaded a table meanwhile
            log.warning("Redis has no alias table: reloading it")
            table = self.source()
            if lost is not None and table.meta.version != lost.fingerprint:
                self._refused = (lost.fingerprint, _refusal(lost, table))
                log.error("%s", self._refused[1])
                return
            report = self.load(table, lock)
            log.warning("alias table %s reloaded into Redis", report.version)
        except Exception:
            log.exception("reloading the alias table into Redis failed")
        finally:
            lock.release()
            self._healing.release()


def _refusal(lost: LostTable, table: CompiledTable) -> str:
    return (
        f"Redis lost alias table {lost.version} ({lost.entities} entities, loaded from "
        f"{lost.source or 'files this service does not know'}); the service's aliases "
        f"({table.meta.source or 'configured'}) are another table, so they are not loaded "
        f"in its place. Reload it: {lost.reload_command()}"
    )
