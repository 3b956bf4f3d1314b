"""The embedded store: the compiled table in this process, swapped by reference.

The default for ``make run`` and tests: nothing to set up. Each process (each gunicorn
worker) holds its own table, so a reload reaches only the process that does it.

Postings, names and entity records are held packed, as ``compile_table`` leaves them
(``table.packed.Held``), and made into ``Postings``, alias records and JSON again when
fetched, as the Redis store decodes its own. A tuple of ids points to int objects that the
compile allocated among millions of others: in a table of a million entities each id a
lookup walked was a cache miss, and lookups took twice as long as at ten thousand. Ids
made afresh lie together.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import compress, repeat

from normalizer.exc import NotReady
from normalizer.table.compiler import CompiledTable
from normalizer.table.near_keys import NearKeys
from normalizer.table.packed import PACKED, held_packed, unpacked
from normalizer.table.records import ALIAS_RECORDS, ENTITY_RECORDS, TableMeta

_RECORDS = (ALIAS_RECORDS + ":", ENTITY_RECORDS + ":")


class MemoryView:
    def __init__(self, table: CompiledTable) -> None:
        self._meta = table.meta
        # The compiled table's own held values (never changed), or a packed copy of a
        # table made otherwise.
        self._entries = held_packed(table.entries)
        self._near_keys = NearKeys(self._entries.keys)

    @property
    def meta(self) -> TableMeta:
        return self._meta

    @property
    def near_keys(self) -> NearKeys:
        return self._near_keys

    def get_many(self, keys: Sequence[str]) -> list[object | None]:
        held = self._entries
        values: list[object | None] = list(map(held.keys.get, keys))
        # Records are held apart from the lookup keys (``packed.Held``): found by their
        # keys' namespace, picked in C, as are the few values held packed.
        for at in compress(range(len(values)), map(str.startswith, keys, repeat(_RECORDS))):
            values[at] = held.get(keys[at])
        for at in compress(range(len(values)), map(PACKED.__contains__, map(type, values))):
            values[at] = unpacked(values[at])
        return values

    def has_many(self, keys: Sequence[str]) -> list[bool]:
        held = self._entries
        present = list(map(held.keys.__contains__, keys))
        for at in compress(range(len(present)), map(str.startswith, keys, repeat(_RECORDS))):
            present[at] = keys[at] in held
        return present


class MemoryStore:
    shared = False

    def __init__(self) -> None:
        self._view: MemoryView | None = None
        self._lock = threading.Lock()

    def view(self) -> MemoryView:
        current = self._view
        if current is None:
            raise NotReady("no alias table is loaded")
        return current

    def publish(self, table: CompiledTable) -> str:
        packed = MemoryView(table)  # outside the lock: lookups go on meanwhile
        with self._lock:
            self._view = packed
        return table.meta.version

    def ready(self) -> bool:
        return self._view is not None

    def close(self) -> None:
        self._view = None
