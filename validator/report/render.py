"""Drawing a `Report`: rich (terminal), json (programs), html (to forward by email), xlsx
and csv (for spreadsheets).

Renderers know only `Report`; they never see rules or files. Each format's module is imported
only when asked for, so `--format json` works without loading Rich."""

from __future__ import annotations

from typing import TextIO

from validator.report.report import Report

FORMATS = ("rich", "json", "html", "xlsx", "csv")


def render(report: Report, fmt: str, lang: str = "zh", stream: TextIO | None = None,
           color: bool | None = None, *, width: int | None = None) -> str | bytes | None:
    """Render `report` as `fmt`.

    rich: writes to `stream` (default sys.stdout) and returns None; `color` None lets Rich
    decide from the stream, False never writes escape codes, True always colours; `width`
    fixes the line width (default: the terminal's, or Rich's 80 when piped).
    json, html, csv: return the text, and also write it (ending in a newline) to `stream` when
    one is given. JSON carries both languages, so `lang` does not change it.
    xlsx: returns the workbook's bytes (`stream` is not used)."""
    from validator.report.labels import check_lang

    check_lang(lang)
    if fmt == "rich":
        from validator.report.rich_report import render_rich

        render_rich(report, lang=lang, stream=stream, color=color, width=width)
        return None
    if fmt == "xlsx":
        from validator.report.xlsx_report import to_xlsx

        return to_xlsx(report, lang=lang)
    if fmt == "json":
        from validator.report.json_report import to_json

        out = to_json(report)
    elif fmt == "html":
        from validator.report.html_report import to_html

        out = to_html(report, lang=lang)
    elif fmt == "csv":
        from validator.report.csv_report import to_csv

        out = to_csv(report, lang=lang)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if stream is not None:
        stream.write(out if out.endswith("\n") else out + "\n")
    return out
