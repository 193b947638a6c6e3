"""Parsing rule expressions: grammar/expr.lark with Lark (LALR), the JSON cache of parse
trees, and the length and depth limits, each failure an ExpressionError with a caret."""

from __future__ import annotations

from functools import cache

from validator import limits as _limits
from validator.resources import grammar_path
from validator.expression.diagnostics import ExpressionError


@cache
def _grammar_text() -> str:
    return grammar_path("expr.lark").read_text(encoding="utf-8")


@cache
def _parser():
    from lark import Lark

    return Lark(_grammar_text(), parser="lalr", propagate_positions=True, maybe_placeholders=True)


@cache
def tree_cache():
    from validator.expression.treecache import TreeCache

    return TreeCache(_grammar_text())


def parse(source: str):
    """The parse tree of an expression: from the cache when this text was parsed before
    with this grammar (a valid expression only ever enters the cache). Expressions
    longer or deeper than the limits are refused (ExpressionError) before they are
    walked."""
    _check_length(source)
    cache = tree_cache()
    tree = cache.get(source)
    if tree is not None:
        _check_depth(tree)
        return tree
    try:
        tree = _parse_with_lark(source)
    except RecursionError:
        raise depth_error(None, None) from None
    _check_depth(tree)
    cache.put(source, tree)
    return tree


def _check_length(source: str) -> None:
    limit = _limits.current().expression_length
    if len(source) > limit:
        zh, en = _limits.message("expression_length", limit, f"表达式长 {len(source):,} 个字符", f"the expression is {len(source):,} characters long")
        raise ExpressionError(zh, en, limit + 1, len(source) + 1)


# Nodes that are part of their parent's syntax rather than a level of nesting.
_FLAT_NODES = {"arguments", "field", "each", "index"}


def depth_error(col, end, depth: int | None = None) -> ExpressionError:
    limit = _limits.current().expression_depth
    shown = f"（{depth} 层）" if depth else ""
    zh, en = _limits.message("expression_depth", limit, f"表达式嵌套过深{shown}",
                             f"the expression is nested too deeply{f' ({depth} levels)' if depth else ''}")
    return ExpressionError(zh, en, col, end)


def _check_depth(tree) -> None:
    """Operators, calls and lists nested deeper than limits.expression_depth (counted
    without recursion, so any tree can be measured): the compiler and the compiled
    closures recurse once per level."""
    limit = _limits.current().expression_depth
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            raise depth_error(*position(node), depth=depth)
        for child in getattr(node, "children", ()):
            if hasattr(child, "data"):
                stack.append((child, depth if child.data in _FLAT_NODES else depth + 1))


def _parse_with_lark(source: str):
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    try:
        return _parser().parse(source)
    except UnexpectedEOF:
        n = len(source) + 1
        raise ExpressionError("表达式不完整", "incomplete expression", n, n + 1) from None
    except UnexpectedCharacters as exc:
        raise ExpressionError(
            f"无法识别的字符“{source[exc.pos_in_stream]}”", f"unexpected character '{source[exc.pos_in_stream]}'", exc.column, exc.column + 1
        ) from None
    except UnexpectedToken as exc:
        tok = exc.token
        if tok.type == "$END":
            n = len(source.rstrip()) + 1
            raise ExpressionError("表达式不完整", "incomplete expression", n, n + 1) from None
        raise ExpressionError(
            f"此处不应出现“{tok}”", f"unexpected '{tok}'", tok.column, (tok.end_column or tok.column + 1)
        ) from None
    except UnexpectedInput as exc:  # pragma: no cover - other lark input errors
        raise ExpressionError("表达式语法错误", "syntax error", getattr(exc, "column", None)) from None


def position(node) -> tuple[int | None, int | None]:
    """(column, end column) of a tree node or token, 1-based, for the caret."""
    meta = getattr(node, "meta", None)
    if meta is None or getattr(meta, "empty", True):
        return getattr(node, "column", None), getattr(node, "end_column", None)
    return meta.column, meta.end_column
