"""``normalizer diff``: the impact of a change to the alias table, read before it is made."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import click

from normalizer.aliases import Entity, load_path
from normalizer.cli.common import (
    BadInput,
    lines_of,
    quiet_unless_verbose,
    settings_with,
)
from normalizer.curate.golden import GoldenQuery, golden_path, load_golden
from normalizer.curate.impact import answer_changes, probes, table_change
from normalizer.curate.report import FORMATS, Impact, render
from normalizer.curate.revision import RevisionError, files_at
from normalizer.exc import AliasTableError
from normalizer.service import matcher_on
from normalizer.table.compiler import compile_table

# Exit statuses: 1 says a golden query's answer changed (for CI); 2, as click's usage
# errors, that the report could not be made.
GOLDEN_CHANGED = 1
UNUSABLE = 2


@click.command(
    help="The impact of a change to the alias table: entities added, removed and changed, new "
    "collisions, names made ambiguous, and every answer that changes over the golden queries "
    "of both tables (and --queries). OLD NEW are alias files or folders; --rev REV [NEW] "
    "compares NEW (default: the alias folder) with itself at a git revision. Exits 1 if a "
    "golden query's answer changes, 2 if a table cannot be read."
)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--rev", "revision", default=None, help="A git revision to compare NEW with.")
@click.option(
    "--queries",
    type=click.File("rb"),
    default=None,
    help="Names to compare the answers of too, one a line ('-': standard input).",
)
@click.option("--format", "form", type=click.Choice(FORMATS), default="text", show_default=True)
def diff(
    paths: tuple[Path, ...], revision: str | None, queries: BinaryIO | None, form: str
) -> None:
    quiet_unless_verbose()
    log = list(lines_of(queries, _source(queries))) if queries is not None else []
    if revision is None:
        if len(paths) != 2:
            raise click.UsageError("give OLD and NEW, or --rev REV [NEW]")
        impact = _impact(*paths, str(paths[0]), log)
    else:
        if len(paths) > 1:
            raise click.UsageError("with --rev, give NEW only (or nothing: the alias folder)")
        new = paths[0] if paths else settings_with().alias_path
        with _files_at(revision, new) as old:
            impact = _impact(old, new, f"{revision}:{new}", log)
    click.echo(render(impact, form), nl=False)
    if impact.golden_changes:
        sys.exit(GOLDEN_CHANGED)


def _source(stream: BinaryIO) -> str:
    """How a problem in ``stream`` names it: its file, or standard input."""
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) and name not in ("-", "<stdin>") else "standard input"


@contextmanager
def _files_at(revision: str, path: Path) -> Iterator[Path]:
    try:
        with files_at(revision, path) as old:
            yield old
    except RevisionError as error:
        raise BadInput(error.detail) from None


def _impact(old: Path, new: Path, old_name: str, log: list[str]) -> Impact:
    """The impact of replacing the table at ``old`` (called ``old_name``, which its files'
    paths are shown under) with the one at ``new``."""
    shown = _renamed(old, old_name)
    old_entities, old_golden = _table(old, shown)
    new_entities, new_golden = _table(new, str)
    asked = probes(new_golden, old_golden, log)
    # Each table compiled once, for its answers and for the names it makes ambiguous.
    old_table, new_table = compile_table(old_entities), compile_table(new_entities)
    settings = settings_with()
    changes = answer_changes(
        matcher_on(old_table, settings), matcher_on(new_table, settings), asked
    )
    return Impact(
        old=old_name,
        new=str(new),
        table=table_change(old_entities, new_entities, old_table, new_table),
        answers=changes,
        asked=len(asked),
        golden=sum(probe.golden is not None for probe in asked),
    )


def _renamed(folder: Path, name: str) -> Callable[[str], str]:
    """Paths under ``folder`` as under ``name`` (a revision's files are in a temporary
    folder, but are shown as the revision's)."""
    prefix = str(folder)
    return lambda path: name + path[len(prefix) :] if path.startswith(prefix) else path


def _table(path: Path, shown: Callable[[str], str]) -> tuple[list[Entity], list[GoldenQuery]]:
    """The entities and golden queries at ``path``; exits 2, listing the problems, if
    either cannot be read."""
    try:
        entities = load_path(path)
        golden = golden_path(path)
        queries = load_golden(golden, entities) if golden is not None else []
    except AliasTableError as error:
        for problem in error.problems:
            problem = replace(problem, path=shown(problem.path))
            click.echo(f"error: {problem}", err=True)
        click.echo(f"{len(error.problems)} problem(s); no report was made", err=True)
        sys.exit(UNUSABLE)
    entities = [replace(entity, path=shown(entity.path)) for entity in entities]
    return entities, [replace(query, path=shown(query.path)) for query in queries]
