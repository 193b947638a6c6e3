"""Readers turn a file into what it holds: a mapping (YAML, JSON), a workbook of sheet
grids (.xlsx, .xls), or the text of a report (.docx, .pdf, .txt, .md). They know nothing
of document kinds or rules: which tables a grid holds is for validator/kinds to recognize.

A file that cannot be read at all raises `InputError`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.errors import InputError

TEXT_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
OLD_WORKBOOK_SUFFIXES = {".xls"}
REPORT_SUFFIXES = {".docx", ".pdf", ".txt", ".md"}
# The one list of what selfeval reads (a folder is searched for these).
SUPPORTED_SUFFIXES = set(TEXT_SUFFIXES) | WORKBOOK_SUFFIXES | OLD_WORKBOOK_SUFFIXES | REPORT_SUFFIXES
# An archive of one unit's files is a submission of its own (read.zipped), not a document:
# a folder is searched for these too, but they are never grouped with the files beside them.
ARCHIVE_SUFFIXES = {".zip"}


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


@dataclass(slots=True, eq=False)
class MappingFile:
    """A YAML or JSON file: one canonical document, as written."""

    data: Any
    origin: str


@dataclass(slots=True, eq=False)
class Workbook:
    """A workbook's sheets as grids of the texts they show, in sheet order."""

    origin: str
    sheets: list = field(default_factory=list)  # list[Grid]
    # (sheet, row, column) of formulas saved without a cached value: they read as blank.
    uncached_formulas: list[tuple[str, int, int]] = field(default_factory=list)
    # What reading the file itself lost or noticed, for the whole workbook.
    notices: list[ReaderNotice] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    """A paragraph of a Word, PDF or text document, with the place a finding cites."""
    text: str
    index: int  # 1-based paragraph number in the document (what a finding cites)
    page: int | None  # 1-based page for PDF, None otherwise
    heading: int | None  # outline level when the paragraph is a heading (docx style / numbering), else None


@dataclass(slots=True, eq=False)
class TextDocument:
    """A report's text: its paragraphs in order, and the tables inside it as grids."""

    origin: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    # Tables inside the document, as grids (sheet name e.g. "表1" / "第3页表1").
    tables: list = field(default_factory=list)  # list[Grid]
    notices: list[ReaderNotice] = field(default_factory=list)
    # For each table, the index of the paragraph it follows (0: before the first one).
    table_after: list[int] = field(default_factory=list)


def is_archive(path: Path) -> bool:
    """A .zip standing for the files in it (read.zipped), judged by name alone so that
    checking any other file never imports the archive machinery."""
    return path.suffix.lower() in ARCHIVE_SUFFIXES and not path.is_dir()


def read_file(path: str | Path, limits=None) -> MappingFile | Workbook | TextDocument:
    """What a file holds, under `limits` (default: the limits in force)."""
    from validator import limits as _limits

    limits = limits or _limits.current()
    path = Path(path)  # a str from an embedding program reads the same
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from validator.read.text import read_text_file

        return read_text_file(path, TEXT_SUFFIXES[suffix], limits)
    if suffix in WORKBOOK_SUFFIXES:
        from validator.read.xlsx import read_workbook

        return read_workbook(path, limits)
    if suffix in OLD_WORKBOOK_SUFFIXES:
        from validator.read.xls import read_xls

        return read_xls(path, limits)
    if suffix == ".docx":
        from validator.read.docx import read_docx

        return read_docx(path, limits)
    if suffix == ".pdf":
        from validator.read.pdf import read_pdf

        return read_pdf(path, limits)
    if suffix in (".txt", ".md"):
        from validator.read.plain import read_plain

        return read_plain(path, limits)
    if suffix == ".doc":
        raise InputError(f"{path}: 旧版 Word 文件（.doc），请另存为 .docx",
                         f"{path}: an old Word file (.doc); save it as .docx")
    listed = " ".join(sorted(SUPPORTED_SUFFIXES))
    raise InputError(
        f"{path}: 不支持的文件类型“{path.suffix}”（支持 {listed}）",
        f"{path}: unsupported file type '{path.suffix}' (supported: {listed})",
    )
