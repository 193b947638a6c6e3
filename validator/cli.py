"""The `selfeval` command. Imports stay inside the commands so that start-up pays only
for what the command uses."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2

_TEXT = {
    "zh": {
        "description": "绩效自评表校验工具：检查资金合计、执行率、指标完成、单位和说明中的错误。",
        "check": "检查自评表文件或目录",
        "paths": "自评表文件（.yaml .yml .json .xlsx）或目录",
        "rules": "额外的规则包目录（可多次使用）",
        "select": "只运行这些规则（编号、编号前缀或类别，逗号分隔）",
        "ignore": "不运行这些规则（编号、编号前缀或类别，逗号分隔）",
        "format": "输出格式",
        "lang": "报告语言",
        "output": "写入文件而不是标准输出",
        "force": "允许覆盖已存在的输出文件",
        "color": "颜色：auto（终端时着色）、always、never",
        "debug": "出错时显示完整的调用栈",
        "no_files": "没有找到可检查的文件",
        "exists": "输出文件已存在（使用 --force 覆盖）",
        "missing": "文件或目录不存在",
        "internal": "内部错误",
        "written": "报告已写入",
    },
    "en": {
        "description": "Validator for performance self-evaluation tables: checks totals, rates, indicators, units and explanations.",
        "check": "check submission files or folders",
        "paths": "submission files (.yaml .yml .json .xlsx) or folders",
        "rules": "extra rule pack folder (repeatable)",
        "select": "run only these rules (ids, id prefixes or categories, comma-separated)",
        "ignore": "skip these rules (ids, id prefixes or categories, comma-separated)",
        "format": "output format",
        "lang": "report language",
        "output": "write to this file instead of standard output",
        "force": "allow overwriting an existing output file",
        "color": "colour: auto (when a terminal), always, never",
        "debug": "show the full traceback on errors",
        "no_files": "no files to check",
        "exists": "the output file already exists (use --force to overwrite)",
        "missing": "no such file or folder",
        "internal": "internal error",
        "written": "report written to",
    },
}


def _lang_from_argv(argv: list[str]) -> str:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if a.startswith("--lang="):
            return "en" if a.split("=", 1)[1] == "en" else "zh"
    return "zh"


def _split(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def build_parser(lang: str) -> argparse.ArgumentParser:
    t = _TEXT[lang]
    from . import __version__

    parser = argparse.ArgumentParser(prog="selfeval", description=t["description"])
    parser.add_argument("--version", action="version", version=f"selfeval {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help=t["check"], description=t["check"])
    check.add_argument("paths", nargs="+", help=t["paths"])
    check.add_argument("--rules", action="append", default=[], metavar="DIR", help=t["rules"])
    check.add_argument("--select", action="append", metavar="IDS", help=t["select"])
    check.add_argument("--ignore", action="append", metavar="IDS", help=t["ignore"])
    check.add_argument("--format", choices=("rich", "json", "html"), default="rich", help=t["format"])
    check.add_argument("--lang", choices=("zh", "en"), default="zh", help=t["lang"])
    check.add_argument("-o", "--output", metavar="FILE", help=t["output"])
    check.add_argument("--force", action="store_true", help=t["force"])
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=t["color"])
    check.add_argument("--debug", action="store_true", help=t["debug"])
    return parser


def _fail(message: str) -> int:
    print(f"selfeval: {message}", file=sys.stderr)
    return EXIT_UNUSABLE


def _check(args, t) -> int:
    from .api import Validator, expand_paths

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        return _fail(f"{t['missing']}: {missing[0]}")
    out_path = Path(args.output) if args.output else None
    if out_path is not None and out_path.exists() and not args.force:
        return _fail(f"{t['exists']}: {out_path}")
    files = expand_paths(args.paths)
    if not files:
        return _fail(f"{t['no_files']}: {' '.join(args.paths)}")
    validator = Validator(rules=args.rules, select=_split(args.select), ignore=_split(args.ignore))
    report = validator.check(files)

    from .render import render

    color = {"always": True, "never": False}.get(args.color)
    if out_path is not None:
        import io

        buffer = io.StringIO()
        render(report, args.format, lang=args.lang, stream=buffer, color=False if color is None else color)
        out_path.write_text(buffer.getvalue(), encoding="utf-8")
        print(f"{t['written']} {out_path}", file=sys.stderr)
    else:
        render(report, args.format, lang=args.lang, stream=sys.stdout, color=color)
    for fr in report.unusable:
        print(f"selfeval: {fr.error_text(args.lang)}", file=sys.stderr)
    return report.exit_code


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from_argv(argv)
    args = build_parser(lang).parse_args(argv)
    t = _TEXT[args.lang if hasattr(args, "lang") else lang]
    from .errors import SelfevalError

    try:
        if args.command == "check":
            return _check(args, t)
    except SelfevalError as exc:
        if getattr(args, "debug", False):
            raise
        text = exc.text(args.lang)
        first, _, rest = text.partition("\n")
        print(f"selfeval: {first}", file=sys.stderr)
        if rest:
            print(rest, file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `selfeval check … | head`: the reader left; nothing is wrong with the input.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # never a bare traceback for the user
        if getattr(args, "debug", False):
            raise
        return _fail(f"{t['internal']}: {type(exc).__name__}: {exc}（--debug）")
    return EXIT_UNUSABLE
