"""Redis Cluster: three masters started by the test on loopback ports; load and resolve
through redis-py's cluster client, with buckets spread over every node."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from normalizer.cli import main
from normalizer.match.matcher import Matcher
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore
from normalizer.store.redis import RedisStore, connect
from normalizer.web.app import create_app

pytest_plugins = ["redis_fixtures"]

QUERIES = ["QUINTANA AREVALO, Marisol", "Томаш Вежбицкий", "Kestrel Shipping Co Ltd", "FUTN"]


@pytest.fixture
def cluster(redis_cluster: Any) -> Any:
    redis_cluster.flush()
    return redis_cluster


@pytest.fixture
def store(cluster: Any) -> Iterator[RedisStore]:
    store = RedisStore(connect(None, cluster.nodes), "normalizer")
    yield store
    store.close()


def test_load_with_the_cli_and_resolve(cluster: Any, alias_file: Path) -> None:
    first = cluster.servers[0]
    url = f"redis://127.0.0.1:{first.port}/0?cluster=true"
    result = CliRunner().invoke(main, ["load", str(alias_file), "--redis", url])
    assert result.exit_code == 0, result.output
    version = result.stdout.split("version ")[1].split()[0]
    assert "written" in result.stderr

    for server in cluster.servers:  # every node holds buckets of the table
        with server.client() as client:
            assert any(True for _ in client.scan_iter(f"normalizer:{version}:*"))

    app = create_app(
        {"TESTING": True, "ALIASES": str(alias_file), "REDIS_CLUSTER_NODES": cluster.nodes}
    )
    try:
        client = app.test_client()
        ready = client.get("/readyz")
        assert (ready.status_code, ready.get_json()["version"]) == (200, version)
        found = client.get("/v1/resolve", query_string={"name": "Kestrel Shipping Co. Ltd."})
        assert found.get_json()["match"]["id"] == "kestrel-shipping"
        assert client.get("/v1/entities/honduras").get_json()["name"] == "Honduras"
    finally:
        app.extensions["normalizer"].store.close()


def test_answers_equal_the_embedded_store(store: RedisStore, alias_file: Path) -> None:
    table = build_table(alias_file)
    store.publish(table)
    embedded = MemoryStore()
    embedded.publish(table)
    assert [r.to_json() for r in Matcher(store).resolve_many(QUERIES)] == [
        r.to_json() for r in Matcher(embedded).resolve_many(QUERIES)
    ]
    assert store.view().get_many(list(table.entries)) == list(table.entries.values())


def test_versions_switch_and_expire_across_nodes(
    store: RedisStore, cluster: Any, alias_file: Path
) -> None:
    table = build_table(alias_file)
    old = store.publish(table)
    new = store.publish(table)
    assert old != new and store.view().meta.version == new
    for server in cluster.servers:
        with server.client() as client:
            olds = list(client.scan_iter(f"normalizer:{old}:*"))
            news = [k for k in client.scan_iter(f"normalizer:{new}:*") if b"bloom" not in k]
            assert all(0 < client.ttl(key) <= store.grace for key in olds)
            assert news and all(client.ttl(key) == -1 for key in news)
            # the load raised hash-max-listpack-value on every node, not just one
            assert {client.object("encoding", key) for key in news} == {b"listpack"}
