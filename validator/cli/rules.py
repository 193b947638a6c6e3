"""`selfeval rules list|show|test|docs|lint`: the rule-authoring kit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from validator.cli.common import UsageError, add_rule_options, say


def add_parser(sub, lang: str) -> None:
    p = sub.add_parser("rules", help=say(lang, "列出、查看、测试、生成文档和检查规则包", "list, show, test, document and lint rule packs"),
                       description=say(lang, "规则包工具", "rule pack tools"))
    rsub = p.add_subparsers(dest="rules_command", required=True, metavar=say(lang, "子命令", "SUBCOMMAND"))
    ls = rsub.add_parser("list", help=say(lang, "列出规则", "list rules"))
    add_rule_options(ls, lang)
    ls.add_argument("--format", choices=("rich", "json"), default="rich")
    _lang_debug(ls, lang)

    show = rsub.add_parser("show", help=say(lang, "显示一条规则的说明和例子", "show a rule's documentation and examples"))
    show.add_argument("rule_id", metavar="ID")
    add_rule_options(show, lang)
    show.add_argument("--format", choices=("rich", "markdown"), default="rich")
    _lang_debug(show, lang)

    test = rsub.add_parser("test", help=say(lang, "运行规则夹具", "run rule fixtures"))
    test.add_argument("pack_names", nargs="*", metavar="PACK", help=say(lang, "规则包名称（默认全部）", "pack names (default: all)"))
    add_rule_options(test, lang)
    _lang_debug(test, lang)

    docs = rsub.add_parser("docs", help=say(lang, "生成 Markdown 规则目录", "generate a Markdown rule catalogue"))
    docs.add_argument("-o", "--output", required=True, metavar="DIR")
    docs.add_argument("--force", action="store_true", help=say(lang, "允许写入非空目录", "allow writing into a non-empty folder"))
    add_rule_options(docs, lang)
    _lang_debug(docs, lang)

    lint = rsub.add_parser("lint", help=say(lang, "检查规则包", "check rule packs"))
    lint.add_argument("dirs", nargs="*", metavar="DIR", help=say(lang, "规则包目录（默认内置规则包）", "pack folders (default: the built-in packs)"))
    _lang_debug(lint, lang)


def _lang_debug(parser, lang: str) -> None:
    # Sub-sub-commands take --lang/--debug after their own arguments too.
    import argparse

    parser.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS)
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)


def _validator(args):
    from validator.api import Validator

    return Validator(rules=args.rules, packs=getattr(args, "pack", []) or [], preview=True)


def _selected_packs(v, names: list[str]):
    if not names:
        return v.packs
    by_name = {p.name: p for p in v.packs}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise UsageError(f"没有名为“{missing[0]}”的规则包；可用：{'、'.join(by_name)}",
                         f"no rule pack named '{missing[0]}'; available: {', '.join(by_name)}")
    return [by_name[n] for n in names]


def _list(args) -> int:
    v = _validator(args)
    packs = _selected_packs(v, args.pack)
    rows = [
        {"id": r.id, "pack": p.name, "title": r.title, "title_en": r.title_en, "category": r.category,
         "severity": r.severity, "status": r.status, "version": r.version, "applies_to": list(r.applies_to)}
        for p in packs for r in p.rules
    ]
    if args.format == "json":
        from validator.report.safe import json_text

        print(json_text(json.dumps(rows, ensure_ascii=False, indent=2)))
        return 0
    _print_rule_list(rows, args.lang)
    return 0


STATUS_NAMES = {"zh": {"stable": "稳定", "preview": "预览", "deprecated": "已弃用"},
                "en": {"stable": "stable", "preview": "preview", "deprecated": "deprecated"}}
SEVERITY_WORDS = {"zh": {"error": "错误", "warning": "警告", "info": "提示"},
                  "en": {"error": "error", "warning": "warning", "info": "info"}}


def _print_rule_list(rows: list[dict], lang: str) -> None:
    """A table where the terminal is wide enough, else one rule per two lines; titles
    wrap rather than being cut, and every word is in the report's language. Rule text
    (packs are untrusted too) goes in as Text, never markup, with controls shown."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from validator.report.labels import category_name
    from validator.report.safe import visible

    console = Console(highlight=False, markup=False, emoji=False)
    zh = lang != "en"

    def cells(r):
        return (visible(r["id"]), visible(r["pack"]), visible((r["title"] if zh else r["title_en"]) or r["title"] or ""),
                category_name(r["category"], lang), SEVERITY_WORDS[lang].get(r["severity"], r["severity"]),
                STATUS_NAMES[lang].get(r["status"], r["status"]), str(r["version"]))

    heading = say(lang, f"规则（{len(rows)} 条）", f"Rules ({len(rows)})")
    if console.width >= 120:
        table = Table(title=heading, box=box.SIMPLE_HEAD, title_justify="left")
        names = ["编号", "规则包", "标题", "类别", "级别", "状态", "版本"] if zh else ["Id", "Pack", "Title", "Category", "Severity", "Status", "Version"]
        for i, col in enumerate(names):
            table.add_column(col, no_wrap=i != 2, overflow="fold", ratio=1 if i == 2 else None)
        for r in rows:
            table.add_row(*(Text(c) for c in cells(r)))
        console.print(table)
        return
    console.print(Text(heading, style="bold"))
    for r in rows:
        rid, pack, title, category, severity, status, version = cells(r)
        console.print(Text.assemble((rid, "bold"), "  ", title))
        console.print(Text("       " + " · ".join((pack, category, severity, status, f"v{version}")), style="dim"))


def _find_rule(v, rule_id: str):
    for p in v.packs:
        for r in p.rules:
            if r.id == rule_id.upper():
                return p, r
    from difflib import get_close_matches

    ids = [r.id for p in v.packs for r in p.rules]
    guess = get_close_matches(rule_id.upper(), ids, n=1)
    raise UsageError(f"没有规则 {rule_id}" + (f"（是否应为 {guess[0]}？）" if guess else ""),
                     f"no rule {rule_id}" + (f" (did you mean {guess[0]}?)" if guess else ""))


def _show(args) -> int:
    from validator.packs.docs import rule_markdown
    from validator.report.safe import visible

    v = _validator(args)
    pack, rule = _find_rule(v, args.rule_id)
    text = visible(rule_markdown(pack, rule, args.lang, v, v.packs))
    if args.format == "markdown":
        sys.stdout.write(text)
        return 0
    from rich.console import Console
    from rich.markdown import Markdown

    # Links are shown as text: a terminal hyperlink can hide where it leads.
    Console(highlight=False, emoji=False).print(Markdown(text, hyperlinks=False))
    return 0


def _test(args) -> int:
    from validator.packs.fixtures import run_pack_fixtures
    from validator.report.safe import visible

    v = _validator(args)
    packs = _selected_packs(v, args.pack_names)
    passed = failed = 0
    for pack in packs:
        results, missing = run_pack_fixtures(v, pack)
        for r in results:
            if r.ok:
                passed += 1
            else:
                failed += 1
                print(visible(f"FAIL {pack.name} {r.rule} {r.case}"))
                for problem in r.problems:
                    print(visible(f"     {problem}"))
        for m in missing:
            failed += 1
            print(visible(f"FAIL {pack.name} {m}"))
        print(visible(say(args.lang, f"{pack.name}: {len(pack.rules)} 条规则，{len(results)} 个用例", f"{pack.name}: {len(pack.rules)} rules, {len(results)} cases")))
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def _docs(args) -> int:
    from validator.packs.docs import catalogue

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"输出路径不是目录：{out}", f"the output path is not a folder: {out}")
    if out.is_dir() and any(out.iterdir()) and not args.force:
        raise UsageError(f"输出目录非空（使用 --force 写入）：{out}", f"the output folder is not empty (use --force): {out}")
    v = _validator(args)
    out.mkdir(parents=True, exist_ok=True)
    written = catalogue(_selected_packs(v, args.pack), out, args.lang, v)
    print(say(args.lang, f"已写入 {len(written)} 个文件到 {out}", f"wrote {len(written)} files to {out}"), file=sys.stderr)
    return 0


def _lint(args) -> int:
    from validator.packs.lint import lint

    from validator.report.safe import visible

    problems = lint([Path(d) for d in args.dirs])
    for p in problems:
        print(visible(p.text(args.lang)))
    if problems:
        print(say(args.lang, f"发现 {len(problems)} 个问题", f"{len(problems)} problem(s) found"))
        return 1
    print(say(args.lang, "规则包没有问题", "rule packs are clean"))
    return 0


def run(args) -> int:
    from validator.cli.common import apply_settings

    # Rule commands read the settings of the folder they run in: its language and packs.
    config = apply_settings(args, ".")
    if hasattr(args, "rules") and not args.rules:
        args.rules = config.rules
    if hasattr(args, "pack") and not args.pack:
        args.pack = config.packs
    return {"list": _list, "show": _show, "test": _test, "docs": _docs, "lint": _lint}[args.rules_command](args)
