"""Fewer collections of the youngest generation while texts are annotated.

Annotating a text makes a few objects a word and keeps most of them to the end of the
call: tens of thousands for 100 KB of prose. Each 700 objects made start a collection of
the youngest generation, which walks every object made since the last one: about fifty
collections for 100 KB, a twentieth of the call. While any text is annotated, the youngest
generation is collected each YOUNGEST objects instead; reference cycles are still collected,
only later. The thresholds are the process's, and gthread workers annotate in threads: they
are raised by the first call of several at once and restored by the last.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNGEST = 100_000


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
