"""The shortlist: of the aliases that share keys with a query, the few worth aligning,
ranked by what they share (whole-name hits first, then the rarity of the shared keys).

An alias's evidence is the most any key of each query token says for it, summed over the
tokens. A large table has hundreds of aliases under a common word's keys (as written,
folded, by sound), most under one token's only: those are taken in by the list, not one by
one, and only the aliases several tokens name are summed alias by alias.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable
from operator import itemgetter

from normalizer.match.query import Query
from normalizer.match.query_keys import TYPO_WEIGHT
from normalizer.table.records import Postings
from normalizer.table.weights import idf

WHOLE_NAME_BONUS = 100.0
# A name whose every word sounds as the query's, or one word one typo off (a ``w:`` key):
# below one written as the query, above what shared words can say.
SOUNDED_BONUS = 50.0
# A query word whose best keys name this many aliases at most names them: they are scored
# beside the shortlist (_named_alone). Chosen on half A of the dev set (1, 2, 4 and 8 tried
# at 5x and 50x: 2 and 4 gained one query at 5x, 8 one at 50x; none lost one).
SOLE_BEST = 2
# Ids under a query's keys from which they are ranked over arrays (evidence_arrays): below,
# numpy's calls cost more than they save (bench/shortlist_ranking.py at 10k entities: under
# 250 ids, 45 us in dicts against 97; 500 to 1,000 ids, 160 against 155).
ARRAYS_FROM = 512
# What a key says for a query token: (the token's position, the evidence, its aliases).
Said = tuple[int, float, tuple[int, ...]]
_EVIDENCE = itemgetter(1)


def warm_up() -> None:
    """Import numpy for the long lists now, not at a worker's first (some 90 ms)."""
    from normalizer.match import evidence_arrays  # noqa: F401, PLC0415


def shortlist(query: Query, found: dict[str, object], total: int, size: int) -> list[int]:
    """The aliases most worth scoring: whole-name hits first, then by shared rare keys;
    then the few a query word's best keys name, if not among them."""
    whole, said = evidence(query, found, total)
    chosen = top_aliases(whole, said, len(query.analysis.tokens), size)
    listed = set(chosen)
    return chosen + [alias_id for alias_id in _named_alone(said) if alias_id not in listed]


def evidence(
    query: Query, found: dict[str, object], total: int
) -> tuple[dict[int, float], list[Said]]:
    """The whole-name bonus of each alias a whole-name key names, and what each key says
    for a query token's aliases, in the order the keys are asked."""
    whole: dict[int, float] = {}
    said: list[Said] = []  # in the order the keys are asked
    for key, sources in query.keys.items():
        postings = found.get(key)
        if not isinstance(postings, Postings):
            continue
        if not sources:
            bonus = SOUNDED_BONUS if key.startswith("w:") else WHOLE_NAME_BONUS
            for alias_id in postings.ids:
                whole[alias_id] = whole.get(alias_id, 0.0) + bonus
            continue
        rarity = idf(postings.size, total)
        for position, weight in sources:
            said.append((position, weight * rarity, postings.ids))
    for position, variants in enumerate(query.typos):
        hits = [p for key in found.keys() & variants if isinstance(p := found[key], Postings)]
        for postings, rarity in _typo_rarities(hits, total, bool(query.transcribed)):
            said.append((position, TYPO_WEIGHT * rarity, postings.ids))
    return whole, said


def top_aliases(whole: dict[int, float], said: list[Said], tokens: int, size: int) -> list[int]:
    """The ``size`` aliases of most evidence (``whole`` holds their whole-name bonuses,
    and is spent). Ties go to the older alias, so that a result never depends on set
    order. Long lists are ranked over arrays, to the same result (``evidence_arrays``)."""
    if sum(len(ids) for _, _, ids in said) >= ARRAYS_FROM:
        # Imported here: numpy's 16 MB are a big table's, not a compile's (see there).
        from normalizer.match import evidence_arrays  # noqa: PLC0415

        return evidence_arrays.top_aliases(whole, said, tokens, size)
    return top_aliases_in_dicts(whole, said, tokens, size)


def top_aliases_in_dicts(
    whole: dict[int, float], said: list[Said], tokens: int, size: int
) -> list[int]:
    """``top_aliases`` alias by alias, in dicts and sets (``whole`` is spent)."""
    _add_evidence(whole, said, tokens)
    # Only the aliases with at least the size-th most evidence are sorted (the many under
    # a common key of a large table are not).
    aliases: Iterable[int] = whole
    if len(whole) > size:
        least = heapq.nlargest(size, whole.values())[-1]
        aliases = itertools.compress(whole, map(least.__le__, whole.values()))
    ranked = sorted([(-whole[alias_id], alias_id) for alias_id in aliases])
    return [alias_id for _, alias_id in ranked[:size]]


def _named_alone(said: list[Said]) -> list[int]:
    """The aliases that a query word's best keys (those that say the most for it) name, for
    each word whose best keys name SOLE_BEST aliases at most, in the words' order.

    Those are scored whatever the other words say: a rare word misspelled beside common
    ones ("Trading", "Co", "Ltd") is found by one rare typo key, which says less than the
    common words together say for the hundreds of aliases that have them all; and a common
    word's keys list only some of its aliases, perhaps not the one the rare word names."""
    best: dict[int, tuple[float, set[int]]] = {}
    for position, evidence, ids in said:
        if not ids:
            continue
        most = best.get(position)
        if most is None or evidence > most[0]:
            best[position] = (evidence, set(ids))
        elif evidence == most[0]:
            most[1].update(ids)
    named: dict[int, None] = {}
    for position in sorted(best):
        aliases = best[position][1]
        if len(aliases) <= SOLE_BEST:
            named.update(dict.fromkeys(sorted(aliases)))
    return list(named)


def _typo_rarities(
    hits: list[Postings], total: int, transcribed: bool
) -> list[tuple[Postings, float]]:
    """How rare what each typo key of a word found is. A Latin word's typo keys are some
    sixty guesses at its misspelling: the more of them a big table has, the likelier one
    names a stranger by chance, so together they are as rare as one key listing all their
    aliases (a key that alone finds one alias says less when nine others find a thousand).
    A word from another script is found by its consonants' typo keys first: each keeps
    its own rarity (counted together, they lost more such names than they found, on half
    A of the dev set at 50x)."""
    if transcribed or not hits:
        return [(postings, idf(postings.size, total)) for postings in hits]
    # An alias under several of the keys is counted once a key: no more than all of them.
    rarity = idf(min(sum(postings.size for postings in hits), total), total)
    return [(postings, rarity) for postings in hits]


def _add_evidence(whole: dict[int, float], said: list[Said], tokens: int) -> None:
    """Add to each alias's evidence (its whole-name bonus, if any) what each query token's
    keys say for it at most."""
    most: list[dict[int, float]] = [{} for _ in range(tokens)]
    for position, evidence, ids in sorted(said, key=_EVIDENCE):
        most[position].update(dict.fromkeys(ids, evidence))  # the most overwrites the rest
    named = set(whole)
    several: set[int] = set()  # aliases that a whole name and a token, or two tokens, name
    for evidence_of in most:
        several |= named & evidence_of.keys()
        named |= evidence_of.keys()
    bonus = {alias_id: whole[alias_id] for alias_id in several & whole.keys()}
    for evidence_of in most:
        whole.update(evidence_of)  # 0.0 + evidence is the evidence: exact, as summed below
    if not several:
        return
    # Sums of floats differ by their order in the last bit, which decides between aliases
    # that tie: each is summed in the order the keys first name it with each token.
    tokens_of: dict[int, dict[int, None]] = {alias_id: {} for alias_id in several}
    for position, _, ids in said:
        for alias_id in several.intersection(ids):
            tokens_of[alias_id][position] = None
    for alias_id, positions in tokens_of.items():
        evidence = bonus.get(alias_id, 0.0)
        for position in positions:
            evidence += most[position][alias_id]
        whole[alias_id] = evidence
