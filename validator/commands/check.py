"""`selfeval check`: check submissions and draw the report."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from .common import UsageError, add_rule_options, output_target, say, split_list, write_text


def add_parser(sub, lang: str) -> None:
    p = sub.add_parser("check", help=say(lang, "检查自评表文件或目录", "check submission files or folders"),
                       description=say(lang, "检查自评表文件或目录", "check submission files or folders"))
    p.add_argument("paths", nargs="+", help=say(lang, "自评表文件（.yaml .yml .json .xlsx）或目录", "submission files (.yaml .yml .json .xlsx) or folders"))
    add_rule_options(p, lang)
    p.add_argument("--select", action="append", metavar="IDS", help=say(lang, "只运行这些规则（编号、编号前缀或类别，逗号分隔）", "run only these rules (ids, id prefixes or categories, comma-separated)"))
    p.add_argument("--ignore", action="append", metavar="IDS", help=say(lang, "不运行这些规则（编号、编号前缀或类别，逗号分隔）", "skip these rules (ids, id prefixes or categories, comma-separated)"))
    p.add_argument("--preview", action="store_true", help=say(lang, "同时运行预览状态的规则", "also run preview rules"))
    p.add_argument("--format", choices=("rich", "json", "html"), default="rich", help=say(lang, "输出格式", "output format"))
    p.add_argument("-o", "--output", metavar="FILE", help=say(lang, "写入文件而不是标准输出", "write to this file instead of standard output"))
    p.add_argument("--force", action="store_true", help=say(lang, "允许覆盖已存在的输出文件", "allow overwriting an existing output file"))
    p.add_argument("--explain", metavar="RULE[@PATH]", help=say(lang, "说明某条规则或某个发现是如何算出的（如 AR007 或 AR007@funds.sources[2].rate）", "show how a rule or one finding was computed (AR007 or AR007@funds.sources[2].rate)"))
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=say(lang, "颜色：auto（终端时着色）、always、never", "colour: auto (when a terminal), always, never"))


def run(args) -> int:
    from ..api import Validator, expand_paths

    lang = args.lang
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"文件或目录不存在：{missing[0]}", f"no such file or folder: {missing[0]}")
    out_path = output_target(args.output, args.force, lang)
    files = expand_paths(args.paths)
    if not files:
        raise UsageError(f"没有找到可检查的文件：{' '.join(args.paths)}", f"no files to check: {' '.join(args.paths)}")
    validator = Validator(rules=args.rules, select=split_list(args.select), ignore=split_list(args.ignore),
                          packs=args.pack, preview=args.preview)
    if args.explain:
        return _explain(validator, files, args.explain, lang)
    report = validator.check(files)

    from ..render import render

    color = {"always": True, "never": False}.get(args.color)
    if out_path is not None:
        buffer = io.StringIO()
        render(report, args.format, lang=lang, stream=buffer, color=bool(color))
        write_text(out_path, buffer.getvalue(), lang)
    else:
        render(report, args.format, lang=lang, stream=sys.stdout, color=color)
    for fr in report.unusable:
        print(f"selfeval: {fr.error_text(lang)}", file=sys.stderr)
    return report.exit_code


def _explain(validator, files: list[Path], target: str, lang: str) -> int:
    from ..explain import explain
    from ..readers import load_file

    for path in files:
        for loaded in load_file(path):
            print(f"== {loaded.origin}")
            sys.stdout.write(explain(validator, loaded.data, target, lang))
    return 0
