"""`selfeval check`: check submissions and draw the report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from validator.cli.common import (UsageError, add_limit_option, add_rule_options, output_target, path_problem, say, split_list,
                                  started)
from validator.cli.selectors import check_selectors

if TYPE_CHECKING:  # the report module is imported where a batch needs it
    from validator.report.report import Tally

# More worker processes than this is a typo, not a plan (each one loads the rules).
MAX_JOBS = 256
FORMATS = ("rich", "json", "jsonl", "html", "xlsx", "csv")
# What each view of the report may be drawn as.
VIEWS = {"full": FORMATS, "summary": ("rich",), "quiet": ("rich", "json"), "statistics": ("rich", "json")}


def add_parser(sub, lang: str) -> None:
    p = sub.add_parser("check", help=say(lang, "检查自评表文件或目录", "check submission files or folders"),
                       description=say(lang, "检查自评表文件或目录", "check submission files or folders"))
    p.add_argument("paths", nargs="+", help=say(lang, "自评表和自评报告文件（.yaml .json .xlsx .xls .docx .pdf .txt .md）或目录；同一单位的报告与表格按文件名配对",
                                                "submission files (.yaml .json .xlsx .xls .docx .pdf .txt .md) or folders; a unit's report and tables pair up by file name"))
    p.add_argument("--report", action="append", metavar="FILE",
                   help=say(lang, "自评报告：与其余所有文件作为同一份提交一起检查（可重复）",
                            "a report, checked with every other file given as one submission (repeatable)"))
    add_rule_options(p, lang)
    p.add_argument("--select", action="append", metavar="IDS", help=say(lang, "只运行这些规则（编号、编号前缀或类别，逗号分隔）", "run only these rules (ids, id prefixes or categories, comma-separated)"))
    p.add_argument("--ignore", action="append", metavar="IDS", help=say(lang, "不运行这些规则（编号、编号前缀或类别，逗号分隔）", "skip these rules (ids, id prefixes or categories, comma-separated)"))
    p.add_argument("--preview", action="store_true", help=say(lang, "同时运行预览状态的规则", "also run preview rules"))
    p.add_argument("--format", choices=FORMATS, default=None,
                   help=say(lang, "输出格式（默认 rich）；jsonl 每个文件一行，边检查边输出；xlsx、csv 供表格软件使用",
                            "output format (default rich); jsonl writes one line per file as it is checked; xlsx and csv for spreadsheets"))
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help=say(lang, "并行进程数（默认 1；0 表示按 CPU 核数）", "worker processes (default 1; 0: one per CPU core)"))
    p.add_argument("-o", "--output", metavar="FILE", help=say(lang, "写入文件而不是标准输出", "write to this file instead of standard output"))
    p.add_argument("--force", action="store_true", help=say(lang, "允许覆盖已存在的输出文件", "allow overwriting an existing output file"))
    p.add_argument("--explain", metavar="RULE[@PATH]", help=say(lang, "说明某条规则或某个发现是如何算出的（如 AR007 或 AR007@funds.sources[2].rate）", "show how a rule or one finding was computed (AR007 or AR007@funds.sources[2].rate)"))
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=say(lang, "颜色：auto（终端时着色）、always、never", "colour: auto (when a terminal), always, never"))
    p.add_argument("--fail-on", choices=("error", "warning"), default=None,
                   help=say(lang, "什么级别的发现使退出码为 1（默认 error；warning 表示警告也算）",
                            "which findings make the exit code 1 (default error; warning: warnings too)"))
    view = p.add_mutually_exclusive_group()
    view.add_argument("--summary", action="store_true", help=say(lang, "只显示汇总表（每个文件一行），不列出发现", "show the summary table only (a line per file), no findings"))
    view.add_argument("--quiet", "-q", action="store_true", help=say(lang, "只显示结论和合计", "show the verdict and totals only"))
    view.add_argument("--statistics", action="store_true", help=say(lang, "按规则统计发现次数，不列出发现", "count findings by rule instead of listing them"))
    p.add_argument("--config", metavar="FILE", help=say(lang, "配置文件（默认从被检查的路径向上查找 selfeval.toml 或 pyproject.toml 的 [tool.selfeval]）",
                                                       "settings file (default: the nearest selfeval.toml, or pyproject.toml with [tool.selfeval], above the path checked)"))
    add_limit_option(p, lang)


def _refuse_input_as_output(out: Path, paths: list[str]) -> None:
    """`-o` naming one of the files being checked (or a waiver side file) would destroy
    an input, --force or not."""
    from validator.api import iter_paths
    from validator.check.waivers import side_files

    if not out.exists():
        return
    target = out.resolve()
    for p in iter_paths(paths):
        resolved = p.resolve()
        if target == resolved or target in side_files(resolved):
            raise UsageError(f"输出文件不能是被检查的输入文件：{out}", f"the output must not be one of the files checked: {out}")


def _no_files_message(paths: list[str]) -> UsageError:
    """Nothing to check: say what was there instead."""
    from collections import Counter

    from validator.api import WalkCounts, iter_entries

    counts = WalkCounts()
    reasons: Counter = Counter()
    for entry in iter_entries(paths, counts):
        if entry.reason is not None:
            reasons[(entry.path.suffix.lower() or "—")] += 1
    shown = " ".join(paths)
    if not reasons:
        return UsageError(f"没有找到可检查的文件：{shown}", f"no files to check: {shown}")
    listed = "、".join(f"{k} {n} 个" for k, n in reasons.most_common(5))
    listed_en = ", ".join(f"{n} {k}" for k, n in reasons.most_common(5))
    return UsageError(f"没有找到可检查的文件：{shown}（有 {sum(reasons.values())} 个文件类型不受支持：{listed}）",
                      f"no files to check: {shown} ({sum(reasons.values())} file(s) of unsupported types: {listed_en})")


def _settings(args):
    """The command line over the settings file: what this run does. Returns the limits."""
    from validator.cli.common import limits_from_args
    from validator.cli.config import resolve

    config = resolve(args.config, args.paths[0] if args.paths else None)
    if not getattr(args, "lang_given", True) and config.lang:
        args.lang = config.lang
    args.format = args.format or config.format or "rich"
    args.jobs = args.jobs if args.jobs is not None else (config.jobs if config.jobs is not None else 1)
    args.fail_on = args.fail_on or config.fail_on or "error"
    args.select = split_list(args.select) if args.select else config.select
    args.ignore = split_list(args.ignore) if args.ignore else config.ignore
    args.pack = args.pack or config.packs
    args.rules = args.rules or config.rules
    args.view = "statistics" if args.statistics else "quiet" if args.quiet else "summary" if args.summary else "full"
    return limits_from_args(args, config)


def run(args) -> int:
    from validator.api import Validator, iter_paths

    reports = args.report or []
    for p in [*args.paths, *reports]:
        problem = path_problem(Path(p))
        if problem is not None:
            raise UsageError(*problem)
    folder = next((r for r in reports if Path(r).is_dir()), None)
    if folder is not None:
        raise UsageError(f"--report 应为报告文件，而不是目录：{folder}", f"--report takes a report file, not a folder: {folder}")
    limits = _settings(args)
    lang = args.lang
    if args.jobs < 0:
        raise UsageError("--jobs 不能为负数", "--jobs cannot be negative")
    if args.jobs > MAX_JOBS:
        raise UsageError(f"--jobs 不能超过 {MAX_JOBS}", f"--jobs cannot exceed {MAX_JOBS}")
    if args.format not in VIEWS[args.view]:
        option = "--" + args.view
        raise UsageError(f"{option} 只适用于 {'、'.join(VIEWS[args.view])} 格式，不适用于 {args.format}",
                         f"{option} works with the {', '.join(VIEWS[args.view])} format(s), not {args.format}")
    out_path = output_target(args.output, args.force, lang)
    if args.format == "xlsx" and out_path is None and sys.stdout.isatty():
        raise UsageError("xlsx 是二进制文件，请用 -o 指定输出文件", "xlsx is a binary file: name one with -o")
    if next(iter(iter_paths(args.paths)), None) is None:
        raise _no_files_message(args.paths)
    if out_path is not None:
        _refuse_input_as_output(out_path, [*args.paths, *reports])
    # The HTML report draws each table around its findings: only it keeps the cells.
    options = dict(rules=args.rules, select=args.select, ignore=args.ignore, packs=args.pack, preview=args.preview, limits=limits,
                   keep_grids=args.format == "html")
    validator = Validator(**options)
    started()
    check_selectors(validator, options["select"], "--select")
    check_selectors(validator, options["ignore"], "--ignore")
    if args.explain:
        from validator.api import iter_entries

        groups = [list(e.target) if isinstance(e.target, list) else [e.target] for e in iter_entries(args.paths) if e.to_check]
        return _explain(validator, groups, args.explain, args, out_path)
    return _batch(args, validator, options, out_path)


def _batch(args, validator, options: dict, out_path: Path | None) -> int:
    from functools import partial

    from validator.api import Validator, WalkCounts, iter_entries
    from validator.check.batch import check_many, default_jobs
    from validator.cli.output import Signals, open_sink
    from validator.report.report import Report, Tally

    lang = args.lang
    jobs = args.jobs or default_jobs()
    streaming = args.format == "jsonl"  # one line per file as it is done: memory stays flat
    # The quiet and statistics views need running counts only, never the files.
    keep = not streaming and args.view in ("full", "summary")
    report = Report(titles_en=_titles_en(validator), fail_on=args.fail_on)
    if args.format == "html":
        report.checked_at, report.pack_versions = _provenance(validator)
    tally = Tally()
    walked = WalkCounts()
    # The bar is transient and on stderr; reports are drawn after it is gone.
    progress = _Progress(args.paths, lang) if sys.stderr.isatty() else None
    signals = Signals()
    sink = open_sink(out_path, signals, lang) if streaming else None
    hard_stop = False
    try:
        try:
            # A partial, not a lambda: it must reach a worker started with spawn (no fork).
            # The files of one unit (a report and its tables) are one entry, checked together.
            # Without the files kept, each file comes back digested (its jsonl lines and its
            # counts), worked out in the worker that checked it.
            batches = check_many(validator, iter_entries(args.paths, walked, args.report or ()), jobs,
                                 factory=partial(Validator, **options), stop=lambda: signals.requested is not None,
                                 digest=None if keep else partial(_digest, streaming))
            for item in batches:
                if keep:
                    for fr in item:
                        report.files.append(fr)
                        tally.add(fr)
                    done = len(item)
                else:
                    data, lines, part, problems = item
                    if data:
                        sink.write(data, lines=lines)
                    for fr in problems:
                        _say_problem(fr, lang, progress)
                    tally.merge(part)
                    done = part.files + part.not_checked
                if progress:
                    progress.advance(done)
        except KeyboardInterrupt:  # a second Ctrl-C: stop at once (no line is ever cut)
            hard_stop = True
        finally:
            if progress:
                progress.stop()
        tally.lock_files, tally.hidden = walked.lock_files, walked.hidden
        report.lock_files, report.hidden = walked.lock_files, walked.hidden
        if streaming:
            sink.commit()
        elif not hard_stop:
            _write_report(report, tally, args, out_path, signals)
    except BaseException:
        if sink is not None:
            sink.abort()
        raise
    finally:
        signals.restore()
    if keep:
        for fr in report.files:
            _say_problem(fr, lang, None)
    if args.debug:
        for fr in report.files:
            if fr.traceback:
                print(fr.traceback, file=sys.stderr, end="")
    if signals.requested is not None or hard_stop:
        n = sink.lines if streaming else tally.files + tally.not_checked
        if hard_stop and not streaming:
            print(say(lang, f"selfeval: 已中断，已检查 {n} 个文件（未输出报告）", f"selfeval: interrupted after {n} file(s) (no report written)"), file=sys.stderr)
        else:
            print(say(lang, f"selfeval: 已中断，已检查 {n} 个文件（结果见上）", f"selfeval: interrupted after {n} file(s) (results above)"), file=sys.stderr)
        return signals.exit_code
    if streaming:
        s = tally.summary
        print(say(lang, f"selfeval: {s['files']} 个文件，错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}",
                  f"selfeval: {s['files']} file(s), {s['error']} error(s), {s['warning']} warning(s), {s['info']} note(s)"), file=sys.stderr)
    return tally.exit_code(args.fail_on)


def _provenance(validator) -> tuple[str, dict[str, str]]:
    """When this check ran, and a version of each rule pack's text: packs carry no
    version number, so the first digits of a digest of the files the pack is loaded
    from (pack.yaml and its rule files) stand for one; a changed rule changes it."""
    import hashlib
    from datetime import datetime

    versions = {}
    for pack in validator.packs:
        h = hashlib.sha256()
        for f in sorted(pack.path.glob("*.y*ml")):
            try:
                h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
            except OSError:  # the pack was loaded; a file gone since only leaves the digest short of it
                continue
        versions[pack.name] = h.hexdigest()[:10]
    return _now(datetime), versions


def _now(datetime) -> str:
    """This moment, or SOURCE_DATE_EPOCH's (reproducible-builds.org) when it is set, so two
    runs on the same files write the same page."""
    import os
    from datetime import timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).isoformat(timespec="seconds")
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _titles_en(validator) -> dict[str, str]:
    return {r.id: r.title_en for r in validator.packset.all_rules() if getattr(r, "title_en", None)}


def _say_problem(fr, lang: str, progress) -> None:
    """One line on stderr for a file that could not be used or that selfeval failed on."""
    if fr.error is None:
        return
    from validator.report.safe import one_line

    line = f"selfeval: {one_line(fr.error_text(lang) or '')}"
    if progress is not None:
        progress.print(line)
    else:
        print(line, file=sys.stderr)


def _digest(streaming: bool, reports: list) -> tuple[bytes, int, "Tally", list]:
    """What the batch needs of one entry's reports when it does not keep them: their
    jsonl lines (when streaming), their counts, and the reports of files that could not
    be used, for a line on stderr."""
    from validator.report.report import Tally

    data = b"".join(_jsonl_bytes(fr) for fr in reports) if streaming else b""
    return data, len(reports) if streaming else 0, Tally(reports), [fr for fr in reports if fr.error is not None]


def _jsonl_bytes(fr) -> bytes:
    from validator.report.json_report import dumps_line

    return (dumps_line({"version": 1, **fr.to_dict()}) + "\n").encode("utf-8")


def _write_report(report, tally, args, out_path: Path | None, signals) -> None:
    from validator.cli.output import write_whole

    write_whole(out_path, _render_bytes(report, tally, args, out_path is not None), signals, args.lang)


def _render_bytes(report, tally, args, to_file: bool) -> bytes:
    """The whole report, drawn before a byte of it is written."""
    fmt, lang, view = args.format, args.lang, args.view
    color = {"always": True, "never": False}.get(args.color)
    if to_file:
        color = bool(color)
    if view in ("quiet", "statistics"):
        if fmt == "json":
            from validator.report.json_report import totals_json

            return (totals_json(tally, view, args.fail_on, lang, report.titles_en) + "\n").encode("utf-8")
        from validator.report.rich_report import totals_text

        return totals_text(tally, lang, view, args.fail_on, report.titles_en, color=color).encode("utf-8")
    if fmt == "rich":
        from validator.report.rich_report import rich_text

        return rich_text(report, lang=lang, color=color, detail=view).encode("utf-8")
    from validator.report.render import render

    out = render(report, fmt, lang=lang)
    if isinstance(out, bytes):
        return out
    return (out if out.endswith("\n") else out + "\n").encode("utf-8")


class _Progress:
    """A progress bar on stderr, for a terminal only."""

    def __init__(self, paths, lang: str):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from validator.api import iter_entries

        total = sum(1 for e in iter_entries(paths) if not e.folder)
        self._progress = Progress(TextColumn(say(lang, "检查中", "checking")), BarColumn(), MofNCompleteColumn(),
                                  TimeRemainingColumn(), console=Console(stderr=True, markup=False, highlight=False, emoji=False),
                                  transient=True)
        self._task = self._progress.add_task("", total=total)
        self._progress.start()

    def advance(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def print(self, line: str) -> None:
        from rich.text import Text

        self._progress.console.print(Text(line))

    def stop(self) -> None:
        self._progress.stop()


def _explain(validator, groups: list[list[Path]], target: str, args, out_path: Path | None) -> int:
    """How a rule or a finding was computed, for each document the rule runs on, the
    files of each submission together (`groups`, as check groups them: a report and its
    tables): as text (rich), or as JSON, jsonl or HTML when asked, to stdout or to -o
    like a report."""
    import html

    from validator import limits
    from validator.check.explain import NotRunHere, explain_submission
    from validator.cli.output import Signals, write_whole
    from validator.errors import SelfevalError
    from validator.report.json_report import dumps_line
    from validator.report.safe import visible
    from validator.submission import load_documents

    lang, fmt = args.lang, args.format
    if fmt not in ("rich", "json", "jsonl", "html"):
        raise UsageError(f"--explain 只能输出 rich、json、jsonl 或 html，不能输出 {fmt}",
                         f"--explain writes rich, json, jsonl or html, not {fmt}")
    found: list[dict] = []
    not_run: UsageError | None = None  # the first submission the rule does not run on
    with limits.active(validator.limits):
        # The files of one submission together: a rule that reads another document (the
        # issued targets, the table a report speaks of) sees it, as in a check.
        for group in groups:
            documents = [(loaded.origin, loaded.data) for path in group for loaded in load_documents(path, validator.limits)]
            try:
                explained = explain_submission(validator, documents, target, lang)
            except SelfevalError as exc:
                origin = documents[0][0] if len(documents) == 1 else ", ".join(str(p) for p in group)
                problem = UsageError(f"{origin}: {exc.message}", f"{origin}: {exc.message_en}")
                if not isinstance(exc, NotRunHere):
                    raise problem from None
                not_run = not_run or problem
                continue
            found.extend({"path": origin, "target": target, "text": text} for origin, text in explained)
    if not found and not_run is not None:
        raise not_run
    if fmt == "rich":
        data = "".join(f"== {visible(e['path'])}\n{visible(e['text'])}" for e in found)
    elif fmt == "json":
        data = dumps_line({"version": 1, "explanations": found}) + "\n"
    elif fmt == "jsonl":
        data = "".join(dumps_line({"version": 1, **e}) + "\n" for e in found)
    else:
        title = say(lang, "规则计算说明", "How the rule was computed")
        body = "\n".join(f"<h2>{html.escape(e['path'])}</h2>\n<pre>{html.escape(e['text'])}</pre>" for e in found)
        data = (f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "zh-CN"}">\n<head>\n<meta charset="utf-8">\n'
                f"<title>{html.escape(title)}</title>\n</head>\n<body>\n<h1>{html.escape(title + say(lang, '：', ': ') + target)}</h1>\n"
                f"{body}\n</body>\n</html>\n")
    signals = Signals()
    try:
        write_whole(out_path, data.encode("utf-8"), signals, lang)
    finally:
        signals.restore()
    return 0
