"""Golden queries: read and validated to the line, run by ``normalizer check`` through the
real CLI on real alias folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from normalizer.aliases import load_path
from normalizer.cli import main
from normalizer.curate.golden import GoldenQuery, load_golden
from normalizer.exc import AliasTableError

BUNDLED = Path(__file__).resolve().parents[1] / "aliases"
TABLE_YML = """\
- id: puerto-lempira
  name: Puerto Lempira
  type: location
  aliases: [Pto. Lempira]
- id: la-ceiba
  name: La Ceiba
  type: location
  not: [Ceiba]
- id: ceiba-tours
  name: Ceiba Tours
  type: organization
"""
PASSING_YAML = """\
# Each form a curator expects.
- {query: Pto Lempira, expect: puerto-lempira}
- query: LA CEIBA
  expect: la-ceiba
  type: location
  why: capitals only
- {query: Ceiba, expect: null, why: the tree; not the town}
"""


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def table(tmp_path: Path) -> Path:
    """An alias folder with its golden queries in ``tests/``."""
    folder = tmp_path / "aliases"
    write(folder / "places.yml", TABLE_YML)
    write(folder / "tests" / "places.yaml", PASSING_YAML)
    return folder


def test_check_runs_the_golden_queries_of_the_folder(table: Path) -> None:
    result = invoke("check", table)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{table}: 3 entities, 4 names, 0 collision(s), 0 near-collision(s)",
        f"{table / 'tests'}: 3 golden queries, 0 failed",
    ]


def test_check_fails_on_a_golden_query_with_another_answer(table: Path) -> None:
    golden = table / "tests" / "places.yaml"
    write(
        golden,
        PASSING_YAML
        + "- {query: Puerto Lempira, expect: la-ceiba}\n"
        + "- {query: Ceiba Tours, expect: null}\n"
        + "- {query: Ceiba Tours, expect: ceiba-tours, type: organization}\n"
        + "- {query: Tela, expect: la-ceiba}\n",
    )
    result = invoke("check", table)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        f"fail: {golden}:8: 'Puerto Lempira': expected la-ceiba, got puerto-lempira 1.0000",
        f"fail: {golden}:9: 'Ceiba Tours': expected no confident match, got ceiba-tours 1.0000",
        f"fail: {golden}:11: 'Tela': expected la-ceiba, got no confident match",
        f"{table / 'tests'}: 7 golden queries, 3 failed",
    ]


def test_a_near_miss_shows_the_best_candidate(table: Path) -> None:
    """Without a confident match, the best candidate and its score say how near it came,
    and the matcher's decision why it is no match."""
    golden = write(table / "tests" / "places.yaml", "- {query: Ceiba, expect: ceiba-tours}\n")
    result = invoke("check", table)
    assert result.exit_code == 1
    failure = result.stdout.splitlines()[1]
    got = "no confident match: shared_word (best: "  # a word of two names, and why no match
    prefix = f"fail: {golden}:1: 'Ceiba': expected ceiba-tours, got {got}"
    assert failure.startswith(prefix), failure
    best, score = failure.removeprefix(prefix).removesuffix(")").split()
    # The town is barred from the name; the agency, whose name has it, comes nearest.
    assert best == "ceiba-tours"
    assert 0.0 < float(score) < 0.9


def test_the_type_restricts_the_golden_query(table: Path) -> None:
    golden = write(table / "tests" / "places.yaml", "- {query: Ceiba Tours, expect: null}\n")
    assert invoke("check", table).exit_code == 1
    write(golden, "- {query: Ceiba Tours, expect: null, type: location}\n")
    assert invoke("check", table).exit_code == 0


def test_golden_and_no_golden(table: Path, tmp_path: Path) -> None:
    failing = write(tmp_path / "elsewhere.yml", "- {query: La Ceiba, expect: puerto-lempira}\n")
    result = invoke("check", table, "--golden", failing)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == f"{failing}: 1 golden queries, 1 failed"
    write(table / "tests" / "places.yaml", failing.read_text())
    result = invoke("check", table, "--no-golden")
    assert result.exit_code == 0
    assert "golden queries" not in result.stdout
    # A single alias file has no golden folder: only --golden gives it queries.
    single = table / "places.yml"
    assert invoke("check", single).stdout.splitlines()[-1].startswith(f"{single}: 3 entities")
    assert invoke("check", single, "--golden", tmp_path / "elsewhere.yml").exit_code == 1
    both = invoke("check", table, "--golden", failing, "--no-golden")
    assert both.exit_code == 2
    assert "exclude each other" in both.stderr


BAD_YAML = """\
- {query: La Ceiba, expect: la-ceiba, typo: 1}
- {expect: la-ceiba}
- {query: La Ceiba}
- {query: Tela, expect: tela}
- {query: La Ceiba, expect: la-ceiba, type: town}
- {query: La Ceiba, expect: la-ceiba, type: organization}
- just a name
- {query: X, expect: [la-ceiba], why: ""}
- {query: Pto Lempira, expect: puerto-lempira}
- {query: Pto Lempira, expect: null}
"""


def test_every_problem_of_the_golden_queries_with_its_line(table: Path) -> None:
    golden = write(table / "tests" / "places.yaml", BAD_YAML)
    result = invoke("check", table)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {golden}:{line}: {message}"
        for line, message in [
            (1, "unknown field(s): typo"),
            (2, "missing query"),
            (3, "missing expect (an entity id, or null for no match)"),
            (4, "expected id 'tela' is not in the table"),
            (5, "type 'town' is no entity's type in the table"),
            (6, "expects la-ceiba, of type location, but asks for type organization"),
            (7, "a golden query must be a mapping (query, expect, type, why)"),
            (8, "query 'X' is empty or one character"),
            (8, "expect must be an entity id, or null for no match"),
            (8, "why must be a non-empty string"),
            (10, f"golden query 'Pto Lempira' asked already at {golden}:9"),
        ]
    ] + ["11 problem(s) in the golden queries; none was run"]
    # The table itself is fine, and said so before the golden queries were read.
    assert result.stdout.splitlines() == [
        f"{table}: 3 entities, 4 names, 0 collision(s), 0 near-collision(s)"
    ]


def test_malformed_golden_yaml_is_located(table: Path) -> None:
    golden = write(table / "tests" / "places.yaml", PASSING_YAML + '- {query: "Tela\n')
    result = invoke("check", table)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {golden}:")
    assert "malformed YAML" in result.stderr


def test_load_golden_reads_every_yaml_file_below_the_folder(table: Path) -> None:
    write(table / "tests" / "more" / "orgs.yml", "- {query: Ceiba Tours, expect: ceiba-tours}\n")
    write(table / "tests" / "README.md", "Golden queries; not one themselves.\n")
    queries = load_golden(table / "tests", load_path(table))
    assert [(Path(q.path).name, q.line, q.query, q.expect) for q in queries] == [
        ("orgs.yml", 1, "Ceiba Tours", "ceiba-tours"),
        ("places.yaml", 2, "Pto Lempira", "puerto-lempira"),
        ("places.yaml", 3, "LA CEIBA", "la-ceiba"),
        ("places.yaml", 7, "Ceiba", None),
    ]
    assert queries[2] == GoldenQuery("LA CEIBA", "la-ceiba", "location", "capitals only")
    with pytest.raises(AliasTableError) as refused:
        load_golden(table / "missing", load_path(table))
    assert [str(p) for p in refused.value.problems] == [
        f"{table / 'missing'}:0: no such file or folder"
    ]


# --- the bundled table ---------------------------------------------------------------------


def test_the_bundled_golden_queries_pass() -> None:
    result = invoke("check", BUNDLED)
    assert result.exit_code == 0, result.output
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith(f"{BUNDLED / 'tests'}: ")
    assert summary.endswith(" golden queries, 0 failed")


def test_the_bundled_golden_queries_cover_every_entity_and_not_name() -> None:
    """Every seed entity is expected by some golden query, and every name its alias files
    keep from an entity (``not``) is a golden query that must not resolve to it."""
    entities = load_path(BUNDLED)
    queries = load_golden(BUNDLED / "tests", entities)
    expected = {golden.expect for golden in queries}
    assert sorted(entity.id for entity in entities if entity.id not in expected) == []
    kept_from = {golden.query for golden in queries if golden.expect is None}
    excluded = {name for entity in entities for name in entity.excluded}
    assert sorted(excluded - kept_from) == []
