"""The whole-name keys (``s:``, see text.keys): the name's tokens sorted, which a name is
indexed under, and the spellings of its words a query also asks, with words joined or
split, the space between two moved or typed as a letter (a name's word boundaries vary
between sources, and a typist's hands)."""

from __future__ import annotations

from normalizer.text.normalize import Analysis
from normalizer.text.phonetics import spelling_fold

# A word is tried split in two only up to this length, into parts of MIN_SPLIT_PART
# letters at least.
MAX_SPLIT_LENGTH = 30
MIN_SPLIT_PART = 2


def whole_keys(analysis: Analysis) -> set[str]:
    """The whole-name keys a name is indexed under: its tokens sorted, and its core's; and
    its core's with a run of single letters written as one word ("Q A V Trading" as "QAV
    Trading"), if it has one."""
    tokens, core = analysis.tokens, analysis.core
    keys = {"s:" + " ".join(sorted(tokens))} if tokens else set()
    if core is not tokens:
        keys.add("s:" + " ".join(sorted(core)))
    if runs := letter_runs(tokens):
        keys.add("s:" + " ".join(sorted(letters_joined(analysis, runs))))
    return keys


# Three single letters or more in a row are one word spaced out ("Q A V" is QAV, as "Q.A.V."
# is): two are joined as any two words are.
MIN_LETTER_RUN = 3


def letter_runs(tokens: tuple[str, ...]) -> list[tuple[int, ...]]:
    """The positions of each run of MIN_LETTER_RUN one-letter tokens or more."""
    runs: list[tuple[int, ...]] = []
    run: list[int] = []
    for i, token in enumerate((*tokens, "")):
        if len(token) == 1 and token.isalpha():
            run.append(i)
            continue
        if len(run) >= MIN_LETTER_RUN:
            runs.append(tuple(run))
        run = []
    return runs


def letters_joined(analysis: Analysis, runs: list[tuple[int, ...]]) -> list[str]:
    """The name's core words with each of its ``runs`` (letter_runs) written as one word (a
    letter of a run is kept though it may be an optional word elsewhere: the "a" of "Q A
    V")."""
    words, optional = analysis.tokens, analysis.optional
    starts = {run[0]: run for run in runs}
    inside = {i for run in starts.values() for i in run}
    return [
        "".join(words[j] for j in starts[i]) if i in starts else word
        for i, word in enumerate(words)
        if i in starts or (i not in inside and not optional[i])
    ]


def query_whole_keys(analysis: Analysis) -> set[str]:
    """The whole-name keys a query looks up: its own, and those of its spellings with
    words joined or split (a name's word boundaries vary between sources)."""
    keys = whole_keys(analysis)
    core = list(analysis.core)
    if not core:
        return keys
    spellings = [["".join(core)]]
    spellings += [core[:i] + [core[i] + core[i + 1]] + core[i + 2 :] for i in range(len(core) - 1)]
    spellings += moved_boundaries(core)
    for i, word in enumerate(core):
        if len(word) > MAX_SPLIT_LENGTH:
            continue
        for at in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
            spellings.append(core[:i] + [word[:at], word[at:]] + core[i + 1 :])
            # The space typed as a letter ("AnaxRuiz"): split without it.
            if at < len(word) - MIN_SPLIT_PART:
                spellings.append(core[:i] + [word[:at], word[at + 1 :]] + core[i + 1 :])
    keys.update("s:" + " ".join(sorted(spelling)) for spelling in spellings)
    return keys


def moved_boundaries(words: list[str]) -> list[list[str]]:
    """``words`` with the space between two neighbours typed one letter early or late
    ("Ana Ruiz" typed "An aRuiz" or "AnaR uiz"): the same letters, which a typo's keys of
    each word, both one letter off, may not find."""
    moved = []
    for i in range(len(words) - 1):
        first, second = words[i], words[i + 1]
        if len(first) > 1:
            moved.append(words[:i] + [first[:-1], first[-1] + second] + words[i + 2 :])
        if len(second) > 1:
            moved.append(words[:i] + [first + second[0], second[1:]] + words[i + 2 :])
    return moved


def sounded_keys(analysis: Analysis) -> set[str]:
    """The ``w:`` key of a name whose core has two words or more: its core words' spelling
    folds, sorted. A name respelled word for word ("Norrvel Filbrik" for Norvel Philbrick)
    has it, and so has a query with a typo in one word, by the fold of the word it
    mistypes (see match.second_fetch.near_sounded_keys); in a big table every word of such a name
    may be too common for its own keys to list it, and the whole name is not. (Of the core
    alone, one key a name: a query asks its own core's.)"""
    core = analysis.core
    return {sounded_key([spelling_fold(word) for word in core])} if len(core) > 1 else set()


def sounded_key(folds: list[str]) -> str:
    """The ``w:`` key of a name whose words fold to ``folds``."""
    return "w:" + " ".join(sorted(folds))
