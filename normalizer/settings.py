"""Settings: defaults, overridden by ``NORMALIZER_*`` environment variables or test config.

Redis is found, as is customary, through ``REDIS_URL`` (or ``REDIS_CLUSTER_NODES``) too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).parent


def bundled_aliases() -> Path:
    """The curated table: inside an installed wheel, else the checkout's ``aliases/``."""
    installed = _PACKAGE / "bundled_aliases"
    return installed if installed.is_dir() else _PACKAGE.parent / "aliases"


DEFAULTS: dict[str, Any] = {
    "ALIASES": None,  # None: the bundled table
    "REDIS_URL": None,  # None (and no REDIS_URL): the embedded in-process store
    "REDIS_CLUSTER_NODES": None,  # "host:port,host:port": Redis Cluster
    "REDIS_PREFIX": "normalizer",
    "REDIS_TIMEOUT": 0.5,  # seconds; a lookup answers 503 after at most this
    "REDIS_REFRESH": 0.5,  # seconds a worker trusts its table version without a check
    "REDIS_GRACE": 60,  # seconds a replaced table version stays readable
    "REDIS_CACHE": 100_000,  # values (or absences) a worker keeps of the version in force
    "REDIS_TUNE": True,  # a load may raise hash-max-listpack-value (see redis_load)
    "THRESHOLD": 0.85,
    "MARGIN": 0.05,
    "MAX_BATCH": 1000,
    "MAX_NAME_LENGTH": 512,
    "MAX_LIMIT": 50,
    "DEFAULT_LIMIT": 5,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "ADMIN_TOKEN": None,
}


def redis_target(config: Mapping[str, Any], testing: bool = False) -> tuple[str | None, str | None]:
    """The Redis URL and cluster nodes, from the config, else from ``REDIS_URL`` and
    ``REDIS_CLUSTER_NODES``; (None, None) for the embedded store, which a config value of
    "" asks for explicitly. Tests ignore the plain variables, so that a developer's shell
    never points them at a real Redis."""
    url, nodes = config.get("REDIS_URL"), config.get("REDIS_CLUSTER_NODES")
    if url is None and nodes is None and not testing:
        url, nodes = os.environ.get("REDIS_URL"), os.environ.get("REDIS_CLUSTER_NODES")
    return url or None, nodes or None
