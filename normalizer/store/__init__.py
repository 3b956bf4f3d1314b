"""Where the compiled table lives: in this process (``memory``), or in Redis (``redis``),
shared by every worker of every instance. Everything else talks to a store through the
protocols of ``base``; only ``store.redis`` imports redis."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from normalizer.exc import NotReady
from normalizer.settings import Settings
from normalizer.store.base import Store, TableView
from normalizer.store.memory import MemoryStore
from normalizer.store.redis import RedisStore, connect
from normalizer.store.redis.review import RedisReviewQueue
from normalizer.store.review import DAY, ReviewQueue
from normalizer.store.review_sqlite import SqliteReviewQueue
from normalizer.table.compiler import CompiledTable

__all__ = [
    "MemoryStore",
    "RedisStore",
    "ReviewQueue",
    "Store",
    "TableView",
    "in_force",
    "open_review_queue",
    "open_store",
]


def open_store(settings: Settings, source: Callable[[], CompiledTable]) -> Store:
    """The store ``settings`` ask for: Redis if a Redis URL or cluster nodes are set (it
    connects on first use, so that a worker starts while Redis is down, and loads
    ``source()`` itself if Redis has no table), else the embedded store, empty."""
    if not settings.uses_redis:
        return MemoryStore()
    url, nodes, timeout = settings.redis_url, settings.redis_cluster_nodes, settings.redis_timeout
    return RedisStore(
        lambda: connect(url, nodes, timeout),
        settings.redis_prefix,
        source=source,
        refresh=settings.redis_refresh,
        grace=settings.redis_grace,
        tune=settings.redis_tune,
        cache_size=settings.redis_cache,
    )


def in_force(store: Store) -> Callable[[Sequence[str]], list[object | None]] | None:
    """The lookups of the table in force in ``store``, or None if it has none."""
    try:
        return store.view().get_many
    except NotReady:
        return None


def open_review_queue(settings: Settings) -> ReviewQueue | None:
    """The review queue, if ``settings`` turn it on: in Redis beside the table (it connects
    on first use), or with the embedded store a SQLite file that its workers all write."""
    if not settings.review:
        return None
    retention = settings.review_retention * DAY
    if settings.uses_redis:
        url, nodes = settings.redis_url, settings.redis_cluster_nodes
        return RedisReviewQueue(
            lambda: connect(url, nodes, settings.redis_timeout),
            settings.redis_prefix,
            settings.review_size,
            retention,
        )
    return SqliteReviewQueue(settings.review_path, settings.review_size, retention)
