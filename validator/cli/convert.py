"""`selfeval convert`: write the canonical submission(s) a file was read as, so a person
can see what was understood and a system can store it."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

from validator.cli.common import UsageError, add_limit_option, apply_settings, limits_from_args, output_target, path_problem, say


def add_parser(sub, lang: str) -> None:
    p = sub.add_parser("convert", help=say(lang, "把工作簿或 JSON 转为规范格式（YAML/JSON）", "write the canonical submission read from a file"),
                       description=say(lang, "把工作簿或 JSON 转为规范格式（YAML/JSON）", "write the canonical submission read from a file"))
    p.add_argument("path", help=say(lang, "自评表文件（.xlsx .yaml .json）", "submission file (.xlsx .yaml .json)"))
    p.add_argument("-o", "--output", metavar="FILE", help=say(lang, "输出文件（.yaml 或 .json）；默认输出到标准输出", "output file (.yaml or .json); default standard output"))
    p.add_argument("--format", choices=("yaml", "json"), help=say(lang, "输出格式（默认按输出文件扩展名，否则 yaml）", "output format (default: from the output file's extension, else yaml)"))
    p.add_argument("--force", action="store_true", help=say(lang, "允许覆盖已存在的输出文件", "allow overwriting an existing output file"))
    p.add_argument("--config", metavar="FILE", help=say(lang, "配置文件（默认从该文件向上查找）", "settings file (default: the nearest one above the file)"))
    add_limit_option(p, lang)


def _number_text(value: Decimal) -> str:
    """A Decimal as written (13.60 stays 13.60); one with a huge exponent in scientific
    notation rather than a million zeros."""
    exp = value.as_tuple().exponent
    if isinstance(exp, int) and abs(exp) > 100:
        return str(value)
    return f"{value:f}"


def _plain(value):
    """Decimals as the text they were written with, so nothing is lost on the way out."""
    if isinstance(value, Decimal):
        return _number_text(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def dump_yaml(documents: list, flow: bool | None = False) -> str:
    """YAML with Decimals written as the numbers they were (13.60 stays 13.60)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", _number_text(v)))
    # Mappings loaded with line numbers (fixtures) are dict subclasses.
    Dumper.add_multi_representer(dict, lambda d, v: d.represent_dict(v))
    return yaml.dump_all(documents, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=1000)


def dump(documents: list, fmt: str) -> str:
    if fmt == "json":
        body = [_plain(d) for d in documents]
        return json.dumps(body[0] if len(body) == 1 else body, ensure_ascii=False, indent=2, default=str) + "\n"
    return dump_yaml(documents)


def run(args) -> int:
    from validator.cli.output import Signals, write_whole
    from validator.report.safe import one_line
    from validator.submission import load_documents

    config = apply_settings(args, args.path)
    lang = args.lang
    limits = limits_from_args(args, config)
    src = Path(args.path)
    problem = path_problem(src)
    if problem is not None:
        raise UsageError(*problem)
    if src.is_dir():
        raise UsageError(f"是目录，不是文件：{src}", f"a folder, not a file: {src}")
    out = output_target(args.output, args.force, lang)
    if out is not None and out.resolve() == src.resolve():
        raise UsageError(f"输出文件不能与输入文件相同：{out}", f"the output must not be the input file: {out}")
    fmt = args.format or ("json" if out is not None and out.suffix.lower() == ".json" else "yaml")
    loaded = load_documents(src, limits)
    if all(item.data is None for item in loaded):
        raise UsageError(f"{src}: 报告没有规范格式可写出；convert 只转换自评表（YAML/JSON/工作簿）",
                         f"{src}: a report has no canonical form to write; convert takes self-evaluation tables (YAML/JSON/workbooks)")
    documents = []
    for item in loaded:
        doc = item.data
        if fmt == "yaml" and len(loaded) > 1 and isinstance(doc, dict):
            doc = {"selfeval": 1, **doc} if "selfeval" not in doc else doc
        documents.append(doc)
        for n in item.notices:
            where = f"{n.sheet}!{n.cell}" if n.sheet and n.cell else (n.sheet or n.path)
            print(one_line(f"selfeval: {item.origin}: {where}: {say(lang, n.message, n.message_en)}"), file=sys.stderr)
    text = dump(documents, fmt)
    # Ctrl-C from here on waits for the output to be whole (or for it to be removed).
    signals = Signals()
    try:
        write_whole(out, text.encode("utf-8"), signals, lang)
    finally:
        signals.restore()
    return 0
