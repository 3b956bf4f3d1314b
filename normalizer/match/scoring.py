"""Score a query against one alias: the pairing of their words, weighted by rarity.

Words are paired first (see pair_candidates.py and pairing.py). Weights are token rarity
in the table (IDF), so "Oseguera" counts for more than "Mohammad"; a query word the table
lacks takes the weight of the alias word it pairs with. The score is the weighted mean
similarity of what matched, times the share of the query matched (squared: an unmatched
query word may name someone else, unless the whole alias was found), times a mild penalty
for alias words the query lacks (a partial name). A query of one word only like the alias,
or of too few letters, is capped.
"""

from __future__ import annotations

from dataclasses import dataclass

from normalizer.match.capped import capped
from normalizer.match.pair_candidates import Alike, candidate_pairs
from normalizer.match.pairing import Pair, WeightedPair, borrowed, pair_greedily
from normalizer.table.records import AliasRecord
from normalizer.table.weights import OPTIONAL_WEIGHT
from normalizer.text.normalize import Analysis

SUPERSET_EXPONENT = 0.35
SUPERSET_EXPONENT_SURE = 0.2
WHOLE_TRANSCRIPTION_BONUS = 0.05
PARTIAL_PENALTY = 0.2
# Extra query words that clash with a name word of the entity count as in a partial match.
CLASH_EXPONENT = 2.0
# Extra query words count more when part of the alias was not found either.
PARTIAL_EXPONENT = 2.0
# The whole alias found (its coverage, give or take rounding).
WHOLE_ALIAS = 0.999
UNMATCHED_OPTIONAL_COST = 0.99


@dataclass(frozen=True, slots=True)
class Alignment:
    """How a query pairs with one alias, and the score and tier of the pairing."""

    pairs: tuple[Pair, ...]
    query_coverage: float
    alias_coverage: float
    score: float
    method: str
    # Query words where another name of the entity has a name word of its own (clash.py).
    clash: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _Coverage:
    """How much of each side's weight the pairs cover."""

    matched: float  # the query weight paired
    total: float  # the query weight that counts, 1.0 if none does
    query: float
    alias: float
    unmatched_optional: int


def align(
    query: Analysis,
    weights: tuple[float, ...],
    record: AliasRecord,
    transcribed: int = False,
    elsewhere: frozenset[str] = frozenset(),
    alike: Alike | None = None,
    clash: tuple[int, ...] = (),
    options: list[WeightedPair] | None = None,
) -> Alignment:
    """Pair the query's tokens with the alias's and score the pairing.

    ``weights`` are the query tokens' rarity in the table; 0 means "not in the table", and
    the token then takes the weight of the alias token it pairs with (or, unpaired, the
    alias's rarest). Optional tokens weigh a tenth. ``elsewhere``: the words of the same
    entity's other names, which query words the alias lacks may be found in. ``alike``:
    the only pairs of words that may be alike, if known (match.likeness). ``clash``: query
    words that stand where another name of the entity has a name word of its own
    (match.clash); they count against the alias even when the whole alias was found.
    ``options``: the candidate pairs (pair_candidates.candidate_pairs), if found already.
    """
    if options is None:
        candidates = candidate_pairs(query, record, transcribed, alike)
    else:
        candidates = list(options)  # a copy: pair_greedily sorts it
    if not candidates:  # nothing pairs, nothing is borrowed: what the steps below would say
        return Alignment((), 0.0, 0.0, 0.0, "normalized" if all(record.optional) else "partial")
    pairs, used_q, used_a = pair_greedily(query, record, candidates)
    for pair in borrowed(query, pairs, used_q, elsewhere, transcribed):
        pairs.append(pair)
        used_q.update(pair.query)
    query_weights = _query_weights(query, weights, record, pairs)
    coverage = _coverage(query, record, pairs, used_q, used_a, query_weights)
    score = _score(record, pairs, query_weights, coverage, transcribed, bool(clash))
    score = capped(score, query, record, pairs)
    explained = _explained(pairs, query_weights, coverage.total)
    method = _method(record, pairs, used_a)
    return Alignment(explained, coverage.query, coverage.alias, score, method, clash)


def _query_weights(
    query: Analysis, weights: tuple[float, ...], record: AliasRecord, pairs: list[Pair]
) -> list[float]:
    """The query tokens' weights: those not in the table take their alias token's (or, left
    unpaired, the alias's rarest), and optional tokens weigh less."""
    query_weights = list(weights)
    for pair in pairs:
        # The alias word's rarity, not its share as an optional word: the query's own flags
        # say whether this word is optional ("Petrovich" is, a surname paired with a
        # patronymic is not).
        alias_weight = sum(plain_weight(record, i) for i in pair.alias) / len(pair.query)
        for i in pair.query:
            if query_weights[i] == 0.0:
                query_weights[i] = alias_weight
    unknown = max(record.weights, default=1.0)
    return [
        (w or unknown) * (OPTIONAL_WEIGHT if optional else 1.0)
        for w, optional in zip(query_weights, query.optional, strict=True)
    ]


def plain_weight(record: AliasRecord, index: int) -> float:
    """An alias word's rarity, whether or not it is optional in the alias."""
    weight = record.weights[index]
    return weight / OPTIONAL_WEIGHT if record.optional[index] else weight


def _coverage(
    query: Analysis,
    record: AliasRecord,
    pairs: list[Pair],
    used_q: set[int],
    used_a: set[int],
    query_weights: list[float],
) -> _Coverage:
    """The share of each side's weight that was paired."""
    # Unmatched optional tokens (a title, a legal form) leave the coverage alone and cost
    # a little each: "Presidente Alejandro Giammattei" is still Alejandro Giammattei.
    q_counted = [not opt or i in used_q for i, opt in enumerate(query.optional)]
    a_counted = [not opt or i in used_a for i, opt in enumerate(record.optional)]
    unmatched_optional = q_counted.count(False) + a_counted.count(False)
    q_matched = sum(query_weights[i] for p in pairs for i in p.query)
    a_matched = sum(record.weights[i] for p in pairs for i in p.alias)
    q_total = sum(w for w, counted in zip(query_weights, q_counted, strict=True) if counted)
    a_total = sum(w for w, counted in zip(record.weights, a_counted, strict=True) if counted)
    q_total = q_total or 1.0
    q_cov = min(q_matched / q_total, 1.0)
    a_cov = min(a_matched / (a_total or 1.0), 1.0)
    return _Coverage(q_matched, q_total, q_cov, a_cov, unmatched_optional)


def _score(
    record: AliasRecord,
    pairs: list[Pair],
    query_weights: list[float],
    coverage: _Coverage,
    transcribed: int,
    clash: bool = False,
) -> float:
    """The weighted mean similarity of what matched, times the share matched on each side."""
    q_cov, a_cov = coverage.query, coverage.alias
    quality = sum(query_weights[i] * p.similarity for p in pairs for i in p.query)
    quality = quality / coverage.matched if coverage.matched else 0.0
    exponent = CLASH_EXPONENT if clash else _extra_words_exponent(record, pairs, a_cov)
    # Annotated: the stubs type float ** float as Any.
    score: float = quality * q_cov**exponent * (1.0 - PARTIAL_PENALTY * (1.0 - a_cov))
    score *= UNMATCHED_OPTIONAL_COST**coverage.unmatched_optional
    if transcribed and len(pairs) >= 2 and min(q_cov, a_cov) >= 0.999 and _in_order(pairs):
        # Every word of both names paired, in order: together, weak transcription
        # similarities say more than each alone ("Дин Эверетт Шоу", Dean Everett Shaw).
        score += (1.0 - score) * WHOLE_TRANSCRIPTION_BONUS
    return score


def _extra_words_exponent(record: AliasRecord, pairs: list[Pair], alias_coverage: float) -> float:
    """How much query words the alias lacks count against it: the query coverage's power."""
    # Extra query words count against a candidate (they may name someone else), less so
    # when every word of the alias was found ("Yasir Hamid Qutaybi" has "Yasir Qutaybi").
    if alias_coverage >= WHOLE_ALIAS:
        # Surer when two or more of the alias's own words are found as written.
        sure = len([p for p in pairs if not all(record.optional[i] for i in p.alias)]) >= 2
        sure = sure and all(p.how in ("exact", "phonetic") for p in pairs)
        return SUPERSET_EXPONENT_SURE if sure else SUPERSET_EXPONENT
    return PARTIAL_EXPONENT


def _explained(pairs: list[Pair], query_weights: list[float], total: float) -> tuple[Pair, ...]:
    """The pairs with what each contributes to the score, for the explanation."""
    return tuple(
        Pair(
            p.query,
            p.alias,
            p.similarity,
            p.how,
            sum(query_weights[i] for i in p.query) * p.similarity / total,
        )
        for p in pairs
    )


def _in_order(pairs: list[Pair]) -> bool:
    """The paired alias words come in the order of the query words they pair with."""
    order = [p.alias[0] for p in sorted(pairs, key=lambda p: p.query[0]) if p.alias]
    return order == sorted(order)


def _method(record: AliasRecord, pairs: list[Pair], used_alias: set[int]) -> str:
    """The tier of the match: how literally the query writes the alias."""
    missing_alias = [
        i for i in range(len(record.tokens)) if i not in used_alias and not record.optional[i]
    ]
    if missing_alias:
        return "partial"
    kinds = {p.how for p in pairs}
    if "acronym" in kinds:
        return "acronym"
    if kinds <= {"exact", "abbreviation", "number"}:
        return "normalized" if _in_order(pairs) else "reordered"
    if kinds <= {"exact", "phonetic", "transcription", "transliteration"}:
        return "phonetic"
    return "fuzzy"
