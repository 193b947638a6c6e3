"""What generated rule code calls: the operators of the expression language with the
closures' semantics (compiler.py), minus the evidence a finding reports.

Generated code answers one question per rule and item — does the rule fire? — and the
closures, the reference implementation, build the finding where it does. So nothing
here records comparisons; everything else (unknown as None, a unit clash as unknown,
blank text as blank) is exactly the closures' behaviour, which tests/test_codegen.py
holds it to."""

from __future__ import annotations

from validator import limits
from validator.domain import measure, vocabulary
from validator.domain.measure import DimensionError, Measure
from validator.domain.notation import BLANK, QUANTITY, Notation
from validator.expression.runtime import _agree, is_blank, to_measure, to_text, truth

# A hoisted or shared value not computed yet (None is a value: unknown).
UNSET = object()
EMPTY: dict = {}

_NOTHING: dict[str, bool] = {}
_MEMO_MAX = 1024  # as the cell memo (notation.parse_text): batch memory stays flat


def _m(v):
    """to_measure with the two common cases first. A cell's Notation keeps its measure."""
    c = v.__class__
    if c is Notation:
        return v.measure if v.kind == QUANTITY else None
    if c is Measure:
        return v
    return to_measure(v)


def text(v):
    """to_text; a cell's Notation keeps its text."""
    if v.__class__ is Notation:
        return v.text
    if v.__class__ is str:
        return v.strip()
    return to_text(v)


def matches(v, pattern):
    """functions._matches with the pattern compiled once, for the generated module."""
    t = text(v)
    if t is None:
        return False
    return pattern.search(t, 0, limits.current().match_input) is not None


def says_nothing(v):
    t = text(v)
    if t is None:
        return True
    hit = _NOTHING.get(t)
    if hit is None:
        hit = vocabulary.says_nothing(t)
        if len(_NOTHING) >= _MEMO_MAX:
            _NOTHING.clear()
        _NOTHING[t] = hit
    return hit


def _cmp(a, b):
    """measure.compare of the two as measures; None when either is unknown or the units
    clash. _m and the dimension check written out: this runs for every comparison."""
    c = a.__class__
    a = (a.measure if a.kind == QUANTITY else None) if c is Notation else a if c is Measure else to_measure(a)
    if a is None:
        return None
    c = b.__class__
    b = (b.measure if b.kind == QUANTITY else None) if c is Notation else b if c is Measure else to_measure(b)
    if b is None:
        return None
    ua, ub = a.unit, b.unit
    if ua is not ub and ua is not None and ub is not None and ua.dimension != ub.dimension:
        return None
    x, y = a.value, b.value
    return (x > y) - (x < y)


def lt(a, b):
    c = _cmp(a, b)
    return None if c is None else c < 0


def le(a, b):
    c = _cmp(a, b)
    return None if c is None else c <= 0


def gt(a, b):
    c = _cmp(a, b)
    return None if c is None else c > 0


def ge(a, b):
    c = _cmp(a, b)
    return None if c is None else c >= 0


def eq(a, b):
    c = _cmp(a, b)
    return None if c is None else c == 0


def ne(a, b):
    c = _cmp(a, b)
    return None if c is None else c != 0


def approx(a, b, tolerance):
    a, b = _m(a), _m(b)
    if a is None or b is None:
        return None
    try:
        return _agree(a, b, tolerance)[0]
    except DimensionError:
        return None


NUMERIC = {"<": lt, "<=": le, ">": gt, ">=": ge, "==": eq, "!=": ne}


def eq_literal(a, want, negate):
    """`x == "literal"` for anything but a plain string (the generated code tests that
    case itself)."""
    if a is None:
        return negate
    if isinstance(a, bool):
        return None
    ta = to_text(a)
    return None if ta is None else (ta == want) is not negate


def eq_text(a, b, negate):
    if isinstance(a, bool) or isinstance(b, bool):
        if not (isinstance(a, bool) and isinstance(b, bool)):
            return None
        same = a is b
    else:
        ta, tb = to_text(a), to_text(b)
        if ta is None or tb is None:
            return None
        same = ta == tb
    return same is not negate


def contains(a, b, negate):
    if a is None or b is None:
        return None
    ta = to_text(a)
    if isinstance(b, list):
        found = ta in [to_text(x) for x in b]
    else:
        tb = to_text(b)
        found = ta is not None and tb is not None and ta in tb
    return (not found) if negate else found


def arith(impl, a, b):
    a, b = _m(a), _m(b)
    if a is None or b is None:
        return None
    try:
        return impl(a, b)
    except DimensionError:
        return None


def neg(a):
    m = _m(a)
    return measure.neg(m) if m is not None else None


def call1(impl, a):
    try:
        return impl(a)
    except DimensionError:
        return None


def call1e(impl, a):
    try:
        return [impl(x) for x in a] if isinstance(a, list) else impl(a)
    except DimensionError:
        return None


def call2(impl, a, b):
    try:
        return impl(a, b)
    except DimensionError:
        return None


def map2(impl, a, b):
    """An elementwise two-argument function that cannot raise a unit clash."""
    return [impl(x, b) for x in a] if isinstance(a, list) else impl(a, b)


def map1(impl, a):
    """An elementwise function that cannot raise a unit clash."""
    return [impl(x) for x in a] if isinstance(a, list) else impl(a)


def exists(v):
    c = v.__class__
    if c is Notation:
        return v.kind != BLANK
    if v is None:  # a field not written: most of what rules ask about
        return False
    return bool(v.strip()) if c is str else not is_blank(v)


def blank(v):
    c = v.__class__
    if c is Notation:
        return v.kind == BLANK
    if v is None:
        return True
    return not v.strip() if c is str else is_blank(v)


__all__ = [
    "UNSET", "EMPTY", "truth", "lt", "le", "gt", "ge", "eq", "ne", "approx", "eq_literal", "eq_text", "contains",
    "arith", "neg", "call1", "call1e", "call2", "map1", "map2", "exists", "blank", "text", "matches", "says_nothing",
    "Notation",
]
