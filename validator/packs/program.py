"""The rules that run on one kind of table, written as one Python module.

One pass per collection: every rule with the same `for_each` (`indicators`, `cells`,
`funds.rows` …) is tested in a single walk over its items, and the rules without one in
a pass over the submission. A pass returns where rules fire, (rule, item index); the
engine builds those findings with the closures, the reference implementation, which
also give the evidence a finding reports. So generated code only ever decides *whether*
a rule fires, and a disagreement with the closures is a bug that
tests/test_codegen.py looks for on every fixture, sample and generated submission.

Inside a pass, a value that does not depend on the item is computed at most once, and
a value several rules need for the same item (`kind(item.target)`) once per item.

The generated source contains no text of any rule: names, strings, numbers and
parameters are constants handed to `make(K)` as data (codegen.Pool). The code object is
compiled from `ast` nodes we build; it is the only code this module runs."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

# Generating a module needs `ast` and expression/codegen.py; running one taken from the
# cache needs neither, so they are imported where a module is generated.

_HELPERS = ["UNSET", "EMPTY", "truth", "lt", "le", "gt", "ge", "eq", "ne", "approx", "eq_literal", "eq_text",
            "contains", "arith", "neg", "call1", "call1e", "call2", "map1", "map2", "exists", "blank", "matches",
            "says_nothing", "Notation"]


def simple_collection(for_each: str) -> list[str] | None:
    """The field names of a collection reached by plain names (the engine's own fast
    path, engine._collection), or None for nested ones (`funds.sources[*].parts`)."""
    if "[*]" in for_each.rstrip("[*]"):
        return None
    return for_each.replace("[*]", "").split(".")


def _collection_walker(names: list[str]):
    def items(root):
        node: Any = root
        for name in names:
            node = node.get(name) if isinstance(node, dict) else None
        return node if isinstance(node, list) else []

    return items


class Source:
    """A generated module: its source, the constants it is made with, and which pass
    function tests which rules."""

    def __init__(self, module, specs: list, passes: list[tuple[str, list[int]]], covered: set[int]):
        self.module = module  # None when the program came from the cache
        self.specs = specs
        self.passes = passes
        self.covered = covered

    @property
    def text(self) -> str:
        import ast

        return ast.unparse(self.module) if self.module is not None else ""


def _assign(name: str, value):
    import ast

    return ast.Assign([ast.Name(name, ast.Store())], value)


def _with_tree(compiled):
    """The expression with its parse tree: a rule from the pack cache keeps only its
    closures (packs/rule.py LazyCompiled) and compiles again to be written as Python."""
    return compiled.with_tree() if hasattr(type(compiled), "with_tree") else compiled


def _rule_block(rule, index: int, pool, scope, in_loop: bool):
    """if <when is true>: if <assert is false>: hits.append(where)"""
    import ast

    from validator.expression.codegen import Writer, _and, _call, _name
    item, d = ("item", "d") if in_loop else (None, None)
    assert_ = _with_tree(rule.assert_)
    writer = Writer(assert_, pool, scope, item, rule.params, assert_.tolerance, item_dict=d)
    fires = writer.test(assert_.tree, False)
    conditions = []
    if in_loop and rule.item_filter is not None:
        field, allowed = rule.item_filter
        conditions.append(ast.Compare(_call(ast.Attribute(_name("d"), "get", ast.Load()), pool.value(field)),
                                      [ast.In()], [pool.name(["f", sorted(["s", v] for v in allowed)])]))
    if rule.when is not None:
        when = _with_tree(rule.when)
        w = Writer(when, pool, scope, item, rule.params, when.tolerance, item_dict=d)
        conditions.append(w.test(when.tree, True))
    where = _name("j") if in_loop else ast.Constant(None)
    hit = ast.Expr(_call(ast.Attribute(_name(f"h{index}"), "append", ast.Load()), where))
    body = ast.If(fires, [hit], [])
    if conditions:
        body = ast.If(_and(*conditions), [body], [])
    return body


def _pass(name: str, for_each: str | None, members: list[tuple[int, Any]], pool):
    import ast

    from validator.expression.codegen import Pool, Scope, Unsupported, _call, _name
    from validator.expression.constants import Unstorable

    in_loop = for_each is not None
    scope = Scope()
    ok: list[tuple[int, Any]] = []
    # First a dry run that counts the values rules share, then the real one.
    scope.counting = True
    for index, rule in members:
        try:
            _rule_block(rule, index, Pool(), scope, in_loop)
            ok.append((index, rule))
        except (Unsupported, Unstorable, KeyError):
            continue
    scope.counting = False
    blocks = [_rule_block(rule, index, pool, scope, in_loop) for index, rule in ok]
    body = [_assign(f"h{index}", ast.Subscript(_name("H"), ast.Constant(index), ast.Load()))
                            for index, _ in ok]
    independent = [var for var, dependent in scope.shared.values() if not dependent]
    dependent = [var for var, dep in scope.shared.values() if dep]
    for var in independent:
        body.append(_assign(var, _name("UNSET")))
    if in_loop:
        names = simple_collection(for_each)
        items = _call(pool.name(["coll", names]), _name("root"))
        loop_body = [
            _assign("d", ast.IfExp(_call("isinstance", _name("item"), _name("dict")), _name("item"), _name("EMPTY"))),
        ]
        for var in dependent:
            loop_body.append(_assign(var, _name("UNSET")))
        loop_body.extend(blocks)
        target = ast.Tuple([ast.Name("j", ast.Store()), ast.Name("item", ast.Store())], ast.Store())
        body.append(ast.For(target, _call("enumerate", items), loop_body, []))
    else:
        body.extend(blocks)
    if not ok:
        body.append(ast.Pass())
    args = ast.arguments(posonlyargs=[], args=[ast.arg("root"), ast.arg("H")], kwonlyargs=[], kw_defaults=[], defaults=[])
    return ast.FunctionDef(name, args, body, [], None), [i for i, _ in ok]


def generate(rules: list, kind: str | None) -> Source:
    """The module for `rules` as they run on a table of `kind`."""
    import ast

    from validator.expression.codegen import Pool, _name
    groups: "OrderedDict[str | None, list[tuple[int, Any]]]" = OrderedDict()
    for index, rule in enumerate(rules):
        if kind not in rule.applies_to:
            continue
        if rule.for_each is not None and simple_collection(rule.for_each) is None:
            continue
        groups.setdefault(rule.for_each, []).append((index, rule))
    pool = Pool()
    functions_: list = []
    passes: list[tuple[str, list[int]]] = []
    covered: set[int] = set()
    for n, (for_each, members) in enumerate(groups.items()):
        fn, ok = _pass(f"p{n}", for_each, members, pool)
        functions_.append(fn)
        passes.append((fn.name, ok))
        covered.update(ok)
    unpack = [_assign(f"k{i}", ast.Subscript(_name("K"), ast.Constant(i), ast.Load())) for i in range(len(pool.specs))]
    ret = ast.Return(ast.Tuple([_name(fn.name) for fn in functions_], ast.Load()))
    make_args = ast.arguments(posonlyargs=[], args=[ast.arg("K")], kwonlyargs=[], kw_defaults=[], defaults=[])
    make = ast.FunctionDef("make", make_args, unpack + functions_ + [ret], [], None)
    imports = ast.ImportFrom("validator.expression.fastops", [ast.alias(h) for h in _HELPERS], 0)
    module = ast.Module([imports, make], [])
    ast.fix_missing_locations(module)
    return Source(module, pool.specs, passes, covered)


def materialize(spec):
    if spec[0] == "coll":
        return _collection_walker(spec[1])
    from validator.expression.constants import materialize as constant

    return constant(spec)


class Program:
    """Generated passes for a list of rules and a kind of table."""

    def __init__(self, rules: list, kind: str | None, source: Source | None = None, code=None):
        self.rules = rules  # held so the ids the cache is keyed by stay valid
        self.source = source if source is not None else generate(rules, kind)
        if code is None:
            code = compile(self.source.module, "<selfeval rules>", "exec")
        self.code = code
        namespace: dict[str, Any] = {}
        # Our own code object, built from ast nodes above (or that code as the cache kept
        # it, checked by its hash); no rule or input text is in it.
        exec(code, namespace)  # noqa: S102
        constants = [materialize(s) for s in self.source.specs]
        self.functions = namespace["make"](constants)
        if len(self.functions) != len(self.source.passes):
            raise ValueError("the generated module does not match its description")
        self.covered = self.source.covered

    def run(self, root: dict) -> dict[int, list]:
        """rule index → where it fires: item indexes, or [None] for a rule without for_each."""
        hits: dict[int, list] = {i: [] for i in self.covered}
        for fn in self.functions:
            fn(root, hits)
        return hits


def _cached(rules: list, kind: str | None, first: bool) -> Program | None:
    """From the cache when the rules came from a cached pack load and the module for them
    was kept; else generated (and kept). Without a cache to keep it in, the first
    submission is left to the closures: generating costs more than one check, and a
    one-file run would pay it for nothing."""
    from validator.packs import cache

    key = cache.program_key(rules, kind)
    if first and (key is None or cache.folder() is None):
        return None
    if key is not None:
        hit = cache.load_program(key)
        if hit is not None:
            meta, payload = hit
            try:
                import marshal

                code = marshal.loads(payload)
                source = Source(None, meta["specs"], [(n, list(ids)) for n, ids in meta["passes"]], set(meta["covered"]))
                return Program(list(rules), kind, source, code)
            except Exception:  # a damaged entry that passed its hash check: build again
                pass
    program = Program(list(rules), kind)
    if key is not None:
        import marshal

        cache.store_program(key, program.source, marshal.dumps(program.code))
    return program


_PROGRAMS: "OrderedDict[tuple, Program]" = OrderedDict()
_LOCK = threading.Lock()
_MAX_PROGRAMS = 32


_ASKED: "OrderedDict[tuple, bool]" = OrderedDict()


def program_for(rules: list, kind: str | None) -> Program | None:
    """The program for this list of rules (the same list object a Validator keeps per
    combination of packs) on this kind of table, generated once; None while the
    closures should run instead (see _cached)."""
    key = (tuple(map(id, rules)), kind)
    with _LOCK:
        program = _PROGRAMS.get(key)
        if program is not None:
            _PROGRAMS.move_to_end(key)
            return program
        first = key not in _ASKED
        _ASKED[key] = True
        while len(_ASKED) > 4 * _MAX_PROGRAMS:
            _ASKED.popitem(last=False)
    program = _cached(rules, kind, first)
    if program is None:
        return None
    with _LOCK:
        _PROGRAMS[key] = program
        while len(_PROGRAMS) > _MAX_PROGRAMS:
            _PROGRAMS.popitem(last=False)
    return program


def expression_function(compiled, params: dict | None = None, item: bool = False):
    """One expression as generated code, `fn(root, item)` → its value: what the fuzzing
    and differential tests hold against the closure `compiled.fn`."""
    import ast

    from validator.expression.codegen import Pool, Scope, Writer

    pool = Pool()
    scope = Scope()
    writer = Writer(compiled, pool, scope, "item" if item else None, params or {}, compiled.tolerance, item_dict="d")
    value = writer.expr(compiled.tree)
    body = [_assign(var, ast.Name("UNSET", ast.Load())) for var, _ in scope.shared.values()] + [
        _assign("d", ast.IfExp(ast.Call(ast.Name("isinstance", ast.Load()), [ast.Name("item", ast.Load()),
                                                                              ast.Name("dict", ast.Load())], []),
                               ast.Name("item", ast.Load()), ast.Name("EMPTY", ast.Load()))),
        ast.Return(value),
    ]
    args = ast.arguments(posonlyargs=[], args=[ast.arg("root"), ast.arg("item")], kwonlyargs=[], kw_defaults=[], defaults=[])
    fn = ast.FunctionDef("f", args, body, [], None)
    unpack = [_assign(f"k{i}", ast.Subscript(ast.Name("K", ast.Load()), ast.Constant(i), ast.Load())) for i in range(len(pool.specs))]
    make = ast.FunctionDef("make", ast.arguments(posonlyargs=[], args=[ast.arg("K")], kwonlyargs=[], kw_defaults=[], defaults=[]),
                           unpack + [fn, ast.Return(ast.Name("f", ast.Load()))], [], None)
    module = ast.Module([ast.ImportFrom("validator.expression.fastops", [ast.alias(h) for h in _HELPERS], 0), make], [])
    ast.fix_missing_locations(module)
    namespace: dict[str, Any] = {}
    exec(compile(module, "<selfeval expression>", "exec"), namespace)  # noqa: S102 - our ast, constants as data
    return namespace["make"]([materialize(s) for s in pool.specs])
