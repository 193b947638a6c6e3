"""Words the renderers show, in Chinese and English, and the order findings are shown in.

Kept in one place so the Rich, HTML and any later renderer say the same thing for the
same severity, section or column."""

from __future__ import annotations

from collections.abc import Iterable

from validator.check.findings import SEVERITIES, Finding

LANGS = ("zh", "en")

# Beyond the rule categories in findings.CATEGORIES, the engine and the readers report
# their own problems (a rule that failed to run, a cell that could not be read).
CATEGORY_ORDER = ("arithmetic", "target_actual", "unit", "explanation", "form", "engine", "reader")

SEVERITY_NAMES = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "Errors", "warning": "Warnings", "info": "Notes"},
}

CATEGORY_NAMES = {
    "zh": {
        "arithmetic": "算术一致性",
        "target_actual": "目标与实际",
        "unit": "单位",
        "explanation": "说明与解释",
        "form": "表单规范",
        "engine": "规则执行",
        "reader": "文件读取",
    },
    "en": {
        "arithmetic": "Arithmetic consistency",
        "target_actual": "Targets and results",
        "unit": "Units",
        "explanation": "Explanations",
        "form": "Form conventions",
        "engine": "Rule engine",
        "reader": "Reading the file",
    },
}

# Column headings and the other fixed phrases.
TEXT = {
    "zh": {
        "title": "预算绩效自评检查报告",
        "file": "文件",
        "kind": "类型",
        "packs": "规则包",
        "rule": "规则",
        "location": "位置",
        "related": "另见",
        "message": "问题",
        "expected": "应为",
        "actual": "实际",
        "computed": "计算值",
        "margin": "允许误差",
        "hint": "建议",
        "hint_prefix": "建议：",
        "waived_prefix": "已豁免：",
        "approver": "审批",
        "until": "有效期至",
        "result": "结论",
        "total": "合计",
        "summary": "汇总",
        "pass": "通过",
        "fail": "未通过",
        "unusable": "无法读取",
        "no_findings": "未发现问题",
        "files_checked": "已检查 {files} 个文件",
        "unusable_count": "{n} 个无法读取",
        "none": "—",
        "sep": "；",
        "colon": "：",
    },
    "en": {
        "title": "Budget performance self-evaluation check",
        "file": "File",
        "kind": "Kind",
        "packs": "Rule packs",
        "rule": "Rule",
        "location": "Location",
        "related": "See also",
        "message": "Problem",
        "expected": "expected",
        "actual": "actual",
        "computed": "computed",
        "margin": "margin",
        "hint": "Hint",
        "hint_prefix": "Hint: ",
        "waived_prefix": "Waived: ",
        "approver": "approved by",
        "until": "until",
        "result": "Result",
        "total": "Total",
        "summary": "Summary",
        "pass": "PASSED",
        "fail": "FAILED",
        "unusable": "Could not be read",
        "no_findings": "No problems found",
        "files_checked": "{files} file(s) checked",
        "unusable_count": "{n} could not be read",
        "none": "—",
        "sep": "; ",
        "colon": ": ",
    },
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


def text(key: str, lang: str) -> str:
    return TEXT[lang][key]


def severity_name(severity: str, lang: str) -> str:
    return SEVERITY_NAMES[lang].get(severity, severity)


def category_name(category: str, lang: str) -> str:
    # An unknown category is still shown, under its own id, rather than hidden.
    return CATEGORY_NAMES[lang].get(category, category)


def kind_name(kind: str | None, lang: str) -> str:
    """The name the document's kind gives itself (kinds/<name>: label, or title)."""
    if kind is None:
        return TEXT[lang]["none"]
    from validator.kinds import kind_named

    spec = kind_named(kind)
    if spec is None:
        return kind
    return (spec.label or spec.title) if lang == "zh" else (spec.label_en or spec.title_en)


def packs_text(packs: Iterable[str], lang: str) -> str:
    packs = list(packs)
    return ", ".join(packs) if packs else TEXT[lang]["none"]


def value_parts(finding: Finding, lang: str) -> list[tuple[str, str]]:
    """The (label, value) pairs a finding carries, in reading order, skipping absent ones."""
    parts = []
    for key in ("expected", "actual", "computed", "margin"):
        value = getattr(finding, key)
        if value is not None and str(value) != "":
            parts.append((TEXT[lang][key], str(value)))
    return parts


def group_findings(findings: Iterable[Finding]) -> list[tuple[str, list[tuple[str, list[Finding]]]]]:
    """Findings by severity (errors first), then by section in CATEGORY_ORDER; empty groups are
    left out. Unknown severities and categories follow the known ones, in the order met, so a
    finding is never dropped from the report. Within a section the engine's order is kept."""
    by_sev: dict[str, dict[str, list[Finding]]] = {}
    for f in findings:
        by_sev.setdefault(f.severity, {}).setdefault(f.category, []).append(f)
    out = []
    for sev in _ordered(by_sev, SEVERITIES):
        cats = by_sev[sev]
        out.append((sev, [(cat, cats[cat]) for cat in _ordered(cats, CATEGORY_ORDER)]))
    return out


def _ordered(present: dict[str, object], known: tuple[str, ...]) -> list[str]:
    return [k for k in known if k in present] + [k for k in present if k not in known]


def waiver_text(waiver: dict, lang: str) -> str:
    """已豁免：原因（审批：张三；有效期至 2025-12-31）"""
    extra = []
    if waiver.get("approver"):
        extra.append(f"{text('approver', lang)}{text('colon', lang)}{waiver['approver']}")
    if waiver.get("expires"):
        extra.append(f"{text('until', lang)} {waiver['expires']}")
    tail = ("（" + "；".join(extra) + "）" if lang == "zh" else " (" + "; ".join(extra) + ")") if extra else ""
    return text("waived_prefix", lang) + waiver.get("reason", "") + tail


def related_text(f, lang: str = "zh") -> str | None:
    """The other places a finding concerns, in other documents: `file#sheet sheet!cell label`
    (a place that is not a cell names its document itself)."""
    if not f.related:
        return None
    return ("; " if lang == "en" else "；").join(
        f"{loc.origin + ' ' if loc.origin and loc.sheet and loc.cell else ''}{loc.describe(lang)}" for loc in f.related)
