"""The report as one standalone HTML page, to save or forward by email.

No scripts and nothing fetched from elsewhere: mail clients block both, and the page must read
the same offline. Every value that reaches the page goes through `_e`, because findings quote
cells of the submission and those are untrusted text."""

from __future__ import annotations

import html

from validator.check.findings import SEVERITIES, Finding
from validator.report.report import FileReport, Report
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
""".strip()


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _or_none(value: object, lang: str) -> str:
    return _e(text("none", lang)) if value is None or value == "" else _e(value)


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
        "</header>",
        _summary(report, lang),
    ]
    skipped = []
    for i, fr in enumerate(report.files, 1):
        if fr.status == "not_checked":
            skipped.append((i, fr))
        else:
            parts.append(_file_section(fr, i, lang, report.titles_en, report.fail_on))
    if skipped:
        parts.append(_not_checked_section(skipped, lang))
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


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
                  fail_on: str = "error") -> str:
    colon = text("colon", lang)
    counts = " · ".join(f"{severity_name(s, lang)} {fr.summary[s]}" for s in SEVERITIES)
    out = [
        f'<section class="file" id="file-{index}">',
        f"<h2>{_e(fr.path)} — {_status(fr, lang, fail_on)}</h2>",
        f'<p class="meta">{_e(text("kind", lang) + colon + kind_name(fr.kind, lang))}'
        f' · {_e(text("packs", lang) + colon + packs_text(fr.packs, lang))}'
        f" · {_e(counts)}</p>",
    ]
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
            out.append(_findings_table(sections, lang, titles_en, fr.path))
    out.append("</section>")
    return "\n".join(out)


def _findings_table(sections: list[tuple[str, list[Finding]]], lang: str, titles_en: dict[str, str] | None = None,
                    here: str | None = None) -> str:
    out = ["<table>", "<thead><tr>"
           + "".join(f"<th>{_e(_heading(c, lang))}</th>" for c in COLUMNS)
           + "</tr></thead>", "<tbody>"]
    for category, findings in sections:
        out.append(f'<tr class="section"><th colspan="{len(COLUMNS)}">'
                   f"{_e(category_name(category, lang))}</th></tr>")
        out.extend(_finding_row(f, lang, titles_en, here) for f in findings)
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _heading(column: str, lang: str) -> str:
    label = text(column, lang)
    # The value labels are lower case in English because they also run inside sentences.
    return label[:1].upper() + label[1:] if lang == "en" else label


def _finding_row(f: Finding, lang: str, titles_en: dict[str, str] | None = None, here: str | None = None) -> str:
    rule = f"<code>{_e(f.rule)}</code>"
    title = finding_title(f, lang, titles_en)
    if title:
        rule += f'<br><span class="title">{_e(title)}</span>'
    message = _e(f.text(lang))
    calc = []
    colon = text("colon", lang)
    for key in ("computed", "margin"):
        value = getattr(f, key)
        if value is not None and value != "":
            calc.append(_e(text(key, lang) + colon) + _e(value_text(key, value, lang)))
    if calc:
        message += f'<div class="calc">{_e(text("sep", lang)).join(calc)}</div>'
    if f.waiver is not None:
        message += f'<div class="waived">{_e(waiver_text(f.waiver, lang))}</div>'
    hint = finding_hint(f, lang)
    related = related_text(f, lang, here)
    cells = [
        rule,
        _e(f.location.describe(lang)) + (f'<div class="related">{_e(text("related", lang) + colon)}{_e(related)}</div>' if related else ""),
        message,
        _or_none(None if f.expected is None else value_text("expected", f.expected, lang), lang),
        _or_none(f.actual, lang),
        f'<span class="hint">{_e(hint)}</span>' if hint else _or_none(None, lang),
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
