"""Hostile input, one row each with the status it must get: through Flask's test client, and
through the production server (``normalizer serve``) where gunicorn reads the bytes first.

Every answer is a 2xx, or a 4xx problem+json naming the problem: never a 5xx, never HTML.
test_api.py and test_production_server.py hold the strictness tests of the API's own rules
(each parameter's bad values, gunicorn's limits); this table is the attacker's view, the
issue's list: invalid UTF-8, lone surrogates, null bytes, bidi and zero-width controls,
1 MB bodies, deep nesting, non-string names, wrong content types, huge numbers, path
traversal, header injection.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from flask.testing import FlaskClient
from serving import exchange, serving

from normalizer.settings import Settings

PROBLEM_JSON = "application/problem+json"
HANG = 60.0  # seconds: only a hang takes this long
TOMASZ = "tomasz-wierzbicki"


class Row(NamedTuple):
    method: str
    url: str
    body: bytes | None = None
    content_type: str | None = None
    status: int = 200
    # A 4xx: the field the problem names. A 200: the entity matched (or "" for no match).
    field_or_match: str | None = None


def body(document: Any) -> bytes:
    return json.dumps(document).encode()


def batch(*names: Any, **fields: Any) -> bytes:
    return body({"names": list(names), **fields})


def one_name_of(size: int) -> bytes:
    """A batch of one name of "a"s, ``size`` bytes in all."""
    data = batch("a" * (size - len(batch(""))))
    assert len(data) == size
    return data


JSON = "application/json"
BODY_LIMIT = Settings.max_content_length  # 1 MiB

ROWS = {
    # Invalid UTF-8 in the query string: werkzeug keeps the bytes it cannot decode as
    # their %XX text, so the name read is the name as sent, never one with characters
    # invented (U+FFFD) or mis-decoded.
    "query: invalid UTF-8": Row("GET", "/v1/resolve?name=%FF%FEab", field_or_match=""),
    "query: UTF-8 of a surrogate": Row("GET", "/v1/resolve?name=%ED%A0%80", field_or_match=""),
    "query: overlong UTF-8 slash": Row("GET", "/v1/resolve?name=%C0%AF", field_or_match=""),
    # Lone surrogates: JSON can carry them, UTF-8 cannot; refused, naming the name.
    "json: lone high surrogate": Row(
        "POST", "/v1/resolve", b'{"names": ["Tomasz \\ud800"]}', JSON, 400, "names[0]"
    ),
    "json: lone low surrogate": Row(
        "POST", "/v1/resolve", b'{"names": ["ok", "\\udfff"]}', JSON, 400, "names[1]"
    ),
    "json: a surrogate pair is one character": Row(
        "POST", "/v1/resolve", b'{"names": ["\\ud83d\\ude00"]}', JSON, 200, ""
    ),
    # Null bytes: a separator like any other mark, not an end of the name.
    "query: null byte": Row("GET", "/v1/resolve?name=Tomasz%00Wierzbicki", field_or_match=TOMASZ),
    "json: null byte": Row("POST", "/v1/resolve", batch("Tomasz\x00Wierzbicki"), JSON, 200, TOMASZ),
    "entity id: null byte": Row(
        "GET", f"/v1/entities/{TOMASZ}%00", status=404, field_or_match="id"
    ),
    # Bidi and zero-width controls: invisible, so they neither hide a name nor make one.
    "json: right-to-left override": Row(
        "POST", "/v1/resolve", batch("Tomasz \u202eWierzbicki\u202c"), JSON, 200, TOMASZ
    ),
    "json: zero-width space inside": Row(
        "POST", "/v1/resolve", batch("Tom\u200basz Wierz\u200dbicki"), JSON, 200, TOMASZ
    ),
    "json: byte order mark first": Row(
        "POST", "/v1/resolve", batch("\ufeffTomasz Wierzbicki"), JSON, 200, TOMASZ
    ),
    "json: only invisible controls": Row(
        "POST", "/v1/resolve", batch("\u200b\u200f\u202e\u2066"), JSON, 200, ""
    ),
    # 1 MB bodies: one byte over the limit is 413, under it the name is too long (400).
    "json: 1 MiB and a byte": Row("POST", "/v1/resolve", one_name_of(BODY_LIMIT + 1), JSON, 413),
    "json: 1 MiB, a name of it all": Row(
        "POST", "/v1/resolve", one_name_of(BODY_LIMIT), JSON, 400, "names[0]"
    ),
    "json: 1 MiB of whitespace": Row("POST", "/v1/resolve", b" " * BODY_LIMIT, JSON, 400, "body"),
    # Deep nesting, where a name or a number is expected.
    "json: 100k '[' as a limit": Row(
        "POST",
        "/v1/resolve",
        b'{"names": ["x"], "limit": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        JSON,
        400,
        "body",
    ),
    "json: 100k nested objects": Row(
        "POST", "/v1/resolve", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, JSON, 400, "body"
    ),
    # Names that are not strings.
    "json: a name true": Row("POST", "/v1/resolve", batch("x", True), JSON, 400, "names[1]"),
    "json: a name 1e308": Row("POST", "/v1/resolve", batch(1e308), JSON, 400, "names[0]"),
    "json: a name object": Row("POST", "/v1/resolve", batch({"name": "x"}), JSON, 400, "names[0]"),
    "json: names an object": Row(
        "POST", "/v1/resolve", body({"names": {"0": "x"}}), JSON, 400, "names"
    ),
    # Content types that are not JSON, or no content type at all.
    "multipart form": Row(
        "POST", "/v1/resolve", b"--b\r\n\r\nx\r\n--b--\r\n", "multipart/form-data; boundary=b", 415
    ),
    "xml": Row("POST", "/v1/resolve", b"<names><n>x</n></names>", "application/xml", 415),
    "no content type": Row("POST", "/v1/resolve", batch("x"), None, 415, "Content-Type"),
    "json with a charset of latin-1": Row(
        "POST", "/v1/resolve", batch("x"), "application/json; charset=latin-1", 415
    ),
    # Huge numbers for limit.
    "query: limit 10**100": Row(
        "GET", f"/v1/resolve?name=x&limit={10**100}", status=400, field_or_match="limit"
    ),
    "query: limit of 5,000 digits": Row(
        "GET", "/v1/resolve?name=x&limit=" + "9" * 5000, status=400, field_or_match="limit"
    ),
    "query: limit 5 after 5,000 zeros": Row(
        "GET", "/v1/resolve?name=x&limit=" + "0" * 5000 + "5", field_or_match=""
    ),
    "json: limit 10**100": Row(
        "POST", "/v1/resolve", batch("x", limit=10**100), JSON, 400, "limit"
    ),
    "json: limit 1e100": Row(
        "POST", "/v1/resolve", b'{"names": ["x"], "limit": 1e100}', JSON, 400, "limit"
    ),
    "json: limit of 5,000 digits": Row(
        "POST", "/v1/resolve", b'{"names": ["x"], "limit": ' + b"9" * 5000 + b"}", JSON, 400
    ),
    # Path traversal in entity ids: an id is looked up, never a path; ".." is an id.
    "entity id: ..%2F..%2Fetc%2Fpasswd": Row(
        "GET", "/v1/entities/..%2F..%2Fetc%2Fpasswd", None, None, 404
    ),
    "entity id: %2e%2e": Row("GET", "/v1/entities/%2e%2e", status=404, field_or_match="id"),
    "entity id: ..\\..\\windows": Row(
        "GET", "/v1/entities/..%5C..%5Cwindows", status=404, field_or_match="id"
    ),
    "entity id: double-encoded": Row(
        "GET", "/v1/entities/%252e%252e%252fetc", status=404, field_or_match="id"
    ),
    "entity id: another record's key": Row(
        "GET", f"/v1/entities/e:{TOMASZ}", status=404, field_or_match="id"
    ),
    "type: a path": Row(
        "GET", "/v1/resolve?name=x&type=../../etc/passwd", status=400, field_or_match="type"
    ),
}


def check_answer(status: int, content_type: str, text: str, row: Row) -> dict[str, Any]:
    """The row's status; a problem+json document for an error, JSON for an answer."""
    assert status == row.status, text[:300]
    assert not text.lstrip().startswith("<")
    document: dict[str, Any] = json.loads(text)
    if status >= 400:
        assert content_type == PROBLEM_JSON
        assert document["status"] == status and document["detail"]
        if row.field_or_match is not None:
            assert document["field"] == row.field_or_match, document
    else:
        assert content_type == "application/json"
    return document


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_hostile_input(client: FlaskClient, row: Row) -> None:
    headers = {"Content-Type": row.content_type} if row.content_type else {}
    response = client.open(row.url, method=row.method, data=row.body, headers=headers)
    document = check_answer(response.status_code, response.mimetype or "", response.text, row)
    if response.status_code == 200:
        (result,) = document.get("results", [document])
        match = result["match"]["id"] if result["match"] else ""
        assert match == row.field_or_match, result


def test_a_name_read_from_invalid_utf8_is_the_text_sent(client: FlaskClient) -> None:
    """The bytes that are not UTF-8 stay as their %XX text: nothing is invented."""
    response = client.get("/v1/resolve?name=%FF%FEab")
    assert response.get_json()["query"] == "%FF%FEab"


# --- through gunicorn --------------------------------------------------------------------

HEAD = b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
HEADER_LINE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+: [^\r\n]*")


class Answer(NamedTuple):
    status: int
    headers: list[tuple[str, str]]
    text: str


@pytest.fixture(scope="module")
def server(alias_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``normalizer serve`` with its defaults."""
    with serving(alias_file, tmp_path_factory.mktemp("serve"), workers=2, env={}) as base:
        yield base


def send(base: str, data: bytes) -> Answer:
    """Bytes as they are, to a fresh connection; the answer, its header lines checked."""
    head, _, rest = exchange(base, data, HANG).partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    # Each header on a line of its own: no CR or LF of a request's made it into one.
    assert all(HEADER_LINE.fullmatch(line) for line in lines), lines
    headers = [(name.lower(), value) for name, value in (line.split(": ", 1) for line in lines)]
    return Answer(int(status_line.split()[1]), headers, rest.decode())


# Past gunicorn, X-Request-ID is the service's to honour or replace (web/request_log.py; its
# own tests say which): here any 2xx, or a 4xx problem, will do; never a 5xx, never an
# injected header.
ANY = 0

RAW_ROWS = {
    "query: raw bytes not UTF-8": (b"GET /v1/resolve?name=\xff\xfeab" + HEAD + b"\r\n", 400),
    "query: raw null byte": (b"GET /v1/resolve?name=a\x00b" + HEAD + b"\r\n", 400),
    "entity id: raw null byte": (b"GET /v1/entities/a\x00b" + HEAD + b"\r\n", 400),
    "query: percent-encoded bytes not UTF-8": (
        b"GET /v1/resolve?name=%FF%FEab" + HEAD + b"\r\n",
        200,
    ),
    "entity id: ../../etc/passwd": (b"GET /v1/entities/../../etc/passwd" + HEAD + b"\r\n", 404),
    "entity id: ..%2F..%2Fetc%2Fpasswd": (
        b"GET /v1/entities/..%2F..%2Fetc%2Fpasswd" + HEAD + b"\r\n",
        404,
    ),
    "X-Request-ID: bare CR": (
        b"GET /healthz" + HEAD + b"X-Request-ID: a\rX-Injected: 1\r\n\r\n",
        400,
    ),
    "X-Request-ID: bare LF": (
        b"GET /healthz" + HEAD + b"X-Request-ID: a\nX-Injected: 1\r\n\r\n",
        400,
    ),
    "X-Request-ID: null byte": (b"GET /healthz" + HEAD + b"X-Request-ID: a\x00b\r\n\r\n", 400),
    "X-Request-ID: encoded CRLF": (
        b"GET /healthz" + HEAD + b"X-Request-ID: a%0d%0aX-Injected: 1\r\n\r\n",
        ANY,
    ),
    "X-Request-ID: bytes not UTF-8": (
        b"GET /healthz" + HEAD + b"X-Request-ID: a\xff\xfe\r\n\r\n",
        ANY,
    ),
    "X-Request-ID: 8,000 characters": (
        b"GET /healthz" + HEAD + b"X-Request-ID: " + b"a" * 8000 + b"\r\n\r\n",
        ANY,
    ),
    "query: limit of 5,000 digits": (
        b"GET /v1/resolve?name=x&limit=" + b"9" * 5000 + HEAD + b"\r\n",
        400,
    ),
}


@pytest.mark.parametrize(("data", "status"), RAW_ROWS.values(), ids=RAW_ROWS.keys())
def test_hostile_bytes_through_gunicorn(server: str, data: bytes, status: int) -> None:
    answer = send(server, data)
    content_type = dict(answer.headers).get("content-type", "").split(";")[0]
    if status == ANY:
        assert 200 <= answer.status < 500, answer
        status = answer.status
    check_answer(answer.status, content_type, answer.text, Row("GET", "", status=status))
    # Nothing a request smuggled in becomes a header of the answer.
    assert "x-injected" not in dict(answer.headers)


def test_a_limit_of_thousands_of_digits_is_out_of_range(client: FlaskClient) -> None:
    """Said in the API's words, not Python's (int() refuses over 4,300 digits)."""
    response = client.get("/v1/resolve", query_string={"name": "x", "limit": "9" * 5000})
    detail = response.get_json()["detail"]
    assert response.status_code == 400
    assert f"from 1 to {Settings.max_limit}" in detail and "sys." not in detail
