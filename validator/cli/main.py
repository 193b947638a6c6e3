"""The `selfeval` command line. Each command lives in validator/commands/ and is
imported only when used, so start-up pays only for what the command needs."""

from __future__ import annotations

import argparse
import os
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

    common = _Parser(add_help=False)
    common.add_argument("--lang", choices=("zh", "en"), default="zh", help=say(lang, "报告和消息的语言", "language of reports and messages"))
    common.add_argument("--debug", action="store_true", help=say(lang, "出错时显示完整的调用栈", "show the full traceback on errors"))
    parser = _Parser(
        prog="selfeval", parents=[common],
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
    args = build_parser(lang).parse_args(argv)
    from validator.errors import SelfevalError

    try:
        return _command_module(args.command).run(args)
    except SelfevalError as exc:
        if args.debug:
            raise
        first, _, rest = exc.text(args.lang).partition("\n")
        print(f"selfeval: {first}", file=sys.stderr)
        if rest:
            print(rest, file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print(say(args.lang, "selfeval: 已中断", "selfeval: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `selfeval … | head`: the reader left; nothing is wrong with the input.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except RecursionError:
        if args.debug:
            raise
        print(say(args.lang, "selfeval: 输入嵌套过深，无法处理（见 --limit depth）", "selfeval: the input is nested too deeply (see --limit depth)"),
              file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as exc:  # never a bare traceback for a user
        if args.debug:
            raise
        from validator.check.engine import describe_exception

        what = describe_exception(exc)
        print(say(args.lang, f"selfeval: 内部错误：{what}（加 --debug 查看详情）",
                  f"selfeval: internal error: {what} (run with --debug for details)"), file=sys.stderr)
        return EXIT_UNUSABLE
