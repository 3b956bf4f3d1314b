"""The fast path: a name written as one entity's name, and as no other's, is that entity.

Its words (in any order, any case, accents or not) are the whole-name key of the entity's
aliases, and no other entity (nor a name the entity must not have) shares the key. The
matcher's rule would make it the match whatever else it found (an exact name of one entity
wins over another's respelling), so nothing else is looked up: no typo or phonetic keys, no
alignment. The answer holds that entity alone, with score 1. A request that asks for an
explanation takes the full path, which aligns every candidate.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import cast

from normalizer.match.results import Candidate, Resolution
from normalizer.store.base import TableView
from normalizer.table.records import AliasRecord, Postings, alias_key
from normalizer.text.normalize import Analysis

# A key with more names than this is a common name: the full path ranks them.
MOST_OWNED_NAMES = 8


def whole_name_key(analysis: Analysis) -> str:
    """The key of every token of the name, in any order (text.whole_names.whole_keys)."""
    return "s:" + " ".join(sorted(analysis.tokens))


def owned(
    view: TableView,
    names: Sequence[str],
    analyses: Sequence[Analysis],
    entity_type: str | None,
) -> dict[int, Resolution]:
    """The names (by position) that one entity owns, resolved: two fetches for the batch."""
    keys = [whole_name_key(a) if a.tokens else "" for a in analyses]
    wanted = list(dict.fromkeys(key for key in keys if key))
    hits = dict(zip(wanted, view.get_many(wanted), strict=True))
    ids_of: dict[int, tuple[int, ...]] = {}
    for position, key in enumerate(keys):
        postings = hits.get(key)
        if isinstance(postings, Postings) and postings.size == len(postings.ids):
            if postings.size <= MOST_OWNED_NAMES:
                ids_of[position] = postings.ids
    if not ids_of:
        return {}
    # Each record's key written once: a batch of exact names fetches a thousand.
    record_keys = {i: alias_key(i) for ids in ids_of.values() for i in ids}
    records = dict(zip(record_keys, view.get_many(list(record_keys.values())), strict=True))
    resolved: dict[int, Resolution] = {}
    for position, ids in ids_of.items():
        named = [records[i] for i in ids]
        if all(isinstance(r, AliasRecord) for r in named):
            aliases = cast(list[AliasRecord], named)
            answer = _owner(names[position], analyses[position], aliases, entity_type)
            if answer is not None:
                resolved[position] = answer
    return resolved


def _owner(
    name: str, analysis: Analysis, records: list[AliasRecord], entity_type: str | None
) -> Resolution | None:
    """The resolution if every record is a name of one entity (of the wanted type) and one
    of them has the query's words; its most literal such name is the one shown."""
    first = records[0]
    entity_id = first.entity_id
    for record in records:
        if record.negative or record.entity_id != entity_id:
            return None
    if entity_type is not None and first.entity_type != entity_type:
        return None
    written = unicodedata.normalize("NFC", name).strip()
    tokens = analysis.tokens
    words = sorted(tokens)
    best: tuple[int, AliasRecord] | None = None
    for record in records:
        if record.tokens != tokens and sorted(record.tokens) != words:
            continue  # the key of its core only: its optional words are missing
        rank = _literal_rank(record, written, analysis)
        if best is None or rank < best[0]:
            best = (rank, record)
    if best is None:
        return None
    rank, record = best
    method = ("exact", "normalized", "reordered")[rank]
    candidate = Candidate(
        record.entity_id,
        record.entity_name,
        record.entity_type,
        1.0,
        record.text,
        method,
        similarity=1.0,
        record=record,
    )
    return Resolution(name, analysis.normalized, tokens, candidate, (candidate,), "exact_name")


def _literal_rank(record: AliasRecord, written: str, analysis: Analysis) -> int:
    """0: written as the alias is; 1: its words in its order; 2: in another order."""
    if unicodedata.normalize("NFC", record.text) == written:
        return 0
    return 1 if record.tokens == analysis.tokens else 2
