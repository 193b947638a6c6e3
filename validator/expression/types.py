"""Static types of the expression language, read from the canonical schema of each document
kind and the derived fields the kind declares.

The compiler checks each expression against these before anything runs: an unknown
field, a function given the wrong kind of argument, or 元 added to % is a compile-time
error."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from validator.domain import units

DYN = "dynamic"  # a notation cell: its dimension is known only from the written value

# The x-type vocabulary of the canonical schemas.
MONEY, PERCENT, SCORE, NOTATION, TEXT_X = "money", "percent", "score", "notation", "text"
X_TYPE_DIMENSIONS = {MONEY: units.MONEY, PERCENT: units.RATIO, SCORE: units.SCORE, NOTATION: DYN}


@dataclass(frozen=True)
class Type:
    """The static type of an expression: what it holds, in which dimension."""
    kind: str  # number, cell, bool, string, text, object, list, null, any
    dim: str | None = None
    elem: "Type | None" = None
    fields: dict[str, "Type"] | None = field(default=None, compare=False, hash=False)
    name: str = ""

    def describe(self, lang: str = "zh") -> str:
        if self.kind in ("number", "cell") and self.dim not in (None, DYN):
            return units.dimension_name(self.dim, lang)
        if self.kind == "list" and self.elem is not None:
            return ("列表<" if lang == "zh" else "list<") + self.elem.describe(lang) + ">"
        names = {
            "number": ("数值", "number"), "cell": ("表格值", "cell value"), "bool": ("真假值", "boolean"),
            "string": ("字符串", "string"), "text": ("文本", "text"), "object": ("对象", "object"),
            "list": ("列表", "list"), "null": ("空值", "null"), "any": ("任意值", "any value"),
        }
        zh, en = names.get(self.kind, (self.kind, self.kind))
        return zh if lang == "zh" else en

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "cell", "any")


NUMBER = Type("number")
BOOL = Type("bool")
STRING = Type("string")
TEXT = Type("text")
NULL = Type("null")
ANY = Type("any")


def number(dim: str | None) -> Type:
    return Type("number", dim)


def cell(dim: str | None) -> Type:
    return Type("cell", dim)


def list_of(elem: Type) -> Type:
    return Type("list", elem=elem)


def _from_x_type(x_type: str) -> Type:
    if x_type in X_TYPE_DIMENSIONS:
        return cell(X_TYPE_DIMENSIONS[x_type])
    return TEXT


def _derived_type(spec: Any, defs: dict[str, Type]) -> Type:
    if isinstance(spec, dict):
        return Type("object", fields={k: _derived_type(v, defs) for k, v in spec.items()}, name="derived")
    if isinstance(spec, str) and spec.endswith("[]"):
        base = spec[:-2]
        return list_of(defs[base] if base in defs else _derived_type(base, defs))
    if spec == PERCENT:
        return number(units.RATIO)
    if spec in X_TYPE_DIMENSIONS or spec == TEXT_X:
        return _from_x_type(spec)
    return {"string": STRING, "boolean": BOOL, "integer": NUMBER, "any": ANY}.get(spec, ANY)


class _SchemaTypes:
    def __init__(self, schema: dict):
        self.defs_schema = schema.get("$defs", {})
        self.defs: dict[str, Type] = {}

    def resolve(self, node: dict, name: str = "") -> Type:
        if "x-type" in node:
            return _from_x_type(node["x-type"])
        if "$ref" in node:
            ref = node["$ref"].rsplit("/", 1)[-1]
            if ref in self.defs:
                return self.defs[ref]
            target = self.defs_schema[ref]
            if target.get("type") == "object" and "properties" in target:
                obj = Type("object", fields={}, name=ref)
                self.defs[ref] = obj  # allow recursion (fund rows have parts)
                obj.fields.update({k: self.resolve(v, k) for k, v in target["properties"].items()})
                return obj
            return self.resolve(target, ref)
        kind = node.get("type")
        if kind == "object" and "properties" in node:
            return Type("object", fields={k: self.resolve(v, k) for k, v in node["properties"].items()}, name=name)
        if kind == "array" and "items" in node:
            return list_of(self.resolve(node["items"], name))
        if kind == "object":
            return ANY
        if "enum" in node or "const" in node or kind == "string":
            return STRING
        if kind == ["string", "null"]:
            return TEXT
        return ANY


@cache
def kind_type(name: str) -> Type:
    """The tree rules evaluate for a document of kind `name`: its schema's fields, and the
    derived fields the kind declares (`derived`: {"root": …, "<$def name>": …}, where a
    value is an x-type, "string", "boolean", "integer", "any", "<def>[]" or a mapping of
    such for an object)."""
    from validator.kinds import kind_named

    kind = kind_named(name)
    schema = kind.load_schema()
    st = _SchemaTypes(schema)
    root = st.resolve(schema, name)
    derived = kind.derived or {}
    for def_name, extra in derived.items():
        if def_name == "root":
            continue
        target = root.fields.get(def_name) if def_name in root.fields and root.fields[def_name].kind == "object" \
            else st.resolve({"$ref": f"#/$defs/{def_name}"})
        target.fields.update({k: _derived_type(v, st.defs) for k, v in extra.items()})
    for key, spec in (derived.get("root") or {}).items():
        root.fields[key] = list_of(_derived_type(spec, st.defs)) if isinstance(spec, dict) else _derived_type(spec, st.defs)
    root.fields.pop("source", None)
    return root


def kinds_type(names: tuple[str, ...]) -> Type:
    """The one type of the documents of every kind in `names`; ValueError when they differ
    (a rule is written for one shape of document)."""
    from validator.kinds import kind_named

    shapes = {(kind_named(n).schema_path, id(kind_named(n).derived)) for n in names}
    if len(shapes) != 1:
        raise ValueError(names)
    return kind_type(names[0])
