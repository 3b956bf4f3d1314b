"""``normalizer annotate``: the entities a text mentions, for a script or for a reader."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson

from normalizer.annotate import Mention, annotate
from normalizer.cli.common import (
    aliases_option,
    matcher_for,
    quiet_unless_verbose,
    told_as_a_command,
)

STDIN = "-"


@click.command(
    help="Find the entities a text mentions; print one JSON mention a line (JSON Lines), "
    "with offsets in code points. FILE '-' reads standard input. --view prints the text "
    "with each mention marked [as written](entity-id) instead."
)
@aliases_option
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
@click.option("--type", "entity_type", default=None, help="Only entities of this type.")
@click.option("--explain", is_flag=True, help="Show the token alignment behind each match.")
@click.option("--view", is_flag=True, help="The text with its mentions marked, for reading.")
def annotate_command(
    aliases: Path | None, file: Path, entity_type: str | None, explain: bool, view: bool
) -> None:
    quiet_unless_verbose()
    text = _read(file)
    with told_as_a_command():
        mentions = annotate(matcher_for(aliases), text, entity_type, explain)
    if view:
        click.echo(marked(text, mentions), nl=not text.endswith("\n"))
        return
    sys.stdout.buffer.write(b"".join(orjson.dumps(m.to_json(explain)) + b"\n" for m in mentions))


def _read(file: Path) -> str:
    raw = sys.stdin.buffer.read() if str(file) == STDIN else file.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.BadParameter(f"not UTF-8 (byte {error.start})", param_hint="FILE") from None


def marked(text: str, mentions: list[Mention]) -> str:
    """``text`` with each mention written ``[as written](entity-id)``."""
    parts: list[str] = []
    at = 0
    for mention in mentions:
        parts += [text[at : mention.start], f"[{mention.text}]({mention.match.id})"]
        at = mention.end
    parts.append(text[at:])
    return "".join(parts)
