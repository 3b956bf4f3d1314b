"""The embedded store: the compiled table in this process, swapped by reference.

The default for ``make run`` and tests: nothing to set up. Each process (each gunicorn
worker) holds its own table, so a reload reaches only the process that does it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from normalizer.exc import NotReady
from normalizer.table.compiler import CompiledTable
from normalizer.table.records import TableMeta


class MemoryView:
    def __init__(self, table: CompiledTable) -> None:
        self._meta = table.meta
        self._entries = table.entries

    @property
    def meta(self) -> TableMeta:
        return self._meta

    def get_many(self, keys: Sequence[str]) -> list[object | None]:
        entries = self._entries
        return [entries.get(key) for key in keys]


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
        with self._lock:
            self._view = MemoryView(table)
        return table.meta.version

    def ready(self) -> bool:
        return self._view is not None

    def close(self) -> None:
        self._view = None
