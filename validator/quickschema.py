"""A fast yes/no check of an instance against a JSON Schema, for the keywords selfeval's
own schemas use. jsonschema costs a few milliseconds per submission and a long import;
this answers "valid?" in microseconds, and the full validator runs only on a "no" to
say exactly what is wrong."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from typing import Any, Callable

Check = Callable[[Any], bool]

# Keywords that say nothing about validity.
_ANNOTATIONS = {"$schema", "$id", "title", "description", "default", "$defs", "format", "examples", "x-type", "$comment"}
_SUPPORTED = _ANNOTATIONS | {
    "type", "enum", "const", "properties", "additionalProperties", "required", "items", "$ref",
    "anyOf", "oneOf", "pattern", "minLength", "maxLength", "minimum", "minItems",
}


class Unsupported(Exception):
    """The schema uses a keyword this checker does not know: use jsonschema alone."""


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value())
    if name == "number":
        return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    raise Unsupported(name)


_PLAIN_TYPES = {"object": dict, "array": list, "string": str, "null": type(None), "boolean": bool}


def _type_check(types: list[str]) -> Check:
    """One closure for a `type` keyword: an isinstance on the plain types, then numbers
    (never a bool unless "boolean" is allowed, which the isinstance has caught)."""
    for t in types:
        _is_type(None, t)  # reject unknown type names now
    plain = tuple(_PLAIN_TYPES[t] for t in types if t in _PLAIN_TYPES)
    if "number" in types:
        def number(v, plain=plain):
            return isinstance(v, plain) or (isinstance(v, (int, float, Decimal)) and v.__class__ is not bool)

        return number
    if "integer" in types:
        def integer(v, plain=plain):
            return isinstance(v, plain) or (v.__class__ is not bool and _is_type(v, "integer"))

        return integer
    return lambda v, plain=plain: isinstance(v, plain)


def _same(v: Any, a: Any) -> bool:
    """JSON equality: true and 1 are different values."""
    if isinstance(v, bool) or isinstance(a, bool):
        return isinstance(v, bool) and isinstance(a, bool) and v == a
    return v == a


def _enum_check(allowed: list) -> Check:
    if allowed and all(type(a) is str for a in allowed):
        known = frozenset(allowed)
        return lambda v: isinstance(v, str) and v in known
    return lambda v: any(_same(v, a) for a in allowed)


def _all_of(checks: tuple[Check, ...]) -> Check:
    if len(checks) == 2:
        a, b = checks
        return lambda v: a(v) and b(v)
    if len(checks) == 3:
        a, b, c = checks
        return lambda v: a(v) and b(v) and c(v)

    def every(v):
        for c in checks:
            if not c(v):
                return False
        return True

    return every


def compile_schema(schema: dict) -> Check:
    defs = schema.get("$defs", {})
    compiled: dict[str, Check] = {}

    def ref(name: str) -> Check:
        known = compiled.get(name)
        if known is not None:  # a definition compiled already: no indirection per value
            return known

        def check(value):
            return compiled[name](value)

        return check

    def build(node: dict) -> Check:
        unknown = set(node) - _SUPPORTED
        if unknown:
            raise Unsupported(", ".join(sorted(unknown)))
        checks: list[Check] = []
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in defs:
                raise Unsupported(node["$ref"])
            checks.append(ref(name))
        types = node.get("type")
        types = types if isinstance(types, list) else [types] if types is not None else None
        # An object with a plain `type: object` is checked in object_check below, with its
        # required keys: one call per object instead of three.
        whole_object = types == ["object"]
        if types is not None and not whole_object:
            checks.append(_type_check(types))
        if "enum" in node:
            checks.append(_enum_check(node["enum"]))
        if "const" in node:
            checks.append(lambda v, c=node["const"]: _same(v, c))
        if "pattern" in node:
            rx = re.compile(node["pattern"])
            checks.append(lambda v, rx=rx: not isinstance(v, str) or rx.search(v) is not None)
        if "minLength" in node:
            checks.append(lambda v, n=node["minLength"]: not isinstance(v, str) or len(v) >= n)
        if "maxLength" in node:
            checks.append(lambda v, n=node["maxLength"]: not isinstance(v, str) or len(v) <= n)
        if "minimum" in node:
            checks.append(lambda v, n=node["minimum"]: isinstance(v, bool) or not isinstance(v, (int, float, Decimal)) or v >= n)
        if "minItems" in node:
            checks.append(lambda v, n=node["minItems"]: not isinstance(v, list) or len(v) >= n)
        req = tuple(node.get("required", ()))
        if req and not whole_object:
            checks.append(lambda v, req=req: not isinstance(v, dict) or all(k in v for k in req))
        props = {k: build(v) for k, v in node.get("properties", {}).items()}
        extra = node.get("additionalProperties", True)
        extra_check = build(extra) if isinstance(extra, dict) else None
        if whole_object or props or extra is not True:
            def object_check(v, props=props, extra=extra, extra_check=extra_check, whole=whole_object, req=req):
                if not isinstance(v, dict):
                    return not whole
                for k in req:
                    if k not in v:
                        return False
                for k, item in v.items():
                    c = props.get(k)
                    if c is not None:
                        if not c(item):
                            return False
                    elif extra is False:
                        return False
                    elif extra_check is not None and not extra_check(item):
                        return False
                return True

            checks.append(object_check)
        if "items" in node:
            item_check = build(node["items"])
            def items_check(v, c=item_check):
                if isinstance(v, list):
                    for x in v:
                        if not c(x):
                            return False
                return True

            checks.append(items_check)
        if "oneOf" in node:
            choices = [build(o) for o in node["oneOf"]]
            checks.append(lambda v, choices=choices: sum(1 for o in choices if o(v)) == 1)
        if "anyOf" in node:
            options = [build(o) for o in node["anyOf"]]
            checks.append(lambda v, options=options: any(o(v) for o in options))
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        return _all_of(tuple(checks))

    for name, node in defs.items():
        compiled[name] = build(node)
    return build({k: v for k, v in schema.items() if k != "$defs"})


@cache
def _schema(name: str) -> dict:
    """One of selfeval's schemas: a file name in validator/schemas/, or `kind:NAME` for the
    canonical schema a document kind ships."""
    if name.startswith("kind:"):
        from validator.kinds import kind_named

        return kind_named(name[5:]).load_schema()
    from validator.resources import schema_path

    return json.loads(schema_path(name).read_text(encoding="utf-8"))


@cache
def _quick(name: str) -> Check | None:
    try:
        return compile_schema(_schema(name))
    except Unsupported:
        return None


@cache
def full_validator(name: str):
    """jsonschema's validator for one of selfeval's schemas: imported only when a quick
    check has failed and the problems must be put into words."""
    return validator_for(_schema(name))


def validator_for(schema: dict):
    """jsonschema's validator with the quick check's types: a whole Decimal (3.0 read
    from YAML or JSON) is an integer, as it is to the quick check, so the words for a
    failed check never name a value the quick check let pass."""
    import jsonschema

    base = jsonschema.Draft202012Validator
    types = base.TYPE_CHECKER.redefine("integer", lambda _checker, value: _is_type(value, "integer"))
    return jsonschema.validators.extend(base, type_checker=types)(schema)


def errors(name: str, instance: Any) -> list:
    """Every violation of schema `name`, in path order; [] without importing jsonschema
    when the quick check passes."""
    quick = _quick(name)
    if quick is not None and quick(instance):
        return []
    return sorted(full_validator(name).iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
