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
    first = FirstDefined()
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
            if (again := first.again(entity.id, entity.path, entity.line)) is not None:
                problems.append(again)
                continue
            yield entity


class FirstDefined:
    """Where each id of a table is defined first, to name the place of each defined again.

    Held as one int an id (the file's number, then the line): a tuple of path and line
    each was 0.06 GB of a million entities' compile."""

    LINE_BITS = 40

    def __init__(self) -> None:
        self._at: dict[str, int] = {}
        self._paths: list[str] = []

    def again(self, entity_id: str, path: str, line: int) -> AliasProblem | None:
        """None if ``entity_id`` is first defined here, at ``path``:``line``; else the problem
        of defining it again."""
        if not self._paths or self._paths[-1] != path:
            self._paths.append(path)  # files are read one after the other
        here = (len(self._paths) - 1) << self.LINE_BITS | line
        if (first := self._at.setdefault(entity_id, here)) == here:
            return None
        first_path = self._paths[first >> self.LINE_BITS]
        return redefined(entity_id, path, line, first_path, first & ((1 << self.LINE_BITS) - 1))


def duplicate(entity: Entity, first: Entity) -> AliasProblem:
    """The problem of ``entity``, whose id ``first`` has already."""
    return redefined(entity.id, entity.path, entity.line, first.path, first.line)


def redefined(
    entity_id: str, path: str, line: int, first_path: str, first_line: int
) -> AliasProblem:
    """The problem of the entity at ``path``:``line`` whose id was defined first at
    ``first_path``:``first_line``."""
    message = f"duplicate id, first defined at {first_path}:{first_line}"
    return AliasProblem(path, line, message, entity_id)


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
