"""Errors that carry the file and line they are about."""

from __future__ import annotations

import os
import re


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
    return ResearchMapError(f"{shown_path(name)}: {unopened(exc, 'cannot be read or written')}")


def user_error(exc: BaseException) -> ResearchMapError | None:
    """``exc`` as the error the user reads: a ResearchMapError as it is, a file that could not
    be opened as ``file_error`` says; None for anything else (a bug: its traceback is shown)."""
    if isinstance(exc, ResearchMapError):
        return exc
    if isinstance(exc, OSError) and exc.filename is not None:
        return file_error(exc)
    return None


def shown_path(name: str) -> str:
    """A path as errors show it: relative to the working folder when inside it (as content
    errors are), else as it is."""
    try:
        shown = os.path.relpath(name)
    except ValueError:  # another drive, on Windows
        return name
    return name if shown.startswith("..") else shown


def unopened(exc: OSError, what: str = "cannot be read") -> str:
    """Why a file could not be opened, in words: a link to nothing says so (its error,
    "No such file", would send the user looking for a file they can see)."""
    path = exc.filename if isinstance(exc.filename, (str, bytes, os.PathLike)) else ""
    if path and os.path.islink(path) and not os.path.exists(path):
        return "a link to a file that does not exist"
    return f"{what} ({exc.strerror or exc})"


def toml_error_line(exc: Exception, text: str) -> int:
    """The line of ``text`` a TOML parse error is at (0: unknown): tomllib says it only in its
    message, "(at line N, column M)", or "(at end of document)" for the last line."""
    message = str(exc)
    if found := re.search(r"\(at line (\d+), column \d+\)$", message):
        return int(found[1])
    if message.endswith("(at end of document)"):
        return text.count("\n") + (not text.endswith("\n"))
    return 0
