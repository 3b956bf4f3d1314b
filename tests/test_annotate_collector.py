"""The garbage collector's thresholds while texts are annotated: the youngest generation's
raised for as long as any call runs, then the process's own again."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from normalizer.annotate.collector import YOUNGEST, fewer_collections


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*before)


def test_raised_inside_and_restored_after(thresholds: tuple[int, int, int]) -> None:
    with fewer_collections():
        assert gc.get_threshold() == (YOUNGEST, 10, 10)
    assert gc.get_threshold() == thresholds


def test_restored_by_the_last_of_overlapping_calls(thresholds: tuple[int, int, int]) -> None:
    entered, release = threading.Barrier(2), threading.Event()
    seen: list[tuple[int, int, int]] = []

    def other_call() -> None:
        with fewer_collections():
            entered.wait()
            release.wait()
        seen.append(gc.get_threshold())

    thread = threading.Thread(target=other_call)
    thread.start()
    with fewer_collections():
        entered.wait()
        release.set()
        thread.join()
        # The other call ended first: this one still runs with the threshold raised.
        assert seen == [(YOUNGEST, 10, 10)]
        assert gc.get_threshold() == (YOUNGEST, 10, 10)
    assert gc.get_threshold() == thresholds


def test_collection_switched_off_stays_off(thresholds: tuple[int, int, int]) -> None:
    gc.set_threshold(0)
    with fewer_collections():
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold()[0] == 0
