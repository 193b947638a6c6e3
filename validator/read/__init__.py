"""Readers turn a file into canonical submissions (plain mappings that follow
schemas/submission.schema.json). They know nothing of rules.

A reader returns `LoadedSubmission`s: one per table found (a workbook may hold several).
A file that cannot be read at all raises `InputError`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.errors import InputError

TEXT_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
SUPPORTED_SUFFIXES = set(TEXT_SUFFIXES) | WORKBOOK_SUFFIXES


@dataclass(slots=True)
class ReaderNotice:
    """Something the reader noticed about the file itself (a sheet with no recognizable
    table, a formula with no cached value). It becomes a finding under `code`."""

    code: str
    severity: str
    message: str
    message_en: str
    path: str = ""
    label: str | None = None
    sheet: str | None = None
    cell: str | None = None


@dataclass(slots=True)
class LoadedSubmission:
    data: Any
    origin: str
    notices: list[ReaderNotice] = field(default_factory=list)


def load_file(path: Path, limits=None) -> list[LoadedSubmission]:
    """The submissions in a file, under `limits` (default: the limits in force)."""
    from validator import limits as _limits

    limits = limits or _limits.current()
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from validator.read.text import read_text_file

        return [read_text_file(path, TEXT_SUFFIXES[suffix], limits)]
    if suffix in WORKBOOK_SUFFIXES:
        from validator.read.xlsx import read_workbook

        return read_workbook(path, limits)
    raise InputError(
        f"{path}: 不支持的文件类型“{path.suffix}”（支持 .yaml .yml .json .xlsx）",
        f"{path}: unsupported file type '{path.suffix}' (supported: .yaml .yml .json .xlsx)",
    )
