"""Settings: one reading of the environment for the app, the CLI and the loader.

The three bugs of the settings read in three places are here as tests: NORMALIZER_REDIS_TUNE
read as a truth value ("no" meant yes in the server), NORMALIZER_REDIS_URL ignored by
``normalizer load``, and a bad number crashing the app factory with a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from normalizer.cli import main
from normalizer.settings import Settings, SettingsError, bundled_aliases
from normalizer.store.redis import RedisStore, connect
from normalizer.web import create_app

pytest_plugins = ["redis_fixtures"]


def test_defaults_without_any_variable() -> None:
    settings = Settings.load({})
    assert settings == Settings()
    assert settings.alias_path == bundled_aliases()
    assert not settings.uses_redis


@pytest.mark.parametrize(
    ("word", "expected"),
    [("no", False), ("false", False), ("0", False), ("off", False), ("No", False)]
    + [("yes", True), ("true", True), ("1", True), ("on", True), ("TRUE", True)],
)
def test_a_yes_no_setting_reads_the_word(word: str, expected: bool) -> None:
    assert Settings.load({"NORMALIZER_REDIS_TUNE": word}).redis_tune is expected


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NORMALIZER_THRESHOLD", "0.9x"),
        ("NORMALIZER_THRESHOLD", "1.5"),
        ("NORMALIZER_MARGIN", "nan"),
        ("NORMALIZER_MAX_BATCH", "3_0"),
        ("NORMALIZER_MAX_BATCH", "١٠"),
        ("NORMALIZER_MAX_BATCH", "10.5"),
        ("NORMALIZER_MAX_BATCH", "0"),
        ("NORMALIZER_REDIS_TIMEOUT", "-1"),
        ("NORMALIZER_REDIS_TUNE", "maybe"),
        ("NORMALIZER_REDIS_PREFIX", ""),
    ],
)
def test_a_bad_value_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.load({variable: value})
    assert caught.value.detail.startswith(f"{variable}={value!r}: ")


def test_values_keep_their_type() -> None:
    # A token that reads as JSON stays the string it is.
    settings = Settings.load(
        {"NORMALIZER_ADMIN_TOKEN": "true", "NORMALIZER_MAX_BATCH": "20", "NORMALIZER_MARGIN": "0"}
    )
    assert settings.admin_token == "true"
    assert settings.max_batch == 20 and settings.margin == 0.0


def test_the_normalizer_spelling_of_redis_url_wins() -> None:
    both = {"REDIS_URL": "redis://plain:1/0", "NORMALIZER_REDIS_URL": "redis://ours:2/0"}
    assert Settings.load(both).redis_url == "redis://ours:2/0"
    assert Settings.load({"REDIS_URL": "redis://plain:1/0"}).redis_url == "redis://plain:1/0"
    assert not Settings.load({"REDIS_URL": ""}).uses_redis


def test_overrides_win_over_the_environment(alias_file: Path) -> None:
    settings = Settings.load(
        {"NORMALIZER_THRESHOLD": "0.9"}, {"THRESHOLD": 0.7, "ALIASES": str(alias_file)}
    )
    assert settings.threshold == 0.7 and settings.alias_path == alias_file


def test_the_app_factory_refuses_a_bad_setting_by_name(
    monkeypatch: pytest.MonkeyPatch, alias_file: Path
) -> None:
    monkeypatch.setenv("NORMALIZER_THRESHOLD", "0.9x")
    with pytest.raises(SettingsError, match="NORMALIZER_THRESHOLD='0.9x'"):
        create_app({"ALIASES": str(alias_file)})


@pytest.mark.parametrize("command", [["serve"], ["resolve", "El Mencho"]])
def test_the_cli_says_which_setting_is_bad(
    monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("NORMALIZER_THRESHOLD", "0.9x")
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 2
    assert "NORMALIZER_THRESHOLD='0.9x'" in result.stderr
    assert "Traceback" not in result.output


def test_load_reads_normalizer_redis_url(
    redis_url: str, alias_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NORMALIZER_REDIS_URL", redis_url)
    result = CliRunner().invoke(main, ["load", str(alias_file)])
    assert result.exit_code == 0, result.output
    with connect(redis_url) as client:
        assert client.exists("{normalizer}:current")


def _listpack_value(redis_url: str) -> int:
    with connect(redis_url) as client:
        return int(client.config_get("hash-max-listpack-value")["hash-max-listpack-value"])


@pytest.fixture
def untouched_listpack(redis_url: str) -> str:
    """Redis with its default listpack value limit, which a load would raise if tuning."""
    with connect(redis_url) as client:
        client.config_set("hash-max-listpack-value", 64)
    return redis_url


def test_tune_no_keeps_the_load_from_tuning(
    untouched_listpack: str, alias_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NORMALIZER_REDIS_TUNE", "no")
    result = CliRunner().invoke(main, ["load", str(alias_file), "--redis", untouched_listpack])
    assert result.exit_code == 0, result.output
    assert _listpack_value(untouched_listpack) == 64
    # ... and without the variable, the same load tunes (so the check above can fail).
    monkeypatch.delenv("NORMALIZER_REDIS_TUNE")
    result = CliRunner().invoke(main, ["load", str(alias_file), "--redis", untouched_listpack])
    assert result.exit_code == 0, result.output
    assert _listpack_value(untouched_listpack) > 64


def test_tune_no_keeps_the_server_from_tuning(
    untouched_listpack: str, alias_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NORMALIZER_REDIS_TUNE", "no")
    app = create_app(
        {"ALIASES": str(alias_file), "REDIS_URL": untouched_listpack, "ADMIN_TOKEN": "t"}
    )
    client = app.test_client()
    response = client.post("/v1/admin/reload", headers={"Authorization": "Bearer t"})
    assert response.status_code == 200, response.get_json()
    assert _listpack_value(untouched_listpack) == 64
    store = app.extensions["normalizer"].store
    assert isinstance(store, RedisStore)
    store.close()
