"""The Bloom filter of a version's keys: never a false negative, about 1% false positives."""

from __future__ import annotations

import random

from normalizer.store.redis.bloom import Bloom


def test_no_false_negatives_few_false_positives() -> None:
    rng = random.Random(7)
    present = [rng.getrandbits(64) for _ in range(20_000)]
    bloom = Bloom.for_keys(len(present))
    for hint in present:
        bloom.add(hint)
    assert all(hint in bloom for hint in present)
    absent = [rng.getrandbits(64) for _ in range(20_000)]
    false_positives = sum(hint in bloom for hint in absent) / len(absent)
    assert false_positives < 0.02  # 1.1% measured for a blocked filter of this size
    assert len(bloom.to_bytes()) == 20_000 * 12 // 8


def test_a_filter_reads_back_from_bytes() -> None:
    bloom = Bloom.for_keys(100)
    bloom.add(12345678901234567)
    again = Bloom.from_bytes(bloom.to_bytes())
    assert 12345678901234567 in again
    assert sum(hint in again for hint in range(1000)) <= 20


def test_filters_of_two_writers_merge() -> None:
    """Each load process fills a filter for its share of the keys; the union has them all."""
    rng = random.Random(11)
    halves = [[rng.getrandbits(64) for _ in range(5_000)] for _ in range(2)]
    merged, other = Bloom.for_keys(10_000), Bloom.for_keys(10_000)
    for hint in halves[0]:
        merged.add(hint)
    for hint in halves[1]:
        other.add(hint)
    assert not all(hint in merged for hint in halves[1])
    merged.update(other)
    assert all(hint in merged for half in halves for hint in half)


def test_adding_many_is_adding_each() -> None:
    rng = random.Random(3)
    hints = [rng.getrandbits(64) for _ in range(3_000)]
    one_by_one, at_once = Bloom.for_keys(3_000), Bloom.for_keys(3_000)
    for hint in hints:
        one_by_one.add(hint)
    at_once.add_many(hints)
    assert at_once.to_bytes() == one_by_one.to_bytes()
