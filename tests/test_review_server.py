"""The review queue under real processes: misses seen by two gunicorn workers land in the
one SQLite queue, and a Redis that stops (or hangs) delays no lookup's recording."""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from serving import serving

from normalizer.store.redis import connect
from normalizer.store.redis.review import RedisReviewQueue
from normalizer.store.review import DAY, Miss
from normalizer.store.review_sqlite import SqliteReviewQueue
from normalizer.store.review_writer import ReviewWriter

pytest_plugins = ["redis_fixtures"]
HANG = 60.0  # seconds: only a hang takes this long
NAMES = [f"Unknown Person {n:02d}" for n in range(40)]


def lookup_pids(logs: Path) -> set[int]:
    lines = [json.loads(line) for line in (logs / "stdout.log").read_text().splitlines()]
    return {
        line["pid"]
        for line in lines
        if line.get("logger") == "normalizer.request" and line.get("endpoint") == "/v1/resolve"
    }


def test_misses_seen_by_two_workers_land_in_one_queue(
    alias_file: Path, tmp_path: Path, wait_for: Any
) -> None:
    queue_path = tmp_path / "review.sqlite3"
    env = {"NORMALIZER_REVIEW": "1", "NORMALIZER_REVIEW_PATH": str(queue_path)}
    sent: list[str] = []
    with serving(alias_file, tmp_path, workers=2, env=env) as base:
        # Which worker takes a request is the kernel's choice: names are sent until both
        # have answered some (a busy machine may give one worker the first forty).
        deadline = time.monotonic() + HANG
        while len(sent) < len(NAMES) or len(lookup_pids(tmp_path)) < 2:
            assert time.monotonic() < deadline, "both workers did not answer"
            name = NAMES[len(sent)] if len(sent) < len(NAMES) else f"Unknown Person {len(sent)}"
            query = urllib.parse.urlencode({"name": name})
            with urllib.request.urlopen(f"{base}/v1/resolve?{query}", timeout=HANG) as answer:  # noqa: S310
                assert json.load(answer)["match"] is None
            sent.append(name)
        queue = SqliteReviewQueue(queue_path, 1000, DAY)

        def all_queued() -> bool:
            return sorted(e.name for e in queue.top(1000, time.time())) == sorted(sent)

        wait_for(all_queued, HANG, "the misses of both workers were not all queued")
    assert {e.count for e in queue.top(1000, time.time())} == {1}


def test_a_stopped_or_hung_redis_delays_no_lookup_and_is_logged(
    own_redis: Any, wait_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="normalizer.store.review_writer")
    queue = RedisReviewQueue(connect(own_redis.url, timeout=0.5), "test", 100, DAY)
    writer = ReviewWriter(queue)
    writer.offer([Miss("Before")])
    assert writer.flush(HANG) and queue.get("before") is not None

    own_redis.pause()  # hung: every call waits for its timeout
    started = time.monotonic()
    for n in range(100):
        writer.offer([Miss(f"While hung {n}")])
    assert time.monotonic() - started < 0.5  # the lookups' side never waits
    own_redis.resume()
    own_redis.stop()
    writer.offer([Miss("While stopped")])
    assert writer.flush(HANG)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1 and messages[0].startswith("the review queue failed")

    own_redis.start()  # back, empty
    writer.offer([Miss("After")])
    assert writer.flush(HANG)
    wait_for(lambda: queue.get("after") is not None, HANG, "recording did not resume")
    assert "the review queue works again" in caplog.records[-1].getMessage()
    assert queue.get("while stopped") is None
