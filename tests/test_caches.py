"""normalizer/caches.py: caches bounded in bytes, whatever their entries' sizes."""

from __future__ import annotations

import threading

from normalizer.caches import bounded, cached_bytes, reset_caches, sizeof
from normalizer.text.keys import typo_keys


def test_sizeof_counts_what_a_value_holds() -> None:
    word = "x" * 1000
    assert sizeof(frozenset({word, word + "y"})) > 2000
    assert sizeof((word, (word,))) > 2000
    assert sizeof({"k": word}) > 1000


def test_entries_are_dropped_past_the_budget_least_recent_first() -> None:
    calls: list[int] = []

    @bounded(20_000)
    def big(n: int) -> str:
        calls.append(n)
        return "v" * 4000 + str(n)

    for n in range(10):
        big(n)
    big(9)  # the newest is still there
    assert calls.count(9) == 1
    big(0)  # the oldest was dropped: computed again
    assert calls.count(0) == 2
    assert cached_bytes() >= 0


def test_a_value_larger_than_the_budget_is_not_kept() -> None:
    calls: list[int] = []

    @bounded(1_000)
    def huge(n: int) -> str:
        calls.append(n)
        return "v" * 5000

    huge(1)
    huge(1)
    assert calls == [1, 1]


def test_typo_variants_of_long_words_cannot_fill_memory() -> None:
    """The variants of a word are some 60 a letter: a thousand distinct long words stay
    within the cache's budget (they once took 11 MB each)."""
    reset_caches()
    for n in range(1000):
        typo_keys(f"{n:04d}" + "abcdefghijklmnopqrstuvwxyz" * 20, True)
    assert cached_bytes() <= 100 << 20


def test_threads_share_a_cache_safely() -> None:
    @bounded(1 << 20)
    def square(n: int) -> int:
        return n * n

    errors: list[BaseException] = []

    def hammer() -> None:
        try:
            for n in range(2000):
                assert square(n % 97) == (n % 97) ** 2
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
