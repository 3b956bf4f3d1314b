"""``normalizer resolve`` and ``normalizer check``: a curator's look at names and files."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import orjson

from normalizer.aliases import Entity, load_path
from normalizer.aliases.collisions import find_collisions
from normalizer.cli.common import (
    aliases_option,
    lines_of,
    matcher_for,
    quiet_unless_verbose,
    report_problems,
    settings_with,
    told_as_a_command,
)
from normalizer.curate.golden import golden_path, load_golden, run_golden
from normalizer.exc import AliasTableError
from normalizer.service import matcher_on
from normalizer.table.analysis import count_names
from normalizer.table.compiler import CompiledTable, compile_table
from normalizer.table.silenced import silenced_names

# Names from standard input are resolved this many at a time: the batch shares its fetches,
# and memory stays flat however long the input.
STDIN_BATCH = 1000
STDIN = "-"


def _names(arguments: tuple[str, ...]) -> Iterator[str]:
    """The names on the command line, standard input's in place of ``-``."""
    for argument in arguments:
        if argument == STDIN:
            yield from lines_of(sys.stdin.buffer, "standard input")
        else:
            yield argument


@click.command(
    help="Resolve names; print one JSON result a line (JSON Lines). NAME '-' reads names from "
    "standard input, one a line. Exits 1 if any name has no confident match (--no-fail: 0)."
)
@aliases_option
@click.argument("names", nargs=-1, required=True)
@click.option("--type", "entity_type", default=None, help="Only entities of this type.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--explain", is_flag=True, help="Show the token alignment behind each score.")
@click.option("--no-fail", is_flag=True, help="Exit 0 even if some names have no match.")
def resolve(
    aliases: Path | None,
    names: tuple[str, ...],
    entity_type: str | None,
    limit: int,
    explain: bool,
    no_fail: bool,
) -> None:
    quiet_unless_verbose()
    unmatched = 0
    with told_as_a_command():
        matcher = matcher_for(aliases)
        out = sys.stdout.buffer
        stream = _names(names)
        while batch := list(itertools.islice(stream, STDIN_BATCH)):
            resolutions = matcher.resolve_many(batch, entity_type, limit, explain=explain)
            unmatched += sum(r.match is None for r in resolutions)
            # The API's bytes for each result (web/json_provider.py), one a line.
            out.write(b"".join(orjson.dumps(r.to_json(explain)) + b"\n" for r in resolutions))
            out.flush()
    if unmatched and not no_fail:
        click.echo(f"normalizer: {unmatched} name(s) without a confident match", err=True)
        sys.exit(1)


@click.command(
    help="Validate alias files; list collisions and near-collisions; run the golden queries "
    "(PATH/tests when PATH is a folder). Exits 1 on an error or a failed golden query."
)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Collisions are errors (exit 1).")
@click.option(
    "--against",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="The alias files in force: names of theirs that PATH makes ambiguous are errors "
    "(as a reload refuses them), unless listed under 'shared'.",
)
@click.option(
    "--golden",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Golden queries to run, a YAML file or folder (default: PATH/tests).",
)
@click.option("--no-golden", is_flag=True, help="Run no golden queries.")
def check(
    path: Path, strict: bool, against: Path | None, golden: Path | None, no_golden: bool
) -> None:
    if golden is not None and no_golden:
        raise click.UsageError("--golden and --no-golden exclude each other")
    quiet_unless_verbose()
    try:
        entities = load_path(path)
        golden = None if no_golden else golden or golden_path(path)
        # Compiled once, for the names it makes ambiguous and for its golden queries' answers.
        table = compile_table(entities) if against is not None or golden is not None else None
        silenced = []
        if against is not None and table is not None:
            before = compile_table(load_path(against)).entries
            silenced = silenced_names(entities, table, lambda keys: [before.get(k) for k in keys])
    except AliasTableError as error:
        report_problems(error)
        sys.exit(1)
    for problem in silenced:
        click.echo(f"error: {problem}")
    collisions = find_collisions(entities)
    errors = len(silenced)
    where = {entity.id: f"{entity.path}:{entity.line}" for entity in entities}
    for collision in collisions:
        is_error = strict and collision.kind == "collision"
        errors += is_error
        level = "error" if is_error else "warning"
        who = ", ".join(f"{i} ({name!r}, {where[i]})" for i, name in collision.names)
        click.echo(f"{level}: {collision.kind} on {collision.key!r}: {who}")
    click.echo(
        f"{path}: {len(entities)} entities, {count_names(entities)} names, "
        f"{sum(c.kind == 'collision' for c in collisions)} collision(s), "
        f"{sum(c.kind == 'near-collision' for c in collisions)} near-collision(s)"
        + (f", {len(silenced)} name(s) of {against} made ambiguous" if against else "")
    )
    if golden is not None and table is not None:
        errors += _run_golden(golden, entities, table)
    if errors:
        sys.exit(1)


def _run_golden(golden: Path, entities: list[Entity], table: CompiledTable) -> int:
    """Run the golden queries at ``golden`` on ``table`` (compiled from ``entities``), as
    the service would answer them; print each failure and a summary; return the failures."""
    try:
        queries = load_golden(golden, entities)
    except AliasTableError as error:
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(
            f"{len(error.problems)} problem(s) in the golden queries; none was run", err=True
        )
        sys.exit(1)
    outcomes = run_golden(matcher_on(table, settings_with()), queries)
    failed = [outcome for outcome in outcomes if not outcome.passed]
    for outcome in failed:
        click.echo(f"fail: {outcome}")
    click.echo(f"{golden}: {len(outcomes)} golden queries, {len(failed)} failed")
    return len(failed)
