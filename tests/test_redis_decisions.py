"""The one-word rules decide alike on the Redis store: they read the postings of the
query's keys (how many aliases a word or initials list, and which), which Redis holds
packed and decodes on fetch, where the embedded store holds them as compiled. The tables
of test_lone_surnames.py and test_table_acronyms.py, published to a real redis-server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from explained import decided
from flask.testing import FlaskClient
from test_lone_surnames import people_table
from test_table_acronyms import organizations_table

from normalizer.service import build_table
from normalizer.store.redis import RedisStore, connect
from normalizer.web.app import create_app

pytest_plugins = ["redis_fixtures"]

NAMES = {
    "people": ["Qurmashi", "Al-Qurmashi", "Ventresca", "Nabil", "Brandtner", "Al Rushdani"],
    "organizations": ["AAAH", "A.A.A.H.", "BOT"],
}


@pytest.fixture(scope="module", params=sorted(NAMES))
def table(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "people":
        return people_table(folder)
    return organizations_table(folder, 10_000)


@pytest.fixture
def on_redis(table: Path, redis_url: str) -> Iterator[FlaskClient]:
    prefix = f"decisions-{table.stem}"
    store = RedisStore(connect(redis_url), prefix)
    store.publish(build_table(table))
    store.close()
    app = create_app(
        {"TESTING": True, "ALIASES": str(table), "REDIS_URL": redis_url, "REDIS_PREFIX": prefix}
    )
    yield app.test_client()
    app.extensions["normalizer"].store.close()


def test_the_redis_store_decides_as_the_embedded_one(table: Path, on_redis: FlaskClient) -> None:
    embedded = create_app({"TESTING": True, "ALIASES": str(table)}).test_client()
    names = NAMES[table.stem]
    expected = [decided(embedded, name) for name in names]
    assert [decided(on_redis, name) for name in names] == expected
    # The premise: the rules decided some of these (the embedded store's own tests say how).
    assert {"rare_family_name", "unique_initials"} & {answer[3] for answer in expected}
