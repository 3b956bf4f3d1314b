"""Suggestions and previews for the reconciliation API (web/reconcile.py).

Entity suggestions are a prefix search over every name and alias, folded as the matcher
folds them (case, accents and script: "giam", "Giám" and "Джам" alike), at the start of
any of their words ("Oseg" finds "Nemesio Oseguera Cervantes"). The stores hold keys, not
a list of names, so the index is built from the alias files this process serves (the ones
the table is compiled from), once per table version, in memory: meant for tables of up
to some hundred thousand names.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from dataclasses import dataclass
from html import escape
from typing import Any

from flask import current_app

from normalizer.aliases.load import load_path
from normalizer.exc import NotFound
from normalizer.text.normalize import fold
from normalizer.web.context import service

SUGGESTIONS = 10


@dataclass(frozen=True, slots=True)
class _Index:
    version: str
    # (folded words from one word of a name on, entity id), sorted; and each entity's card.
    keys: list[tuple[str, str]]
    entities: dict[str, tuple[str, str]]  # id -> (name, type)


INDEX = "normalizer.suggest"  # the app's extension holding its index
_lock = threading.Lock()


def _current() -> _Index:
    """The app's index of the table in force, built again when the version changes."""
    version = service().store.view().meta.version
    with _lock:
        index: _Index | None = current_app.extensions.get(INDEX)
        if index is None or index.version != version:
            index = current_app.extensions[INDEX] = _built(version)
        return index


def _built(version: str) -> _Index:
    keys: set[tuple[str, str]] = set()
    entities = {}
    for entity in load_path(service().aliases):
        entities[entity.id] = (entity.name, entity.type)
        for name in (entity.name, *(a.name for a in entity.aliases)):
            words = fold(name).split()
            keys.update((" ".join(words[i:]), entity.id) for i in range(len(words)))
    return _Index(version, sorted(keys), entities)


def suggest_entities(prefix: str) -> list[dict[str, Any]]:
    """Up to SUGGESTIONS entities with a name or alias a word of which starts with
    ``prefix``; those whose own name starts with it first, then by name."""
    folded = " ".join(fold(prefix).split())
    if not folded:
        return []
    index = _current()
    found: set[str] = set()
    at = bisect_left(index.keys, (folded, ""))
    while at < len(index.keys) and index.keys[at][0].startswith(folded):
        found.add(index.keys[at][1])
        at += 1
    names = {i: index.entities[i] for i in found}
    ranked = sorted(found, key=lambda i: (not fold(names[i][0]).startswith(folded), names[i][0]))
    return [
        {"id": i, "name": names[i][0], "notable": [{"id": names[i][1], "name": names[i][1]}]}
        for i in ranked[:SUGGESTIONS]
    ]


def suggest_types(prefix: str) -> list[dict[str, str]]:
    """The table's types that start with ``prefix`` (all for an empty one)."""
    folded = fold(prefix).strip()
    types = service().store.view().meta.types
    return [{"id": t, "name": t} for t in types if t.startswith(folded)]


def preview_card(entity_id: str) -> str:
    """A small HTML page about the entity, for OpenRefine's preview iframe; every value
    from the table is escaped."""
    entity = service().entity(entity_id)
    if entity is None:
        raise NotFound(f"no entity with id {entity_id!r}", field="id")
    aliases = ", ".join(escape(str(a.get("name", ""))) for a in entity.get("aliases", []))
    rows = [
        ("Type", escape(str(entity.get("type", "")))),
        ("Country", escape(str(entity.get("country") or "—"))),
        ("Also", aliases or "—"),
        ("Notes", escape(str(entity.get("notes") or "—"))),
    ]
    table = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{escape(str(entity['name']))}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(str(entity['name']))}</h1><p class=id>{escape(entity_id)}</p>"
        f"<table>{table}</table></body></html>"
    )


_STYLE = (
    "body{font:13px/1.35 sans-serif;margin:6px}h1{font-size:15px;margin:0}"
    ".id{color:#666;margin:0 0 4px}th{text-align:left;vertical-align:top;padding-right:8px;"
    "color:#444}td{padding:0}"
)
