"""The production server (``normalizer serve`` with its defaults) against what an attacker
or a bad day does to it: names that cost, slow clients, raw HTTP gunicorn itself answers,
lenient input, and a Redis that hangs or comes back empty.

Where a test bounds time, it is to catch a hang: the failures these tests guard against
cost 30 s or more, the expected answers milliseconds.
"""

from __future__ import annotations

import json
import os
import random
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from redis_tables import shared_names_table
from serving import exchange, serving

from normalizer.store.redis import RedisStore, connect
from normalizer.table.parallel import PARALLEL_FROM_BYTES, usable_processors

pytest_plugins = ["redis_fixtures"]

PROBLEM_JSON = "application/problem+json"
HANG = 60.0  # seconds: only a hang takes this long
BUDGET = 10.0  # the default request budget (Settings.request_budget)


@pytest.fixture(scope="module")
def server(alias_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``normalizer serve`` with its defaults (2 workers) on the embedded store."""
    logs = tmp_path_factory.mktemp("serve")
    with serving(alias_file, logs, workers=2, env={}) as base:
        yield base


def call(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str = ""
) -> tuple[int, str, Any]:
    """Status, content type and JSON body of a request, whatever the status."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method or None)
    try:
        with urllib.request.urlopen(request, timeout=HANG) as response:  # noqa: S310
            status, kind, body = (
                response.status,
                response.headers.get_content_type(),
                response.read(),
            )
    except urllib.error.HTTPError as error:
        status, kind, body = error.code, error.headers.get_content_type(), error.read()
    return status, kind, json.loads(body) if body else None


def post_json(url: str, body: object) -> tuple[int, str, Any]:
    data = json.dumps(body).encode()
    return call(url, data, {"Content-Type": "application/json"})


def raw(base: str, data: bytes) -> tuple[int, str, Any]:
    """Send bytes as they are; the status line, content type and JSON body of the answer."""
    head, _, body = exchange(base, data, HANG).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers["content-type"], json.loads(body)


def worker_rss(master: int) -> dict[int, int]:
    """Resident bytes of each worker of the gunicorn master ``master``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields["PPid"]) == master and "VmRSS" in fields:
            found[int(entry.name)] = int(fields["VmRSS"].split()[0]) * 1024
    return found


def master_of(base: str) -> int:
    port = urllib.parse.urlsplit(base).port
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"gunicorn" in b" ".join(argv) and f"127.0.0.1:{port}".encode() in argv:
                return int(entry.name)
    raise AssertionError("no gunicorn master found")


def words(rng: random.Random, letters: int) -> str:
    """``letters`` characters of made-up words of 5 to 14 letters."""
    text = ""
    while len(text) < letters:
        text += "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 14)))
        text += " "
    return text[:letters]


def hangul(rng: random.Random, syllables: int) -> str:
    return "".join(chr(rng.randint(0xAC00, 0xD7A3)) for _ in range(syllables))


# --- names that cost --------------------------------------------------------------------------


def test_distinct_long_names_do_not_grow_a_worker(alias_file: Path, tmp_path: Path) -> None:
    """Every cache a name reaches is bounded in bytes: 200 distinct 512-letter names leave
    a worker within 100 MB of where it started (they once took it to 2 GB)."""
    with serving(alias_file, tmp_path, workers=1, env={}) as base:
        rng = random.Random(12)
        query = urllib.parse.urlencode({"name": words(rng, 512)})
        assert call(f"{base}/v1/resolve?{query}")[0] == 200
        (before,) = worker_rss(master_of(base)).values()
        for _ in range(200):
            query = urllib.parse.urlencode({"name": words(rng, 512)})
            assert call(f"{base}/v1/resolve?{query}")[0] == 200
        (after,) = worker_rss(master_of(base)).values()
    assert after - before < 100 << 20, (before, after)


@pytest.mark.parametrize(
    "names",
    [
        [words(random.Random(n), 100) for n in range(1000)],
        [words(random.Random(n), 500) for n in range(1000)],
        [hangul(random.Random(n), 512) for n in range(20)],
    ],
    ids=["1000 names of 100 letters", "1000 names of 500 letters", "20 Hangul names of 512"],
)
def test_a_costly_batch_is_answered_in_json_within_the_budget(
    server: str, names: list[str]
) -> None:
    """Answered (200), or refused once the budget is spent (503 saying how far it got):
    either way JSON, and never a killed worker."""
    started = time.monotonic()
    status, kind, body = post_json(f"{server}/v1/resolve", {"names": names})
    elapsed = time.monotonic() - started
    assert status in (200, 503), body
    if status == 200:
        assert len(body["results"]) == len(names)
    else:
        assert kind == PROBLEM_JSON and "name(s) were resolved" in body["detail"]
    assert elapsed < 3 * BUDGET
    assert call(f"{server}/healthz")[0] == 200


# --- slow clients -----------------------------------------------------------------------------


def half_sent(base: str, count: int) -> list[socket.socket]:
    """Connections that sent part of a request head and then nothing."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    held = []
    for _ in range(count):
        sock = socket.create_connection((host, int(port)), timeout=HANG)
        sock.sendall(b"GET /v1/resolve?name=CJNG HTTP/1.1\r\nHost: test\r\n")
        held.append(sock)
    return held


def test_eight_slow_clients_do_not_stall_a_normal_request(server: str) -> None:
    held = half_sent(server, 8)
    try:
        query = urllib.parse.urlencode({"name": "Tomasz Wierzbicki"})
        request = urllib.request.Request(f"{server}/v1/resolve?{query}")
        # 20 s: the stall this guards against lasted 32 s; the answer takes milliseconds.
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            assert json.load(response)["match"]["id"] == "tomasz-wierzbicki"
    finally:
        for sock in held:
            sock.close()


def test_a_request_head_that_never_ends_gets_a_408(server: str) -> None:
    (sock,) = half_sent(server, 1)
    with sock:
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert json.loads(body)["status"] == 408


def test_a_body_shorter_than_its_length_gets_a_408(server: str) -> None:
    host, port = urllib.parse.urlsplit(server).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=HANG) as sock:
        head = "POST /v1/resolve HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        sock.sendall(f"{head}Content-Length: 100\r\n\r\n".encode() + b'{"names": ')
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert PROBLEM_JSON.encode() in answer


# --- what gunicorn itself answers -------------------------------------------------------------


def test_the_longest_name_the_api_accepts_fits_a_get(server: str) -> None:
    name = "𠀀" * 512  # four UTF-8 bytes a character: 12 bytes each, percent-encoded
    status, _, body = call(f"{server}/v1/resolve?" + urllib.parse.urlencode({"name": name}))
    assert status == 200, body


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /v1/resolve?name=" + b"x" * 9000 + b" HTTP/1.1\r\nHost: t\r\n\r\n", 414),
        (b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-A: a\r\n b\r\n\r\n", 400),  # folding
        (b"GET /healthz HTTP/1.1\nHost: t\n\n", 400),  # bare LF
        (b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n", 431),
        (b"GET /healthz HTTP/9.9\r\nHost: t\r\n\r\n", 400),
    ],
    ids=["long request line", "header folding", "bare LF", "100 KB header", "HTTP/9.9"],
)
def test_gunicorn_errors_are_problem_json(server: str, request_bytes: bytes, status: int) -> None:
    got, kind, body = raw(server, request_bytes)
    assert (got, kind) == (status, PROBLEM_JSON)
    assert body["status"] == status and body["detail"]


# --- strict input, as the server answers it ---------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["limit=%D9%A3", "limit=%2B3", "limit=3_0", "explain=maybe", "limit=0"],
    ids=["arabic digit", "plus sign", "underscore", "not a yes/no word", "zero"],
)
def test_lenient_query_values_are_400(server: str, query: str) -> None:
    status, kind, body = call(f"{server}/v1/resolve?name=CJNG&{query}")
    assert (status, kind) == (400, PROBLEM_JSON), body


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (json.dumps({"names": ["CJNG"], "limit": "3"}).encode(), "application/json", 400),
        (json.dumps({"names": ["CJNG"], "explain": "yes"}).encode(), "application/json", 400),
        (json.dumps({"names": ["CJNG"], "explain": 1}).encode(), "application/json", 400),
        (json.dumps({"names": ["CJNG"]}).encode(), "text/plain", 415),
        (json.dumps({"names": ["CJNG"]}).encode("utf-16"), "application/json; charset=utf-16", 415),
        (json.dumps({"names": ["x" * 400] * 3000}).encode(), "application/json", 413),
    ],
    ids=["limit as a string", "explain as a word", "explain as 1", "text/plain", "UTF-16", "2 MB"],
)
def test_lenient_bodies_are_4xx(server: str, body: bytes, content_type: str, status: int) -> None:
    got, kind, problem = call(f"{server}/v1/resolve", body, {"Content-Type": content_type})
    assert (got, kind) == (status, PROBLEM_JSON), problem


def test_a_chunked_body_over_the_limit_is_413(server: str) -> None:
    data = json.dumps({"names": ["x" * 400] * 3000}).encode()
    chunks = b"".join(
        b"%x\r\n%s\r\n" % (len(part), part) for part in (data[:600_000], data[600_000:])
    )
    head = b"POST /v1/resolve HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
    head += b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    status, kind, body = raw(server, head + chunks + b"0\r\n\r\n")
    assert (status, kind) == (413, PROBLEM_JSON), body


def test_options_is_204_without_a_page(server: str) -> None:
    request = urllib.request.Request(f"{server}/v1/resolve", method="OPTIONS")
    with urllib.request.urlopen(request, timeout=HANG) as response:  # noqa: S310
        assert response.status == 204
        assert "POST" in response.headers["Allow"]
        assert response.read() == b""


# --- Redis ------------------------------------------------------------------------------------

OTHER_TABLE = '{"id": "ottoline-brenner", "name": "Ottoline Brenner", "type": "person"}\n'


def redis_env(url: str, **extra: str) -> dict[str, str]:
    env = {k: "" for k in os.environ if k.startswith("REDIS_")}
    env.update(REDIS_URL=url, **extra)
    return env


def test_an_emptied_redis_never_answers_from_another_table(
    own_redis: Any, alias_file: Path, tmp_path: Path, wait_for: Any
) -> None:
    """``normalizer load other.jsonl``, then Redis restarts empty: the server does not
    answer from its own aliases, but says which table was lost and how to reload it."""
    other = tmp_path / "other.jsonl"
    other.write_text(OTHER_TABLE, encoding="utf-8")
    env = redis_env(own_redis.url)
    with serving(alias_file, tmp_path, workers=2, env=env, ready="/readyz") as base:
        loader = RedisStore(connect(own_redis.url), "normalizer")
        lost = loader.load_path(other).version
        loader.close()
        ottoline = f"{base}/v1/resolve?name=Ottoline+Brenner"

        def answers_other() -> bool:
            status, _, body = call(ottoline)
            return status == 200 and body["match"] is not None

        wait_for(answers_other, 10, "the workers did not follow the load")
        own_redis.stop()
        own_redis.start()

        def refused() -> bool:
            # For a moment a worker answers what it cached of the lost table; never from
            # the service's own aliases (Tomasz is only there).
            status, _, body = call(f"{base}/v1/resolve?name=Tomasz+Wierzbicki")
            if status == 200:
                assert body["match"] is None, body
                return False
            assert status == 503, body
            return "not loaded in its place" in body["detail"]

        wait_for(refused, 30, "no refusal naming the lost table")
        status, _, body = call(ottoline)
        assert status == 503 and lost in body["detail"]
        assert f"normalizer load {other.resolve()}" in body["detail"]


def test_a_hung_redis_under_load_gets_fast_503s(
    own_redis: Any, alias_file: Path, tmp_path: Path, wait_for: Any
) -> None:
    """Redis frozen under 32 concurrent clients: behind the lookups that wait the Redis
    timeout, the others are refused at once by the breaker, not each after a timeout."""
    env = redis_env(own_redis.url, NORMALIZER_REDIS_TIMEOUT="3", NORMALIZER_REDIS_REFRESH="0")
    with serving(alias_file, tmp_path, workers=2, env=env, ready="/readyz") as base:
        assert call(f"{base}/v1/resolve?name=CJNG")[0] == 200
        own_redis.pause()
        try:
            details: list[str] = []
            lock = threading.Lock()

            def client() -> None:
                for _ in range(4):
                    status, kind, body = call(f"{base}/v1/resolve?name=CJNG")
                    assert (status, kind) == (503, PROBLEM_JSON)
                    with lock:
                        details.append(body["detail"])

            threads = [threading.Thread(target=client) for _ in range(32)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=HANG)
        finally:
            own_redis.resume()
        assert len(details) == 128
        waited = [d for d in details if "Redis is asked again in" not in d]
        # Each worker's threads wait the timeout at most once a second (the probe).
        assert len(waited) <= 32, waited
        wait_for(lambda: call(f"{base}/v1/resolve?name=CJNG")[0] == 200, 10, "no recovery")


def test_a_big_table_is_read_by_compile_workers_before_gunicorn_forks(tmp_path: Path) -> None:
    """Alias files big enough are read by worker processes (``table.parallel``), here in
    gunicorn's master (the embedded store compiles before it forks): the server answers
    from the table, and no compile worker is left behind. NORMALIZER_COMPILE_WORKERS=0
    keeps the compile in the server's process."""
    table = shared_names_table(tmp_path)
    big = tmp_path / "big.jsonl"  # its entities, then blank space up to the size
    big.write_text(table.read_text() + "\n" + " " * PARALLEL_FROM_BYTES + "\n")
    said = re.compile(r"reading \S+ with \d worker processes")
    for workers in ("", "0"):
        logs = tmp_path / f"workers-{workers or 'default'}"
        logs.mkdir()
        env = {"NORMALIZER_COMPILE_WORKERS": workers}
        with serving(big, logs, workers=2, env=env, ready="/readyz") as base:
            assert call(f"{base}/readyz")[2]["entities"] == 12
            status, _, body = call(f"{base}/v1/resolve?name=Luis+Hadad")
            assert status == 200 and body["match"]["id"] == "p-11"
            # gunicorn's workers (one may still be starting), and no compile worker.
            children = [Path(f"/proc/{pid}/cmdline") for pid in worker_rss(master_of(base))]
            assert children
            assert all(b"gunicorn" in child.read_bytes() for child in children)
        logged = said.search((logs / "stdout.log").read_text())
        assert (logged is not None) == (workers == "" and usable_processors() > 1)
