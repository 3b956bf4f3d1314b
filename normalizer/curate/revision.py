"""The alias files as a git revision has them, written out to a temporary folder, so that a
change can be compared with the table it replaces."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from normalizer.exc import NormalizerError


class RevisionError(NormalizerError):
    """A revision that cannot be read: no git repository, an unknown revision, a path the
    revision does not have."""

    status = 400
    title = "Bad revision"


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None


def _said(process: subprocess.CompletedProcess[bytes]) -> str:
    """git's own message, on one line."""
    return " ".join(process.stderr.decode("utf-8", "replace").split())


@contextmanager
def files_at(revision: str, path: Path) -> Iterator[Path]:
    """The file or folder ``path`` (in a git working tree) as ``revision`` has it, in a
    temporary folder removed on exit. Raises RevisionError."""
    path = path.resolve()
    folder = path if path.is_dir() else path.parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise RevisionError(f"{path} is not in a git repository ({_said(top)})")
    root = Path(top.stdout.decode().strip()).resolve()
    commit = _git(
        root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
    )
    if commit.returncode != 0:
        raise RevisionError(f"unknown revision {revision!r} in {root}")
    relative = path.relative_to(root).as_posix()
    with tempfile.TemporaryDirectory(prefix="normalizer-rev-") as temporary:
        # git archive writes the revision's files as a tar stream: no checkout, no index.
        sha = commit.stdout.decode().strip()
        command = ["git", "-C", str(root), "archive", "--format=tar", sha, "--", relative]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as archive:
            assert archive.stdout is not None and archive.stderr is not None
            try:
                with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
                    tar.extractall(temporary, filter="data")
            except tarfile.ReadError:
                pass  # git wrote nothing: its status and message say why
            error = archive.stderr.read()
        if archive.returncode != 0:
            said = " ".join(error.decode("utf-8", "replace").split())
            raise RevisionError(f"{relative} is not in revision {revision!r} ({said})")
        yield Path(temporary) / relative
