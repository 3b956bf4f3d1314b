"""``normalizer review``: listing the queue the service writes, accepting and rejecting."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from normalizer.cli import main
from normalizer.store.review import DAY, Miss, Suggestion
from normalizer.store.review_sqlite import SqliteReviewQueue

ERNESTO = Suggestion("ernesto-quintana-arevalo", "Ernesto Quintana Arévalo", 0.6344)


@pytest.fixture
def setup(alias_file: Path, tmp_path: Path) -> tuple[dict[str, str], Path, SqliteReviewQueue]:
    aliases = tmp_path / "fixture.yml"
    aliases.write_bytes(alias_file.read_bytes())
    path = tmp_path / "review.sqlite3"
    queue = SqliteReviewQueue(path, 100, 30 * DAY)
    now = time.time()
    queue.record([Miss("Neto", (ERNESTO,)), Miss("Menchito")], now - 60)
    queue.record([Miss("neto", (ERNESTO,))], now)
    env = {"NORMALIZER_REVIEW": "1", "NORMALIZER_REVIEW_PATH": str(path)}
    env["NORMALIZER_ALIASES"] = str(aliases)
    return env, aliases, queue


def test_the_list_shows_counts_and_suggestions_most_frequent_first(
    runner: CliRunner, setup: tuple[dict[str, str], Path, SqliteReviewQueue]
) -> None:
    env, _, _ = setup
    result = runner.invoke(main, ["review"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split()[:2] == ["2", "Neto"] and "first seen" in lines[1]
    assert lines[2].strip() == "0.63  ernesto-quintana-arevalo  (Ernesto Quintana Arévalo)"
    assert lines[3].split()[:2] == ["1", "Menchito"] and len(lines) == 4
    result = runner.invoke(main, ["review", "list", "--format", "json", "--limit", "1"], env=env)
    (entry,) = json.loads(result.output)["names"]
    assert (entry["name"], entry["count"], entry["suggestions"][0]["score"]) == ("Neto", 2, 0.6344)


def test_accept_adds_the_alias_and_takes_the_name_off_the_queue(
    runner: CliRunner, setup: tuple[dict[str, str], Path, SqliteReviewQueue]
) -> None:
    env, aliases, queue = setup
    before = aliases.read_text(encoding="utf-8")
    result = runner.invoke(main, ["review", "accept", "NETO", "ernesto-quintana-arevalo"], env=env)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{aliases}:11: added 'NETO' to the aliases of ernesto-quintana-arevalo\n"
        "taken off the review queue\n"
    )
    assert aliases.read_text(encoding="utf-8") == before.replace(
        "    - Neto Quintana\n", "    - Neto Quintana\n    - NETO\n"
    )
    assert [e.name for e in queue.top(10, time.time())] == ["Menchito"]
    again = runner.invoke(main, ["review", "accept", "neto", "ernesto-quintana-arevalo"], env=env)
    assert again.exit_code == 2 and "has 'NETO' already" in again.output


def test_a_broken_table_is_refused_with_file_and_line(
    runner: CliRunner, setup: tuple[dict[str, str], Path, SqliteReviewQueue]
) -> None:
    env, aliases, queue = setup
    before = aliases.read_bytes()
    result = runner.invoke(main, ["review", "accept", "Lempira", "puerto-lempira"], env=env)
    assert result.exit_code == 1
    assert f"error: {aliases}:81: [puerto-lempira] not-name 'Lempira'" in result.output
    assert aliases.read_bytes() == before and queue.get("Neto") is not None


def test_reject_remembers(
    runner: CliRunner, setup: tuple[dict[str, str], Path, SqliteReviewQueue]
) -> None:
    env, _, queue = setup
    result = runner.invoke(main, ["review", "reject", "menchito"], env=env)
    assert (result.exit_code, result.output) == (0, "rejected 'menchito'\n")
    assert queue.is_rejected("Menchito") and queue.get("Menchito") is None
    result = runner.invoke(main, ["review", "reject", "Nobody"], env=env)
    assert result.output == "rejected 'Nobody' (it was not in the queue)\n"


def test_the_queue_must_be_on(runner: CliRunner) -> None:
    result = runner.invoke(main, ["review"], env={"NORMALIZER_REVIEW": "0"})
    assert result.exit_code == 2 and "set NORMALIZER_REVIEW=1" in result.output
