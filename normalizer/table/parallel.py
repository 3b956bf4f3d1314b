"""Reading and analysing a big table's entities in other processes while this one indexes
them: the compile of a million entities on two cores.

Two thirds of a compile are the parse, the validation and the analysis of each name (its
text keys, its packed record), which need nothing of the other entities. Workers do
those, a run of PART_LINES lines of a JSON Lines file (or a YAML file) each time, and send
back each entity analyzed (``analysis.Analyzed``); this process indexes them in the order of
the files (``Shard.of_analyzed``), so the table is the one a single process compiles, its
alias ids and version included. It also finds the ids defined twice across runs, as
``aliases.load.each_entity`` does within one.

Workers are fresh interpreters, sent runs and answering on their standard streams.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from normalizer.aliases.load import FirstDefined, each_entity
from normalizer.aliases.readers import Part, runs_of
from normalizer.bulk import no_cyclic_gc
from normalizer.exc import AliasProblem
from normalizer.table.analysis import Analyzed, analyzed

# Lines a worker reads at a time: a few MB of analysed names in flight, and each process's
# caches warm across a run.
PART_LINES = 4096
# Alias files from this size on (some 75,000 entities) are read by workers: 20,000 took
# 1.2 s either way, 50,000 2.9 s in one process and 2.5 with two workers.
PARALLEL_FROM_BYTES = 8 << 20
# Runs sent to a worker before its first answer is read: one it works on, one waiting.
IN_FLIGHT = 2
# Seconds a worker is given to end once the compile has: it may be reading a run.
WAIT_SECONDS = 5
# Workers for a big table: this process indexes what they analyse, and is the slowest of
# four.
MAX_WORKERS = 3


class _Read(NamedTuple):
    """A run read by a worker: its problems, its valid entities' ids and lines, and those
    entities analysed (none once the table has a problem: it will not be compiled)."""

    problems: list[AliasProblem]
    ids: list[str]
    lines: list[int]
    analyzed: list[Analyzed]


class _Failed(NamedTuple):
    error: BaseException


def _read(part: Part, analyse: bool) -> _Read:
    problems: list[AliasProblem] = []
    ids, lines, done = [], [], []
    for entity in each_entity([part], problems):
        ids.append(entity.id)
        lines.append(entity.line)
        if analyse:
            done.append(analyzed(entity))
    return _Read(problems, ids, lines, done)


def serve() -> None:
    """A worker (``python -c``): reads the runs it is sent on its standard input, until that
    ends, and answers each on its standard output (the one thing written there: anything
    else printed goes to its standard error)."""
    tasks, answers = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    with no_cyclic_gc():
        while True:
            try:
                part, analyse = pickle.load(tasks)
            except EOFError:  # the compile has no more runs
                return
            try:
                answer: _Read | _Failed = _read(part, analyse)
            except Exception as error:
                answer = _Failed(error)
            try:
                _answer(answer, answers)
            except BrokenPipeError:  # the compile has ended without this answer
                return
            if isinstance(answer, _Failed):
                return


def _answer(answer: _Read | _Failed, answers: BinaryIO) -> None:
    try:
        data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
    except Exception:  # an error that does not pickle: its text does
        assert isinstance(answer, _Failed)
        data = pickle.dumps(_Failed(RuntimeError(repr(answer.error))))
    answers.write(data)
    answers.flush()


class _Workers:
    """Worker processes, each sent runs in turn, whose answers are read in the runs' order.

    A fresh interpreter each, not ``multiprocessing``'s: a fork copies whatever lock
    another thread held then (a service has threads), and a spawn runs the caller's main
    module again."""

    def __init__(self, count: int) -> None:
        command = [sys.executable, "-c", "from normalizer.table.parallel import serve; serve()"]
        self.processes = [
            subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            for _ in range(count)
        ]

    def each(
        self, parts: Iterable[Part], analyse: Callable[[], bool]
    ) -> Iterator[tuple[Part, _Read]]:
        """Each run of ``parts`` with what a worker read of it, in order; ``analyse`` says,
        as each run is sent, whether its entities are still wanted analysed."""
        waiting: deque[tuple[Part, int]] = deque()
        runs = iter(parts)

        def send_next() -> None:
            if (part := next(runs, None)) is None:
                # Each exits once its last run is answered, its memory freed before this
                # process has read them all (the compile's peak is then).
                self._end_input()
                return
            worker = (waiting[-1][1] + 1) % len(self.processes) if waiting else 0
            tasks = self.processes[worker].stdin
            assert tasks is not None
            try:
                pickle.dump((part, analyse()), tasks, pickle.HIGHEST_PROTOCOL)
                tasks.flush()
            except OSError:
                raise self._ended(worker) from None
            waiting.append((part, worker))

        for _ in range(IN_FLIGHT * len(self.processes)):
            send_next()
        while waiting:
            part, worker = waiting.popleft()
            read = self._receive(worker)
            send_next()
            yield part, read

    def _receive(self, worker: int) -> _Read:
        answers = self.processes[worker].stdout
        assert answers is not None
        try:
            answer = pickle.load(answers)
        except (EOFError, OSError):
            raise self._ended(worker) from None
        if isinstance(answer, _Failed):
            raise answer.error
        read: _Read = answer
        return read

    def _ended(self, worker: int) -> RuntimeError:
        code = _waited(self.processes[worker])
        return RuntimeError(f"a compile worker ended unexpectedly (exit code {code})")

    def _end_input(self) -> None:
        for process in self.processes:
            assert process.stdin is not None
            try:
                process.stdin.close()  # the end of its runs: it exits
            except OSError:  # it has ended already
                pass

    def close(self) -> None:
        """End every worker: at once if the compile ended before reading all it was sent
        (its answers are not read: their writes fail)."""
        self._end_input()
        for process in self.processes:
            assert process.stdout is not None
            process.stdout.close()
        for process in self.processes:
            _waited(process)


def _waited(process: subprocess.Popen[bytes]) -> int:
    """``process``'s exit code, once it has ended: killed if it has not within WAIT_SECONDS
    (still reading a run it was sent)."""
    try:
        return process.wait(timeout=WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def analyzed_entities(
    files: list[Path], workers: int, problems: list[AliasProblem], run_lines: int = PART_LINES
) -> Generator[Analyzed, None, None]:
    """The valid entities of ``files`` analysed by ``workers`` other processes, in order, each
    problem appended to ``problems`` in the order one process would find it; none once a
    problem is found."""
    first = FirstDefined()
    started = _Workers(workers)
    try:
        for part, read in started.each(runs_of(files, run_lines), lambda: not problems):
            path = str(part.path)
            found = list(read.problems)
            for entity_id, line in zip(read.ids, read.lines, strict=True):
                if (again := first.again(entity_id, path, line)) is not None:
                    found.append(again)
            # A run's own problems, then those of ids its earlier runs defined: by line.
            problems.extend(sorted(found, key=lambda problem: problem.line))
            if not problems:
                yield from read.analyzed
    finally:
        started.close()


def workers_for(files: list[Path]) -> int:
    """Workers worth starting for ``files``: one a processor this process may use (at most
    MAX_WORKERS), for files of PARALLEL_FROM_BYTES and more; none below, nor on one
    processor (they would only add their pickling)."""
    size = sum(path.stat().st_size for path in files if path.is_file())
    if size < PARALLEL_FROM_BYTES or not sys.executable:  # embedded: no interpreter to start
        return 0
    processors = usable_processors()
    return min(MAX_WORKERS, processors) if processors > 1 else 0


def usable_processors() -> int:
    """Processors this process may run on, within its cgroup's CPU quota: a container
    limited to one processor sees every processor of its host."""
    count = len(os.sched_getaffinity(0))
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            count = min(count, max(1, int(quota) // int(period)))
    except (OSError, ValueError):  # cgroup v1, or none: the affinity alone
        pass
    return count
