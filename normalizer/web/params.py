"""Request parameters, checked: each bad value is a BadRequest naming its field."""

from __future__ import annotations

import json
import sys
from typing import Any

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from normalizer.exc import BadRequest, UnsupportedMediaType
from normalizer.settings import FALSE_WORDS, TRUE_WORDS
from normalizer.web.context import settings


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


def limit_in_query(value: str | None) -> int:
    """``limit`` from a query string: ASCII digits (no sign, no other script's digits)."""
    if value is None:
        return settings().default_limit
    if not (value.isascii() and value.isdigit()):
        raise BadRequest("limit must be a whole number in ASCII digits", field="limit")
    # int() refuses more than 4,300 digits, leading zeros too (a ValueError: a 500); a
    # number that long is out of range whatever its digits.
    digits = value.lstrip("0") or "0"
    return _limit(int(digits) if len(digits) <= 9 else sys.maxsize)


def limit_in_json(value: Any) -> int:
    """``limit`` from a JSON body: a JSON integer (not a string, a float or a boolean)."""
    if value is None:
        return settings().default_limit
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest("limit must be a JSON integer", field="limit")
    return _limit(value)


def _limit(number: int) -> int:
    most = settings().max_limit
    if not 1 <= number <= most:
        raise BadRequest(f"limit must be a whole number from 1 to {most}", field="limit")
    return number


def flag_in_query(value: str | None, field: str) -> bool:
    """A yes/no query parameter: true/false, yes/no, on/off or 1/0 (any case)."""
    if value is None:
        return False
    word = value.lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise BadRequest(f"{field} must be true or false (yes/no, on/off, 1/0)", field=field)
    return word in TRUE_WORDS


def flag_in_json(value: Any, field: str) -> bool:
    """A yes/no field of a JSON body: a JSON boolean."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise BadRequest(f"{field} must be a JSON boolean (true or false)", field=field)
    return value


def json_object(allowed: frozenset[str], what: str) -> dict[str, Any]:
    """The request body: a JSON object in UTF-8 (``application/json``) of ``allowed`` fields
    (``what`` describes it)."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(
            f"the body must be application/json, not {request.mimetype or 'untyped'}",
            field="Content-Type",
        )
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the body must be UTF-8, not {charset}", field="charset")
    try:
        body = json.loads(_body().decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8", field="body") from None
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


def _body() -> bytes:
    """The body, refused with 413 beyond the limit however it is sent. Werkzeug checks a
    Content-Length, but cuts a chunked body (no length) at the limit without a word; so
    that one is read from the server's input itself, a byte past the limit."""
    limit = settings().max_content_length
    if request.content_length is not None:
        return request.get_data()
    data: bytes = request.environ["wsgi.input"].read(limit + 1)
    if len(data) > limit:
        raise RequestEntityTooLarge()
    return data
