"""The Bloom filter of a version's keys: never a false negative, about 1% false positives."""

from __future__ import annotations

import random

from normalizer.table.bloom import Bloom


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


def test_a_key_sets_the_bits_of_the_four_fields_of_its_hint() -> None:
    """The layout every release reads: the word from the low 32 bits, a bit from each of
    the four 6-bit fields above them (a filter written by one release is read by the next)."""
    bloom = Bloom.for_keys(50)
    hint = (0b000011_000010_101010_111111 << 32) | 7
    bloom.add(hint)
    word = bloom.words[7 % bloom.size]
    assert word == (1 << 0b111111 | 1 << 0b101010 | 1 << 0b000010 | 1 << 0b000011)
    assert [at for at, other in enumerate(bloom.words) if other] == [7 % bloom.size]


def test_admitted_are_the_positions_of_the_keys_it_contains() -> None:
    rng = random.Random(5)
    present = [rng.getrandbits(64) for _ in range(2_000)]
    bloom = Bloom.for_keys(len(present))
    bloom.add_many(present)
    asked = present[:500] + [rng.getrandbits(64) for _ in range(5_000)]
    rng.shuffle(asked)
    admitted = bloom.admitted(asked)
    assert admitted == [at for at, hint in enumerate(asked) if hint in bloom]
    assert {asked[at] for at in admitted} >= set(present[:500])
    assert len(admitted) < 500 + 5_000 * 0.02
