"""``normalizer load`` on a real redis-server, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from normalizer.cli import main
from normalizer.match.matcher import Matcher
from normalizer.service import build_table
from normalizer.store.redis import RedisStore, connect, load

pytest_plugins = ["redis_fixtures"]


def test_load_prints_progress_and_the_version(redis_url: str, alias_file: Path) -> None:
    result = CliRunner().invoke(main, ["load", str(alias_file), "--redis", redis_url])
    assert result.exit_code == 0, result.output
    table = build_table(alias_file)
    entities, keys = table.meta.entities, len(table.entries)
    assert f"validated {entities}/{entities} entities (100%)" in result.stderr
    assert f"compiled {keys}/{keys} keys" in result.stderr
    assert "written" in result.stderr and "(100%)" in result.stderr
    summary, timing = result.stdout.splitlines()
    assert f"{entities} entities" in summary and f"{keys} keys in" in summary
    assert timing.startswith("seconds: validate")
    version = summary.split("version ")[1].split()[0]
    store = RedisStore(connect(redis_url))
    try:
        assert store.view().meta.version == version
        assert Matcher(store).resolve("Tomek Wierzbicki").match is not None
    finally:
        store.close()


def test_load_takes_redis_url_from_the_environment(
    redis_url: str, alias_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", redis_url)
    result = CliRunner().invoke(main, ["load", str(alias_file), "--prefix", "elsewhere"])
    assert result.exit_code == 0, result.output
    with connect(redis_url) as client:
        assert client.exists("{elsewhere}:current")
        assert not client.exists("{normalizer}:current")


def test_load_refuses_an_invalid_table(redis_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("- id: Not A Slug\n  name: X\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["load", str(bad), "--redis", redis_url])
    assert result.exit_code == 1
    assert "nothing was loaded" in result.stderr
    with connect(redis_url) as client:
        assert client.dbsize() == 0


def test_load_needs_redis(alias_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("REDIS_CLUSTER_NODES", raising=False)
    result = CliRunner().invoke(main, ["load", str(alias_file)])
    assert result.exit_code == 2
    assert "--redis" in result.stderr


def test_load_into_an_unreachable_redis_fails_cleanly(alias_file: Path) -> None:
    for target in (["--redis", "redis://127.0.0.1:1/0"], ["--cluster-nodes", "127.0.0.1:1"]):
        result = CliRunner().invoke(main, ["load", str(alias_file), *target])
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines()[-1].startswith("error: Redis is unreachable")


def test_load_in_processes_reports_a_bad_line(
    redis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table big enough to be read by several processes: a bad line is reported with its
    file and line, as from one process, and nothing is loaded."""
    monkeypatch.setattr(load, "PARALLEL_FROM_BYTES", 0)
    path = tmp_path / "big.jsonl"
    lines = [
        json.dumps({"id": f"e-{n}", "name": f"Entity Number{n}", "type": "person"})
        for n in range(30)
    ]
    lines[21] = '{"id": "e-21", "name": "X", "type": "person"}'  # one character
    path.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["load", str(path), "--redis", redis_url, "--jobs", "3"])
    assert result.exit_code == 1
    assert f"{path}:22: [e-21]" in result.stderr
    assert "nothing was loaded" in result.stderr
    lines[21] = lines[20].replace("e-20", "e-21")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = CliRunner().invoke(main, ["load", str(path), "--redis", redis_url, "--jobs", "3"])
    assert result.exit_code == 0, result.output
    assert "30 entities" in result.stdout and "written by 3 processes" in result.stdout


def test_load_refuses_to_silence_a_name_unless_allowed(
    redis_url: str, alias_file: Path, tmp_path: Path
) -> None:
    """A person given an organization's whole name: ``normalizer load`` refuses it with the
    person's file and line (the table in force stays), and loads it with --allow-silencing."""
    assert CliRunner().invoke(main, ["load", str(alias_file), "--redis", redis_url]).exit_code == 0
    store = RedisStore(connect(redis_url))
    try:
        first = store.view().meta.version
        text = alias_file.read_text(encoding="utf-8")
        head = "- id: ramiro-quintana-arevalo\n"
        edited = tmp_path / "edited.yml"
        edited.write_text(text.replace(head, head + "  aliases: [Kestrel Shipping Co. Ltd.]\n"))
        refused = CliRunner().invoke(main, ["load", str(edited), "--redis", redis_url])
        assert refused.exit_code == 1
        line = text.splitlines().index(head.strip()) + 1
        assert f"error: {edited}:{line}: [ramiro-quintana-arevalo] name " in refused.stderr
        assert "nothing was loaded" in refused.stderr
        assert store.view().meta.version == first
        args = ["load", str(edited), "--redis", redis_url, "--allow-silencing"]
        allowed = CliRunner().invoke(main, args)
        assert allowed.exit_code == 0, allowed.output
    finally:
        store.close()
    fresh = RedisStore(connect(redis_url))  # a reader trusts its version a moment
    try:
        assert fresh.view().meta.version != first
    finally:
        fresh.close()
