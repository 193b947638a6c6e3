"""How a finding was computed: the values a rule read (with their locations), the
intervals and margin of each comparison, and the result — `selfeval check --explain`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from validator.domain import measure
from validator.kinds import kind_named
from validator.check.engine import iter_items, locator_for, run_rule
from validator.errors import SelfevalError
from validator.expression.compiler import Tolerance, compile_expression
from validator.expression.runtime import Comparison, Context, display, truth
from validator.packs.rule import Rule, _tolerance


def _say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _traced(rule: Rule):
    """The rule's when/assert compiled again, recording what they read."""
    from validator.expression.compiler import collection_type

    # root_type(), not .root: a rule from the pack cache works its root out when asked.
    root = rule.root_type()
    item_type = collection_type(rule.for_each, root) if rule.for_each else None
    tolerance = _tolerance(rule.node.get("tolerance") if rule.node else None, rule.source)
    when = compile_expression(rule.when.source, item_type, rule.params, trace=True, root=root) if rule.when else None
    assert_ = compile_expression(rule.assert_.source, item_type, rule.params, tolerance or Tolerance(), trace=True, root=root)
    return when, assert_


def _concrete(path: str, item_path: str | None) -> str:
    if item_path and (path == "item" or path.startswith("item.")):
        return item_path + path[4:]
    return path


def _interval(m: measure.Measure, like: measure.Measure, lang: str) -> str:
    unit = measure.display_unit(m, like)
    places = (like.decimals if like.decimals is not None else 2) + 3
    if m.lo == m.hi:
        return _say(lang, "（精确值）", "(exact)")
    if m.hi == Decimal("Infinity"):
        return "(-∞, ∞)"
    lo = measure.fmt(measure.Measure(m.lo, m.lo, m.lo, unit), like, places)
    hi = measure.fmt(measure.Measure(m.hi, m.hi, m.hi, unit), like, places)
    return f"[{lo}, {hi}]"


def _values_block(trace: list, locator, item_path: str | None, lang: str) -> list[str]:
    lines, seen = [], set()
    for text, value in trace:
        concrete = _concrete(text, item_path)
        if concrete in seen:
            continue
        seen.add(concrete)
        if isinstance(value, list):
            shown = "[" + ", ".join(display(v, lang) for v in value) + "]"
        elif isinstance(value, dict):
            shown = _say(lang, "（一行）", "(a row)")
        else:
            shown = display(value, lang)
        sheet, cell = locator.cell(concrete)
        where = f"  ← {sheet}!{cell}" if sheet and cell else ""
        lines.append(f"      {text} = {shown}{where}" + (f"    ({concrete})" if concrete != text else ""))
    return lines


def _evidence_block(evidence: list[Comparison], lang: str) -> list[str]:
    lines = []
    for ev in evidence:
        left, right = ev.left, ev.right
        l_src = ev.left_source or _say(lang, "左边", "left")
        r_src = ev.right_source or _say(lang, "右边", "right")
        lines.append(f"      {l_src} {ev.op} {r_src}")
        lines.append(f"        {_say(lang, '左', 'left ')}  {display(left, lang)}  {_interval(left, left, lang)}")
        lines.append(f"        {_say(lang, '右', 'right')}  {measure.fmt(right, left, (left.decimals or 0) + 2)}  {_interval(right, left, lang)}")
        if ev.margin is not None:
            lines.append(f"        {_say(lang, '允许误差', 'margin')} {measure.fmt_margin(ev.margin, measure.display_unit(left))}")
        verdict = _say(lang, "成立", "holds") if ev.passed else _say(lang, "不成立", "fails")
        lines.append(f"        → {verdict}")
    return lines


class NotRunHere(SelfevalError):
    """The rule does not run on this document (another kind, not selected, not loaded)."""


def _prepared(validator, data: Any):
    """(kind, data as checked): the document measured and held to its kind's schema, as
    check_mapping does before any rule runs."""
    if not isinstance(data, dict):
        raise NotRunHere("无法解释：输入不是自评表", "cannot explain: the input is not a submission")
    from validator import limits
    from validator.check import schema as schema_check
    from validator.check.bounds import check_size
    from validator.errors import InputError

    try:
        check_size(data, "-", getattr(validator, "limits", None) or limits.current())
    except InputError as exc:
        raise SelfevalError(exc.message.removeprefix("-: "), exc.message_en.removeprefix("-: ")) from None
    kind = kind_named(data.get("kind")) if isinstance(data.get("kind"), str) else None
    kind_name = kind.name if kind is not None and kind.checked else None
    problems = schema_check.check(data, kind_name)
    if problems:
        cleaned = schema_check.strip_unknown(data, problems, kind_name)
        if cleaned is None:
            raise SelfevalError(f"无法解释：自评表不符合提交格式（{problems[0].message}）；请先不带 --explain 运行检查",
                                f"cannot explain: the submission does not match the format ({problems[0].message_en}); run check without --explain first")
        data = cleaned
    return kind, data


def explain_submission(validator, documents: list[tuple[str, Any]], target: str, lang: str = "zh") -> list[tuple[str, str]]:
    """(origin, explanation) for each document of one submission (origin, data) that the
    rule runs on, each derived with the others beside it, as a check sees them: a rule
    that reads the issued targets or the table a report speaks of explains what it read
    there. Raises NotRunHere when the rule runs on none of them."""
    from validator.kinds import Other

    ready = []  # (origin, kind, data as checked)
    first_problem: NotRunHere | None = None
    for origin, data in documents:
        try:
            kind, data = _prepared(validator, data)
        except NotRunHere as exc:  # a table of a kind that is not checked
            first_problem = first_problem or exc
            continue
        ready.append((origin, kind, data))
    others = [Other(kind.name, data, origin) for origin, kind, data in ready if kind is not None]
    out = []
    for origin, kind, data in ready:
        try:
            out.append((origin, _explain_prepared(validator, kind, data, target, lang, [o for o in others if o.origin != origin])))
        except NotRunHere as exc:
            first_problem = first_problem or exc
    if not out and first_problem is not None:
        raise first_problem
    return out


def explain(validator, data: Any, target: str, lang: str = "zh", others: list | None = None) -> str:
    """Explain one rule (`AR007`) or one finding (`AR007@funds.sources[2].rate`) on a
    canonical submission; `others`: the other documents of its submission (kinds.Other)."""
    kind, data = _prepared(validator, data)
    return _explain_prepared(validator, kind, data, target, lang, others)


def _explain_prepared(validator, kind, data: dict, target: str, lang: str, others: list | None) -> str:
    """explain() on a document _prepared has measured and held to its schema."""
    rule_id, _, want_path = target.partition("@")
    rule_id = rule_id.strip().upper()
    _, rules = validator.rules_for(data)
    rule = next((r for r in rules if r.id == rule_id), None)
    if rule is None:
        raise NotRunHere(f"规则 {rule_id} 没有用于该自评表（未加载、未选中或不适用）",
                         f"rule {rule_id} does not run on this submission (not loaded, not selected or not applicable)")
    root = kind.derive(data, list(others or ()))
    kind = kind.name
    out = [f"{rule.id} {rule.title if lang != 'en' else rule.title_en}  ({rule.source})"]
    if kind not in rule.applies_to:
        out.append(_say(lang, f"  不适用于 {kind} 类自评表", f"  does not apply to kind {kind}"))
        return "\n".join(out) + "\n"
    when, assert_ = _traced(rule)
    locator = locator_for(root, kind)
    findings = {f.location.path: f for f in run_rule(rule, root, kind, locator)}
    items = list(iter_items(root, rule.for_each)) if rule.for_each else [(None, None)]
    if rule.for_each:
        out.append(_say(lang, f"  for_each {rule.for_each}：{len(items)} 项", f"  for_each {rule.for_each}: {len(items)} item(s)"))
    shown = 0
    for item_path, item in items:
        finding = next((f for p, f in findings.items() if item_path is None or p == item_path or p.startswith(item_path + ".")), None)
        if want_path and not (finding is not None and finding.location.path == want_path) and item_path != want_path:
            continue
        shown += 1
        label = locator.label(item_path, item) if item_path else None
        if item_path:
            out.append(f"  [{item_path}] {label or ''}".rstrip())
        trace: list = []
        ctx = Context(root, item, rule.params, trace)
        if when is not None:
            w = truth(when.fn(ctx))
            out.append(f"    when: {' '.join(when.source.split())}")
            out.extend(_values_block(trace, locator, item_path, lang))
            out.append(f"      → {_say(lang, {True: '成立', False: '不成立', None: '未知（有空值）'}[w], {True: 'true', False: 'false', None: 'unknown (a value is blank)'}[w])}")
            if w is not True:
                out.append(_say(lang, "    前提不成立，规则跳过此项", "    precondition not met: the rule skips this item"))
                continue
        trace.clear()
        ctx.evidence.clear()
        result = truth(assert_.fn(ctx))
        out.append(f"    assert: {' '.join(assert_.source.split())}")
        out.extend(_values_block(trace, locator, item_path, lang))
        out.extend(_evidence_block(ctx.evidence, lang))
        verdict = {True: _say(lang, "成立：没有发现", "holds: no finding"),
                   False: _say(lang, "不成立：产生发现", "fails: a finding"),
                   None: _say(lang, "未知（有空值或无法计算）：不产生发现", "unknown (blank or incomputable): no finding")}[result]
        out.append(f"    → {verdict}")
        if finding is not None and result is False:
            out.append(f"    {finding.location.describe()}: {finding.text(lang)}")
    if want_path and not shown:
        out.append(_say(lang, f"  没有位于 {want_path} 的项", f"  no item at {want_path}"))
    return "\n".join(out) + "\n"

