"""The Redis store: the ``Store`` the service uses, over the reader, the loads and the
self-healing of this package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from normalizer.exc import Conflict, NotReady
from normalizer.store.redis.client import Client, Connection
from normalizer.store.redis.heal import Healer
from normalizer.store.redis.keeper import Keeper
from normalizer.store.redis.layout import Keys
from normalizer.store.redis.load import Vet, load_files, load_table
from normalizer.store.redis.lock import LoadLock
from normalizer.store.redis.publish import LoadReport, Progress, Publisher
from normalizer.store.redis.reader import Reader, RedisView
from normalizer.table.compiler import CompiledTable


class RedisStore:
    """The table in Redis.

    Args:
        client: a client, or a function that makes one on first use (so that a worker
            starts while Redis is down).
        prefix: the key prefix.
        source: compiles the table to load when Redis has none (None: no self-healing).
        refresh: seconds a worker trusts its version without reading the pointer.
        grace: seconds a replaced version stays readable.
        tune: let a load raise Redis' hash-max-listpack-value (see ``listpack``).
        lock_wait: seconds a load waits for another load to finish.
        cache_size: values (or absences) a worker keeps per version; 0 for none.
    """

    shared = True

    def __init__(
        self,
        client: Client | Callable[[], Client],
        prefix: str = "normalizer",
        *,
        source: Callable[[], CompiledTable] | None = None,
        refresh: float = 0.5,
        grace: float = 60.0,
        tune: bool = True,
        lock_wait: float = 30.0,
        cache_size: int = 100_000,
    ) -> None:
        self.connection = Connection(client)
        self.keys = Keys(prefix)
        self.grace = grace
        self.tune = tune
        self.lock_wait = lock_wait
        healer = source and Healer(self.connection, self.keys, source, self._load_locked)
        lost = healer.lost if healer else lambda _: "no alias table is loaded in Redis"
        self.reader = Reader(self.connection, self.keys, refresh, cache_size, lost)
        self.keeper = Keeper(self.reader)

    @property
    def client(self) -> Client:
        return self.connection.client

    def close(self) -> None:
        self.keeper.stop()
        self.connection.close()

    def view(self) -> RedisView:
        self.keeper.start()
        return self.reader.view()

    def ready(self) -> bool:
        """Redis answers and has a table: a live check (which starts a reload if needed)."""
        self.keeper.start()
        try:
            self.reader.pin()
        except NotReady:
            return False
        return True

    def publish(self, table: CompiledTable) -> str:
        return self.load(table).version

    def load(
        self, table: CompiledTable, progress: Progress | None = None, jobs: int = 1
    ) -> LoadReport:
        """Write ``table`` under a new version and switch to it. ``jobs`` > 1 writes in
        forked processes: only for a process of its own."""
        return self._locked(lambda publisher: load_table(publisher, table), progress, jobs)

    def load_path(
        self, path: Path, progress: Progress | None = None, jobs: int = 1, vet: Vet | None = None
    ) -> LoadReport:
        """Validate, compile and load the alias files at ``path``: big ones in ``jobs``
        forked processes, which read, compile and write a run of the files each (only for
        a process of its own). Raises AliasTableError for a bad table, or one ``vet``
        refuses (see ``load_files``)."""
        return self._locked(lambda publisher: load_files(publisher, path, vet), progress, jobs)

    def _locked(
        self, run: Callable[[Publisher], LoadReport], progress: Progress | None, jobs: int
    ) -> LoadReport:
        lock = LoadLock(self.connection, self.keys.lock)
        if not lock.acquire(wait=self.lock_wait):
            raise Conflict("another load of the alias table is running; retry later")
        try:
            return self._run(run, lock, progress, jobs)
        finally:
            lock.release()

    def _load_locked(self, table: CompiledTable, lock: LoadLock) -> LoadReport:
        """Load ``table`` under a lock the caller holds (and releases)."""
        return self._run(lambda publisher: load_table(publisher, table), lock, None, 1)

    def _run(
        self,
        run: Callable[[Publisher], LoadReport],
        lock: LoadLock,
        progress: Progress | None,
        jobs: int,
    ) -> LoadReport:
        publisher = Publisher(self.connection, self.keys, lock, self.grace, self.tune, max(1, jobs))
        if progress is not None:
            publisher.progress = progress
        report = run(publisher)
        self.reader.pinned = None  # this process knows the pointer moved: no grace needed
        return report
