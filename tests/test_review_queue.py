"""The review queue: what it counts, keeps and forgets, and that processes share it; the
same for its two homes, a SQLite file (the embedded store) and Redis (a real, throwaway
redis-server)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import redis

from normalizer.exc import NotReady
from normalizer.settings import Settings
from normalizer.store import open_review_queue
from normalizer.store.redis import connect
from normalizer.store.redis.review import RedisReviewQueue
from normalizer.store.review import DAY, Miss, ReviewQueue, Suggestion
from normalizer.store.review_sqlite import SqliteReviewQueue

pytest_plugins = ["redis_fixtures"]

NOW = 1_800_000_000.0
MENCHO = Suggestion("nemesio-oseguera-cervantes", "Nemesio Oseguera Cervantes", 0.81)


@pytest.fixture(params=["sqlite", "redis"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> ReviewQueue:
    if request.param == "sqlite":
        return SqliteReviewQueue(tmp_path / "review.sqlite3", size=3, retention=30 * DAY)
    url: str = request.getfixturevalue("redis_url")
    return RedisReviewQueue(connect(url), "test", size=3, retention=30 * DAY)


def test_a_name_is_counted_once_a_request_under_its_folded_key(queue: ReviewQueue) -> None:
    queue.record([Miss("El  Menchito", (MENCHO,)), Miss("EL MENCHITO")], NOW)
    queue.record([Miss("el menchito", (MENCHO,))], NOW + 60)
    (entry,) = queue.top(10, NOW + 60)
    assert (entry.name, entry.count) == ("El  Menchito", 2)
    assert (entry.first_seen, entry.last_seen) == (NOW, NOW + 60)
    assert entry.suggestions == (MENCHO,)
    assert queue.get("EL MENCHITO") == entry


def test_the_most_frequent_come_first_and_a_new_name_takes_the_least_frequents_place(
    queue: ReviewQueue,
) -> None:
    for count, name in enumerate(["w", "x", "y"], 1):
        for _ in range(count):
            queue.record([Miss(name)], NOW + count)
    assert [(e.name, e.count) for e in queue.top(10, NOW + 9)] == [("y", 3), ("x", 2), ("w", 1)]
    queue.record([Miss("z")], NOW + 9)
    assert [(e.name, e.count) for e in queue.top(10, NOW + 9)] == [("y", 3), ("x", 2), ("z", 1)]
    queue.record([Miss("v")], NOW + 10)
    assert [e.name for e in queue.top(10, NOW + 10)] == ["y", "x", "v"]
    assert [e.name for e in queue.top(2, NOW + 10)] == ["y", "x"]


def test_names_unseen_for_the_retention_are_forgotten(queue: ReviewQueue) -> None:
    queue.record([Miss("old")], NOW)
    queue.record([Miss("new")], NOW + 29 * DAY)
    assert [e.name for e in queue.top(10, NOW + 29 * DAY)] == ["new", "old"]
    assert [e.name for e in queue.top(10, NOW + 31 * DAY)] == ["new"]
    queue.record([Miss("newer")], NOW + 31 * DAY)
    assert queue.get("old") is None


def test_a_rejected_name_leaves_the_queue_and_never_comes_back(queue: ReviewQueue) -> None:
    queue.record([Miss("Policía"), Miss("Army")], NOW)
    assert queue.reject("POLICÍA", NOW)
    assert queue.is_rejected("policía") and not queue.is_rejected("Army")
    queue.record([Miss("Policía")], NOW + 1)
    assert [e.name for e in queue.top(10, NOW + 1)] == ["Army"]
    assert not queue.reject("Policía", NOW + 2)  # no longer queued, still rejected
    assert queue.remove("army") and not queue.remove("army")
    assert queue.top(10, NOW + 2) == []


RECORD_IN_ANOTHER_PROCESS = """
import sys
from pathlib import Path
from normalizer.store.review import Miss
from normalizer.store.review_sqlite import SqliteReviewQueue
queue = SqliteReviewQueue(Path(sys.argv[1]), size=100, retention=1e9)
for _ in range(50):
    queue.record([Miss(sys.argv[2])], float(sys.argv[3]))
"""


def test_processes_writing_at_once_share_one_queue(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    writers = [
        subprocess.Popen([sys.executable, "-c", RECORD_IN_ANOTHER_PROCESS, str(path), "a", "1"])
        for _ in range(3)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    queue = SqliteReviewQueue(path, size=100, retention=1e9)
    assert [(e.name, e.count) for e in queue.top(10, 2.0)] == [("a", 150)]


def test_the_settings_choose_the_queue(tmp_path: Path, redis_url: str) -> None:
    assert open_review_queue(Settings()) is None  # off by default
    on = Settings(review=True, review_path=tmp_path / "q.sqlite3")
    assert isinstance(open_review_queue(on), SqliteReviewQueue)
    queue = open_review_queue(on.replace(redis_url=redis_url, redis_prefix="mine"))
    assert isinstance(queue, RedisReviewQueue)
    queue.record([Miss("Menchito")], NOW)
    # Under the store's prefix, in one cluster slot (the {prefix} hash tag).
    keys = sorted(redis.Redis.from_url(redis_url).keys("*"))
    assert keys == [b"{mine}:review:entries", b"{mine}:review:rank", b"{mine}:review:seen"]


def test_a_queue_that_cannot_be_written_says_so(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with pytest.raises(NotReady, match="a-file"):
        SqliteReviewQueue(blocked / "review.sqlite3", 10, DAY).record([Miss("x")], NOW)
    stopped = RedisReviewQueue(connect("redis://127.0.0.1:1/0"), "test", 10, DAY)
    with pytest.raises(NotReady, match="Redis is unreachable"):
        stopped.record([Miss("x")], NOW)
