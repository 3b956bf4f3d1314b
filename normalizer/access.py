"""Who may call the service: the API keys and the CORS origins, as their settings write them
(``NORMALIZER_API_KEYS``, ``NORMALIZER_CORS_ORIGINS``). Parsed here, checked at start by
the settings, used by the web layer (web/auth.py, web/cors.py)."""

from __future__ import annotations

import re

# An API key's id names it in the metrics and the log; its secret is a bearer token.
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_KEY_SECRET = re.compile(r"[\x21-\x7e]{16,256}")
_ORIGIN = re.compile(r"https?://[^/\s,*]+")
OFF_WORDS = frozenset({"", "none"})


def parse_api_keys(value: str | None) -> dict[str, str]:
    """The API keys of ``NORMALIZER_API_KEYS`` ("id=secret,id=secret"), by secret; none when
    unset. Raises ValueError saying which entry is wrong (never showing a secret)."""
    keys: dict[str, str] = {}
    for number, entry in enumerate((value or "").split(","), start=1):
        key_id, equals, secret = entry.strip().partition("=")
        if not entry.strip():
            continue
        if not equals or not _KEY_ID.fullmatch(key_id):
            raise ValueError(
                f"entry {number} is not id=secret with an id of letters, digits, '_', '.', '-'"
            )
        if not _KEY_SECRET.fullmatch(secret) or "," in secret:
            raise ValueError(
                f"the secret of {key_id!r} must be 16 to 256 printable ASCII characters, "
                "without spaces or commas"
            )
        if key_id in keys.values() or secret in keys:
            raise ValueError(f"the id or the secret of {key_id!r} is given twice")
        keys[secret] = key_id
    if value and not keys:
        raise ValueError("no key given (leave it unset for none)")
    return keys


def parse_cors_origins(value: str) -> list[str]:
    """The origins of ``NORMALIZER_CORS_ORIGINS``: ["*"], a list, or none (CORS off).
    Raises ValueError naming a malformed origin."""
    if value.strip().lower() in OFF_WORDS:
        return []
    origins = [origin.strip() for origin in value.split(",") if origin.strip()]
    if origins == ["*"]:
        return origins
    for origin in origins:
        if not _ORIGIN.fullmatch(origin):
            raise ValueError(
                f"{origin!r} is not an origin such as https://example.org (or *, or none)"
            )
    return origins
