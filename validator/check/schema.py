"""Check a mapping against the canonical schema of its kind; every violation becomes a
finding with its field path (never a traceback). A mapping whose `kind` names no checked
kind gets one finding on `kind` listing the kinds there are."""

from __future__ import annotations

import json
from typing import Any

from validator.check.findings import Finding
from validator.check.locate import at, make
from validator.quickschema import errors as schema_errors
from validator.quickschema import full_validator


_TYPE_NAMES = {
    "object": ("映射（对象）", "a mapping"), "array": ("列表", "a list"), "string": ("文本", "text"),
    "number": ("数字", "a number"), "integer": ("整数", "an integer"), "null": ("空", "empty"),
}


def _path_text(parts) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(root)"


def _types(t) -> tuple[str, str]:
    ts = t if isinstance(t, list) else [t]
    zh = "或".join(_TYPE_NAMES.get(x, (x, x))[0] for x in ts)
    en = " or ".join(_TYPE_NAMES.get(x, (x, x))[1] for x in ts)
    return zh, en


def _text_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _text_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_text_keys(v) for v in value]
    return value


def _shown(value: Any) -> str:
    # YAML allows keys JSON does not (1.5:, 2024-01-01:); they are shown as text, since the
    # message is about them.
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except TypeError:
        return json.dumps(_text_keys(value), ensure_ascii=False, default=str)


def _describe(error) -> tuple[str, str, str | None]:
    """(message zh, message en, expected) for one jsonschema error."""
    v = error.validator
    value = error.instance
    shown = _shown(value)
    if len(shown) > 60:
        shown = shown[:57] + "…"
    if v == "type":
        zh, en = _types(error.validator_value)
        return f"应为{zh}，实际为 {shown}", f"should be {en}, got {shown}", zh
    if v in ("enum", "const"):
        allowed = error.validator_value if v == "enum" else [error.validator_value]
        options = "、".join(str(a) for a in allowed)
        return f"取值 {shown} 不在允许范围内（{options}）", f"value {shown} is not one of {', '.join(map(str, allowed))}", options
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"缺少必填字段“{missing}”", f"required field '{missing}' is missing", missing
    if v == "additionalProperties":
        from difflib import get_close_matches

        known = list(error.schema.get("properties", {}))
        extras = [k for k in value if k not in known] if isinstance(value, dict) else []
        parts_zh, parts_en = [], []
        for k in extras:
            guess = get_close_matches(str(k), known, n=1)
            parts_zh.append(f"“{k}”" + (f"（是否应为“{guess[0]}”？）" if guess else ""))
            parts_en.append(f"'{k}'" + (f" (did you mean '{guess[0]}'?)" if guess else ""))
        return f"未知字段 {'、'.join(parts_zh)}", f"unknown field {', '.join(parts_en)}", None
    if v == "pattern":
        return f"格式不正确：{shown}", f"bad format: {shown}", None
    return f"不符合格式要求：{error.message}", f"does not match the format: {error.message}", None


def _unknown_kind(data: Any) -> Finding:
    from validator.kinds import checked_kinds

    known = checked_kinds()
    value = data.get("kind") if isinstance(data, dict) else None
    shown = json.dumps(value, ensure_ascii=False, default=str)[:60]
    from difflib import get_close_matches  # only for a mistyped kind

    guess = get_close_matches(str(value), known, n=1) if value is not None else []
    did_zh = f"（是否应为“{guess[0]}”？）" if guess else ""
    did_en = f" (did you mean '{guess[0]}'?)" if guess else ""
    if value is None:
        zh, en = f"缺少必填字段“kind”（可选：{'、'.join(known)}）", f"required field 'kind' is missing (one of {', '.join(known)})"
    else:
        zh, en = f"文档类型 {shown} 未知{did_zh}；可选：{'、'.join(known)}", f"unknown document kind {shown}{did_en}; one of {', '.join(known)}"
    return make(
        "SC001", "form", "error", "不符合提交格式", f"kind：{zh}", f"kind: {en}", at("kind"),
        expected="、".join(known), actual=None if value is None else shown,
        hint="请写明文档类型（kind）。", hint_en="State the document kind (kind).", pack="core",
    )


def check(data: Any, kind: str | None) -> list[Finding]:
    """Violations of the schema of `kind`; None: the mapping names no kind selfeval checks."""
    if kind is None:
        return [_unknown_kind(data)]
    findings = []
    for error in schema_errors(f"kind:{kind}", data):
        zh, en, expected = _describe(error)
        path = _path_text(error.absolute_path)
        unknown = error.validator == "additionalProperties"
        findings.append(
            make(
                "SC002" if unknown else "SC001", "form", "error",
                "未知字段" if unknown else "不符合提交格式",
                f"{path}：{zh}", f"{path}: {en}", at(path),
                expected=expected,
                actual=None,
                hint=f"请对照 {kind} 的提交格式修改该字段。",
                hint_en=f"Fix this field against the format of a {kind} document.",
                pack="core",
            )
        )
    return findings


def strip_unknown(data: Any, findings: list[Finding], kind: str | None) -> Any:
    """When the only problems are unknown fields, drop them so the rules can still run."""
    if kind is None or any(f.rule != "SC002" for f in findings):
        return None
    import copy

    cleaned = copy.deepcopy(data)
    for error in full_validator(f"kind:{kind}").iter_errors(cleaned):
        if error.validator != "additionalProperties":
            return None
        known = set(error.schema.get("properties", {}))
        node = cleaned
        for p in error.absolute_path:
            node = node[p]
        for k in [k for k in node if k not in known]:
            del node[k]
    return cleaned
