"""The garbage collector's thresholds during big requests (a batch of names, a text to
annotate): the youngest generation's raised for as long as any call runs, then the
process's own again."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from normalizer.bulk import YOUNGEST, fewer_collections


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


def test_a_batch_of_names_is_resolved_with_few_collections(
    client: FlaskClient, thresholds: tuple[int, int, int]
) -> None:
    # Invented names unlike every fixture name: each takes the matcher's full path.
    names = [f"Qorvandel Sputhrig {i}" for i in range(600)]
    youngest: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 0:
            youngest.append(1)

    gc.callbacks.append(count)
    try:
        response = client.post("/v1/resolve", json={"names": names})
    finally:
        gc.callbacks.remove(count)
    assert response.status_code == 200
    # Each 700 objects made would start a collection: hundreds for a batch this size.
    assert len(youngest) < 20, len(youngest)  # about 70 without
