"""Connecting to Redis, and the wire primitives that readers and loaders share."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.cluster import ClusterNode, RedisCluster
from redis.retry import Retry

from normalizer.exc import NotReady
from normalizer.store.events import emit

Client = redis.Redis | RedisCluster
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})


def connect(url: str | None, cluster_nodes: str | None = None, timeout: float = 0.5) -> Client:
    """A client for ``url``, or for Redis Cluster if the URL has ``?cluster=true`` or
    ``cluster_nodes`` ("host:port,host:port") is given.

    Timeouts are short, and a command is retried once, only when its connection broke
    (Redis restarted): a dead or hung Redis fails a lookup within ``timeout``.
    """
    options: dict[str, Any] = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    once = Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,))
    if cluster_nodes:
        nodes = [
            ClusterNode(*_host_port(node))  # type: ignore[no-untyped-call]
            for node in cluster_nodes.split(",")
            if node
        ]
        return RedisCluster(startup_nodes=nodes, retry=once, **options)
    if not url:
        raise ValueError("a Redis URL or cluster nodes are needed")
    parts = urlsplit(url)
    query = parse_qsl(parts.query)
    cluster = any(k == "cluster" and v.lower() in TRUE_WORDS for k, v in query)
    url = urlunsplit(parts._replace(query=urlencode([(k, v) for k, v in query if k != "cluster"])))
    if cluster:
        return RedisCluster.from_url(url, retry=once, **options)
    return redis.Redis.from_url(url, retry=once, **options)


def _host_port(node: str) -> tuple[str, int]:
    host, _, port = node.strip().rpartition(":")
    return host or "127.0.0.1", int(port)


class Connection:
    """A client, made on first use (so that a worker starts while Redis is down), and the
    Lua scripts registered on it."""

    def __init__(self, client: Client | Callable[[], Client]) -> None:
        self._client = None if callable(client) else client
        self._connect = client if callable(client) else None
        self._scripts: dict[str, Any] = {}

    @property
    def client(self) -> Client:
        if self._client is None:
            assert self._connect is not None
            with reachable():
                self._client = self._connect()
        return self._client

    def script(self, source: str) -> Any:
        """A Lua script, registered once per client."""
        if source not in self._scripts:
            self._scripts[source] = self.client.register_script(source)
        return self._scripts[source]

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


# Redis did not answer (down, hung, failing over), as redis-py says it.
UNREACHABLE = (
    redis.ConnectionError,
    redis.TimeoutError,
    redis.exceptions.ClusterError,
    redis.exceptions.TryAgainError,
    redis.exceptions.RedisClusterException,  # no node reachable: not a RedisError
)


@contextmanager
def reachable() -> Iterator[None]:
    """Redis failures that a retry may cure, raised as NotReady (503 with Retry-After)."""
    try:
        yield
    except UNREACHABLE as error:
        emit("redis_error", "unreachable")
        raise NotReady(f"Redis is unreachable: {error}") from None
    except redis.ResponseError as error:
        # A refusal (out of memory, a read-only replica): no traceback, the reason instead.
        emit("redis_error", "refused")
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
            emit("redis_reconnect")
        except BaseException:
            connection.disconnect()  # replies may be left unread: never reuse it
            raise
        finally:
            pool.release(connection)
    raise AssertionError("unreachable")
