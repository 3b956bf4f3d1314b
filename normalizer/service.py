"""The running service: where the table comes from, the store it lives in, the matcher."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from normalizer.aliases import load_path
from normalizer.match.matcher import Matcher
from normalizer.store.base import Store
from normalizer.table.compiler import CompiledTable, compile_table
from normalizer.table.records import TableMeta

log = logging.getLogger(__name__)


def build_table(path: Path) -> CompiledTable:
    """Validate and compile the alias files at ``path``; raises AliasTableError."""
    return compile_table(load_path(path))


class Service:
    def __init__(self, store: Store, matcher: Matcher, aliases: Path) -> None:
        self.store = store
        self.matcher = matcher
        self.aliases = aliases

    def reload(self) -> TableMeta:
        """Recompile the alias path and publish it; a bad table leaves the old one in force.

        Returns the meta of the table now in force, under the version the store gave it.
        """
        table = build_table(self.aliases)
        version = self.store.publish(table)
        log.info(
            "alias table %s in force: %d entities, %d names",
            version,
            table.meta.entities,
            table.meta.aliases,
        )
        return replace(table.meta, version=version)
