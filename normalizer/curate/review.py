"""Working through the review queue: accepting a name as an alias of an entity, or
rejecting it. The CLI (``normalizer review``) and the API (``POST /v1/review/...``) both
call these, so a name is accepted and rejected one way."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from normalizer.curate.accept import Added, alias_added
from normalizer.exc import NotReady
from normalizer.service import Service
from normalizer.store import ReviewQueue, in_force


@dataclass(frozen=True, slots=True)
class Accepted:
    added: Added
    queued: bool  # whether the name was in the queue
    # With a running service: the table version now in force, and whether every worker
    # serves it (a shared store) or only the process that accepted (the embedded store).
    version: str | None = None
    everywhere: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.added.name,
            "entity": self.added.entity,
            "file": str(self.added.path),
            "line": self.added.line,
            "queued": self.queued,
            "version": self.version,
            "in_force": self._in_force(),
        }

    def _in_force(self) -> str | None:
        if self.version is None:
            return None  # no service reloaded: in force at the next reload or start
        return "every worker" if self.everywhere else "this worker"


def accept(
    queue: ReviewQueue, name: str, entity_id: str, aliases: Path, service: Service | None = None
) -> Accepted:
    """Add ``name`` to the aliases of ``entity_id`` in its YAML file under ``aliases`` and
    take it off ``queue``. With ``service``, its table is reloaded from the file at once,
    against the table it serves; if that reload is refused, the file is restored and the
    name stays queued. Raises as ``curate.accept.add_alias`` does."""
    version = None
    before = None if service is None else in_force(service.store)
    with alias_added(aliases, entity_id, name, before) as added:
        if service is not None:
            version = service.reload().version
    try:
        queued = queue.remove(name)
    except NotReady as error:
        raise NotReady(
            f"{added.path}:{added.line}: {name!r} was added to {entity_id}, but the review "
            f"queue did not answer, and still lists it: {error.detail}"
        ) from None
    return Accepted(added, queued, version, service is not None and service.store.shared)


def reject(queue: ReviewQueue, name: str) -> bool:
    """Take ``name`` off ``queue`` and never queue it again; whether it was queued."""
    return queue.reject(name, time.time())
