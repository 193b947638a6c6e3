"""Built-in functions of the expression language.

Each has a signature check run at compile time (argument count and kinds, result type)
and a pure implementation run at evaluation time. Functions marked elementwise map over
a list argument, so `says_nothing(management[*].issues)` gives a list of booleans."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from validator import limits
from validator.domain import measure
from validator.domain import notation
from validator.domain import units
from validator.domain import vocabulary
from validator.domain.measure import DimensionError
from validator.domain.notation import Notation
from validator.expression import types as T
from validator.expression.diagnostics import ExpressionError
from validator.expression.runtime import is_blank, to_measure, to_text


@dataclass(frozen=True, eq=False)
class Function:
    """A function of the rule language: its arity, result type and implementation."""
    name: str
    min_args: int
    max_args: int
    result: Callable[[list[T.Type]], T.Type]
    impl: Callable[..., Any]
    doc: str
    elementwise: bool = False
    numeric_args: bool = False
    literal_pattern: bool = False  # second argument must be a literal regex


def _numbers(values) -> list:
    out = []
    for v in values:
        if isinstance(v, list):
            out.extend(v)
        else:
            out.append(v)
    return out


def _sum(*args):
    addends = []
    for v in _numbers(args):
        if v.__class__ is Notation:  # a cell, nearly always: is_blank and to_measure in one
            kind = v.kind
            if kind == notation.BLANK:
                continue
            m = v.measure if kind == notation.QUANTITY else None
        elif is_blank(v):
            continue  # a blank source counts as 0 (GUIDE §2)
        else:
            m = to_measure(v)
        if m is None:
            if addends:
                measure.total(addends)  # a unit clash before it is raised first, as it always was
            return None  # text or an Excel error among the addends: the sum is unknown
        addends.append(m)
    return measure.total(addends) if addends else None


def _count(*args):
    return Decimal(sum(v.kind != notation.BLANK if v.__class__ is Notation else not is_blank(v) for v in _numbers(args)))


def _fold(fn):
    def impl(*args):
        ms = [to_measure(v) for v in _numbers(args) if not is_blank(v)]
        if not ms or any(m is None for m in ms):
            return None
        out = ms[0]
        for m in ms[1:]:
            out = fn(out, m)
        return out

    return impl


def _abs(x):
    m = to_measure(x)
    return measure.absolute(m) if m is not None else None


# round(x, n) takes n from -MAX_PLACES to MAX_PLACES; anything else is unknown.
MAX_PLACES = 12


def _round(x, places=None):
    m = to_measure(x)
    p = to_measure(places) if places is not None else None
    if m is None:
        return None
    if p is not None and (p.value != p.value.to_integral_value() or abs(p.value) > MAX_PLACES):
        return None
    try:
        return measure.round_to(m, int(p.value) if p is not None else 0)
    except ArithmeticError:  # more digits than the context holds: not a table amount
        return None


def _ratio(a, b):
    ma, mb = to_measure(a), to_measure(b)
    if ma is None or mb is None:
        return None
    return measure.ratio(ma, mb)


def _len(x):
    if x is None:
        return None
    if isinstance(x, list):
        return Decimal(len(x))
    text = to_text(x)
    return Decimal(len(text)) if text is not None else Decimal(0)


def _matches(x, pattern):
    """Whether the first limits.match_input characters of the text hold a match. The
    pattern passed the safe-subset check when the rule was compiled."""
    text = to_text(x)
    if text is None:
        return False
    return compiled_pattern(pattern).search(text, 0, limits.current().match_input) is not None


def compiled_pattern(pattern: str):
    """RE2, or re for a pattern without repetition (safe_regex.py)."""
    from validator.expression.safe_regex import compiled

    return compiled(pattern)


def _kind(x):
    if x is None:
        return notation.BLANK
    if isinstance(x, Notation):
        return x.kind
    if isinstance(x, str):
        return notation.parse_text(x).kind
    return "number" if to_measure(x) is not None else "other"


def _op(x):
    return x.op if isinstance(x, Notation) else None


def _number(x):
    if isinstance(x, Notation) and x.number is not None:
        return measure.written(x.number)
    return None


def _unit(x):
    if isinstance(x, Notation) and x.unit is not None:
        return x.unit.symbol
    return None


def _dimension(x):
    if isinstance(x, Notation):
        return x.dimension
    m = to_measure(x)
    return m.dimension if m is not None else None


def _unit_written(x):
    return bool(isinstance(x, Notation) and x.unit_written)


def _level(x):
    return x.level if isinstance(x, Notation) else None


def _grade(score, *bands):
    m = to_measure(score)
    if m is None:
        return None
    cuts = [to_measure(b) for b in bands] or [measure.exact(Decimal(n)) for n in (90, 80, 60)]
    names = ("优", "良", "中", "差")
    for name, cut in zip(names, cuts):
        if cut is not None and m.value >= cut.value:
            return name
    return names[len(cuts)] if len(cuts) < len(names) else names[-1]


def _coalesce(*args):
    for a in args:
        if not is_blank(a):
            return a
    return None


def _any(*args):
    vals = _numbers(args)
    if any(v is True for v in vals):
        return True
    return None if any(v is None for v in vals) else False


def _all(*args):
    vals = _numbers(args)
    if any(v is False for v in vals):
        return False
    return None if any(v is None for v in vals) else True


def _count_of(values, wanted):
    items = values if isinstance(values, list) else [values]
    want = to_text(wanted)
    return Decimal(sum(1 for v in items if v is not None and to_text(v) == want))


def _sum_where(values, keys, wanted):
    """Σ values[i] for the i where keys[i] equals `wanted` (a group's items)."""
    if not isinstance(values, list) or not isinstance(keys, list):
        return None
    want = to_text(wanted)
    return _sum([v for v, k in zip(values, keys) if k is not None and to_text(k) == want])


def _pick(values, conditions):
    """The first value whose condition is true: the actual of the indicator whose name
    matches, `pick(indicators[*].actual, matches(indicators[*].name, "监控点位"))`."""
    if not isinstance(values, list) or not isinstance(conditions, list):
        return None
    return next((v for v, c in zip(values, conditions) if c is True), None)


def _contains(text, part):
    t, p = to_text(text), to_text(part)
    if t is None or p is None:
        return False
    return p in t


def _digits_swapped(a, b):
    """Whether two amounts differ only by two swapped digits (5283.17 for 5238.17),
    the classic keying error; their difference is then divisible by 9."""
    ma, mb = to_measure(a), to_measure(b)
    if ma is None or mb is None or ma.value == mb.value:
        return False
    unit = ma.unit if ma.unit is not None else mb.unit
    places = max(_places(ma, unit), _places(mb, unit))
    sa = f"{measure.in_unit(ma, unit):.{places}f}"
    sb = f"{measure.in_unit(mb, unit):.{places}f}"
    if len(sa) != len(sb):
        return False
    diff = [i for i, (x, y) in enumerate(zip(sa, sb)) if x != y]
    return len(diff) == 2 and sa[diff[0]] == sb[diff[1]] and sa[diff[1]] == sb[diff[0]]


def _places(m, unit) -> int:
    """Decimals as printed; for an exact value (a literal, 5283.71) the decimals it has."""
    if m.decimals is not None:
        return m.decimals
    exp = measure.in_unit(m, unit).normalize().as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def _same_value(a, b):
    if is_blank(a) or is_blank(b):
        return None
    na = a if isinstance(a, Notation) else notation.parse_value(a)
    nb = b if isinstance(b, Notation) else notation.parse_value(b)
    return notation.same_value(na, nb)


def _completion(target, actual, cost_like=None, policy=None):
    """The completion rate of an indicator (GUIDE §2), with the pack's policy for ≤ targets:
    `inverse` (target ÷ actual) or `deviation` (1 − (actual − target) ÷ target)."""
    from validator.domain import completion

    if not isinstance(target, Notation) or not isinstance(actual, Notation):
        return None
    policy = policy if policy in ("inverse", "deviation") else "inverse"
    return completion.judge(target, actual, cost_like=bool(cost_like), lower_policy=policy).rate


def _seen_before(values, value, index):
    """Whether `value` is among values[0:index]: a later repeat of an earlier entry."""
    if not isinstance(values, list) or value is None or is_blank(value):
        return None
    n = index.value if isinstance(index, measure.Measure) else index
    try:
        n = int(n)
    except (TypeError, ValueError):
        return None
    return value in values[:max(0, n)]


def _says_nothing(x):
    return vocabulary.says_nothing(to_text(x))


def _if(cond, a, b):
    if cond is None:
        return None
    return a if cond else b


def _same(arg_types):
    return arg_types[0] if arg_types else T.ANY


def _first_number(arg_types):
    for t in arg_types:
        if t.kind in ("number", "cell"):
            return T.number(t.dim)
        if t.kind == "list" and t.elem is not None and t.elem.kind in ("number", "cell"):
            return T.number(t.elem.dim)
    return T.NUMBER


def _const(t):
    return lambda _args: t


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in [
        Function("sum", 1, 99, _first_number, _sum, "Σ of the values (blank counts as 0); unknown if any is text or an error", numeric_args=True),
        Function("count", 1, 99, _const(T.NUMBER), _count, "how many values are not blank"),
        Function("min", 1, 99, _first_number, _fold(measure.minimum), "the smallest value", numeric_args=True),
        Function("max", 1, 99, _first_number, _fold(measure.maximum), "the largest value", numeric_args=True),
        Function("abs", 1, 1, _first_number, _abs, "absolute value", numeric_args=True),
        Function("round", 1, 2, _first_number, _round, "round half up to n decimals, in the value's unit", numeric_args=True),
        Function("ratio", 2, 2, _const(T.number(units.RATIO)), _ratio, "a ÷ b as a rate (%), unknown when b is 0", numeric_args=True),
        Function("exists", 1, 1, _const(T.BOOL), lambda x: not is_blank(x), "the value is filled in", elementwise=True),
        Function("blank", 1, 1, _const(T.BOOL), is_blank, "the value is empty", elementwise=True),
        Function("len", 1, 1, _const(T.NUMBER), _len, "characters in a text, or items in a list"),
        Function("matches", 2, 2, _const(T.BOOL), _matches, "the text contains a match of the regular expression", elementwise=True, literal_pattern=True),
        Function("sum_where", 3, 3, _first_number, _sum_where, "Σ of the first list where the second list equals the third argument"),
        Function("pick", 2, 2, lambda a: a[0].elem if a and a[0].kind == "list" and a[0].elem else T.ANY, _pick, "the first value of a list whose condition (second list) is true"),
        Function("contains", 2, 2, _const(T.BOOL), _contains, "the text contains the other text", elementwise=True),
        Function("kind", 1, 1, _const(T.STRING), _kind, "blank, not_set, error, quantity, malformed, deadline, period, qualitative, text or out_of_range", elementwise=True),
        Function("op", 1, 1, _const(T.STRING), _op, "the comparison operator written in a value (≥ ≤ > < = ≠)", elementwise=True),
        Function("number", 1, 1, _const(T.NUMBER), _number, "the number written in a value, without its unit", elementwise=True),
        Function("unit", 1, 1, _const(T.STRING), _unit, "the unit of a value (written, or from the 度量单位 column or the indicator name)", elementwise=True),
        Function("dimension", 1, 1, _const(T.STRING), _dimension, "what a value measures: count, ratio, money, duration, frequency, date, …", elementwise=True),
        Function("unit_written", 1, 1, _const(T.BOOL), _unit_written, "the value's own text carries a unit", elementwise=True),
        Function("level", 1, 1, _const(T.STRING), _level, "a qualitative value's level: met, partly or not_met", elementwise=True),
        Function("says_nothing", 1, 1, _const(T.BOOL), _says_nothing, "blank or a filler such as 无", elementwise=True),
        Function("grade", 1, 4, _const(T.STRING), _grade, "the grade band of a score: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 (cut-offs may be given)", numeric_args=True),
        Function("digits_swapped", 2, 2, _const(T.BOOL), _digits_swapped, "the two amounts differ by two swapped digits (5283.17 / 5238.17)", numeric_args=True),
        Function("coalesce", 1, 99, _same, _coalesce, "the first value that is not blank"),
        Function("any", 1, 99, _const(T.BOOL), _any, "at least one is true"),
        Function("all", 1, 99, _const(T.BOOL), _all, "every one is true"),
        Function("count_of", 2, 2, _const(T.NUMBER), _count_of, "how many values of the list equal the second argument"),
        Function("if", 3, 3, lambda a: a[1], _if, "the second argument if the first is true, else the third"),
        Function("completion", 2, 4, _const(T.number(units.RATIO)), _completion, "the completion rate of a target by an actual (capped at 100%); the 4th argument is the policy for ≤ targets: inverse or deviation"),
        Function("seen_before", 3, 3, _const(T.BOOL), _seen_before, "the value is among the list's entries before the given index (a repeat)"),
        Function("same_value", 2, 2, _const(T.BOOL), _same_value, "the two written values state the same thing (number and unit, date, or words; an operator on one side only is no change)", elementwise=True),
    ]
}


def check_call(name: str, arg_types: list[T.Type], column: int | None, end: int | None) -> Function:
    fn = FUNCTIONS.get(name)
    if fn is None:
        from difflib import get_close_matches

        guess = get_close_matches(name, FUNCTIONS, n=1)
        raise ExpressionError(
            f"未知函数“{name}”", f"unknown function '{name}'", column, end, suggestion=guess[0] if guess else None
        )
    n = len(arg_types)
    if not fn.min_args <= n <= fn.max_args:
        want = str(fn.min_args) if fn.min_args == fn.max_args else f"{fn.min_args}–{fn.max_args}"
        raise ExpressionError(
            f"函数 {name} 需要 {want} 个参数，实际 {n} 个", f"function {name} takes {want} argument(s), got {n}", column, end
        )
    if fn.numeric_args:
        for t in arg_types:
            inner = t.elem if t.kind == "list" and t.elem is not None else t
            if inner.kind in ("bool", "string", "text", "object"):
                raise ExpressionError(
                    f"函数 {name} 需要数值参数，但得到{inner.describe('zh')}",
                    f"function {name} needs numbers, got {inner.describe('en')}",
                    column, end,
                )
    return fn


def apply(fn: Function, args: list[Any]) -> Any:
    try:
        if fn.elementwise and args and isinstance(args[0], list):
            return [fn.impl(a, *args[1:]) for a in args[0]]
        return fn.impl(*args)
    except DimensionError:
        return None
