"""match/answers.py: finished answers kept for names asked again, by table version, name,
type and limit; never across two tables, never for an explanation, within their budget."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from normalizer.match.answers import Answers, Key, size_of
from normalizer.match.matcher import Matcher
from normalizer.web.app import create_app

HANG = 60.0  # seconds: only to catch a hang; a reload takes well under one
# One letter doubled: a name no entity owns as written, so it takes the full path.
TYPO = "Marisol Quintanna Arévalo"


def matcher_of(app: Flask) -> Matcher:
    matcher: Matcher = app.extensions["normalizer"].matcher
    return matcher


def resolve(client: FlaskClient, name: str, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/resolve", query_string={"name": name, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.json or {}
    return body


def test_a_name_asked_again_gets_the_same_answer_from_the_cache(app: Flask) -> None:
    client, answers = app.test_client(), matcher_of(app).answers
    assert answers is not None
    first = resolve(client, TYPO)
    assert first["match"]["id"] == "marisol-quintana-arevalo"
    hits = answers.hits
    assert resolve(client, TYPO) == first
    assert answers.hits == hits + 1
    # Another limit is another answer: resolved, not taken from the first.
    assert len(resolve(client, TYPO, limit=1)["candidates"]) == 1
    assert answers.hits == hits + 1


def test_an_explanation_is_never_taken_from_the_cache(app: Flask) -> None:
    client = app.test_client()
    resolve(client, TYPO)
    explained = resolve(client, TYPO, explain="true")
    assert explained["match"]["explain"]["alignment"]


def test_an_edited_table_is_not_answered_from_before(tmp_path: Path, alias_file: Path) -> None:
    aliases = tmp_path / "aliases.yml"
    shutil.copy(alias_file, aliases)
    app = create_app({"TESTING": True, "ALIASES": str(aliases)})
    client, answers = app.test_client(), matcher_of(app).answers
    assert answers is not None

    def matched() -> str | None:
        # A typo of the alias the edit adds: the full path, not the owned-name one.
        match = resolve(client, "Ramiro el Flacco")["match"]
        return None if match is None else str(match["id"])

    assert matched() is None
    assert matched() is None
    assert answers.hits == 1  # the second answer was the kept one
    entry = "name: Ramiro Quintana Arévalo\n  type: person\n  country: HN"
    text = aliases.read_text(encoding="utf-8")
    assert entry in text
    aliases.write_text(text.replace(entry, entry + "\n  aliases: [Ramiro el Flaco]"))
    wait_for(lambda: matched() == "ramiro-quintana-arevalo", "answered by the edited table")


def _key(name: str) -> Key:
    """A full answer's key (not only a spanning match's) at version "v", of limit 5."""
    return ("v", name, None, 5, None)


def test_the_answers_kept_stay_within_their_budget(app: Flask) -> None:
    matcher = matcher_of(app)
    names = [f"Marisol Quintana Arevalo {i}" for i in range(60)]
    resolutions = matcher.resolve_many(names)
    one = size_of(resolutions[0])
    answers = Answers(10 * one)
    for i, resolution in enumerate(resolutions):
        answers.put(_key(names[i]), resolution)
    assert answers.bytes <= 10 * one
    assert 5 <= len(answers) <= 10
    # The least recently used went first: the last name put is kept, the first is not.
    assert answers.get_many([_key(names[-1]), _key(names[0])])[0] is not None
    assert answers.get_many([_key(names[0])]) == [None]


def test_a_kept_answer_writes_the_same_json(app: Flask) -> None:
    resolution = matcher_of(app).resolve(TYPO)
    answers = Answers(1 << 20)
    answers.put(_key(TYPO), resolution)
    (kept,) = answers.get_many([_key(TYPO)])
    assert kept is not None and kept.to_json() == resolution.to_json()
    assert all(candidate.record is None for candidate in kept.candidates)


def test_no_cache_when_its_budget_is_zero(alias_file: Path) -> None:
    app = create_app({"TESTING": True, "ALIASES": str(alias_file), "ANSWER_CACHE": 0})
    assert matcher_of(app).answers is None
    assert resolve(app.test_client(), TYPO)["match"]["id"] == "marisol-quintana-arevalo"


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + HANG
    while not condition():
        assert time.monotonic() < deadline, f"still not {what} after {HANG} s"
        time.sleep(0.05)
