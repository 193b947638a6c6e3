"""Rule documentation generated from rule metadata and fixtures: `selfeval rules show`
and the Markdown catalogue of `selfeval rules docs`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from validator.packs.fixtures import fixture_files, load_fixture
from validator.packs.pack import Pack
from validator.packs.rule import Rule

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
CATEGORY_ZH = {"arithmetic": "算术一致性", "target_actual": "目标与实际", "unit": "单位", "explanation": "说明与解释", "form": "表单规范"}
STATUS_ZH = {"stable": "稳定", "preview": "预览", "deprecated": "已弃用"}


def _yaml(value: Any) -> str:
    from validator.cli.convert import dump_yaml

    return dump_yaml([value], flow=None).rstrip()


def _relative(source: str, pack: Pack) -> str:
    """rules/standard/arithmetic.yaml:91 rather than an absolute path of this machine."""
    base = str(pack.path.parent.parent) + "/"
    return source[len(base):] if source.startswith(base) else source


def examples(pack: Pack, rule: Rule) -> tuple[dict | None, dict | None]:
    """The first passing and the first failing fixture case of a rule."""
    path = fixture_files(pack.path).get(rule.id)
    if path is None:
        return None, None
    cases = load_fixture(path)["cases"]
    passing = next((c for c in cases if not c.get("expect")), None)
    failing = next((c for c in cases if c.get("expect")), None)
    return passing, failing


def rule_markdown(pack: Pack, rule: Rule, lang: str = "zh", validator=None, all_packs: list[Pack] | None = None) -> str:
    zh = lang != "en"
    title = rule.title if zh else rule.title_en
    lines = [f"# {rule.id} {title}", ""]
    if zh and rule.title_en != rule.title:
        lines += [f"*{rule.title_en}*", ""]
    rows = [
        ("规则包" if zh else "Pack", f"{pack.name}（{pack.title}）" if zh else pack.name),
        ("类别" if zh else "Category", f"{CATEGORY_ZH.get(rule.category, rule.category)}（{rule.category}）" if zh else rule.category),
        ("级别" if zh else "Severity", f"{SEVERITY_ZH.get(rule.severity)}（{rule.severity}）" if zh else rule.severity),
        ("状态" if zh else "Status", f"{STATUS_ZH.get(rule.status)}（{rule.status}），版本 {rule.version}" if zh else f"{rule.status}, version {rule.version}"),
        ("适用" if zh else "Applies to", "、".join(rule.applies_to) if zh else ", ".join(rule.applies_to)),
        ("定义" if zh else "Defined at", f"`{_relative(rule.source, pack)}`"),
    ]
    lines += ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows] + [""]
    lines += [("**为什么：** " if zh else "**Why:** ") + rule.rationale, ""]
    for other in all_packs or []:
        change = other.overrides.get(rule.id)
        if change and other is not pack:
            parts = []
            if "severity" in change:
                parts.append(("级别改为 " if zh else "severity ") + change["severity"])
            for k, v in (change.get("params") or {}).items():
                parts.append(f"{k} = {v}")
            if change.get("disabled"):
                parts.append("停用" if zh else "disabled")
            lines += [("**在规则包 " if zh else "**In pack ") + f"`{other.name}`" + (" 中：** " if zh else ":** ") + "；".join(parts), ""]
    lines += ["## " + ("检查内容" if zh else "What it checks"), "", "```"]
    if rule.for_each:
        lines.append(f"for_each: {rule.for_each}")
    if rule.when is not None:
        lines.append(f"when:     {' '.join(rule.when.source.split())}")
    lines.append(f"assert:   {' '.join(rule.assert_.source.split())}")
    if rule.params:
        from validator.expression.runtime import display

        lines.append("params:   " + ", ".join(f"{k} = {display(v)}" for k, v in rule.params.items()))
    lines += ["```", ""]
    lines += ["## " + ("提示信息" if zh else "Message"), "", "> " + (rule.message if zh else rule.message_en), ""]
    hint = rule.hint if zh else (rule.hint_en or rule.hint)
    if hint:
        lines += [("建议：" if zh else "Hint: ") + hint, ""]
    passing, failing = examples(pack, rule)
    for case, heading_zh, heading_en in ((passing, "通过的例子", "Passing example"), (failing, "不通过的例子", "Failing example")):
        if case is None:
            continue
        lines += [f"## {heading_zh if zh else heading_en}：{case.get('name', '')}", "", "```yaml", _yaml(case.get("submission")), "```", ""]
        if case.get("expect") and validator is not None:
            report = validator.check_mapping(case.get("submission"), origin="example")
            for f in report.findings:
                if f.rule == rule.id:
                    lines.append(f"- `{f.location.describe()}`：{f.text(lang)}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def catalogue(packs: list[Pack], out: Path, lang: str = "zh", validator=None) -> list[Path]:
    """index.md plus one page per rule, grouped by pack; returns the files written."""
    written: list[Path] = []
    zh = lang != "en"
    index = ["# " + ("selfeval 规则目录" if zh else "selfeval rule catalogue"), ""]
    for pack in packs:
        index += [f"## {pack.name}：{pack.title if zh else pack.title_en}", ""]
        if pack.description:
            index += [pack.description, ""]
        if pack.fund_types:
            index += [("适用资金：" if zh else "Funds: ") + "、".join(pack.fund_types), ""]
        if pack.extends:
            index += [("扩展：" if zh else "Extends: ") + ", ".join(pack.extends), ""]
        index += ["| " + (" | ".join(["编号", "标题", "类别", "级别", "状态"] if zh else ["Id", "Title", "Category", "Severity", "Status"])) + " |",
                  "|---|---|---|---|---|"]
        folder = out / pack.name
        folder.mkdir(parents=True, exist_ok=True)
        for rule in pack.rules:
            page = folder / f"{rule.id}.md"
            page.write_text(rule_markdown(pack, rule, lang, validator, packs), encoding="utf-8")
            written.append(page)
            title = rule.title if zh else rule.title_en
            index.append(f"| [{rule.id}]({pack.name}/{rule.id}.md) | {title} | {rule.category} | {rule.severity} | {rule.status} |")
        index.append("")
    (out / "index.md").write_text("\n".join(index), encoding="utf-8")
    written.insert(0, out / "index.md")
    return written
