"""The shortlist's ranking over arrays, for the long key lists of a big table.

At a million entities a name's keys list some 4,000 aliases (up to 19,000 for a long name
of common words), most of them under one key only. Summed alias by alias in dicts and sets
(``shortlist``), that was a quarter of a lookup there; numpy sorts and sums them in C, in
half the time (two fifths for the longest lists). The ranking is the same to the
bit: each alias's evidence is the most each query token's keys say for it, added in the
order the keys first name it with each token, to its whole-name bonus
(``tests/test_shortlist.py`` checks the two against each other and against the plain loop).

The shortlist imports this module (and numpy, 16 MB) at its first long list, so that a
compile or a CLI command does without it; ``Service.start`` imports it at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain

import numpy as np
from numpy.typing import NDArray

# What a key says for a query token: (the token's position, the evidence, its aliases).
Said = tuple[int, float, Sequence[int]]


def top_aliases(
    whole: Mapping[int, float], said: Sequence[Said], tokens: int, size: int
) -> list[int]:
    """The ``size`` aliases of most evidence, ties to the lower id. ``whole``: the
    aliases' whole-name bonuses; ``said``: what each key says for a token's aliases, in
    the order the keys were asked, naming one alias at least."""
    lengths = np.fromiter((len(ids) for _, _, ids in said), np.int64, len(said))
    ids = np.fromiter(chain.from_iterable(ids for _, _, ids in said), np.int64, lengths.sum())
    position = np.repeat(np.fromiter((p for p, _, _ in said), np.int64, len(said)), lengths)
    evidence = np.repeat(np.fromiter((e for _, e, _ in said), np.float64, len(said)), lengths)
    asked = np.repeat(np.arange(len(said)), lengths)
    # Each alias and token once: the most its keys say, and the first key that named it
    # (a stable sort keeps the keys of one alias and token in the order they were asked).
    key = ids * tokens + position
    order = np.argsort(key, kind="stable")
    key = key[order]
    firsts = _starts(key)
    most = np.maximum.reduceat(evidence[order], firsts)
    first_asked = asked[order][firsts]
    aliases = key[firsts] // tokens
    # Each alias's tokens in the order their first key was asked: the order of its sum.
    order = np.argsort(aliases * len(said) + first_asked)
    aliases, most = aliases[order], most[order]
    starts = _starts(aliases)
    named = aliases[starts]
    # The whole-name bonuses: of aliases the keys name too, where each sum starts.
    bonused = np.fromiter(whole, np.int64, len(whole))
    bonus = np.fromiter(whole.values(), np.float64, len(whole))
    where = np.minimum(np.searchsorted(named, bonused), len(named) - 1)
    also_named = named[where] == bonused
    totals = np.zeros(len(named))
    totals[where[also_named]] = bonus[also_named]
    alias_of = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(aliases))))
    turn = np.arange(len(aliases)) - starts[alias_of]
    totals += most[starts]  # each alias's first term: most have one
    later = np.flatnonzero(turn)
    for nth in range(1, int(turn.max()) + 1):
        added = later[turn[later] == nth]
        totals[alias_of[added]] += most[added]
    # And the aliases only a whole-name key names.
    candidates = np.concatenate((named, bonused[~also_named]))
    totals = np.concatenate((totals, bonus[~also_named]))
    if len(candidates) > size:  # only those of the size-th most evidence or more are sorted
        least = np.partition(totals, len(totals) - size)[len(totals) - size]
        enough = totals >= least
        candidates, totals = candidates[enough], totals[enough]
    top: list[int] = candidates[np.lexsort((candidates, -totals))[:size]].tolist()
    return top


def _starts(ordered: NDArray[np.int64]) -> NDArray[np.intp]:
    """Where each run of equal values of ``ordered`` starts."""
    return np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
