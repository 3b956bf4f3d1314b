"""The service of the app handling the current request, for the blueprints."""

from __future__ import annotations

from flask import current_app

from normalizer.service import Service
from normalizer.settings import Settings

EXTENSION = "normalizer"


def service() -> Service:
    found: Service = current_app.extensions[EXTENSION]
    return found


def settings() -> Settings:
    return service().settings
