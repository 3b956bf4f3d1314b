"""What the commands share: settings with the command line's options, and how problems are
told."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import click

from normalizer.exc import AliasTableError, NormalizerError
from normalizer.match.matcher import Matcher
from normalizer.settings import Settings, SettingsError
from normalizer.web import create_app
from normalizer.web.context import EXTENSION


class BadSetting(click.ClickException):
    """A setting (variable or option) that cannot be used: exit 2, like a usage error."""

    exit_code = 2


def settings_with(**options: Any) -> Settings:
    """The settings from the environment, with the options given on the command line."""
    try:
        return Settings.load().replace(**options)
    except SettingsError as error:
        raise BadSetting(error.detail) from None


class BadInput(click.ClickException):
    """Input that cannot be read as asked (names not in UTF-8, a revision git does not
    have): exit 2, like a usage error."""

    exit_code = 2


def lines_of(stream: BinaryIO, source: str) -> Iterator[str]:
    """One name a line, blank lines skipped; bytes decoded line by line, so that a bad line
    is named by its number."""
    for number, line in enumerate(stream, 1):
        try:
            text = line.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise BadInput(f"{source}, line {number}: not UTF-8") from None
        if text.strip():
            yield text


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


def report_problems(error: AliasTableError) -> None:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"{len(error.problems)} problem(s); nothing was loaded", err=True)


def quiet_unless_verbose() -> None:
    """Only warnings and errors on stderr: stdout is the data, stderr is for trouble."""
    root = click.get_current_context().find_root()
    if not root.params.get("verbose"):
        logging.getLogger().setLevel(logging.WARNING)


def matcher_for(aliases: Path | None) -> Matcher:
    """The server's matcher, with its settings; given a table, on that table (compiled
    here), not on the one in Redis."""
    app = create_app({"ALIASES": str(aliases), "REDIS_URL": ""} if aliases else None)
    matcher: Matcher = app.extensions[EXTENSION].matcher
    return matcher


@contextmanager
def told_as_a_command() -> Iterator[None]:
    """Errors as a command tells them: a broken alias table listed (exit 1), a bad setting
    or request as a usage error (exit 2)."""
    try:
        yield
    except AliasTableError as error:
        report_problems(error)
        sys.exit(1)
    except SettingsError as error:
        raise BadSetting(error.detail) from None
    except NormalizerError as error:
        raise click.UsageError(error.detail) from None
