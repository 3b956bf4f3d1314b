"""The running service: its settings, the store its table lives in, and the matcher."""

from __future__ import annotations

import gc
import itertools
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from normalizer.aliases import load_path
from normalizer.aliases.load import alias_paths, each_entity, files_stamp, no_entities
from normalizer.aliases.model import Entity
from normalizer.aliases.readers import Part
from normalizer.exc import AliasProblem, AliasTableError
from normalizer.match import shortlist
from normalizer.match.matcher import Matcher
from normalizer.match.results import Candidate, Resolution
from normalizer.settings import Settings
from normalizer.store import (
    MemoryStore,
    ReviewQueue,
    Store,
    in_force,
    open_review_queue,
    open_store,
)
from normalizer.store.review import Miss, Suggestion
from normalizer.store.review_writer import ReviewWriter
from normalizer.table import parallel
from normalizer.table.analysis import Analyzed
from normalizer.table.analysis import analyzed as analyzed_entity
from normalizer.table.compiler import CompiledTable, compile_analyzed, compile_table
from normalizer.table.records import TableMeta, entity_key
from normalizer.table.silenced import refuse_silencing
from normalizer.text import japanese_romanization, palladius

log = logging.getLogger(__name__)
# Seconds between two looks at the alias files' stamps (a few stat calls).
FOLLOW_EVERY = 1.0
SUGGESTIONS = 3  # candidates kept with a queued name
# Entities parsed at a time before the compile takes them: one by one, the parse and the
# compile evicted each other's data from the processor's caches (8-12% more CPU time).
PARSED_AT_A_TIME = 4096


def build_table(path: Path, workers: int | None = None) -> CompiledTable:
    """Validate and compile the alias files at ``path``; raises AliasTableError.

    The files are read a few thousand entities at a time as the compile takes them, each
    run let go once compiled: a million entities parsed at once are as big as their table.
    ``workers`` other processes read and analyse them if not 0 (by default, for big
    files: ``table.parallel``). A table with a problem is refused whole; from its first
    problem on the files are only read, for the others, and nothing more is compiled."""
    problems: list[AliasProblem] = []
    files = alias_paths(path)
    if workers is None:
        workers = parallel.workers_for(files)
    analyzed: Iterable[Analyzed]
    if workers:
        log.info("reading %s with %d worker processes", path, workers)
        analyzed = parallel.analyzed_entities(files, workers, problems)
    else:
        entities = each_entity([Part(file) for file in files], problems)
        analyzed = map(analyzed_entity, _in_runs(entities, problems))
    table = compile_analyzed(analyzed)
    table.meta = replace(table.meta, source=str(path.resolve()))
    if problems:
        raise AliasTableError(problems)
    if not table.meta.entities:
        raise no_entities(path)
    return table


def _in_runs(entities: Iterator[Entity], problems: list[AliasProblem]) -> Iterator[Entity]:
    """``entities`` parsed PARSED_AT_A_TIME at a time, none once a problem is found."""
    while run := list(itertools.islice(entities, PARSED_AT_A_TIME)):
        if not problems:
            yield from run
        run.clear()


def matcher_on(table: CompiledTable, settings: Settings) -> Matcher:
    """A matcher on ``table`` (compiled already) in an embedded store of its own, with the
    threshold and margin of ``settings``: the answers the service would give from it."""
    store = MemoryStore()
    store.publish(table)
    return Matcher(store, settings.threshold, settings.margin, settings.answer_cache)


def _settle() -> None:
    """Keep what start-up made (the compiled table: millions of objects, and the code) out of
    the garbage collector's way: the collector rescans every tracked object on its full
    collections, and a lookup leaves thousands of short-lived objects that trigger them.
    Frozen before gunicorn forks, the table also stays shared between the workers."""
    gc.freeze()


def misses(resolutions: Sequence[Resolution]) -> list[Miss]:
    """The names of ``resolutions`` without a confident match, with their best candidates:
    nothing else of the request. A name that normalizes to nothing is no curator's work."""
    return [
        Miss(r.query, tuple(_suggestion(c) for c in r.candidates[:SUGGESTIONS]))
        for r in resolutions
        if r.match is None and r.normalized
    ]


def _suggestion(candidate: Candidate) -> Suggestion:
    # Rounded as the API shows scores (Candidate.to_json).
    return Suggestion(candidate.id, candidate.name, round(candidate.score, 4))


class Service:
    def __init__(self, settings: Settings, store: Store, review: ReviewQueue | None = None) -> None:
        self.settings = settings
        self.store = store
        self.aliases = settings.alias_path
        self.matcher = Matcher(store, settings.threshold, settings.margin, settings.answer_cache)
        self._stamp = files_stamp(self.aliases)
        self._looked = time.monotonic()
        self._following = threading.Lock()
        # The queue of names without a confident match (NORMALIZER_REVIEW), written in the
        # background; None when off.
        self.review = review
        self._review_writer = None if review is None else ReviewWriter(review)

    @classmethod
    def start(cls, settings: Settings) -> Service:
        """The service ``settings`` describe, with a table in force. The embedded store
        compiles the alias path now; with Redis the table is there already (or, if Redis
        has none, the first worker to notice loads it)."""
        aliases = settings.alias_path
        store = open_store(settings, lambda: build_table(aliases, settings.compile_workers))
        service = cls(settings, store, open_review_queue(settings))
        if not store.shared:
            service.reload()
        elif not aliases.exists():
            raise AliasTableError([AliasProblem(str(aliases), 0, "no such file or folder")])
        elif not store.ready():
            log.warning("Redis has no alias table or does not answer: 503 until it does")
        # After the embedded store's compile, whose peak they would otherwise add to.
        japanese_romanization.warm_up()
        palladius.warm_up()
        shortlist.warm_up()
        _settle()
        return service

    def reload(self) -> TableMeta:
        """Recompile the alias path and publish it; a bad table leaves the old one in force,
        and so does one that would make a name of it ambiguous (``table.silenced``).

        Returns the meta of the table now in force, under the version the store gave it.
        """
        self._stamp = files_stamp(self.aliases)  # before reading: a later edit is seen
        before = in_force(self.store)
        if before is None:  # the first table: nothing to silence, no entity to keep
            return self._publish(build_table(self.aliases, self.settings.compile_workers))
        entities = load_path(self.aliases)
        table = compile_table(entities)
        refuse_silencing(entities, table, before)
        return self._publish(table)

    def publish(self, table: CompiledTable) -> TableMeta:
        """Make ``table``, compiled from the alias files as they are now and checked as
        ``reload`` checks it (an accepted alias: ``curate.accept``), the table in force."""
        self._stamp = files_stamp(self.aliases)
        return self._publish(table)

    def _publish(self, table: CompiledTable) -> TableMeta:
        table.meta = replace(table.meta, source=str(self.aliases.resolve()))
        version = self.store.publish(table)
        _settle()
        log.info(
            "alias table %s in force: %d entities, %d names",
            version,
            table.meta.entities,
            table.meta.names,
        )
        return replace(table.meta, version=version)

    def follow_files(self) -> None:
        """With the embedded store, reload in the background once the alias files have
        changed: each worker holds its own table, and this is how an edit (a curator's, or
        an accepted name) reaches them all. Looks at most every FOLLOW_EVERY seconds; a bad
        edit is logged and the table in force stays, until the files change again."""
        if self.store.shared or not self.settings.follow_files:
            return
        now = time.monotonic()
        if now - self._looked < FOLLOW_EVERY:
            return
        self._looked = now
        if files_stamp(self.aliases) == self._stamp or not self._following.acquire(False):
            return
        threading.Thread(target=self._reload_edited, name="follow-aliases", daemon=True).start()

    def _reload_edited(self) -> None:
        try:
            self.reload()
        except AliasTableError as error:
            log.warning(
                "alias files changed but not reloaded, the table in force stays:\n%s", error
            )
        except Exception:  # a thread's exception would go unseen otherwise
            log.exception("alias files changed but not reloaded, the table in force stays")
        finally:
            self._following.release()

    def queue_misses(self, resolutions: Sequence[Resolution]) -> None:
        """Queue the names of one request that got no confident match, if review is on;
        never waits on the queue, never fails."""
        if self._review_writer is not None:
            self._review_writer.offer(misses(resolutions))

    def flush_review(self, timeout: float) -> bool:
        """Wait for the misses queued so far to be written (or dropped); for tests."""
        return self._review_writer is None or self._review_writer.flush(timeout)

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """The entity as its record holds it (JSON), or None."""
        (found,) = self.store.view().get_many([entity_key(entity_id)])
        return found if isinstance(found, dict) else None
