"""Field paths compiled to lookups: `funds.total.budget` is three dict reads, with no
walk over a parse tree at evaluation time."""

from __future__ import annotations

from typing import Any, Callable

from validator.expression.runtime import Context

Fn = Callable[[Context], Any]


def traced(fn: Fn, text: str) -> Fn:
    def read(ctx):
        value = fn(ctx)
        if ctx.trace is not None:
            ctx.trace.append((text, value))
        return value

    return read


def make_path(getter, steps) -> Fn:
    # Specialize the common shapes so a field lookup costs one call.
    if all(kind == "field" for kind, _ in steps):
        names = [n for _, n in steps]
        if len(names) == 1:
            (n1,) = names

            def one(ctx):
                node = getter(ctx)
                return node.get(n1) if isinstance(node, dict) else None

            return one
        if len(names) == 2:
            n1, n2 = names

            def two(ctx):
                node = getter(ctx)
                node = node.get(n1) if isinstance(node, dict) else None
                return node.get(n2) if isinstance(node, dict) else None

            return two

        def walk(ctx):
            cur = getter(ctx)
            for n in names:
                if not isinstance(cur, dict):
                    return None
                cur = cur.get(n)
            return cur

        return walk

    def walk_multi(ctx):
        cur = getter(ctx)
        multi = False
        for kind, arg in steps:
            if kind == "field":
                if multi:
                    cur = [x.get(arg) if isinstance(x, dict) else None for x in cur]
                else:
                    cur = cur.get(arg) if isinstance(cur, dict) else None
            elif kind == "each":
                if multi:
                    cur = [y for x in cur if isinstance(x, list) for y in x]
                else:
                    cur = list(cur) if isinstance(cur, list) else []
                    multi = True
            else:
                if multi:
                    cur = [x[arg] if isinstance(x, list) and -len(x) <= arg < len(x) else None for x in cur]
                else:
                    cur = cur[arg] if isinstance(cur, list) and -len(cur) <= arg < len(cur) else None
        return cur

    return walk_multi


def make_walker(steps) -> Callable[[Any], Any]:
    """The lookup of `steps` from a given node (generated code passes root or item)."""
    walk = make_path(lambda base: base, steps)
    return walk
