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

import bisect
import itertools
from dataclasses import dataclass
from typing import Any

import regex

from normalizer.annotate.mentions import makes_mention, may_mention
from normalizer.annotate.windows import Window, known_words, windows
from normalizer.annotate.words import Word, runs
from normalizer.bulk import fewer_collections
from normalizer.match.matcher import Matcher, check_type
from normalizer.match.owned import owned
from normalizer.match.query import analyzed
from normalizer.match.results import Candidate, Resolution

# Text with capitals names with capitals: a window then starts and ends with one.
_CAPITAL = regex.compile(r"\p{Lu}")


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
    with fewer_collections():
        return _annotate(matcher, text, entity_type, explain, deadline)


def _annotate(
    matcher: Matcher,
    text: str,
    entity_type: str | None,
    explain: bool,
    deadline: float | None,
) -> list[Mention]:
    view = matcher.store.view()
    check_type(view, entity_type)
    word_runs = runs(text)
    known = known_words(view, {word.written for run in word_runs for word in run})
    cased = _CAPITAL.search(text) is not None
    candidates = windows(text, word_runs, known, cased)
    written = {
        w: text[word_runs[w.run][w.first].start : word_runs[w.run][w.last].end] for w in candidates
    }
    # Every window written as one entity's name: the fast path, for all at once.
    names = list(dict.fromkeys(written.values()))
    answered = owned(view, names, [analyzed(name) for name in names], entity_type)
    by_name = {names[i]: resolution for i, resolution in answered.items()}
    found = _mentions(word_runs, written, [w for w in candidates if written[w] in by_name], by_name)
    # The others worth the full path, longest first: a window inside a mention already
    # found can only lose to it (the longest mention stands), so it is not resolved.
    rest = sorted((w for w in candidates if w.fuzzy and w not in found), key=_words, reverse=True)
    resolved = dict(by_name)  # a name one entity owns has its answer already
    for _, group in itertools.groupby(rest, key=_words):
        by_run: dict[int, list[Window]] = {}
        for window in found:
            by_run.setdefault(window.run, []).append(window)
        batch = [w for w in group if not any(_inside(w, m) for m in by_run.get(w.run, ()))]
        # Each batch pins the version in force, as any lookup does: a text takes seconds,
        # and a lookup still reading a replaced version seconds later is refused
        # (store.redis.reader).
        texts = list(dict.fromkeys(written[w] for w in batch if written[w] not in resolved))
        # Only a match that covers both edge words makes a mention: the matcher leaves
        # unaligned the windows no alias could so match (most of prose's capitalized words).
        answers = matcher.resolve_many(texts, entity_type, 1, deadline, worth=may_mention)
        resolved.update(zip(texts, answers, strict=True))
        found.update(_mentions(word_runs, written, batch, resolved))
    chosen = [_with_its_dot(text, m) for m in _longest_apart(list(found.values()))]
    if explain and chosen:
        # The fast path for owned names gives no alignment to explain: take the full path.
        again = matcher.resolve_many([m.text for m in chosen], entity_type, 1, deadline, True)
        chosen = [
            Mention(m.start, m.end, m.text, r) if r.match and r.match.id == m.match.id else m
            for m, r in zip(chosen, again, strict=True)
        ]
    return sorted(chosen, key=lambda m: m.start)


def _words(window: Window) -> int:
    return window.last - window.first


def _inside(window: Window, other: Window) -> bool:
    """Whether ``window`` lies within ``other`` (of the same run)."""
    return other.first <= window.first and window.last <= other.last


def _mentions(
    word_runs: list[list[Word]],
    written: dict[Window, str],
    batch: list[Window],
    resolved: dict[str, Resolution],
) -> dict[Window, Mention]:
    """The windows of ``batch`` whose resolution makes a mention."""
    found: dict[Window, Mention] = {}
    for window in batch:
        name = written[window]
        resolution = resolved[name]
        if makes_mention(name, resolution):
            run = word_runs[window.run]
            start, end = run[window.first].start, run[window.last].end
            found[window] = Mention(start, end, name, resolution)
    return found


def _with_its_dot(text: str, mention: Mention) -> Mention:
    """The dot after a name that ends with one ("EE. UU.", "Inc."), which the words leave
    out since it may also end the sentence."""
    end = mention.end
    if mention.match.matched.endswith(".") and text[end : end + 1] == ".":
        return Mention(mention.start, end + 1, text[mention.start : end + 1], mention.resolution)
    return mention


def _overlap(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _longest_apart(found: list[Mention]) -> list[Mention]:
    """Of overlapping mentions, the longest (in words, then characters), then the surest."""
    # Kept mentions never overlap, so sorted by start their ends are sorted too: a new one
    # overlaps a kept one only if it overlaps a neighbour where it would be inserted.
    starts: list[int] = []
    kept: list[Mention] = []
    ranked = sorted(
        found,
        key=lambda m: (-len(m.resolution.tokens), m.start - m.end, -m.match.score, m.start),
    )
    for mention in ranked:
        at = bisect.bisect_left(starts, mention.start)
        neighbours = kept[max(at - 1, 0) : at + 1]
        if not any(_overlap(k, mention) for k in neighbours):
            starts.insert(at, mention.start)
            kept.insert(at, mention)
    return kept
