"""The report as one standalone HTML page, to save or forward by email.

No scripts and nothing fetched from elsewhere: mail clients block both, and the page must read
the same offline. Every value that reaches the page goes through `_e`, because findings quote
cells of the submission and those are untrusted text.

A workbook table whose cells were kept (FileReport.grids) is drawn as the sheet showed it,
each flagged cell marked with its findings' codes, each marker linking to its finding and
each finding back to its cell. The page prints whole: a file per page, nothing collapsed."""

from __future__ import annotations

import html
import re

from validator.check.findings import SEVERITIES, Finding
from validator.report.report import FileReport, Report, SheetGrid, cell_position
from validator.report.safe import visible
from validator.report.labels import (
    category_name,
    check_lang,
    file_result,
    finding_hint,
    finding_title,
    value_text,
    group_findings,
    kind_name,
    packs_text,
    related_text,
    severity_name,
    text,
    verdict_details,
    waiver_text,
)

HTML_LANG = {"zh": "zh-CN", "en": "en"}
COLUMNS = ("rule", "location", "message", "expected", "actual", "hint")
# A batch of more files than this shows each file folded (<details>) under the summary.
FOLD_AFTER = 10

WORDS = {
    "zh": {"unit": "单位", "project": "项目", "year": "年度", "checked_at": "检查时间", "version": "selfeval 版本",
           "table_read": "表格（按读取所见）", "sheet": "工作表", "to_cell": "查看单元格",
           "to_finding": "查看发现", "rows_cut": "另有 {n} 行未显示", "cols_cut": "另有 {n} 列未显示",
           "outside": "此处未显示的单元格：", "more": "等，共 {n} 个"},
    "en": {"unit": "Unit", "project": "Project", "year": "Year", "checked_at": "Checked at", "version": "selfeval version",
           "table_read": "The table as read", "sheet": "Sheet", "to_cell": "show the cell",
           "to_finding": "show the finding", "rows_cut": "{n} more row(s) not shown", "cols_cut": "{n} more column(s) not shown",
           "outside": "cells not shown here: ", "more": "and others, {n} in all"},
}

CSS = """
body{font-family:-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",
sans-serif;color:#1f2328;margin:2em auto;max-width:72em;padding:0 1em;line-height:1.5}
h1{font-size:1.5em;margin:0 0 .3em}
h2{font-size:1.2em;margin:1.8em 0 .4em;border-bottom:1px solid #d0d7de;padding-bottom:.2em;
word-break:break-all}
h3{font-size:1.05em;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em}
th,td{border:1px solid #d0d7de;padding:.35em .6em;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
thead th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.section th{background:#eef1f4;font-weight:600}
code{font-family:Consolas,Menlo,monospace;font-size:.92em}
.meta{color:#57606a;margin:.2em 0}
.title{color:#57606a;font-size:.9em}
.calc{color:#57606a;font-size:.9em;margin-top:.2em}
.hint{color:#57606a}
.pass{color:#1a7f37;font-weight:600}
.fail{color:#cf222e;font-weight:600}
.waived{color:#1a7f37}.error{color:#cf222e}.warning{color:#9a6700}.info{color:#0969da}
.not_checked{color:#57606a}
.unusable{border:2px solid #cf222e;background:#ffebe9;padding:.6em 1em;margin:.6em 0}
.verdict{font-size:1.15em}
.about{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.6em 0;color:#57606a}
.about dt{font-weight:600}.about dd{margin:0}
.num,.n{white-space:nowrap}
details.file>summary{cursor:pointer}
details.file>summary h2{display:inline}
.grid-wrap{overflow-x:auto;margin:.4em 0 1em}
table.grid{width:auto;font-size:.85em}
table.grid th{background:#f6f8fa;color:#57606a;font-weight:400;text-align:center;padding:.2em .4em;white-space:nowrap}
thead th{white-space:nowrap}
table.grid td{padding:.2em .4em;white-space:pre-line;min-width:2em}
table.grid td.num{text-align:right;white-space:nowrap}
td.flag{outline:2px solid #9a6700;outline-offset:-2px;background:#fff8c5}
td.flag.error{outline-color:#cf222e;background:#ffebe9}
td.flag.info{outline-color:#0969da;background:#ddf4ff}
td.flag.waived{outline-color:#1a7f37;background:#dafbe1}
a.mark{display:inline-block;margin:.1em 0 0 .3em;padding:0 .3em;border-radius:.3em;font:600 .8em Consolas,Menlo,monospace;
color:#fff;background:#9a6700;text-decoration:none;white-space:nowrap}
a.mark.error{background:#cf222e}a.mark.info{background:#0969da}a.mark.waived{background:#1a7f37}
a.to-cell{font-size:.85em;white-space:nowrap}
:target{outline:3px solid #0969da}
.cut{color:#57606a;font-size:.9em}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10pt}
details>summary{list-style:none}details>summary::-webkit-details-marker{display:none}
details::details-content{content-visibility:visible;display:contents}
.file{break-before:page}
.grid-wrap{overflow:visible}
table.grid{width:100%;table-layout:fixed;font-size:7pt}
table.grid td{overflow-wrap:anywhere}
table.grid td.num{white-space:normal}
tr,a.mark{break-inside:avoid}
a{color:inherit;text-decoration:none}
a.to-cell{display:none}
:target{outline:none}
}
""".strip()


def _e(value: object) -> str:
    # visible(): a bidi override or a control character in a cell is shown, not obeyed.
    return html.escape(visible(value), quote=True)


def _w(key: str, lang: str, **values: object) -> str:
    return WORDS[lang][key].format(**values)


# A number with what makes it one value to a reader: a comparison before it, a unit or a
# percent after it. Browsers may break a line between a digit and a CJK unit (15|个), so
# such a run is kept on one line; a bare number has no break inside it anyway.
_UNITS = ("%|‰|万元|亿元|千元|元|万|亿|人次|个|人|户|次|天|日|月|年|项|家|件|台|套|座|所|吨|公里|千米|平方米|㎡|米|亩|"
          "小时|分钟|分|辆|处|条|份|册|场|批|倍|km|m")
_NUMBER = re.compile(rf"(?:[<>≤≥≦≧＜＞]=?\s*)?[-+−]?\d[\d,，]*(?:\.\d+)?(?:\s?(?:{_UNITS}))?")
_WHOLE_NUMBER = re.compile(rf"\s*{_NUMBER.pattern}\s*")


def _en(value: object) -> str:
    """`_e`, with each number that carries a unit or a comparison kept on one line."""
    text = str(value)
    out, last = [], 0
    for m in _NUMBER.finditer(text):
        run = m.group()
        if run[:1].isdigit() and run[-1:].isdigit() or run[:1] in "-+−" and run[-1:].isdigit():
            continue  # a bare number: no line break inside it
        out.append(_e(text[last:m.start()]))
        out.append(f'<span class="n">{_e(run)}</span>')
        last = m.end()
    out.append(_e(text[last:]))
    return "".join(out)


def _or_none(value: object, lang: str, escape=_e) -> str:
    return _e(text("none", lang)) if value is None or value == "" else escape(value)


def to_html(report: Report, lang: str = "zh") -> str:
    check_lang(lang)
    title = text("title", lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{HTML_LANG[lang]}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
        _verdict(report, lang),
        _about(report, lang),
        "</header>",
        _summary(report, lang),
    ]
    skipped = []
    fold = sum(1 for fr in report.files if fr.status != "not_checked") > FOLD_AFTER
    for i, fr in enumerate(report.files, 1):
        if fr.status == "not_checked":
            skipped.append((i, fr))
        else:
            parts.append(_file_section(fr, i, lang, report.titles_en, report.fail_on, fold))
    if skipped:
        parts.append(_not_checked_section(skipped, lang))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _distinct(values: list[str | None], lang: str, limit: int = 3) -> str | None:
    seen = list(dict.fromkeys(v for v in values if v))
    if not seen:
        return None
    shown = text("sep", lang).join(seen[:limit])
    return shown if len(seen) <= limit else f"{shown} {_w('more', lang, n=len(seen))}"


def _about(report: Report, lang: str) -> str:
    """Whose submission, when it was checked, and by what: the unit, project and year the
    files state, the time of the check, selfeval's version and each rule pack in use."""
    from validator import __version__

    checked = [fr for fr in report.files if fr.status != "not_checked"]
    packs = list(dict.fromkeys(p for fr in checked for p in fr.packs))
    rows = [
        ("unit", _distinct([fr.unit for fr in checked], lang)),
        ("project", _distinct([fr.project for fr in checked], lang)),
        ("year", _distinct([fr.year for fr in checked], lang)),
        ("checked_at", report.checked_at.replace("T", " ") if report.checked_at else None),
        ("version", __version__),
    ]
    out = ['<dl class="about">']
    out += [f"<dt>{_e(_w(key, lang))}</dt><dd>{_en(value)}</dd>" for key, value in rows if value]
    if packs:
        listed = text("sep", lang).join(
            f"{p} {report.pack_versions[p]}" if report.pack_versions.get(p) else p for p in packs)
        out.append(f"<dt>{_e(text('packs', lang))}</dt><dd>{_e(listed)}</dd>")
    out.append("</dl>")
    return "\n".join(out)


def _verdict(report: Report, lang: str) -> str:
    status = "pass" if report.passes() else "fail"
    extra = text("sep", lang).join(verdict_details(report.summary, lang))
    return (f'<p class="verdict">{_e(text("result", lang) + text("colon", lang))}'
            f'<span class="{status}">{_e(text(status, lang))}</span> '
            f'<span class="meta">({_e(extra)})</span></p>')


def _status(fr: FileReport, lang: str, fail_on: str = "error") -> str:
    key, words = file_result(fr, lang, fail_on)
    css = {"unusable": "fail", "failed": "fail"}.get(key, key)
    return f'<span class="{css}">{_e(words)}</span>'


def _summary(report: Report, lang: str) -> str:
    heads = [text("file", lang), text("kind", lang)]
    heads += [severity_name(s, lang) for s in SEVERITIES] + [text("result", lang)]
    rows = []
    for i, fr in enumerate(report.files, 1):
        counts = fr.summary
        cells = [f'<td><a href="#file-{i}">{_e(fr.path)}</a></td>',
                 f"<td>{_e(kind_name(fr.kind, lang))}</td>"]
        if fr.status == "not_checked":
            cells += [f'<td class="num">{_e(text("none", lang))}</td>' for _ in SEVERITIES]
        else:
            cells += [f'<td class="num">{counts[s]}</td>' for s in SEVERITIES]
        cells.append(f"<td>{_status(fr, lang, report.fail_on)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    totals = report.summary
    foot = (f'<tfoot><tr><th colspan="2">{_e(text("total", lang))}</th>'
            + "".join(f'<td class="num">{totals[s]}</td>' for s in SEVERITIES)
            + "<td></td></tr></tfoot>")
    return "\n".join([
        '<section class="summary">',
        f"<h2>{_e(text('summary', lang))}</h2>",
        "<table>",
        "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in heads) + "</tr></thead>",
        "<tbody>", *rows, "</tbody>",
        foot,
        "</table>",
        "</section>",
    ])


def _not_checked_section(skipped: list[tuple[int, FileReport]], lang: str) -> str:
    rows = [f'<tr id="file-{i}"><td>{_e(fr.path)}</td><td class="not_checked">{_e(fr.reason_text(lang))}</td></tr>'
            for i, fr in skipped]
    return "\n".join([
        '<section class="not-checked">',
        f"<h2>{_e(text('not_checked_title', lang))} ({len(skipped)})</h2>",
        "<table>",
        f"<thead><tr><th>{_e(text('file', lang))}</th><th>{_e(text('reason', lang))}</th></tr></thead>",
        "<tbody>", *rows, "</tbody>",
        "</table>",
        "</section>",
    ])


def _file_section(fr: FileReport, index: int, lang: str, titles_en: dict[str, str] | None = None,
                  fail_on: str = "error", fold: bool = False) -> str:
    colon = text("colon", lang)
    counts = " · ".join(f"{severity_name(s, lang)} {fr.summary[s]}" for s in SEVERITIES)
    about = " · ".join(_en(_w(key, lang) + colon + value)
                       for key, value in (("unit", fr.unit), ("project", fr.project), ("year", fr.year)) if value)
    # A large batch shows each file folded under the summary; printing unfolds them all.
    out = [
        f'<details class="file" id="file-{index}"{"" if fold else " open"}>',
        f"<summary><h2>{_e(fr.path)} — {_status(fr, lang, fail_on)}</h2></summary>",
        f'<p class="meta">{_e(text("kind", lang) + colon + kind_name(fr.kind, lang))}'
        f' · {_e(text("packs", lang) + colon + packs_text(fr.packs, lang))}'
        f" · {_e(counts)}</p>",
    ]
    if about:
        out.append(f'<p class="meta">{about}</p>')
    marks = _Marks(fr, index)
    if fr.error is not None:
        out.append(f'<div class="unusable"><strong>{_e(file_result(fr, lang)[1])}</strong>'
                   f"{_e(colon)}{_e(fr.error_text(lang))}</div>")
    elif not fr.findings:
        out.append(f'<p class="pass">{_e(text("no_findings", lang))}</p>')
    else:
        for severity, sections in group_findings(fr.findings):
            count = sum(len(fs) for _, fs in sections)
            out.append(f'<h3 class="{_e(severity)}">'
                       f"{_e(severity_name(severity, lang))} ({count})</h3>")
            out.append(_findings_table(sections, lang, titles_en, fr.path, marks))
    if fr.grids and fr.error is None:
        out.append(f"<h3>{_e(_w('table_read', lang))}</h3>")
        out.extend(_grid(g, n, marks, lang, titles_en) for n, g in enumerate(fr.grids))
    out.append("</details>")
    return "\n".join(out)


class _Marks:
    """Which finding marks which cell of a file's grids, and the anchors that tie them:
    `f{file}-{n}` for the n-th finding's row, `c{file}-{grid}-{row}-{col}` for a cell.
    Anchors are numbers only, never a sheet's name: the names are submission text."""

    def __init__(self, fr: FileReport, index: int):
        self.index = index
        self.number = {id(f): n for n, f in enumerate(fr.findings)}
        # (grid, row, col) of the cell drawn → its findings; finding → its cell's anchor
        self.at: dict[tuple[int, int, int], list[Finding]] = {}
        self.cell_of: dict[int, str] = {}
        for g, grid in enumerate(fr.grids):
            covering = _covering(grid)
            for f in fr.findings:
                loc = f.location
                pos = cell_position(loc.cell) if loc.sheet == grid.sheet and loc.origin is None else None
                if pos is None or id(f) in self.cell_of:
                    continue
                if not (grid.first_row <= pos[0] <= grid.last_row and grid.first_col <= pos[1] <= grid.last_col):
                    continue
                row, col = covering.get(pos, pos)  # a cell inside a merge is drawn as the merge
                self.at.setdefault((g, row, col), []).append(f)
                self.cell_of[id(f)] = self.cell_id(g, row, col)

    def finding_id(self, f: Finding) -> str:
        return f"f{self.index}-{self.number.get(id(f), 0)}"

    def cell_id(self, g: int, row: int, col: int) -> str:
        return f"c{self.index}-{g}-{row}-{col}"


def _covering(grid: SheetGrid) -> dict[tuple[int, int], tuple[int, int]]:
    """Each cell a merge covers, but its first, → that first cell."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in grid.merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out[(r, c)] = (r0, c0)
    return out


def _grid(grid: SheetGrid, g: int, marks: _Marks, lang: str, titles_en: dict[str, str] | None) -> str:
    from validator.read.grid import column_letter

    span = f"{column_letter(grid.first_col)}{grid.first_row}:{column_letter(grid.last_col)}{grid.last_row}"
    out = [f'<div class="sheet"><p class="meta">{_e(_w("sheet", lang) + text("colon", lang) + grid.sheet)} '
           f'<span class="n">{_e(span)}</span></p>',
           '<div class="grid-wrap"><table class="grid">',
           "<thead><tr><th></th>" + "".join(f"<th>{column_letter(c)}</th>"
                                            for c in range(grid.first_col, grid.last_col + 1)) + "</tr></thead>",
           "<tbody>"]
    covering = _covering(grid)
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in grid.merges}
    for row in range(grid.first_row, grid.last_row + 1):
        cells = [f"<th>{row}</th>"]
        for col in range(grid.first_col, grid.last_col + 1):
            if (row, col) in covering:
                continue
            attrs = ""
            rows, cols = spans.get((row, col), (1, 1))
            if rows > 1:
                attrs += f' rowspan="{rows}"'
            if cols > 1:
                attrs += f' colspan="{cols}"'
            value = grid.cells.get((row, col), "")
            classes = ["num"] if value and _WHOLE_NUMBER.fullmatch(value) else []
            content = _e(value)
            flagged = marks.at.get((g, row, col))
            if flagged:
                classes += ["flag", _worst(flagged)]
                attrs += f' id="{marks.cell_id(g, row, col)}"'
                content += "".join(
                    f'<a class="mark {_mark_class(f)}" href="#{marks.finding_id(f)}" '
                    f'title="{_e(f.rule + " " + f.text(lang))}">{_e(f.rule)}</a>' for f in flagged)
            if classes:
                attrs = f' class="{" ".join(classes)}"' + attrs
            cells.append(f"<td{attrs}>{content}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table></div>"]
    notes = []
    if grid.rows_cut:
        notes.append(_w("rows_cut", lang, n=grid.rows_cut))
    if grid.cols_cut:
        notes.append(_w("cols_cut", lang, n=grid.cols_cut))
    if notes:
        out.append(f'<p class="cut">{_e(text("sep", lang).join(notes))}</p>')
    out.append("</div>")
    return "\n".join(out)


def _mark_class(f: Finding) -> str:
    return "waived" if f.waiver is not None else f.severity


def _worst(findings: list[Finding]) -> str:
    in_force = [f.severity for f in findings if f.waiver is None]
    if not in_force:
        return "waived"
    return min(in_force, key=lambda s: SEVERITIES.index(s) if s in SEVERITIES else len(SEVERITIES))


def _findings_table(sections: list[tuple[str, list[Finding]]], lang: str, titles_en: dict[str, str] | None = None,
                    here: str | None = None, marks: "_Marks | None" = None) -> str:
    out = ["<table>", "<thead><tr>"
           + "".join(f"<th>{_e(_heading(c, lang))}</th>" for c in COLUMNS)
           + "</tr></thead>", "<tbody>"]
    for category, findings in sections:
        out.append(f'<tr class="section"><th colspan="{len(COLUMNS)}">'
                   f"{_e(category_name(category, lang))}</th></tr>")
        out.extend(_finding_row(f, lang, titles_en, here, marks) for f in findings)
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _heading(column: str, lang: str) -> str:
    label = text(column, lang)
    # The value labels are lower case in English because they also run inside sentences.
    return label[:1].upper() + label[1:] if lang == "en" else label


def _finding_row(f: Finding, lang: str, titles_en: dict[str, str] | None = None, here: str | None = None,
                 marks: "_Marks | None" = None) -> str:
    rule = f"<code>{_e(f.rule)}</code>"
    title = finding_title(f, lang, titles_en)
    if title:
        rule += f'<br><span class="title">{_e(title)}</span>'
    message = _en(f.text(lang))
    calc = []
    colon = text("colon", lang)
    for key in ("computed", "margin"):
        value = getattr(f, key)
        if value is not None and value != "":
            calc.append(_e(text(key, lang) + colon) + _en(value_text(key, value, lang)))
    if calc:
        message += f'<div class="calc">{_e(text("sep", lang)).join(calc)}</div>'
    if f.waiver is not None:
        message += f'<div class="waived">{_e(waiver_text(f.waiver, lang))}</div>'
    hint = finding_hint(f, lang)
    related = related_text(f, lang, here)
    where = _e(f.location.describe(lang))
    cell = marks.cell_of.get(id(f)) if marks is not None else None
    if cell is not None:
        where += f' <a class="to-cell" href="#{cell}">{_e(_w("to_cell", lang))}</a>'
    cells = [
        rule,
        where + (f'<div class="related">{_e(text("related", lang) + colon)}{_e(related)}</div>' if related else ""),
        message,
        _or_none(None if f.expected is None else value_text("expected", f.expected, lang), lang, _en),
        _or_none(f.actual, lang, _en),
        f'<span class="hint">{_e(hint)}</span>' if hint else _or_none(None, lang),
    ]
    row_id = f' id="{marks.finding_id(f)}"' if marks is not None else ""
    return f"<tr{row_id}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
