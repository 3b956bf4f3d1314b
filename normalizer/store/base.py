"""The store interface: what the matcher, the service and the API may ask of a store.

A store holds compiled tables and answers key lookups from one version at a time. The
matcher asks for a ``TableView`` (one version, pinned) and fetches keys from it in batches;
each ``get_many`` is one round trip for a remote store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from normalizer.table.compiler import CompiledTable
from normalizer.table.near_keys import NearKeys
from normalizer.table.records import TableMeta


class TableView(Protocol):
    """One version of the compiled table."""

    @property
    def meta(self) -> TableMeta: ...

    @property
    def near_keys(self) -> NearKeys | None:
        """Which typo keys the table has, where the store can tell without a round trip
        (a remote store filters the keys it is asked for itself)."""
        ...

    def get_many(self, keys: Sequence[str]) -> list[object | None]:
        """The values of ``keys``, in order; None where a key is absent."""
        ...

    def has_many(self, keys: Sequence[str]) -> list[bool]:
        """Whether each of ``keys`` is present, in order: for a caller that needs no value,
        which the store then neither decodes nor, where it can help it, sends."""
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

    def ready(self) -> bool:
        """Whether a table is in force and can be read now (a live check)."""
        ...

    def close(self) -> None:
        """Let go of connections; the store is not used after."""
        ...
