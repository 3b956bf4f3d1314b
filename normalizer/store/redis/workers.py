"""Forked load processes and the typed messages they exchange with the parent.

A load forks its workers (``normalizer load`` only: a process of its own), one pipe each.
Messages are small dataclasses; bulky payloads follow a message as raw bytes. A worker
reports how far it has come (``Progress``: one shape for every stage) and, on any error,
its last word (``Failed``); the parent sums progress over the workers and raises a worker's
error as its own. A worker whose parent has gone stops between round trips.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar, cast


class Message:
    """What crosses a pipe between a load and its workers."""


@dataclass(frozen=True)
class Progress(Message):
    stage: str
    done: int


@dataclass(frozen=True)
class Failed(Message):
    error: BaseException


M = TypeVar("M", bound=Message)
# How far the load has come, over every worker: stage, done, total.
ProgressReport = Callable[[str, int, int], None]


class Channel:
    """A worker's end of its pipe."""

    def __init__(self, pipe: Connection, number: int, parent: int) -> None:
        self.pipe = pipe
        self.number = number
        self._parent = parent

    def send(self, message: Message) -> None:
        self.pipe.send(message)

    def receive(self, kind: type[M]) -> M:
        message = self.pipe.recv()
        if not isinstance(message, kind):
            raise RuntimeError(f"load worker {self.number} got {message!r}, not a {kind}")
        return message

    def send_bytes(self, data: bytes) -> None:
        self.pipe.send_bytes(data)

    def receive_bytes(self) -> bytes:
        return self.pipe.recv_bytes()

    def progress(self, stage: str, done: int) -> None:
        self.send(Progress(stage, done))

    def parent_alive(self) -> bool:
        """False once the load that forked this worker has ended (it was given up)."""
        return os.getppid() == self._parent

    def fail(self, error: BaseException) -> None:
        """The worker's last word: its error, for the parent to raise."""
        try:
            self.send(Failed(error))
        except Exception:  # an error that does not pickle
            self.send(Failed(RuntimeError(repr(error))))


Work = Callable[[Channel], None]


def _run(work: Work, channel: Channel) -> None:
    try:
        work(channel)
    except BaseException as error:
        channel.fail(error)
    finally:
        channel.pipe.close()


class Workers:
    """Forked processes running ``work`` each, with a pipe to each, in worker order."""

    def __init__(self, works: Sequence[Work], progress: ProgressReport) -> None:
        self.works = works
        self.progress = progress
        self.total = 0  # what the progress of a stage is out of, once known
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        self._done: dict[str, list[int]] = {}

    def __enter__(self) -> Workers:
        context = multiprocessing.get_context("fork")
        parent = os.getpid()
        for number, work in enumerate(self.works):
            ours, theirs = context.Pipe()
            channel = Channel(theirs, number, parent)
            process = context.Process(target=_run, args=(work, channel), daemon=True)
            process.start()
            theirs.close()
            self.pipes.append(ours)
            self.processes.append(process)
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for pipe in self.pipes:
            pipe.close()

    def __len__(self) -> int:
        return len(self.pipes)

    def send(self, worker: int, message: Message) -> None:
        self._sending(worker, lambda pipe: pipe.send(message))

    def send_bytes(self, worker: int, data: bytes) -> None:
        self._sending(worker, lambda pipe: pipe.send_bytes(data))

    def broadcast(self, message: Message) -> None:
        for worker in range(len(self.pipes)):
            self.send(worker, message)

    def _sending(self, worker: int, send: Callable[[Connection], None]) -> None:
        """Send to ``worker``; if it has ended, raise the error it ended with."""
        pipe = self.pipes[worker]
        try:
            send(pipe)
        except OSError:  # a broken pipe: it failed, and said why before it ended
            try:
                while pipe.poll(1.0):
                    message = pipe.recv()
                    if isinstance(message, Failed):
                        raise message.error from None
            except (EOFError, OSError):
                pass
            raise RuntimeError(f"load worker {worker} died") from None

    def gather(self, kind: type[M]) -> list[M]:
        """Every worker's next message of ``kind``, in worker order. Whichever worker
        speaks is heard first: progress is reported as it comes, an error raised at once."""
        found: dict[int, M] = {}
        waiting = {pipe: worker for worker, pipe in enumerate(self.pipes)}
        while waiting:
            for ready in multiprocessing.connection.wait(list(waiting)):
                worker = waiting[cast(Connection, ready)]
                message = self._next(worker, kind)
                if message is not None:
                    found[worker] = message
                    del waiting[cast(Connection, ready)]
        return [found[worker] for worker in range(len(self.pipes))]

    def gather_one(self, worker: int, kind: type[M]) -> M:
        while (message := self._next(worker, kind)) is None:
            pass
        return message

    def _next(self, worker: int, kind: type[M]) -> M | None:
        """A worker's next message if it is of ``kind``; None for progress (reported)."""
        try:
            message = self.pipes[worker].recv()
        except EOFError:
            raise RuntimeError(f"load worker {worker} died") from None
        if isinstance(message, Progress):
            by_worker = self._done.setdefault(message.stage, [0] * len(self.pipes))
            by_worker[worker] = message.done
            self.progress(message.stage, sum(by_worker), self.total)
            return None
        if isinstance(message, Failed):
            raise message.error
        if isinstance(message, kind):
            return message
        raise RuntimeError(f"load worker {worker} said {message!r}, not a {kind.__name__}")

    def receive_bytes(self, worker: int) -> bytes:
        return self.pipes[worker].recv_bytes()
