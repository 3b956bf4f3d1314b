"""Resolve names against the compiled table: keys -> candidates -> alignment -> decision
(``match.decision``).

A lookup is two or three batched fetches from the store, whatever the table's size: first
every key the query produces (whole-name, acronym and per-token keys); the whole name with
one word replaced by a typo of it that this found (``second_fetch.near_sounded_keys``)
and, for a name from another script, the pairs of its words one skeleton letter off
(``second_fetch.near_pair_keys``); then the records of the best few candidate aliases,
ranked by the rarity of the keys they share with the query. A batch of names shares each
fetch.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from itertools import chain, compress, repeat
from operator import is_not

from normalizer.bulk import fewer_collections
from normalizer.exc import BadRequest, OutOfTime
from normalizer.match.answers import Answers
from normalizer.match.bounds import Worth
from normalizer.match.decision import decide
from normalizer.match.owned import owned
from normalizer.match.query import Query, analyzed, prepare
from normalizer.match.results import Resolution
from normalizer.match.second_fetch import near_pair_keys, near_sounded_keys
from normalizer.match.shortlist import shortlist
from normalizer.settings import Settings
from normalizer.store.base import Store, TableView
from normalizer.table.records import AliasRecord, alias_key
from normalizer.text.normalize import Analysis

DEFAULT_THRESHOLD: float = Settings.threshold
DEFAULT_MARGIN: float = Settings.margin
CANDIDATE_ALIASES = 25
TYPED_SHORTLIST = 4


def check_type(view: TableView, entity_type: str | None) -> None:
    """Raises BadRequest, naming the known types, for a type the table does not have."""
    if entity_type is not None and entity_type not in view.meta.types:
        known = ", ".join(view.meta.types)
        raise BadRequest(f"unknown type {entity_type!r}; known: {known}", field="type")


class Matcher:
    """Resolves names against the table in a store: a match only when one entity leads."""

    def __init__(
        self,
        store: Store,
        threshold: float = DEFAULT_THRESHOLD,
        margin: float = DEFAULT_MARGIN,
        answer_cache: int = 0,
    ) -> None:
        """``answer_cache``: bytes of finished answers kept for names asked again (0: none;
        see match.answers)."""
        self.store = store
        self.threshold = threshold
        self.margin = margin
        self.answers = Answers(answer_cache) if answer_cache > 0 else None

    def resolve(
        self,
        name: str,
        entity_type: str | None = None,
        limit: int = 5,
        deadline: float | None = None,
        explain: bool = False,
    ) -> Resolution:
        """One name; see resolve_many."""
        return self.resolve_many([name], entity_type, limit, deadline, explain)[0]

    def resolve_many(
        self,
        names: Sequence[str],
        entity_type: str | None = None,
        limit: int = 5,
        deadline: float | None = None,
        explain: bool = False,
        worth: Worth | None = None,
    ) -> list[Resolution]:
        """Resolve names, of ``entity_type`` only if given, each with up to ``limit``
        candidates; the whole batch shares its fetches. A name one entity owns is answered
        at once (match.owned), unless ``explain`` asks for every candidate's alignment.
        Past ``deadline`` (a ``time.monotonic()`` time), raises OutOfTime between two
        names. ``worth``: only a match of an alias it accepts is wanted (see
        aligned.score_records); a name none of whose shortlisted aliases it accepts is left
        unaligned, with no candidates."""
        with fewer_collections():
            return self._resolve_many(names, entity_type, limit, deadline, explain, worth)

    def _resolve_many(
        self,
        names: Sequence[str],
        entity_type: str | None,
        limit: int,
        deadline: float | None,
        explain: bool,
        worth: Worth | None,
    ) -> list[Resolution]:
        clock = _Clock(deadline, len(names))
        view = self.store.view()
        check_type(view, entity_type)
        analyses = [analyzed(name) for name in names]
        clock.tick(0)
        answered = {} if explain else owned(view, names, analyses, entity_type)
        answers = None if explain else self.answers
        version = view.meta.version
        if answers is not None:
            asked = [i for i in range(len(names)) if i not in answered]
            keys = [(version, names[i], entity_type, limit, worth) for i in asked]
            for i, kept in zip(asked, answers.get_many(keys), strict=True):
                if kept is not None:
                    answered[i] = kept
        rest = [i for i in range(len(names)) if i not in answered]
        clock.answered = len(answered)
        picked = [names[i] for i in rest], [analyses[i] for i in rest]
        resolved = self._resolve_fully(view, *picked, entity_type, limit, clock, worth)
        answered.update(zip(rest, resolved, strict=True))
        if answers is not None:
            for i, resolution in zip(rest, resolved, strict=True):
                answers.put((version, names[i], entity_type, limit, worth), resolution)
        return [answered[i] for i in range(len(names))]

    def _resolve_fully(
        self,
        view: TableView,
        names: list[str],
        analyses: list[Analysis],
        entity_type: str | None,
        limit: int,
        clock: _Clock,
        worth: Worth | None,
    ) -> list[Resolution]:
        """Keys, shortlists, alignments and decisions: two or three fetches for the batch."""
        total = view.meta.aliases
        queries: list[Query] = []
        near = view.near_keys
        for name, analysis in zip(names, analyses, strict=True):
            clock.tick(0)
            queries.append(prepare(name, analysis, near))
        keys = list(dict.fromkeys(chain.from_iterable(q.all_keys() for q in queries)))
        found = _present(keys, view.get_many(keys))
        # Then the names and pairs of what the first fetch found one edit off (a second
        # fetch).
        near_pairs: dict[str, None] = {}
        for query in queries:
            one_off = near_pair_keys(query, found) | near_sounded_keys(query, found)
            for key, places in one_off.items():
                query.keys[key] = places
                if key not in found:
                    near_pairs[key] = None
        if near_pairs:
            asked = list(near_pairs)
            found.update(_present(asked, view.get_many(asked)))

        # A type filter or a long candidate list needs more names scored to fill it.
        size = max(CANDIDATE_ALIASES, limit) * (TYPED_SHORTLIST if entity_type else 1)
        shortlists: list[list[int]] = []
        for query in queries:
            clock.tick(0)
            shortlists.append(shortlist(query, found, total, size))
        record_keys = list(dict.fromkeys(alias_key(i) for ids in shortlists for i in ids))
        records = dict(zip(record_keys, view.get_many(record_keys), strict=True))

        results: list[Resolution] = []
        for query, ids in zip(queries, shortlists, strict=True):
            clock.tick(len(results))
            kept = [r for i in ids if isinstance(r := records[alias_key(i)], AliasRecord)]
            results.append(
                decide(
                    query,
                    kept,
                    found,
                    total,
                    entity_type,
                    limit,
                    worth,
                    self.threshold,
                    self.margin,
                )
            )
        return results


def _present(keys: list[str], values: Sequence[object | None]) -> dict[str, object]:
    """The keys the table has, with their values: a few dozen of a query's hundreds
    (picked in C)."""
    return dict(compress(zip(keys, values, strict=True), map(is_not, values, repeat(None))))


class _Clock:
    """The request's deadline, looked at between two names."""

    def __init__(self, deadline: float | None, names: int) -> None:
        self.deadline = deadline
        self.names = names
        self.answered = 0  # by the fast path, before the names ticked off

    def tick(self, done: int) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            done += self.answered
            raise OutOfTime(
                f"the request ran out of its time after {done} of {self.names} name(s) were "
                "resolved; send fewer or shorter names a request",
                field="names",
            )
