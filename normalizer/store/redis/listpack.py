"""Redis' listpack settings: buckets small enough for its compact encoding.

Redis keeps a hash in its compact *listpack* encoding only while it has at most
``hash-max-listpack-entries`` fields and every value is within ``hash-max-listpack-value``
bytes; a bucket past either becomes a hashtable, which costs about three times the memory.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, cast

import redis
from redis.cluster import RedisCluster

from normalizer.store.redis.client import Client, reachable

log = logging.getLogger(__name__)

# Fields per bucket on average: HMGET scans a listpack field by field, so buckets stay
# small, and below 0.6 of hash-max-listpack-entries, so that very few overflow into the
# hashtable encoding.
BUCKET_FIELDS = 64
LISTPACK_FILL = 0.6
LISTPACK_ENTRIES = "hash-max-listpack-entries"
LISTPACK_VALUE = "hash-max-listpack-value"


class Listpack:
    """Redis' listpack settings on every node (replicas too, since they encode what they
    replicate; redis-py sends CONFIG SET to one cluster node only)."""

    def __init__(self, client: Client, tune: bool) -> None:
        self.client = client
        self.tune = tune
        self.value_limit = 64

    def _nodes(self) -> list[dict[str, Any]]:
        if isinstance(self.client, RedisCluster):
            return [{"target_nodes": node} for node in cast(Any, self.client).get_nodes()]
        return [{}]

    def _read(self, pattern: str, name: str, default: int) -> int:
        """The least generous node's setting (Redis' default if CONFIG is disabled)."""
        try:
            with reachable():
                configs = [self.client.config_get(pattern, **node) for node in self._nodes()]
        except redis.ResponseError:
            return default
        return min(_config(config, name, default) for config in configs)

    def bucket_fields(self) -> int:
        """Fields a bucket should hold, and learn the value limit."""
        entries = self._read("hash-max-listpack-*", LISTPACK_ENTRIES, 128)
        self.value_limit = self._read("hash-max-listpack-*", LISTPACK_VALUE, 64)
        return max(4, min(BUCKET_FIELDS, int(entries * LISTPACK_FILL)))

    def fit(self, largest: int) -> None:
        """Raise hash-max-listpack-value to a value about to be written, if allowed to: a
        bucket with one longer value becomes a hashtable, which costs ~3x the memory.
        Only ever raised (another writer may have raised it further meanwhile)."""
        if largest <= self.value_limit:
            return
        if not self.tune:
            log.warning(
                "%s is %d but values reach %d bytes", LISTPACK_VALUE, self.value_limit, largest
            )
            self.value_limit = largest  # said once
            return
        current = self._read(LISTPACK_VALUE, LISTPACK_VALUE, 0)
        if largest <= current:  # another writer raised it meanwhile
            self.value_limit = current
            return
        wanted = 1 << (largest - 1).bit_length()
        try:
            with reachable():
                for node in self._nodes():
                    self.client.config_set(LISTPACK_VALUE, wanted, **node)
            log.info("raised %s from %d to %d", LISTPACK_VALUE, current, wanted)
        except redis.ResponseError as error:
            log.warning("could not raise %s to %d: %s", LISTPACK_VALUE, wanted, error)
        self.value_limit = wanted


def _config(config: Mapping[Any, Any], name: str, default: int) -> int:
    """A number from CONFIG GET's reply (keys are bytes or str depending on the client)."""
    for key in (name, name.encode()):
        if config.get(key) is not None:
            return int(config[key])
    return default
