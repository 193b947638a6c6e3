"""The documents of a submission: what a file holds (validator/read), with each workbook
table recognized and built into a canonical document by its kind (validator/kinds).

A YAML or JSON file is one canonical document as written. A workbook gives one document
per table found; origins are the path when the workbook holds one table, `path#sheet` when
the sheet holds one, `path#sheet!A10` (the table's first cell) when it holds several."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.errors import InputError
from validator.read import MappingFile, ReaderNotice, TextDocument, Workbook, read_file


@dataclass(slots=True)
class LoadedSubmission:
    data: Any
    origin: str
    notices: list[ReaderNotice] = field(default_factory=list)
    # The file holds no canonical document (a report's text): only its notices count.
    no_document: bool = False


def load_documents(path: Path, limits=None) -> list[LoadedSubmission]:
    """The canonical documents in a file, under `limits` (default: the limits in force)."""
    source = read_file(path, limits)
    if isinstance(source, MappingFile):
        return [LoadedSubmission(source.data, source.origin)]
    if isinstance(source, TextDocument):
        # No kind reads a report's text yet: no document, only what was read.
        return [LoadedSubmission(None, source.origin, [_report_not_checked(source), *source.notices], no_document=True)]
    return workbook_documents(source)


def _report_not_checked(doc: TextDocument) -> ReaderNotice:
    return ReaderNotice(
        code="RD002", severity="info",
        message=f"已读取报告文字（{len(doc.paragraphs)} 段，{len(doc.tables)} 个表格），但尚未对报告进行检查",
        message_en=f"the report's text was read ({len(doc.paragraphs)} paragraphs, {len(doc.tables)} tables) but is not checked yet",
    )


def workbook_documents(workbook: Workbook) -> list[LoadedSubmission]:
    from validator.kinds.self_eval.tables import find_tables
    from validator.read.grid import coordinate

    origin = workbook.origin
    sheets = [(grid.sheet, find_tables(grid)) for grid in workbook.sheets]
    names = [name for name, _ in sheets]
    if not any(tables for _, tables in sheets):
        listed = "、".join(names) or "无"
        raise InputError(
            f"{origin}: 工作簿中没有可识别的自评表（已查看工作表：{listed}）",
            f"{origin}: no recognizable self-evaluation table in the workbook (sheets checked: {', '.join(names) or 'none'})",
        )
    total = sum(len(tables) for _, tables in sheets)
    loaded = []
    for name, tables in sheets:
        for table in tables:
            if total == 1:
                where = origin
            elif len(tables) == 1:
                where = f"{origin}#{name}"
            else:
                where = f"{origin}#{name}!{table.anchor}"
            loaded.append((name, table, LoadedSubmission(table.submission(), where, list(table.notices))))
    first = loaded[0][2]
    first.notices.extend(workbook.notices)
    for name, tables in sheets:
        if not tables:
            first.notices.append(ReaderNotice(
                code="XL001", severity="info",
                message=f"工作表“{name}”中没有可识别的自评表，已跳过",
                message_en=f"sheet '{name}' has no recognizable self-evaluation table; skipped",
                sheet=name,
            ))
    fields_by_cell: dict[int, dict[tuple[str, str], str]] = {}
    for sheet, row, col in workbook.uncached_formulas:
        _attach_formula_notice(loaded, fields_by_cell, sheet, row, col, coordinate(row, col))
    return [submission for _, _, submission in loaded]


def _attach_formula_notice(loaded, fields_by_cell: dict, sheet: str, row: int, col: int, cell: str) -> None:
    target = None
    for name, table, submission in loaded:
        if name == sheet and table.first_row <= row <= table.last_row:
            target = (table, submission)
            break
    if target is None:
        target = next(((t, s) for name, t, s in loaded if name == sheet), (loaded[0][1], loaded[0][2]))
    table, submission = target
    fields = fields_by_cell.get(id(table))
    if fields is None:
        # the most specific field read from each cell: indicators[3].name rather than indicators[3]
        fields = {}
        for field_path, where in sorted(table.source.items(), key=lambda kv: len(kv[0])):
            fields[(where["sheet"], where["cell"])] = field_path
        fields_by_cell[id(table)] = fields
    path = fields.get((sheet, cell), "")
    submission.notices.append(ReaderNotice(
        code="XL002", severity="warning",
        message=f"公式没有缓存值：{sheet}!{cell}（工作簿保存时未计算公式，读作空白；请在 Excel 中打开并保存后再检查）",
        message_en=f"formula has no cached value: {sheet}!{cell} (the workbook was saved without calculating; read as blank; open and save it in Excel, then check again)",
        path=path, sheet=sheet, cell=cell,
    ))
