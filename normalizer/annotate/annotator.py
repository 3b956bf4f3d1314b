"""Every entity a text mentions, where it is mentioned: windows of its words resolved by the
matcher, and of those it names with confidence, the longest that do not overlap.

A window is a mention only if the matched name covers both of its edge words (the window
"Guatemala President Alejandro Giammattei" is not one: "Guatemala" is not part of the name
matched), so a mention's offsets hold the name and not the words around it. Of overlapping
mentions the longest stands, whatever their entities: "Nemesio Oseguera Cervantes" over
"Oseguera Cervantes", "Jalisco New Generation Cartel" over the state of Jalisco. (Calibrated
scores near 1 say little about which of two readings is meant; the longer explains more of
the text.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from normalizer.annotate.windows import Window, known_words, windows
from normalizer.annotate.words import Word, runs
from normalizer.match.matcher import Matcher
from normalizer.match.results import Candidate, Resolution
from normalizer.text.normalize import analyze

# Text with capitals names with capitals: a window then starts and ends with one.
_CAPITAL = regex.compile(r"\p{Lu}")
# A one-word name found respelled or with a typo: no shorter ("week" sounds like "BJCC").
MIN_RESPELLED_WORD = 6


@dataclass(frozen=True, slots=True)
class Mention:
    """A confident match of ``text``, which is ``original[start:end]``."""

    start: int
    end: int
    text: str
    resolution: Resolution

    @property
    def match(self) -> Candidate:
        assert self.resolution.match is not None
        return self.resolution.match

    def to_json(self, explain: bool = False) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "match": self.match.to_json(explain, self.resolution.tokens),
        }


def annotate(
    matcher: Matcher,
    text: str,
    entity_type: str | None = None,
    explain: bool = False,
    deadline: float | None = None,
) -> list[Mention]:
    """The mentions of ``text``'s entities (of ``entity_type`` only, if given), in text
    order. Past ``deadline`` (a ``time.monotonic()`` time), raises OutOfTime."""
    word_runs = runs(text)
    written = (text[word.start : word.end] for run in word_runs for word in run)
    known = known_words(matcher.store.view(), written)
    cased = _CAPITAL.search(text) is not None
    spans = [_span(text, word_runs, window) for window in windows(text, word_runs, known, cased)]
    names = list(dict.fromkeys(text[start:end] for start, end, _ in spans))
    resolved = dict(zip(names, matcher.resolve_many(names, entity_type, 1, deadline), strict=True))
    found = [
        Mention(start, end, text[start:end], resolved[text[start:end]])
        for start, end, _ in spans
        if _covers_its_edges(resolved[text[start:end]])
        and _stands_for_itself(text[start:end], resolved[text[start:end]])
    ]
    chosen = [_with_its_dot(text, m) for m in _longest_apart(found)]
    if explain and chosen:
        # The fast path for owned names gives no alignment to explain: take the full path.
        again = matcher.resolve_many([m.text for m in chosen], entity_type, 1, deadline, True)
        chosen = [
            Mention(m.start, m.end, m.text, r) if r.match and r.match.id == m.match.id else m
            for m, r in zip(chosen, again, strict=True)
        ]
    return sorted(chosen, key=lambda m: m.start)


def _span(text: str, word_runs: list[list[Word]], window: Window) -> tuple[int, int, int]:
    """Where a window starts and ends in the text, and how many words it has."""
    run = word_runs[window.run]
    return run[window.first].start, run[window.last].end, window.last - window.first + 1


def _covers_its_edges(resolution: Resolution) -> bool:
    """A confident match whose name takes in the first and the last word of the window."""
    match = resolution.match
    if match is None:
        return False
    last = len(resolution.tokens) - 1
    if match.alignment is None:  # the fast path: the window is the whole of a name
        return True
    paired = {i for pair in match.alignment.pairs if pair.similarity > 0 for i in pair.query}
    if 0 in paired and last in paired:
        return True
    # A name matched as written may still pair its words elsewhere (an acronym, a borrowed
    # word): its edge words are the name's own.
    alias_words = set(analyze(match.matched).tokens)
    return (
        bool(resolution.tokens) and {resolution.tokens[0], resolution.tokens[last]} <= alias_words
    )


def _with_its_dot(text: str, mention: Mention) -> Mention:
    """The dot after a name that ends with one ("EE. UU.", "Inc."), which the words leave
    out since it may also end the sentence."""
    end = mention.end
    if mention.match.matched.endswith(".") and text[end : end + 1] == ".":
        return Mention(mention.start, end + 1, text[mention.start : end + 1], mention.resolution)
    return mention


def _stands_for_itself(written: str, resolution: Resolution) -> bool:
    """Whether a mention of one word is a name in prose, not a common word that happens to
    be part of a name ("National" of a "National Ltd", "Police" of a "Judea Police"): a
    whole one-word name of the entity as written or respelled, or an acronym in capitals,
    or a surname alone that the matcher found rare enough to stand for its person."""
    match = resolution.match
    if match is None or len(resolution.tokens) != 1:
        return True
    whole_word = len(analyze(match.matched).tokens) == 1
    if match.method in ("exact", "normalized", "reordered"):
        return whole_word
    if match.method in ("fuzzy", "phonetic"):
        return whole_word and len(written) >= MIN_RESPELLED_WORD
    if match.method == "acronym":
        return written.isupper()
    return match.method == "partial" and match.type == "person"


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _longest_apart(found: list[Mention]) -> list[Mention]:
    """Of overlapping mentions, the longest (in words, then characters), then the surest."""
    kept: list[Mention] = []
    ranked = sorted(
        found,
        key=lambda m: (-len(m.resolution.tokens), m.start - m.end, -m.match.score, m.start),
    )
    for mention in ranked:
        if not any(_overlap(k, mention) for k in kept):
            kept.append(mention)
    return kept
