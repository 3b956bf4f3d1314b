"""The store interface, and the embedded in-process store.

A store holds compiled tables and answers key lookups from one version at a time. The
matcher asks for a ``TableView`` (one version, pinned) and fetches keys from it in batches;
each ``get_many`` is one round trip for a remote store.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

from normalizer.exc import NotReady
from normalizer.table.compiler import CompiledTable
from normalizer.table.records import TableMeta


class TableView(Protocol):
    """One version of the compiled table."""

    @property
    def meta(self) -> TableMeta: ...

    def get_many(self, keys: Sequence[str]) -> list[object | None]:
        """The values of ``keys``, in order; None where a key is absent."""
        ...


class Store(Protocol):
    # True when every worker reads this store (a reload reaches them all).
    shared: bool

    def view(self) -> TableView:
        """The version in force; raises NotReady when none is loaded or reachable."""
        ...

    def publish(self, table: CompiledTable) -> str:
        """Make ``table`` the version in force, atomically; returns its version."""
        ...

    def ready(self) -> bool: ...


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
    """The embedded store: the compiled table in this process, swapped by reference."""

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
