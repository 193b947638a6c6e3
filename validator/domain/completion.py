"""Whether an indicator met its target, and its completion rate (GUIDE §2, §3).

A target with no operator is read as ≥, except cost indicators (成本) where spending
less is the goal, which read as ≤. For ≤/< targets the completion rate is configurable
because provinces differ: `inverse` (target / actual) or `deviation`
(1 − (actual − target) / target)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from validator.domain import measure
from validator.domain import notation
from validator.domain.measure import DimensionError, Measure
from validator.domain.notation import Notation

ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Judgement:
    """Whether an indicator met its target, and its completion rate."""
    status: str | None  # met / partly / not_met; None when it cannot be judged
    rate: Measure | None = None  # completion rate, capped at 100%


UNKNOWN = Judgement(None)


def effective_op(target: Notation, cost_like: bool) -> str:
    if target.op:
        return target.op
    return "≤" if cost_like else "≥"


def _rate(value: Decimal) -> Measure:
    value = max(Decimal(0), min(value, ONE))
    return measure.fraction(value)


def _quantity_measures(target: Notation, actual: Notation) -> tuple[Measure, Measure, int] | None:
    """(actual, target, how actual compares with target: -1, 0 or 1) as measures, or None
    when they cannot be compared."""
    if actual.kind != notation.QUANTITY or actual.number is None or target.number is None:
        return None
    t, a = target.measure, actual.measure
    if actual.unit is None and target.unit is not None:
        # A bare actual is written in the target's unit (5 under a 家 target).
        a = measure.written(actual.number, target.unit)
    elif target.unit is None and actual.unit is not None:
        t = measure.written(target.number, actual.unit)
    try:
        cmp = measure.compare(a, t)
    except DimensionError:
        return None
    return a, t, cmp


def _quantity_met(a: Measure, t: Measure, cmp: int, op: str) -> bool:
    if op in ("≥", ">"):
        return cmp >= 0 if op == "≥" else cmp > 0
    if op in ("≤", "<"):
        return cmp <= 0 if op == "≤" else cmp < 0
    if op == "=":
        return _equal_at_target_precision(a, t)
    return not _equal_at_target_precision(a, t)  # ≠


def _quantity(target: Notation, actual: Notation, cost_like: bool, lower_policy: str) -> Judgement:
    measures = _quantity_measures(target, actual)
    if measures is None:
        return UNKNOWN
    a, t, cmp = measures
    op = effective_op(target, cost_like)
    met = _quantity_met(a, t, cmp, op)
    if op in ("≥", ">"):
        rate = _rate(a.value / t.value) if t.value else (_rate(ONE) if met else None)
    elif op in ("≤", "<"):
        if met or a.value == 0:
            rate = _rate(ONE)
        elif lower_policy == "deviation" and t.value:
            rate = _rate(ONE - (a.value - t.value) / t.value)
        else:
            rate = _rate(t.value / a.value)
    elif op == "=":
        if met:
            rate = _rate(ONE)
        elif t.value and a.value < t.value:
            rate = _rate(a.value / t.value)
        elif a.value:
            rate = _rate(t.value / a.value)
        else:
            rate = None
    else:  # ≠
        rate = _rate(ONE if met else Decimal(0))
    return Judgement(notation.MET if met else notation.NOT_MET, rate)


def _equal_at_target_precision(actual: Measure, target: Measure) -> bool:
    """＝ targets are set values: the actual meets one when, rounded to the decimals the
    target is written with, it is the target (1.254 meets =1.25; 99% misses =100%)."""
    places = target.decimals or 0
    shown = measure.quantized(measure.in_unit(actual, target.unit), places)
    return shown == measure.in_unit(target, target.unit)


def _deadline(target: Notation, actual: Notation) -> Judgement:
    """A date or period target against the date or period the work was done in. Done by the
    target's end (or, for 以后 targets, from its start) is met; done wholly after it is not;
    an actual period that straddles the bound (2024年12月 for 2024年12月30日前) cannot be
    judged."""
    if actual.kind not in (notation.DEADLINE, notation.PERIOD) or actual.end is None:
        return UNKNOWN
    if target.op in ("≥", ">"):
        if actual.start >= target.start:
            return Judgement(notation.MET, _rate(ONE))
        return Judgement(notation.NOT_MET) if actual.end < target.start else UNKNOWN
    if actual.end <= target.end:
        return Judgement(notation.MET, _rate(ONE))
    return Judgement(notation.NOT_MET) if actual.start > target.end else UNKNOWN


def _qualitative(target: Notation, actual: Notation) -> Judgement:
    if actual.kind != notation.QUALITATIVE:
        return UNKNOWN
    if actual.text == target.text:  # each normalized once, kept on the (shared) Notation
        return Judgement(notation.MET)
    return Judgement(actual.level)


def judge(target: Notation, actual: Notation, cost_like: bool = False, lower_policy: str = "inverse") -> Judgement:
    """Met / partly / not met for one indicator; UNKNOWN when target and actual are not
    of comparable kinds (those are unit or form findings, not completion findings)."""
    if target.kind == notation.QUANTITY:
        return _quantity(target, actual, cost_like, lower_policy)
    if target.kind in (notation.DEADLINE, notation.PERIOD):
        # A period target (2023年1-12月) is the time the work is done in: an actual period
        # that ends within it (2023年12月) meets it (GUIDE §1h).
        return _deadline(target, actual)
    if target.kind == notation.QUALITATIVE:
        return _qualitative(target, actual)
    return UNKNOWN


def status(target: Notation, actual: Notation, cost_like: bool = False) -> str | None:
    """judge(…).status without working out the rate, which the model never needs: met /
    partly / not_met, or None when target and actual are not of comparable kinds."""
    if target.kind == notation.QUANTITY:
        measures = _quantity_measures(target, actual)
        if measures is None:
            return None
        return notation.MET if _quantity_met(*measures, effective_op(target, cost_like)) else notation.NOT_MET
    return judge(target, actual, cost_like).status
