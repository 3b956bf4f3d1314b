"""A big table read and analysed by worker processes (``table.parallel``): the table is the
one a single process compiles, problems are found as one process finds them, and a worker
that ends fails the compile cleanly, leaving no process behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
from pathlib import Path

import pytest
from redis_tables import shared_names_table

from normalizer.aliases import load_path
from normalizer.aliases.load import alias_paths
from normalizer.exc import AliasProblem, AliasTableError
from normalizer.service import build_table
from normalizer.table import parallel
from normalizer.table.compiler import compile_analyzed

GALLERY = Path(__file__).resolve().parent.parent / "bench" / "data" / "dev" / "gallery.jsonl"
PEOPLE = """\
- id: y-1
  name: Rosa Elvira Cárdenas
  type: person
  aliases: [La Güera, "CÁRDENAS, Rosa Elvira"]
- id: y-2
  name: Banco del Istmo Oriental
  type: organization
  aliases: [BIO]
"""


def children() -> list[int]:
    """This process's child processes still running or not yet waited for."""
    found = []
    for task in Path("/proc/self/task").iterdir():
        found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


def record(entity_id: str, name: str) -> str:
    return json.dumps({"id": entity_id, "name": name, "type": "person"})


def test_a_table_analysed_by_workers_is_the_one_a_single_process_compiles(
    tmp_path: Path,
) -> None:
    """Alias ids, keys, postings, records and version: the same whichever process read
    each run, with runs of a few lines (an entity's names and shared keys across runs) and
    of PART_LINES, over a YAML file and two JSON Lines files."""
    folder = tmp_path / "aliases"
    folder.mkdir()
    (folder / "a-people.yml").write_text(PEOPLE, encoding="utf-8")
    shutil.copy(GALLERY, folder / "b-gallery.jsonl")
    shared_names_table(folder)
    alone = build_table(folder, workers=0)
    problems: list[AliasProblem] = []
    runs_of_seven = compile_analyzed(
        parallel.analyzed_entities(alias_paths(folder), 2, problems, run_lines=7)
    )
    assert problems == []
    assert runs_of_seven.meta.version == alone.meta.version
    assert runs_of_seven.meta.entities == alone.meta.entities > 1100
    assert dict(runs_of_seven.entries) == dict(alone.entries)
    by_default = build_table(folder, workers=3)
    assert by_default.meta == alone.meta
    assert dict(by_default.entries) == dict(alone.entries)
    assert children() == []


def test_workers_find_the_problems_one_process_finds(tmp_path: Path) -> None:
    """A bad entity, a malformed line, an id defined again in a later run, in the same run
    and in another file: each named with its file and line, in the order one process
    names them, and nothing compiled."""
    folder = tmp_path / "aliases"
    folder.mkdir()
    (folder / "a-people.yml").write_text(PEOPLE + "- id: y-3\n  type: person\n", encoding="utf-8")
    lines = [
        record("p-1", "Ana Rivas"),
        record("p-2", "Luis Rivas"),
        "{not json",
        record("p-1", "Ana Rivas Soto"),  # the first run's
        record("y-1", "Rosa Cárdenas"),  # the YAML file's
        record("p-3", "Karim Haddad"),
        record("p-9", "Omar Haddad"),
        record("p-9", "Omar Haddad Rivas"),  # its own run's
    ]
    path = folder / "b-bulk.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(AliasTableError) as one_process:
        load_path(folder)
    expected = one_process.value.problems
    assert [(problem.path, problem.line) for problem in expected][1:] == [
        (str(path), 3),
        (str(path), 4),
        (str(path), 5),
        (str(path), 8),
    ]
    problems: list[AliasProblem] = []
    analysed = list(parallel.analyzed_entities(alias_paths(folder), 2, problems, run_lines=3))
    assert problems == expected
    assert analysed == []  # the first problem is the first file's
    with pytest.raises(AliasTableError) as compiling:
        build_table(folder, workers=2)
    assert compiling.value.problems == expected


def test_a_worker_that_ends_fails_the_compile_and_leaves_no_process(tmp_path: Path) -> None:
    problems: list[AliasProblem] = []
    entities = parallel.analyzed_entities([GALLERY], 2, problems, run_lines=5)
    assert next(entities)[0]  # the workers run, and have answered
    workers = children()
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)
    with pytest.raises(RuntimeError, match=r"ended unexpectedly \(exit code -9\)"):
        for _ in entities:
            pass
    assert children() == []


def test_a_compile_ended_early_ends_its_workers() -> None:
    """A compile that stops reading (its caller failed) ends its workers, which may be
    writing answers no one will read."""
    entities = parallel.analyzed_entities([GALLERY], 2, [], run_lines=5)
    next(entities)
    assert len(children()) == 2
    entities.close()
    assert children() == []


@pytest.mark.skipif(parallel.usable_processors() < 2, reason="one processor: no workers")
def test_only_big_tables_are_read_by_workers(tmp_path: Path) -> None:
    small = shared_names_table(tmp_path)
    assert parallel.workers_for([small]) == 0
    big = tmp_path / "big.jsonl"
    with big.open("wb") as sparse:
        sparse.truncate(parallel.PARALLEL_FROM_BYTES)
    assert 2 <= parallel.workers_for([small, big]) <= parallel.MAX_WORKERS
