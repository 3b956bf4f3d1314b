"""Building big tables in memory: validating and compiling a million entities.

Both allocate millions of small objects that live as long as the table. Python's cyclic
collector would walk all of them again and again for nothing: it took 40% of compile time,
and validation grew faster than the table (1M entities: 21 s with it, 9 s without). When
it is back on, what was built meanwhile is frozen (``gc.freeze``): left out of every later
collection, the first of which would otherwise walk it all (~5 s for 1M entities). Frozen
objects are still freed when no longer referenced; only reference cycles among them would
stay, and a table has none.

Big requests (a batch of names, a long text) make a few objects a word and keep most of
them to the end of the call: tens of thousands. Each 700 objects made start a collection of
the youngest generation, which walks every object made since the last one: about fifty
collections for a 100 KB text, 5-7% of the call. While such a call runs, the youngest
generation is collected each YOUNGEST objects instead (``fewer_collections``); reference
cycles are still collected, only later. The thresholds are the process's, and gthread
workers serve requests in threads: they are raised by the first call of several at once and
restored by the last.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNGEST = 100_000


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (reference counting still frees memory)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


class _Raised:
    """How many calls need the threshold raised, and what it was before the first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls = 0
        self.saved = gc.get_threshold()


_RAISED = _Raised()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The youngest generation collected each YOUNGEST objects made, not each 700."""
    with _RAISED.lock:
        if not _RAISED.calls:
            _RAISED.saved = gc.get_threshold()
            youngest, *older = _RAISED.saved
            if youngest:  # 0: collection is off, and stays off
                gc.set_threshold(max(youngest, YOUNGEST), *older)
        _RAISED.calls += 1
    try:
        yield
    finally:
        with _RAISED.lock:
            _RAISED.calls -= 1
            if not _RAISED.calls:
                gc.set_threshold(*_RAISED.saved)
