"""Accepting a name: the alias goes into its entity's YAML file and every other line of the
file stays byte for byte; what cannot be added is refused and the file left as it was.
Copies of the bundled files and of the fixture table, never the repository's own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from normalizer.aliases import load_path
from normalizer.curate.accept import add_alias
from normalizer.exc import AliasTableError, BadRequest, Conflict, NotFound

BUNDLED = Path(__file__).resolve().parent.parent / "aliases"


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    return Path(shutil.copytree(BUNDLED, tmp_path / "aliases"))


@pytest.fixture
def fixture_table(alias_copy: Path) -> Path:
    return alias_copy


def only_added(before: bytes, after: bytes, line: bytes) -> None:
    """``after`` is ``before`` with ``line`` added, every other line byte for byte."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(new) == len(old) + 1
    at = next(i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)
    assert new[at] == line and new[:at] + new[at + 1 :] == old


def test_every_bundled_entity_takes_an_alias_and_its_file_keeps_its_other_lines(
    bundled: Path,
) -> None:
    for entity in load_path(bundled):
        path = Path(entity.path)
        before = path.read_bytes()
        added = add_alias(bundled, entity.id, "Zyxwv Qutrop")
        assert (added.path, added.line) == (path, entity.line)
        only_added(before, path.read_bytes(), b"    - Zyxwv Qutrop\n")
        (now,) = [e for e in load_path(bundled) if e.id == entity.id]
        assert now.aliases[-1].name == "Zyxwv Qutrop" and now.aliases[:-1] == entity.aliases
        path.write_bytes(before)


def test_a_name_yaml_would_misread_is_quoted(fixture_table: Path) -> None:
    before = fixture_table.read_bytes()
    add_alias(fixture_table, "kestrel-shipping", "Kestrel: #1 Shipping")
    only_added(before, fixture_table.read_bytes(), b"    - 'Kestrel: #1 Shipping'\n")
    (kestrel,) = [e for e in load_path(fixture_table) if e.id == "kestrel-shipping"]
    assert kestrel.aliases[-1].name == "Kestrel: #1 Shipping"


def test_an_entity_without_aliases_gets_a_list_after_its_type_and_country(
    fixture_table: Path,
) -> None:
    text = fixture_table.read_text(encoding="utf-8")
    add_alias(fixture_table, "ramiro-quintana-arevalo", "Ramiro Quintana")
    add_alias(fixture_table, "northern-basin-water-authority", "NBWA")
    after = fixture_table.read_text(encoding="utf-8")
    assert after == text.replace(
        "  country: HN\n\n- id: tomasz",
        "  country: HN\n  aliases:\n    - Ramiro Quintana\n\n- id: tomasz",
    ).replace(
        "  type: organization\n\n- id: frente",
        "  type: organization\n  aliases:\n    - NBWA\n\n- id: frente",
    )


def test_an_entity_in_the_middle_keeps_the_keys_after_its_new_list(tmp_path: Path) -> None:
    path = tmp_path / "t.yml"
    text = (
        "# head\n- id: a-b\n  name: A B\n  type: person\n  notes: n  # kept\n\n- id: c\n"
        "  name: C D\n  type: person\n"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Conflict, match=r"t.yml:2: a-b cannot be edited without changing"):
        add_alias(path, "a-b", "Ab Be")  # an inline comment ruamel would move
    assert path.read_text(encoding="utf-8") == text
    path.write_text(path.read_text().replace("  # kept", ""), encoding="utf-8")
    add_alias(path, "a-b", "Ab Be")
    assert path.read_text(encoding="utf-8").startswith(
        "# head\n- id: a-b\n  name: A B\n  type: person\n  aliases:\n    - Ab Be\n  notes: n\n"
    )


@pytest.mark.parametrize(
    ("entity", "name", "error", "says"),
    [
        ("nobody", "Neto", NotFound, "no entity with id 'nobody'"),
        ("ernesto-quintana-arevalo", "neto  QUINTANA", Conflict, "has 'Neto Quintana' already"),
        ("ernesto-quintana-arevalo", "Quintana Neto", Conflict, "has 'Neto Quintana' already"),
        ("ernesto-quintana-arevalo", " ?! ", BadRequest, "no letters or digits"),
        ("ernesto-quintana-arevalo", "Neto\nQ", BadRequest, "line break"),
        ("puerto-lempira", "Lempira", AliasTableError, "fixture.yml:81: [puerto-lempira] not-name"),
        ("ernesto-quintana-arevalo", "Tomek Wierzbicki", AliasTableError, "resolve to none"),
    ],
)
def test_what_cannot_be_added_is_refused_and_the_file_restored(
    fixture_table: Path, entity: str, name: str, error: type[Exception], says: str
) -> None:
    before = fixture_table.read_bytes()
    with pytest.raises(error) as refused:
        add_alias(fixture_table, entity, name)
    assert says in str(refused.value)
    assert fixture_table.read_bytes() == before
    assert sorted(p.name for p in fixture_table.parent.iterdir()) == ["fixture.yml"]


def test_json_lines_files_are_not_edited(tmp_path: Path) -> None:
    path = tmp_path / "bulk.jsonl"
    path.write_text('{"id": "a-b", "name": "A B", "type": "person"}\n', encoding="utf-8")
    with pytest.raises(Conflict, match=r"bulk.jsonl:1: a-b is in a JSON Lines file"):
        add_alias(tmp_path, "a-b", "Ab")
    assert path.read_text(encoding="utf-8").count("\n") == 1


def test_an_alias_that_fails_a_golden_query_is_refused_and_the_file_restored(
    bundled: Path,
) -> None:
    (army,) = [e for e in load_path(bundled) if e.id == "guatemalan-army"]
    before = Path(army.path).read_bytes()
    with pytest.raises(AliasTableError) as refused:
        add_alias(bundled, army.id, "Salvadoran Army")
    (problem,) = refused.value.problems
    golden = bundled / "tests" / "organizations.yaml"
    line = (
        golden.read_text(encoding="utf-8")
        .splitlines()
        .index("- {query: Salvadoran Army, expect: null, why: another country's army}")
    )
    assert (problem.path, problem.line) == (str(golden), line + 1)
    assert problem.message.startswith(
        "golden query fails: 'Salvadoran Army': expected no confident match, got guatemalan-army"
    )
    assert Path(army.path).read_bytes() == before
