"""A compiled expression written as Python: `ast` nodes built from the parse tree and the
types the compiler found (compiler.Compiled.tree/info).

Nothing of the rule's text becomes source. Every field name, string, number, parameter
and function a rule names is a constant of the generated module, passed to it as data
(`Pool`) and bound to a name of ours (`k0`, `k1` …); the source holds only our own
identifiers, operators and control flow. The closures in compiler.py stay the reference:
generated code must give the same value for every expression (tests/test_codegen.py).

Three-valued logic: `test(node, want)` is a Python condition equal to
`truth(value) is want`, so `and`/`or`/`not` become short-circuit branches; `expr(node)`
is the value itself where one is needed (a function argument, an `if`)."""

from __future__ import annotations

import ast
import json

from validator.expression import functions
from validator.expression.compiler import _NO_CONST, ARITH_OPS, COMPARE_OPS, Compiled, Tolerance, uses_item
from validator.expression.constants import spec_of

# Functions whose implementation can never raise a unit clash: called directly.
_NO_CLASH = {"exists", "blank", "kind", "op", "unit", "unit_written", "level", "says_nothing", "count", "count_of",
             "coalesce", "any", "all", "len", "matches", "contains", "dimension", "pick"}
# Values a Python condition can test without truth(): True, False or None only.
_BOOLEAN_NODES = {"compare", "contains", "not_contains", "and_", "or_", "not_", "true", "false"}
_BOOLEAN_CALLS = {"exists", "blank", "unit_written", "says_nothing", "matches", "contains", "any", "all",
                  "digits_swapped"}


class Unsupported(Exception):
    """An expression the generator does not write (the closure runs instead)."""


class Pool:
    """The constants of one generated module, each once."""

    def __init__(self):
        self.specs: list = []
        self._index: dict[str, int] = {}

    def name(self, spec) -> ast.Name:
        key = json.dumps(spec, ensure_ascii=False)
        i = self._index.get(key)
        if i is None:
            i = self._index[key] = len(self.specs)
            self.specs.append(spec)
        return ast.Name(f"k{i}", ast.Load())

    def value(self, value) -> ast.expr:
        if value is None or isinstance(value, bool):
            return ast.Constant(value)
        return self.name(spec_of(value))


# --- small ast builders ---------------------------------------------------------------------------


def _name(n: str) -> ast.Name:
    return ast.Name(n, ast.Load())


def _call(fn: str | ast.expr, *args: ast.expr) -> ast.Call:
    return ast.Call(_name(fn) if isinstance(fn, str) else fn, list(args), [])


def _is(left: ast.expr, right: ast.expr, negate: bool = False) -> ast.Compare:
    return ast.Compare(left, [ast.IsNot() if negate else ast.Is()], [right])


def _ifexp(test, body, orelse) -> ast.IfExp:
    return ast.IfExp(test, body, orelse)


def _or(*values) -> ast.expr:
    return values[0] if len(values) == 1 else ast.BoolOp(ast.Or(), list(values))


def _and(*values) -> ast.expr:
    return values[0] if len(values) == 1 else ast.BoolOp(ast.And(), list(values))


def _not(value) -> ast.expr:
    return ast.UnaryOp(ast.Not(), value)


class Scope:
    """Names of one generated function: temporaries, and the values shared between the
    expressions it evaluates (hoisted out of the item loop, or computed once per item)."""

    def __init__(self):
        self.n = 0
        # ast.dump of a value → (variable, item-dependent)
        self.shared: dict[str, tuple[str, bool]] = {}
        self.counts: dict[str, int] = {}
        self.counting = False

    def temp(self) -> str:
        self.n += 1
        return f"t{self.n}"

    def walrus(self, value: ast.expr) -> tuple[ast.NamedExpr, ast.Name]:
        t = self.temp()
        return ast.NamedExpr(ast.Name(t, ast.Store()), value), _name(t)


class Writer:
    """Writes the expressions of one compiled expression in a Scope. `item` is the name of
    the loop's current item (a dict or EMPTY, see program.py), None outside loops."""

    def __init__(self, compiled: Compiled, pool: Pool, scope: Scope, item: str | None, params: dict,
                 tolerance: Tolerance | None = None, item_dict: str | None = None):
        if compiled.tree is None or compiled.info is None:
            raise Unsupported("no parse tree")
        self.c = compiled
        self.pool = pool
        self.scope = scope
        self.item = item
        self.params = params
        self.tolerance = tolerance or Tolerance()
        # The item as a dict (EMPTY when it is not one): a field read is then one get().
        self.item_dict = item_dict or item
        self._keys: dict[int, str] = {}

    def info(self, node):
        return self.c.info[id(node)]

    # --- sharing ---------------------------------------------------------------------------------

    def _shared(self, node, value: ast.expr) -> ast.expr:
        """Inside an item loop, a call or operator whose value does not change from item to
        item is computed at most once per pass; one that does, once per item however many
        rules use it. Outside loops, a value several rules need is computed once."""
        if node.data in ("path", "number", "string", "true", "false", "null"):
            return value
        outside = self.item is None
        dependent = not outside and uses_item(node)
        key = self.key(node)
        if self.scope.counting:
            self.scope.counts[key] = self.scope.counts.get(key, 0) + 1
            return value
        if (dependent or outside) and self.scope.counts.get(key, 0) < 2:
            return value
        entry = self.scope.shared.get(key)
        if entry is None:
            entry = self.scope.shared[key] = (f"s{len(self.scope.shared)}", dependent)
        var = entry[0]
        # var if var is not UNSET else (var := value)
        return _ifexp(_is(_name(var), _name("UNSET"), negate=True), _name(var),
                      ast.NamedExpr(ast.Name(var, ast.Store()), value))

    def key(self, node) -> str:
        """The same text in the same loop means the same value, except that parameters
        and the ≈ tolerance belong to each rule: they enter the key as values."""
        k = self._keys.get(id(node))
        if k is not None:
            return k
        if not hasattr(node, "data"):
            k = str(node)
        elif node.data == "path" and str(node.children[0]) in ("param", "params"):
            k = json.dumps(spec_of(self.info(node)[1]), ensure_ascii=False)
        else:
            parts = [self.key(c) if c is not None else "-" for c in node.children]
            if node.data == "compare" and COMPARE_OPS.get(str(node.children[1]), str(node.children[1])) == "≈":
                parts.append(json.dumps(spec_of(self.tolerance), ensure_ascii=False))
            if node.data == "path":
                k = "path:" + ".".join(parts)
            else:
                k = f"{node.data}({','.join(parts)})"
        self._keys[id(node)] = k
        return k

    # --- values ----------------------------------------------------------------------------------

    def expr(self, node) -> ast.expr:
        const = self.info(node)[1]
        if const is not _NO_CONST:
            return self.pool.value(const)
        method = getattr(self, "_" + node.data, None)
        if method is None:
            raise Unsupported(node.data)
        return self._shared(node, method(node))

    def _number(self, node):
        return self.pool.value(self.info(node)[1])

    _string = _number

    def _true(self, node):
        return ast.Constant(True)

    def _false(self, node):
        return ast.Constant(False)

    def _null(self, node):
        return ast.Constant(None)

    def _list(self, node):
        args = node.children[0].children if node.children[0] is not None else []
        return ast.List([self.expr(a) for a in args], ast.Load())

    def _path(self, node):
        head = str(node.children[0])
        segments = list(node.children[1:])
        if head in ("param", "params"):
            return self.pool.value(self.params[str(segments[0].children[0])])
        if head == "item":
            if self.item is None:
                raise Unsupported("item outside a loop")
            if not segments:
                return _name(self.item)
            base: ast.expr = _name(self.item_dict)
            known_dict = True
        else:
            base = _name("root")
            known_dict = True
            segments = [("field", head)] + segments
        steps = []
        for seg in segments:
            if isinstance(seg, tuple):
                steps.append(seg)
            elif seg.data == "field":
                steps.append(("field", str(seg.children[0])))
            elif seg.data == "each":
                steps.append(("each", None))
            else:
                steps.append(("index", int(str(seg.children[0]))))
        if all(kind == "field" for kind, _ in steps):
            value = base
            for i, (_, name) in enumerate(steps):
                key = self.pool.value(name)
                if i == 0 and known_dict:
                    value = _call(ast.Attribute(value, "get", ast.Load()), key)
                else:
                    # t.get(key) if isinstance(t := value, dict) else None
                    bind, t = self.scope.walrus(value)
                    value = _ifexp(_call("isinstance", bind, _name("dict")),
                                   _call(ast.Attribute(t, "get", ast.Load()), key), ast.Constant(None))
            return value
        walker = self.pool.name(["walk", [list(s) for s in steps]])
        return _call(walker, base)

    def _neg(self, node):
        return _call("neg", self.expr(node.children[0]))

    def _binop(self, node):
        left, op_tok, right = node.children
        op = ARITH_OPS.get(str(op_tok), str(op_tok))
        return _call("arith", self.pool.name(["op", op]), self.expr(left), self.expr(right))

    def _compare(self, node):
        left, op_tok, right = node.children
        op = COMPARE_OPS.get(str(op_tok), str(op_tok))
        (lt, lc), (rt, rc) = self.info(left), self.info(right)
        if {lt.kind, rt.kind} & {"string", "text", "bool"}:
            negate = ast.Constant(op == "!=")
            if isinstance(rc, str) and not isinstance(lc, str):
                return self._literal(left, rc, op)
            if isinstance(lc, str) and not isinstance(rc, str):
                return self._literal(right, lc, op)
            return _call("eq_text", self.expr(left), self.expr(right), negate)
        if op == "≈":
            return _call("approx", self.expr(left), self.expr(right), self.pool.value(self.tolerance))
        helper = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}[op]
        return _call(helper, self.expr(left), self.expr(right))

    def _literal(self, operand, literal: str, op: str):
        want = self.pool.value(literal.strip())
        negate = op == "!="
        bind, t = self.scope.walrus(self.expr(operand))
        # ((t.strip() == want) is not negate) if (t := x).__class__ is str else eq_literal(t, want, negate)
        same = ast.Compare(_call(ast.Attribute(t, "strip", ast.Load())), [ast.Eq()], [want])
        fast = _not(same) if negate else same
        return _ifexp(_is(ast.Attribute(bind, "__class__", ast.Load()), _name("str")), fast,
                      _call("eq_literal", t, want, ast.Constant(negate)))

    def _contains(self, node, negate=False):
        left, right = node.children
        return _call("contains", self.expr(left), self.expr(right), ast.Constant(negate))

    def _not_contains(self, node):
        return self._contains(node, True)

    def _and_(self, node):
        return self._junction(node, False)

    def _or_(self, node):
        return self._junction(node, True)

    def _junction(self, node, decisive: bool):
        # decisive if (a := truth(A)) is decisive else (decisive if (b := truth(B)) is decisive
        #   else (None if a is None or b is None else not decisive))
        bind_a, a = self.scope.walrus(self.truth(node.children[0]))
        bind_b, b = self.scope.walrus(self.truth(node.children[1]))
        d = ast.Constant(decisive)
        rest = _ifexp(_or(_is(a, ast.Constant(None)), _is(b, ast.Constant(None))), ast.Constant(None),
                      ast.Constant(not decisive))
        return _ifexp(_is(bind_a, d), d, _ifexp(_is(bind_b, d), d, rest))

    def _not_(self, node):
        bind, a = self.scope.walrus(self.truth(node.children[0]))
        return _ifexp(_is(bind, ast.Constant(None)), ast.Constant(None), _not(a))

    def _call(self, node):
        name_tok, args_node = node.children
        name = str(name_tok)
        args = list(args_node.children) if args_node is not None else []
        fn = functions.FUNCTIONS[name]
        if name == "if":
            cond, a, b = args
            bind, c = self.scope.walrus(self.truth(cond))
            return _ifexp(_is(bind, ast.Constant(None)), ast.Constant(None), _ifexp(c, self.expr(a), self.expr(b)))
        values = [self.expr(a) for a in args]
        scalar = bool(args) and self.info(args[0])[0].kind not in ("list", "any")
        if (name == "exists" or name == "blank" or name == "says_nothing") and scalar:
            return _call(name, values[0])
        if name == "matches":
            pattern = self.pool.name(["re", self.info(args[1])[1]])
            if scalar:
                return _call("matches", values[0], pattern)
            return _call("map2", _name("matches"), values[0], pattern)
        impl = self.pool.name(["fn", name])
        if name == "kind":
            # Mostly a cell: t.kind if (t := x).__class__ is Notation else <the function>
            bind, t = self.scope.walrus(values[0])
            slow = _call("map1", impl, t) if not scalar else _call(impl, t)
            return _ifexp(_is(ast.Attribute(bind, "__class__", ast.Load()), _name("Notation")),
                          ast.Attribute(t, "kind", ast.Load()), slow)
        if len(values) == 1:
            if fn.elementwise:
                return _call("map1" if name in _NO_CLASH else "call1e", impl, values[0])
            return _call(impl, values[0]) if name in _NO_CLASH else _call("call1", impl, values[0])
        if len(values) == 2 and not fn.elementwise:
            return _call(impl, *values) if name in _NO_CLASH else _call("call2", impl, *values)
        if len(values) == 2 and name in _NO_CLASH:
            return _call(impl, *values) if scalar else _call("map2", impl, *values)
        return _call(self.pool.name(["apply", name]), ast.List(values, ast.Load()))

    # --- conditions ------------------------------------------------------------------------------

    def _boolean(self, node) -> bool:
        """Whether the value is always True, False or None (truth() would return it as is)."""
        if node.data in _BOOLEAN_NODES:
            return True
        if node.data == "call":
            name = str(node.children[0])
            return name in _BOOLEAN_CALLS and self.info(node)[0].kind == "bool"
        return False

    def truth(self, node) -> ast.expr:
        value = self.expr(node)
        return value if self._boolean(node) else _call("truth", value)

    def test(self, node, want: bool) -> ast.expr:
        """A Python condition: truth(value of node) is want."""
        data = node.data
        if data == "and_" or data == "or_":
            a, b = (self.test(c, want) for c in node.children)
            # and is True when both are; and is False when either is (or mirrors it).
            return _and(a, b) if (data == "and_") == want else _or(a, b)
        if data == "not_":
            return self.test(node.children[0], not want)
        return _is(self.truth(node), ast.Constant(want))
