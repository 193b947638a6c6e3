"""The report for a person at a terminal (or in a log), drawn with Rich.

Every text that comes from a submission or a rule is put into a `Text` object, never into a
markup string: a cell written as `[red]` or `[/]` must be shown as written, not interpreted.
And every such text goes through `_t` first: control characters (an escape sequence that
clears the screen, an OSC 8 link, a bidi override) are shown as escapes, never sent raw.

The summary comes first, so that a run over hundreds of files reads from the top; the
verdict is repeated as the last line, where a terminal leaves the eye."""

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
    file_result,
    finding_hint,
    finding_title,
    group_findings,
    kind_name,
    packs_text,
    related_text,
    severity_name,
    text,
    value_parts,
    verdict_details,
    waiver_text,
)
from validator.report.safe import visible as _t

SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
# Markers differ in shape, not only colour, so the severity survives when colour is off.
SEVERITY_MARK = {"error": "✗", "warning": "▲", "info": "•"}
PASS_STYLE = "bold green"
FAIL_STYLE = "bold red"
RESULT_STYLE = {"pass": PASS_STYLE, "fail": FAIL_STYLE, "unusable": FAIL_STYLE, "failed": FAIL_STYLE, "not_checked": "dim"}
# What the report shows: everything, the summary table only, or the verdict line only.
DETAIL = ("full", "summary", "quiet")


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
                color: bool | None = None, width: int | None = None, detail: str = "full") -> None:
    check_lang(lang)
    _draw(make_console(stream, color, width), report, lang, detail)


def rich_text(report: Report, lang: str = "zh", stream: TextIO | None = None,
              color: bool | None = None, width: int | None = None, detail: str = "full") -> str:
    """What render_rich would write to `stream` (default sys.stdout; its terminal decides
    colour and width), escape codes included, drawn in full before any of it is written
    so that it can be written whole."""
    check_lang(lang)
    console = make_console(stream, color, width)
    with console.capture() as capture:
        _draw(console, report, lang, detail)
    return capture.get()


def _draw(console: Console, report: Report, lang: str, detail: str = "full") -> None:
    if detail not in DETAIL:
        raise ValueError(f"unknown detail {detail!r}; expected one of {', '.join(DETAIL)}")
    if detail == "quiet":
        console.print(_Indented([_verdict(report, lang)], 0))
        return
    console.print(_summary_table(report, lang))
    console.print(_Indented([_verdict(report, lang)], 0))
    if detail == "summary":
        return
    skipped = [fr for fr in report.files if fr.status == "not_checked"]
    for fr in report.files:
        if fr.status != "not_checked":
            console.print()
            _print_file(console, fr, lang, report.titles_en, report.fail_on)
    if skipped:
        console.print()
        console.print(Rule(Text(f"{text('not_checked_title', lang)} ({len(skipped)})", style="bold"), align="left", style="dim"))
        for fr in skipped:
            console.print(_Indented([Text.assemble((_t(fr.path), "bold"), ("  " + _t(fr.reason_text(lang) or ""), "dim"))], 2))
    console.print()
    console.print(_Indented([_verdict(report, lang)], 0))


def _print_file(console: Console, fr: FileReport, lang: str, titles_en: dict[str, str] | None = None,
                fail_on: str = "error") -> None:
    console.print(_header(fr, lang, fail_on))
    if fr.error is not None:
        key, words = file_result(fr, lang)
        console.print(Panel(
            Text(_t(fr.error_text(lang)), style="bold"),
            title=Text(words, style=FAIL_STYLE),
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
            console.print(Text.assemble("  ", (_t(category_name(category, lang)), "bold underline")))
            for f in findings:
                console.print(_finding(f, lang, titles_en, fr.path))


def _header(fr: FileReport, lang: str, fail_on: str = "error") -> Panel:
    colon = text("colon", lang)
    body = Text()
    body.append(text("kind", lang) + colon, style="dim")
    body.append(_t(kind_name(fr.kind, lang)))
    body.append("\n")
    body.append(text("packs", lang) + colon, style="dim")
    body.append(_t(packs_text(fr.packs, lang)))
    body.append("\n")
    body.append_text(_counts(fr.summary, lang))
    key, words = file_result(fr, lang, fail_on)
    return Panel(
        body,
        title=Text(_t(fr.path), style="bold"),
        title_align="left",
        subtitle=Text(words, style=RESULT_STYLE[key]),
        subtitle_align="right",
        border_style="green" if key == "pass" else "red",
    )


def _counts(summary: dict[str, int], lang: str) -> Text:
    out = Text()
    for i, sev in enumerate(SEVERITIES):
        if i:
            out.append(" · ", style="dim")
        n = summary.get(sev, 0)
        out.append(f"{severity_name(sev, lang)} {n}", style=SEVERITY_STYLE[sev] if n else "dim")
    return out


def _finding(f: Finding, lang: str, titles_en: dict[str, str] | None = None, here: str | None = None) -> RenderableType:
    colon = text("colon", lang)
    head = Text()
    head.append(f"{SEVERITY_MARK.get(f.severity, '•')} ", style=SEVERITY_STYLE.get(f.severity))
    head.append(_t(f.rule), style="bold")
    title = finding_title(f, lang, titles_en)
    if title:
        head.append("  " + _t(title))

    body: list[Text] = [
        Text.assemble((text("location", lang) + colon, "dim"), (_t(f.location.describe(lang)), "cyan")),
    ]
    related = related_text(f, lang, here)
    if related:
        body.append(Text.assemble((text("related", lang) + colon, "dim"), (_t(related), "cyan")))
    body.append(Text(_t(f.text(lang))))
    parts = value_parts(f, lang)
    if parts:
        values = Text()
        for i, (label, value) in enumerate(parts):
            if i:
                values.append(text("sep", lang), style="dim")
            values.append(label + colon, style="dim")
            values.append(_t(value), style="bold")
        body.append(values)
    hint = finding_hint(f, lang)
    if hint:
        body.append(Text(text("hint_prefix", lang) + _t(hint), style="dim"))
    if f.waiver is not None:
        body.append(Text(_t(waiver_text(f.waiver, lang)), style="green"))
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
_NUMBER = re.compile(r"[+\-±≥≤<>=]*\d[\d.,]*%?")
# After a number: an optional space and the characters a unit may be written with.
_UNIT_AFTER = re.compile(r" ?([\u4e00-\u9fff/]{1,6})")


def _unit_end(plain: str, pos: int) -> int:
    """Where the unit written right after a number at `pos` ends (pos when none): the
    longest run that names a known unit (万元, 元/人/天, 人次), so 157.00 万元 stays on one line."""
    from validator.domain import units

    m = _UNIT_AFTER.match(plain, pos)
    if m is None:
        return pos
    run = m.group(1)
    for n in range(len(run), 0, -1):
        unit = units.lookup(run[:n])
        if unit is not None and unit.dimension != units.OTHER:
            return m.start(1) + n
    return pos


def _tokens(plain: str):
    """(start, end) of each piece that may not be broken: a word or number (with the unit
    written after it), a run of spaces, or one character."""
    pos = 0
    while pos < len(plain):
        m = _TOKEN.match(plain, pos)
        end = m.end()
        if _NUMBER.fullmatch(m.group()):
            end = _unit_end(plain, end)
        yield pos, end
        pos = end


def _wrap_cjk(text: Text, width: int) -> list[Text]:
    """Wrap mixed Chinese text at character boundaries (Rich wraps at spaces only, which
    strands a long Chinese clause on a line of its own)."""
    offsets: list[int] = []
    used = 0
    prev: tuple[int, int] | None = None  # start and width of the last token placed
    plain = text.plain
    for start, end in _tokens(plain):
        piece = plain[start:end]
        w = cell_len(piece)
        if piece.isspace():
            if used + w > width:
                offsets.append(end)
                used = 0
            else:
                used += w
            continue
        if w > width:  # a token wider than the line is cut by characters
            for i, ch in enumerate(piece):
                cw = cell_len(ch)
                if used + cw > width and used:
                    offsets.append(start + i)
                    used = 0
                used += cw
            continue
        if used + w > width and used:
            if piece in _NO_LINE_START and prev is not None and prev[0] > (offsets[-1] if offsets else 0):
                # Closing punctuation never opens a line: the character before it moves down too.
                offsets.append(prev[0])
                used = prev[1]
            else:
                offsets.append(start)
                used = 0
        used += w
        prev = (start, w)
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
        cells = [Text(_t(fr.path))]
        for sev in SEVERITIES:
            if fr.status == "not_checked":
                cells.append(Text(text("none", lang), style="dim"))
            else:
                cells.append(Text(str(counts[sev]), style=SEVERITY_STYLE[sev] if counts[sev] else "dim"))
        key, words = file_result(fr, lang, report.fail_on)
        cells.append(Text(words, style=RESULT_STYLE[key]))
        table.add_row(*cells)
    return table


def _verdict(report: Report, lang: str) -> Text:
    return _verdict_line(report.summary, report.passes(), lang)


def _verdict_line(summary: dict, passed: bool, lang: str) -> Text:
    out = Text()
    out.append(text("result", lang) + text("colon", lang), style="bold")
    if passed:
        out.append(text("pass", lang), style=PASS_STYLE)
    else:
        out.append(text("fail", lang), style=FAIL_STYLE)
    out.append("  (" + text("sep", lang).join(verdict_details(summary, lang)) + ")", style="dim")
    return out


def _totals_line(summary: dict, lang: str) -> Text:
    """错误 3 · 警告 1 · 提示 0 (· 已豁免 2)"""
    out = _counts(summary, lang)
    if summary.get("waived"):
        out.append(" · ", style="dim")
        out.append(f"{text('waived', lang)} {summary['waived']}", style="green")
    return out


def totals_text(tally, lang: str = "zh", view: str = "quiet", fail_on: str = "error",
                titles_en: dict[str, str] | None = None, stream: TextIO | None = None,
                color: bool | None = None, width: int | None = None) -> str:
    """--quiet (the verdict and totals) and --statistics (findings counted by rule, most
    frequent first, as ruff counts them), from running totals: no file is kept."""
    from validator.report.labels import rule_title

    check_lang(lang)
    console = make_console(stream, color, width)
    summary = tally.summary
    passed = tally.exit_code(fail_on) == 0
    with console.capture() as capture:
        if view == "statistics":
            table = Table(title=text("statistics", lang), title_justify="left", box=box.SIMPLE_HEAD)
            table.add_column(text("count", lang), justify="right", no_wrap=True)
            table.add_column(text("rule", lang), no_wrap=True)
            table.add_column(text("severity_word", lang), no_wrap=True)
            table.add_column(text("title_word", lang), overflow="fold")
            for rule, sev, title, n, waived in tally.statistics():
                count = str(n) + (f" (+{waived})" if waived else "")
                table.add_row(Text(count), Text(_t(rule), style="bold"),
                              Text(severity_name(sev, lang), style=SEVERITY_STYLE.get(sev, "")),
                              Text(_t(rule_title(rule, title, lang, titles_en) or "")))
            console.print(table)
        console.print(_Indented([_totals_line(summary, lang)], 0))
        console.print(_Indented([_verdict_line(summary, passed, lang)], 0))
    return capture.get()
