"""Prometheus metrics at ``GET /metrics``.

Under gunicorn every worker counts in files of its own (prometheus-client's multiprocess
mode: ``normalizer serve`` makes the folder, web/gunicorn_conf.py forgets a dead worker's
gauges) and a scrape adds them up, whichever worker answers it. Without the folder (the
Flask test client, ``serve --debug``) the process's own registry is shown.

Labels take a few known values each: route rules, not paths; key ids, not secrets; the
match method, not the names. A label from what a client sends would let it grow the
series without bound, and put names people look up into the monitoring.
"""

from __future__ import annotations

import collections
import os
from collections.abc import Sequence

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from normalizer.match.results import Resolution
from normalizer.service import Service
from normalizer.store import events
from normalizer.web.context import elapsed, service

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
# Set by `normalizer serve` when it made that folder itself (web/gunicorn_conf.py removes it).
OWNED_DIR = "_NORMALIZER_SERVE_METRICS_DIR"
METHODS = frozenset({"GET", "POST", "OPTIONS", "HEAD", "PUT", "PATCH", "DELETE"})
UNMATCHED = "unmatched"  # the endpoint of a request no route took (404, 405)

REQUESTS = Counter(
    "normalizer_http_requests", "HTTP requests answered", ["endpoint", "method", "status"]
)
LATENCY = Histogram(
    "normalizer_http_request_duration_seconds",
    "Time from routing to the response, by endpoint",
    ["endpoint"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
NAMES = Counter(
    "normalizer_names_resolved",
    "Names resolved: outcome match (by method), abstained (candidates, none confident) or "
    "none (no candidate)",
    ["outcome", "method"],
)
DECIDED = Counter(
    "normalizer_decisions",
    "Names resolved, by the rule that decided (the answer's decision): which matches a rule "
    "made under the threshold, which abstentions were ambiguous",
    ["decision"],
)
BATCH = Histogram(
    "normalizer_resolve_batch_names",
    "Names per resolve request",
    buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
)
API_KEY_REQUESTS = Counter(
    "normalizer_api_key_requests", "Requests let in by each API key, by its id", ["key"]
)
REDIS_ERRORS = Counter(
    "normalizer_redis_errors", "Redis calls that failed (unreachable or refused)", ["kind"]
)
REDIS_RECONNECTS = Counter(
    "normalizer_redis_reconnects", "Broken Redis connections replaced during a read"
)
ANSWER_CACHE = Counter(
    "normalizer_answer_cache_lookups",
    "Names a worker looked up in its cache of finished answers, by outcome (hit, miss)",
    ["outcome"],
)
# The most recent value any live worker saw: every worker reads the same table.
TABLE_ENTITIES = Gauge(
    "normalizer_table_entities",
    "Entities of the alias table in force",
    multiprocess_mode="livemostrecent",
)
TABLE_NAMES = Gauge(
    "normalizer_table_names",
    "Names of the alias table in force",
    multiprocess_mode="livemostrecent",
)
TABLE_INFO = Gauge(
    "normalizer_table_info",
    "1 for the version of the alias table in force, 0 for versions replaced",
    ["version"],
    multiprocess_mode="livemostrecent",
)

bp = Blueprint("metrics", __name__)


def count_resolved(resolutions: Sequence[Resolution]) -> None:
    """Count a request's names by outcome, and its batch size (also for its log line); and
    queue those without a confident match for review (if on). Every route that resolves
    names calls this once a request."""
    service().queue_misses(resolutions)
    BATCH.observe(len(resolutions))
    g.batch_size = len(resolutions)
    # One increment per outcome, not per name: a batch of a thousand names has a handful.
    outcomes = collections.Counter(
        ("match", resolution.match.method)
        if resolution.match is not None
        else ("abstained" if resolution.candidates else "none", "none")
        for resolution in resolutions
    )
    for (outcome, method), count in outcomes.items():
        NAMES.labels(outcome, method).inc(count)
    for decision, count in collections.Counter(r.decision for r in resolutions).items():
        DECIDED.labels(decision).inc(count)


_versions: dict[str, None] = {}  # versions this process has shown, the one in force last


def show_table(service: Service) -> None:
    """Set the table gauges from the version in force, if the store answers."""
    if not service.store.ready():
        return
    meta = service.store.view().meta
    TABLE_ENTITIES.set(meta.entities)
    TABLE_NAMES.set(meta.names)
    if meta.version not in _versions:
        for replaced in _versions:
            TABLE_INFO.labels(replaced).set(0)
        _versions.clear()
        _versions[meta.version] = None
    TABLE_INFO.labels(meta.version).set(1)


def _count_store_event(event: str, kind: str, count: int) -> None:
    if event == "redis_error":
        REDIS_ERRORS.labels(kind).inc(count)
    elif event == "redis_reconnect":
        REDIS_RECONNECTS.inc(count)
    elif event == "answer_cache":
        ANSWER_CACHE.labels(kind).inc(count)


def endpoint() -> str:
    """The route rule the request took ("/v1/entities/<entity_id>"), never its path."""
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def _count(response: Response) -> Response:
    seconds = elapsed()
    where = endpoint()
    method = request.method if request.method in METHODS else "other"
    REQUESTS.labels(where, method, str(response.status_code)).inc()
    if seconds is not None:
        LATENCY.labels(where).observe(seconds)
    return response


@bp.get("/metrics")
def metrics() -> Response:
    show_table(service())
    if MULTIPROC_DIR in os.environ:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask, running: Service) -> None:
    """Count every request of ``app`` (register before the hooks that change responses,
    so that this one sees the final status) and serve /metrics."""
    events.listen(_count_store_event)
    app.after_request(_count)
    app.register_blueprint(bp)
    if not running.store.shared:  # compiled already; Redis is asked at the first scrape
        show_table(running)
