"""The package's shape: no import cycles, layers imported only downwards, and each
third-party service library imported by its one layer.

Every import counts, at module level or inside a function or ``TYPE_CHECKING``: a lazy
import that dodges a cycle is still a cycle. Importing ``normalizer.a.b`` also runs the
``__init__`` of ``normalizer.a``, so it counts as importing that package too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "normalizer"
# Layers from the bottom: a module may import its own layer and those below.
LAYERS = [
    (
        "normalizer.exc",
        "normalizer.bulk",
        "normalizer.settings",
        "normalizer.caches",
        "normalizer.access",
    ),
    ("normalizer.text",),
    ("normalizer.aliases",),
    ("normalizer.table",),
    ("normalizer.store",),
    ("normalizer.match",),
    ("normalizer.annotate",),
    ("normalizer.service",),
    ("normalizer.curate",),
    ("normalizer.web",),
    ("normalizer.cli",),
]
# Third-party libraries that only one layer may import.
OWNERS = {
    "redis": "normalizer.store.redis",
    "flask": "normalizer.web",
    "werkzeug": "normalizer.web",
    "click": "normalizer.cli",
    "spectree": "normalizer.web",
    "pydantic": "normalizer.web",
    "offapi": "normalizer.web",
}

Graph = Mapping[str, set[str]]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, name: str) -> Iterator[str]:
    """Every module name ``path`` imports, wherever the import statement is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            yield base
            # "from normalizer.store.redis import codec" imports the submodule codec.
            yield from (f"{base}.{alias.name}" for alias in node.names)


@cache
def import_graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Our modules and the modules of ours each imports; and the other libraries each
    imports (top-level names)."""
    files = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    ours: dict[str, set[str]] = {}
    theirs: dict[str, set[str]] = {}
    for name, path in files.items():
        ours[name], theirs[name] = set(), set()
        for target in imported(path, name):
            if target.split(".")[0] != "normalizer":
                theirs[name].add(target.split(".")[0])
                continue
            # The module itself, and every package on the way that is not the importer's
            # own (importing it runs its __init__).
            parts = target.split(".")
            for end in range(2, len(parts) + 1):
                prefix = ".".join(parts[:end])
                if prefix in files and not (name + ".").startswith(prefix + "."):
                    ours[name].add(prefix)
    return ours, theirs


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components of more than one module, or with a self-edge
    (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layer(name: str) -> int | None:
    for number, members in enumerate(LAYERS):
        if any(name == m or name.startswith(m + ".") for m in members):
            return number
    return None


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    ours, _ = import_graph()
    assert len(ours) > 40  # the walk found the package
    assert cycles(ours) == []


def test_every_module_has_a_layer() -> None:
    ours, _ = import_graph()
    assert [name for name in ours if layer(name) is None and name != "normalizer"] == []


@pytest.mark.parametrize("importer", sorted(import_graph()[0]), ids=str)
def test_layers_import_only_downwards(importer: str) -> None:
    ours, _ = import_graph()
    if importer == "normalizer":
        return  # the public face re-exports from every layer
    mine = layer(importer)
    assert mine is not None
    upwards = [t for t in ours[importer] if (layer(t) or 0) > mine]
    assert upwards == []


def test_service_libraries_stay_in_their_layer() -> None:
    _, theirs = import_graph()
    for importer, libraries in theirs.items():
        for library in libraries & set(OWNERS):
            owner = OWNERS[library]
            assert importer == owner or importer.startswith(owner + "."), (importer, library)
