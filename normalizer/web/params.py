"""Request parameters, checked: each bad value is a BadRequest naming its field."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from normalizer.exc import BadRequest
from normalizer.web.context import settings

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def name(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise BadRequest(f"{field} must be a string", field=field)
    if not value.strip():
        raise BadRequest(f"{field} is empty", field=field)
    limit = settings().max_name_length
    if len(value) > limit:
        raise BadRequest(f"{field} is longer than {limit} characters", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{field} is not valid Unicode (lone surrogate)", field=field) from None
    return value


def entity_type(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise BadRequest("type must be a non-empty string", field="type")
    return value


def limit(value: Any) -> int:
    if value is None:
        return settings().default_limit
    most = settings().max_limit
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise BadRequest("limit must be a whole number", field="limit") from None
    if isinstance(value, bool) or isinstance(value, float) or not 1 <= number <= most:
        raise BadRequest(f"limit must be a whole number from 1 to {most}", field="limit")
    return number


def flag(value: Any, field: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.lower() in TRUE_WORDS | FALSE_WORDS:
        return value.lower() in TRUE_WORDS
    raise BadRequest(f"{field} must be true or false", field=field)


def json_object(allowed: frozenset[str], what: str) -> dict[str, Any]:
    """The request body: a JSON object of ``allowed`` fields (``what`` describes it)."""
    try:
        body = json.loads(request.get_data())
    except ValueError as error:
        raise BadRequest(f"the body is not valid JSON: {error}", field="body") from None
    except RecursionError:
        raise BadRequest("the body is nested too deeply", field="body") from None
    if not isinstance(body, dict):
        raise BadRequest(f"the body must be a JSON object {what}", field="body")
    unknown = set(body) - allowed
    if unknown:
        raise BadRequest(
            f"unknown field(s): {', '.join(sorted(unknown))}", field=sorted(unknown)[0]
        )
    return body
