"""Load and validate alias files: YAML for curators, JSON Lines for bulk.

Every problem is collected with its file, line and entity before anything is used; a table
with any problem is refused whole (``AliasTableError``), so the table in force stays.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from normalizer.bulk import no_cyclic_gc
from normalizer.exc import AliasProblem, AliasTableError
from normalizer.normalize import fold

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
FIELDS = frozenset({"id", "name", "type", "aliases", "country", "notes", "sources"})
YAML_SUFFIXES = frozenset({".yml", ".yaml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_LINE = "__line__"
# Two ASCII letters or digits survive folding: most names need no fold to be checked.
_TWO_ASCII_ALNUM = re.compile(r"[A-Za-z0-9].*[A-Za-z0-9]")


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[Alias, ...] = ()
    country: str | None = None
    notes: str | None = None
    sources: tuple[str, ...] = ()
    path: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def names(self) -> Iterator[str]:
        """The canonical name, then every alias."""
        yield self.name
        for alias in self.aliases:
            yield alias.name

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "name": self.name, "type": self.type}
        body["aliases"] = [
            {"name": a.name, "lang": a.lang} if a.lang else {"name": a.name} for a in self.aliases
        ]
        if self.country:
            body["country"] = self.country
        if self.notes:
            body["notes"] = self.notes
        if self.sources:
            body["sources"] = list(self.sources)
        return body


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that records the line each mapping starts on."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool | None):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word, not a list or mapping", key_node.start_mark
            )
        if key in seen:
            # PyYAML keeps the last value silently; a curator's typo would go unnoticed.
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def alias_files(path: Path) -> list[Path]:
    """The alias files at ``path``: the file itself, or every YAML/JSONL file below a folder."""
    if path.is_dir():
        suffixes = YAML_SUFFIXES | JSONL_SUFFIXES
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in suffixes)
    return [path]


def _read_yaml(path: Path, problems: list[AliasProblem]) -> list[tuple[int, Any]]:
    try:
        loader = _LineLoader(path.read_text(encoding="utf-8-sig"))
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        problems.append(AliasProblem(str(path), line, f"malformed YAML: {error.problem}"))
        return []
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.append(AliasProblem(str(path), 1, f"unreadable YAML: {error}"))
        return []
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        problems.append(AliasProblem(str(path), 1, "the file must be a list of entities"))
        return []
    return [(item.start_mark.line + 1, value) for item, value in zip(node.value, data, strict=True)]


def _read_jsonl(path: Path, problems: list[AliasProblem]) -> list[tuple[int, Any]]:
    records: list[tuple[int, Any]] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        problems.append(AliasProblem(str(path), 1, f"not UTF-8: {error}"))
        return []
    # Only "\n" ends a record: str.splitlines() would also split at U+2028 inside a string.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except (json.JSONDecodeError, RecursionError) as error:
            message = error.msg if isinstance(error, json.JSONDecodeError) else "nested too deep"
            problems.append(AliasProblem(str(path), number, f"malformed JSON: {message}"))
    return records


def _check_name(value: Any, what: str) -> str | None:
    """The problem with a name value, or None when it is usable."""
    if not isinstance(value, str):
        return f"{what} must be a string"
    if len(value.strip()) < 2:
        return f"{what} {value!r} is empty or one character"
    if not _TWO_ASCII_ALNUM.search(value) and len(fold(value).replace(" ", "")) < 2:
        return f"{what} {value!r} has fewer than two letters or digits"
    return None


def _parse_alias(value: Any) -> Alias | str:
    """An Alias, or the problem with it."""
    if isinstance(value, dict):
        extra = set(value) - {"name", "lang", _LINE}
        if extra:
            return f"alias has unknown field(s): {', '.join(sorted(extra))}"
        lang = value.get("lang")
        if lang is not None and not isinstance(lang, str):
            return "alias lang must be a string"
        value, lang_code = value.get("name"), lang
    else:
        lang_code = None
    problem = _check_name(value, "alias")
    if problem:
        return problem
    return Alias(str(value).strip(), lang_code)


def _parse_entity(raw: Any, where: tuple[str, int], problems: list[AliasProblem]) -> Entity | None:
    path, line = where
    if not isinstance(raw, dict):
        problems.append(AliasProblem(path, line, "an entity must be a mapping"))
        return None
    entity_id = raw.get("id")
    label = entity_id if isinstance(entity_id, str) else None
    before = len(problems)

    def problem(message: str) -> None:
        problems.append(AliasProblem(path, line, message, label))

    unknown = set(raw) - FIELDS - {_LINE}
    if unknown:
        problem(f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    if entity_id is None:
        problem("missing id")
    elif not isinstance(entity_id, str) or not ID_PATTERN.match(entity_id):
        problem(f"id {entity_id!r} is not a slug (lowercase ASCII words joined by hyphens)")
    if raw.get("name") is None:
        problem("missing name")
    elif name_problem := _check_name(raw["name"], "name"):
        problem(name_problem)
    entity_type = raw.get("type")
    if entity_type is None:
        problem("missing type")
    elif not isinstance(entity_type, str) or not TYPE_PATTERN.match(entity_type):
        problem(f"type {entity_type!r} must be a lowercase word such as person or organization")
    raw_aliases = raw.get("aliases")
    raw_aliases = [] if raw_aliases is None else raw_aliases
    aliases: list[Alias] = []
    if not isinstance(raw_aliases, list):
        problem("aliases must be a list")
        raw_aliases = []
    for value in raw_aliases:
        parsed = _parse_alias(value)
        if isinstance(parsed, str):
            problem(parsed)
        elif parsed not in aliases:
            aliases.append(parsed)
    sources = raw.get("sources")
    sources = [] if sources is None else sources
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        problem("sources must be a list of strings")
        sources = []
    for optional in ("country", "notes"):
        value = raw.get(optional)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problem(f"{optional} must be a non-empty string")
    if len(problems) > before:
        return None
    return Entity(
        id=raw["id"],
        name=raw["name"].strip(),
        type=raw["type"],
        aliases=tuple(aliases),
        country=raw.get("country"),
        notes=raw.get("notes"),
        sources=tuple(sources),
        path=path,
        line=line,
    )


def parse_files(files: Iterable[Path]) -> tuple[list[Entity], list[AliasProblem]]:
    """Entities from ``files`` and every problem found in them (nothing raised)."""
    problems: list[AliasProblem] = []
    entities: list[Entity] = []
    seen: dict[str, Entity] = {}
    for path in files:
        if not path.is_file():
            problems.append(AliasProblem(str(path), 0, "no such alias file"))
            continue
        if path.suffix in YAML_SUFFIXES:
            records = _read_yaml(path, problems)
        elif path.suffix in JSONL_SUFFIXES:
            records = _read_jsonl(path, problems)
        else:
            problems.append(AliasProblem(str(path), 0, "not an alias file (.yml, .yaml, .jsonl)"))
            continue
        for line, raw in records:
            entity = _parse_entity(raw, (str(path), line), problems)
            if entity is None:
                continue
            if entity.id in seen:
                first = seen[entity.id]
                problems.append(
                    AliasProblem(
                        entity.path,
                        entity.line,
                        f"duplicate id, first defined at {first.path}:{first.line}",
                        entity.id,
                    )
                )
                continue
            seen[entity.id] = entity
            entities.append(entity)
    return entities, problems


def load_path(path: Path | str) -> list[Entity]:
    """Every entity under ``path``; raises AliasTableError naming each problem."""
    path = Path(path)
    if not path.exists():
        raise AliasTableError([AliasProblem(str(path), 0, "no such file or folder")])
    files = alias_files(path)
    if not files:
        raise AliasTableError([AliasProblem(str(path), 0, "no alias files (.yml, .jsonl) here")])
    with no_cyclic_gc():
        entities, problems = parse_files(files)
    if problems:
        raise AliasTableError(problems)
    if not entities:
        # An empty table would silently replace a good one.
        raise AliasTableError([AliasProblem(str(path), 0, "no entities in the alias files")])
    return entities
