"""Values at evaluation time, and how they convert.

Cells are `Notation`s; arithmetic takes their number as a `Measure`. A missing or
unusable value is None, and None is "unknown": comparisons with it are unknown, and
a rule whose assertion is unknown does not fire (the blank/form rules report those)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from validator import limits
from validator.domain import measure
from validator.domain import notation
from validator.domain.measure import Measure
from validator.domain.notation import Notation


@dataclass
class Tolerance:
    """How ≈ decides agreement: `printed` (intervals from printed decimals overlap, the
    default), `exact`, or an absolute margin added to the printed one."""

    policy: str = "printed"
    absolute: Measure | None = None


def _agree(a: Measure, b: Measure, tol: Tolerance) -> tuple[bool, Decimal]:
    """Whether a reported and a computed value agree, and the margin that was allowed."""
    diff = abs(a.value - b.value)
    if tol.policy == "exact":
        return diff == 0, Decimal(0)
    margin = a.half_width + b.half_width
    if tol.absolute is not None:
        margin += tol.absolute.value
        return diff <= margin, margin
    if a.hi == Decimal("Infinity") or b.hi == Decimal("Infinity"):
        return True, margin
    return measure.overlaps(a, b) if tol.absolute is None else diff <= margin, margin



@dataclass(frozen=True, slots=True)
class Comparison:
    """One comparison a rule made: the evidence a finding reports and `explain` shows.
    The operands are measures with their printed intervals; `margin` is what ≈ allowed
    (None for the other operators); the sources are the operands as the rule writes them."""

    op: str
    left: Measure
    right: Measure
    passed: bool
    margin: Decimal | None = None
    left_source: str = ""
    right_source: str = ""


class Context:
    """One evaluation: the submission, the current item of `for_each`, the rule's
    parameters, and the comparisons made (the evidence a finding reports)."""

    __slots__ = ("root", "item", "params", "evidence", "trace", "memo")

    def __init__(self, root: dict, item: Any = None, params: dict | None = None, trace: list | None = None):
        self.root = root
        self.item = item
        self.params = params or {}
        self.evidence: list[Comparison] = []
        # Set only by `explain`: every field read, as (path as written, value).
        self.trace = trace
        # Values of sub-expressions that do not depend on the item, computed once per
        # rule and submission (compiler._hoisted).
        self.memo: dict = {}


def to_measure(value: Any) -> Measure | None:
    if isinstance(value, Measure):
        return value
    if isinstance(value, Notation):
        if value.kind == notation.QUANTITY:
            return value.measure
        return None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Decimal)):
        # A raw number (not a cell) outside the limits is unknown, never a computation
        # that overflows deep in a rule; check_mapping reports it (SC003).
        number = Decimal(value)
        return measure.exact(number) if number.is_finite() and limits.in_range(number) else None
    return None


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, Notation):
        return value.kind == notation.BLANK
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def to_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Notation):
        return value.text
    if isinstance(value, Measure):
        return measure.fmt(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value).strip()


def display(value: Any, lang: str = "zh", like: Measure | None = None, decimals: int | None = None) -> str:
    """How a value appears in a message."""
    if isinstance(value, str):
        return value  # a rule's own text, e.g. an empty note from if(…, "…", "")
    if value is None or is_blank(value):
        return "（空）" if lang == "zh" else "(blank)"
    if isinstance(value, Notation):
        return value.raw.strip()
    if isinstance(value, Measure):
        return measure.fmt(value, like, decimals)
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, list):
        return "、".join(display(v, lang) for v in value)
    return str(value)


def truth(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Notation):
        return None if value.kind == notation.BLANK else True
    return bool(value)
