"""The embedded store: the compiled table in this process, swapped by reference.

The default for ``make run`` and tests: nothing to set up. Each process (each gunicorn
worker) holds its own table, so a reload reaches only the process that does it.

Postings are held packed (their alias ids in an array of machine integers) and made into
``Postings`` again when fetched, as the Redis store decodes them. A tuple of ids points to
int objects that the compile allocated among millions of others: in a table of a million
entities each id a lookup walks was a cache miss, and lookups took twice as long as at ten
thousand. Ids made afresh from an array lie together, and the array is a quarter the size.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Sequence
from itertools import compress, repeat
from operator import is_
from typing import cast

from normalizer.exc import NotReady
from normalizer.table.compiler import CompiledTable
from normalizer.table.records import Postings, TableMeta


class _Packed:
    """A key's postings as held: the true size, and the ids in an array."""

    __slots__ = ("ids", "size")

    def __init__(self, postings: Postings) -> None:
        self.size = postings.size
        self.ids = array("I", postings.ids)

    def unpacked(self) -> Postings:
        return Postings(self.size, tuple(self.ids))


def _packed(entries: dict[str, object]) -> dict[str, object]:
    """``entries`` with each Postings packed; the table's own dict is left as it is (its
    caller may read it), and postings records it shares stay shared."""
    held = dict(entries)  # a copy, then only the postings replaced: no key inserted
    made: dict[int, _Packed] = {}  # by the id of the Postings record, alive meanwhile
    for key, value in entries.items():
        if type(value) is Postings:
            if (packed := made.get(id(value))) is None:
                packed = made[id(value)] = _Packed(value)
            held[key] = packed
    return held


class MemoryView:
    def __init__(self, table: CompiledTable) -> None:
        self._meta = table.meta
        self._entries = _packed(table.entries)

    @property
    def meta(self) -> TableMeta:
        return self._meta

    def get_many(self, keys: Sequence[str]) -> list[object | None]:
        values = list(map(self._entries.get, keys))
        # Most of a query's keys are absent: the few postings found are picked in C.
        for at in compress(range(len(values)), map(is_, map(type, values), repeat(_Packed))):
            values[at] = cast(_Packed, values[at]).unpacked()
        return values


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
