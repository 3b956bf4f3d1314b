"""The Redis key layout of a compiled table, and the wire primitives readers and loaders share.

Keys, with ``P`` the prefix and ``V`` a version id (the table fingerprint, the load time and
random bits, so that every load writes fresh keys):

- ``{P}:current``   the version in force; moving it is the switch.
- ``{P}:versions``  hash: version -> envelope (JSON: the layout number, meta, codec schema,
                    bucket count). It is also the registry a load sweeps for leftovers of
                    dead loads.
- ``{P}:lock``      held by the one process loading a version.
- ``P:V:<n>``       bucket n of version V: a hash of about 64 fields, few enough for Redis'
                    compact listpack encoding. A table key's field is 6 bytes of its 128-bit
                    xxh3 hash seeded by V, and its bucket comes from more bits of it, so a
                    key costs 6 bytes in Redis whatever its length.
- ``P:V:bloom``     a Bloom filter of V's keys (``normalizer.store.redis.bloom``), 1.5 bytes a key.

The ``{P}`` hash tag puts the pointer, the registry and the lock in one cluster slot, so the
Lua scripts that touch them are legal in Redis Cluster. Buckets spread over all slots, and
every command on them names one key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import redis
import xxhash
from redis.cluster import RedisCluster

from normalizer.exc import NotReady

Client = redis.Redis | RedisCluster

# The layout's number, in every envelope: a reader refuses a table of another layout
# (written by another release) rather than misread it.
LAYOUT = 3  # 3: values in MessagePack
CURRENT = "{%s}:current"
VERSIONS = "{%s}:versions"
LOCK = "{%s}:lock"
BUCKET = "%s:%s:%d"
BLOOM = "%s:%s:bloom"
FIELD_BYTES = 6
_FIELD_MASK = (1 << 8 * FIELD_BYTES) - 1


@contextmanager
def reachable() -> Iterator[None]:
    """Redis failures that a retry may cure, raised as NotReady (503 with Retry-After)."""
    try:
        yield
    except (
        redis.ConnectionError,
        redis.TimeoutError,
        redis.exceptions.ClusterError,
        redis.exceptions.TryAgainError,
        redis.exceptions.RedisClusterException,  # no node reachable: not a RedisError
    ) as error:
        raise NotReady(f"Redis is unreachable: {error}") from None
    except redis.ResponseError as error:
        # A refusal (out of memory, a read-only replica): no traceback, the reason instead.
        raise NotReady(f"Redis refused the command: {error}") from None


def _packed(command: Sequence[bytes]) -> bytes:
    """One command in the Redis protocol (RESP)."""
    return b"*%d\r\n" % len(command) + b"".join(
        [b"$%d\r\n%s\r\n" % (len(part), part) for part in command]
    )


def send(client: Client, commands: Sequence[Sequence[bytes]]) -> list[Any]:
    """The replies to ``commands``, sent in one write: one round trip.

    redis-py's Pipeline spends ~15 us of Python per command, and a lookup sends hundreds
    (an HMGET per bucket), so to a standalone Redis the commands go packed by hand and the
    replies come back through the connection's parser (hiredis). Redis Cluster needs the
    slot routing of redis-py's ClusterPipeline.
    """
    if isinstance(client, RedisCluster):
        pipe = cast(Any, client).pipeline(transaction=False)
        for name, *args in commands:
            pipe.execute_command(name.decode(), *args)
        replies: list[Any] = pipe.execute()
        return replies
    return send_packed(client, b"".join([_packed(command) for command in commands]), len(commands))


def send_packed(client: redis.Redis, payload: bytes, commands: int) -> list[Any]:
    """The replies to ``commands`` commands already in RESP, to a standalone Redis."""
    pool = client.connection_pool
    for attempt in range(2):
        connection: Any = pool.get_connection()
        try:
            connection.send_packed_command([payload])
            return [connection.read_response() for _ in range(commands)]
        except redis.ConnectionError:
            connection.disconnect()
            if attempt:
                raise
            # else the connection broke (Redis restarted): once more on a new one
        except BaseException:
            connection.disconnect()  # replies may be left unread: never reuse it
            raise
        finally:
            pool.release(connection)
    raise AssertionError("unreachable")


def locator(version: str, buckets: int) -> Callable[[str], tuple[bytes, int, int]]:
    """``locate(key)``: the field and the bucket of a table key in one version, and the
    64-bit hint its Bloom filter probes derive from (~0.25 us a key)."""
    seed = int.from_bytes(hashlib.blake2b(version.encode(), digest_size=8).digest(), "little")
    digest = xxhash.xxh3_128_intdigest

    def locate(key: str) -> tuple[bytes, int, int]:
        value = digest(key.encode(), seed)
        field = (value & _FIELD_MASK).to_bytes(FIELD_BYTES, "little")
        return field, (value >> 48 & 0xFFFFFFFF) % buckets, value >> 64

    return locate


def bucket_key(prefix: str, version: str, bucket: int) -> str:
    return BUCKET % (prefix, version, bucket)


def bloom_key(prefix: str, version: str) -> str:
    return BLOOM % (prefix, version)
