"""Real redis-server processes for the tests, on free loopback ports: never the shared Redis
on 6379, never a mock. Test modules load this with ``pytest_plugins = ["redis_fixtures"]``.

Without redis-server the Redis tests skip, unless NORMALIZER_TEST_REDIS=required (set by
.ci/run, which installs redis-server), so that CI can never pass them by skipping.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from redis_tables import PREFIX

from normalizer.store.redis import RedisStore, connect

REDIS_SERVER = shutil.which("redis-server")
REDIS_CLI = shutil.which("redis-cli")
REQUIRED = os.environ.get("NORMALIZER_TEST_REDIS") == "required"
START_TIMEOUT = 10.0
CLUSTER_TIMEOUT = 30.0


def need_redis() -> None:
    if REDIS_SERVER and REDIS_CLI:
        return
    message = "redis-server and redis-cli are needed (apt-get install redis-server)"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


def free_port(cluster: bool = False) -> int:
    """A free loopback port; for a cluster node its bus port (port + 10000) is free too."""
    for _ in range(100):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        if not cluster:
            return port
        if port + 10000 < 65536:
            with socket.socket() as bus:
                try:
                    bus.bind(("127.0.0.1", port + 10000))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port pair found")


Wait = Callable[[Callable[[], object], float, str], None]


def wait_for(check: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``check()`` until it is true, or fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except (OSError, redis.RedisError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {timeout} s")
        time.sleep(0.05)


@pytest.fixture(name="wait_for")
def wait_for_fixture() -> Wait:
    """``wait_for(check, timeout, what)`` for test modules (they cannot import this one)."""
    return wait_for


class RedisServer:
    """A throwaway redis-server without persistence: a restart comes back empty."""

    def __init__(self, directory: Path, port: int | None = None, *extra: str) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.extra = extra
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)

    def start(self) -> RedisServer:
        need_redis()
        assert REDIS_SERVER is not None
        self.directory.mkdir(parents=True, exist_ok=True)
        argv = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        argv += ["--save", "", "--appendonly", "no", "--dir", str(self.directory)]
        argv += ["--logfile", str(self.directory / "redis.log"), *self.extra]
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        with self.client() as client:
            wait_for(client.ping, START_TIMEOUT, f"redis-server did not answer on {self.port}")
        return self

    def stop(self) -> None:
        """Kill it (SIGKILL: no shutdown save, no goodbye), and reap it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a paused server must die too
            self.process.kill()
            self.process.wait(timeout=START_TIMEOUT)
        self.process = None

    def pause(self) -> None:
        """Freeze it (SIGSTOP): connections stay open but nothing answers, like a hung host."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One redis-server for the session; ``redis_url`` empties it for each test."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    with redis_server.client() as client:
        client.flushall()
    return redis_server.url


@pytest.fixture
def store(redis_url: str) -> Iterator[RedisStore]:
    """A Redis store on the session's redis-server, emptied."""
    store = RedisStore(connect(redis_url), PREFIX, grace=30)
    yield store
    store.close()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of the test's own, to kill, freeze and restart."""
    server = RedisServer(tmp_path / "redis")
    try:
        yield server.start()
    finally:
        server.stop()


class RedisClusterNodes:
    """Three masters on loopback ports, joined by redis-cli --cluster create."""

    def __init__(self, directory: Path) -> None:
        self.servers = [
            RedisServer(
                directory / f"node{n}",
                free_port(cluster=True),
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                str(directory / f"node{n}" / "nodes.conf"),
                "--cluster-node-timeout",
                "5000",
            )
            for n in range(3)
        ]

    @property
    def nodes(self) -> str:
        return ",".join(f"127.0.0.1:{server.port}" for server in self.servers)

    def start(self) -> RedisClusterNodes:
        for server in self.servers:
            server.start()
        assert REDIS_CLI is not None
        argv = [REDIS_CLI, "--cluster", "create", *self.nodes.split(",")]
        argv += ["--cluster-replicas", "0", "--cluster-yes"]
        subprocess.run(argv, check=True, capture_output=True, timeout=CLUSTER_TIMEOUT)
        for server in self.servers:
            with server.client() as client:

                def cluster_ok(c: redis.Redis = client) -> bool:
                    return bool(c.cluster("info").get("cluster_state") == "ok")

                wait_for(
                    cluster_ok,
                    CLUSTER_TIMEOUT,
                    f"cluster node {server.port} did not reach cluster_state:ok",
                )
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def flush(self) -> None:
        for server in self.servers:
            with server.client() as client:
                client.flushall()


@pytest.fixture(scope="module")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisClusterNodes]:
    cluster = RedisClusterNodes(tmp_path_factory.mktemp("cluster"))
    try:
        yield cluster.start()
    finally:
        cluster.stop()
