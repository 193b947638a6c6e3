"""The `selfeval` command line. Each command lives in validator/commands/ and is
imported only when used, so start-up pays only for what the command needs."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from validator.cli.common import EXIT_OK, EXIT_UNUSABLE, say

COMMANDS = ("check", "convert", "rules")


def _lang_from_argv(argv: list[str]) -> str:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "zh"
    return "zh"


def _command_module(name: str):
    import importlib

    return importlib.import_module(f"validator.cli.{name}")


class _Parser(argparse.ArgumentParser):
    """A command line that cannot be parsed ends in one line on stderr and exit 2, like
    every other unusable input (argparse would print the whole usage first)."""

    lang = "zh"  # set by main() from the command line being parsed

    def error(self, message: str):
        lang = _Parser.lang
        hint = say(lang, f"（运行 {self.prog} --help 查看用法）", f" (see {self.prog} --help)")
        self.exit(EXIT_UNUSABLE, f"{self.prog}: {say(lang, '错误', 'error')}: {message}{hint}\n")


def build_parser(lang: str) -> argparse.ArgumentParser:
    from validator import __version__

    # --lang and --debug are accepted before the command and after it. After it they
    # must not have defaults of their own: argparse would let a command's default
    # overwrite what was given before the command (`selfeval --debug check …`).
    top = _Parser(add_help=False)
    top.add_argument("--lang", choices=("zh", "en"), default="zh", help=say(lang, "报告和消息的语言", "language of reports and messages"))
    top.add_argument("--debug", action="store_true", help=say(lang, "出错时显示完整的调用栈", "show the full traceback on errors"))
    common = _Parser(add_help=False)
    common.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=say(lang, "报告和消息的语言", "language of reports and messages"))
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=say(lang, "出错时显示完整的调用栈", "show the full traceback on errors"))
    parser = _Parser(
        prog="selfeval", parents=[top],
        description=say(lang, "绩效自评表校验工具：检查资金合计、执行率、指标完成、单位和说明中的错误。",
                        "Validator for performance self-evaluation tables: totals, rates, indicators, units and explanations."),
    )
    parser.add_argument("--version", action="version", version=f"selfeval {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    # Command modules import their heavy dependencies only inside run().
    for name in COMMANDS:
        _command_module(name).add_parser(_SubWithCommon(sub, common), lang)
    return parser


class _SubWithCommon:
    """Gives every command parser the shared --lang/--debug options."""

    def __init__(self, sub, common):
        self._sub, self._common = sub, common

    def add_parser(self, name, **kw):
        kw.setdefault("parents", [self._common])
        return self._sub.add_parser(name, **kw)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _Parser.lang = _lang_from_argv(argv)
    debug = "--debug" in argv
    if hasattr(signal, "SIGXFSZ"):
        # Past the file size limit (ulimit -f) a write fails with EFBIG, which is reported
        # and cleaned up, instead of the process being killed with a half-written file.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        args = build_parser(lang).parse_args(argv)
        lang, debug = args.lang, args.debug
        return _command_module(args.command).run(args)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - every way out is one clear line
        if debug and not isinstance(exc, (KeyboardInterrupt, BrokenPipeError)):
            raise
        return _fail(exc, lang)


def _fail(exc: BaseException, lang: str) -> int:
    from validator.errors import SelfevalError
    from validator.report.safe import one_line, visible

    if isinstance(exc, SelfevalError):
        for line in _error_lines(exc.text(lang)):
            print(line, file=sys.stderr)
        return EXIT_UNUSABLE
    if isinstance(exc, KeyboardInterrupt):
        print(say(lang, "selfeval: 已中断", "selfeval: interrupted"), file=sys.stderr)
        return 130
    if isinstance(exc, BrokenPipeError):
        # `selfeval … | head`: the reader left; nothing is wrong with the input.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    if isinstance(exc, RecursionError):
        print(say(lang, "selfeval: 输入嵌套过深，无法处理（见 --limit depth）", "selfeval: the input is nested too deeply (see --limit depth)"),
              file=sys.stderr)
        return EXIT_UNUSABLE
    if isinstance(exc, MemoryError):
        print(say(lang, "selfeval: 内存不足，无法完成检查", "selfeval: out of memory; the check could not be completed"), file=sys.stderr)
        return EXIT_UNUSABLE
    if isinstance(exc, OSError) and exc.filename is None:
        from validator.cli.output import write_problem

        # A write to stdout or stderr that failed (a full disk behind a redirection).
        problem = write_problem(exc, say(lang, "标准输出", "standard output"), lang)
        print(one_line(f"selfeval: {problem.text(lang)}"), file=sys.stderr)
        return EXIT_UNUSABLE
    from validator.check.engine import describe_exception

    what = visible(describe_exception(exc))
    print(one_line(say(lang, f"selfeval: 内部错误：{what}（加 --debug 查看详情）",
                       f"selfeval: internal error: {what} (run with --debug for details)")), file=sys.stderr)
    return EXIT_UNUSABLE


def _error_lines(text: str) -> list[str]:
    """A message on one line, control characters and line breaks shown as escapes (a
    file name may hold a newline or an escape sequence); a rule error keeps the source
    line and the ^^^ under it that follow its message."""
    from validator.report.safe import one_line, visible

    lines = text.split("\n")
    if len(lines) >= 3 and lines[-1].strip() and set(lines[-1].strip()) == {"^"}:
        return [one_line("selfeval: " + "\n".join(lines[:-2]))] + [visible(l) for l in lines[-2:]]
    return [one_line("selfeval: " + text)]
