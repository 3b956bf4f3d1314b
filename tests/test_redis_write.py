"""Writing buckets (``store.redis.write``, ``listpack``): chunks sent while the next is
encoded, every field written once, buckets kept in Redis' compact encoding."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from redis_tables import PREFIX, table_of

from normalizer.service import build_table
from normalizer.store.redis import RedisStore, connect, listpack, write
from normalizer.store.redis.layout import Keys
from normalizer.store.redis.schema import Schema

pytest_plugins = ["redis_fixtures"]


def listpack_value(store: RedisStore) -> int:
    setting = store.client.config_get(listpack.LISTPACK_VALUE)
    return int(str(setting[listpack.LISTPACK_VALUE]))


def test_a_writer_sends_a_chunk_while_it_encodes_the_next(
    store: RedisStore, alias_file: Path
) -> None:
    """A writer sends each chunk of its share while it goes on encoding: Redis holds the
    first chunks before the last entries are encoded. Every field is written once."""
    entries = list(build_table(alias_file).entries.items())
    buckets = 2
    chunk = buckets * write.CHUNK_FIELDS
    assert len(entries) > 3 * chunk
    client = store.client
    keys = Keys("chunks")
    writer = write.ShareWriter(
        client, keys, "v1", buckets, Schema.learn(entries), listpack.Listpack(client, tune=True)
    )
    names = [keys.bucket("v1", bucket) for bucket in range(buckets)]
    in_redis_meanwhile: list[int] = []

    def produced() -> Iterator[tuple[str, object]]:
        for number, entry in enumerate(entries):
            if number == 3 * chunk:  # two chunks handed over: the first one is written
                in_redis_meanwhile.append(sum(client.hlen(name) for name in names))
            yield entry

    share = writer.write(produced(), len(entries))
    assert 0 < in_redis_meanwhile[0] < len(entries)
    assert share.fields == len(entries) == sum(client.hlen(name) for name in names)


def test_buckets_are_compact_listpacks(store: RedisStore, tmp_path: Path) -> None:
    store.client.config_set(listpack.LISTPACK_VALUE, 64)  # Redis' default
    version = store.publish(table_of(tmp_path, "a", extra=300))
    client = store.client
    buckets = [k for k in client.scan_iter(f"{PREFIX}:{version}:*") if not k.endswith(b"bloom")]
    assert len(buckets) > 20
    assert {client.object("encoding", key) for key in buckets} == {b"listpack"}
    assert listpack_value(store) > 64  # raised for the alias records


def test_without_tuning_the_limit_stays(redis_url: str, tmp_path: Path) -> None:
    store = RedisStore(connect(redis_url), PREFIX, tune=False)
    try:
        store.client.config_set(listpack.LISTPACK_VALUE, 64)
        store.publish(table_of(tmp_path, "a"))
        assert listpack_value(store) == 64
    finally:
        store.close()
