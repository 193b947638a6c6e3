"""Compile a rule expression once into a Python closure.

parse (grammar/expr.lark, LALR) → check names and types against the canonical schema of the kinds it applies to
→ nested closures `fn(ctx) -> value`. Rule text never reaches eval or exec: the only
code that runs is the closures built here from a fixed set of node kinds."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from difflib import get_close_matches
from typing import Any, Callable

from validator import limits as _limits
from validator.domain import measure
from validator.domain import units
from validator.domain.measure import DimensionError, Measure
from validator.expression import fastops, functions
from validator.expression import types as T
from validator.expression.diagnostics import ExpressionError
from validator.expression.parser import depth_error, parse
from validator.expression.parser import position as _pos
from validator.expression.paths import make_path, traced
from validator.expression.runtime import Comparison, Context, Tolerance, _agree, to_measure, to_text, truth

Fn = Callable[[Context], Any]
_NO_CONST = object()

COMPARE_OPS = {"≤": "<=", "≥": ">=", "≠": "!=", "~=": "≈"}
ARITH_OPS = {"×": "*", "÷": "/"}
DIMENSIONLESS = (None, units.RATIO)


@dataclass
class Compiled:
    fn: Fn
    type: T.Type
    source: str
    paths: list[str] = field(default_factory=list)
    # The parse tree and, by id() of its nodes, (type, constant) as the compiler found
    # them: what codegen.py needs to write the same expression as Python.
    tree: Any = field(default=None, repr=False, compare=False)
    info: dict | None = field(default=None, repr=False, compare=False)
    tolerance: Any = field(default=None, repr=False, compare=False)


def _dim_error(op: str, a: T.Type, b: T.Type, node) -> ExpressionError:
    col, end = _pos(node)
    return ExpressionError(
        f"单位不一致：{a.describe('zh')} 与 {b.describe('zh')} 不能{'比较' if op in ('<', '>', '<=', '>=', '==', '!=', '≈') else '运算（' + op + '）'}",
        f"unit mismatch: cannot {'compare' if op in ('<', '>', '<=', '>=', '==', '!=', '≈') else 'apply ' + op + ' to'} {a.describe('en')} and {b.describe('en')}",
        col, end,
    )


class _Compiler:
    def __init__(self, root: T.Type, item: T.Type | None, params: dict, tolerance: Tolerance, source: str = "",
                 trace: bool = False, patterns_checked: bool = False):
        self.patterns_checked = patterns_checked
        self.source = source
        self.trace = trace
        self.root = root
        self.item = item
        self.params = params
        self.tolerance = tolerance
        self.paths: list[str] = []
        self.info: dict[int, tuple] = {}

    # Each visit returns (fn, type, constant value or _NO_CONST).
    def visit(self, node):
        if not hasattr(node, "data"):  # a bare token where an expression belongs
            raise ExpressionError("表达式语法错误", "syntax error", node.column, node.end_column)
        method = getattr(self, "_" + node.data, None)
        if method is None:  # pragma: no cover - grammar and compiler out of step
            raise ExpressionError(f"不支持的表达式：{node.data}", f"unsupported expression: {node.data}", *_pos(node))
        fn, typ, const = method(node)
        self.info[id(node)] = (typ, const)
        if self.item is not None and not self.trace and const is _NO_CONST and _worth_hoisting(node):
            fn = _hoisted(fn)
        return fn, typ, const

    # --- literals ---
    def _number(self, node):
        text, unit_tok = node.children
        unit = units.lookup(str(unit_tok)) if unit_tok is not None else None
        value = measure.exact(Decimal(str(text)), unit)
        return (lambda ctx: value), T.number(unit.dimension if unit else None), value

    def _string(self, node):
        raw = str(node.children[0])[1:-1]
        value = raw.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8") if "\\" in raw else raw
        return (lambda ctx: value), T.STRING, value

    def _true(self, node):
        return (lambda ctx: True), T.BOOL, True

    def _false(self, node):
        return (lambda ctx: False), T.BOOL, False

    def _null(self, node):
        return (lambda ctx: None), T.NULL, None

    def _list(self, node):
        args = self._args(node.children[0])
        fns = [a[0] for a in args]
        elem = args[0][1] if args else T.ANY
        return (lambda ctx: [f(ctx) for f in fns]), T.list_of(elem), _NO_CONST

    # --- paths ---
    def _path(self, node):
        head = str(node.children[0])
        segments = node.children[1:]
        col, end = _pos(node)
        if head == "item":
            if self.item is None:
                raise ExpressionError("只有带 for_each 的规则可以使用 item", "item is only available in rules with for_each", col, end)
            cur_type, getter = self.item, (lambda ctx: ctx.item)
            text = "item"
        elif head in ("param", "params"):
            return self._param(segments, node)
        else:
            cur_type, getter, text = self.root, (lambda ctx: ctx.root), ""
            segments = [_Field(head, node)] + list(segments)
        steps: list[tuple[str, Any]] = []
        multi = False
        mapped = False  # cur_type is a list only because [*] maps over its elements
        for seg in segments:
            kind = seg.data
            if kind == "field":
                name = str(seg.children[0])
                if cur_type.kind == "list" and not mapped:
                    # At run time a list has no fields: the lookup would always be unknown.
                    tok = seg.children[0]
                    scol, send = (tok.column, tok.end_column) if getattr(tok, "column", None) else _pos(seg)
                    raise ExpressionError(
                        f"“{text}”是列表，请写 {text}[*].{name} 或 {text}[序号].{name}",
                        f"'{text}' is a list: write {text}[*].{name} or {text}[0].{name}", scol, send,
                    )
                base = cur_type.elem if cur_type.kind == "list" else cur_type
                if base.kind == "any":
                    cur_type = T.ANY
                elif base.kind != "object" or name not in (base.fields or {}):
                    known = sorted((base.fields or {}).keys()) if base.kind == "object" else []
                    guess = get_close_matches(name, known, n=1)
                    where = text or "submission"
                    full = f"{text}.{name}" if text else name
                    tok = seg.children[0]
                    scol, send = (tok.column, tok.end_column) if getattr(tok, "column", None) else _pos(seg)
                    raise ExpressionError(
                        f"未知字段“{full}”", f"unknown field '{full}' (in {where})", scol, send,
                        suggestion=(f"{text}.{guess[0]}" if text else guess[0]) if guess else None,
                    )
                else:
                    cur_type = base.fields[name]
                if multi and cur_type.kind == "list":
                    cur_type = cur_type  # nested lists flatten on the next [*]
                text = f"{text}.{name}" if text else name
                steps.append(("field", name))
                mapped = multi and cur_type.kind != "list"
                if multi:
                    cur_type = T.list_of(cur_type) if cur_type.kind != "list" else cur_type
            elif kind == "each":
                if cur_type.kind != "list":
                    scol, send = _pos(seg)
                    raise ExpressionError(f"“{text}”不是列表，不能使用 [*]", f"'{text}' is not a list; [*] needs one", scol, send)
                steps.append(("each", None))
                multi = True
                mapped = True
                text += "[*]"
            else:  # index
                if cur_type.kind != "list":
                    scol, send = _pos(seg)
                    raise ExpressionError(f"“{text}”不是列表，不能按序号取值", f"'{text}' is not a list", scol, send)
                i = int(str(seg.children[0]))
                steps.append(("index", i))
                cur_type = cur_type.elem or T.ANY
                mapped = False
                text += f"[{i}]"
        self.paths.append(text)
        fn = make_path(getter, steps)
        if self.trace:
            fn = traced(fn, text)
        return fn, cur_type, _NO_CONST

    def _param(self, segments, node):
        col, end = _pos(node)
        if len(segments) != 1 or segments[0].data != "field":
            raise ExpressionError("参数写法应为 param.名称", "parameters are written param.name", col, end)
        name = str(segments[0].children[0])
        if name not in self.params:
            guess = get_close_matches(name, list(self.params), n=1)
            raise ExpressionError(
                f"规则没有参数“{name}”", f"the rule has no parameter '{name}'", col, end,
                suggestion=f"param.{guess[0]}" if guess else None,
            )
        value = self.params[name]
        # Parameters are fixed when the rule is compiled (pack overrides included), so a
        # string parameter may serve where a literal is required (a matches pattern).
        return (lambda ctx: value), _param_type(value), value

    # --- operators ---
    def _neg(self, node):
        fn, t, _ = self.visit(node.children[0])
        self._need_number(t, node, "-")

        def neg(ctx):
            m = to_measure(fn(ctx))
            return measure.neg(m) if m is not None else None

        return neg, T.number(t.dim), _NO_CONST

    def _binop(self, node):
        left, op_tok, right = node.children
        op = ARITH_OPS.get(str(op_tok), str(op_tok))
        lf, lt, lc = self.visit(left)
        rf, rt, rc = self.visit(right)
        self._need_number(lt, left, op)
        self._need_number(rt, right, op)
        dim = self._arith_dim(op, lt, rt, lc, rc, op_tok)
        impl = {"+": measure.add, "-": measure.sub, "*": measure.mul, "/": measure.div}[op]

        def arith(ctx):
            a, b = to_measure(lf(ctx)), to_measure(rf(ctx))
            if a is None or b is None:
                return None
            try:
                return impl(a, b)
            except DimensionError:
                return None

        return arith, T.number(dim), _NO_CONST

    def _arith_dim(self, op, lt, rt, lc, rc, node):
        a, b = lt.dim, rt.dim
        if T.DYN in (a, b) or "any" in (lt.kind, rt.kind):
            return T.DYN
        if op in ("+", "-"):
            if a == b:
                return a
            if a in DIMENSIONLESS and b in DIMENSIONLESS:
                return units.RATIO
            if self._plain_ok(a, rt, rc) or self._plain_ok(b, lt, lc):
                return a or b
            raise _dim_error(op, lt, rt, node)
        if op == "*":
            if a in DIMENSIONLESS:
                return b if b not in DIMENSIONLESS else (units.RATIO if units.RATIO in (a, b) else None)
            if b in DIMENSIONLESS:
                return a
            raise _dim_error(op, lt, rt, node)
        if a == b:
            return None
        if b in DIMENSIONLESS:
            return a
        if a == units.MONEY and b == units.COUNT:
            return units.PER_UNIT_MONEY
        raise _dim_error(op, lt, rt, node)

    @staticmethod
    def _plain_rate_literal(rate_side: T.Type, other_const, other_node) -> None:
        """`funds.total.rate > 60` means 60%, but a plain number meets a rate as a
        fraction (6000%): make the author write the percent sign."""
        if rate_side.dim != units.RATIO or not isinstance(other_const, Measure) or other_const.dimension is not None:
            return
        if abs(other_const.value) > 1:
            col, end = _pos(other_node)
            shown = f"{other_const.value:f}"
            raise ExpressionError(
                f"比率与无单位数字 {shown} 比较：请写成 {shown}%（无单位数字按小数计）",
                f"a rate compared with the plain number {shown}: write {shown}% (a plain number is a fraction)",
                col, end,
            )

    @staticmethod
    def _plain_ok(dim, other: T.Type, const) -> bool:
        """A unitless number may meet a dimensioned one where the unit is obvious: scores
        and rates, or zero."""
        if other.dim is not None:
            return False
        if dim in (units.SCORE, units.RATIO, None):
            return True
        return isinstance(const, Measure) and const.value == 0

    def _need_number(self, t: T.Type, node, op):
        if t.kind in ("number", "cell", "any", "null"):
            return
        col, end = _pos(node)
        raise ExpressionError(
            f"运算“{op}”需要数值，但得到{t.describe('zh')}", f"'{op}' needs a number, got {t.describe('en')}", col, end
        )

    def _compare(self, node):
        left, op_tok, right = node.children
        op = COMPARE_OPS.get(str(op_tok), str(op_tok))
        lf, lt, lc = self.visit(left)
        rf, rt, rc = self.visit(right)
        textual = {lt.kind, rt.kind} & {"string", "text", "bool"}
        if textual:
            if op not in ("==", "!="):
                col, end = _pos(node)
                raise ExpressionError(
                    f"文本只能用 == 或 != 比较，不能用“{op}”", f"text can only be compared with == or !=, not '{op}'", col, end
                )
            if isinstance(rc, str) and not isinstance(lc, str):
                return self._compare_with_literal(op, lf, rc), T.BOOL, _NO_CONST
            if isinstance(lc, str) and not isinstance(rc, str):
                return self._compare_with_literal(op, rf, lc), T.BOOL, _NO_CONST
            return self._compare_text(op, lf, rf), T.BOOL, _NO_CONST
        if lt.kind == "null" or rt.kind == "null":
            col, end = _pos(node)
            raise ExpressionError("不能与 null 比较，请使用 blank() 或 exists()", "compare with blank() or exists(), not null", col, end)
        self._need_number(lt, left, op)
        self._need_number(rt, right, op)
        self._plain_rate_literal(lt, rc, right)
        self._plain_rate_literal(rt, lc, left)
        if not (T.DYN in (lt.dim, rt.dim) or "any" in (lt.kind, rt.kind) or lt.dim == rt.dim
                or (lt.dim in DIMENSIONLESS and rt.dim in DIMENSIONLESS)
                or self._plain_ok(lt.dim, rt, rc) or self._plain_ok(rt.dim, lt, lc)):
            raise _dim_error(op, lt, rt, op_tok)
        return self._compare_numbers(op, lf, rf, left, right), T.BOOL, _NO_CONST

    @staticmethod
    def _compare_with_literal(op, fn, literal: str):
        """`item.type == "score"`, the commonest comparison: plain strings (derived
        fields) compare directly; cells and other values go through to_text. A missing
        value is simply not equal to the literal (not unknown), so `dimension(x) ==
        "ratio" or …` chains work on blank cells."""
        want = literal.strip()
        negate = op == "!="

        def cmp(ctx):
            a = fn(ctx)
            if a.__class__ is str:
                return (a.strip() == want) is not negate
            if a is None:
                # kind(), dimension(), item.status …: "has none" is not "ratio".
                return negate
            if isinstance(a, bool):
                return None
            ta = to_text(a)
            return None if ta is None else (ta == want) is not negate

        return cmp

    def _compare_text(self, op, lf, rf):
        def cmp(ctx):
            a, b = lf(ctx), rf(ctx)
            if isinstance(a, bool) or isinstance(b, bool):
                eq = a is b if isinstance(a, bool) and isinstance(b, bool) else None
                if eq is None:
                    return None
            else:
                ta, tb = to_text(a), to_text(b)
                if ta is None or tb is None:
                    return None
                eq = ta == tb
            return eq if op == "==" else not eq

        return cmp

    def _compare_numbers(self, op, lf, rf, left, right):
        tolerance = self.tolerance
        left_src, right_src = _source_text(left, self.source), _source_text(right, self.source)

        def cmp(ctx):
            a, b = to_measure(lf(ctx)), to_measure(rf(ctx))
            if a is None or b is None:
                return None
            try:
                if op == "≈":
                    result, margin = _agree(a, b, tolerance)
                else:
                    c = measure.compare(a, b)
                    margin = None
                    result = {"==": c == 0, "!=": c != 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op]
            except DimensionError:
                return None
            ctx.evidence.append(Comparison(op, a, b, result, margin, left_src, right_src))
            return result

        return cmp

    def _contains(self, node, negate=False):
        left, right = node.children
        lf, _, _ = self.visit(left)
        rf, rt, _ = self.visit(right)

        def contains(ctx):
            return fastops.contains(lf(ctx), rf(ctx), negate)

        return contains, T.BOOL, _NO_CONST

    def _not_contains(self, node):
        return self._contains(node, negate=True)

    def _junction(self, node, decisive: bool):
        """and (decisive False) / or (decisive True) in three-valued logic: the decisive
        value wins even over unknown; otherwise unknown stays unknown."""
        fa, _, _ = self.visit(node.children[0])
        fb, _, _ = self.visit(node.children[1])

        def junction(ctx):
            a = truth(fa(ctx))
            if a is decisive:
                return decisive
            b = truth(fb(ctx))
            if b is decisive:
                return decisive
            return None if a is None or b is None else not decisive

        return junction, T.BOOL, _NO_CONST

    def _and_(self, node):
        return self._junction(node, False)

    def _or_(self, node):
        return self._junction(node, True)

    def _not_(self, node):
        fa, _, _ = self.visit(node.children[0])

        def not_(ctx):
            a = truth(fa(ctx))
            return None if a is None else not a

        return not_, T.BOOL, _NO_CONST

    # --- calls ---
    def _args(self, node):
        if node is None:
            return []
        return [self.visit(child) for child in node.children]

    def _call(self, node):
        name_tok, args_node = node.children
        args = self._args(args_node)
        col, end = _pos(node)
        fn = functions.check_call(str(name_tok), [a[1] for a in args], col, end)
        if fn.literal_pattern:
            pattern = args[1][2]
            if not isinstance(pattern, str):
                raise ExpressionError("matches 的第二个参数必须是字符串常量", "the pattern of matches must be a string literal", col, end)
            if not self.patterns_checked:
                _check_pattern(pattern, col, end)
        arg_fns = [a[0] for a in args]
        result = fn.result([a[1] for a in args])
        if fn.elementwise and args and args[0][1].kind == "list":
            result = T.list_of(result)
        if fn.name == "if":
            f_cond, f_a, f_b = arg_fns

            def lazy_if(ctx):
                c = truth(f_cond(ctx))
                if c is None:
                    return None
                return f_a(ctx) if c else f_b(ctx)

            return lazy_if, result, _NO_CONST
        return _calling(fn, arg_fns), result, _NO_CONST


def _calling(fn, arg_fns) -> Fn:
    """The closure for a call; one and two arguments (nearly all calls) skip building an
    argument list."""
    impl = fn.impl
    if len(arg_fns) == 1:
        (f0,) = arg_fns
        if fn.elementwise:
            def call1e(ctx):
                a = f0(ctx)
                try:
                    return [impl(x) for x in a] if isinstance(a, list) else impl(a)
                except DimensionError:
                    return None

            return call1e

        def call1(ctx):
            try:
                return impl(f0(ctx))
            except DimensionError:
                return None

        return call1
    if len(arg_fns) == 2 and not fn.elementwise:
        f0, f1 = arg_fns

        def call2(ctx):
            try:
                return impl(f0(ctx), f1(ctx))
            except DimensionError:
                return None

        return call2
    return lambda ctx: functions.apply(fn, [f(ctx) for f in arg_fns])


# Nodes cheaper to evaluate than to look up in the memo.
_CHEAP = {"number", "string", "true", "false", "null"}


def uses_item(node) -> bool:
    """Whether an expression reads `item` (so its value changes from item to item)."""
    stack = [node]
    while stack:
        n = stack.pop()
        data = getattr(n, "data", None)
        if data is None:
            continue
        if data == "path" and str(n.children[0]) == "item":
            return True
        stack.extend(c for c in n.children if c is not None)
    return False


def _worth_hoisting(node) -> bool:
    """A sub-expression of an item rule that does not read `item` and costs more than a
    memo lookup: `count(indicators[*].weight)` in a rule run for every indicator."""
    data = node.data
    if data in _CHEAP:
        return False
    if data == "path":
        if str(node.children[0]) in ("param", "params"):
            return False
        # A plain field path is a few dict reads; a [*] path builds a list.
        if not any(getattr(seg, "data", None) == "each" for seg in node.children[1:]):
            return False
    return not uses_item(node)


def _hoisted(fn: Fn) -> Fn:
    """Evaluate once per Context (one rule on one submission), then reuse. The
    comparisons it made are replayed into the evidence, so a finding reads the same
    whether the value was computed or reused."""
    key = object()

    def hoisted(ctx):
        hit = ctx.memo.get(key)
        if hit is None:
            evidence = ctx.evidence
            n = len(evidence)
            value = fn(ctx)
            ctx.memo[key] = (value, evidence[n:])
            return value
        if hit[1]:
            ctx.evidence.extend(hit[1])
        return hit[0]

    return hoisted


class _Field:
    """A synthetic `.name` segment for the first name of a root path."""

    data = "field"

    def __init__(self, name, node):
        self.children = [name]
        self.meta = getattr(node, "meta", None)


def _source_text(node, source: str) -> str | None:
    """The text of one operand as the rule writes it (for the evidence)."""
    meta = getattr(node, "meta", None)
    if meta is not None and not getattr(meta, "empty", True):
        start, end = meta.start_pos, meta.end_pos
    else:
        start, end = getattr(node, "start_pos", None), getattr(node, "end_pos", None)
    if not source or start is None or end is None:
        return None
    return source[start:end]


def _check_pattern(pattern: str, col, end) -> None:
    """A `matches` pattern must compile in RE2, the linear-time engine (safe_regex), and
    be at most limits.pattern_length characters."""
    import re

    from validator.expression.safe_regex import UnsafePattern, check

    try:
        check(pattern, _limits.current().pattern_length)
    except re.error as exc:
        raise ExpressionError(f"正则表达式无效：{exc}", f"invalid regular expression: {exc}", col, end) from None
    except UnsafePattern as exc:
        raise ExpressionError(exc.message, exc.message_en, col, end) from None
    except RecursionError:
        raise ExpressionError("正则表达式嵌套过深", "the regular expression is nested too deeply", col, end) from None


def _param_type(value) -> T.Type:
    if isinstance(value, bool):
        return T.BOOL
    if isinstance(value, Measure):
        return T.number(value.dimension)
    if isinstance(value, str):
        return T.STRING
    if isinstance(value, list):
        return T.list_of(_param_type(value[0]) if value else T.ANY)
    return T.ANY


def compile_expression(source: str, item: T.Type | None = None, params: dict | None = None,
                       tolerance: Tolerance | None = None, expect_bool: bool = False, trace: bool = False,
                       root: T.Type | None = None, patterns_checked: bool = False) -> Compiled:
    """Compile once against `root`, the type of the documents the rule reads (default: the
    kinds a pack applies to when it does not say); `trace=True` builds a slower variant
    that records every field it reads into ctx.trace (used by explain). `patterns_checked`:
    the `matches` patterns passed the safe-subset check when this rule was first compiled
    (the pack cache)."""
    if not isinstance(source, str):
        raise ExpressionError("表达式应为文本", "an expression must be text", None)
    tree = parse(source)
    if root is None:
        from validator.kinds import DEFAULT_KINDS

        root = T.kinds_type(DEFAULT_KINDS)
    comp = _Compiler(root, item, params or {}, tolerance or Tolerance(), source, trace, patterns_checked)
    try:
        fn, typ, _ = comp.visit(tree)
    except RecursionError:
        raise depth_error(None, None) from None
    if expect_bool and typ.kind not in ("bool", "any"):
        raise ExpressionError(
            f"条件必须是真假值，但这里是{typ.describe('zh')}", f"a condition must be true or false, this is {typ.describe('en')}", 1, len(source) + 1
        )
    return Compiled(fn, typ, source, comp.paths, tree, comp.info, comp.tolerance)


def collection_type(path: str, root: T.Type | None = None) -> T.Type:
    """The element type of a `for_each` collection path (indicators, funds.sources …)."""
    comp = compile_expression(path, root=root)
    t = comp.type
    if t.kind != "list" or t.elem is None:
        raise ExpressionError(f"for_each 必须是列表：“{path}”", f"for_each must be a list: '{path}'", 1, len(path) + 1)
    return t.elem


__all__ = ["Compiled", "Tolerance", "compile_expression", "collection_type", "parse"]
