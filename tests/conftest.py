"""Shared fixtures: a small alias table on disk, the app built on it, and its clients.

The table is invented for the tests (never the benchmark data): people written several
ways, organizations with legal forms and acronym-able names, places, and two people who
share the alias "Abu Muhammad", so one query is ambiguous by construction; three siblings
share the surnames "Quintana Arévalo", so that query has several fair candidates. A place
lists a name that must not resolve to it ("not": the department and the currency).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from normalizer.web.app import create_app

ALIASES_YML = """\
# Test fixture: invented entities with realistic name shapes.
- id: marisol-quintana-arevalo
  name: Marisol Quintana Arévalo
  type: person
  country: HN
  aliases:
    - Marisol Quintana
    - QUINTANA ARÉVALO, Marisol
    - {name: La Güera, lang: es}

- id: ernesto-quintana-arevalo
  name: Ernesto Quintana Arévalo
  type: person
  country: HN
  aliases:
    - Neto Quintana

- id: ramiro-quintana-arevalo
  name: Ramiro Quintana Arévalo
  type: person
  country: HN

- id: tomasz-wierzbicki
  name: Tomasz Wierzbicki
  type: person
  country: PL
  aliases:
    - Tomek Wierzbicki
    - {name: Томаш Вежбицкий, lang: ru}

- id: khalid-saeed-al-harbi
  name: Khalid Saeed al-Harbi
  type: person
  aliases:
    - Abu Muhammad
    - Khalid al-Harbi

- id: yusuf-abdelkarim-nasser
  name: Yusuf Abdelkarim Nasser
  type: person
  aliases:
    - Abu Muhammad
    - Yusuf Nasser

- id: rio-azul-logistics
  name: Río Azul Logistics S.A. de C.V.
  type: organization
  country: MX
  aliases:
    - Rio Azul Logistics
    - {name: Logística Río Azul, lang: es}

- id: northern-basin-water-authority
  name: Northern Basin Water Authority
  type: organization

- id: frente-unido-transportistas-norte
  name: Frente Unido de Transportistas del Norte
  type: organization
  country: HN

- id: kestrel-shipping
  name: Kestrel Shipping Company Limited
  type: organization
  aliases:
    - Kestrel Shipping Co. Ltd.

- id: banco-agricola-honduras
  name: Banco Agrícola de Honduras S.A.
  type: organization
  country: HN

- id: honduras
  name: Honduras
  type: location
  country: HN
  aliases:
    - Republic of Honduras
    - {name: República de Honduras, lang: es}

- id: puerto-lempira
  name: Puerto Lempira
  type: location
  country: HN
  not:
    - Lempira
"""


@pytest.fixture(autouse=True)
def _no_normalizer_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's settings (NORMALIZER_*, and REDIS_URL which would point the app
    at a real Redis) out of the app under test."""
    for name in list(os.environ):
        if name.startswith("NORMALIZER_") or name in ("REDIS_URL", "REDIS_CLUSTER_NODES"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def alias_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("aliases") / "fixture.yml"
    path.write_text(ALIASES_YML, encoding="utf-8")
    return path


@pytest.fixture
def alias_copy(alias_file: Path, tmp_path: Path) -> Path:
    """A copy of the fixture table in a folder of its own, for a test that edits it."""
    copy = tmp_path / "aliases" / "fixture.yml"
    copy.parent.mkdir()
    copy.write_bytes(alias_file.read_bytes())
    return copy


@pytest.fixture
def app(alias_file: Path) -> Flask:
    return create_app({"TESTING": True, "ALIASES": str(alias_file)})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
