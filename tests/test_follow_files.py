"""The embedded store follows its alias files: an edit reaches every worker of the
production server, and a bad edit leaves the table in force."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from serving import serving

from normalizer.web.app import create_app

HANG = 60.0  # seconds: only to catch a hang; a reload takes well under one


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + HANG
    while not condition():
        assert time.monotonic() < deadline, f"still not {what} after {HANG} s"
        time.sleep(0.05)


def test_an_edit_is_served_and_a_bad_one_is_not(
    tmp_path: Path, alias_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    aliases = tmp_path / "aliases.yml"
    shutil.copy(alias_file, aliases)
    client = create_app({"TESTING": True, "ALIASES": str(aliases)}).test_client()

    def matched(name: str) -> str | None:
        body = client.get("/v1/resolve", query_string={"name": name}).json
        assert body is not None
        match = body["match"]
        return None if match is None else str(match["id"])

    assert matched("Ramiro el Flaco") is None
    entry = "name: Ramiro Quintana Arévalo\n  type: person\n  country: HN"
    text = aliases.read_text(encoding="utf-8")
    assert entry in text
    aliases.write_text(text.replace(entry, entry + "\n  aliases: [Ramiro el Flaco]"))
    wait_for(lambda: matched("Ramiro el Flaco") == "ramiro-quintana-arevalo", "reloaded")

    version = client.get("/readyz").json
    aliases.write_text(aliases.read_text() + "\n- id: broken\n  type: person\n")
    # Requests trigger the look; the refusal is logged with the file and line.
    wait_for(lambda: bool(matched("Ramiro el Flaco")) and "not reloaded" in caplog.text, "refused")
    assert f"{aliases}:" in caplog.text and "broken" in caplog.text
    assert matched("Ramiro el Flaco") == "ramiro-quintana-arevalo"
    assert client.get("/readyz").json == version


def test_every_worker_of_the_production_server_follows(tmp_path: Path, alias_file: Path) -> None:
    folder = tmp_path / "aliases"
    folder.mkdir()
    shutil.copy(alias_file, folder / "people.yml")
    with serving(folder, tmp_path, workers=2, env={}, ready="/readyz") as base:

        def answers() -> set[str | None]:
            found = set()
            for _ in range(20):  # over new connections, so both workers answer some
                url = f"{base}/v1/resolve?name=Tomek+from+Gdansk"
                with urllib.request.urlopen(url, timeout=HANG) as response:
                    match = json.load(response)["match"]
                found.add(match and match["id"])
            return found

        assert answers() == {None}
        (folder / "more.yml").write_text(
            "- id: tomek\n  name: Tomek from Gdansk\n  type: person\n", encoding="utf-8"
        )
        wait_for(lambda: answers() == {"tomek"}, "served by every worker")
