"""`selfeval check`: check submissions and draw the report."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

from validator.cli.common import (UsageError, add_limit_option, add_rule_options, limits_from_args, output_target, say, split_list,
                     temporary_beside, write_text)

# More worker processes than this is a typo, not a plan (each one loads the rules).
MAX_JOBS = 256


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
    p.add_argument("--format", choices=("rich", "json", "jsonl", "html"), default="rich",
                   help=say(lang, "输出格式；jsonl 每个文件一行，边检查边输出", "output format; jsonl writes one line per file as it is checked"))
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help=say(lang, "并行进程数（0 表示按 CPU 核数）", "worker processes (0: one per CPU core)"))
    p.add_argument("-o", "--output", metavar="FILE", help=say(lang, "写入文件而不是标准输出", "write to this file instead of standard output"))
    p.add_argument("--force", action="store_true", help=say(lang, "允许覆盖已存在的输出文件", "allow overwriting an existing output file"))
    p.add_argument("--explain", metavar="RULE[@PATH]", help=say(lang, "说明某条规则或某个发现是如何算出的（如 AR007 或 AR007@funds.sources[2].rate）", "show how a rule or one finding was computed (AR007 or AR007@funds.sources[2].rate)"))
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=say(lang, "颜色：auto（终端时着色）、always、never", "colour: auto (when a terminal), always, never"))
    add_limit_option(p, lang)


def _refuse_input_as_output(out: Path, paths: list[str]) -> None:
    """`-o` naming one of the files being checked (or a waiver side file) would destroy
    an input, --force or not."""
    from validator.api import iter_paths
    from validator.check.waivers import side_file

    if not out.exists():
        return
    target = out.resolve()
    for p in iter_paths(paths):
        resolved = p.resolve()
        if target == resolved or target == side_file(resolved):
            raise UsageError(f"输出文件不能是被检查的输入文件：{out}", f"the output must not be one of the files checked: {out}")


def run(args) -> int:
    from validator.api import Validator, iter_paths

    lang = args.lang
    reports = args.report or []
    missing = [p for p in [*args.paths, *reports] if not Path(p).exists()]
    if missing:
        raise UsageError(f"文件或目录不存在：{missing[0]}", f"no such file or folder: {missing[0]}")
    if args.jobs < 0:
        raise UsageError("--jobs 不能为负数", "--jobs cannot be negative")
    if args.jobs > MAX_JOBS:
        raise UsageError(f"--jobs 不能超过 {MAX_JOBS}", f"--jobs cannot exceed {MAX_JOBS}")
    limits = limits_from_args(args)
    out_path = output_target(args.output, args.force, lang)
    if next(iter(iter_paths(args.paths)), None) is None:
        raise UsageError(f"没有找到可检查的文件：{' '.join(args.paths)}", f"no files to check: {' '.join(args.paths)}")
    folder = next((r for r in reports if Path(r).is_dir()), None)
    if folder is not None:
        raise UsageError(f"--report 应为报告文件，而不是目录：{folder}", f"--report takes a report file, not a folder: {folder}")
    if out_path is not None:
        _refuse_input_as_output(out_path, [*args.paths, *reports])
    options = dict(rules=args.rules, select=split_list(args.select), ignore=split_list(args.ignore),
                   packs=args.pack, preview=args.preview, limits=limits)
    validator = Validator(**options)
    if args.explain:
        return _explain(validator, list(iter_paths(args.paths)), args.explain, lang)

    from validator.check.batch import check_many, default_jobs
    from validator.report.report import Report
    from validator.submission import iter_submissions

    jobs = args.jobs or default_jobs()
    stream_tmp = None
    if out_path is not None and args.format == "jsonl":
        stream_out, stream_tmp = temporary_beside(out_path)
    else:
        stream_out = sys.stdout
    report = Report()
    keep = args.format != "jsonl"  # jsonl streams: memory stays flat however many files
    totals = Report()
    # The bar is transient and on stderr; reports are drawn after it is gone.
    progress = _Progress(args.paths, lang) if sys.stderr.isatty() else None
    interrupted = False
    stop = _Interrupt()
    try:
        # The files of one unit (a report and its tables) are checked together.
        submissions = (g if len(g) > 1 else g[0] for g in iter_submissions(args.paths, reports))
        for checked in check_many(validator, submissions, jobs, factory=lambda: Validator(**options)):
            if stop.requested:
                interrupted = True
                break
            for fr in checked:
                if keep:
                    report.files.append(fr)
                else:
                    stream_out.write(json.dumps(_jsonl(fr), ensure_ascii=False, default=str) + "\n")
                    stream_out.flush()
                totals.files.append(_summary_only(fr))
            if progress:
                progress.advance(len(checked))
    except KeyboardInterrupt:  # a second Ctrl-C while a file is still being checked
        interrupted = True
    except BaseException:
        # A failed run (a rule that raised) leaves no report behind that looks complete.
        if stream_tmp is not None:
            stream_out.close()
            stream_tmp.unlink(missing_ok=True)
        raise
    finally:
        stop.restore()
        if progress:
            progress.stop()
    if not keep:
        if stream_tmp is not None:
            stream_out.close()
            stream_tmp.replace(out_path)
    else:
        from validator.report.render import render

        color = {"always": True, "never": False}.get(args.color)
        if out_path is not None:
            buffer = io.StringIO()
            render(report, args.format, lang=lang, stream=buffer, color=bool(color))
            write_text(out_path, buffer.getvalue(), lang)
        else:
            render(report, args.format, lang=lang, stream=sys.stdout, color=color)
    for fr in totals.unusable:
        print(f"selfeval: {' '.join((fr.error_text(lang) or '').split())}", file=sys.stderr)  # one line per file
    if interrupted:
        n = len(totals.files)
        print(say(lang, f"selfeval: 已中断，已检查 {n} 个文件（结果见上）", f"selfeval: interrupted after {n} file(s) (results above)"), file=sys.stderr)
        return 130
    if not keep:
        s = totals.summary
        print(say(lang, f"selfeval: {s['files']} 个文件，错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}",
                  f"selfeval: {s['files']} file(s), {s['error']} error(s), {s['warning']} warning(s), {s['info']} note(s)"), file=sys.stderr)
    return totals.exit_code


def _jsonl(fr) -> dict:
    return {"version": 1, **fr.to_dict()}


def _summary_only(fr):
    """What the final summary and exit code need, without the findings' texts."""
    from validator.report.report import FileReport

    slim = FileReport(path=fr.path, kind=fr.kind, error=fr.error, error_en=fr.error_en)
    slim.findings = [_Counted(f.severity, f.waiver) for f in fr.findings]
    return slim


class _Counted:
    __slots__ = ("severity", "waiver")

    def __init__(self, severity, waiver):
        self.severity, self.waiver = severity, waiver


class _Interrupt:
    """Ctrl-C asks the batch to stop after the file in hand, so no line of output is cut
    in half and every file written is counted; a second Ctrl-C stops at once."""

    def __init__(self):
        import signal
        import threading

        self.requested = False
        self._previous = None
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def restore(self) -> None:
        if self._previous is not None:
            import signal

            signal.signal(signal.SIGINT, self._previous)
            self._previous = None


class _Progress:
    """A progress bar on stderr, for a terminal only."""

    def __init__(self, paths, lang: str):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        from validator.api import iter_paths

        total = sum(1 for _ in iter_paths(paths))
        self._progress = Progress(TextColumn(say(lang, "检查中", "checking")), BarColumn(), MofNCompleteColumn(),
                                  TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self._task = self._progress.add_task("", total=total)
        self._progress.start()

    def advance(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def stop(self) -> None:
        self._progress.stop()


def _explain(validator, files: list[Path], target: str, lang: str) -> int:
    from validator import limits
    from validator.errors import SelfevalError
    from validator.check.explain import explain
    from validator.submission import load_documents

    with limits.active(validator.limits):
        for path in files:
            for loaded in load_documents(path, validator.limits):
                print(f"== {loaded.origin}")
                try:
                    text = explain(validator, loaded.data, target, lang)
                except SelfevalError as exc:
                    raise UsageError(f"{loaded.origin}: {exc.message}", f"{loaded.origin}: {exc.message_en}") from None
                sys.stdout.write(text)
    return 0
