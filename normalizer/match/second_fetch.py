"""The keys a query asks in a second fetch, made of what the first found: its whole name
with one word replaced by a word of the table one typo from it, and, for a name from
another script, its word pairs with one word's skeleton one edit off.
"""

from __future__ import annotations

from collections.abc import Mapping

from normalizer.match.query import Query
from normalizer.match.query_keys import TYPO_WEIGHT, Keys, core_positions
from normalizer.table.records import Postings
from normalizer.text.keys import MAX_PAIRED_WORDS, MIN_TYPO_SKELETON
from normalizer.text.phonetics import spelling_fold
from normalizer.text.whole_names import sounded_key

# A pair key with one word's skeleton one edit off says, for each word, half a typo key's.
NEAR_PAIR_WEIGHT = TYPO_WEIGHT / 2


def near_pair_keys(query: Query, found: Mapping[str, object]) -> Keys:
    """The pair keys of the query's words with one word's skeleton one edit off: each
    skeleton typo key the table has (in ``found``, the first fetch) paired with each other
    word's skeletons, where one of the two lists only some of its aliases; those the query
    does not ask already.

    A name from another script is a guess at its Latin spelling, and a word's skeleton is
    often one letter off (a z written j, an r left out). Where the other word is common,
    its own keys list only some of its aliases, and the name may be found by neither word:
    the pair of the near skeleton and the other word's is rare, and names it. Where both
    list every alias, each already says what it can."""
    extra: Keys = {}
    # The words the table's pair keys could pair (``text.keys.pair_keys``).
    paired = [i for i, skeletons in enumerate(query.skeletons) if skeletons][:MAX_PAIRED_WORDS]
    if not query.transcribed or len(paired) < 2:
        return extra
    for position in paired:
        near = [
            (key[2:], _partial(found[key]))
            for key in sorted(found.keys() & query.typos[position])
            if key.startswith("k:") and len(key) >= _NEAR_PAIRED
        ]
        for other in paired:
            if other == position:
                continue
            for key in query.skeletons[other]:
                if len(key) < _NEAR_PAIRED:
                    continue
                listed_all = not _partial(found.get(key))
                for variant, partial in near:
                    if listed_all and not partial:
                        continue
                    pair = "p:" + " ".join(sorted((variant, key[2:])))
                    if pair not in query.keys:
                        places = extra.setdefault(pair, [])
                        places += [(position, NEAR_PAIR_WEIGHT), (other, NEAR_PAIR_WEIGHT)]
    return extra


# The most ``w:`` keys a query asks with one word mistyped (each a word of the table).
MAX_NEAR_SOUNDED = 64


def near_sounded_keys(query: Query, found: Mapping[str, object]) -> Keys:
    """The ``w:`` keys (text.whole_names.sounded_keys) of the query's core with one word
    replaced by a word of the table one typo from it: each of the word's typo keys that
    the table has (in ``found``, the first fetch). A name one typo from the query, all of
    whose words are common, is listed by none of its words' keys in a big table; its
    whole name is rare."""
    extra: Keys = {}
    analysis = query.analysis
    core = core_positions(analysis)
    if len(core) < 2:
        return extra
    folds = [spelling_fold(analysis.tokens[i]) for i in core]
    for at, position in enumerate(core):
        for key in sorted(found.keys() & query.typos[position]):
            if key.startswith("f:") and len(extra) < MAX_NEAR_SOUNDED:
                near = sounded_key([*folds[:at], key[2:], *folds[at + 1 :]])
                if near not in query.keys:
                    extra[near] = []
    return extra


# Two consonants are too many names' skeleton to pair one edit off ("k:" and three).
_NEAR_PAIRED = 2 + MIN_TYPO_SKELETON


def _partial(postings: object) -> bool:
    """Whether a key's postings list only some of its aliases (a common key's)."""
    return isinstance(postings, Postings) and postings.size > len(postings.ids)
