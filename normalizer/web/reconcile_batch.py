"""A reconciliation query batch (W3C Reconciliation API 0.2) read strictly, and resolved.

A batch is ``{"q0": {"query": ..., "type"?, "limit"?, "properties"?, "type_strict"?}, ...}``.
Each query is answered by the matcher; ``match`` is set only on the matcher's confident,
unique answer (OpenRefine auto-matches on it), ``score`` is the calibrated score on 0-100,
and ``features`` say why a candidate scored as it did.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from normalizer.exc import BadRequest
from normalizer.match.results import Candidate, Resolution
from normalizer.table.records import entity_key
from normalizer.web.context import deadline, gate, service, settings
from normalizer.web.params import text_problem

# The one property we hold on every entity; the others in the alias files are free text.
COUNTRY = "country"
PROPERTIES = (COUNTRY,)
# OpenRefine's default is 10; more per request is faster, and 100 names resolve well
# within the default time budget.
BATCH_SIZE = 100
_QUERY_KEYS = frozenset({"query", "type", "limit", "properties", "type_strict"})


@dataclass(frozen=True, slots=True)
class Query:
    key: str
    text: str
    types: tuple[str, ...]  # none: any type
    limit: int
    countries: frozenset[str]  # upper-case codes; empty: no country given


def batch_size() -> int:
    """Queries per batch, as the manifest advertises it (OpenRefine sends at most that)."""
    return min(BATCH_SIZE, settings().max_batch)


def parse_batch(raw: str | None) -> list[Query]:
    """The queries of a batch as sent in the ``queries`` field; BadRequest naming the
    problem for anything else (an unknown type or property too)."""
    if raw is None:
        raise BadRequest("the queries field is missing", field="queries")
    try:
        batch = json.loads(raw, parse_constant=_not_json)
    except ValueError as error:
        raise BadRequest(f"queries is not JSON: {error}", field="queries") from None
    except RecursionError:
        raise BadRequest("queries is nested too deeply", field="queries") from None
    if not isinstance(batch, dict) or not batch:
        raise BadRequest("queries must be a non-empty JSON object of queries", field="queries")
    most = batch_size()
    if len(batch) > most:
        raise BatchTooLarge(f"a batch holds at most {most} queries, not {len(batch)}")
    types = service().store.view().meta.types
    return [_query(key, value, types) for key, value in batch.items()]


def _not_json(constant: str) -> Any:
    """NaN and Infinity, which Python's json reads and JSON has not."""
    raise ValueError(f"{constant} is not JSON")


class BatchTooLarge(BadRequest):
    status = 413
    title = "Payload too large"


def _query(key: str, value: Any, known_types: Sequence[str]) -> Query:
    where = f"queries.{key}"
    if not isinstance(value, dict):
        raise BadRequest(f"{where} must be a JSON object", field=where)
    unknown = set(value) - _QUERY_KEYS
    if unknown:
        raise BadRequest(f"{where} has unknown fields: {', '.join(sorted(unknown))}", field=where)
    text = value.get("query")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest(f"{where}.query must be a non-empty string", field=f"{where}.query")
    _check_text(text, f"{where}.query")
    if value.get("type_strict", "any") not in ("any", "should", "all"):
        raise BadRequest(f"{where}.type_strict must be any, should or all", field=where)
    return Query(
        key,
        text,
        _types(value.get("type"), known_types, f"{where}.type"),
        _limit(value.get("limit"), f"{where}.limit"),
        _countries(value.get("properties"), f"{where}.properties"),
    )


def _check_text(text: str, where: str) -> None:
    """As /v1/resolve checks a name: not too long, and text UTF-8 can write."""
    problem = text_problem(text, settings().max_name_length)
    if problem is not None:
        raise BadRequest(f"{where} {problem}", field=where)


def _types(value: Any, known: Sequence[str], where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    types = [value] if isinstance(value, str) else value
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise BadRequest(f"{where} must be a type id or a list of them", field=where)
    for name in types:
        if name not in known:
            raise BadRequest(f"unknown type {name!r}; known: {', '.join(known)}", field=where)
    return tuple(dict.fromkeys(types))


def _limit(value: Any, where: str) -> int:
    most = settings().max_limit
    if value is None:
        return settings().default_limit
    # JSON numbers: OpenRefine sends whole numbers; 3.0 is 3, 3.5 is refused.
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole or not 1 <= value <= most:
        raise BadRequest(f"{where} must be a whole number from 1 to {most}", field=where)
    return int(value)


def _countries(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise BadRequest(f"{where} must be a list of {{pid, v}}", field=where)
    countries: set[str] = set()
    for item in value:
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise BadRequest(f"{where} must be a list of {{pid, v}}", field=where)
        if item["pid"] not in PROPERTIES:
            known = ", ".join(PROPERTIES)
            raise BadRequest(f"unknown property {item['pid']!r}; known: {known}", field=where)
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        for v in values:
            # A value reconciled before is {"id", "name"}: its id is the code.
            code = v.get("id") if isinstance(v, dict) else v
            if not isinstance(code, str):
                raise BadRequest(f"{where}: a country is a string code", field=where)
            countries.add(code.strip().upper())
    return frozenset(countries)


def answer(queries: Sequence[Query]) -> tuple[dict[str, Any], list[Resolution]]:
    """The result batch, and the resolutions behind it (for the metrics). Queries of one
    type and limit share one batch of the matcher; a query of several types asks for any
    type and keeps those."""
    groups: dict[tuple[str | None, int], list[Query]] = {}
    for query in queries:
        only = query.types[0] if len(query.types) == 1 else None
        groups.setdefault((only, _fetched(query)), []).append(query)
    resolved: dict[str, Resolution] = {}
    with gate().turn(deadline()):
        for (entity_type, limit), group in groups.items():
            names = [q.text for q in group]
            found = service().matcher.resolve_many(names, entity_type, limit, deadline())
            resolved.update(zip((q.key for q in group), found, strict=True))
    needed = {c.id for q in queries if q.countries for c in resolved[q.key].candidates}
    countries = entity_countries(sorted(needed)) if needed else {}
    results = {q.key: {"result": _result(q, resolved[q.key], countries)} for q in queries}
    return results, list(resolved.values())


def _fetched(query: Query) -> int:
    """Candidates to ask for: more when some will be filtered or re-ranked away."""
    if len(query.types) > 1 or query.countries:
        return settings().max_limit
    return query.limit


def _result(
    query: Query, resolution: Resolution, countries: Mapping[str, str | None]
) -> list[dict[str, Any]]:
    candidates = list(resolution.candidates)
    if len(query.types) > 1:
        candidates = [c for c in candidates if c.type in query.types]
    if query.countries:
        # Stable: those of the country first, in the matcher's order, then the others.
        candidates.sort(key=lambda c: countries.get(c.id) not in query.countries)
    out = []
    for candidate in candidates[: query.limit]:
        agrees = countries.get(candidate.id) in query.countries if query.countries else None
        confident = resolution.match is not None and resolution.match.id == candidate.id
        out.append(_candidate(candidate, confident and agrees is not False, agrees))
    return out


def _candidate(candidate: Candidate, match: bool, country: bool | None) -> dict[str, Any]:
    features: list[dict[str, Any]] = [
        {"id": f"tier_{candidate.method}", "value": 1},
        {"id": "similarity", "value": round(candidate.similarity, 4)},
    ]
    if candidate.alignment is not None:
        alignment = candidate.alignment
        features.append({"id": "query_coverage", "value": round(alignment.query_coverage, 4)})
        features.append({"id": "alias_coverage", "value": round(alignment.alias_coverage, 4)})
    if country is not None:
        features.append({"id": "country_match", "value": country})
    return {
        "id": candidate.id,
        "name": candidate.name,
        "description": f"{candidate.type}; matched {candidate.matched!r}",
        "type": [{"id": candidate.type, "name": candidate.type}],
        "score": round(candidate.score * 100, 2),
        "match": match,
        "features": features,
    }


def entity_countries(ids: Sequence[str]) -> dict[str, str | None]:
    """The country code of each entity, in one fetch (one round trip with Redis)."""
    found = service().store.view().get_many([entity_key(i) for i in ids])
    return {
        i: (str(e["country"]).upper() if isinstance(e, dict) and e.get("country") else None)
        for i, e in zip(ids, found, strict=True)
    }
