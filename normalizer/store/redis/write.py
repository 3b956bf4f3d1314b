"""Writing a compiled table into the buckets of a new version, one share per process.

A share is every bucket whose number is ``part`` modulo ``parts``. A writer encodes its share
in chunks, grouped by bucket, and a thread sends each chunk (an HSET a bucket, ``WRITE_BATCH``
fields a round trip) while the next is encoded. HSET's reply (the fields it added) tells
whether a key met another on one field, whichever HSET wrote the other.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Callable, Iterable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from typing import cast

import redis
from redis.cluster import RedisCluster

from normalizer.store.redis.client import Client, reachable, send, send_packed
from normalizer.store.redis.layout import FIELD_BYTES, Keys, locator
from normalizer.store.redis.listpack import Listpack
from normalizer.store.redis.schema import Schema
from normalizer.table.bloom import Bloom

log = logging.getLogger(__name__)

WRITE_BATCH = 20_000  # fields per round trip
# Fields a bucket gets per chunk a writer encodes and sends: more chunks, more of Redis' work
# done while the writer encodes, but more HSETs (one a bucket a chunk).
CHUNK_FIELDS = 8
PROGRESS_EVERY = 200_000
PROGRESS_SECONDS = 0.5
# A field and a value in RESP: head, field, middle (with the value's size), value, end.
_FIELD_HEAD = b"$%d\r\n" % FIELD_BYTES
_MIDDLES = [b"\r\n$%d\r\n" % size for size in range(2048)]
_END = b"\r\n"


class FieldCollision(Exception):
    """Two keys of one bucket share a field (odds ~1e-6 for a 1M-entity table)."""


@dataclasses.dataclass(frozen=True)
class Share:
    """What one writer wrote."""

    fields: int
    payload_bytes: int
    bloom: bytes
    namespaces: dict[str, str]
    record_fields: dict[str, list[str]]


@dataclasses.dataclass
class ShareWriter:
    client: Client
    keys: Keys
    version: str
    buckets: int
    schema: Schema
    listpack: Listpack
    part: int = 0
    parts: int = 1
    progress: Callable[[str, int], None] = lambda stage, done: None
    # Checked between round trips: a writer whose load was given up stops.
    wanted: Callable[[], bool] = lambda: True
    _written: int = 0  # fields written (by the sending thread)
    _said: int = 0  # fields said written (by this one)

    def write(self, entries: Iterable[tuple[str, object]], keys: int) -> Share:
        """Encode this share of ``entries`` in their order (the order they lie in memory:
        visited by bucket instead, a forked writer took 4x as long), and send them.
        ``keys``: how many the whole table has (every writer's Bloom filter has its size)."""
        return self._write(entries, keys, self.schema.encoder())

    def write_encoded(self, entries: Iterable[tuple[str, bytes]], keys: int) -> Share:
        """``write`` for entries encoded already, as the schema encodes them (namespaces
        noted in it)."""
        return self._write(entries, keys, None)

    def _write(
        self,
        entries: Iterable[tuple[str, object]],
        keys: int,
        encode: Callable[[str, object], bytes] | None,
    ) -> Share:
        locate, part, parts = locator(self.version, self.buckets), self.part, self.parts
        self._written = self._said = 0
        # Per bucket of this share: its fields and values as HSET takes them, in RESP
        # already for a standalone Redis (formatting them later cost as much again).
        packed = not isinstance(self.client, RedisCluster)
        count = math.ceil((self.buckets - part) / parts)
        # Entries are encoded in chunks, and a thread sends one chunk while the next is
        # encoded: Redis takes in one while this process encodes the other.
        chunk = max(1, count * CHUNK_FIELDS)
        groups: list[list[bytes]] = [[] for _ in range(count)]
        hints: list[int] = []
        payload = largest = encoded = 0
        sending: Future[None] | None = None
        with ThreadPoolExecutor(1, thread_name_prefix="normalizer-write") as sender:
            for key, value in entries:
                field, bucket, hint = locate(key)
                if bucket % parts == part:
                    data = encode(key, value) if encode else cast(bytes, value)
                    size = len(data)
                    if packed:
                        middle = _MIDDLES[size] if size < len(_MIDDLES) else b"\r\n$%d\r\n" % size
                        groups[bucket // parts] += (_FIELD_HEAD, field, middle, data, _END)
                    else:
                        groups[bucket // parts] += (field, data)
                    hints.append(hint)
                    payload += size
                    if size > largest:
                        largest = size
                    encoded += 1
                    if encoded % PROGRESS_EVERY == 0:
                        self.progress("encoded", encoded)
                        self._say_written()
                    if encoded % chunk == 0:
                        self._wait(sending)
                        sending = sender.submit(self._send_groups, groups, largest, packed)
                        groups = [[] for _ in range(count)]
            self.progress("encoded", encoded)
            self._wait(sending)
            self._wait(sender.submit(self._send_groups, groups, largest, packed))
        bloom = Bloom.for_keys(keys)
        bloom.add_many(hints)
        schema = self.schema
        return Share(self._written, payload, bloom.to_bytes(), schema.namespaces, schema.fields)

    def _wait(self, sending: Future[None] | None) -> None:
        """Until the chunk being sent is written (or its error raised), saying how far the
        writing is."""
        if sending is None:
            return
        while not sending.done():
            futures.wait([sending], timeout=PROGRESS_SECONDS)
            self._say_written()
        sending.result()
        self._say_written()

    def _say_written(self) -> None:
        # From this thread only: progress may go down a pipe.
        if self._written != self._said:
            self._said = self._written
            self.progress("written", self._said)

    def _send_groups(self, groups: list[list[bytes]], largest: int, packed: bool) -> None:
        """Send one chunk, bucket by bucket, ``WRITE_BATCH`` fields a round trip."""
        self.listpack.fit(largest)
        pieces = 5 if packed else 2
        commands: list[list[bytes]] = []
        pending = 0
        for index, group in enumerate(groups):
            if group:
                bucket = index * self.parts + self.part
                name = self.keys.bucket(self.version, bucket).encode()
                fields = len(group) // pieces
                if packed:
                    head = b"*%d\r\n$4\r\nHSET\r\n$%d\r\n%s\r\n" % (2 + 2 * fields, len(name), name)
                    commands.append([head, *group])
                else:
                    commands.append([b"HSET", name, *group])
                pending += fields
            if pending >= WRITE_BATCH or (index == len(groups) - 1 and commands):
                self._written += self._send(commands, pending, packed)
                commands, pending = [], 0

    def _send(self, commands: list[list[bytes]], fields: int, packed: bool) -> int:
        if not self.wanted():
            raise RuntimeError("the load was given up")
        with reachable():
            if packed:
                payload = b"".join([b"".join(command) for command in commands])
                replies = send_packed(cast(redis.Redis, self.client), payload, len(commands))
            else:
                replies = send(self.client, commands)
            added = sum(replies)
        if added != fields:
            raise FieldCollision(f"{fields - added} field(s) of version {self.version} collide")
        return fields
