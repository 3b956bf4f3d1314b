"""A name misread by character recognition, two letters for one ("rn" for m, "cl" for d,
"vv" for w), is two edits from its own: the query also asks the keys of the name as it was
before the misreading, so it is found where a typo's keys do not reach. Invented names."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
from explained import resolve_explained, table_client

from normalizer.match.query import prepare
from normalizer.table.shard import MAX_POSTINGS
from normalizer.text.keys import token_keys
from normalizer.text.phonetics import ocr_readings

_SYLLABLES = "ba do fu gi lo mu pe ta vi zo".split()
_OTHERS = ["".join(parts).capitalize() for parts in product(_SYLLABLES, repeat=3)]


@pytest.mark.parametrize(
    ("word", "reading"),
    [("tarnpa", "tampa"), ("tampa", "tarnpa"), ("clova", "dova"), ("vvelda", "welda")],
)
def test_a_misreading_of_two_letters_for_one_is_undone(word: str, reading: str) -> None:
    assert reading in ocr_readings(word)


def test_a_word_without_such_letters_has_no_readings() -> None:
    assert ocr_readings("petra") == frozenset()


def test_a_name_in_another_script_asks_for_no_readings() -> None:
    """Recognition errors are of Latin letters; a transcription's guesses are its own."""
    assert not any(key in prepare("Тарнпа").keys for key in token_keys("tampa"))


def test_a_misread_name_is_found_among_many_of_its_given_name(tmp_path: Path) -> None:
    """Among more men named Ivo than a common key lists, Ivo Hampel misread as "Ivo
    Harnpel": the given name's keys list others, the surname's misreading is two edits
    from its own; its reading finds it."""
    table = tmp_path / "crowded.yml"
    people = [f"Ivo {other}" for other in _OTHERS[: MAX_POSTINGS + 20]] + ["Ivo Hampel"]
    table.write_text(
        "".join(
            f"- id: p{number}\n  name: {name}\n  type: person\n"
            for number, name in enumerate(people)
        ),
        encoding="utf-8",
    )
    result = resolve_explained(table_client(table), "Ivo Harnpel")
    assert result["candidates"][0]["id"] == f"p{len(people) - 1}"
    pairs = {
        (p["query"], p["alias"], p["how"]) for p in result["candidates"][0]["explain"]["alignment"]
    }
    assert ("harnpel", "hampel", "ocr") in pairs
