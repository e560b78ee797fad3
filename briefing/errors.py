"""One error type for every stage: a message pinned to a file, line and column."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a path as printed (relative to the project) and a 1-based position."""

    path: str
    line: int = 1
    col: int = 1


class SourceError(Exception):
    """A problem in an input file, printed as ``path:line:col: error: message``.

    Every stage raises this (and only this) for bad input; the CLI prints it and
    exits with status 2. ``source_line`` is the offending line, shown with a caret.
    """

    def __init__(
        self,
        location: Location,
        message: str,
        severity: Severity = "error",
        source_line: str | None = None,
    ) -> None:
        super().__init__(message)
        self.location = location
        self.message = message
        self.severity = severity
        self.source_line = source_line

    def headline(self) -> str:
        loc = self.location
        if self.severity == "warning":
            return f"{loc.path}:{loc.line}: warning: {self.message}"
        return f"{loc.path}:{loc.line}:{loc.col}: error: {self.message}"

    def __str__(self) -> str:
        if self.source_line is None:
            return self.headline()
        caret = " " * max(self.location.col - 1, 0) + "^"
        return f"{self.headline()}\n    {self.source_line}\n    {caret}"

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.path, loc.line, loc.col, self.message)


class SourceErrors(Exception):
    """Several problems found together (validation collects, then aborts once)."""

    def __init__(self, errors: Iterable[SourceError]) -> None:
        self.errors = tuple(sorted(errors, key=SourceError.sort_key))
        super().__init__("\n".join(e.headline() for e in self.errors))


def fail(path: str, line: int, col: int, message: str, source_line: str | None = None) -> SourceError:
    """Build (not raise) an error, so callers write ``raise fail(...)``."""
    return SourceError(Location(path, line, col), message, "error", source_line)


def warn(path: str, line: int, message: str) -> SourceError:
    return SourceError(Location(path, line, 1), message, "warning")


# Errors travel between processes and into caches as plain tuples: exceptions do not pickle their
# constructor arguments, and a cached warning must print exactly as when it was found.
Frozen = tuple[str, int, int, str, str, str | None]


def freeze(errors: Iterable[SourceError]) -> tuple[Frozen, ...]:
    return tuple(
        (e.location.path, e.location.line, e.location.col, e.message, e.severity, e.source_line)
        for e in errors
    )


def thaw(frozen: Iterable[Sequence[Any]]) -> tuple[SourceError, ...]:
    """The errors ``freeze`` kept (lists, as read back from JSON, are accepted too)."""
    return tuple(
        SourceError(Location(path, line, col), message, "warning" if severity == "warning" else "error", source)
        for path, line, col, message, severity, source in frozen
    )
