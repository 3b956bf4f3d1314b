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
from normalizer.text.normalize import fold

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


@dataclass(frozen=True, slots=True)
class Part:
    """Alias files, or a piece of one to read on its own: a YAML file whole, or a run of a
    JSON Lines file's lines (bytes ``start`` to ``stop``, the first numbered ``first_line``)."""

    path: Path
    start: int = 0
    stop: int | None = None
    first_line: int = 1


def split_files(files: list[Path], parts: int) -> list[list[Part]]:
    """The files in at most ``parts`` runs of about equal size, in their order; a JSON
    Lines file may be cut between two lines (a YAML file is never cut)."""
    sizes = [path.stat().st_size if path.is_file() else 0 for path in files]
    share = max(1.0, sum(sizes) / max(1, parts))
    runs: list[list[Part]] = [[] for _ in range(max(1, parts))]
    done = 0  # bytes of the files before this one
    for path, size in zip(files, sizes, strict=True):
        if path.suffix not in JSONL_SUFFIXES or size == 0:
            runs[min(len(runs) - 1, int(done // share))].append(Part(path))
            done += size
            continue
        with path.open("rb") as handle:
            start, line = 0, 1
            while start < size:
                run = min(len(runs) - 1, int((done + start) // share))
                stop = size if run == len(runs) - 1 else int((run + 1) * share - done)
                stop = min(size, max(stop, start + 1))
                if stop < size:
                    handle.seek(stop - 1)
                    stop += len(handle.readline()) - 1  # to just after the line's end
                handle.seek(start)
                runs[run].append(Part(path, start, stop, line))
                line += handle.read(stop - start).count(b"\n")
                start = stop
        done += size
    return [run for run in runs if run]


def _read_jsonl(part: Part, problems: list[AliasProblem]) -> list[tuple[int, Any]]:
    path = part.path
    records: list[tuple[int, Any]] = []
    try:
        if part.stop is None:
            text = path.read_text(encoding="utf-8-sig")
        else:
            with path.open("rb") as handle:
                handle.seek(part.start)
                raw = handle.read(part.stop - part.start)
            text = raw.decode("utf-8-sig" if part.start == 0 else "utf-8")
    except UnicodeDecodeError as error:
        problems.append(AliasProblem(str(path), part.first_line, f"not UTF-8: {error}"))
        return []
    # Only "\n" ends a record: str.splitlines() would also split at U+2028 inside a string.
    for number, line in enumerate(text.split("\n"), start=part.first_line):
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
    return parse_parts([Part(path) for path in files])


def parse_parts(parts: Iterable[Part]) -> tuple[list[Entity], list[AliasProblem]]:
    """Entities from ``parts`` and every problem found in them (nothing raised); an id
    defined twice among them is a problem (``duplicates`` finds those of several runs)."""
    problems: list[AliasProblem] = []
    entities: list[Entity] = []
    seen: dict[str, Entity] = {}
    for part in parts:
        path = part.path
        if not path.is_file():
            problems.append(AliasProblem(str(path), 0, "no such alias file"))
            continue
        if path.suffix in YAML_SUFFIXES:
            records = _read_yaml(path, problems)
        elif path.suffix in JSONL_SUFFIXES:
            records = _read_jsonl(part, problems)
        else:
            problems.append(AliasProblem(str(path), 0, "not an alias file (.yml, .yaml, .jsonl)"))
            continue
        for line, raw in records:
            entity = _parse_entity(raw, (str(path), line), problems)
            if entity is None:
                continue
            if entity.id in seen:
                problems.append(duplicate(entity, seen[entity.id]))
                continue
            seen[entity.id] = entity
            entities.append(entity)
    return entities, problems


def duplicate(entity: Entity, first: Entity) -> AliasProblem:
    """The problem of ``entity``, whose id ``first`` has already."""
    where = f"{first.path}:{first.line}"
    return AliasProblem(
        entity.path, entity.line, f"duplicate id, first defined at {where}", entity.id
    )


def alias_paths(path: Path) -> list[Path]:
    """The alias files at ``path``; raises AliasTableError if there are none."""
    if not path.exists():
        raise AliasTableError([AliasProblem(str(path), 0, "no such file or folder")])
    files = alias_files(path)
    if not files:
        raise AliasTableError([AliasProblem(str(path), 0, "no alias files (.yml, .jsonl) here")])
    return files


def no_entities(path: Path) -> AliasTableError:
    # An empty table would silently replace a good one.
    return AliasTableError([AliasProblem(str(path), 0, "no entities in the alias files")])


def load_path(path: Path | str) -> list[Entity]:
    """Every entity under ``path``; raises AliasTableError naming each problem."""
    path = Path(path)
    files = alias_paths(path)
    with no_cyclic_gc():
        entities, problems = parse_files(files)
    if problems:
        raise AliasTableError(problems)
    if not entities:
        raise no_entities(path)
    return entities
