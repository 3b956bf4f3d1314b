"""The compiled table in Redis: versioned loads, shared by every worker of every instance.

The only package that imports redis. ``store`` is the façade the rest of the code uses."""

from normalizer.store.redis.reader import RedisStore, connect

__all__ = ["RedisStore", "connect"]
