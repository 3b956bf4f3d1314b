"""Golden queries: names the table must resolve to a given entity, or must not resolve at all,
kept in YAML beside the alias files (``tests/`` in the alias folder) and run like tests.

A file is a list of mappings::

    - {query: El Mencho, expect: nemesio-oseguera-cervantes}
    - {query: Rubén Oseguera González, expect: null, why: his son}
    - {query: Jalisco, expect: jalisco, type: location}

``expect`` is an entity id, or null for "no confident match"; ``type`` restricts the query as
the API's type parameter does; ``why`` is a note for the curator. Files are validated like
alias files: every problem with its file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from normalizer.aliases.load import GOLDEN_FOLDER
from normalizer.aliases.model import Entity
from normalizer.aliases.readers import LINE, YAML_SUFFIXES, read_yaml
from normalizer.aliases.validate import check_name
from normalizer.curate.answers import NO_MATCH, Answer, answers
from normalizer.exc import AliasProblem, AliasTableError
from normalizer.match.matcher import Matcher
from normalizer.service import matcher_on
from normalizer.settings import Settings
from normalizer.table.compiler import CompiledTable

FIELDS = frozenset({"query", "expect", "type", "why"})


@dataclass(frozen=True, slots=True)
class GoldenQuery:
    query: str
    expect: str | None  # an entity id; None: the query must not resolve
    type: str | None = None
    why: str | None = None
    path: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def expected(self) -> str:
        return self.expect if self.expect is not None else NO_MATCH


@dataclass(frozen=True, slots=True)
class Outcome:
    """A golden query and what the table answered."""

    golden: GoldenQuery
    answer: Answer

    @property
    def passed(self) -> bool:
        return self.answer.entity == self.golden.expect

    def __str__(self) -> str:
        return f"{self.golden.where}: {self.said()}"

    def said(self) -> str:
        """The query, the expected answer and the one got (without where it is)."""
        golden = self.golden
        typed = f" (type {golden.type})" if golden.type else ""
        return f"{golden.query!r}{typed}: expected {golden.expected}, got {self.answer}"


def golden_path(aliases: Path) -> Path | None:
    """The golden queries' folder of the alias folder ``aliases``, if it has one."""
    folder = aliases / GOLDEN_FOLDER
    return folder if aliases.is_dir() and folder.is_dir() else None


def golden_files(path: Path) -> list[Path]:
    """The file ``path``, or every YAML file below the folder ``path``."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in YAML_SUFFIXES)
    return [path]


def load_golden(path: Path, entities: Sequence[Entity]) -> list[GoldenQuery]:
    """The golden queries at ``path`` (a file or folder), checked against the table of
    ``entities``; raises AliasTableError naming every problem."""
    problems: list[AliasProblem] = []
    if not path.exists():
        raise AliasTableError([AliasProblem(str(path), 0, "no such file or folder")])
    by_id = {entity.id: entity for entity in entities}
    types = {entity.type for entity in entities}
    queries: list[GoldenQuery] = []
    for file in golden_files(path):
        if file.suffix not in YAML_SUFFIXES:
            problems.append(AliasProblem(str(file), 0, "not a golden query file (.yml, .yaml)"))
            continue
        for line, raw in read_yaml(file, problems):
            found = _problems(raw, by_id, types)
            if found:
                problems.extend(AliasProblem(str(file), line, message) for message in found)
            else:
                queries.append(_golden(raw, str(file), line))
    problems.extend(_duplicates(queries))
    if problems:
        raise AliasTableError(problems)
    return queries


def run_golden(matcher: Matcher, queries: Sequence[GoldenQuery]) -> list[Outcome]:
    """Each golden query with the answer ``matcher`` gives it."""
    got = answers(matcher, [(golden.query, golden.type) for golden in queries])
    return [Outcome(golden, answer) for golden, answer in zip(queries, got, strict=True)]


def refuse_failing(
    aliases: Path, entities: Sequence[Entity], table: CompiledTable, settings: Settings
) -> None:
    """Raise AliasTableError naming each golden query of the alias folder ``aliases`` that
    ``table`` (compiled from ``entities``) fails: an edit the curator's tests refuse."""
    where = golden_path(aliases)
    if where is None:
        return
    outcomes = run_golden(matcher_on(table, settings), load_golden(where, entities))
    failed = [
        AliasProblem(o.golden.path, o.golden.line, f"golden query fails: {o.said()}")
        for o in outcomes
        if not o.passed
    ]
    if failed:
        raise AliasTableError(failed)


def _golden(raw: dict[Any, Any], path: str, line: int) -> GoldenQuery:
    why = raw.get("why")
    return GoldenQuery(
        query=raw["query"].strip(),
        expect=raw["expect"],
        type=raw.get("type"),
        why=why.strip() if why else None,
        path=path,
        line=line,
    )


def _problems(raw: Any, by_id: dict[str, Entity], types: set[str]) -> list[str]:
    """What is wrong with one record: its fields, and an id or type the table lacks."""
    if not isinstance(raw, dict):
        return ["a golden query must be a mapping (query, expect, type, why)"]
    found = []
    unknown = set(raw) - FIELDS - {LINE}
    if unknown:
        found.append(f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    if "query" not in raw:
        found.append("missing query")
    elif problem := check_name(raw["query"], "query"):
        found.append(problem)
    found += _expect_problems(raw, by_id)
    found += _type_problems(raw, by_id, types)
    why = raw.get("why")
    if why is not None and (not isinstance(why, str) or not why.strip()):
        found.append("why must be a non-empty string")
    return found


def _expect_problems(raw: dict[Any, Any], by_id: dict[str, Entity]) -> list[str]:
    if "expect" not in raw:
        return ["missing expect (an entity id, or null for no match)"]
    expected = raw["expect"]
    if expected is None:
        return []
    if not isinstance(expected, str):
        return ["expect must be an entity id, or null for no match"]
    if expected not in by_id:
        return [f"expected id {expected!r} is not in the table"]
    return []


def _type_problems(raw: dict[Any, Any], by_id: dict[str, Entity], types: set[str]) -> list[str]:
    entity_type = raw.get("type")
    if entity_type is None:
        return []
    if not isinstance(entity_type, str) or entity_type not in types:
        return [f"type {entity_type!r} is no entity's type in the table"]
    expected = by_id.get(raw["expect"]) if isinstance(raw.get("expect"), str) else None
    if expected is not None and expected.type != entity_type:
        # The type would filter the expected entity out: the query could never pass.
        return [f"expects {expected.id}, of type {expected.type}, but asks for type {entity_type}"]
    return []


def _duplicates(queries: Iterable[GoldenQuery]) -> list[AliasProblem]:
    """A query asked twice (with the same type): one of the two is a slip, perhaps with
    another expectation."""
    first: dict[tuple[str, str | None], GoldenQuery] = {}
    problems = []
    for golden in queries:
        key = (golden.query, golden.type)
        if key in first:
            message = f"golden query {golden.query!r} asked already at {first[key].where}"
            problems.append(AliasProblem(golden.path, golden.line, message))
        else:
            first[key] = golden
    return problems
