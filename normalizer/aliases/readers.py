"""Reading alias files: YAML (for curators) and JSON Lines (for bulk), every record with the
line it starts on; and cutting big files into runs that processes read on their own.

Readers never raise on bad input: each problem is appended, with file and line, to the list
they are given, and the records that could be read are returned (or yielded).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from normalizer.exc import AliasProblem

YAML_SUFFIXES = frozenset({".yml", ".yaml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
# The key under which a YAML mapping keeps the line it starts on.
LINE = "__line__"

Record = tuple[int, Any]  # the line a record starts on, and the record


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
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, problems: list[AliasProblem]) -> list[Record]:
    """The items of a YAML file that must be a list."""
    try:
        loader = _LineLoader(path.read_text(encoding="utf-8-sig"))
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        problems.append(_yaml_problem(path, error))
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


def _yaml_problem(path: Path, error: yaml.MarkedYAMLError) -> AliasProblem:
    """A YAML error at the line where the faulty construct begins (an unclosed quote or
    bracket), not where PyYAML gave up on it (often the end of the file)."""
    found = error.problem_mark.line + 1 if error.problem_mark else 1
    message = f"malformed YAML: {error.problem}"
    if error.context and error.context_mark and error.context_mark.line + 1 < found:
        begun = error.context_mark.line + 1
        message = f"malformed YAML: {error.problem} at line {found}, {error.context} begun here"
        found = begun
    return AliasProblem(str(path), found, message)


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


def runs_of(files: Iterable[Path], lines: int) -> Iterator[Part]:
    """``files`` as runs of ``lines`` lines of a JSON Lines file, or a file whole, in order
    (``split_files`` cuts them into a few runs of equal size instead)."""
    for path in files:
        if path.suffix not in JSONL_SUFFIXES or not path.is_file():
            yield Part(path)
            continue
        with path.open("rb") as handle:
            start, end, first, count = 0, 0, 1, 0
            for raw in handle:
                end += len(raw)
                count += 1
                if count == lines:
                    yield Part(path, start, end, first)
                    start, first, count = end, first + lines, 0
            if count or not end:
                yield Part(path, start, end, first)


def each_jsonl(part: Part, problems: list[AliasProblem]) -> Iterator[Record]:
    """The records of a JSON Lines file, or of a run of its lines, read a line at a time:
    a file of a million entities is never in memory whole, nor its lines at once."""
    path = part.path
    with path.open("rb") as handle:
        handle.seek(part.start)
        left = None if part.stop is None else part.stop - part.start
        number = part.first_line - 1
        # Binary lines end at b"\n" alone, as records do: str.splitlines() would also
        # split at U+2028 inside a string.
        for raw in handle:
            if left is not None:
                if left <= 0:
                    return
                left -= len(raw)
            number += 1
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                problems.append(AliasProblem(str(path), number, f"not UTF-8: {error}"))
                continue
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except (json.JSONDecodeError, RecursionError) as error:
                message = (
                    error.msg if isinstance(error, json.JSONDecodeError) else "nested too deep"
                )
                problems.append(AliasProblem(str(path), number, f"malformed JSON: {message}"))
