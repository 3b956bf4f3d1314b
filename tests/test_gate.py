"""normalizer/web/gate.py: turns to resolve, in the order asked, within the deadline."""

from __future__ import annotations

import threading
import time

import pytest

from normalizer.exc import OutOfTime
from normalizer.web.gate import Gate

HANG = 30.0


def test_a_request_without_a_turn_before_its_deadline_is_refused() -> None:
    gate = Gate(1)
    with gate.turn(time.monotonic() + HANG):
        with pytest.raises(OutOfTime):
            with gate.turn(time.monotonic() + 0.05):
                pass
    with gate.turn(time.monotonic() + HANG):  # the refused one left no slot taken
        pass


def test_turns_are_given_in_the_order_asked() -> None:
    gate = Gate(1)
    order: list[int] = []
    queued = threading.Semaphore(0)
    holding = gate.turn(time.monotonic() + HANG)
    holding.__enter__()

    def wait_turn(n: int) -> None:
        queued.release()
        with gate.turn(time.monotonic() + HANG):
            order.append(n)

    threads = []
    for n in range(5):
        thread = threading.Thread(target=wait_turn, args=(n,))
        thread.start()
        threads.append(thread)
        assert queued.acquire(timeout=HANG)
        # Queued (not merely started) before the next one asks.
        deadline = time.monotonic() + HANG
        while len(gate._waiting) < n + 1:
            assert time.monotonic() < deadline
            time.sleep(0.001)
    holding.__exit__(None, None, None)
    for thread in threads:
        thread.join(timeout=HANG)
    assert order == [0, 1, 2, 3, 4]
