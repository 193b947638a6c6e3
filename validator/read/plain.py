"""Reports as plain text (.txt) or Markdown (.md): paragraphs split on blank lines; in
Markdown a `#` heading is a paragraph of its own with its level. Encodings as for YAML:
UTF-8 with or without a BOM, UTF-16 with a BOM, GBK/GB18030."""

from __future__ import annotations

import re
from pathlib import Path

from validator import limits as _limits
from validator.errors import InputError
from validator.read import Paragraph, TextDocument

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


class CharBudget:
    """Counts a report's characters as they are read, refusing past limits.text_chars
    before the rest is extracted."""

    def __init__(self, origin: str, limits: _limits.Limits):
        self.origin, self.limit, self.used = origin, limits.text_chars, 0

    def take(self, text: str) -> None:
        self.used += len(text)
        if self.used > self.limit:
            zh, en = _limits.message("text_chars", self.limit, f"报告的文字超过 {self.limit:,} 个字符",
                                     f"the report has more than {self.limit:,} characters of text")
            raise InputError(f"{self.origin}: {zh}", f"{self.origin}: {en}")


def read_plain(path: Path, limits: _limits.Limits | None = None) -> TextDocument:
    from validator.read.text import decode, read_bytes

    limits = limits or _limits.current()
    origin = str(path)
    text = decode(read_bytes(path, origin, limits), origin)
    CharBudget(origin, limits).take(text)
    markdown = path.suffix.lower() == ".md"
    return TextDocument(origin=origin, paragraphs=split_paragraphs(text, markdown))


def split_paragraphs(text: str, markdown: bool = False) -> list[Paragraph]:
    """Paragraphs separated by blank lines, their lines kept; with `markdown`, an ATX
    heading (`## 二、绩效情况分析`) ends the paragraph before it and stands alone, and
    nothing inside a fenced code block is a heading."""
    out: list[Paragraph] = []
    lines: list[str] = []
    fenced = False

    def flush(heading: int | None = None) -> None:
        if lines:
            body = "\n".join(lines).strip("\n")
            if body.strip():
                out.append(Paragraph(text=body, index=len(out) + 1, page=None, heading=heading))
            lines.clear()

    for line in text.splitlines():
        line = line.rstrip()
        if markdown and _FENCE.match(line):
            fenced = not fenced
            lines.append(line)
            continue
        if markdown and not fenced:
            m = _ATX.match(line)
            if m:
                flush()
                lines.append((m[2] or "").strip())
                flush(heading=len(m[1]))
                continue
        if not line.strip() and not fenced:
            flush()
            continue
        lines.append(line)
    flush()
    return out
