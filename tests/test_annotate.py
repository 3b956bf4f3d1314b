"""POST /v1/annotate and ``normalizer annotate`` on the bundled alias table: whole articles
with their full lists of mentions, offsets that stay exact, and the names that must not be
linked.

The expected lists under tests/data/articles/ were written by reading each article against
the bundled table, line by line: every mention of an entity of the table, with its offsets,
and nothing else (the seed article is the issue's first user story; the Spanish one names a
son who shares his father's surnames and must not be linked to him; the third mixes
Cyrillic, katakana and a typo).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizer.cli import main
from normalizer.settings import Settings
from normalizer.web import create_app

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
SEED = ROOT / "seeds" / "000_41e59cf11848cc8f.txt"
CASES = {
    "seed": SEED,
    "es_detencion": ARTICLES / "es_detencion.txt",
    "mixed_scripts": ARTICLES / "mixed_scripts.txt",
}


@pytest.fixture(scope="module")
def bundled() -> Flask:
    return create_app({"TESTING": True, "ALIASES": str(ROOT / "aliases")})


@pytest.fixture
def api(bundled: Flask) -> FlaskClient:
    return bundled.test_client()


def mentions(api: FlaskClient, text: str, **fields: Any) -> list[dict[str, Any]]:
    response = api.post("/v1/annotate", json={"text": text, **fields})
    assert response.status_code == 200, response.get_json()
    found: list[dict[str, Any]] = response.get_json()["mentions"]
    return found


def surfaces(found: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(m["text"], m["match"]["id"]) for m in found]


def expected(case: str) -> list[dict[str, Any]]:
    lines = (ARTICLES / f"{case}.mentions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("case", CASES)
def test_an_article_gets_its_full_list_of_mentions_and_nothing_else(
    api: FlaskClient, case: str
) -> None:
    text = CASES[case].read_text(encoding="utf-8")
    found = mentions(api, text)
    assert [
        {"start": m["start"], "end": m["end"], "text": m["text"], "id": m["match"]["id"]}
        for m in found
    ] == expected(case)
    for mention in found:
        assert text[mention["start"] : mention["end"]] == mention["text"]
        assert mention["match"]["score"] >= Settings().threshold


def test_the_seed_article_names_every_entity_of_the_user_story(api: FlaskClient) -> None:
    found = surfaces(mentions(api, SEED.read_text(encoding="utf-8")))
    for surface in [
        ("Jalisco New Generation Cartel", "jalisco-new-generation-cartel"),
        ("CJNG", "jalisco-new-generation-cartel"),
        ("Nemesio Oseguera Cervantes", "nemesio-oseguera-cervantes"),
        ("El Mencho", "nemesio-oseguera-cervantes"),
        ("Señor Nemesio", "nemesio-oseguera-cervantes"),
        ("Alejandro Giammattei", "alejandro-giammattei"),
        ("Giammattei", "alejandro-giammattei"),
        ("Josué López Velázquez", "josue-lopez-velazquez"),
        ("López Velázquez", "josue-lopez-velazquez"),
        ("México", "mexico"),
        ("Mexico", "mexico"),
        ("La Laguna", "la-laguna"),
        ("Central America", "central-america"),
        ("U.S.", "united-states"),
        ("Twitter", "twitter"),
        ("Guatemalan police", "guatemalan-national-civil-police"),
    ]:
        assert surface in found
    for place in ["Guatemala", "El Salvador", "Honduras", "Nicaragua", "Colombia", "Chile"]:
        assert (place, place.lower().replace(" ", "-")) in found
    assert ("Guatemala’s Army", "guatemalan-army") in found


def test_the_longest_reading_wins_an_overlap(api: FlaskClient) -> None:
    """The cartel, not also the state it is named after."""
    found = mentions(api, "Members of the Jalisco New Generation Cartel were seen in Jalisco.")
    assert surfaces(found) == [
        ("Jalisco New Generation Cartel", "jalisco-new-generation-cartel"),
        ("Jalisco", "jalisco"),
    ]


def test_possessives_and_quotes_stay_outside(api: FlaskClient) -> None:
    text = "Guatemala’s president met “El Mencho,” and Honduras' envoy, (CJNG)."
    found = mentions(api, text)
    assert surfaces(found) == [
        ("Guatemala", "guatemala"),
        ("El Mencho", "nemesio-oseguera-cervantes"),
        ("Honduras", "honduras"),
        ("CJNG", "jalisco-new-generation-cartel"),
    ]


def test_a_name_broken_across_lines_is_one_mention(api: FlaskClient) -> None:
    text = "Police sought Nemesio Oseguera\nCervantes on Friday."
    (mention,) = mentions(api, text)
    assert mention["text"] == "Nemesio Oseguera\nCervantes"
    assert mention["match"]["id"] == "nemesio-oseguera-cervantes"


@pytest.mark.parametrize(
    "before",
    ["İİİ ", "STRASSE Straße ß ", "🙂🙂 ", "ﬁﬂ ", "Ⅻ ", "e\u0301e\u0301 ", "\u200b\u200f "],
    ids=["dotted I", "sharp s", "astral", "ligatures", "roman numeral", "combining", "invisible"],
)
def test_offsets_hold_where_folding_changes_a_strings_length(api: FlaskClient, before: str) -> None:
    """Offsets are code points of the text as sent, whatever folding does to the letters
    before the name ("İ".lower() is two code points, "ß" folds to "ss")."""
    text = f"{before}said that El Mencho fled to Mexico."
    found = mentions(api, text)
    assert [(m["start"], m["end"]) for m in found] == [
        (text.index("El Mencho"), text.index("El Mencho") + len("El Mencho")),
        (text.index("Mexico"), text.index("Mexico") + len("Mexico")),
    ]


def test_short_and_common_words_never_match_alone(api: FlaskClient) -> None:
    text = "The Army and the Police said La President El Cartel was in the State."
    assert mentions(api, text) == []


def test_a_surname_alone_matches_only_the_one_entity_it_identifies(api: FlaskClient) -> None:
    found = mentions(api, "Giammattei spoke; Oseguera González did not.")
    assert surfaces(found) == [("Giammattei", "alejandro-giammattei")]


def test_a_type_keeps_only_that_types_entities(api: FlaskClient) -> None:
    found = mentions(api, "CJNG fought in Jalisco and Honduras.", type="location")
    assert surfaces(found) == [("Jalisco", "jalisco"), ("Honduras", "honduras")]


def test_explain_adds_the_alignment(api: FlaskClient) -> None:
    (mention,) = mentions(api, "They spoke of Nemesio Osegera Cervantes.", explain=True)
    explained = mention["match"]["explain"]
    assert explained["alias"] == "Nemesio Oseguera Cervantes"
    paired = {pair["query"]: pair["alias"] for pair in explained["alignment"]}
    assert paired == {"nemesio": "nemesio", "osegera": "oseguera", "cervantes": "cervantes"}


def test_a_text_without_names_has_no_mentions(api: FlaskClient) -> None:
    assert mentions(api, "") == []
    assert mentions(api, "It rained all week; nothing else happened.") == []
    # Ayin marks are letters to Unicode (Lm): a word of them alone is no name, and no error.
    assert mentions(api, "ʿ ʻʿ 'ʿ") == []
    assert [m["text"] for m in mentions(api, "ʿ CJNG ʻ")] == ["CJNG"]


# Characters that once broke a word's shape or an offset, mixed with a name of the table.
_TRICKY = "ʿʻ'’‘ .,-()[]“”\nİıßẞÅ\u0301CJNG"


@given(text=st.one_of(st.text(max_size=120), st.text(alphabet=_TRICKY, max_size=60)))
@settings(max_examples=300, deadline=None)
def test_any_text_gets_mentions_whose_offsets_slice_it(bundled: Flask, text: str) -> None:
    """Whatever the text, a 200 whose mentions are in order and cut the text as written."""
    response = bundled.test_client().post("/v1/annotate", json={"text": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    found = response.get_json()["mentions"]
    assert all(text[m["start"] : m["end"]] == m["text"] for m in found)
    assert [m["start"] for m in found] == sorted(m["start"] for m in found)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": 3}, "text"),
        ({"text": "CJNG", "type": "planet"}, "type"),
        ({"text": "CJNG", "explain": "yes"}, "explain"),
        ({"text": "CJNG", "limit": 3}, "limit"),
        ({"text": "\ud800 CJNG"}, "text"),
    ],
)
def test_a_bad_request_is_a_400_naming_its_field(
    api: FlaskClient, body: dict[str, Any], field: str
) -> None:
    # The standard library's encoder writes a lone surrogate as its JSON escape.
    response = api.post("/v1/annotate", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["field"] == field


def test_a_text_over_the_limit_is_refused_naming_it(alias_file: Path) -> None:
    app = create_app({"TESTING": True, "ALIASES": str(alias_file), "MAX_TEXT_LENGTH": 100})
    response = app.test_client().post("/v1/annotate", json={"text": "x" * 101})
    assert response.status_code == 400
    assert "100 characters" in response.get_json()["detail"]
    assert app.test_client().post("/v1/annotate", json={"text": "x" * 100}).status_code == 200


def test_a_body_that_is_not_json_is_a_415(api: FlaskClient) -> None:
    response = api.post("/v1/annotate", data="CJNG", content_type="text/plain")
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"


def test_the_cli_prints_json_lines_or_the_marked_text(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("CJNG answers to El Mencho.\n", encoding="utf-8")
    runner = CliRunner()
    lines = runner.invoke(main, ["annotate", str(article)], catch_exceptions=False)
    assert lines.exit_code == 0, lines.output
    found = [json.loads(line) for line in lines.stdout.splitlines()]
    assert surfaces(found) == [
        ("CJNG", "jalisco-new-generation-cartel"),
        ("El Mencho", "nemesio-oseguera-cervantes"),
    ]
    viewed = runner.invoke(main, ["annotate", "--view", "-"], input=article.read_bytes())
    assert viewed.exit_code == 0, viewed.output
    assert viewed.stdout == (
        "[CJNG](jalisco-new-generation-cartel) answers to "
        "[El Mencho](nemesio-oseguera-cervantes).\n"
    )


def test_the_cli_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes("Señor".encode("latin-1"))
    result = CliRunner().invoke(main, ["annotate", str(article)])
    assert result.exit_code == 2
    assert "not UTF-8" in result.output


FRAGMENTS_YML = """\
- id: reinhold-cross
  name: Reinhold Cross
  type: person
- id: supreme-trading
  name: Supreme
  type: organization
  aliases: [Supreme Trading]
"""


def test_a_word_of_a_longer_capitalized_name_is_not_a_mention(tmp_path: Path) -> None:
    """ "Cross" of "Red Cross" is not Reinhold Cross's surname alone, nor "Supreme" of
    "Supreme Court" the company called Supreme, which on its own still is."""
    aliases = tmp_path / "fragments.yml"
    aliases.write_text(FRAGMENTS_YML, encoding="utf-8")
    app = create_app({"TESTING": True, "ALIASES": str(aliases)})
    text = (
        "The Red Cross and the Supreme Court met. Later, Reinhold Cross spoke for Supreme, "
        "and said Supreme Trading had paid."
    )
    assert surfaces(mentions(app.test_client(), text)) == [
        ("Reinhold Cross", "reinhold-cross"),
        ("Supreme", "supreme-trading"),
        ("Supreme Trading", "supreme-trading"),
    ]
