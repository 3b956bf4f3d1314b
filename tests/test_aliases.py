"""The alias-file loader: real YAML and JSON Lines files, every problem located to the line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml

from normalizer.aliases.load import alias_files, load_path, parse_files, parse_parts
from normalizer.aliases.model import Alias, Entity
from normalizer.aliases.readers import split_files
from normalizer.exc import AliasProblem, AliasTableError
from normalizer.service import build_table
from normalizer.table.compiler import compile_table

# One valid entity on lines 2-4 under a header comment: a bad entity appended starts on line 5.
GOOD = """\
# A small table for tests.
- id: good
  name: Good Entity
  type: person
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def refused(path: Path) -> list[AliasProblem]:
    """The problems load_path raises for ``path``, which build_table, reading the files as
    it compiles them, raises too."""
    with pytest.raises(AliasTableError) as info:
        load_path(path)
    with pytest.raises(AliasTableError) as compiling:
        build_table(path)
    assert compiling.value.problems == info.value.problems
    return info.value.problems


def located(problems: list[AliasProblem]) -> list[tuple[str, int, str | None]]:
    return [(p.path, p.line, p.entity) for p in problems]


def record(entity_id: str, name: str, **fields: object) -> str:
    return json.dumps({"id": entity_id, "name": name, "type": "person", **fields})


# Malformed files


def test_malformed_yaml_bad_indentation(tmp_path: Path) -> None:
    path = write(
        tmp_path / "people.yml",
        """\
        - id: alpha
          name: Alpha
          type: person
           aliases: [Alfa]
        """,
    )
    problems = refused(path)
    assert located(problems) == [(str(path), 4, None)]
    assert problems[0].message.startswith("malformed YAML: ")


def test_malformed_yaml_mismatched_bracket(tmp_path: Path) -> None:
    path = write(
        tmp_path / "people.yml",
        """\
        - id: alpha
          name: Alpha
          type: person
          aliases: [Alfa, Alpha A}
        - id: beta
          name: Beta
          type: person
        """,
    )
    problems = refused(path)
    assert located(problems) == [(str(path), 4, None)]
    assert problems[0].message.startswith("malformed YAML: ")


def test_malformed_yaml_unclosed_bracket(tmp_path: Path) -> None:
    # The bracket opens on line 2; PyYAML notices on line 3, at the next key: the problem
    # is where the curator has to look, with where it was noticed.
    path = write(
        tmp_path / "people.yml",
        """\
        - id: alpha
          name: [Alpha
          type: person
        """,
    )
    problems = refused(path)
    assert located(problems) == [(str(path), 2, None)]
    assert problems[0].message.startswith("malformed YAML: ")
    assert "at line 3" in problems[0].message


def test_malformed_yaml_unclosed_quote_is_located_where_it_opens(tmp_path: Path) -> None:
    """An unclosed quote swallows the rest of the file: PyYAML gives up at its end."""
    entities = "".join(f"- id: e{n}\n  name: Entity {n}\n  type: person\n" for n in range(4))
    path = write(tmp_path / "people.yml", GOOD + '  notes: "unclosed\n' + entities)
    problems = refused(path)
    opened = GOOD.count("\n") + 1
    assert located(problems) == [(str(path), opened, None)]
    assert f"at line {opened + 13}" in problems[0].message


def test_malformed_yaml_tab_indentation(tmp_path: Path) -> None:
    path = write(tmp_path / "people.yml", GOOD + "\tnotes: tabbed\n")
    assert located(refused(path)) == [(str(path), 5, None)]


def test_malformed_json_line(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "bulk.jsonl",
        [
            record("alpha", "Alpha"),
            record("beta", "Beta"),
            '{"id": "gamma", "name": "Gamma",',
            record("delta", "Delta"),
        ],
    )
    problems = refused(path)
    assert located(problems) == [(str(path), 3, None)]
    assert problems[0].message.startswith("malformed JSON: ")
    # The other lines still parse; only the table as a whole is refused.
    entities, _ = parse_files([path])
    assert [(e.id, e.line) for e in entities] == [("alpha", 1), ("beta", 2), ("delta", 4)]


def test_a_line_not_utf8_is_located_and_the_others_still_read(tmp_path: Path) -> None:
    path = tmp_path / "bulk.jsonl"
    lines = [record("alpha", "Alpha"), record("beta", "Beta"), record("gamma", "Gamma")]
    path.write_bytes(
        "\n".join(lines).replace("Beta", "B\udce9ta").encode("utf-8", "surrogateescape")
    )
    problems = refused(path)
    assert located(problems) == [(str(path), 2, None)]
    assert problems[0].message.startswith("not UTF-8: ")
    entities, _ = parse_files([path])
    assert [(e.id, e.line) for e in entities] == [("alpha", 1), ("gamma", 3)]


def test_a_table_compiled_as_read_is_the_table_of_the_entities_read_first(tmp_path: Path) -> None:
    write(tmp_path / "people.yml", GOOD)
    write_jsonl(
        tmp_path / "bulk.jsonl",
        [
            "\ufeff" + record("alpha", "Alpha Ríos", aliases=["A. Ríos"]),
            "",
            record("beta", "Beta Orrin"),
        ],
    )
    streamed = build_table(tmp_path)
    whole = compile_table(load_path(tmp_path))
    assert streamed.meta.entities == 3 and streamed.meta.source == str(tmp_path.resolve())
    assert dict(streamed.entries) == dict(whole.entries)
    assert streamed.meta.version == whole.meta.version


def test_yaml_top_level_mapping(tmp_path: Path) -> None:
    path = write(
        tmp_path / "people.yml",
        """\
        id: alpha
        name: Alpha
        type: person
        """,
    )
    assert refused(path) == [AliasProblem(str(path), 1, "the file must be a list of entities")]


def test_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yml"
    assert refused(path) == [AliasProblem(str(path), 0, "no such file or folder")]


def test_folder_without_alias_files(tmp_path: Path) -> None:
    write(tmp_path / "README.md", "# aliases\n")
    write(tmp_path / "people.txt", GOOD)
    problems = refused(tmp_path)
    assert located(problems) == [(str(tmp_path), 0, None)]
    assert "no alias files" in problems[0].message


def test_file_with_other_suffix(tmp_path: Path) -> None:
    path = write(tmp_path / "people.txt", GOOD)
    problems = refused(path)
    assert located(problems) == [(str(path), 0, None)]
    assert "not an alias file" in problems[0].message


def test_parse_files_reports_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.yml"
    assert parse_files([path]) == ([], [AliasProblem(str(path), 0, "no such alias file")])


# Invalid entities: each appended after GOOD, so the bad one starts on line 5.

INVALID = [
    ("missing-id", "- name: No Id\n  type: person\n", None, "missing id"),
    ("missing-name", "- id: no-name\n  type: person\n", "no-name", "missing name"),
    ("missing-type", "- id: no-type\n  name: No Type\n", "no-type", "missing type"),
    (
        "id-not-slug",
        "- id: Bad Id\n  name: Bad Id\n  type: person\n",
        "Bad Id",
        "id 'Bad Id' is not a slug",
    ),
    (
        "id-trailing-hyphen",
        "- id: bad-\n  name: Bad\n  type: person\n",
        "bad-",
        "id 'bad-' is not a slug",
    ),
    ("id-number", "- id: 42\n  name: Number\n  type: person\n", None, "id 42 is not a slug"),
    (
        "empty-alias",
        '- id: empty-alias\n  name: Empty Alias\n  type: person\n  aliases: [""]\n',
        "empty-alias",
        "alias '' is empty or one character",
    ),
    (
        "one-char-alias",
        "- id: short-alias\n  name: Short Alias\n  type: person\n  aliases: [x]\n",
        "short-alias",
        "alias 'x' is empty or one character",
    ),
    (
        "padded-one-char-alias",
        '- id: short-alias\n  name: Short Alias\n  type: person\n  aliases: [" x "]\n',
        "short-alias",
        "alias ' x ' is empty or one character",
    ),
    (
        "number-alias",
        "- id: number-alias\n  name: Number Alias\n  type: person\n  aliases: [42]\n",
        "number-alias",
        "alias must be a string",
    ),
    (
        "alias-unknown-field",
        "- id: alias-field\n  name: Alias Field\n  type: person\n"
        "  aliases: [{name: Foo, language: es}]\n",
        "alias-field",
        "alias has unknown field(s): language",
    ),
    (
        "alias-lang-number",
        "- id: alias-lang\n  name: Alias Lang\n  type: person\n  aliases: [{name: Foo, lang: 7}]\n",
        "alias-lang",
        "alias lang must be a string",
    ),
    (
        "aliases-not-list",
        "- id: alias-string\n  name: Alias String\n  type: person\n  aliases: Foo\n",
        "alias-string",
        "aliases must be a list",
    ),
    (
        "not-not-list",
        "- id: barred\n  name: Barred Name\n  type: person\n  not: Someone Else\n",
        "barred",
        "not must be a list of names",
    ),
    (
        "not-one-char",
        "- id: barred\n  name: Barred Name\n  type: person\n  not: [Z]\n",
        "barred",
        "not-name 'Z' is empty or one character",
    ),
    (
        "not-own-alias",
        "- id: barred\n  name: Barred Name\n  type: person\n"
        "  aliases: [B. Name]\n  not: [b name]\n",
        "barred",
        "not-name 'b name' is also a name of the entity",
    ),
    (
        "unknown-field",
        "- id: typo\n  name: Typo\n  type: person\n  alias: [Foo]\n",
        "typo",
        "unknown field(s): alias",
    ),
    ("empty-name", '- id: empty-name\n  name: ""\n  type: person\n', "empty-name", "name ''"),
    ("one-char-name", "- id: short\n  name: X\n  type: person\n", "short", "name 'X'"),
    (
        "type-not-word",
        "- id: typed\n  name: Typed\n  type: Person\n",
        "typed",
        "type 'Person' must be a lowercase word",
    ),
    (
        "sources-not-strings",
        "- id: sourced\n  name: Sourced\n  type: person\n  sources: [1]\n",
        "sourced",
        "sources must be a list of strings",
    ),
    (
        "country-number",
        "- id: country\n  name: Country\n  type: person\n  country: 52\n",
        "country",
        "country must be a non-empty string",
    ),
]


@pytest.mark.parametrize(
    ("bad", "entity", "message"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_invalid_entity(tmp_path: Path, bad: str, entity: str | None, message: str) -> None:
    path = write(tmp_path / "people.yml", GOOD + bad)
    problems = refused(path)
    assert located(problems) == [(str(path), 5, entity)]
    assert message in problems[0].message


def test_invalid_entity_in_jsonl(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "bulk.jsonl",
        [
            record("alpha", "Alpha"),
            "",
            json.dumps({"id": "no-name", "type": "person"}),
            record("short-alias", "Short Alias", aliases=["ok", "x"]),
        ],
    )
    assert refused(path) == [
        AliasProblem(str(path), 3, "missing name", "no-name"),
        AliasProblem(str(path), 4, "alias 'x' is empty or one character", "short-alias"),
    ]


def test_yaml_entity_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path / "people.yml", GOOD + "- just a name\n")
    assert refused(path) == [AliasProblem(str(path), 5, "an entity must be a mapping")]


def test_jsonl_entity_not_a_mapping(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bulk.jsonl", [record("alpha", "Alpha"), '["beta"]'])
    assert refused(path) == [AliasProblem(str(path), 2, "an entity must be a mapping")]


# Duplicate ids


def test_duplicate_id_within_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "people.yml",
        GOOD
        + textwrap.dedent(
            """\
            - id: other
              name: Other
              type: person
            - id: good
              name: Good Again
              type: person
            """
        ),
    )
    assert refused(path) == [
        AliasProblem(str(path), 8, f"duplicate id, first defined at {path}:2", "good"),
    ]


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    first = write(tmp_path / "a_people.yml", GOOD)
    second = write_jsonl(
        tmp_path / "b_bulk.jsonl", [record("other", "Other"), record("good", "Good Again")]
    )
    assert refused(tmp_path) == [
        AliasProblem(str(second), 2, f"duplicate id, first defined at {first}:2", "good"),
    ]


# Several problems


def test_every_problem_is_reported(tmp_path: Path) -> None:
    people = write(
        tmp_path / "people.yml",
        GOOD
        + textwrap.dedent(
            """\
            - id: Bad Id
              name: Bad
              type: person
            - id: no-type
              name: No Type
              alias: [Foo]
            - id: good
              name: Good Again
              type: person
            """
        ),
    )
    bulk = write_jsonl(tmp_path / "zz.jsonl", ['{"id": ', record("no-name", "x")])
    problems = refused(tmp_path)
    assert located(problems) == [
        (str(people), 5, "Bad Id"),
        (str(people), 8, "no-type"),  # unknown field ...
        (str(people), 8, "no-type"),  # ... and missing type, both on the same entity
        (str(people), 11, "good"),
        (str(bulk), 1, None),
        (str(bulk), 2, "no-name"),
    ]
    messages = [p.message for p in problems]
    assert "unknown field(s): alias" in messages
    assert "missing type" in messages


def test_error_message_lists_five_problems_and_counts_the_rest(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bulk.jsonl", [record(f"e{i}", "x") for i in range(7)])
    with pytest.raises(AliasTableError) as info:
        load_path(path)
    error = info.value
    assert len(error.problems) == 7
    assert error.status == 422
    assert str(error).startswith("7 problem(s) in alias files: ")
    assert str(error).endswith(" (and 2 more)")
    assert f"{path}:5: [e4] name 'x' is empty or one character" in str(error)
    assert f"{path}:6:" not in str(error)


def test_problem_str() -> None:
    assert str(AliasProblem("a.yml", 3, "missing name", "alpha")) == "a.yml:3: [alpha] missing name"
    assert str(AliasProblem("a.yml", 0, "no such file")) == "a.yml:0: no such file"


# Valid tables

PEOPLE = """\
# People, curated.
- id: nemesio-oseguera
  name: "  Nemesio Oseguera Cervantes "
  type: person
  country: mx
  aliases:
    - El Mencho
    - {name: Немесио Осегера Сервантес, lang: ru}
    - name: Mencho
      lang: es
  sources: [ofac-sdn, dea]
  notes: Leader of the CJNG.

- id: cjng
  name: Cártel de Jalisco Nueva Generación
  type: organization
- {id: joaquin-guzman, name: Joaquín Guzmán Loera, type: person, aliases: [El Chapo]}
-
  id: ayman-al-zawahiri
  name: Ayman al-Zawahiri
  type: person
"""


def test_yaml_entities(tmp_path: Path) -> None:
    path = write(tmp_path / "people.yml", PEOPLE)
    entities = load_path(path)
    assert entities == [
        Entity(
            id="nemesio-oseguera",
            name="Nemesio Oseguera Cervantes",
            type="person",
            aliases=(
                Alias("El Mencho"),
                Alias("Немесио Осегера Сервантес", "ru"),
                Alias("Mencho", "es"),
            ),
            country="mx",
            notes="Leader of the CJNG.",
            sources=("ofac-sdn", "dea"),
        ),
        Entity(id="cjng", name="Cártel de Jalisco Nueva Generación", type="organization"),
        Entity(
            id="joaquin-guzman",
            name="Joaquín Guzmán Loera",
            type="person",
            aliases=(Alias("El Chapo"),),
        ),
        Entity(id="ayman-al-zawahiri", name="Ayman al-Zawahiri", type="person"),
    ]


def test_yaml_entity_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "people.yml", PEOPLE)
    entities = load_path(path)
    assert [(e.path, e.line) for e in entities] == [
        (str(path), 2),
        (str(path), 14),
        (str(path), 17),
        (str(path), 19),  # a bare "-": the mapping starts on the next line
    ]


def test_names(tmp_path: Path) -> None:
    entity = load_path(write(tmp_path / "people.yml", PEOPLE))[0]
    assert list(entity.names()) == [
        "Nemesio Oseguera Cervantes",
        "El Mencho",
        "Немесио Осегера Сервантес",
        "Mencho",
    ]


def test_duplicate_aliases_are_merged(tmp_path: Path) -> None:
    path = write(
        tmp_path / "people.yml",
        """\
        - id: nemesio-oseguera
          name: Nemesio Oseguera
          type: person
          aliases:
            - El Mencho
            - Mencho
            - El Mencho
            - " El Mencho "
            - {name: El Mencho}
            - {name: El Mencho, lang: es}
        """,
    )
    (entity,) = load_path(path)
    assert entity.aliases == (Alias("El Mencho"), Alias("Mencho"), Alias("El Mencho", "es"))


def test_jsonl_lines(tmp_path: Path) -> None:
    path = tmp_path / "bulk.jsonl"
    path.write_bytes(
        (record("alpha", "Alpha") + "\r\n\r\n" + record("beta", "Beta", aliases=["B"]) + "\r\n")
        .replace('"B"', '{"name": "Beta B", "lang": "en"}')
        .encode("utf-8")
    )
    entities = load_path(path)
    assert [(e.id, e.line) for e in entities] == [("alpha", 1), ("beta", 3)]
    assert entities[1].aliases == (Alias("Beta B", "en"),)


def test_jsonl_line_separator_inside_string(tmp_path: Path) -> None:
    # json.dumps(..., ensure_ascii=False) writes U+2028 raw; it is valid JSON.
    path = write_jsonl(
        tmp_path / "bulk.jsonl",
        [
            json.dumps(
                {"id": "alpha", "name": "Alpha\u2028A", "type": "person"}, ensure_ascii=False
            ),
            record("beta", "Beta"),
        ],
    )
    assert [(e.id, e.line) for e in load_path(path)] == [("alpha", 1), ("beta", 2)]


def test_folder_mixes_yaml_and_jsonl(tmp_path: Path) -> None:
    write(tmp_path / "people.yml", GOOD)
    write(tmp_path / "more" / "orgs.yaml", "- {id: cjng, name: CJNG Cartel, type: organization}\n")
    write_jsonl(tmp_path / "bulk.jsonl", [record("alpha", "Alpha")])
    write_jsonl(tmp_path / "more" / "extra.ndjson", [record("beta", "Beta")])
    write(tmp_path / "README.md", "not aliases\n")
    entities = load_path(tmp_path)
    assert sorted((Path(e.path).relative_to(tmp_path).as_posix(), e.id) for e in entities) == [
        ("bulk.jsonl", "alpha"),
        ("more/extra.ndjson", "beta"),
        ("more/orgs.yaml", "cjng"),
        ("people.yml", "good"),
    ]


def test_folder_skips_its_golden_queries_but_not_a_deeper_tests_folder(tmp_path: Path) -> None:
    """``tests/`` right under the alias folder holds golden queries (a list of mappings that
    are no entities); a ``tests`` folder deeper down is a curator's own name for aliases."""
    write(tmp_path / "people.yml", GOOD)
    write(tmp_path / "tests" / "people.yaml", "- {query: Good, expect: good}\n")
    write(tmp_path / "tests" / "deeper" / "more.yml", "- {query: Good, expect: null}\n")
    orgs = "- {id: cjng, name: CJNG, type: organization}\n"
    write(tmp_path / "more" / "tests" / "orgs.yml", orgs)
    assert [p.relative_to(tmp_path).as_posix() for p in alias_files(tmp_path)] == [
        "more/tests/orgs.yml",
        "people.yml",
    ]
    assert sorted(e.id for e in load_path(tmp_path)) == ["cjng", "good"]


def test_empty_yaml_file_has_no_entities(tmp_path: Path) -> None:
    path = write(tmp_path / "people.yml", "# nothing yet\n")
    assert parse_files([path]) == ([], [])


# to_json


def test_to_json(tmp_path: Path) -> None:
    entities = load_path(write(tmp_path / "people.yml", PEOPLE))
    assert entities[0].to_json() == {
        "id": "nemesio-oseguera",
        "name": "Nemesio Oseguera Cervantes",
        "type": "person",
        "aliases": [
            {"name": "El Mencho"},
            {"name": "Немесио Осегера Сервантес", "lang": "ru"},
            {"name": "Mencho", "lang": "es"},
        ],
        "country": "mx",
        "notes": "Leader of the CJNG.",
        "sources": ["ofac-sdn", "dea"],
    }
    assert entities[1].to_json() == {
        "id": "cjng",
        "name": "Cártel de Jalisco Nueva Generación",
        "type": "organization",
        "aliases": [],
    }


def test_to_json_round_trips_through_jsonl(tmp_path: Path) -> None:
    entities = load_path(write(tmp_path / "people.yml", PEOPLE))
    path = write_jsonl(
        tmp_path / "out" / "bulk.jsonl",
        [json.dumps(e.to_json(), ensure_ascii=False) for e in entities],
    )
    assert load_path(path) == entities


def test_to_json_round_trips_through_yaml(tmp_path: Path) -> None:
    entities = load_path(write(tmp_path / "people.yml", PEOPLE))
    text = yaml.safe_dump([e.to_json() for e in entities], allow_unicode=True, sort_keys=False)
    assert load_path(write(tmp_path / "out" / "people.yml", text)) == entities


def test_yaml_key_that_is_a_list(tmp_path: Path) -> None:
    path = write(tmp_path / "people.yml", GOOD + "- id: gamma\n  [name]: Gamma\n  type: person\n")
    (problem,) = refused(path)
    assert (problem.path, problem.line) == (str(path), 6)
    assert "plain word" in problem.message


@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_files_cut_into_runs_read_as_the_whole(tmp_path: Path, parts: int) -> None:
    """``normalizer load`` reads big tables in several processes, each a run of the files
    (JSON Lines cut between lines): together they are the entities of the whole, with
    their lines, and a bad line is reported at its own line number."""
    folder = tmp_path / "table"
    folder.mkdir()
    lines = [
        json.dumps({"id": f"e-{n}", "name": f"Entity Number{n}", "type": "person"})
        for n in range(40)
    ]
    lines[17] = "{not json"
    lines[23] = ""
    (folder / "a.jsonl").write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    (folder / "b.yml").write_text("- id: y-1\n  name: Yaml One\n  type: person\n", encoding="utf-8")
    (folder / "c.jsonl").write_text("\n".join(lines[:5]).replace("e-", "c-"), encoding="utf-8")
    files = alias_files(folder)
    whole, whole_problems = parse_files(files)
    runs = split_files(files, parts)
    assert 1 <= len(runs) <= parts
    entities, problems = [], []
    for run in runs:
        found, trouble = parse_parts(run)
        entities += found
        problems += trouble
    assert [(e.id, e.path, e.line) for e in entities] == [(e.id, e.path, e.line) for e in whole]
    assert [str(p) for p in problems] == [str(p) for p in whole_problems]
    assert [p.line for p in problems] == [18]


def test_a_shared_name_must_be_a_name_of_the_entity(tmp_path: Path) -> None:
    path = write(tmp_path / "people.yml", GOOD + "  shared: [Someone Else]\n")
    problems = refused(path)
    assert [p.message for p in problems] == [
        "shared name 'Someone Else' is not a name of the entity"
    ]
    fine = write(tmp_path / "fine.yml", GOOD + "  shared: [good entity]\n")
    (entity,) = load_path(fine)
    assert entity.shared == ("good entity",)
    assert entity.to_json()["shared"] == ["good entity"]
