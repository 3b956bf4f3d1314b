"""Adding an alias to the YAML file that defines its entity, as a curator would by hand.

The entity is edited with ruamel.yaml's round-trip loader and dumper (comments, key order,
quoting and flow mappings kept), and only its lines are replaced in the file: ruamel dumps
a whole document with one indentation, which would re-indent the usual layout (entities at
column 0, their lists indented by two). The entity as dumped before the edit must equal
its lines in the file byte for byte, and the edit must only add lines, or nothing is
written: every other line stays as it was.

The table is then validated whole, as a reload does (``load_path``, ``compile_table``, and
no name of the table before made ambiguous); if it fails, or the caller's own step after
the edit does, the file is restored byte for byte. Edits hold a lock on the alias folder,
so that two curators' edits (workers, the CLI) never interleave.
"""

from __future__ import annotations

import difflib
import fcntl
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from normalizer.aliases import Entity, load_path
from normalizer.aliases.readers import YAML_SUFFIXES
from normalizer.curate.golden import refuse_failing
from normalizer.exc import BadRequest, Conflict, NotFound
from normalizer.settings import Settings
from normalizer.table.compiler import CompiledTable, compile_table
from normalizer.table.silenced import Lookup, refuse_silencing
from normalizer.text.normalize import analyze

# The layouts of nested lists tried, as ruamel's (sequence, offset): indented by two under
# their key (the bundled files), or flush with it.
LAYOUTS = ((4, 2), (2, 0))
# Where a new aliases list goes: after the last of these keys the entity has.
BEFORE_ALIASES = ("name", "type", "country")


@dataclass(frozen=True, slots=True)
class Added:
    entity: str
    name: str
    path: Path
    line: int  # the entity's
    # The table with the alias, compiled and checked: what a service publishes.
    table: CompiledTable = field(compare=False, repr=False)


def add_alias(aliases: Path, entity_id: str, name: str, before: Lookup | None = None) -> Added:
    """Add ``name`` to the aliases of ``entity_id`` in its YAML file under ``aliases``.

    Raises NotFound (no such entity), BadRequest (a name that cannot be an alias), Conflict
    (the entity has the name already, is in a JSON Lines file, or its file cannot be edited
    keeping its other lines), AliasTableError (the table would be invalid, would make a
    name of ``before`` ambiguous (by default the table before the edit), or would fail a
    golden query)."""
    with alias_added(aliases, entity_id, name, before) as added:
        return added


@contextmanager
def alias_added(
    aliases: Path,
    entity_id: str,
    name: str,
    before: Lookup | None = None,
    settings: Settings | None = None,
) -> Iterator[Added]:
    """``add_alias``, kept only if the body of the ``with`` raises nothing. The golden
    queries beside the alias files must pass too, resolved with ``settings`` (by default
    the environment's)."""
    name = _checked(name)
    aliases = Path(aliases)
    with _locked(aliases if aliases.is_dir() else aliases.parent):
        entities = load_path(aliases)
        entity = _entity(entities, entity_id, aliases)
        _refuse_known(entity, name)
        path = Path(entity.path)
        original = path.read_bytes()
        edited = _edited(original.decode("utf-8"), entity, name)
        if before is None:
            entries = compile_table(entities).entries
            before = lambda keys: [entries.get(k) for k in keys]  # noqa: E731
        _replace(path, edited.encode("utf-8"))
        try:
            entities = load_path(aliases)
            table = compile_table(entities)
            refuse_silencing(entities, table, before)
            refuse_failing(aliases, entities, table, settings or Settings.load())
            yield Added(entity_id, name, path, entity.line, table)
        except BaseException:
            _replace(path, original)
            raise


def _checked(name: str) -> str:
    name = name.strip()
    if not name or not analyze(name).tokens:
        raise BadRequest("the name has no letters or digits", field="name")
    if any(not c.isprintable() for c in name):
        raise BadRequest("the name holds a line break or control character", field="name")
    return name


def _entity(entities: list[Entity], entity_id: str, aliases: Path) -> Entity:
    for entity in entities:
        if entity.id == entity_id:
            if Path(entity.path).suffix not in YAML_SUFFIXES:
                raise Conflict(
                    f"{entity.path}:{entity.line}: {entity_id} is in a JSON Lines file; only "
                    "YAML files are edited: add the alias there yourself"
                )
            return entity
    raise NotFound(f"no entity with id {entity_id!r} in {aliases}", field="entity")


def _refuse_known(entity: Entity, name: str) -> None:
    """Refuse a name the entity has already, as the matcher reads names."""
    key = sorted(analyze(name).tokens)
    for known in entity.names():
        if sorted(analyze(known).tokens) == key:
            raise Conflict(
                f"{entity.path}:{entity.line}: {entity.id} has {known!r} already, the same "
                f"name as {name!r} to the matcher",
                field="name",
            )


def _yaml(sequence: int, offset: int) -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


def _edited(text: str, entity: Entity, name: str) -> str:
    """``text`` with ``name`` added to ``entity``'s aliases, its other lines as they are."""
    lines = text.splitlines(keepends=True)
    for sequence, offset in LAYOUTS:
        yaml = _yaml(sequence, offset)
        document = yaml.load(text)
        index = next(i for i, item in enumerate(document) if item.get("id") == entity.id)
        item = document[index]
        line, column = document.lc.item(index)
        prefix = lines[line][:column]
        old = _dumped(yaml, item, prefix)
        if lines[line : line + len(old)] != old:
            continue
        _append(item, name)
        new = _dumped(yaml, item, prefix)
        if _only_added(old, new):
            return "".join(lines[:line] + new + lines[line + len(old) :])
    raise Conflict(
        f"{entity.path}:{entity.line}: {entity.id} cannot be edited without changing "
        "other lines of its file (an inline comment, or an unusual layout): add the alias "
        "there yourself"
    )


def _dumped(yaml: YAML, item: CommentedMap, prefix: str) -> list[str]:
    """The lines of ``item`` as the file holds it: the first after ``prefix`` ("- "), the
    others indented as far (comments and blank lines stay where ruamel puts them)."""
    out = io.StringIO()
    yaml.dump(item, out)
    first, *rest = out.getvalue().splitlines(keepends=True)
    indent = " " * len(prefix)
    kept = [line if _bare(line) else indent + line for line in rest]
    return [prefix + first, *kept]


def _bare(line: str) -> bool:
    """A blank line or a comment: ruamel writes them at their column already."""
    return not line.strip() or line.lstrip().startswith("#")


def _append(item: CommentedMap, name: str) -> None:
    """Append ``name`` to ``item``'s aliases, moving what followed the list's (or the
    map's) last line (a blank line, the next entity's comment) after the new line."""
    aliases: Any = item.get("aliases")
    if isinstance(aliases, CommentedSeq):
        last = len(aliases) - 1
        aliases.append(name)
        if last in aliases.ca.items:
            aliases.ca.items[last + 1] = aliases.ca.items.pop(last)
        return
    if aliases is not None:
        raise Conflict(f"{item.get('id')}: its aliases are not a list")
    new = CommentedSeq([name])
    new.fa.set_block_style()
    keys = list(item)
    at = max((keys.index(k) for k in BEFORE_ALIASES if k in keys), default=len(keys) - 1) + 1
    item.insert(at, "aliases", new)
    if at == len(keys) and keys[-1] in item.ca.items:
        trailing = item.ca.items.pop(keys[-1])[2]
        new.ca.items[0] = [trailing, None, None, None]


def _only_added(old: list[str], new: list[str]) -> bool:
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return all(tag in ("equal", "insert") for tag, *_ in opcodes)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` (flock: released if the process dies)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` at once (a reader never sees half of it), keeping its mode. The
    temporary file's suffix is no alias file's, so a load meanwhile skips it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.chmod(temporary, path.stat().st_mode & 0o7777)
    os.replace(temporary, path)
