"""Validating one entity record as read from an alias file, field by field.

Each check returns the problems it found as messages; ``parse_entity`` locates them (file,
line, entity id) and makes the ``Entity`` only when there are none.
"""

from __future__ import annotations

import re
from typing import Any

from normalizer.aliases.model import Alias, Entity
from normalizer.aliases.readers import LINE
from normalizer.exc import AliasProblem
from normalizer.text.normalize import fold

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
FIELDS = frozenset(
    {"id", "name", "type", "aliases", "country", "notes", "sources", "not", "shared"}
)
# Two ASCII letters or digits survive folding: most names need no fold to be checked.
_TWO_ASCII_ALNUM = re.compile(r"[A-Za-z0-9].*[A-Za-z0-9]")


def check_name(value: Any, what: str) -> str | None:
    """The problem with a name value, or None when it is usable."""
    if not isinstance(value, str):
        return f"{what} must be a string"
    if len(value.strip()) < 2:
        return f"{what} {value!r} is empty or one character"
    if not _TWO_ASCII_ALNUM.search(value) and len(fold(value).replace(" ", "")) < 2:
        return f"{what} {value!r} has fewer than two letters or digits"
    return None


def parse_alias(value: Any) -> Alias | str:
    """An Alias, or the problem with it."""
    lang: Any = None
    if isinstance(value, dict):
        extra = set(value) - {"name", "lang", LINE}
        if extra:
            return f"alias has unknown field(s): {', '.join(sorted(extra))}"
        lang = value.get("lang")
        if lang is not None and not isinstance(lang, str):
            return "alias lang must be a string"
        value = value.get("name")
    problem = check_name(value, "alias")
    if problem:
        return problem
    return Alias(str(value).strip(), lang)


def _unknown_fields(raw: dict[Any, Any]) -> list[str]:
    unknown = set(raw) - FIELDS - {LINE}
    return [f"unknown field(s): {', '.join(sorted(map(str, unknown)))}"] if unknown else []


def _id_problems(value: Any) -> list[str]:
    if value is None:
        return ["missing id"]
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        return [f"id {value!r} is not a slug (lowercase ASCII words joined by hyphens)"]
    return []


def _name_problems(value: Any) -> list[str]:
    if value is None:
        return ["missing name"]
    problem = check_name(value, "name")
    return [problem] if problem else []


def _type_problems(value: Any) -> list[str]:
    if value is None:
        return ["missing type"]
    if not isinstance(value, str) or not TYPE_PATTERN.match(value):
        return [f"type {value!r} must be a lowercase word such as person or organization"]
    return []


def _aliases(value: Any, problems: list[str]) -> tuple[Alias, ...]:
    """The aliases, each once, in order; their problems appended to ``problems``."""
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append("aliases must be a list")
        return ()
    aliases: list[Alias] = []
    for item in value:
        parsed = parse_alias(item)
        if isinstance(parsed, str):
            problems.append(parsed)
        elif parsed not in aliases:
            aliases.append(parsed)
    return tuple(aliases)


def _own_names(raw: dict[Any, Any], aliases: tuple[Alias, ...]) -> set[str]:
    """The entity's name and aliases, folded."""
    return {
        fold(name)
        for name in [raw.get("name"), *(a.name for a in aliases)]
        if isinstance(name, str)
    }


def _excluded(
    raw: dict[Any, Any], aliases: tuple[Alias, ...], problems: list[str]
) -> tuple[str, ...]:
    """The names that must not resolve to the entity; none may be one of its own names."""
    value = raw.get("not")
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append("not must be a list of names")
        return ()
    own = _own_names(raw, aliases)
    excluded: list[str] = []
    for item in value:
        if problem := check_name(item, "not-name"):
            problems.append(problem)
        elif fold(item) in own:
            problems.append(f"not-name {item!r} is also a name of the entity")
        elif item.strip() not in excluded:
            excluded.append(item.strip())
    return tuple(excluded)


def _shared(
    raw: dict[Any, Any], aliases: tuple[Alias, ...], problems: list[str]
) -> tuple[str, ...]:
    """Names of the entity that other entities may have too, on purpose: each must be one
    of its own names."""
    value = raw.get("shared")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append("shared must be a list of the entity's names")
        return ()
    own = _own_names(raw, aliases)
    for item in value:
        if fold(item) not in own:
            problems.append(f"shared name {item!r} is not a name of the entity")
    return tuple(dict.fromkeys(item.strip() for item in value))


def _sources(value: Any, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        problems.append("sources must be a list of strings")
        return ()
    return tuple(value)


def _text_problems(raw: dict[Any, Any], fields: tuple[str, ...]) -> list[str]:
    return [
        f"{name} must be a non-empty string"
        for name in fields
        if (value := raw.get(name)) is not None
        and (not isinstance(value, str) or not value.strip())
    ]


def parse_entity(raw: Any, path: str, line: int, problems: list[AliasProblem]) -> Entity | None:
    """The entity of one record, or None with its problems appended to ``problems``."""
    if not isinstance(raw, dict):
        problems.append(AliasProblem(path, line, "an entity must be a mapping"))
        return None
    found = _unknown_fields(raw)
    found += _id_problems(raw.get("id"))
    found += _name_problems(raw.get("name"))
    found += _type_problems(raw.get("type"))
    aliases = _aliases(raw.get("aliases"), found)
    sources = _sources(raw.get("sources"), found)
    excluded = _excluded(raw, aliases, found)
    shared = _shared(raw, aliases, found)
    found += _text_problems(raw, ("country", "notes"))
    if found:
        label = raw["id"] if isinstance(raw.get("id"), str) else None
        problems.extend(AliasProblem(path, line, message, label) for message in found)
        return None
    return Entity(
        id=raw["id"],
        name=raw["name"].strip(),
        type=raw["type"],
        aliases=aliases,
        country=raw.get("country"),
        notes=raw.get("notes"),
        sources=sources,
        excluded=excluded,
        shared=shared,
        path=path,
        line=line,
    )
