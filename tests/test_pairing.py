"""match/pair_candidates.py: which words of a query may pair with which words of one alias
record."""

from __future__ import annotations

import pytest

from normalizer.match.pair_candidates import MAX_CODE, candidate_pairs
from normalizer.table.records import AliasRecord
from normalizer.text.normalize import analyze


def record(text: str, entity_type: str) -> AliasRecord:
    tokens = tuple(analyze(text).tokens)
    return AliasRecord(
        alias_id=0,
        entity_id="invented",
        entity_name=text,
        entity_type=entity_type,
        text=text,
        tokens=tokens,
        optional=(False,) * len(tokens),
        weights=(5.0,) * len(tokens),
    )


def hows(query: str, alias: AliasRecord) -> list[str]:
    return [pair.how for _, pair in candidate_pairs(analyze(query), alias, transcribed=0)]


def test_an_organization_code_pairs_only_as_written() -> None:
    """An organization's name of one short word is a code (DAC): its letters are no
    sounds, and a word spelled as it might sound (DAK) is another code."""
    code = record("DAC", "organization")
    assert hows("DAC", code) == ["exact"]
    assert hows("DAK", code) == []


@pytest.mark.parametrize(
    ("query", "alias"),
    [
        ("Dak", record("Dac", "person")),  # a person's nickname is a name
        ("Dakko", record("Dacco", "organization")),  # longer than a code
        ("Dak", record("Dac Trading", "organization")),  # one word of a longer name
    ],
)
def test_other_short_words_pair_as_they_sound(query: str, alias: AliasRecord) -> None:
    assert hows(query, alias)[:1] == ["phonetic"]


def test_a_code_is_at_most_max_code_letters() -> None:
    assert hows("DAKKA", record("DACCA", "organization")) == ["phonetic"]
    assert len("dacca") == MAX_CODE + 1
