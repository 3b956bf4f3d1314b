"""The shortlist against the plain loop it replaced: the same aliases in the same order,
for any keys and postings, since the evidence of each alias is summed in the same order
(sums of floats differ in their last bit by order, and ties between aliases decide); what
a Latin word's many typo keys say together; and the few aliases a word's best key names."""

from __future__ import annotations

import heapq
from collections import defaultdict

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from normalizer.match import evidence_arrays
from normalizer.match.query import Query, prepare
from normalizer.match.query_keys import KEY_WEIGHTS, PAIR_WEIGHT, TYPO_WEIGHT
from normalizer.match.shortlist import (
    ARRAYS_FROM,
    SOLE_BEST,
    WHOLE_NAME_BONUS,
    Said,
    evidence,
    shortlist,
    top_aliases_in_dicts,
)
from normalizer.table.records import Postings
from normalizer.table.weights import idf
from normalizer.text.normalize import Analysis

TOTAL = 5_000


def one_by_one(query: Query, found: dict[str, object], total: int, size: int) -> list[int]:
    """The shortlist as the matcher first wrote it: an alias and a key at a time."""
    by_token: dict[tuple[int, int], float] = defaultdict(float)
    whole: dict[int, float] = defaultdict(float)

    def share(position: int, evidence: float, postings: Postings) -> None:
        for alias_id in postings.ids:
            if evidence > by_token[position, alias_id]:
                by_token[position, alias_id] = evidence

    for key, sources in query.keys.items():
        postings = found.get(key)
        if not isinstance(postings, Postings):
            continue
        if not sources:
            for alias_id in postings.ids:
                whole[alias_id] += WHOLE_NAME_BONUS
            continue
        for position, weight in sources:
            share(position, weight * idf(postings.size, total), postings)
    for position, variants in enumerate(query.typos):
        hits = [p for key in found.keys() & variants if isinstance(p := found[key], Postings)]
        together = idf(min(sum(postings.size for postings in hits), total), total)
        for postings in hits:
            rarity = idf(postings.size, total) if query.transcribed else together
            share(position, TYPO_WEIGHT * rarity, postings)
    for (_, alias_id), most in by_token.items():
        whole[alias_id] += most
    least = heapq.nlargest(size, whole.values())[-1] if len(whole) > size else 0.0
    ranked = sorted((-e, alias_id) for alias_id, e in whole.items() if e >= least)
    chosen = [alias_id for _, alias_id in ranked[:size]]
    # Then the aliases a token's most evidence names, if it names SOLE_BEST at most.
    for position in sorted({position for position, _ in by_token}):
        said = {a: e for (p, a), e in by_token.items() if p == position}
        best = sorted(a for a, e in said.items() if e == max(said.values()))
        if len(best) <= SOLE_BEST:
            chosen += [alias_id for alias_id in best if alias_id not in chosen]
    return chosen


@st.composite
def lookups(
    draw: st.DrawFn, shortest: int = 1, longest: int = 30
) -> tuple[Query, dict[str, object]]:
    """A query of a few tokens with keys shared between tokens, typo keys and whole-name
    keys, and postings drawn from few aliases, so that most aliases are under many keys
    (``shortest`` to ``longest`` ids a key, from 40 aliases or twice ``longest``)."""
    tokens = tuple(f"w{i}" for i in range(draw(st.integers(1, 4))))
    positions = st.integers(0, len(tokens) - 1)
    weights = st.sampled_from(sorted(set(KEY_WEIGHTS.values())))
    keys: dict[str, list[tuple[int, float]]] = {}
    for i in range(draw(st.integers(0, 2))):
        keys[f"s:{i}"] = []
    for i in range(draw(st.integers(1, 10))):
        keys[f"t:{i}"] = draw(st.lists(st.tuples(positions, weights), min_size=1, max_size=2))
    typos = tuple(
        frozenset(draw(st.sets(st.sampled_from([f"f:{i}" for i in range(8)]), max_size=4)))
        for _ in tokens
    )
    found: dict[str, object] = {}
    for key in [*keys, *(key for variants in typos for key in variants)]:
        if draw(st.booleans()) or key.startswith("t:"):
            aliases = st.integers(0, max(40, 2 * longest))
            ids = draw(st.lists(aliases, min_size=shortest, max_size=longest, unique=True))
            found[key] = Postings(len(ids) + draw(st.integers(0, 3_000)), tuple(ids))
    analysis = Analysis(" ".join(tokens), tokens, (False,) * len(tokens))
    transcribed = draw(st.sampled_from([0, 1]))
    return Query(" ".join(tokens), analysis, keys, transcribed, typos), found


@settings(max_examples=400, deadline=None)
@given(lookups(), st.sampled_from([1, 5, 25]))
def test_the_same_as_one_alias_at_a_time(
    lookup: tuple[Query, dict[str, object]], size: int
) -> None:
    query, found = lookup
    assert shortlist(query, found, TOTAL, size) == one_by_one(query, found, TOTAL, size)


@settings(max_examples=60, deadline=None)
@given(lookups(shortest=150, longest=300), st.sampled_from([1, 5, 25]))
def test_long_lists_ranked_over_arrays_are_the_same_as_one_alias_at_a_time(
    lookup: tuple[Query, dict[str, object]], size: int
) -> None:
    """A big table's keys list hundreds of aliases each: past ARRAYS_FROM ids, numpy ranks
    them (evidence_arrays), to the same shortlist."""
    query, found = lookup
    _, said = evidence(query, found, TOTAL)
    assume(sum(len(ids) for _, _, ids in said) >= ARRAYS_FROM)
    assert shortlist(query, found, TOTAL, size) == one_by_one(query, found, TOTAL, size)


# Evidence whose sums differ in the last bit by the order they are added in.
_EVIDENCE_VALUES = st.sampled_from([0.1, 0.2, 0.3, 0.7, 1.1, 3.3, 1e-16, 2.5])


@st.composite
def said_lists(draw: st.DrawFn) -> tuple[dict[int, float], list[Said], int]:
    """Whole-name bonuses, and what keys say for the aliases of up to 12 tokens (more than
    numpy's pairwise sums add one by one), over few aliases: many are named by several."""
    tokens = draw(st.integers(1, 12))
    aliases = st.integers(0, 30)
    said: list[Said] = [
        (
            draw(st.integers(0, tokens - 1)),
            draw(_EVIDENCE_VALUES),
            tuple(draw(st.lists(aliases, min_size=1, max_size=12, unique=True))),
        )
        for _ in range(draw(st.integers(1, 30)))
    ]
    bonuses = st.sampled_from([WHOLE_NAME_BONUS, 50.0, 150.0])
    whole = draw(st.dictionaries(aliases, bonuses, max_size=6))
    return whole, said, tokens


@settings(max_examples=400, deadline=None)
@given(said_lists(), st.sampled_from([1, 3, 25]))
def test_arrays_rank_as_dicts_do(
    drawn: tuple[dict[int, float], list[Said], int], size: int
) -> None:
    """The two rankings of top_aliases, whatever the lists' lengths: the same aliases in
    the same order, each alias's evidence summed in the order its keys first name it."""
    whole, said, tokens = drawn
    in_dicts = top_aliases_in_dicts(dict(whole), said, tokens, size)
    assert evidence_arrays.top_aliases(dict(whole), said, tokens, size) == in_dicts


def test_an_aliases_evidence_is_summed_in_the_order_its_keys_first_name_it() -> None:
    """Two aliases named by the same three tokens with the same evidence, the tokens'
    keys asked in other orders: 0.3 + 0.2 + 0.1 for the older alias is less in its last
    bit than 0.1 + 0.2 + 0.3 for the younger, which comes first (summed token by token,
    both would tie, and the older would)."""
    said: list[Said] = [(2, 0.3, (1,)), (1, 0.2, (1,)), (0, 0.1, (1,))]
    said += [(0, 0.1, (2,)), (1, 0.2, (2,)), (2, 0.3, (2,))]
    assert 0.3 + 0.2 + 0.1 < 0.1 + 0.2 + 0.3
    assert top_aliases_in_dicts({}, said, 3, 2) == [2, 1]
    assert evidence_arrays.top_aliases({}, said, 3, 2) == [2, 1]


def test_a_latin_words_typo_keys_are_as_rare_as_all_they_find() -> None:
    """Each word of a misspelled Latin name finds a stranger by one rare typo key, and a
    thousand other aliases by others; both words together, as written, find two aliases.
    Sixty guesses at a misspelling that find a thousand aliases say little of any one of
    them: the name both words find comes first. A name from another script keeps each
    typo key's own rarity (its consonants' typo keys are how it is found at all)."""
    tokens = ("w0", "w1")
    keys = {"p:pair": [(0, KEY_WEIGHTS["k"] / 2), (1, KEY_WEIGHTS["k"] / 2)]}
    typos = (frozenset({"f:a", "f:b", "f:c"}), frozenset({"f:d", "f:e", "f:f"}))
    stranger, named = 50, 7
    found: dict[str, object] = {
        "p:pair": Postings(2, (named, 8)),
        "f:a": Postings(1, (stranger,)),
        "f:d": Postings(1, (stranger,)),
        **{key: Postings(900, tuple(range(100, 400))) for key in ("f:b", "f:c", "f:e", "f:f")},
    }
    analysis = Analysis("w0 w1", tokens, (False, False))
    latin = Query("w0 w1", analysis, keys, 0, typos)
    assert shortlist(latin, found, TOTAL, 1)[0] == named
    transcribed = Query("w0 w1", analysis, keys, 1, typos)
    assert shortlist(transcribed, found, TOTAL, 1)[0] == stranger


def test_the_aliases_a_words_best_key_names_alone_are_scored_too() -> None:
    """A rare word misspelled, found by one typo key that names one alias, beside two
    common words whose keys name hundreds of aliases that have both: those come first by
    evidence (the oldest five), and the one the rare word names is scored after them, not
    left out."""
    tokens = ("w0", "w1", "w2")
    keys = {"t:common1": [(1, KEY_WEIGHTS["t"])], "t:common2": [(2, KEY_WEIGHTS["t"])]}
    typos: tuple[frozenset[str], ...] = (frozenset({"f:rare"}), frozenset(), frozenset())
    named = 4_000
    found: dict[str, object] = {
        "f:rare": Postings(1, (named,)),
        "t:common1": Postings(300, tuple(range(300))),
        "t:common2": Postings(300, tuple(range(300))),
    }
    query = Query("w0 w1 w2", Analysis("w0 w1 w2", tokens, (False,) * 3), keys, 0, typos)
    # The common words' best keys name hundreds: none is added for them.
    assert shortlist(query, found, TOTAL, 5) == [0, 1, 2, 3, 4, named]


def test_two_words_a_pair_key_finds_together_outweigh_two_typo_guesses() -> None:
    """A name from another script whose two words' skeletons a rare pair key finds
    together (each word's own skeleton is common: one lists only its first aliases, without
    the name), beside a stranger that each word finds by one rare typo key of its own: the
    pair comes first. Two guesses at a misspelling that happen to name one alias say less
    than the two words found together as they are written."""
    total = 60_000
    tokens = ("w0", "w1")
    keys = {
        "k:w0": [(0, KEY_WEIGHTS["k"])],
        "k:w1": [(1, KEY_WEIGHTS["k"])],
        "p:w0 w1": [(0, PAIR_WEIGHT), (1, PAIR_WEIGHT)],
    }
    typos = (frozenset({"k:w0x"}), frozenset({"k:w1x"}))
    stranger, named = 50, 7
    found: dict[str, object] = {
        "k:w0": Postings(309, (named, *range(1_000, 1_299))),
        "k:w1": Postings(650, tuple(range(2_000, 2_300))),
        "p:w0 w1": Postings(2, (named, 8)),
        "k:w0x": Postings(6, (stranger, 51, 52, 53, 54, 55)),
        "k:w1x": Postings(12, (stranger, *range(60, 71))),
    }
    query = Query("w0 w1", Analysis("w0 w1", tokens, (False, False)), keys, 1, typos)
    assert shortlist(query, found, total, 1)[0] == named


def test_a_name_from_kana_is_found_by_its_words_respelled_before_strangers_as_written() -> None:
    """A katakana name whose words, read with an r as an l, name an alias ("kari boran" for
    Kali Bolan), beside strangers that have its first word as romanized ("Kari") and its
    second one typo away: the words respelled say more than a typo key, and the alias comes
    first. (As typo keys, the respellings would leave it behind the strangers.)"""
    total = 60_000
    query = prepare("カリ・ボラン")
    assert query.analysis.tokens == ("kari", "boran")
    assert "f:boral" in query.typos[1]
    named = 7
    found: dict[str, object] = {
        "f:kari": Postings(40, tuple(range(100, 140))),
        "f:boral": Postings(6, (100, 101, 102, 103, 104, 105)),
        "f:kali": Postings(3, (named, 8, 9)),
        "f:bolan": Postings(2, (named, 10)),
    }
    assert shortlist(query, found, total, 1)[0] == named
