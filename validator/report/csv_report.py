"""The findings as CSV, one row per finding (a file with none, or not checked, gets one
row saying so), in UTF-8 with a byte-order mark so that Excel opens it as UTF-8.

A cell that starts like a formula (= + - @, tab, carriage return) gets a leading
apostrophe: CSV has no cell types, and a spreadsheet would otherwise run it."""

from __future__ import annotations

import csv
import io

from validator.report.labels import (
    category_name,
    check_lang,
    file_result,
    finding_hint,
    finding_title,
    severity_name,
    value_text,
    related_text,
    waiver_text,
)
from validator.report.report import Report
from validator.report.safe import spreadsheet_cell
from validator.report.xlsx_report import _HEAD

COLUMNS = ("file", "unit", "project", "result", "rule", "title", "severity", "category", "where", "label", "message",
           "expected", "actual", "computed", "margin", "hint", "waiver", "related")


def to_csv(report: Report, lang: str = "zh") -> str:
    check_lang(lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_HEAD[lang].get(c, c) for c in COLUMNS])

    def row(values):
        writer.writerow(["" if v is None else spreadsheet_cell(v) for v in values])

    for fr in report.files:
        result = file_result(fr, lang, report.fail_on)[1]
        head = [fr.path, fr.unit, fr.project, result]
        if not fr.findings:
            note = fr.error_text(lang) if fr.error is not None else fr.reason_text(lang)
            row(head + [None] * 6 + [note] + [None] * 7)
            continue
        for f in fr.findings:
            loc = f.location
            where = f"{loc.sheet}!{loc.cell}" if loc.sheet and loc.cell else loc.path
            row(head + [f.rule, finding_title(f, lang, report.titles_en), severity_name(f.severity, lang),
                        category_name(f.category, lang), where, loc.label, f.text(lang),
                        None if f.expected is None else value_text("expected", f.expected, lang), f.actual,
                        None if f.computed is None else value_text("computed", f.computed, lang), f.margin,
                        finding_hint(f, lang), waiver_text(f.waiver, lang) if f.waiver is not None else None,
                        related_text(f, lang, fr.path)])
    return "\ufeff" + out.getvalue()
