"""Settings: defaults, overridden by ``NORMALIZER_*`` environment variables or test config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).parent


def bundled_aliases() -> Path:
    """The curated table: inside an installed wheel, else the checkout's ``aliases/``."""
    installed = _PACKAGE / "bundled_aliases"
    return installed if installed.is_dir() else _PACKAGE.parent / "aliases"


DEFAULTS: dict[str, Any] = {
    "ALIASES": None,  # None: the bundled table
    "REDIS_URL": None,  # None: the embedded in-process store
    "THRESHOLD": 0.85,
    "MARGIN": 0.05,
    "MAX_BATCH": 1000,
    "MAX_NAME_LENGTH": 512,
    "MAX_LIMIT": 50,
    "DEFAULT_LIMIT": 5,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "ADMIN_TOKEN": None,
}
