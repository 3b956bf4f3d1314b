"""The error tree. Each error carries an HTTP status and a detail for problem+json."""

from __future__ import annotations

from dataclasses import dataclass


class NormalizerError(Exception):
    status = 500
    title = "Internal error"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class BadRequest(NormalizerError):
    status = 400
    title = "Bad request"


class UnsupportedMediaType(NormalizerError):
    status = 415
    title = "Unsupported media type"


class NotFound(NormalizerError):
    status = 404
    title = "Not found"


class Unauthorized(NormalizerError):
    status = 401
    title = "Unauthorized"


class Conflict(NormalizerError):
    """The request cannot be done in the service's present state."""

    status = 409
    title = "Conflict"


class NotReady(NormalizerError):
    """The store has no table loaded, or cannot be reached."""

    status = 503
    title = "Service unavailable"


class OutOfTime(NormalizerError):
    """The request used its time budget up; retrying smaller requests will do."""

    status = 503
    title = "Service unavailable"


@dataclass(frozen=True, slots=True)
class AliasProblem:
    """One problem in an alias file, located to the line."""

    path: str
    line: int
    message: str
    entity: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        about = f" [{self.entity}]" if self.entity else ""
        return f"{where}:{about} {self.message}"


class AliasTableError(NormalizerError):
    """A table that failed validation; it is refused whole."""

    status = 422
    title = "Invalid alias table"

    def __init__(self, problems: list[AliasProblem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{len(problems)} problem(s) in alias files: {shown}{more}")
