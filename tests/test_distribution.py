"""What ships beside the package: the license, the container and the compose file, checked
against pyproject.toml and the README they must agree with."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from serving import BIN_DIR, serving

ROOT = Path(__file__).parents[1]
DEFAULT_PORT = 8000  # normalizer serve's


def test_license_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n\nCopyright (c) 2026 normalizer contributors\n")
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


# --- the container ------------------------------------------------------------------------


def dockerfile_instructions(name: str) -> list[str]:
    """The arguments of every ``name`` instruction, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.split(None, 1)[1] for line in text.splitlines() if line.startswith(name + " ")]


def exec_form(arguments: str) -> list[str]:
    """The JSON array of an instruction's exec form (after its options, if any)."""
    found: list[str] = json.loads(arguments[arguments.index("[") :])
    return found


def test_dockerfile_passes_hadolint() -> None:
    linted = subprocess.run(
        [str(BIN_DIR / "hadolint"), "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (linted.returncode, linted.stdout) == (0, "")


def test_dockerfile_runs_the_readme_production_command() -> None:
    """The README's production command, listening on the container's interfaces."""
    readme = (ROOT / "README.md").read_text()
    (command,) = re.findall(r"`(normalizer serve[^`]*)` is the production command", readme)
    (cmd,) = dockerfile_instructions("CMD")
    assert exec_form(cmd) == shlex.split(command) + ["--host", "0.0.0.0"]
    assert dockerfile_instructions("EXPOSE") == [str(DEFAULT_PORT)]
    # Not root, by number (USER 10001): what a runtime's non-root check can verify.
    (user,) = dockerfile_instructions("USER")
    assert user.isdigit() and int(user) > 0


def test_the_healthcheck_tells_a_live_server_from_a_dead_one(
    alias_file: Path, tmp_path: Path
) -> None:
    """The HEALTHCHECK's own command, run against a real `normalizer serve` (on a free port
    in place of 8000): 0 while it serves, not 0 once it is gone."""
    (healthcheck,) = dockerfile_instructions("HEALTHCHECK")
    argv = exec_form(healthcheck)
    assert argv[0] == "python"
    with serving(alias_file, tmp_path, workers=1, env={}) as base:
        port = base.rsplit(":", 1)[1]
        check = [sys.executable] + [a.replace(f":{DEFAULT_PORT}/", f":{port}/") for a in argv[1:]]
        assert check != [sys.executable] + argv[1:]
        assert subprocess.run(check, capture_output=True, timeout=30).returncode == 0
    assert subprocess.run(check, capture_output=True, timeout=30).returncode != 0


def compose() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return found


def test_compose_file_follows_the_compose_specification() -> None:
    checked = subprocess.run(
        [str(BIN_DIR / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec"]
        + [str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_compose_loads_the_table_then_serves_it() -> None:
    services = compose()["services"]
    redis, load, service = services["redis"], services["load"], services["normalizer"]
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    # The job and the service: one image, one Redis, one table.
    for each in (load, service):
        assert each["build"] == "."
        url = urlsplit(each["environment"]["NORMALIZER_REDIS_URL"])
        assert (url.scheme, url.hostname, url.port) == ("redis", "redis", 6379)
        # source:target:ro, the source "${NORMALIZER_ALIASES_DIR:-./aliases}"
        mounted = {tuple(v.rsplit(":", 2)[1:]) for v in each["volumes"]}
        assert (each["environment"]["NORMALIZER_ALIASES"], "ro") in mounted
    assert load["command"] == ["normalizer", "load", load["environment"]["NORMALIZER_ALIASES"]]
    assert load["depends_on"] == {"redis": {"condition": "service_healthy"}}
    assert load["restart"] == "no"
    # The service runs the image's CMD (the README's command), once the load has succeeded.
    assert "command" not in service and "entrypoint" not in service
    assert service["depends_on"]["load"] == {"condition": "service_completed_successfully"}
    assert service["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert [p.rsplit(":", 1)[1] for p in service["ports"]] == [str(DEFAULT_PORT)]
