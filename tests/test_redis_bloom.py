"""The Bloom filter of a version's keys: never a false negative, about 1% false positives."""

from __future__ import annotations

import random

from normalizer.bloom import Bloom


def test_no_false_negatives_few_false_positives() -> None:
    rng = random.Random(7)
    present = [rng.getrandbits(64) for _ in range(20_000)]
    bloom = Bloom.for_keys(len(present))
    for hint in present:
        bloom.add(hint)
    assert all(hint in bloom for hint in present)
    absent = [rng.getrandbits(64) for _ in range(20_000)]
    false_positives = sum(hint in bloom for hint in absent) / len(absent)
    assert false_positives < 0.02  # 0.8% in theory
    assert len(bloom.bits) == 20_000 * 12 // 8


def test_a_filter_reads_back_from_bytes() -> None:
    bloom = Bloom.for_keys(100)
    bloom.add(12345678901234567)
    again = Bloom(bytes(bloom.bits), bloom.probes)
    assert 12345678901234567 in again
    assert sum(hint in again for hint in range(1000)) <= 20
