"""Finished answers, kept for the names asked again.

Services ask for the same names over and over (the people in today's news, a client's own
list sent every night), and articles repeat the same phrases; each costs the full path
again, a few milliseconds. So a worker keeps the answers it gave, keyed by the table's
version (a hash of its content: a reload to other content never meets an old answer), the
name as written, the type, the limit and the test that narrowed the question, if any (see
Key), the least recently used going first once their estimated size passes a budget in
bytes. Explained answers are not kept: they are for people, not for hot paths. A kept answer
drops its candidates' alias records (only an explanation reads them), which would keep a
Redis worker's decoded records alive.
"""

from __future__ import annotations

import dataclasses
import sys
import threading

import cachetools

from normalizer.match.bounds import Worth
from normalizer.match.results import Candidate, Resolution
from normalizer.store.events import emit

# Version, name as written, type, limit, and the test that narrowed the question
# (Matcher.resolve_many's ``worth``): a narrowed answer may lack a full one's candidates.
Key = tuple[str, str, str | None, int, Worth | None]
# What one candidate holds beyond its strings, estimated: the dataclass, its score and
# similarity, the alignment's pairs and the evidence's features (measured deeply, 1 to
# 2.5 KB with the strings). 32 MiB hold a few thousand answers of five candidates.
CANDIDATE_BYTES = 1500
ANSWER_BYTES = 400


def size_of(resolution: Resolution) -> int:
    """The estimated bytes an answer holds."""
    strings = sys.getsizeof(resolution.query) + sys.getsizeof(resolution.normalized)
    for candidate in resolution.candidates:
        strings += sum(
            map(sys.getsizeof, (candidate.id, candidate.name, candidate.matched, candidate.type))
        )
    return ANSWER_BYTES + CANDIDATE_BYTES * len(resolution.candidates) + strings


def kept(resolution: Resolution) -> Resolution:
    """The answer without its candidates' alias records; the match stays the candidate it is
    (its JSON is written once when it is the first)."""

    def lean(candidate: Candidate) -> Candidate:
        return dataclasses.replace(candidate, record=None)

    candidates = tuple(lean(c) for c in resolution.candidates)
    match = resolution.match
    if match is not None:
        same = [i for i, c in enumerate(resolution.candidates) if c is match]
        match = candidates[same[0]] if same else lean(match)
    return dataclasses.replace(resolution, match=match, candidates=candidates)


class Answers:
    """A worker's answers, at most ``max_bytes`` of them (estimated); thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self._cache: cachetools.LRUCache[Key, tuple[Resolution, int]] = cachetools.LRUCache(
            max_bytes, getsizeof=lambda entry: entry[1]
        )
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: list[Key]) -> list[Resolution | None]:
        """The answers kept for ``keys`` (None where there is none); the hits and misses
        are told to the metrics once a batch (store.events)."""
        with self._lock:
            found = [self._cache.get(key) for key in keys]
            answers = [None if entry is None else entry[0] for entry in found]
            hits = len(keys) - answers.count(None)
            self.hits += hits
            self.misses += len(keys) - hits
        for kind, count in (("hit", hits), ("miss", len(keys) - hits)):
            if count:
                emit("answer_cache", kind, count)
        return answers

    def put(self, key: Key, resolution: Resolution) -> None:
        answer = kept(resolution)
        size = size_of(answer)
        if size > self._cache.maxsize:
            return  # larger than the whole budget: cachetools would refuse it anyway
        with self._lock:
            self._cache[key] = (answer, size)

    def __len__(self) -> int:
        return len(self._cache)

    @property
    def bytes(self) -> int:
        return int(self._cache.currsize)
