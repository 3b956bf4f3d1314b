"""``normalizer load``: validate and compile alias files, load them into Redis."""

from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path

import click

from normalizer.aliases.model import Entity
from normalizer.cli.common import redis_option, report_problems, settings_with
from normalizer.exc import AliasTableError, NormalizerError
from normalizer.store import in_force
from normalizer.store.redis import RedisStore, connect
from normalizer.table.compiler import CompiledTable
from normalizer.table.silenced import refuse_silencing

# Seconds a load waits for Redis to answer one batch of writes (a lookup's is 0.5).
LOAD_TIMEOUT = 60.0


@click.command(help="Validate and compile alias files, load them into Redis, switch to them.")
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
    "--allow-silencing",
    is_flag=True,
    help="Load even if names that resolve to one entity now would become ambiguous.",
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
    allow_silencing: bool,
    jobs: int,
) -> None:
    settings = settings_with(
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
        vet = None if allow_silencing else functools.partial(_vet, store)
        report = store.load_path(path, progress=_Progress(), jobs=jobs, vet=vet)
    except AliasTableError as error:
        report_problems(error)
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


def _vet(store: RedisStore, entities: list[Entity], table: CompiledTable) -> None:
    refuse_silencing(entities, table, in_force(store))


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
