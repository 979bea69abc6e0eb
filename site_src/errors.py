"""Errors that carry the file and line they are about."""

from __future__ import annotations

import os


class ResearchMapError(Exception):
    """Base class of every error the build reports to the user (no traceback)."""


class ContentError(ResearchMapError):
    """Unreadable content: names the file and, when known, the line."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file, self.line, self.message = file, line, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


class ConfigError(ResearchMapError):
    """A config file that does not match the schema."""


def file_error(exc: OSError) -> ResearchMapError:
    """A file the build could not open (no permission, a dangling link, a folder where a file
    was expected) as the one line the user reads, naming the file, not a traceback."""
    name = exc.filename if isinstance(exc.filename, str) else str(exc.filename or "a file")
    try:
        shown = os.path.relpath(name)
    except ValueError:  # another drive, on Windows
        shown = name
    if not shown.startswith(".."):
        name = shown
    return ResearchMapError(f"{name}: {unopened(exc, 'cannot be read or written')}")


def unopened(exc: OSError, what: str = "cannot be read") -> str:
    """Why a file could not be opened, in words: a link to nothing says so (its error,
    "No such file", would send the user looking for a file they can see)."""
    path = exc.filename if isinstance(exc.filename, (str, bytes, os.PathLike)) else ""
    if path and os.path.islink(path) and not os.path.exists(path):
        return "a link to a file that does not exist"
    return f"{what} ({exc.strerror or exc})"
