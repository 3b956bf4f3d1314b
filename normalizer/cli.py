"""The ``normalizer`` command: serve, resolve, check (and eval for matching quality)."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click

from normalizer.aliases import load_path
from normalizer.collisions import find_collisions
from normalizer.exc import AliasTableError, NormalizerError

APP_FACTORY = "normalizer.app:create_app()"


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


aliases_option = click.option(
    "--aliases",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Alias file or folder (default: the bundled table, or $NORMALIZER_ALIASES).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def main(verbose: bool) -> None:
    """Resolve name variants to canonical entities from a curated alias table."""
    _configure_logging(verbose)


@main.command(help="Run the HTTP API under gunicorn (the production server).")
@aliases_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--debug", is_flag=True, help="Flask's development server with the reloader.")
def serve(aliases: Path | None, host: str, port: int, workers: int, debug: bool) -> None:
    if aliases is not None:
        os.environ["NORMALIZER_ALIASES"] = str(aliases.resolve())
    if debug:
        from normalizer.app import create_app

        create_app().run(host=host, port=port, debug=True)
        return
    # gunicorn from this interpreter's environment, activated or not (`make run`).
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        # The embedded store compiles the table once in the master; workers share it.
        "--preload",
        "--access-logfile",
        "-",
        APP_FACTORY,
    ]
    click.echo(f"normalizer: serving on http://{host}:{port} with {workers} worker(s)", err=True)
    os.execvp(argv[0], argv)


@main.command(help="Resolve names and print the JSON results.")
@aliases_option
@click.argument("names", nargs=-1, required=True)
@click.option("--type", "entity_type", default=None, help="Only entities of this type.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--explain", is_flag=True, help="Show the token alignment behind each score.")
def resolve(
    aliases: Path | None, names: tuple[str, ...], entity_type: str | None, limit: int, explain: bool
) -> None:
    from normalizer.app import create_app

    try:
        app = create_app({"ALIASES": str(aliases)} if aliases else None)
        matcher = app.extensions["normalizer"].matcher
        resolutions = matcher.resolve_many(list(names), entity_type, limit)
    except AliasTableError as error:
        _report_problems(error)
        sys.exit(1)
    except NormalizerError as error:
        raise click.UsageError(error.detail) from None
    for resolution in resolutions:
        click.echo(json.dumps(resolution.to_json(explain), ensure_ascii=False, indent=2))


@main.command(help="Validate alias files; list collisions and near-collisions.")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Collisions are errors (exit 1).")
def check(path: Path, strict: bool) -> None:
    try:
        entities = load_path(path)
    except AliasTableError as error:
        _report_problems(error)
        sys.exit(1)
    collisions = find_collisions(entities)
    errors = 0
    for collision in collisions:
        is_error = strict and collision.kind == "collision"
        errors += is_error
        level = "error" if is_error else "warning"
        who = ", ".join(f"{entity_id} ({name!r})" for entity_id, name in collision.names)
        click.echo(f"{level}: {collision.kind} on {collision.key!r}: {who}")
    aliases = sum(1 + len(e.aliases) for e in entities)
    click.echo(
        f"{path}: {len(entities)} entities, {aliases} names, "
        f"{sum(c.kind == 'collision' for c in collisions)} collision(s), "
        f"{sum(c.kind == 'near-collision' for c in collisions)} near-collision(s)"
    )
    if errors:
        sys.exit(1)


def _report_problems(error: AliasTableError) -> None:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"{len(error.problems)} problem(s); nothing was loaded", err=True)
