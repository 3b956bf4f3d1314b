"""The review queue in a SQLite file, for the embedded store: every worker process of the
service (and the CLI) opens the same file, so a miss seen by any worker is in the one queue.

SQLite serialises the writers; WAL lets readers go on meanwhile. A connection is opened
per process on first use (never carried across gunicorn's fork) and shared by its threads
under a lock. A file that cannot be opened or written (a bad path, a lock held too long)
is a NotReady naming it, as an unreachable Redis is.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import orjson

from normalizer.exc import NotReady
from normalizer.store.review import Miss, QueuedName, Suggestion, once_each, review_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS queued (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL,
    suggestions BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS queued_by_count ON queued (count DESC, last_seen DESC);
CREATE INDEX IF NOT EXISTS queued_by_age ON queued (last_seen);
CREATE TABLE IF NOT EXISTS rejected (key TEXT PRIMARY KEY, name TEXT NOT NULL, at REAL NOT NULL);
"""
COUNT = """
INSERT INTO queued (key, name, count, first_seen, last_seen, suggestions)
SELECT ?, ?, 1, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM rejected WHERE key = ?1)
ON CONFLICT (key) DO UPDATE SET
    count = count + 1, last_seen = excluded.last_seen, suggestions = excluded.suggestions
"""
# The least frequent go first, the longest unseen among equals; never the names just
# counted, or a full queue of names seen twice would turn every new name away.
TRIM = """
DELETE FROM queued WHERE key IN (
    SELECT key FROM queued WHERE key NOT IN (SELECT value FROM json_each(?))
    ORDER BY count ASC, last_seen ASC LIMIT max(0, (SELECT count(*) FROM queued) - ?)
)
"""
COLUMNS = "name, count, first_seen, last_seen, suggestions"
# Seconds a writer waits for another's lock: a write takes milliseconds, and the service
# writes from a background thread (store/review_writer.py), never from a lookup.
BUSY_TIMEOUT = 5.0


def _entry(row: tuple[str, int, float, float, bytes]) -> QueuedName:
    name, count, first_seen, last_seen, packed = row
    suggestions = tuple(Suggestion.from_json(s) for s in orjson.loads(packed))
    return QueuedName(name, count, first_seen, last_seen, suggestions)


class SqliteReviewQueue:
    def __init__(self, path: Path, size: int, retention: float) -> None:
        self.path = path
        self.size = size
        self.retention = retention
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._pid = 0

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                if self._connection is None or self._pid != os.getpid():
                    self._connection = self._open()
                    self._pid = os.getpid()
                with self._connection:
                    yield self._connection
            except (sqlite3.Error, OSError) as error:
                raise NotReady(f"the review queue {self.path} failed: {error}") from None

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, check_same_thread=False)
        connection.execute("PRAGMA journal_mode = WAL")
        # A commit waits for no fsync (WAL's checkpoints do): a power cut may lose the last
        # counts of a queue that is only a hint for curators.
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.executescript(SCHEMA)
        return connection

    def record(self, misses: Sequence[Miss], now: float) -> None:
        rows = [
            (
                review_key(miss.name),
                miss.name,
                now,
                now,
                orjson.dumps([s.to_json() for s in miss.suggestions]),
            )
            for miss in once_each(misses)
        ]
        if not rows:
            return
        with self._transaction() as db:
            db.executemany(COUNT, rows)
            db.execute("DELETE FROM queued WHERE last_seen < ?", (now - self.retention,))
            db.execute(TRIM, (orjson.dumps([row[0] for row in rows]), self.size))

    def top(self, limit: int, now: float) -> list[QueuedName]:
        with self._transaction() as db:
            rows = db.execute(
                f"SELECT {COLUMNS} FROM queued WHERE last_seen >= ? "
                "ORDER BY count DESC, last_seen DESC LIMIT ?",
                (now - self.retention, limit),
            ).fetchall()
        return [_entry(row) for row in rows]

    def get(self, name: str) -> QueuedName | None:
        with self._transaction() as db:
            row = db.execute(
                f"SELECT {COLUMNS} FROM queued WHERE key = ?", (review_key(name),)
            ).fetchone()
        return None if row is None else _entry(row)

    def remove(self, name: str) -> bool:
        with self._transaction() as db:
            gone = db.execute("DELETE FROM queued WHERE key = ?", (review_key(name),))
        return gone.rowcount > 0

    def reject(self, name: str, now: float) -> bool:
        key = review_key(name)
        with self._transaction() as db:
            gone = db.execute("DELETE FROM queued WHERE key = ?", (key,))
            db.execute(
                "INSERT INTO rejected (key, name, at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET at = excluded.at",
                (key, name, now),
            )
        return gone.rowcount > 0

    def is_rejected(self, name: str) -> bool:
        with self._transaction() as db:
            row = db.execute("SELECT 1 FROM rejected WHERE key = ?", (review_key(name),))
            return row.fetchone() is not None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
