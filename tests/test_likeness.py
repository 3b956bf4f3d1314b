"""The likeness prefilter (match.likeness) leaves out no pair of words that
token_similarity finds alike: the matcher asks token_similarity about its pairs only, so a
pair missing here would change an answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizer.match.likeness import alike
from normalizer.match.similarity import token_similarity
from normalizer.text.normalize import analyze
from normalizer.text.translit import Script

DEV = Path(__file__).resolve().parent.parent / "bench" / "data" / "dev"


def _words(path: Path, *fields: str) -> list[str]:
    found: dict[str, None] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            for field in fields:
                values = record.get(field) or []
                for value in [values] if isinstance(values, str) else values:
                    text = value if isinstance(value, str) else value["name"]
                    found.update(dict.fromkeys(analyze(text).tokens))
    return list(found)


@pytest.mark.parametrize("transcribed", [False, True])
def test_every_alike_pair_of_dev_words_is_kept(transcribed: bool) -> None:
    """Words of dev queries (typos, respellings, transcriptions) against every word of the
    dev gallery's names: hundreds of thousands of pairs, some thousands alike."""
    gallery = _words(DEV / "gallery.jsonl", "name", "aliases")
    queries = _words(DEV / "queries.jsonl", "query")[::20]
    kept = {(q, a) for q, alike_q in alike(queries, gallery, transcribed).items() for a in alike_q}
    missed = [
        (q, a)
        for q in queries
        for a in gallery
        if token_similarity(q, a, transcribed)[0] > 0 and (q, a) not in kept
    ]
    alike_pairs = sum(1 for q in queries for a in gallery if (q, a) in kept)
    assert alike_pairs > 1000  # the test meets many alike pairs
    assert not missed, missed[:10]


# Letters that make near words: vowels and consonants the folds and skeletons merge.
_LETTERS = "aeiouyhkgrlszcjdtbpfvwmnx"
_WORD = st.text(alphabet=_LETTERS, min_size=1, max_size=9)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_WORD, min_size=1, max_size=4),
    st.lists(_WORD, min_size=1, max_size=8),
    st.sampled_from(["", "kh", "g", "abd"]),
    st.sampled_from(list(Script)),
)
def test_no_alike_pair_of_made_up_words_is_missed(
    queries: list[str], aliases: list[str], prefix: str, transcribed: Script
) -> None:
    queries = [prefix + q for q in queries]
    found = alike(queries, aliases + queries[:1], transcribed)
    kept = {(q, a) for q, partners in found.items() for a in partners}
    for q in queries:
        for a in aliases + queries[:1]:
            if token_similarity(q, a, transcribed)[0] > 0:
                assert (q, a) in kept, (q, a, token_similarity(q, a, transcribed))
