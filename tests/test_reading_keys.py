"""A Latin word is indexed by its skeletons as its own language reads it (``v:`` keys,
normalizer.text.keys.reading_keys): Stockwell's w as a v is what Hebrew and Arabic write.
A query from another script asks them; a Latin query, which writes the letters, does not.

Invented names (never the benchmark's), through the app on a table where every other key
of the name lists only the first of its aliases, with the embedded store and with Redis.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product
from pathlib import Path

from explained import decided, table_client

from normalizer.match.query import prepare
from normalizer.store.redis import RedisStore, connect
from normalizer.table.shard import MAX_POSTINGS
from normalizer.text.keys import reading_keys, skeleton_key
from normalizer.web.app import create_app

pytest_plugins = ["redis_fixtures"]

# Words of a big table none of which is alike the name asked: syllables of m, n, l, r, p,
# b, d, g.
_WORDS = [
    (first + middle + last).title()
    for first, middle, last in product(
        ("ma", "ne", "lo", "ru", "pa", "de"),
        ("di", "go", "le", "ba", "nu"),
        ("mo", "ren", "nal", "dup", "gib", "lom", "par", "neb", "rud", "mig", "lar", "bon"),
    )
]


def test_a_word_has_a_key_for_each_way_its_language_reads_it() -> None:
    keys = reading_keys("stockwell")
    assert "v:stkbr" in keys  # w as v
    assert skeleton_key("stockwell") == "k:stkr"  # its own: the w unwritten
    assert not {key for key in keys if not key.startswith("v:")}


def test_a_word_with_no_letter_read_otherwise_has_none() -> None:
    assert reading_keys("stocker") == ()


def test_a_query_from_another_script_asks_its_skeleton_as_a_reading() -> None:
    assert "v:stkbr" in prepare("אוטה סטוקוול").keys
    assert not [key for key in prepare("Ute Stokvel").keys if key.startswith("v:")]


def crowded_table(folder: Path) -> Path:
    """Ute's keys, and the skeleton Stockwell has as written, list their first aliases only:
    a name that only its reading skeleton finds."""
    assert len(set(_WORDS)) > MAX_POSTINGS
    common = [f"Ute {word}" for word in _WORDS] + [f"{word} Stocker" for word in _WORDS]
    lines = [f"- {{id: common-{i}, name: {name}, type: person}}" for i, name in enumerate(common)]
    table = folder / "crowded.yml"
    table.write_text(
        "\n".join([*lines, "- {id: ute-stockwell, name: Ute Stockwell, type: person}"])
    )
    return table


def test_a_name_found_only_as_its_language_reads_it(tmp_path: Path) -> None:
    """The Hebrew's skeleton, Stockwell with its w read as v, finds the name alone."""
    assert decided(table_client(crowded_table(tmp_path)), "אוטה סטוקוול")[0] == "ute-stockwell"


def test_the_redis_store_has_the_reading_keys(
    tmp_path: Path, redis_url: str, wait_for: Callable[..., None]
) -> None:
    """Loaded into Redis as ``normalizer load`` writes a table, the keys find it too."""
    table = crowded_table(tmp_path)
    store = RedisStore(connect(redis_url), "test")
    try:
        store.load_path(table)  # what ``normalizer load`` calls
    finally:
        store.close()
    app = create_app(
        {"TESTING": True, "ALIASES": str(table), "REDIS_URL": redis_url, "REDIS_PREFIX": "test"}
    )
    try:
        client = app.test_client()
        wait_for(lambda: client.get("/readyz").status_code == 200, 30, "no table in Redis")
        assert decided(client, "אוטה סטוקוול")[0] == "ute-stockwell"
    finally:
        app.extensions["normalizer"].store.close()
