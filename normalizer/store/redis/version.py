"""A table version's envelope, as a load writes it and as a reader holds it.

The envelope is the JSON a load registers under ``{P}:versions``: the layout number, the
table's meta, the codec schema and the bucket count. A reader refuses a version in another
layout, or with record types its code does not have.
"""

from __future__ import annotations

import dataclasses
import json
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime

from normalizer.exc import NotReady
from normalizer.store.redis.codec import record_from_json, record_to_json
from normalizer.store.redis.layout import LAYOUT, version_seed
from normalizer.store.redis.schema import Decoder, Schema, SchemaMismatch
from normalizer.table.bloom import Bloom
from normalizer.table.records import TableMeta


def envelope(
    version: str, meta: TableMeta, schema: Schema, buckets: int, entries: int, bloom_bytes: int
) -> str:
    """The envelope of a version, with ``meta`` under the version's own id."""
    return json.dumps(
        {
            "layout": LAYOUT,
            "version": version,
            # The table's content (meta.version of the compile), which the id only begins.
            "fingerprint": meta.version,
            # In milliseconds: two loads a second apart are told apart (``heal``).
            "created": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "entries": entries,
            "buckets": buckets,
            "bloom": {"bytes": bloom_bytes},
            "meta": record_to_json(dataclasses.replace(meta, version=version)),
            "schema": schema.to_json(),
        }
    )


def bucket_count(raw_envelope: bytes | str) -> int:
    """The buckets of a registered version (a load registers ``{"buckets": n}`` first)."""
    count: int = json.loads(raw_envelope)["buckets"]
    return count


@dataclasses.dataclass
class Version:
    """A loaded version as a reader holds it."""

    id: str
    meta: TableMeta
    buckets: int
    decoders: dict[str, Decoder]
    confirmed: float = 0.0  # monotonic time the pointer was last seen on this version
    replaced: bool = False  # the pointer has been seen on another version since
    cache: OrderedDict[str, object | None] = dataclasses.field(default_factory=OrderedDict)
    bloom: Bloom | None = None  # fetched after pinning; until then every key is asked for
    bloom_bytes: int = 0
    fingerprint: str = ""  # the compiled table's content hash (TableMeta.version)
    created: str = ""  # when it was loaded, ISO 8601 in UTC (so strings sort by time)

    def __post_init__(self) -> None:
        self.seed = version_seed(self.id)

    def remember(self, keys: Sequence[str], values: Sequence[object | None], most: int) -> None:
        """Keep values (and absences) of this version, the oldest dropped beyond ``most``.
        Lookups share most keys (common tokens and their typo variants, mostly absent)."""
        cache = self.cache
        cache.update(zip(keys, values, strict=True))
        try:
            for _ in range(len(cache) - most):
                cache.popitem(last=False)
        except KeyError:  # emptied meanwhile by another thread
            pass

    @classmethod
    def from_envelope(cls, raw: bytes) -> Version:
        found = json.loads(raw)
        if found.get("layout") != LAYOUT:
            raise NotReady(
                f"alias table {found.get('version')} is in layout {found.get('layout')}, "
                f"this release reads layout {LAYOUT}: reload the table with this release"
            )
        try:
            decoders = Schema.from_json(found["schema"]).decoders()
        except SchemaMismatch as error:
            raise NotReady(f"alias table {found['version']}: {error}") from None
        meta = record_from_json(TableMeta, found["meta"])
        version = cls(found["version"], meta, found["buckets"], decoders)
        version.bloom_bytes = found.get("bloom", {}).get("bytes", 0)
        version.fingerprint = found.get("fingerprint", "")
        version.created = found.get("created", "")
        return version
