"""The report as a workbook, for the finance bureau's spreadsheet habits: a summary sheet
with one row per file and its counts by severity, and a findings sheet with an
autofilter, one row per finding, linked to the cell it is about when the source was a
workbook.

Every text from a submission is stored as text, never as a formula: cells are written
with the string type and Excel's quote-prefix flag (the same text, shown as written, and
kept text when edited), and control characters — which a workbook cannot even hold —
are shown as escapes."""

from __future__ import annotations

import io
from pathlib import Path

from validator.check.findings import SEVERITIES
from validator.report.labels import (
    category_name,
    check_lang,
    file_result,
    finding_hint,
    finding_title,
    kind_name,
    related_text,
    severity_name,
    value_text,
    waiver_text,
)
from validator.report.report import Report
from validator.report.safe import visible

# Column headings by language; the findings sheet's columns in order.
_HEAD = {
    "zh": {"file": "文件", "unit": "单位", "project": "项目", "kind": "类型", "result": "结论", "waived": "已豁免",
           "note": "说明", "rule": "规则", "title": "标题", "severity": "级别", "category": "类别", "where": "位置",
           "label": "名称", "message": "问题", "expected": "应为", "actual": "实际", "computed": "计算值",
           "margin": "允许误差", "hint": "建议", "waiver": "豁免", "related": "另见", "error": "错误", "warning": "警告", "info": "提示"},
    "en": {"file": "File", "unit": "Unit", "project": "Project", "kind": "Kind", "result": "Result", "waived": "Waived",
           "note": "Note", "rule": "Rule", "title": "Title", "severity": "Severity", "category": "Category",
           "where": "Where", "label": "Label", "message": "Problem", "expected": "Expected", "actual": "Actual",
           "computed": "Computed", "margin": "Margin", "hint": "Hint", "waiver": "Waiver", "related": "See also", "error": "Errors",
           "warning": "Warnings", "info": "Notes"},
}
SHEETS = {"zh": ("汇总", "发现"), "en": ("Summary", "Findings")}
_WIDTHS = {"file": 40, "unit": 18, "project": 24, "message": 60, "hint": 40, "label": 18, "where": 22, "note": 50, "title": 30}


def _put(ws, row: int, col: int, value) -> None:
    cell = ws.cell(row=row, column=col)
    if value is None or isinstance(value, int):
        cell.value = value
        return
    cell.value = visible(value)
    # Stored as text whatever it starts with (=, +, -, @): never a formula, in Excel or
    # after an edit.
    cell.data_type = "s"
    cell.quotePrefix = True


def _sheet(ws, heads: list[str], lang: str) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for col, key in enumerate(heads, 1):
        ws.cell(row=1, column=col, value=_HEAD[lang][key]).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(key, 12)
    ws.freeze_panes = "A2"


def to_xlsx(report: Report, lang: str = "zh") -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    check_lang(lang)
    book = Workbook()
    summary = book.active
    summary.title, found_title = SHEETS[lang]
    heads = ["file", "unit", "project", "kind", "result", *SEVERITIES, "waived", "note"]
    _sheet(summary, heads, lang)
    for r, fr in enumerate(report.files, 2):
        counts = fr.summary
        note = fr.error_text(lang) if fr.error is not None else fr.reason_text(lang)
        values = [fr.path, fr.unit, fr.project, kind_name(fr.kind, lang) if fr.kind else None, file_result(fr, lang, report.fail_on)[1]]
        values += [None if fr.status == "not_checked" else counts.get(s, 0) for s in SEVERITIES]
        values += [counts.get("waived", 0) or None, note]
        for c, v in enumerate(values, 1):
            _put(summary, r, c, v)
    summary.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{max(1, len(report.files)) + 1}"

    sheet = book.create_sheet(found_title)
    fheads = ["file", "unit", "project", "rule", "title", "severity", "category", "where", "label", "message",
              "expected", "actual", "computed", "margin", "hint", "waiver", "related"]
    _sheet(sheet, fheads, lang)
    row = 1
    for fr in report.files:
        link_base = _workbook_uri(fr.path)
        for f in fr.findings:
            row += 1
            loc = f.location
            where = f"{loc.sheet}!{loc.cell}" if loc.sheet and loc.cell else loc.path
            values = [fr.path, fr.unit, fr.project, f.rule, finding_title(f, lang, report.titles_en),
                      severity_name(f.severity, lang), category_name(f.category, lang), where, loc.label, f.text(lang),
                      None if f.expected is None else value_text("expected", f.expected, lang), f.actual,
                      None if f.computed is None else value_text("computed", f.computed, lang), f.margin,
                      finding_hint(f, lang), waiver_text(f.waiver, lang) if f.waiver is not None else None,
                      related_text(f, lang, fr.path)]
            for c, v in enumerate(values, 1):
                _put(sheet, row, c, v)
            if link_base and loc.sheet and loc.cell:
                cell = sheet.cell(row=row, column=8)
                cell.hyperlink = f"{link_base}#'{loc.sheet.replace(chr(39), chr(39) * 2)}'!{loc.cell}"
                cell.style = "Hyperlink"
                cell.quotePrefix = True
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(fheads))}{row}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _workbook_uri(path: str) -> str | None:
    """A link to the workbook a finding was read from (path#sheet!cell), if it was one."""
    source = Path(path.split("#", 1)[0])
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    try:
        return source.resolve().as_uri()
    except (OSError, ValueError):
        return None
