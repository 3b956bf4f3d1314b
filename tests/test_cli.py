"""The ``normalizer`` command through click's CliRunner, and ``serve`` as a real process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import ALIASES_YML
from serving import BIN_DIR, serving

from normalizer.cli import main
from normalizer.cli.curate import STDIN_BATCH
from normalizer.settings import Settings
from normalizer.web import create_app

SERVE_TIMEOUT = 20.0
# The table in conftest.py, read by PyYAML itself: what `check` must count.
FIXTURE = yaml.safe_load(ALIASES_YML)
FIXTURE_NAMES = sum(1 + len(entity.get("aliases", [])) for entity in FIXTURE)
SUMMARY = f"{len(FIXTURE)} entities, {FIXTURE_NAMES} names, 1 collision(s), 0 near-collision(s)"


def shared_warning(path: Path) -> str:
    """The fixture's one collision, each entity located in ``path``."""
    lines = ALIASES_YML.splitlines()
    khalid = lines.index("- id: khalid-saeed-al-harbi") + 1
    yusuf = lines.index("- id: yusuf-abdelkarim-nasser") + 1
    return (
        f"collision on 'abu muhammad': khalid-saeed-al-harbi ('Abu Muhammad', {path}:{khalid}), "
        f"yusuf-abdelkarim-nasser ('Abu Muhammad', {path}:{yusuf})"
    )


CLEAN_YML = """\
- id: puerto-lempira
  name: Puerto Lempira
  type: location
  aliases: [Pto. Lempira]
- id: la-ceiba
  name: La Ceiba
  type: location
"""
# Two problems, on the entities starting at lines 4 and 8.
BROKEN_YML = """\
- id: puerto-lempira
  name: Puerto Lempira
  type: location
- id: La_Ceiba
  name: La Ceiba
  type: location

- id: tela
  type: location
"""
NEAR_YML = """\
- id: carlos-mejia-soto
  name: Carlos Mejía Soto
  type: person
- id: soto-carlos-mejia
  name: Soto Carlos Mejía
  type: person
"""


def invoke(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def documents(text: str) -> list[Any]:
    """Every JSON document printed one after another."""
    decoder = json.JSONDecoder()
    found, position, text = [], 0, text.strip()
    while position < len(text):
        document, position = decoder.raw_decode(text, position)
        found.append(document)
        while position < len(text) and text[position].isspace():
            position += 1
    return found


def json_lines(text: str) -> list[Any]:
    """JSON Lines: one compact document a line, and nothing else."""
    found = [json.loads(line) for line in text.splitlines()]
    # Compact, and names as written, as the API writes them.
    compact = [json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in found]
    assert compact == text.splitlines()
    return found


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_help(runner: CliRunner) -> None:
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    for command in ("serve", "resolve", "check"):
        assert command in result.stdout


# --- resolve -------------------------------------------------------------------------------


def test_resolve(runner: CliRunner, alias_file: Path) -> None:
    result = invoke(runner, "resolve", "WIERZBICKI, Tomasz", "--aliases", alias_file)
    assert result.exit_code == 0
    (body,) = documents(result.stdout)
    assert set(body) == {"query", "normalized", "match", "decision", "candidates"}
    assert body["query"] == "WIERZBICKI, Tomasz"
    assert body["normalized"] == "wierzbicki tomasz"
    assert body["match"]["id"] == "tomasz-wierzbicki"
    assert body["match"]["name"] == "Tomasz Wierzbicki"
    assert body["match"]["score"] >= Settings.threshold
    assert body["candidates"][0] == body["match"]
    assert "explain" not in body["match"]


def test_resolve_prints_unicode(runner: CliRunner, alias_file: Path) -> None:
    result = invoke(runner, "resolve", "--aliases", alias_file, "Томаш Вежбицкий")
    assert result.exit_code == 0
    assert '{"query":"Томаш Вежбицкий",' in result.stdout
    assert documents(result.stdout)[0]["match"]["id"] == "tomasz-wierzbicki"


def test_resolve_explain(runner: CliRunner, alias_file: Path) -> None:
    result = invoke(runner, "resolve", "--explain", "--aliases", alias_file, "Rio Azul Logistics")
    assert result.exit_code == 0
    (body,) = documents(result.stdout)
    explain = body["match"]["explain"]
    assert explain["alias"] == "Rio Azul Logistics"
    assert explain["tier"] == "exact"
    pairs = {(p["query"], p["alias"], p["how"]) for p in explain["alignment"]}
    assert pairs == {(t, t, "exact") for t in ("rio", "azul", "logistics")}
    assert all("explain" in c for c in body["candidates"])


def test_resolve_several_names(runner: CliRunner, alias_file: Path) -> None:
    names = ["NBWA", "Abu Muhammad", "Nobody Atall", "Marisol Quintana"]
    result = invoke(runner, "resolve", "--no-fail", "--aliases", alias_file, *names)
    assert result.exit_code == 0
    bodies = documents(result.stdout)
    assert [b["query"] for b in bodies] == names
    assert [b["match"]["id"] if b["match"] else None for b in bodies] == [
        "northern-basin-water-authority",
        None,
        None,
        "marisol-quintana-arevalo",
    ]
    assert sorted(c["id"] for c in bodies[1]["candidates"]) == [
        "khalid-saeed-al-harbi",
        "yusuf-abdelkarim-nasser",
    ]


def test_resolve_prints_json_lines(runner: CliRunner, alias_file: Path) -> None:
    names = ["NBWA", "Tomek Wierzbicki", "Marisol Quintana"]
    result = invoke(runner, "resolve", "--aliases", alias_file, *names)
    assert result.exit_code == 0
    bodies = json_lines(result.stdout)
    assert [b["query"] for b in bodies] == names
    assert [b["match"]["id"] for b in bodies] == [
        "northern-basin-water-authority",
        "tomasz-wierzbicki",
        "marisol-quintana-arevalo",
    ]


def test_resolve_exits_1_on_a_name_without_a_match(runner: CliRunner, alias_file: Path) -> None:
    """A script learns from the exit status that some name needs a look (ambiguous "Abu
    Muhammad", unknown "Nobody Atall"); every result is printed all the same."""
    names = ["NBWA", "Abu Muhammad", "Nobody Atall"]
    result = invoke(runner, "resolve", "--aliases", alias_file, *names)
    assert result.exit_code == 1
    assert [b["query"] for b in json_lines(result.stdout)] == names
    assert result.stderr == "normalizer: 2 name(s) without a confident match\n"
    result = invoke(runner, "resolve", "--aliases", alias_file, "--no-fail", *names)
    assert result.exit_code == 0
    assert len(json_lines(result.stdout)) == 3
    assert result.stderr == ""


def test_resolve_reads_standard_input(runner: CliRunner, alias_file: Path) -> None:
    """``-`` is standard input, one name a line, blank lines skipped, in the place of ``-``
    among the other names; CRLF line ends are line ends."""
    given = "NBWA\r\n\n   \nTomek Wierzbicki\nNobody Atall"  # no final line end
    args = ["resolve", "--aliases", str(alias_file), "Marisol Quintana", "-", "CJNG"]
    result = runner.invoke(main, args, input=given.encode(), catch_exceptions=False)
    assert result.exit_code == 1
    queries = [b["query"] for b in json_lines(result.stdout)]
    assert queries == ["Marisol Quintana", "NBWA", "Tomek Wierzbicki", "Nobody Atall", "CJNG"]


def test_resolve_reads_more_than_a_batch(runner: CliRunner, alias_file: Path) -> None:
    names = ["Tomek Wierzbicki", "Puerto Lempira", "NBWA"] * 1001  # three batches and more
    given = "\n".join(names).encode()
    args = ["resolve", "--aliases", str(alias_file), "--limit", "1", "-"]
    result = runner.invoke(main, args, input=given, catch_exceptions=False)
    assert result.exit_code == 0
    bodies = json_lines(result.stdout)
    assert len(bodies) == len(names)
    assert [b["query"] for b in bodies] == names
    assert {b["match"]["id"] for b in bodies} == {
        "tomasz-wierzbicki",
        "puerto-lempira",
        "northern-basin-water-authority",
    }


def test_resolve_refuses_input_that_is_not_utf8(runner: CliRunner, alias_file: Path) -> None:
    args = ["resolve", "--aliases", str(alias_file), "-"]
    result = runner.invoke(main, args, input=b"NBWA\nLe\xf3n\n", catch_exceptions=False)
    assert result.exit_code == 2
    assert "standard input, line 2: not UTF-8" in result.stderr


def test_resolve_streams_standard_input(alias_file: Path) -> None:
    """Results of a full batch come out while standard input is still open: a huge input is
    never held whole. Only warnings and errors go to stderr (none here)."""
    argv = [str(BIN_DIR / "normalizer"), "resolve", "--aliases", str(alias_file), "-"]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NORMALIZER_")}
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    with subprocess.Popen(argv, env=environment, **pipes) as process:  # type: ignore[call-overload]
        read: list[bytes] = []

        def read_a_batch() -> None:
            read.extend(process.stdout.readline() for _ in range(STDIN_BATCH))

        reader = threading.Thread(target=read_a_batch)
        try:
            reader.start()
            process.stdin.write(b"Puerto Lempira\n" * STDIN_BATCH)
            process.stdin.flush()
            reader.join(timeout=60)  # a hang guard: the batch takes well under a second
            assert len(read) == STDIN_BATCH and read[-1], "no results before the input ends"
            process.stdin.close()
            assert process.stdout.read() == b""
            assert process.wait(timeout=60) == 0
            assert process.stderr.read() == b""
        finally:
            process.kill()
    assert {json.loads(line)["match"]["id"] for line in read} == {"puerto-lempira"}


def test_resolve_type_and_limit(runner: CliRunner, alias_file: Path) -> None:
    base: list[str | Path] = ["resolve", "--aliases", alias_file]
    (siblings,) = documents(invoke(runner, *base, "Quintana Arévalo").stdout)
    assert len(siblings["candidates"]) == 3
    (limited,) = documents(invoke(runner, *base, "--limit", "2", "Quintana Arévalo").stdout)
    assert limited["candidates"] == siblings["candidates"][:2]
    (everything,) = documents(invoke(runner, *base, "--explain", "Honduras").stdout)
    assert {c["type"] for c in everything["candidates"]} == {"location", "organization"}
    (banks,) = documents(invoke(runner, *base, "--type", "organization", "Honduras").stdout)
    assert [c["id"] for c in banks["candidates"]] == ["banco-agricola-honduras"]


def test_resolve_reads_the_environment(
    runner: CliRunner, alias_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NORMALIZER_ALIASES", str(alias_file))
    result = invoke(runner, "resolve", "Puerto Lempira")
    assert result.exit_code == 0
    assert documents(result.stdout)[0]["match"]["id"] == "puerto-lempira"


def test_resolve_refuses_a_broken_table(runner: CliRunner, tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.yml", BROKEN_YML)
    result = invoke(runner, "resolve", "--aliases", broken, "Puerto Lempira")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{broken}:4: [La_Ceiba] id 'La_Ceiba' is not a slug" in result.stderr
    assert f"{broken}:8: [tela] missing name" in result.stderr
    assert "2 problem(s); nothing was loaded" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["resolve", "--aliases", "{aliases}"],
        ["resolve", "--aliases", "{missing}", "Honduras"],
        ["resolve", "--aliases", "{aliases}", "--limit", "0", "Honduras"],
        ["resolve", "--aliases", "{aliases}", "--limit", "51", "Honduras"],
    ],
    ids=str,
)
def test_resolve_usage_errors(
    runner: CliRunner, alias_file: Path, tmp_path: Path, args: list[str]
) -> None:
    paths = {"aliases": alias_file, "missing": tmp_path / "missing.yml"}
    result = invoke(runner, *[a.format(**paths) for a in args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Usage:" in result.stderr


# --- check ---------------------------------------------------------------------------------


def test_check_clean_table(runner: CliRunner, tmp_path: Path) -> None:
    clean = write(tmp_path, "clean.yml", CLEAN_YML)
    result = invoke(runner, "check", "--strict", clean)
    assert result.exit_code == 0
    summary = f"{clean}: 2 entities, 3 names, 0 collision(s), 0 near-collision(s)"
    assert result.stdout == summary + "\n"


# An entity written with the same name several ways (one name, three spellings) and a
# not-name, which is no name of the entity's.
REPEATED_YML = """\
- id: puerto-lempira
  name: Puerto Lempira
  type: location
  aliases: [PUERTO LEMPIRA, Pto. Lempira, "puerto  lempira"]
  not: [Gracias a Dios]
- id: la-ceiba
  name: La Ceiba
  type: location
"""


def test_check_counts_each_name_once(runner: CliRunner, tmp_path: Path) -> None:
    repeated = write(tmp_path, "repeated.yml", REPEATED_YML)
    result = invoke(runner, "check", repeated)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        f"{repeated}: 2 entities, 3 names, 0 collision(s), 0 near-collision(s)"
    )


@pytest.mark.parametrize("table", ["fixture", "repeated", "bundled"])
def test_check_and_readyz_count_alike(
    runner: CliRunner, alias_file: Path, tmp_path: Path, table: str
) -> None:
    """What a curator reads before loading is what the service reports once it serves."""
    path = {
        "fixture": alias_file,
        "repeated": write(tmp_path, "repeated.yml", REPEATED_YML),
        "bundled": Path(__file__).parents[1] / "aliases",
    }[table]
    # The table's summary; the bundled table's golden queries print theirs after it.
    summary = invoke(runner, "check", "--no-golden", path).stdout.splitlines()[-1]
    counted = re.fullmatch(rf"{re.escape(str(path))}: (\d+) entities, (\d+) names, .*", summary)
    assert counted is not None, summary
    ready = create_app({"TESTING": True, "ALIASES": str(path)}).test_client().get("/readyz")
    body = ready.get_json()
    assert ready.status_code == 200
    assert (body["entities"], body["names"]) == tuple(map(int, counted.groups()))


def test_check_lists_collisions_as_warnings(runner: CliRunner, alias_file: Path) -> None:
    result = invoke(runner, "check", alias_file)
    assert result.exit_code == 0
    warning = f"warning: {shared_warning(alias_file)}"
    assert result.stdout.splitlines() == [warning, f"{alias_file}: {SUMMARY}"]


def test_check_strict_makes_collisions_errors(runner: CliRunner, alias_file: Path) -> None:
    result = invoke(runner, "check", "--strict", alias_file)
    assert result.exit_code == 1
    error = f"error: {shared_warning(alias_file)}"
    assert result.stdout.splitlines() == [error, f"{alias_file}: {SUMMARY}"]


@pytest.mark.parametrize("strict", [[], ["--strict"]], ids=["lenient", "strict"])
def test_check_near_collisions_stay_warnings(
    runner: CliRunner, tmp_path: Path, strict: list[str]
) -> None:
    near = write(tmp_path, "near.yml", NEAR_YML)
    result = invoke(runner, "check", *strict, near)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "warning: near-collision on 'carlos mejia soto': "
        f"carlos-mejia-soto ('Carlos Mejía Soto', {near}:1), "
        f"soto-carlos-mejia ('Soto Carlos Mejía', {near}:4)",
        f"{near}: 2 entities, 2 names, 0 collision(s), 1 near-collision(s)",
    ]


def test_check_reports_problems_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.yml", BROKEN_YML)
    result = invoke(runner, "check", broken)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {broken}:4: [La_Ceiba] id 'La_Ceiba' is not a slug "
        "(lowercase ASCII words joined by hyphens)",
        f"error: {broken}:8: [tela] missing name",
        "2 problem(s); nothing was loaded",
    ]


def test_check_reports_malformed_yaml(runner: CliRunner, tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.yml", CLEAN_YML + '- id: tela\n  name: "Tela\n')
    result = invoke(runner, "check", broken)
    assert result.exit_code == 1
    assert f"error: {broken}:" in result.stderr
    assert "malformed YAML" in result.stderr


def test_check_folder(runner: CliRunner, tmp_path: Path, alias_file: Path) -> None:
    write(tmp_path, "a.yml", CLEAN_YML)
    write(tmp_path, "b.yaml", NEAR_YML)
    write(tmp_path, "notes.txt", "not an alias file")
    result = invoke(runner, "check", tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        f"{tmp_path}: 4 entities, 5 names, 0 collision(s), 1 near-collision(s)"
    )


def test_check_duplicate_id_across_files(runner: CliRunner, tmp_path: Path) -> None:
    first = write(tmp_path, "a.yml", CLEAN_YML)
    second = write(tmp_path, "b.yml", "# again\n" + CLEAN_YML)
    result = invoke(runner, "check", tmp_path)
    assert result.exit_code == 1
    assert (
        f"error: {second}:2: [puerto-lempira] duplicate id, first defined at {first}:1"
        in result.stderr.splitlines()
    )


def test_check_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yml"
    result = invoke(runner, "check", missing)
    assert result.exit_code == 1
    assert f"error: {missing}:0: no such file or folder" in result.stderr


# --- serve: the production server, as a real process ---------------------------------------


def fetch(url: str) -> tuple[int, dict[str, Any]]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a local URL)
        return response.status, json.load(response)


def with_path(aliases: Path, logs: Path, path: str) -> AbstractContextManager[str]:
    """``normalizer serve`` with 2 workers and $PATH set to ``path``."""
    return serving(aliases, logs, workers=2, env={"PATH": path}, timeout=SERVE_TIMEOUT)


def path_with_venv(first: bool) -> str:
    """$PATH with the virtualenv's bin folder first (as when activated), or left out."""
    others = [p for p in os.environ.get("PATH", os.defpath).split(os.pathsep) if p]
    others = [p for p in others if Path(p).resolve() != BIN_DIR.resolve()]
    return os.pathsep.join(([str(BIN_DIR)] if first else []) + others)


def check_server(base: str) -> None:
    query = urllib.parse.urlencode({"name": "frente unido de transportistas del norte"})
    status, body = fetch(f"{base}/v1/resolve?{query}")
    assert status == 200
    assert body["match"]["id"] == "frente-unido-transportistas-norte"
    status, ready = fetch(base + "/readyz")
    assert (status, ready["status"], ready["entities"]) == (200, "ready", len(FIXTURE))
    with pytest.raises(urllib.error.HTTPError) as caught:
        fetch(base + "/v1/entities/nobody")
    assert caught.value.code == 404
    assert caught.value.headers.get_content_type() == "application/problem+json"
    caught.value.close()


def test_serve(alias_file: Path, tmp_path: Path) -> None:
    """gunicorn runs the app factory on the table given with --aliases."""
    with with_path(alias_file, tmp_path, path_with_venv(first=True)) as base:
        check_server(base)
    stderr = (tmp_path / "stderr.log").read_text(errors="replace")
    assert "Starting gunicorn" in stderr
    assert "Booting worker" in stderr


def test_serve_without_activating_the_virtualenv(alias_file: Path, tmp_path: Path) -> None:
    """`make run` calls .venv/bin/normalizer without .venv/bin on $PATH."""
    with with_path(alias_file, tmp_path, path_with_venv(first=False)) as base:
        check_server(base)


def test_check_against_the_table_in_force_lists_names_made_ambiguous(
    runner: CliRunner, tmp_path: Path
) -> None:
    before = write(tmp_path, "before.yml", CLEAN_YML)
    after = write(
        tmp_path,
        "after.yml",
        CLEAN_YML + "- id: ceiba-tours\n  name: Ceiba Tours\n  type: organization\n"
        "  aliases: [La Ceiba]\n",
    )
    result = invoke(runner, "check", after, "--against", before)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"error: {after}:8: [ceiba-tours] name 'La Ceiba' resolved to ")
    assert lines[-1].endswith(f", 1 name(s) of {before} made ambiguous")
    # Marked as shared on purpose: a collision to know of, no error.
    marked = write(tmp_path, "marked.yml", after.read_text() + "  shared: [La Ceiba]\n")
    result = invoke(runner, "check", marked, "--against", before)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1].endswith(f", 0 name(s) of {before} made ambiguous")
