"""The JSON body of a request, read strictly: ``application/json`` in UTF-8, parsed by the
standard library, refused with 413 beyond the limit however it is sent. Its fields are
then checked by the request's model (web/params.py)."""

from __future__ import annotations

import json
from typing import Any

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from normalizer.exc import BadRequest, UnsupportedMediaType
from normalizer.web.context import settings


def json_body() -> Any:
    """The body's JSON value (any: the model says which it must be)."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(
            f"the body must be application/json, not {request.mimetype or 'untyped'}",
            field="Content-Type",
        )
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the body must be UTF-8, not {charset}", field="charset")
    try:
        return json.loads(_body().decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8", field="body") from None
    except ValueError as error:
        raise BadRequest(f"the body is not valid JSON: {error}", field="body") from None
    except RecursionError:
        raise BadRequest("the body is nested too deeply", field="body") from None


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
