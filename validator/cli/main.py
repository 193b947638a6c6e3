"""The `selfeval` command line. Each command lives in validator/cli/ and is imported
only when used, so start-up pays only for what the command needs.

argparse speaks English and names its internals (`rules_command`); its messages are
said again here in the user's language, naming commands and options as a user types
them, with the command or option probably meant."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys

from validator.cli.common import EXIT_OK, EXIT_UNUSABLE, say

COMMANDS = ("check", "convert", "rules", "serve")


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


# argparse's own words in help output, in Chinese (its error messages are rewritten whole
# in _Parser.error).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
}


def _choices_text(choices: str) -> list[str]:
    import re

    return re.findall(r"'([^']*)'", choices)


def _closest(word: str, candidates) -> str | None:
    from difflib import get_close_matches

    guess = get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    return guess[0] if guess else None


class _Parser(argparse.ArgumentParser):
    """A command line that cannot be parsed ends in one line on stderr and exit 2, like
    every other unusable input (argparse would print the whole usage first), in the
    user's language and with a did-you-mean."""

    lang = "zh"  # set by main() from the command line being parsed
    commands: dict[str, argparse.ArgumentParser] = {}  # every parser by its prog, for suggestions

    def __init__(self, *args, **kw):
        kw.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kw)
        _Parser.commands[self.prog] = self

    def parse_args(self, args=None, namespace=None):
        if self.prog == "selfeval" and args is not None:
            # An option mistyped before the command would only be noticed as a missing command.
            tokens = iter(args)
            for arg in tokens:
                if not arg.startswith("-"):
                    break
                action = self._option_string_actions.get(arg.split("=", 1)[0])
                if action is None and arg.startswith("--"):
                    self._unknown([arg])
                if action is not None and action.nargs is None and "=" not in arg:
                    next(tokens, None)  # its value
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            # Unknown options belong to the command they follow: suggest from its options.
            target = self
            for name in (getattr(parsed, "command", None), getattr(parsed, "rules_command", None)):
                if name:
                    target = _Parser.commands.get(f"{target.prog} {name}", target)
            target._unknown(extras)
        return parsed

    def _unknown(self, extras: list[str]):
        lang = _Parser.lang
        options = [o for a in self._actions for o in a.option_strings]
        first = next((e for e in extras if e.startswith("-")), extras[0])
        if first.startswith("-"):
            name = first.split("=", 1)[0]
            guess = _closest(name, options)
            self._fail(say(lang, f"未知选项 {name}", f"unknown option {name}"), guess)
        self._fail(say(lang, f"多余的参数：{' '.join(extras)}", f"unexpected argument(s): {' '.join(extras)}"), None)

    def _fail(self, text: str, guess: str | None):
        from validator.report.safe import one_line

        lang = _Parser.lang
        if guess:
            text += say(lang, f"（是否应为 {guess}？）", f" (did you mean {guess}?)")
        hint = say(lang, f"；运行 {self.prog} --help 查看用法", f"; see {self.prog} --help")
        self.exit(EXIT_UNUSABLE, one_line(f"{self.prog}: {say(lang, '错误', 'error')}{say(lang, '：', ': ')}{text}{hint}") + "\n")

    def error(self, message: str):
        import re

        lang = _Parser.lang
        m = re.match(r"argument (\S+?): invalid choice: '([^']*)' \(choose from (.*)\)$", message)
        if m:
            what, value, choices = m[1], m[2], _choices_text(m[3])
            listed = say(lang, "、", ", ").join(choices)
            guess = _closest(value, choices)
            ask = say(lang, f"是否应为 {guess}？", f"did you mean {guess}? ") if guess else ""
            if what in ("COMMAND", "命令", "SUBCOMMAND", "子命令"):
                text = say(lang, f"未知命令“{value}”（{ask}可用：{listed}）", f"unknown command '{value}' ({ask}one of: {listed})")
            else:
                text = say(lang, f"{what} 的取值“{value}”无效（{ask}可用：{listed}）", f"{what}: invalid value '{value}' ({ask}one of: {listed})")
            self._fail(text, None)
        m = re.match(r"argument (\S+?): invalid (\w+) value: '([^']*)'$", message)
        if m:
            kind = {"int": ("整数", "a whole number"), "float": ("数值", "a number")}.get(m[2], (m[2], m[2]))
            self._fail(say(lang, f"{m[1]} 需要{kind[0]}，而不是“{m[3]}”", f"{m[1]} needs {kind[1]}, not '{m[3]}'"), None)
        m = re.match(r"argument (\S+?): expected (one|at least one|at most one) argument", message)
        if m:
            self._fail(say(lang, f"{m[1]} 后面需要一个值", f"{m[1]} needs a value"), None)
        m = re.match(r"ambiguous option: (\S+) could match (.*)$", message)
        if m:
            self._fail(say(lang, f"选项 {m[1]} 有歧义，可能是：{m[2]}", f"option {m[1]} is ambiguous: {m[2]}"), None)
        m = re.match(r"the following arguments are required: (.*)$", message)
        if m:
            names = [n.strip() for n in m[1].split(",")]
            shown = say(lang, "、", ", ").join(_required_name(n, self, lang) for n in names)
            self._fail(say(lang, f"缺少{shown}", f"missing {shown}"), None)
        self._fail(message, None)


def _required_name(name: str, parser: argparse.ArgumentParser, lang: str) -> str:
    """A missing positional, as a user would call it."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if subs and name in ("COMMAND", "命令", "SUBCOMMAND", "子命令"):
        choices = say(lang, "、", ", ").join(subs[0].choices)
        return say(lang, f"命令（{choices}）", f"a command ({choices})")
    words = {"paths": ("要检查的文件或目录", "the files or folders to check"), "path": ("文件", "the file"),
             "ID": ("规则编号", "a rule id"), "-o/--output": (" -o/--output（输出目录）", "-o/--output (the folder)")}
    zh, en = words.get(name, (name, name))
    return say(lang, zh, en)


def _terminal_width() -> int:
    """shutil.get_terminal_size's answer, without importing shutil (and the compression
    modules it brings) on every start: argparse asks for it whenever an option is added."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Formatter(argparse.HelpFormatter):
    def __init__(self, prog, indent_increment=2, max_help_position=24, width=None):
        super().__init__(prog, indent_increment, max_help_position, (_terminal_width() - 2) if width is None else width)


def _command_in(argv: list[str]) -> str | None:
    """The command a command line runs, when it is plain: only that command's options need
    to be built. None when help, the version or a mistake comes first (then every command
    is built, to list them or to say which one was meant)."""
    tokens = iter(argv)
    for arg in tokens:
        if arg == "--lang":
            next(tokens, None)
        elif arg == "--debug" or arg.startswith("--lang="):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg if arg in COMMANDS else None
    return None


def build_parser(lang: str, only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only`, that command's options alone are built (the
    others are there by name, so the command is still recognized as one of them)."""
    from validator import __version__

    # --lang and --debug are accepted before the command and after it. After it they
    # must not have defaults of their own: argparse would let a command's default
    # overwrite what was given before the command (`selfeval --debug check …`).
    top = _Parser(add_help=False)
    top.add_argument("--lang", choices=("zh", "en"), default=None, help=say(lang, "报告和消息的语言（默认 zh）", "language of reports and messages (default zh)"))
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
    sub = parser.add_subparsers(dest="command", required=True, metavar=say(lang, "命令", "COMMAND"))
    # Command modules import their heavy dependencies only inside run().
    for name in COMMANDS:
        if only is None or name == only:
            _command_module(name).add_parser(_SubWithCommon(sub, common), lang)
        else:
            sub.add_parser(name)
    return parser


class _SubWithCommon:
    """Gives every command parser the shared --lang/--debug options."""

    def __init__(self, sub, common):
        self._sub, self._common = sub, common

    def add_parser(self, name, **kw):
        kw.setdefault("parents", [self._common])
        parser = self._sub.add_parser(name, **kw)
        return parser


def _parse(argv: list[str], lang: str) -> argparse.Namespace:
    # argparse looks its words up through its module's `_` (gettext) when it formats help.
    # Not through gettext: no catalogue translates argparse, and looking one up for every
    # word costs file lookups on a machine whose locale is set.
    original = argparse._
    argparse._ = (lambda text: text) if lang == "en" else (lambda text: _ARGPARSE_ZH.get(text, text))
    try:
        return build_parser(lang, _command_in(argv)).parse_args(argv)
    finally:
        argparse._ = original


def main(argv: list[str] | None = None) -> int:
    """The program: `selfeval …` and `python -m validator …` call it without arguments.
    Given `argv`, it runs in the caller's process, which it leaves as it found it."""
    if argv is not None:
        return _main(list(argv))
    from validator.cli.common import hold_gc, started

    hold_gc()
    try:
        return _main(sys.argv[1:])
    finally:
        started()
        # The process ends here: a last collection over everything it made would only
        # cost time (the interpreter runs one at exit unless the objects are frozen).
        import gc

        gc.freeze()


def _main(argv: list[str]) -> int:
    lang = _Parser.lang = _lang_from_argv(argv)
    debug = "--debug" in argv
    if hasattr(signal, "SIGXFSZ"):
        # Past the file size limit (ulimit -f) a write fails with EFBIG, which is reported
        # and cleaned up, instead of the process being killed with a half-written file.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    args = None
    try:
        args = _parse(argv, lang)
        # Not given: the settings file may choose (check reads it), else Chinese.
        args.lang_given = args.lang is not None
        args.lang = args.lang or "zh"
        debug = args.debug
        command = _command_module(args.command)
        if args.command != "check":  # check says itself when its start-up is over
            from validator.cli.common import started

            started()
        return command.run(args)
    except SystemExit:
        raise
    except BaseException as exc:  # noqa: BLE001 - every way out is one clear line
        if debug and not isinstance(exc, (KeyboardInterrupt, BrokenPipeError)):
            raise
        return _fail(exc, getattr(args, "lang", None) or lang)


# Errors of a write that had nowhere to go: said as such, not as an internal error.
_OUTPUT_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG, errno.EIO}


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
    if isinstance(exc, OSError) and exc.filename is None and exc.errno in _OUTPUT_ERRNOS:
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
