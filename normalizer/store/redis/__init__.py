"""The compiled table in Redis: versioned loads, shared by every worker of every instance.

The only package that imports redis. ``store.RedisStore`` is what the rest of the code uses:
``reader`` pins and reads the version in force, ``load``/``shards`` write a new one (in
several processes for big tables) and ``publish`` switches to it; ``layout``, ``codec``
and ``schema`` say how a table lies in Redis (with a Bloom filter of its keys,
``table.bloom``).
"""

from normalizer.store.redis.client import connect
from normalizer.store.redis.store import RedisStore

__all__ = ["RedisStore", "connect"]
