"""Working through the review queue: accepting a name as an alias of an entity, or
rejecting it. The CLI (``normalizer review``) and the API (``POST /v1/review/...``) both
call these, so a name is accepted and rejected one way."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from normalizer.curate.accept import Added, alias_added
from normalizer.exc import NotReady
from normalizer.service import Service
from normalizer.settings import Settings
from normalizer.store import ReviewQueue, in_force


@dataclass(frozen=True, slots=True)
class Accepted:
    added: Added
    queued: bool  # whether the name was in the queue
    # With a running service: the table version now in force, and which workers serve it
    # (every one with a shared store; with the embedded store the one that accepted, and the
    # others once they notice the edited file, if they follow their files).
    version: str | None = None
    in_force: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.added.name,
            "entity": self.added.entity,
            "file": str(self.added.path),
            "line": self.added.line,
            "queued": self.queued,
            "version": self.version,
            "in_force": self.in_force,
        }


def _where_in_force(service: Service) -> str:
    if service.store.shared:
        return "every worker"
    if service.settings.follow_files:
        return "this worker; the others within seconds"
    return "this worker"


def accept(
    queue: ReviewQueue,
    name: str,
    entity_id: str,
    settings: Settings,
    service: Service | None = None,
) -> Accepted:
    """Add ``name`` to the aliases of ``entity_id`` in its YAML file under the alias path of
    ``settings`` (whose golden queries must still pass) and take it off ``queue``. With
    ``service``, the edit is checked against the table it serves and the new table published
    at once; if either fails, the file is restored and the name stays queued. Raises as
    ``curate.accept.add_alias`` does."""
    version = where = None
    before = None if service is None else in_force(service.store)
    with alias_added(settings.alias_path, entity_id, name, before, settings) as added:
        if service is not None:
            # Checked already, against the table this service serves: published as it is.
            version = service.publish(added.table).version
            where = _where_in_force(service)
    try:
        queued = queue.remove(name)
    except NotReady as error:
        raise NotReady(
            f"{added.path}:{added.line}: {name!r} was added to {entity_id}, but the review "
            f"queue did not answer, and still lists it: {error.detail}"
        ) from None
    return Accepted(added, queued, version, where)


def reject(queue: ReviewQueue, name: str) -> bool:
    """Take ``name`` off ``queue`` and never queue it again; whether it was queued."""
    return queue.reject(name, time.time())
