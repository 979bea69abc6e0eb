"""Errors that carry the file and line they are about."""

from __future__ import annotations


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
