"""``normalizer diff``: the impact report of a change, through the real CLI on real alias
folders, and against real git revisions."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from normalizer.cli import main

OLD_YML = """\
- id: puerto-lempira
  name: Puerto Lempira
  type: location
  country: HN
  aliases: [Pto. Lempira]
- id: la-ceiba
  name: La Ceiba
  type: location
- id: tela
  name: Tela
  type: location
"""
# puerto-lempira: an alias swapped, a country changed; la-ceiba: its type; tela removed;
# ceiba-tours added, with a name of la-ceiba's.
NEW_YML = """\
- id: puerto-lempira
  name: Puerto Lempira
  type: location
  country: NI
  aliases: [Lempira Port]
- id: la-ceiba
  name: La Ceiba
  type: city
- id: ceiba-tours
  name: Ceiba Tours
  type: organization
  aliases: [La Ceiba]
"""
GOLDEN_YAML = """\
- {query: Pto. Lempira, expect: puerto-lempira}
- {query: Tela, expect: tela}
"""


def invoke(*args: str | Path, stdin: str | None = None) -> Result:
    runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args], input=stdin, catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_entities_added_removed_and_changed(tmp_path: Path) -> None:
    old = write(tmp_path / "old.yml", OLD_YML)
    new = write(tmp_path / "new.yml", NEW_YML)
    result = invoke("diff", old, new)
    # Single files have no golden queries: no answer is checked, so no golden one changes.
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        f"impact of {old} → {new}",
        "entities: 1 added, 1 removed, 2 changed",
        f"  added: ceiba-tours ('Ceiba Tours', organization) at {new}:9",
        "  removed: tela ('Tela', location)",
        "  changed: puerto-lempira: country: HN → NI; names added: 'Lempira Port'; "
        "names removed: 'Pto. Lempira'",
        "  changed: la-ceiba: type: location → city",
    ]
    assert lines[-1] == "answers changed: 0 of 0 queries (0 of 0 golden)"


def test_new_collisions_and_names_made_ambiguous(tmp_path: Path) -> None:
    old = write(tmp_path / "old.yml", OLD_YML)
    new = write(tmp_path / "new.yml", OLD_YML + NEW_YML[NEW_YML.index("- id: ceiba-tours") :])
    result = invoke("diff", old, new)
    lines = result.stdout.splitlines()
    at = lines.index("new collisions: 1")
    assert lines[at + 1] == (
        f"  collision on 'la ceiba': ceiba-tours ('La Ceiba', {new}:12), "
        f"la-ceiba ('La Ceiba', {new}:6)"
    )
    assert lines[at + 2] == "names made ambiguous: 1"
    assert lines[at + 3].startswith(
        f"  {new}:12: [ceiba-tours] name 'La Ceiba' resolved to la-ceiba alone; shared now by "
        "ceiba-tours, la-ceiba"
    )
    # An old collision is no news.
    assert "new collisions: 0" in invoke("diff", new, new).stdout


@pytest.fixture
def tables(tmp_path: Path) -> tuple[Path, Path]:
    """Two alias folders, each with its golden queries."""
    old, new = tmp_path / "old", tmp_path / "new"
    write(old / "places.yml", OLD_YML)
    write(old / "tests" / "places.yaml", GOLDEN_YAML)
    write(new / "places.yml", NEW_YML)
    write(new / "tests" / "places.yaml", "- {query: Lempira Port, expect: puerto-lempira}\n")
    return old, new


def test_every_golden_answer_that_changes_exits_1(tables: tuple[Path, Path]) -> None:
    old, new = tables
    result = invoke("diff", old, new)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    at = lines.index("answers changed: 3 of 3 queries (3 of 3 golden)")
    # The new alias was a weak candidate before: the best, not a match.
    near = re.fullmatch(
        r"  'Lempira Port': no confident match: below_threshold "
        r"\(best: puerto-lempira 0\.(\d{4})\) → "
        rf"puerto-lempira 1\.0000  \[golden at {re.escape(str(new))}/tests/places\.yaml:1, "
        r"expects puerto-lempira: passes\]",
        lines[at + 1],
    )
    assert near is not None, lines[at + 1]
    assert sorted(lines[at + 2 :]) == [
        "  'Pto. Lempira': puerto-lempira 1.0000 → no confident match  "
        f"[golden at {old / 'tests' / 'places.yaml'}:1, expects puerto-lempira: fails]",
        "  'Tela': tela 1.0000 → no confident match  "
        f"[golden at {old / 'tests' / 'places.yaml'}:2, expects tela: fails]",
    ]


def test_no_golden_change_exits_0_and_a_query_log_is_compared_too(
    tables: tuple[Path, Path], tmp_path: Path
) -> None:
    old, _ = tables
    same = tmp_path / "same"
    write(same / "places.yml", OLD_YML + "- {id: trujillo, name: Trujillo, type: location}\n")
    write(same / "tests" / "places.yaml", GOLDEN_YAML)
    log = write(tmp_path / "log.txt", "Trujillo\n\nLa Ceiba\nTrujillo\n")
    result = invoke("diff", old, same, "--queries", log)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("answers changed: 1 of 4 queries (0 of 2 golden)")
    assert lines[at + 1 :] == ["  'Trujillo': no confident match → trujillo 1.0000"]
    from_stdin = invoke("diff", old, same, "--queries", "-", stdin="Trujillo\n")
    assert from_stdin.stdout == result.stdout.replace("of 4 queries", "of 3 queries")


def test_markdown(tables: tuple[Path, Path]) -> None:
    old, new = tables
    result = invoke("diff", old, new, "--format", "markdown")
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith(f"## Impact of `{old}` → `{new}`\n\n")
    assert "\n### Entities\n\n| change | entity | details |\n|---|---|---|\n" in text
    assert "| removed | tela ('Tela', location) |  |\n" in text
    assert "\n### New collisions\n" in text
    assert (
        "\n### Answers that change\n\n| query | old answer | new answer | golden query |\n" in text
    )
    assert (
        "| 'Tela' | tela 1.0000 | no confident match | golden at "
        f"{old / 'tests' / 'places.yaml'}:2, expects tela: fails |\n"
    ) in text


def test_a_table_that_cannot_be_read_exits_2(tables: tuple[Path, Path]) -> None:
    old, new = tables
    write(new / "tests" / "places.yaml", "- {query: Tela, expect: tela}\n")
    result = invoke("diff", old, new)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {new / 'tests' / 'places.yaml'}:1: expected id 'tela' is not in the table",
        "1 problem(s); no report was made",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["diff"],
        ["diff", "{old}"],
        ["diff", "{old}", "{new}", "{old}"],
        ["diff", "--rev", "HEAD", "{old}", "{new}"],
    ],
)
def test_usage_errors(tables: tuple[Path, Path], args: list[str]) -> None:
    old, new = tables
    result = invoke(*[a.format(old=old, new=new) for a in args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Usage:" in result.stderr


# --- against a git revision ----------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    identity = ["-c", "user.name=Curator", "-c", "user.email=curator@example.org"]
    subprocess.run(["git", "-C", str(repo), *identity, *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose last commit has the old table; its working tree, the new."""
    repo = tmp_path / "repo"
    write(repo / "aliases" / "places.yml", OLD_YML)
    write(repo / "aliases" / "tests" / "places.yaml", GOLDEN_YAML)
    git(repo, "init", "--quiet")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "--message", "the old table")
    write(repo / "aliases" / "places.yml", NEW_YML)
    return repo


def test_rev_compares_with_the_files_of_a_revision(repo: Path) -> None:
    aliases = repo / "aliases"
    golden = write(aliases / "tests" / "places.yaml", GOLDEN_YAML.splitlines()[0] + "\n")
    result = invoke("diff", "--rev", "HEAD", aliases)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        f"impact of HEAD:{aliases} → {aliases}",
        "entities: 1 added, 1 removed, 2 changed",
    ]
    # Each golden query where it is written: the working tree's, or the revision's alone.
    at = lines.index("answers changed: 2 of 2 queries (2 of 2 golden)")
    assert lines[at + 1 :] == [
        "  'Pto. Lempira': puerto-lempira 1.0000 → no confident match  "
        f"[golden at {golden}:1, expects puerto-lempira: fails]",
        "  'Tela': tela 1.0000 → no confident match  "
        f"[golden at HEAD:{aliases}/tests/places.yaml:2, expects tela: fails]",
    ]
    # A golden query the new table cannot have (its entity is gone) makes no report.
    write(golden, GOLDEN_YAML)
    broken = invoke("diff", "--rev", "HEAD", aliases)
    assert broken.exit_code == 2
    assert f"error: {golden}:2: expected id 'tela' is not in the table" in broken.stderr


def test_rev_defaults_to_the_alias_folder(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMALIZER_ALIASES", str(repo / "aliases"))
    write(repo / "aliases" / "places.yml", OLD_YML)
    result = invoke("diff", "--rev", "HEAD")
    assert result.exit_code == 0, result.output
    assert "entities: 0 added, 0 removed, 0 changed" in result.stdout.splitlines()


def test_rev_errors(repo: Path, tmp_path: Path) -> None:
    unknown = invoke("diff", "--rev", "no-such-branch", repo / "aliases")
    assert (unknown.exit_code, unknown.stdout) == (2, "")
    assert f"unknown revision 'no-such-branch' in {repo}" in unknown.stderr
    outside = write(tmp_path / "outside" / "places.yml", OLD_YML)
    not_a_repo = invoke("diff", "--rev", "HEAD", outside)
    assert not_a_repo.exit_code == 2
    assert f"{outside} is not in a git repository" in not_a_repo.stderr
    added_since = write(repo / "more" / "places.yml", OLD_YML)
    missing = invoke("diff", "--rev", "HEAD", added_since)
    assert missing.exit_code == 2
    assert "more/places.yml is not in revision 'HEAD'" in missing.stderr
