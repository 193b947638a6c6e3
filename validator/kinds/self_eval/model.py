"""The canonical submission as rules see it.

`build()` takes a mapping that follows kinds/self_eval/schema.json and returns the
same tree with every cell parsed once into a `Notation` (its unit taken from where the
table writes it), plus facts derived from the table itself: each indicator's effective
target, whether it was met, its classification, and the 一级/二级 groups with their
declared weights. Derived names are listed in DERIVED so the rule compiler can type them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from validator import limits
from validator.domain import completion
from validator.domain import notation
from validator.domain import vocabulary
from validator.domain.notation import Notation
from validator.kinds import label_of
from validator.domain.notation import parse_value as _parse_value

MONEY, PERCENT, SCORE, NOTATION, TEXT = "money", "percent", "score", "notation", "text"

_FUND_MONEY = ("initial_budget", "initial_declared", "initial_planned", "budget", "executed", "balance")

# Types of the derived fields, in the vocabulary the compiler reads from x-type.
DERIVED: dict[str, dict[str, Any]] = {
    "indicator": {
        "target_written": NOTATION,
        "status": "string",
        "op": "string",
        "cost_like": "boolean",
        "class1": "string",
        "class2": "string",
        # The 一级 class the vocabulary files the indicator's 二级 class under; rules decide
        # what counts as misplaced (policy: where cost indicators may sit).
        "class2_parent": "string",
        # The indicator's name as compared for repeats, alone and with its 二级 label; its
        # position in the table.
        "name_key": "string",
        "group_name_key": "string",
        "index": "integer",
        "unit_hint": "string",
        # Linked to the issued target table of the same submission (kinds/self_eval/links.py).
        "issued_match": "string",
        "issued_name": TEXT,
        "issued_level1": TEXT,
        "issued_level2": TEXT,
        "issued_class1": "string",
        "issued_class2": "string",
        "issued_varies": "boolean",
        "issued_target": NOTATION,
        "issued_at": "any",
    },
    "root": {
        "groups": {
            "level": "integer",
            "name": "string",
            "level1": "string",
            "level2": "string",
            "declared_weight": SCORE,
            "declared_score": SCORE,
            "indicators": "indicator[]",
        },
        # Every cell and text of the table with its path: lets one rule look at all of
        # them (spreadsheet errors, template instructions left in place).
        "cells": {"type": "string", "field": "string", "field_label": "string", "value": "any"},
        # Whether the table has a 说明 row at all (filled or blank): a template without one
        # has nothing to fill in.
        "notes_written": "boolean",
        # The issued target tables of the same submission (kinds/self_eval/links.py).
        "targets_linked": "boolean",
        "issued_total": "money[]",
        "issued_central": "money[]",
        "issued_local": "money[]",
        "issued_unreported": {"name": TEXT, "level1": TEXT, "level2": TEXT, "target": NOTATION, "at": "any"},
    },
    "funds": {"rows": "fund_row[]"},
    # What the allocation and execution tables of the same submission say of the row's
    # source (kinds/self_eval/links.py).
    "fund_row": {"allocated": MONEY, "allocated_at": "any", "execution_budget": MONEY, "execution_budget_at": "any",
                 "execution_executed": MONEY, "execution_executed_at": "any"},
    # Whether the report has a 偏离绩效目标的原因 section at all (blank or not): only then can
    # it be said to claim there was no deviation.
    "report": {"deviation_stated": "boolean", "section_text": TEXT},
}

_OPS = {"＝": "=", "=": "=", "≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", ">": ">", "<": "<", "＞": ">", "＜": "<"}


def _in_range(n: Notation) -> Notation:
    """A cell whose number has more digits, or a larger order of magnitude, than the
    limits allow is marked out of range: rules see it as a value they cannot compute
    with (unknown), and the engine reports it once (SC003)."""
    number = n.number
    if number is None:
        return n
    lim = limits.current()
    if n._within is lim:
        return n
    if limits.in_range(number, lim):
        object.__setattr__(n, "_within", lim)
        return n
    return Notation(notation.OUT_OF_RANGE, limits.short(n.raw))


def parse_value(value, default_unit: str | None = None) -> Notation:
    return _in_range(_parse_value(value, default_unit))


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _parse_fund_row(row: dict, money_unit: str) -> dict:
    out = dict(row)
    for key in _FUND_MONEY:
        if key in row:
            out[key] = parse_value(row[key], money_unit)
    if "rate" in row:
        out["rate"] = parse_value(row["rate"], "%")
    for key in ("weight", "score"):
        if key in row:
            out[key] = parse_value(row[key], "分")
    if "parts" in row:
        out["parts"] = [_parse_fund_row(p, money_unit) for p in row["parts"] or []]
    return out


def _effective_target(row: dict, unit_hint: str | None, written: Notation) -> Notation:
    """The target as the indicator states it: in templates with 指标性质 and 度量单位
    columns the operator and unit sit beside the number (＝ | 5 | 家 → =5家). `written`:
    the target cell as parsed."""
    raw = row.get("target")
    nature = _text(row.get("nature"))
    op = _OPS.get((nature or "").strip())
    if nature and nature.strip() == "定性":
        return written
    if op is None or written.kind not in (notation.QUANTITY, notation.BLANK) or written.op:
        return written
    number = _text(raw) or ""
    unit = "" if written.unit_written else (unit_hint or "")
    return _in_range(notation.parse_text(f"{op}{number}{unit}", unit_hint))


def _indicator(row: dict, index: int) -> dict:
    measure_unit = _text(row.get("measure_unit"))
    unit_hint = (measure_unit or "").strip() or notation.unit_in_name(row.get("name"))
    target_written = parse_value(row.get("target"), unit_hint)
    target = _effective_target(row, unit_hint, target_written)
    actual_unit = unit_hint or (target.unit.symbol if target.unit is not None else None)
    actual = parse_value(row.get("actual"), actual_unit)
    class1 = vocabulary.level1_class(row.get("level1"))
    class2, class2_parent = vocabulary.level2_class(row.get("level2"))
    cost_like = class1 == "cost" or (class2 or "").endswith("cost")
    key = (vocabulary.clean_label(row.get("level2")), vocabulary.clean_label(row.get("name")))
    return {
        **row,
        "target": target,
        "target_written": target_written,
        "actual": actual,
        "initial_target": parse_value(row.get("initial_target"), unit_hint),
        "weight": parse_value(row.get("weight"), "分"),
        "score": parse_value(row.get("score"), "分"),
        "status": completion.status(target, actual, cost_like),
        "op": completion.effective_op(target, cost_like) if target.kind == notation.QUANTITY else None,
        "cost_like": cost_like,
        "class1": class1,
        "class2": class2,
        "class2_parent": class2_parent,
        "name_key": key[1],
        "group_name_key": f"{key[0]}/{key[1]}",
        "index": index,
        "unit_hint": unit_hint,
    }


def _groups(indicators: list[dict], declared: list[dict]) -> list[dict]:
    groups: dict[tuple, dict] = {}
    for i, row in enumerate(indicators):
        l1 = row.get("level1") or ""
        l2 = row.get("level2") or ""
        for key, level, name in (((l1,), 1, l1), ((l1, l2), 2, l2)):
            if not name:
                continue
            group = groups.get(key)
            if group is None:
                points = vocabulary.declared_points(name)
                group = groups[key] = {
                    "level": level,
                    "name": name,
                    "level1": l1,
                    "level2": l2 if level == 2 else None,
                    "declared_weight": parse_value(points, "分") if points else Notation(notation.BLANK, ""),
                    "declared_score": Notation(notation.BLANK, ""),
                    "indicators": [],
                    "_path": f"indicators[{i}]",
                    "_label": name,
                }
            group["indicators"].append(row)
    for j, decl in enumerate(declared):
        l1, l2 = decl.get("level1") or "", decl.get("level2") or ""
        key = (l1, l2) if l2 else (l1,)
        match = groups.get(key) or next(
            (g for k, g in groups.items() if vocabulary.clean_label(k[-1]) == vocabulary.clean_label(key[-1]) and len(k) == len(key)),
            None,
        )
        if match is None:
            match = groups[key] = {
                "level": 2 if l2 else 1, "name": l2 or l1, "level1": l1, "level2": l2 or None,
                "indicators": [], "_label": l2 or l1,
            }
        match["declared_weight"] = parse_value(decl.get("weight"), "分")
        match["declared_score"] = parse_value(decl.get("score"), "分")
        match["_path"] = f"indicator_groups[{j}]"
    return list(groups.values())


_CELL_TYPES = {
    **{k: MONEY for k in _FUND_MONEY}, "rate": PERCENT, "weight": SCORE, "score": SCORE, "reason": TEXT,
    "target": NOTATION, "actual": NOTATION, "initial_target": NOTATION, "description": TEXT, "issues": TEXT,
    "grade": TEXT, "stated_score": SCORE, "stated_grade": TEXT, "stated_total": SCORE, "deviation_reasons": TEXT,
}


FIELD_LABELS = {
    "initial_budget": "年初预算数", "initial_declared": "目标申报数", "initial_planned": "预算编制数",
    "budget": "全年预算数", "executed": "全年执行数", "balance": "资金结(转)余", "rate": "预算执行率",
    "weight": "分值", "score": "得分", "reason": "原因说明", "target": "指标值", "actual": "实际完成值",
    "initial_target": "年初指标值", "description": "情况说明", "issues": "存在问题和改进措施", "grade": "等级",
    "stated_score": "自评得分", "stated_grade": "自评等级", "stated_total": "自评总分",
    "deviation_reasons": "偏离原因", "notes": "说明", "section": "正文",
}


# field → (cell type, its label), for the fields rows list
_FIELD_INFO = {field: (_CELL_TYPES.get(field, TEXT), FIELD_LABELS.get(field, field))
               for field in {*_CELL_TYPES, *FIELD_LABELS, *_FUND_MONEY}}


def _collect_cells(sub: dict) -> list[dict]:

    cells: list[dict] = []
    append = cells.append

    def add(path: str, field: str, value, label: str | None, kind: str | None = None):
        if value is None:
            return
        append({
            "_path": path, "_label": label, "type": kind or _CELL_TYPES.get(field, TEXT),
            "field": field, "field_label": FIELD_LABELS.get(field, field), "value": value,
        })

    def row(path: str, node: dict, fields, label: str | None = None):
        label = label or label_of(node)
        for key in fields:
            value = node.get(key)
            if value is not None:
                kind, field_label = _FIELD_INFO[key]
                append({
                    "_path": f"{path}.{key}", "_label": label, "type": kind,
                    "field": key, "field_label": field_label, "value": value,
                })

    funds = sub.get("funds") or {}
    for r in funds.get("rows", []):
        row(r["_path"], r, (*_FUND_MONEY, "rate", "weight", "score", "reason"))
    add("funds.reason", "reason", funds.get("reason"), "偏差原因")
    for i, m in enumerate(sub.get("management") or []):
        row(f"management[{i}]", m, ("description", "issues"))
    goal = sub.get("goal") or {}
    add("goal.target", "target", goal.get("target"), "总体目标", TEXT)
    add("goal.actual", "actual", goal.get("actual"), "全年实际完成情况", TEXT)
    for i, ind in enumerate(sub.get("indicators") or []):
        # The target as written, not as composed from 指标性质/度量单位: that is the cell.
        label = label_of(ind)
        add(f"indicators[{i}].target", "target", ind.get("target_written"), label)
        row(f"indicators[{i}]", ind, ("actual", "initial_target", "weight", "score", "reason"), label)
    for i, g in enumerate(sub.get("indicator_groups") or []):
        row(f"indicator_groups[{i}]", g, ("weight", "score"), g.get("level2") or g.get("level1"))
    row("total", sub.get("total") or {}, ("weight", "score", "grade"), "合计")
    add("notes", "notes", sub.get("notes"), "说明")
    report = sub.get("report") or {}
    row("report", report, ("deviation_reasons", "stated_score", "stated_grade"), "自评报告")
    for key, text in (report.get("sections") or {}).items():
        add(f"report.sections.{key}", "section", text, key)
    card = sub.get("scorecard") or {}
    for i, it in enumerate(card.get("items") or []):
        row(f"scorecard.items[{i}]", it, ("weight", "score"))
    add("scorecard.stated_total", "stated_total", card.get("stated_total"), "自评结果")
    return cells


def build(data: dict) -> dict:
    """Canonical submission → the tree rules evaluate. `data` must already be valid
    against the submission schema."""
    sub = dict(data)
    funds = data.get("funds")
    if funds is not None:
        money_unit = funds.get("unit") or "万元"
        f = dict(funds)
        f["unit"] = money_unit
        if "total" in funds:
            f["total"] = _parse_fund_row(funds["total"] or {}, money_unit)
        f["sources"] = [_parse_fund_row(r, money_unit) for r in funds.get("sources") or []]
        rows = []
        if "total" in f:
            rows.append(dict(f["total"], _path="funds.total"))
        for i, r in enumerate(f["sources"]):
            rows.append(dict(r, _path=f"funds.sources[{i}]"))
            for j, part in enumerate(r.get("parts") or []):
                rows.append(dict(part, _path=f"funds.sources[{i}].parts[{j}]"))
        f["rows"] = rows
        sub["funds"] = f
    indicators = [_indicator(row, i) for i, row in enumerate(data.get("indicators") or [])]
    sub["indicators"] = indicators
    declared = [dict(g) for g in data.get("indicator_groups") or []]
    sub["groups"] = _groups(indicators, declared)
    if "indicator_groups" in data:
        sub["indicator_groups"] = [
            dict(g, weight=parse_value(g.get("weight"), "分"), score=parse_value(g.get("score"), "分")) for g in declared
        ]
    if "total" in data:
        t = dict(data["total"] or {})
        for key in ("weight", "score"):
            t[key] = parse_value(t.get(key), "分")
        t["grade"] = parse_value(t.get("grade"))
        sub["total"] = t
    if "report" in data:
        r = dict(data["report"] or {})
        r["stated_score"] = parse_value(r.get("stated_score"), "分")
        r["stated_grade"] = parse_value(r.get("stated_grade"))
        r["deviation_stated"] = "deviation_reasons" in r
        # Every section's text in one, for rules that look for an explanation anywhere.
        r["section_text"] = "\n".join(str(t) for t in (r.get("sections") or {}).values() if t) or None
        sub["report"] = r
    if "scorecard" in data:
        sc = dict(data["scorecard"] or {})
        sc["items"] = [
            dict(it, weight=parse_value(it.get("weight"), "分"), score=parse_value(it.get("score"), "分"))
            for it in sc.get("items") or []
        ]
        sc["groups"] = [dict(g, weight=parse_value(g.get("weight"), "分")) for g in sc.get("groups") or []]
        sc["stated_total"] = parse_value(sc.get("stated_total"), "分")
        sub["scorecard"] = sc
    sub["notes_written"] = "notes" in data
    sub["cells"] = _collect_cells(sub)
    return sub


# What a person calls the parts of the table that have no row label of their own.
SECTION_LABELS = {
    "funds": "资金投入情况",
    "funds.reason": "偏差原因分析及改进措施",
    "management": "资金管理情况",
    "goal.target": "年度总体目标",
    "goal.actual": "全年实际完成情况",
    "indicators": "绩效指标",
    "total": "合计",
    "notes": "说明",
    "report": "自评报告",
    "report.deviation_reasons": "偏离绩效目标的原因和下一步改进措施",
    "report.stated_score": "自评结果",
    "scorecard": "绩效评价指标体系",
    "scorecard.stated_total": "自评结果",
}
