"""Loading an alias table: every file under a path, validated whole before anything is used.

Every problem is collected with its file, line and entity; a table with any problem is
refused whole (``AliasTableError``), so the table in force stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from normalizer.aliases.model import Entity
from normalizer.aliases.readers import (
    JSONL_SUFFIXES,
    YAML_SUFFIXES,
    Part,
    Record,
    each_jsonl,
    read_yaml,
)
from normalizer.aliases.validate import parse_entity
from normalizer.bulk import no_cyclic_gc
from normalizer.exc import AliasProblem, AliasTableError

# The folder of an alias folder that holds its golden queries (normalizer.curate.golden):
# YAML files too, but not of entities.
GOLDEN_FOLDER = "tests"


def alias_files(path: Path) -> list[Path]:
    """The alias files at ``path``: the file itself, or every YAML/JSONL file below a folder,
    except those in its golden queries' folder."""
    if path.is_dir():
        suffixes = YAML_SUFFIXES | JSONL_SUFFIXES
        golden = path / GOLDEN_FOLDER
        return sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and p.suffix in suffixes and not p.is_relative_to(golden)
        )
    return [path]


def files_stamp(path: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when an alias file under ``path`` is edited, added or removed: each
    file's path, modification time and size (empty if there is nothing there)."""
    stamp = []
    for file in alias_files(path) if path.exists() else []:
        try:
            status = file.stat()
        except OSError:  # removed meanwhile: the next look sees it gone
            continue
        stamp.append((str(file), status.st_mtime_ns, status.st_size))
    return tuple(stamp)


def alias_paths(path: Path) -> list[Path]:
    """The alias files at ``path``; raises AliasTableError if there are none."""
    if not path.exists():
        raise AliasTableError([AliasProblem(str(path), 0, "no such file or folder")])
    files = alias_files(path)
    if not files:
        raise AliasTableError([AliasProblem(str(path), 0, "no alias files (.yml, .jsonl) here")])
    return files


def parse_files(files: Iterable[Path]) -> tuple[list[Entity], list[AliasProblem]]:
    """Entities from ``files`` and every problem found in them (nothing raised)."""
    return parse_parts([Part(path) for path in files])


def parse_parts(parts: Iterable[Part]) -> tuple[list[Entity], list[AliasProblem]]:
    """Entities from ``parts`` and every problem found in them (nothing raised); an id
    defined twice among them is a problem (``duplicate`` says so for those of several
    runs)."""
    problems: list[AliasProblem] = []
    entities = list(each_entity(parts, problems))
    return entities, problems


def each_entity(parts: Iterable[Part], problems: list[AliasProblem]) -> Iterator[Entity]:
    """The valid entities of ``parts`` as they are read, each problem appended to
    ``problems`` as it is found: a table is valid only once this is exhausted with none."""
    first_at: dict[str, tuple[str, int]] = {}  # id -> where it is defined first
    for part in parts:
        path = part.path
        if not path.is_file():
            problems.append(AliasProblem(str(path), 0, "no such alias file"))
            continue
        if path.suffix in YAML_SUFFIXES:
            records: Iterable[Record] = read_yaml(path, problems)
        elif path.suffix in JSONL_SUFFIXES:
            records = each_jsonl(part, problems)
        else:
            problems.append(AliasProblem(str(path), 0, "not an alias file (.yml, .yaml, .jsonl)"))
            continue
        for line, raw in records:
            entity = parse_entity(raw, str(path), line, problems)
            if entity is None:
                continue
            first = first_at.get(entity.id)
            if first is not None:
                problems.append(_defined_again(entity, *first))
                continue
            first_at[entity.id] = (entity.path, entity.line)
            yield entity


def duplicate(entity: Entity, first: Entity) -> AliasProblem:
    """The problem of ``entity``, whose id ``first`` has already."""
    return _defined_again(entity, first.path, first.line)


def _defined_again(entity: Entity, path: str, line: int) -> AliasProblem:
    return AliasProblem(
        entity.path, entity.line, f"duplicate id, first defined at {path}:{line}", entity.id
    )


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
