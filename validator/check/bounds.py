"""Submissions beyond what selfeval computes with: too many rows, too deep, numbers too
long or too large (SC003 on the cell, which the other rules then treat as unknown)."""

from __future__ import annotations

import dataclasses
from typing import Any, Mapping

from validator import limits as _limits
from validator.errors import InputError
from validator.check.findings import Finding
from validator.check.locate import Locator, at, make
from validator.limits import Limits


def check_size(data: Mapping, origin: str, limits: Limits, shape_checked: bool = False) -> bool | None:
    """Refuse a mapping too large or too deep (aliases counted as often as they appear),
    or with more indicator or fund rows than the limits allow. Measuring the shape also
    tells whether every number is in range: True or False then (raw_out_of_range's
    `numbers_fine`), None when the shape was already checked."""
    fine = None
    if not shape_checked:
        try:
            _size, fine = _limits.survey(data, limits)
        except _limits.ShapeError as exc:
            raise InputError(*_limits.shape_messages(exc, origin, limits)) from None
    indicators = data.get("indicators")
    if isinstance(indicators, list) and len(indicators) > limits.indicators:
        zh, en = _limits.message("indicators", limits.indicators, f"表中有 {len(indicators):,} 个绩效指标",
                                 f"the table has {len(indicators):,} indicators")
        raise InputError(f"{origin}: {zh}", f"{origin}: {en}")
    funds = data.get("funds")
    if isinstance(funds, Mapping):
        sources = funds.get("sources")
        rows = 1 if funds.get("total") is not None else 0
        if isinstance(sources, list):
            rows += len(sources) + sum(len(s["parts"]) for s in sources if isinstance(s, Mapping) and isinstance(s.get("parts"), list))
        if rows > limits.fund_rows:
            zh, en = _limits.message("fund_rows", limits.fund_rows, f"资金投入情况有 {rows:,} 行",
                                     f"the funds table has {rows:,} rows")
            raise InputError(f"{origin}: {zh}", f"{origin}: {en}")
    return fine


def _path_join(prefix: str, step) -> str:
    if isinstance(step, int):
        return f"{prefix}[{step}]"
    return f"{prefix}.{step}" if prefix else str(step)


def raw_out_of_range(data: Mapping, limits: Limits, numbers_fine: bool | None = None) -> list[tuple[str, Any, tuple[str, str]]]:
    """(path, value, why) of every number written in the mapping (not text) that is
    too long or too large to compute with. `numbers_fine`: what check_size found, if it
    looked."""
    # Nearly every document has none: one walk without paths says so (or check_size's
    # walk did), and only a document that has one is walked again to name where.
    if numbers_fine is None:
        numbers_fine = _limits.numbers_in_range(data, limits)
    if numbers_fine:
        return []
    out = []
    # (steps from the root, node): the path text is built only for a number out of range.
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        steps, node = stack.pop()
        if isinstance(node, dict):
            stack.extend((steps + (k,), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((steps + (i,), v) for i, v in enumerate(node))
        else:
            problem = _limits.scalar_problem(node, limits)
            if problem is not None:
                path = ""
                for step in steps:
                    path = _path_join(path, step)
                out.append((path, node, problem))
    out.sort(key=lambda hit: hit[0])
    return out


def range_finding(path: str, value: Any, label: str | None, problem: tuple[str, str]) -> Finding:
    shown = _limits.short(value)
    label = _limits.short(label, 100) if label else label
    who = f"{label}：" if label else ""
    return make(
        "SC003", "form", "error", "数值超出可计算的范围",
        f"{who}{path} 的数值“{shown}”无法计算：{problem[0]}",
        f"{label + ': ' if label else ''}the number '{shown}' at {path} cannot be computed with: {problem[1]}",
        at(path, label), actual=shown,
        hint="检查是否多输入了数字或误用了科学计数法；其余规则把该单元格视为未知。",
        hint_en="Check for extra digits or scientific notation; the other rules treat this cell as unknown.",
        pack="core",
    )


def range_findings(root: dict, data: Mapping, raw: list, limits: Limits) -> list[Finding]:
    """SC003 for every cell marked out of range by model.build and every number written
    out of range elsewhere, once per path, with the cell's sheet!cell when known."""
    from validator.check.engine import resolve
    from validator.domain.notation import OUT_OF_RANGE, Notation

    locator = Locator(root)
    seen: dict[str, Finding] = {}
    numbers = {path: (value, problem) for path, value, problem in raw}
    for cell in root.get("cells") or []:
        value = cell.get("value")
        # isinstance, not getattr(value, "kind", None): a text cell has no kind, and a
        # missing attribute costs an exception inside getattr on every such cell.
        if isinstance(value, Notation) and value.kind == OUT_OF_RANGE:
            path = cell["_path"]
            if path in numbers:
                original, problem = numbers[path]
            else:
                written = resolve(data, path)
                original = written if isinstance(written, str) else value.raw
                problem = _text_problem(original, limits)
            seen[path] = range_finding(path, original, cell.get("_label"), problem)
    for path, (value, problem) in numbers.items():
        if path not in seen:
            seen[path] = range_finding(path, value, locator.label(path), problem)
    out = []
    for path, f in seen.items():
        sheet, cell = locator.cell(path) if isinstance(locator.source, dict) else (None, None)
        if sheet or cell:
            f = dataclasses.replace(f, location=dataclasses.replace(f.location, sheet=sheet, cell=cell))
        out.append(f)
    return out


def _text_problem(raw: str, limits: Limits) -> tuple[str, str]:
    """Why a number written as text is out of range (its longest run of digits)."""
    import re
    from decimal import Decimal, InvalidOperation

    scientific = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?E[+-]\d{1,9})\s*", raw)
    if scientific:  # how a workbook shows a number too large to print in full
        problem = _limits.number_problem(Decimal(scientific[1]), limits)
        if problem is not None:
            return problem
    runs = re.findall(r"\d[\d,]*(?:\.\d+)?", raw)
    for run in sorted(runs, key=len, reverse=True):
        try:
            problem = _limits.number_problem(Decimal(run.replace(",", "")), limits)
        except InvalidOperation:
            continue
        if problem is not None:
            return problem
    return _limits.message("digits", limits.digits, "数值过长", "the number is too long")
