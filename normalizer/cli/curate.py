"""``normalizer resolve`` and ``normalizer check``: a curator's look at names and files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from normalizer.aliases import load_path
from normalizer.aliases.collisions import find_collisions
from normalizer.cli.common import BadSetting, aliases_option, report_problems
from normalizer.exc import AliasTableError, NormalizerError
from normalizer.settings import SettingsError
from normalizer.table.compiler import compile_table
from normalizer.table.silenced import silenced_names
from normalizer.web import create_app
from normalizer.web.context import EXTENSION


@click.command(help="Resolve names and print the JSON results.")
@aliases_option
@click.argument("names", nargs=-1, required=True)
@click.option("--type", "entity_type", default=None, help="Only entities of this type.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--explain", is_flag=True, help="Show the token alignment behind each score.")
def resolve(
    aliases: Path | None, names: tuple[str, ...], entity_type: str | None, limit: int, explain: bool
) -> None:
    try:
        # Given a table, resolve against it, not against the one in Redis.
        app = create_app({"ALIASES": str(aliases), "REDIS_URL": ""} if aliases else None)
        matcher = app.extensions[EXTENSION].matcher
        resolutions = matcher.resolve_many(list(names), entity_type, limit, explain=explain)
    except AliasTableError as error:
        report_problems(error)
        sys.exit(1)
    except SettingsError as error:
        raise BadSetting(error.detail) from None
    except NormalizerError as error:
        raise click.UsageError(error.detail) from None
    for resolution in resolutions:
        click.echo(json.dumps(resolution.to_json(explain), ensure_ascii=False, indent=2))


@click.command(help="Validate alias files; list collisions and near-collisions.")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Collisions are errors (exit 1).")
@click.option(
    "--against",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="The alias files in force: names of theirs that PATH makes ambiguous are errors "
    "(as a reload refuses them), unless listed under 'shared'.",
)
def check(path: Path, strict: bool, against: Path | None) -> None:
    try:
        entities = load_path(path)
        silenced = []
        if against is not None:
            before = compile_table(load_path(against)).entries
            table = compile_table(entities)
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
    aliases = sum(1 + len(e.aliases) for e in entities)
    click.echo(
        f"{path}: {len(entities)} entities, {aliases} names, "
        f"{sum(c.kind == 'collision' for c in collisions)} collision(s), "
        f"{sum(c.kind == 'near-collision' for c in collisions)} near-collision(s)"
        + (f", {len(silenced)} name(s) of {against} made ambiguous" if against else "")
    )
    if errors:
        sys.exit(1)
