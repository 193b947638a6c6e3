"""Compile-time errors in rule expressions, shown with a caret under the fault."""

from __future__ import annotations

# Widest expression shown whole under a caret; longer ones are cut around the fault.
_WIDTH = 120


class ExpressionError(Exception):
    def __init__(self, message: str, message_en: str, column: int | None = None, end_column: int | None = None, suggestion: str | None = None):
        super().__init__(message)
        self.message = message
        self.message_en = message_en
        self.column = column  # 1-based, as Lark reports it
        self.end_column = end_column
        self.suggestion = suggestion

    def caret(self, source: str) -> str:
        """The expression with ^^^ under the faulty part (one line; rule expressions
        that span lines are shown joined)."""
        line = " ".join(source.split("\n"))
        if self.column is None:
            return line if len(line) <= _WIDTH else line[: _WIDTH - 1] + "…"
        start = max(self.column - 1, 0)
        end = self.end_column - 1 if self.end_column and self.end_column > self.column else start + 1
        if len(line) > _WIDTH:
            # A long expression is shown around the fault, not whole.
            end = min(end, start + _WIDTH // 2)
            left = max(0, start - _WIDTH // 3)
            right = min(len(line), max(end, left + _WIDTH - 2))
            head, tail = ("…" if left > 0 else ""), ("…" if right < len(line) else "")
            line = head + line[left:right] + tail
            start, end = start - left + len(head), end - left + len(head)
        # East Asian characters take two columns in a terminal.
        pad = sum(2 if ord(ch) > 0x2E80 else 1 for ch in line[:start])
        width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in line[start:end]) or 1
        return f"{line}\n{' ' * pad}{'^' * width}"

    def text(self, lang: str = "zh") -> str:
        msg = self.message_en if lang == "en" else self.message
        if self.suggestion:
            msg += (f" (did you mean '{self.suggestion}'?)" if lang == "en" else f"（是否应为“{self.suggestion}”？）")
        return msg
