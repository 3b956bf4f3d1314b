"""``normalizer review``: the names the service could not resolve, and a curator's verdict.

The command opens the queue the service writes, from the same settings (NORMALIZER_REVIEW
and NORMALIZER_REVIEW_PATH, or the Redis of REDIS_URL): run it with the service's
environment.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
import orjson

from normalizer.cli.common import BadSetting, aliases_option, settings_with, told_as_a_command
from normalizer.curate import review as curate
from normalizer.settings import Settings
from normalizer.store import ReviewQueue, open_review_queue
from normalizer.store.review import QueuedName, minute_utc

FORMATS = click.Choice(["text", "json"])


def _queue(settings: Settings) -> ReviewQueue:
    queue = open_review_queue(settings)
    if queue is None:
        raise BadSetting(
            "the review queue is off: set NORMALIZER_REVIEW=1, with the service's "
            "NORMALIZER_REVIEW_PATH (embedded store) or REDIS_URL"
        )
    return queue


def _text(entry: QueuedName) -> str:
    lines = [
        f"{entry.count:>6}  {entry.name}    (first seen {minute_utc(entry.first_seen)}, "
        f"last {minute_utc(entry.last_seen)} UTC)"
    ]
    for suggestion in entry.suggestions:
        lines.append(f"{'':>8}{suggestion.score:.2f}  {suggestion.id}  ({suggestion.name})")
    return "\n".join(lines)


def _list(limit: int, output: str) -> None:
    with told_as_a_command():
        found = _queue(settings_with()).top(limit, time.time())
    if output == "json":
        sys.stdout.buffer.write(orjson.dumps({"names": [e.to_json() for e in found]}) + b"\n")
        return
    if not found:
        click.echo("the review queue is empty")
        return
    click.echo(f"{'COUNT':>6}  NAME, then the suggested entities with their scores")
    for entry in found:
        click.echo(_text(entry))


limit_option = click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(1, 500), help="Names shown."
)
format_option = click.option(
    "--format", "output", default="text", show_default=True, type=FORMATS, help="Output."
)


@click.group(
    invoke_without_command=True,
    help="The names without a confident match, most frequent first (the default: list); "
    "accept one as an alias, or reject it.",
)
@limit_option
@format_option
@click.pass_context
def review(context: click.Context, limit: int, output: str) -> None:
    if context.invoked_subcommand is None:
        _list(limit, output)


@review.command("list", help="The most frequent queued names, with suggested entities.")
@limit_option
@format_option
def list_names(limit: int, output: str) -> None:
    _list(limit, output)


@review.command(
    help="Add NAME to the aliases of ENTITY (an id) in the YAML file that defines it, check "
    "the table and its golden queries, and take NAME off the queue. A service with the "
    "embedded store serves it within seconds; with Redis, after normalizer load or POST "
    "/v1/admin/reload."
)
@aliases_option
@click.argument("name")
@click.argument("entity")
def accept(aliases: Path | None, name: str, entity: str) -> None:
    with told_as_a_command():
        settings = settings_with(aliases=aliases)
        done = curate.accept(_queue(settings), name, entity, settings)
    added = done.added
    click.echo(f"{added.path}:{added.line}: added {added.name!r} to the aliases of {entity}")
    click.echo("taken off the review queue" if done.queued else "(it was not in the queue)")


@review.command(help="Take NAME off the queue, and never queue it again.")
@click.argument("name")
def reject(name: str) -> None:
    with told_as_a_command():
        queued = curate.reject(_queue(settings_with()), name)
    click.echo(f"rejected {name!r}" + ("" if queued else " (it was not in the queue)"))
