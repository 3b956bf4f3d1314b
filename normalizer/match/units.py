"""The units of a name an alignment pairs: its words, two or three of them written as one,
a word spelled out in single letters, and the runs of words an acronym may stand for."""

from __future__ import annotations

from functools import lru_cache

from normalizer.text import tables
from normalizer.text.whole_names import letter_runs

# The initials of three to eight words may be written as one word (pair_candidates.acronym_pairs).
ACRONYM_RUN = range(3, 9)

Unit = tuple[tuple[int, ...], str, bool]  # token positions, text, joined from two


@lru_cache(maxsize=4096)
def unit_texts(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The texts of the units candidate_pairs compares."""
    return tuple(text for _, text, _ in units(tokens))


# Counted, not measured: an entry holds at most 45 units of 16 query words of 64 letters at
# most (a few kB); measuring each in Python would cost more than the cache saves.
@lru_cache(maxsize=4096)
def units(tokens: tuple[str, ...]) -> tuple[Unit, ...]:
    """Each token, each two adjacent tokens joined ("abdul rahman" -> "abdulrahman"),
    three around a particle ("abd al hafiz" -> "abdalhafiz", written "Abdulhafiz"), and a
    run of single letters ("q a v" -> "qav")."""
    singles: list[Unit] = [((i,), t, False) for i, t in enumerate(tokens)]
    joined: list[Unit] = [
        ((i, i + 1), tokens[i] + tokens[i + 1], True) for i in range(len(tokens) - 1)
    ]
    particles = tables.particles()
    joined += [
        ((i - 1, i, i + 1), tokens[i - 1] + tokens[i] + tokens[i + 1], True)
        for i in range(1, len(tokens) - 1)
        if tokens[i] in particles
    ]
    joined += [(span, "".join(tokens[i] for i in span), True) for span in letter_runs(tokens)]
    return tuple(singles + joined)


WeightedUnit = tuple[tuple[int, ...], str, bool, float]  # a unit, and its tokens' weight


# An alias's units weigh the same at every query that shortlists it: summed once. Keyed by
# the table's words and weights, not by a query's, and small (a few hundred bytes).
@lru_cache(maxsize=4096)
def weighted_units(tokens: tuple[str, ...], weights: tuple[float, ...]) -> tuple[WeightedUnit, ...]:
    return tuple(
        (span, text, joined, sum(weights[i] for i in span)) for span, text, joined in units(tokens)
    )


Run = tuple[tuple[int, ...], str]  # consecutive token positions, their initials


@lru_cache(maxsize=4096)
def acronym_runs(tokens: tuple[str, ...]) -> tuple[Run, ...]:
    """Runs of words that could be written as their initials, function words skipped
    ("Frente Popular de Liberacion Costera" -> "fplc"); a run starts and ends on a name word."""
    stop = tables.stopwords()
    runs: list[Run] = []
    for start, first in enumerate(tokens):
        if first in stop or not first.isalpha():
            continue
        initials = first[0]
        for end in range(start + 1, len(tokens)):
            word = tokens[end]
            if not word.isalpha():
                break
            if word in stop:
                continue
            initials += word[0]
            if len(initials) > ACRONYM_RUN.stop - 1:
                break
            if len(initials) in ACRONYM_RUN:
                runs.append((tuple(range(start, end + 1)), initials))
    return tuple(runs)
