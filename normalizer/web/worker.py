"""The gunicorn worker of ``normalizer serve``: gunicorn's threaded worker, made safe
against slow clients, with gunicorn's own errors written as problem+json.

A thread of gunicorn's gthread worker that starts reading a request blocks until the
whole head has arrived: a client that sends its headers (or a body shorter than its
Content-Length) a byte at a time holds the thread for as long as it likes, and gunicorn
has no header timeout. Here a request's head must arrive within a few seconds of its
first byte and its body within the request budget; past either, the client gets a 408
and the thread is free. (A client that opens more slow connections than there are
threads still makes others wait: a buffering proxy in front is the remedy; see README.)
"""

from __future__ import annotations

import contextlib
import json
import math
import socket
import time
from typing import Any

from gunicorn import util
from gunicorn.http.parser import RequestParser
from gunicorn.workers.gthread import TConn, ThreadWorker
from werkzeug.exceptions import RequestTimeout

from normalizer.settings import Settings

PROBLEM_JSON = "application/problem+json"
# What a closing connection may still take in (within gunicorn's 2 s) so that a client
# sending a body refused early (a 413) finishes sending and reads the answer, not a reset.
LINGER_BYTES = 16 << 20
# Seconds from the first byte of a request to the end of its head (request line and
# headers): any real client sends those few hundred bytes at once.
HEAD_SECONDS = 5.0
# gunicorn's own messages, where a reader needs more than its wording.
_DETAILS = {
    414: "the request line is too long; send long names in the body of a POST /v1/resolve",
    431: "the request headers are too large",
}


class SlowRequest(RequestTimeout):
    """The request did not arrive within its time; a 408 whether gunicorn or the app
    was reading it."""

    description = "the request did not arrive in time; send it again, at once"


class _DeadlineSocket:
    """A connection's socket for reading, that gives up at the connection's deadline."""

    def __init__(self, sock: socket.socket, conn: _Connection) -> None:
        self.sock = sock
        self.conn = conn

    def recv(self, size: int) -> bytes:
        conn = self.conn
        if conn.read_deadline is None:  # the first read of a request's head
            conn.read_deadline = time.monotonic() + HEAD_SECONDS
        # gunicorn bounds its own reads (draining an unread body) with a socket timeout:
        # the earlier of the two applies.
        bound = self.sock.gettimeout()
        left = conn.read_deadline - time.monotonic()
        if left <= 0:
            raise SlowRequest()
        self.sock.settimeout(left if bound is None else min(bound, left))
        try:
            return self.sock.recv(size)
        except TimeoutError:
            if time.monotonic() >= conn.read_deadline:
                raise SlowRequest() from None
            raise
        finally:
            self.sock.settimeout(bound)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


class _Connection(TConn):  # type: ignore[misc]
    # When the part of the request being read must have arrived; None: from its first read.
    read_deadline: float | None = None
    lingered = False  # closed gracefully by its thread

    def init(self) -> None:
        super().init()
        # HTTP/1 only: HTTP/2 (off unless configured) keeps gunicorn's reading.
        if isinstance(self.parser, RequestParser):
            self.parser.unreader.sock = _DeadlineSocket(self.sock, self)

    def close(self, graceful: bool = False) -> None:
        if self.lingered:
            return  # closed already, by the thread that handled it
        super().close(graceful)


class ProblemWorker(ThreadWorker):  # type: ignore[misc]
    """gthread with a read deadline per request and problem+json errors."""

    def init_process(self) -> None:
        # gunicorn writes its errors (bad request line, 414, 431, its 500) with this
        # function, as HTML; in this worker's process they are problem+json.
        util.write_error = write_problem
        self.read_budget = Settings.load().request_budget
        super().init_process()

    def accept(self, listener: socket.socket) -> None:
        # gthread's accept with our connection class (gunicorn names TConn inside it).
        try:
            client, address = listener.accept()
        except (BlockingIOError, ConnectionAbortedError):
            return  # another worker took it, or the client left
        self.nr_conns += 1
        client.setblocking(True)
        self.enqueue_req(_Connection(self.cfg, client, address, listener.getsockname()))

    def handle(self, conn: _Connection) -> Any:
        conn.read_deadline = None
        keep = super().handle(conn)
        if keep is False:
            # gunicorn's graceful close waits up to 2 s for the client to close too (so that
            # a client still sending reads the answer, not a reset), in the worker's main
            # loop, where one client that neither reads nor closes would stall every
            # connection of the worker. Here it waits in this thread.
            util.close_graceful(conn.sock, max_drain=LINGER_BYTES)
            conn.lingered = True
        return keep

    def handle_request(self, req: Any, conn: _Connection) -> Any:
        # The head is in; the app reads the body, which has the request budget.
        conn.read_deadline = time.monotonic() + self.read_budget
        try:
            return super().handle_request(req, conn)
        finally:
            # Answered: what is left of the body gunicorn drains under its own bound.
            conn.read_deadline = math.inf

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if isinstance(exc, SlowRequest):
            self.log.warning("request from %s did not arrive in time", addr and addr[0])
            write_problem(client, 408, "Request Timeout", str(exc.description))
            # No lingering for a client that does not send: closed at once.
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)
            return
        super().handle_error(req, client, addr, exc)


def write_problem(sock: socket.socket, status: int, reason: str, message: str) -> None:
    """gunicorn's error response, as an RFC 9457 problem document."""
    detail = _DETAILS.get(status, message or reason)
    body = json.dumps(
        {"type": "about:blank", "title": reason, "status": status, "detail": detail}
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
        f"Content-Type: {PROBLEM_JSON}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)
