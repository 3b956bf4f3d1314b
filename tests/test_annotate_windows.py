"""Which windows of a text go to the matcher's full path (normalizer/annotate/windows.py)."""

from __future__ import annotations

from normalizer.annotate.windows import windows
from normalizer.annotate.words import runs


def full_path(text: str, known: set[str]) -> list[str]:
    """The windows worth the full path, as written, for a table that knows ``known``."""
    word_runs = runs(text)
    return [
        text[word_runs[w.run][w.first].start : word_runs[w.run][w.last].end]
        for w in windows(text, word_runs, frozenset(known))
        if w.fuzzy
    ]


def test_a_window_cut_out_of_a_longer_capitalized_name_is_not_resolved_in_full() -> None:
    text = "The Red Cross and the Coast Guard searched the area."
    known = {"The", "the", "Red", "Cross", "and", "Coast", "Guard", "searched", "area"}
    # Not "Red Cross and the Coast" (of "Coast Guard"), nor "Cross and the Coast Guard",
    # nor "The Red Cross": its capital is the sentence's.
    assert sorted(full_path(text, known)) == [
        "Coast Guard",
        "Red Cross",
        "Red Cross and the Coast Guard",
    ]


def test_a_name_after_a_title_or_inside_a_sentence_still_is() -> None:
    text = "Officials said President Alejandro Giammattei met El Mencho."
    known = {"President", "Alejandro", "Giammattei", "El", "Mencho", "said", "met"}
    assert "Alejandro Giammattei" in full_path(text, known)
    assert "El Mencho" in full_path(text, known)
