"""Errors that end a run with exit code 2: the input or the rules cannot be used.

Each carries a Chinese and an English message so the CLI can print one clear line."""

from __future__ import annotations


class SelfevalError(Exception):
    """Base: a problem the user can fix, reported without a traceback."""

    def __init__(self, message: str, message_en: str | None = None):
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message

    def text(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message

    def __reduce__(self):
        # Both messages survive the trip from a worker process (check --jobs).
        return (self.__class__, (self.message, self.message_en))


class InputError(SelfevalError):
    """A submission file that cannot be read as a submission at all."""


class RuleError(SelfevalError):
    """A rule pack that cannot be loaded or compiled; nothing runs until it is fixed."""
