"""The ``normalizer`` command: serve, resolve, check, load."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from normalizer.aliases import load_path
from normalizer.aliases.collisions import find_collisions
from normalizer.exc import AliasTableError, NormalizerError
from normalizer.settings import Settings, SettingsError, variable
from normalizer.store.redis import RedisStore, connect
from normalizer.web import create_app
from normalizer.web.context import EXTENSION

# Seconds a load waits for Redis to answer one batch of writes (a lookup's is 0.5).
LOAD_TIMEOUT = 60.0

APP_FACTORY = "normalizer.web:create_app()"


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


class BadSetting(click.ClickException):
    """A setting (variable or option) that cannot be used: exit 2, like a usage error."""

    exit_code = 2


def _settings(**options: Any) -> Settings:
    """The settings from the environment, with the options given on the command line."""
    try:
        return Settings.load().replace(**options)
    except SettingsError as error:
        raise BadSetting(error.detail) from None


aliases_option = click.option(
    "--aliases",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Alias file or folder (default: $NORMALIZER_ALIASES, else the bundled table).",
)
redis_option = click.option(
    "--redis",
    "redis_url",
    default=None,
    help="Redis URL (default: $NORMALIZER_REDIS_URL or $REDIS_URL); ?cluster=true for a cluster.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def main(verbose: bool) -> None:
    """Resolve name variants to canonical entities from a curated alias table."""
    _configure_logging(verbose)


@main.command(help="Run the HTTP API under gunicorn (the production server).")
@aliases_option
@redis_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--debug", is_flag=True, help="Flask's development server with the reloader.")
def serve(
    aliases: Path | None, redis_url: str | None, host: str, port: int, workers: int, debug: bool
) -> None:
    # Checked here, so that a bad setting is one line, not a traceback from every worker.
    settings = _settings(aliases=aliases and aliases.resolve(), redis_url=redis_url)
    # The workers read their settings from the environment: the options go there.
    if aliases is not None:
        os.environ[variable("aliases")] = str(settings.alias_path)
    if redis_url:
        os.environ[variable("redis_url")] = redis_url
    if debug:
        create_app().run(host=host, port=port, debug=True)
        return
    # gunicorn from this interpreter's environment, activated or not (`make run`).
    argv = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}"]
    argv += ["--workers", str(workers), "--access-logfile", "-", APP_FACTORY]
    if not settings.uses_redis:
        # The embedded store compiles the table once in the master; workers share it.
        # With Redis, workers start on their own and read the table from Redis.
        argv.insert(-1, "--preload")
    store = "Redis" if settings.uses_redis else "the embedded store"
    click.echo(
        f"normalizer: serving on http://{host}:{port} with {workers} worker(s) from {store}",
        err=True,
    )
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
    try:
        # Given a table, resolve against it, not against the one in Redis.
        app = create_app({"ALIASES": str(aliases), "REDIS_URL": ""} if aliases else None)
        matcher = app.extensions[EXTENSION].matcher
        resolutions = matcher.resolve_many(list(names), entity_type, limit)
    except AliasTableError as error:
        _report_problems(error)
        sys.exit(1)
    except SettingsError as error:
        raise BadSetting(error.detail) from None
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


@main.command(help="Validate and compile alias files, load them into Redis, switch to them.")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@redis_option
@click.option(
    "--cluster-nodes",
    default=None,
    help="Redis Cluster nodes host:port,host:port (default: $REDIS_CLUSTER_NODES).",
)
@click.option("--prefix", default=None, help="Key prefix (default: $NORMALIZER_REDIS_PREFIX).")
@click.option(
    "--grace",
    type=float,
    default=None,
    help="Seconds the replaced table stays readable (default: $NORMALIZER_REDIS_GRACE, 60).",
)
@click.option(
    "--tune/--no-tune",
    default=None,
    help="Let the load raise Redis' hash-max-listpack-value (default: $NORMALIZER_REDIS_TUNE).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the CPU count",
    help="Processes reading, compiling and writing a big table.",
)
def load(
    path: Path,
    redis_url: str | None,
    cluster_nodes: str | None,
    prefix: str | None,
    grace: float | None,
    tune: bool | None,
    jobs: int,
) -> None:
    settings = _settings(
        redis_url=redis_url,
        redis_cluster_nodes=cluster_nodes,
        redis_prefix=prefix,
        redis_grace=grace,
        redis_tune=tune,
    )
    if not settings.uses_redis:
        raise click.UsageError("give --redis URL, or set REDIS_URL")
    url, nodes = settings.redis_url, settings.redis_cluster_nodes
    # Connected on first use, so that an unreachable Redis is reported as an error below.
    # Writing a batch takes longer than a lookup: the loader gets a patient timeout.
    store = RedisStore(
        functools.partial(connect, url, nodes, timeout=LOAD_TIMEOUT),
        settings.redis_prefix,
        grace=settings.redis_grace,
        tune=settings.redis_tune,
    )
    try:
        report = store.load_path(path, progress=_Progress(), jobs=jobs)
    except AliasTableError as error:
        _report_problems(error)
        sys.exit(1)
    except NormalizerError as error:
        click.echo(f"error: {error.detail}", err=True)
        sys.exit(1)
    finally:
        store.close()
    laps = {"validate": report.validate_seconds, "compile": report.prepare_seconds}
    laps["write"] = report.write_seconds
    with_jobs = f", written by {report.jobs} processes" if report.jobs > 1 else ""
    click.echo(
        f"{path}: version {report.version} in force: {report.entities} entities, "
        f"{report.aliases} names, {report.entries} keys in {report.buckets} buckets, "
        f"{_size(report.payload_bytes)} of values{with_jobs}"
    )
    click.echo(
        "seconds: "
        + ", ".join(f"{k} {v:.1f}" for k, v in laps.items())
        + f"; total {sum(laps.values()):.1f}"
    )


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"


class _Progress:
    """Progress lines on stderr, at most one a second per stage."""

    def __init__(self) -> None:
        self._shown: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._shown.get(stage, 0.0) < 1.0:
            return
        self._shown[stage] = now
        unit = "entities" if stage == "validated" else "keys"
        share = f" ({done * 100 // total}%)" if total else ""
        click.echo(f"normalizer: {stage} {done}/{total} {unit}{share}", err=True)


def _report_problems(error: AliasTableError) -> None:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"{len(error.problems)} problem(s); nothing was loaded", err=True)
