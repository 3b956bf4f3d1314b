"""The HTTP API: the app factory, problem+json errors, and one blueprint per concern."""

from normalizer.web.app import create_app

__all__ = ["create_app"]
