"""Constants of generated rule code, described as JSON and rebuilt from that description:
how a rule's strings, numbers, parameters and functions reach the generated module as
data (and how the pack cache keeps them) without ever becoming source text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from validator.domain import measure, units
from validator.domain.measure import Measure
from validator.expression import functions
from validator.expression.runtime import Tolerance

_ARITH = {"+": "add", "-": "sub", "*": "mul", "/": "div"}


class Unstorable(ValueError):
    """A constant with no JSON description (the generator then leaves the rule to the closures)."""


def spec_of(value: Any) -> Any:
    """A JSON description of a constant, from which `materialize` rebuilds it."""
    if isinstance(value, str):
        return ["s", value]
    if isinstance(value, Measure):
        return ["m", str(value.value), str(value.lo), str(value.hi), value.unit.symbol if value.unit else None,
                value.decimals]
    if isinstance(value, bool) or value is None:
        return ["c", value]
    if isinstance(value, (list, tuple)):
        return ["l", [spec_of(v) for v in value]]
    if isinstance(value, frozenset):
        return ["f", sorted(spec_of(v) for v in value)]
    if isinstance(value, Tolerance):
        return ["t", value.policy, spec_of(value.absolute)]
    if isinstance(value, Decimal):
        return ["d", str(value)]
    raise Unstorable(f"constant of type {type(value).__name__}")


def materialize(spec: Any) -> Any:
    tag = spec[0]
    if tag == "s":
        return spec[1]
    if tag == "c":
        return spec[1]
    if tag == "d":
        return Decimal(spec[1])
    if tag == "m":
        _, value, lo, hi, symbol, decimals = spec
        return Measure(Decimal(value), Decimal(lo), Decimal(hi), units.lookup(symbol), decimals)
    if tag == "l":
        return [materialize(s) for s in spec[1]]
    if tag == "f":
        return frozenset(materialize(s) for s in spec[1])
    if tag == "t":
        return Tolerance(spec[1], materialize(spec[2]))
    if tag == "fn":
        return functions.FUNCTIONS[spec[1]].impl
    if tag == "op":
        return getattr(measure, _ARITH[spec[1]])
    if tag == "re":
        from validator.expression.functions import compiled_pattern

        return compiled_pattern(spec[1])
    if tag == "apply":
        fn = functions.FUNCTIONS[spec[1]]
        return lambda args: functions.apply(fn, args)
    if tag == "walk":
        from validator.expression.paths import make_walker

        return make_walker([tuple(step) for step in spec[1]])
    raise ValueError(f"unknown constant {tag!r}")


