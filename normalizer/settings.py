"""Settings: one typed object, read once from ``NORMALIZER_*`` environment variables.

Redis is found, as is customary, through ``REDIS_URL`` or ``REDIS_CLUSTER_NODES`` too; the
``NORMALIZER_`` spelling of either wins. The app, the CLI and the loader all read their
settings here, so that a variable means one thing everywhere, and a bad value stops the
program at start with a message naming the variable rather than a traceback later.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from normalizer.access import parse_api_keys, parse_cors_origins
from normalizer.exc import NormalizerError

PREFIX = "NORMALIZER_"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class SettingsError(NormalizerError):
    """A setting with a value that cannot be used; the message names the variable."""

    title = "Invalid setting"


def bundled_aliases() -> Path:
    """The curated table: inside an installed wheel, else the checkout's ``aliases/``."""
    package = Path(str(resources.files("normalizer")))
    installed = package / "bundled_aliases"
    return installed if installed.is_dir() else package.parent / "aliases"


def _setting(
    default: Any, what: str, check: Callable[[Any], bool] | None = None, secret: bool = False
) -> Any:
    """A field with its documentation (the README's table) and an optional check, which may
    raise ValueError to say what is wrong. A ``secret`` value is never shown in a message."""
    return dataclasses.field(
        default=default, metadata={"what": what, "check": check, "secret": secret}
    )


def _positive(value: float) -> bool:
    return value > 0


def _share(value: float) -> bool:
    return 0.0 <= value <= 1.0


def _one_of(*words: str) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        if value not in words:
            raise ValueError(f"must be one of {', '.join(words)}")
        return True

    return check


def _parses(parse: Callable[[Any], object]) -> Callable[[Any], bool]:
    """A check that ``parse`` takes the value (else its ValueError says why)."""
    return lambda value: parse(value) is not None


@dataclasses.dataclass(frozen=True)
class Settings:
    aliases: Path | None = _setting(None, "alias file or folder (None: the bundled table)")
    redis_url: str | None = _setting(None, "Redis holding the table (None: embedded store)")
    redis_cluster_nodes: str | None = _setting(None, "Redis Cluster nodes, host:port,...")
    redis_prefix: str = _setting("normalizer", "prefix of every Redis key", bool)
    redis_timeout: float = _setting(0.5, "seconds before a lookup gives up on Redis", _positive)
    redis_refresh: float = _setting(0.5, "seconds a worker trusts its version unchecked")
    redis_grace: float = _setting(60.0, "seconds a replaced version stays readable")
    redis_cache: int = _setting(100_000, "values a worker caches per version (0: none)")
    answer_cache: int = _setting(
        32 << 20, "bytes of finished answers a worker keeps for names asked again (0: none)"
    )
    redis_tune: bool = _setting(True, "a load may raise Redis' hash-max-listpack-value")
    threshold: float = _setting(0.9, "lowest score of a confident match", _share)
    margin: float = _setting(0.05, "lead a match needs over the next entity", _share)
    max_batch: int = _setting(1000, "names per POST /v1/resolve", _positive)
    max_name_length: int = _setting(512, "characters per name", _positive)
    max_text_length: int = _setting(1_000_000, "characters per POST /v1/annotate text", _positive)
    max_limit: int = _setting(50, "largest limit accepted", _positive)
    default_limit: int = _setting(5, "candidates returned when limit is not given", _positive)
    max_content_length: int = _setting(1024 * 1024, "bytes per request body", _positive)
    request_budget: float = _setting(10.0, "seconds a request may take (then 503)", _positive)
    resolving: int = _setting(2, "requests a worker resolves at once (others wait)", _positive)
    admin_token: str | None = _setting(None, "bearer token of POST /v1/admin/reload")
    api_keys: str | None = _setting(
        None,
        "keys of the lookups, id=secret,... (None: open)",
        _parses(parse_api_keys),
        secret=True,
    )
    cors_origins: str = _setting(
        "*", "origins browsers may call from (none: off)", _parses(parse_cors_origins)
    )
    log_format: str = _setting("json", "json or text", _one_of("json", "text"))
    request_log: bool = _setting(True, "a log line per request")
    follow_files: bool = _setting(True, "the embedded store reloads edited alias files")
    compile_workers: int | None = _setting(
        None, "processes reading a big table for the embedded store (None: by processors)"
    )
    review: bool = _setting(False, "queue names without a confident match for review")
    review_path: Path = _setting(
        Path("normalizer-review.sqlite3"), "review queue's SQLite file (embedded store)"
    )
    review_size: int = _setting(10_000, "names the review queue keeps at most", _positive)
    review_retention: float = _setting(30.0, "days a queued name is kept after last seen")

    @classmethod
    def load(
        cls, environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
    ) -> Settings:
        """Settings from ``environ`` (the process environment by default), then
        ``overrides``: setting names in capitals without the prefix ("THRESHOLD"), with
        values typed or as strings; other keys are ignored. Raises SettingsError."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            for variable in _variables(field.name):
                if variable in environ:
                    values[field.name] = _parse(field, variable, environ[variable])
                    break
        for key, value in (overrides or {}).items():
            name = key.lower()
            if name in _FIELDS:
                values[name] = _parse(_FIELDS[name], key, value)
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        """These settings with ``changes`` (typed values, None kept out: not given)."""
        given = {
            name: _parse(_FIELDS[name], name, value)
            for name, value in changes.items()
            if value is not None
        }
        return dataclasses.replace(self, **given)

    @property
    def alias_path(self) -> Path:
        return self.aliases or bundled_aliases()

    @property
    def uses_redis(self) -> bool:
        return bool(self.redis_url or self.redis_cluster_nodes)


_FIELDS = {field.name: field for field in dataclasses.fields(Settings)}
_REDIS_TARGETS = {"redis_url": "REDIS_URL", "redis_cluster_nodes": "REDIS_CLUSTER_NODES"}


def variable(name: str) -> str:
    """The environment variable of a setting."""
    return PREFIX + name.upper()


def _variables(name: str) -> list[str]:
    """The variables a setting is read from, the first found winning."""
    plain = _REDIS_TARGETS.get(name)
    return [variable(name), plain] if plain else [variable(name)]


def _parse(field: dataclasses.Field[Any], source: str, raw: Any) -> Any:
    """A setting's value from a string (or a typed value), checked; ``source`` names where
    it came from in the message."""
    kind = str(field.type)
    shown = "<hidden>" if field.metadata["secret"] else repr(raw)
    check = field.metadata["check"]
    try:
        value = _convert(kind, raw)
        allowed = value is None or check is None or check(value)
    except ValueError as error:
        raise SettingsError(f"{source}={shown}: {error}") from None
    if not allowed:
        raise SettingsError(f"{source}={shown}: not allowed for {field.metadata['what']}")
    return value


def _convert(kind: str, raw: Any) -> Any:
    optional = kind.endswith("| None")
    if raw is None or (optional and raw == ""):
        if optional:
            return None
        raise ValueError("a value is needed")
    base = kind.removesuffix(" | None")
    if base == "bool":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in TRUE_WORDS | FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError("not a yes/no value (true, false, 1, 0, yes, no, on, off)")
    if base in ("int", "float"):
        if isinstance(raw, bool):
            raise ValueError("not a number")
        number = _number(raw, integer=base == "int")
        if number < 0:
            raise ValueError("must not be negative")
        return number
    if base == "Path":
        return Path(raw)
    if not isinstance(raw, str):
        raise ValueError("not a string")
    return raw


def _number(raw: Any, integer: bool) -> int | float:
    if isinstance(raw, int | float):
        number: int | float = raw
    else:
        text = str(raw).strip()
        # Python's int() and float() take "3_0", "+3" and other scripts' digits; a
        # setting is plain ASCII digits.
        if not text.isascii() or "_" in text or not text:
            raise ValueError("not a number")
        try:
            number = int(text) if integer else float(text)
        except ValueError:
            raise ValueError("not a whole number" if integer else "not a number") from None
    if integer and (not isinstance(number, int) and not float(number).is_integer()):
        raise ValueError("not a whole number")
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return int(number) if integer else float(number)
