"""``normalizer serve --workers 2`` as operators run it: /metrics adds up what every worker
counted, and each request writes one JSON line to stdout, without the names looked up."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from serving import serving

HANG = 60.0  # seconds: only a hang takes this long
NAME = "Marisol Quintana Arévalo"
LOOKUPS = 60
BATCHES = 6


@pytest.fixture(scope="module")
def server(
    alias_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    logs = tmp_path_factory.mktemp("observed")
    with serving(alias_file, logs, workers=2, env={}) as base:
        yield base, logs


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=HANG) as response:  # noqa: S310 (local)
        return int(response.status), bytes(response.read())


def log_lines(logs: Path) -> list[dict[str, Any]]:
    """Every line of the server's stdout, each of which must be JSON."""
    text = (logs / "stdout.log").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def requests_logged(logs: Path, want: int) -> list[dict[str, Any]]:
    """The request lines, once ``want`` of them are written (a hang guard, not a pause)."""
    deadline = time.monotonic() + HANG
    while True:
        found = [line for line in log_lines(logs) if line.get("logger") == "normalizer.request"]
        if len(found) >= want or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def resolving_workers(lines: list[dict[str, Any]]) -> set[int]:
    return {line["pid"] for line in lines if line["endpoint"] == "/v1/resolve"}


def send_lookups_until_both_workers_answered(base: str, logs: Path, already: int) -> int:
    """Rounds of ``LOOKUPS`` lookups until each of the two workers has answered some; the
    number sent. Which worker accepts a connection is the kernel's choice, so one round
    may all go to one (it did, once in a few runs): a condition waited on, not a chance."""
    query = urllib.parse.urlencode({"name": NAME})
    deadline = time.monotonic() + HANG
    sent = 0
    while True:
        for _ in range(LOOKUPS):
            status, _ = get(f"{base}/v1/resolve?{query}", {"X-Request-ID": f"lookup-{sent}"})
            assert status == 200
            sent += 1
        logged = requests_logged(logs, already + sent)[already:]
        if len(resolving_workers(logged)) == 2 or time.monotonic() > deadline:
            return sent


def test_metrics_add_up_every_worker_and_each_request_logs_one_line(
    server: tuple[str, Path],
) -> None:
    base, logs = server
    already = len(requests_logged(logs, 0))  # the readiness probes of serving()
    lookups = send_lookups_until_both_workers_answered(base, logs, already)
    body = json.dumps({"names": [NAME, "Tomek Wierzbicki", "Honduras"]}).encode()
    for number in range(BATCHES):
        request = urllib.request.Request(
            f"{base}/v1/resolve",
            data=body,
            headers={"Content-Type": "application/json", "X-Request-ID": f"batch-{number}"},
        )
        with urllib.request.urlopen(request, timeout=HANG) as response:  # noqa: S310
            assert response.status == 200
            assert response.headers["X-Request-ID"] == f"batch-{number}"
    bad = urllib.request.Request(f"{base}/v1/resolve", headers={"X-Request-ID": "bad\u00e9"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bad, timeout=HANG)  # noqa: S310
    assert refused.value.code == 400
    made = refused.value.headers["X-Request-ID"]
    refused.value.close()
    assert len(made) == 32

    status, text = get(f"{base}/metrics")
    assert status == 200
    found: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(text.decode()):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value

    def value(name: str, **labels: str) -> float:
        return found.get((name, frozenset(labels.items())), 0.0)

    requests = "normalizer_http_requests_total"
    assert value(requests, endpoint="/v1/resolve", method="GET", status="200") == lookups
    assert value(requests, endpoint="/v1/resolve", method="POST", status="200") == BATCHES
    assert value(requests, endpoint="/v1/resolve", method="GET", status="400") == 1
    latency = "normalizer_http_request_duration_seconds_count"
    assert value(latency, endpoint="/v1/resolve") == lookups + BATCHES + 1
    assert value("normalizer_resolve_batch_names_count") == lookups + BATCHES
    assert value("normalizer_resolve_batch_names_sum") == lookups + 3 * BATCHES
    assert value("normalizer_names_resolved_total", outcome="match", method="exact") >= lookups
    assert value("normalizer_table_entities") == 13

    lines = requests_logged(logs, already + lookups + BATCHES + 2)
    ours = lines[already:]
    # One line per request: the lookups, the batches, the refused one and the scrape.
    assert len(ours) == lookups + BATCHES + 2
    by_id = {line["request_id"]: line for line in ours}
    assert len(by_id) == len(ours)
    assert {f"lookup-{n}" for n in range(lookups)} <= set(by_id)
    batch = by_id["batch-0"]
    assert batch["method"] == "POST" and batch["endpoint"] == "/v1/resolve"
    assert batch["status"] == 200 and batch["batch_size"] == 3
    assert batch["latency_ms"] > 0 and batch["level"] == "INFO" and "timestamp" in batch
    assert by_id[made]["status"] == 400
    # The counts above are sums over the workers: both answered some of the lookups.
    assert len(resolving_workers(ours)) == 2
    # Names are the callers' data: not in the log, in neither stream.
    for stream in ("stdout.log", "stderr.log"):
        text_log = (logs / stream).read_text(encoding="utf-8")
        assert "Marisol" not in text_log and "Wierzbicki" not in text_log
    # gunicorn's own access log is off: stdout holds only JSON lines (parsed above).
    assert all("logger" in line for line in log_lines(logs))
