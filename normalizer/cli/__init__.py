"""The ``normalizer`` command: serve, resolve, annotate, check, diff, load, review."""

from __future__ import annotations

import logging
import sys

import click

from normalizer.cli.annotate import annotate_command
from normalizer.cli.curate import check, resolve
from normalizer.cli.diff import diff
from normalizer.cli.load import load
from normalizer.cli.review import review
from normalizer.cli.serve import serve


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def main(verbose: bool) -> None:
    """Resolve name variants to canonical entities from a curated alias table."""
    _configure_logging(verbose)


for command in (serve, resolve, check, diff, load, review):
    main.add_command(command)
main.add_command(annotate_command, name="annotate")
