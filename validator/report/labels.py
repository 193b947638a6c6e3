"""Words the renderers show, in Chinese and English, and the order findings are shown in.

Kept in one place so the Rich, HTML and any later renderer say the same thing for the
same severity, section or column."""

from __future__ import annotations

from collections.abc import Iterable

from validator.check.codes import CORE_TITLES
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
        "failed": "检查出错",
        "not_checked": "未检查",
        "not_checked_title": "未检查的文件",
        "reason": "原因",
        "statistics": "按规则统计",
        "severity_word": "级别",
        "title_word": "标题",
        "count": "次数",
        "waived": "已豁免",
        "no_findings": "未发现问题",
        "files_checked": "已检查 {files} 个文件",
        "unusable_count": "{n} 个无法读取",
        "failed_count": "{n} 个检查出错",
        "not_checked_count": "{n} 个未检查",
        "lock_files_count": "{n} 个 Excel 锁定文件已忽略",
        "hidden_count": "{n} 个隐藏文件或目录已忽略",
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
        "failed": "Check failed",
        "not_checked": "Not checked",
        "not_checked_title": "Files not checked",
        "reason": "Reason",
        "statistics": "Findings by rule",
        "severity_word": "Severity",
        "title_word": "Title",
        "count": "Count",
        "waived": "Waived",
        "no_findings": "No problems found",
        "files_checked": "{files} file(s) checked",
        "unusable_count": "{n} could not be read",
        "failed_count": "{n} failed",
        "not_checked_count": "{n} not checked",
        "lock_files_count": "{n} Excel lock file(s) ignored",
        "hidden_count": "{n} hidden file(s) or folder(s) ignored",
        "none": "—",
        "sep": "; ",
        "colon": ": ",
    },
}


def finding_title(finding: Finding, lang: str, titles_en: dict[str, str] | None = None) -> str | None:
    """The rule's title in the report's language: findings carry the Chinese title; the
    English one comes from the rules (Report.titles_en) or selfeval's own codes. None in
    English when no English title is known: a Chinese title there would be noise."""
    return rule_title(finding.rule, finding.title, lang, titles_en)


def rule_title(rule: str, title_zh: str | None, lang: str, titles_en: dict[str, str] | None = None) -> str | None:
    if lang != "en":
        return title_zh or None
    if titles_en and titles_en.get(rule):
        return titles_en[rule]
    core = CORE_TITLES.get(rule)
    return core[1] if core else None


def file_result(fr, lang: str, fail_on: str = "error") -> tuple[str, str]:
    """(css/style key, words) for a file's result: pass, fail, unusable, failed, not_checked."""
    status = fr.status
    if status == "checked":
        key = "pass" if fr.passes(fail_on) else "fail"
        return key, TEXT[lang][key]
    return status, TEXT[lang][status]


def verdict_details(summary: dict, lang: str) -> list[str]:
    """The counts that follow the verdict: files checked, then whatever else happened."""
    out = [text("files_checked", lang).format(files=summary["files"])]
    for key in ("unusable", "failed", "not_checked"):
        if summary.get(key):
            out.append(text(f"{key}_count", lang).format(n=summary[key]))
    ignored = summary.get("ignored") or {}
    if ignored.get("lock_files"):
        out.append(text("lock_files_count", lang).format(n=ignored["lock_files"]))
    if ignored.get("hidden"):
        out.append(text("hidden_count", lang).format(n=ignored["hidden"]))
    return out


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


# Words a rule writes into a value (a rule literal such as "/ 或 0%", an empty cell), in
# English. Only in values a rule produced: `actual` is the submission's own text.
_VALUE_WORDS_EN = ((" 或 ", " or "), ("（空）", "(blank)"))


def value_text(key: str, value: object, lang: str) -> str:
    text_ = str(value)
    if lang == "en" and key != "actual":
        for zh, en in _VALUE_WORDS_EN:
            text_ = text_.replace(zh, en)
    return text_


def value_parts(finding: Finding, lang: str) -> list[tuple[str, str]]:
    """The (label, value) pairs a finding carries, in reading order, skipping absent ones."""
    parts = []
    for key in ("expected", "actual", "computed", "margin"):
        value = getattr(finding, key)
        if value is not None and str(value) != "":
            parts.append((TEXT[lang][key], value_text(key, value, lang)))
    return parts


def finding_hint(finding: Finding, lang: str) -> str | None:
    """The hint in the report's language only: an English report shows no Chinese hint."""
    return finding.hint_en if lang == "en" else finding.hint


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


def related_text(f, lang: str = "zh", here: str | None = None) -> str | None:
    """The other places a finding concerns, in other documents: `file sheet!cell label`, the
    file left out when it is the one being reported (`here`). An origin's `#sheet!A1` tail
    only says where a table starts; the location itself names its sheet and cell. A place
    that is not a cell (a report's paragraph) names its document itself."""
    if not f.related:
        return None
    here = here.split("#", 1)[0] if here else None
    parts = []
    for loc in f.related:
        if loc.sheet and loc.cell:
            origin = (loc.origin or "").split("#", 1)[0]
            parts.append(f"{origin + ' ' if origin and origin != here else ''}{loc.describe(lang)}")
        else:
            parts.append(loc.describe(lang))
    return ("; " if lang == "en" else "；").join(parts)
