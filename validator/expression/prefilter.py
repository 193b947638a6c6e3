"""What a rule's `when` says about an item before the rule runs.

A `when` that starts with `item.<field> == "literal"` (or an `or` of such on one field)
lets the engine skip every item whose field holds another value without entering the
rule at all. Only this module knows the parse tree's shapes for that question; the pack
loader asks it through `item_filter`."""

from __future__ import annotations


def _literal_test(tree) -> tuple[str, set] | None:
    """item.<field> == "literal", or an or of such on the same field."""
    data = getattr(tree, "data", None)
    if data == "or_":
        left, right = (_literal_test(c) for c in tree.children)
        if left and right and left[0] == right[0]:
            return left[0], left[1] | right[1]
        return None
    if data != "compare" or str(tree.children[1]) != "==":
        return None
    path, lit = tree.children[0], tree.children[2]
    if getattr(path, "data", None) != "path" or getattr(lit, "data", None) != "string":
        return None
    if str(path.children[0]) != "item" or len(path.children) != 2 or path.children[1].data != "field":
        return None
    return str(path.children[1].children[0]), {str(lit.children[0])[1:-1]}


def item_filter(source: str, plain_fields: frozenset[str]) -> tuple[str, frozenset] | None:
    """(field, allowed values) when `source` requires the item's field to be one of some
    literals; None when it does not say so plainly. `plain_fields` are the fields that
    hold plain strings: a cell (a Notation) compares by its text, so it is never filtered."""
    from validator.expression.parser import parse

    tree = parse(source)
    while getattr(tree, "data", None) == "and_":
        tree = tree.children[0]
    found = _literal_test(tree)
    if found is None or any("\\" in v for v in found[1]):
        return None
    if found[0] not in plain_fields:
        return None
    return found[0], frozenset(found[1])
