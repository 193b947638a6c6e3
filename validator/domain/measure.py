"""Printed-precision arithmetic (GUIDE §2, after XBRL Calculations 1.1).

A number written with d decimals stands for the interval [v − ½·10⁻ᵈ, v + ½·10⁻ᵈ].
Sums and ratios of such numbers are intervals too; two values agree when their intervals
overlap. Values are held in the base unit of their dimension (元, a fraction for
rates), so 元/万元/亿元 compare after conversion."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from validator.domain import units
from validator.domain.units import Unit

ZERO = Decimal(0)
ONE = Decimal(1)
HALF = Decimal("0.5")
# Enough digits for any table amount; keeps division results deterministic.
PRECISION = 34


class DimensionError(ValueError):
    """Two values of different dimensions met in one operation (元 + %)."""


@dataclass(frozen=True, slots=True)
class Measure:
    """A value in its base unit with the interval its printed precision implies."""
    value: Decimal  # in the dimension's base unit
    lo: Decimal
    hi: Decimal
    unit: Unit | None = None  # the unit it was written in, for display
    decimals: int | None = None  # decimals as printed, None for exact or computed values

    @property
    def dimension(self) -> str | None:
        return self.unit.dimension if self.unit is not None else None

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    @property
    def half_width(self) -> Decimal:
        return (self.hi - self.lo) / 2

    def __bool__(self) -> bool:
        return self.value != 0


# Whole points and whole counts are assigned or counted, not rounded from something finer:
# 16 item scores of 6, 3, 0 … add up exactly, and a stated total of 96 against their 93
# is an error, not rounding. Money and rates are rounded results and keep their interval.
_EXACT_WHEN_WHOLE = (units.SCORE, units.COUNT)


def written(number: Decimal, unit: Unit | None = None, decimals: int | None = None) -> Measure:
    """A value as printed: `number` in `unit`, with the interval its decimals imply."""
    if decimals is None:
        exp = number.as_tuple().exponent
        decimals = -exp if isinstance(exp, int) and exp < 0 else 0
    scale = unit.scale if unit is not None else ONE
    value = number * scale
    if decimals == 0 and unit is not None and unit.dimension in _EXACT_WHEN_WHOLE:
        return Measure(value, value, value, unit, 0)
    half = HALF * Decimal(10) ** -decimals * scale
    return Measure(value, value - half, value + half, unit, decimals)


def exact(number: Decimal, unit: Unit | None = None) -> Measure:
    scale = unit.scale if unit is not None else ONE
    value = number * scale
    return Measure(value, value, value, unit, None)


def fraction(value: Decimal) -> Measure:
    """An exact rate given as a fraction (1 = 100%)."""
    return Measure(value, value, value, units.PERCENT, None)


def _compatible(a: Measure, b: Measure) -> Unit | None:
    """The unit a result of a + b carries; plain numbers adopt the other's unit."""
    da, db = a.dimension, b.dimension
    if da == db:
        return a.unit or b.unit
    if da is None:
        return b.unit
    if db is None:
        return a.unit
    raise DimensionError(f"{da} vs {db}")


def _merge_decimals(a: Measure, b: Measure) -> int | None:
    ds = [d for d in (a.decimals, b.decimals) if d is not None]
    return max(ds) if ds else None


def add(a: Measure, b: Measure) -> Measure:
    unit = _compatible(a, b)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return Measure(a.value + b.value, a.lo + b.lo, a.hi + b.hi, unit, _merge_decimals(a, b))


def total(ms: list[Measure]) -> Measure:
    """ms[0] + ms[1] + …: the same operations as add() from the left (the same rounding,
    the same unit, the same DimensionError), in one decimal context instead of one per
    addend."""
    first = ms[0]
    if len(ms) == 1:
        return first
    value, lo, hi, unit, decimals = first.value, first.lo, first.hi, first.unit, first.decimals
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for m in ms[1:]:
            da = unit.dimension if unit is not None else None
            db = m.dimension
            if da == db:
                unit = unit or m.unit
            elif da is None:
                unit = m.unit
            elif db is not None:
                raise DimensionError(f"{da} vs {db}")
            value, lo, hi = value + m.value, lo + m.lo, hi + m.hi
            d = m.decimals
            if d is not None and (decimals is None or d > decimals):
                decimals = d
    return Measure(value, lo, hi, unit, decimals)


def sub(a: Measure, b: Measure) -> Measure:
    unit = _compatible(a, b)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return Measure(a.value - b.value, a.lo - b.hi, a.hi - b.lo, unit, _merge_decimals(a, b))


def neg(a: Measure) -> Measure:
    return Measure(-a.value, -a.hi, -a.lo, a.unit, a.decimals)


def _dimensionless(m: Measure) -> bool:
    return m.dimension in (None, units.RATIO)


def mul(a: Measure, b: Measure) -> Measure:
    if not _dimensionless(a) and not _dimensionless(b):
        raise DimensionError(f"{a.dimension} × {b.dimension}")
    # Both dimensionless: a rate times a plain number is still a rate (2 × 71.07% = 142.14%).
    unit = b.unit if _dimensionless(a) and not _dimensionless(b) else a.unit if not _dimensionless(a) else (a.unit or b.unit)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        corners = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
        return Measure(a.value * b.value, min(corners), max(corners), unit, None)


def div(a: Measure, b: Measure) -> Measure | None:
    """a ÷ b; None where b's interval reaches zero (the ratio is undefined, as `#DIV/0!`)."""
    if b.value == 0:
        return None
    if a.dimension == b.dimension:
        unit = None
    elif _dimensionless(b):
        unit = a.unit
    elif a.dimension == units.MONEY and b.dimension == units.COUNT:
        # A unit price (万元 ÷ 个 → 万元/个), as the expression compiler types it.
        unit = Unit(f"{a.unit.symbol}/{b.unit.symbol}", units.PER_UNIT_MONEY, a.unit.scale / b.unit.scale)
    else:
        raise DimensionError(f"{a.dimension} ÷ {b.dimension}")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        value = a.value / b.value
        if b.lo <= 0 <= b.hi:
            # Printed precision admits a zero divisor: the ratio is unbounded; only the
            # point value is meaningful.
            return Measure(value, Decimal("-Infinity"), Decimal("Infinity"), unit, None)
        corners = (a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi)
        return Measure(value, min(corners), max(corners), unit, None)


def ratio(a: Measure, b: Measure) -> Measure | None:
    """a / b as a rate (shown in %)."""
    r = div(a, b)
    if r is None:
        return None
    if r.dimension is not None and r.dimension != units.RATIO:
        raise DimensionError(f"ratio of {a.dimension} and {b.dimension}")
    return Measure(r.value, r.lo, r.hi, units.PERCENT, None)


def overlaps(a: Measure, b: Measure) -> bool:
    _compatible(a, b)
    return a.lo <= b.hi and b.lo <= a.hi


def compare(a: Measure, b: Measure) -> int:
    """Compare point values after unit conversion."""
    _compatible(a, b)
    return (a.value > b.value) - (a.value < b.value)


def minimum(a: Measure, b: Measure) -> Measure:
    _compatible(a, b)
    return a if a.value <= b.value else b


def maximum(a: Measure, b: Measure) -> Measure:
    _compatible(a, b)
    return a if a.value >= b.value else b


def absolute(a: Measure) -> Measure:
    if a.value >= 0:
        return a
    return neg(a)


def quantized(value: Decimal, places: int) -> Decimal:
    """`value` rounded half up to `places` decimals, in a context wide enough for it (the
    default 28 digits would refuse 1E+20 to 10 places); a value that still cannot be
    rounded is returned as it is."""
    if not value.is_finite():
        return value
    need = max(value.adjusted(), 0) + max(places, 0) + 3
    with localcontext() as ctx:
        ctx.prec = max(PRECISION, min(need, 10_000))
        try:
            return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        except InvalidOperation:
            return value


def round_to(a: Measure, places: int) -> Measure:
    scale = a.unit.scale if a.unit is not None else ONE
    with localcontext() as ctx:
        ctx.prec = PRECISION
        shown = quantized(a.value / scale, places)
    return written(shown, a.unit, places)


def in_unit(m: Measure, unit: Unit | None) -> Decimal:
    scale = unit.scale if unit is not None else ONE
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return m.value / scale


def display_unit(m: Measure, like: Measure | None = None) -> Unit | None:
    if like is not None and like.unit is not None and like.dimension == m.dimension:
        return like.unit
    return m.unit


def fmt(m: Measure, like: Measure | None = None, decimals: int | None = None) -> str:
    """Text a reader expects: 71.07%, 157万元, 5238.17万元 — in `like`'s unit when given."""
    unit = display_unit(m, like)
    if decimals is None:
        decimals = m.decimals if m.decimals is not None else 2
    try:
        shown = quantized(in_unit(m, unit), decimals)
    except InvalidOperation:
        return str(m.value)
    exp = shown.as_tuple().exponent
    text = f"{shown:f}" if not isinstance(exp, int) or abs(exp) <= 100 else str(shown)
    if unit is None or unit.dimension == units.SCORE:
        return text
    return f"{text}{unit.symbol}"


def fmt_margin(half: Decimal, unit: Unit | None) -> str:
    """The allowed difference, to three significant digits (±0.0091%, ±0.015万元)."""
    scale = unit.scale if unit is not None else ONE
    value = half / scale
    if value:
        value = value.quantize(Decimal(1).scaleb(value.adjusted() - 2), rounding=ROUND_HALF_UP)
    text = f"±{value.normalize():f}"
    if unit is not None and unit.dimension != units.SCORE:
        text += unit.symbol
    return text
