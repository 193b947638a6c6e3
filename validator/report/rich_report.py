"""The report for a person at a terminal (or in a log), drawn with Rich.

Every text that comes from a submission or a rule is put into a `Text` object, never into a
markup string: a cell written as `[red]` or `[/]` must be shown as written, not interpreted."""

from __future__ import annotations

import re

import sys
from typing import TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from validator.check.findings import SEVERITIES, Finding
from validator.report.report import FileReport, Report
from validator.report.labels import (
    category_name,
    check_lang,
    group_findings,
    kind_name,
    packs_text,
    related_text,
    severity_name,
    text,
    value_parts,
    waiver_text,
)

SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
# Markers differ in shape, not only colour, so the severity survives when colour is off.
SEVERITY_MARK = {"error": "✗", "warning": "▲", "info": "•"}
PASS_STYLE = "bold green"
FAIL_STYLE = "bold red"


def make_console(stream: TextIO | None = None, color: bool | None = None,
                 width: int | None = None) -> Console:
    """A console writing to `stream`. color=None lets Rich decide from the stream and the
    environment (NO_COLOR, FORCE_COLOR, TERM); False never writes an escape code; True always
    colours, even into a pipe."""
    stream = sys.stdout if stream is None else stream
    common = dict(file=stream, width=width, highlight=False, markup=False, emoji=False)
    if color is False:
        # color_system=None drops bold and dim too, not just colours (no_color keeps them).
        return Console(color_system=None, force_terminal=False, **common)
    if color is True:
        console = Console(force_terminal=True, **common)
        if console.color_system is None:  # TERM=dumb or unknown: still honour the request
            console = Console(force_terminal=True, color_system="standard", **common)
        return console
    return Console(**common)


def render_rich(report: Report, lang: str = "zh", stream: TextIO | None = None,
                color: bool | None = None, width: int | None = None) -> None:
    check_lang(lang)
    console = make_console(stream, color, width)
    for i, fr in enumerate(report.files):
        if i:
            console.print()
        _print_file(console, fr, lang)
    console.print()
    console.print(_summary_table(report, lang))
    console.print(_verdict(report, lang))


def _print_file(console: Console, fr: FileReport, lang: str) -> None:
    console.print(_header(fr, lang))
    if fr.error is not None:
        console.print(Panel(
            Text(fr.error_text(lang), style="bold"),
            title=Text(text("unusable", lang), style=FAIL_STYLE),
            title_align="left",
            border_style="red",
            box=box.HEAVY,
        ))
        return
    if not fr.findings:
        console.print(Text("  " + text("no_findings", lang), style=PASS_STYLE))
        return
    for severity, sections in group_findings(fr.findings):
        count = sum(len(fs) for _, fs in sections)
        style = SEVERITY_STYLE.get(severity, "bold")
        console.print(Rule(Text(f"{severity_name(severity, lang)} ({count})", style=style),
                           align="left", style=style.replace("bold ", "")))
        for category, findings in sections:
            console.print(Text.assemble("  ", (category_name(category, lang), "bold underline")))
            for f in findings:
                console.print(_finding(f, lang))


def _header(fr: FileReport, lang: str) -> Panel:
    colon = text("colon", lang)
    body = Text()
    body.append(text("kind", lang) + colon, style="dim")
    body.append(kind_name(fr.kind, lang))
    body.append("\n")
    body.append(text("packs", lang) + colon, style="dim")
    body.append(packs_text(fr.packs, lang))
    body.append("\n")
    body.append_text(_counts(fr.summary, lang))
    if fr.error is not None:
        border, status = "red", Text(text("unusable", lang), style=FAIL_STYLE)
    elif fr.ok:
        border, status = "green", Text(text("pass", lang), style=PASS_STYLE)
    else:
        border, status = "red", Text(text("fail", lang), style=FAIL_STYLE)
    return Panel(
        body,
        title=Text(fr.path, style="bold"),
        title_align="left",
        subtitle=status,
        subtitle_align="right",
        border_style=border,
    )


def _counts(summary: dict[str, int], lang: str) -> Text:
    out = Text()
    for i, sev in enumerate(SEVERITIES):
        if i:
            out.append(" · ", style="dim")
        n = summary.get(sev, 0)
        out.append(f"{severity_name(sev, lang)} {n}", style=SEVERITY_STYLE[sev] if n else "dim")
    return out


def _finding(f: Finding, lang: str) -> RenderableType:
    colon = text("colon", lang)
    head = Text()
    head.append(f"{SEVERITY_MARK.get(f.severity, '•')} ", style=SEVERITY_STYLE.get(f.severity))
    head.append(f.rule, style="bold")
    # Titles exist only in Chinese; in an English report they would be noise.
    if lang == "zh" and f.title:
        head.append("  " + f.title)

    body: list[Text] = [
        Text.assemble((text("location", lang) + colon, "dim"), (f.location.describe(lang), "cyan")),
    ]
    related = related_text(f, lang)
    if related:
        body.append(Text.assemble((text("related", lang) + colon, "dim"), (related, "cyan")))
    body.append(Text(f.text(lang)))
    parts = value_parts(f, lang)
    if parts:
        values = Text()
        for i, (label, value) in enumerate(parts):
            if i:
                values.append(text("sep", lang), style="dim")
            values.append(label + colon, style="dim")
            values.append(value, style="bold")
        body.append(values)
    hint = f.hint_text(lang)
    if hint:
        body.append(Text(text("hint_prefix", lang) + hint, style="dim"))
    if f.waiver is not None:
        body.append(Text(waiver_text(f.waiver, lang), style="green"))
    # Indenting the wrapped lines too keeps a long message under its finding, not at column 0.
    return Group(_Indented([head], 4), _Indented(body, 8))


class _Indented:
    """Texts indented by `indent` columns, wrapped lines included. Unlike rich's Padding it
    does not pad lines to the full width, so piped output carries no trailing spaces."""

    def __init__(self, texts: list[Text], indent: int):
        self.texts = texts
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width - self.indent, 10)
        for t in self.texts:
            lines = _wrap_cjk(t, width) if _CJK.search(t.plain) else t.wrap(console, width)
            for line in lines:
                line.rstrip()
                yield Text(" " * self.indent) + line


_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# Chinese breaks between any two characters; numbers, units and codes stay whole
# (95.14%, AR007, funds.sources[2].rate).
_NO_LINE_START = set("。，、；：？！）」』”’》〉】%")
_TOKEN = re.compile(r"[A-Za-z0-9_.,%‰+\-/\[\]#!:=≥≤<>±]+|\s+|.", re.S)


def _wrap_cjk(text: Text, width: int) -> list[Text]:
    """Wrap mixed Chinese text at character boundaries (Rich wraps at spaces only, which
    strands a long Chinese clause on a line of its own)."""
    offsets: list[int] = []
    used = 0
    prev: tuple[int, int] | None = None  # start and width of the last token placed
    for m in _TOKEN.finditer(text.plain):
        piece = m.group()
        w = cell_len(piece)
        if piece.isspace():
            if used + w > width:
                offsets.append(m.end())
                used = 0
            else:
                used += w
            continue
        if w > width:  # a token wider than the line is cut by characters
            for i, ch in enumerate(piece):
                cw = cell_len(ch)
                if used + cw > width and used:
                    offsets.append(m.start() + i)
                    used = 0
                used += cw
            continue
        if used + w > width and used:
            if piece in _NO_LINE_START and prev is not None and prev[0] > (offsets[-1] if offsets else 0):
                # Closing punctuation never opens a line: the character before it moves down too.
                offsets.append(prev[0])
                used = prev[1]
            else:
                offsets.append(m.start())
                used = 0
        used += w
        prev = (m.start(), w)
    lines = text.divide(offsets) if offsets else [text.copy()]
    out = []
    for line in lines:
        line.rstrip()
        # A line that starts where a space was broken keeps no leading blank.
        lead = len(line.plain) - len(line.plain.lstrip(" "))
        out.append(line[lead:] if lead else line)
    return out


def _summary_table(report: Report, lang: str) -> Table:
    table = Table(title=text("summary", lang), title_justify="left", box=box.SIMPLE_HEAD,
                  show_footer=len(report.files) > 1)
    totals = report.summary
    table.add_column(text("file", lang), footer=text("total", lang), overflow="fold")
    for sev in SEVERITIES:
        table.add_column(severity_name(sev, lang), justify="right",
                         footer=str(totals[sev]), no_wrap=True)
    table.add_column(text("result", lang), no_wrap=True)
    for fr in report.files:
        counts = fr.summary
        cells = [Text(fr.path)]
        for sev in SEVERITIES:
            cells.append(Text(str(counts[sev]),
                              style=SEVERITY_STYLE[sev] if counts[sev] else "dim"))
        cells.append(_file_status(fr, lang))
        table.add_row(*cells)
    return table


def _file_status(fr: FileReport, lang: str) -> Text:
    if fr.error is not None:
        return Text(text("unusable", lang), style=FAIL_STYLE)
    if fr.ok:
        return Text(text("pass", lang), style=PASS_STYLE)
    return Text(text("fail", lang), style=FAIL_STYLE)


def _verdict(report: Report, lang: str) -> Text:
    summary = report.summary
    out = Text()
    out.append(text("result", lang) + text("colon", lang), style="bold")
    if report.ok:
        out.append(text("pass", lang), style=PASS_STYLE)
    else:
        out.append(text("fail", lang), style=FAIL_STYLE)
    out.append("  (", style="dim")
    out.append(text("files_checked", lang).format(files=summary["files"]), style="dim")
    if summary["unusable"]:
        out.append(text("sep", lang)
                   + text("unusable_count", lang).format(n=summary["unusable"]), style="dim")
    out.append(")", style="dim")
    return out
