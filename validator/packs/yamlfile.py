"""YAML for rule packs: safe loading that remembers the line of every key, so that a
broken rule is reported as file:line:col."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from validator import limits as _limits
from validator.errors import InputError, RuleError
from validator.read.text import decode, read_bytes
from validator.read.yamltext import BaseSafeLoader, read_as_written, yaml_prescan


class LineMap(dict):
    """A mapping that also knows where its keys and values start (1-based)."""

    __slots__ = ("lines", "columns", "line")


class _SafeLineLoader(BaseSafeLoader):  # type: ignore[misc,valid-type]
    pass


class _PureLineLoader(yaml.SafeLoader):
    """Asked only when libyaml refuses a file (validator.read.yamltext.load_with_fallback)."""


def _construct_mapping(loader, node, deep=False):
    mapping = LineMap()
    mapping.lines = {}
    mapping.columns = {}
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        value = loader.construct_object(value_node, deep=True)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a plain value", key_node.start_mark)
        mapping[key] = value
        mapping.lines[key] = value_node.start_mark.line + 1
        # Block scalars (| and >) start on the next line; plain and quoted ones where written.
        style = getattr(value_node, "style", None)
        col = value_node.start_mark.column + 1
        if style in ('"', "'"):
            col += 1
        mapping.columns[key] = None if style in ("|", ">") else col
    return mapping


for _loader in (_SafeLineLoader, _PureLineLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    # Fixture submissions and rule parameters keep their written decimals (4950.00) and
    # dates as written (2024-12-30), as submissions do.
    read_as_written(_loader)


def _load(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_SafeLineLoader)
    except yaml.YAMLError:
        if _SafeLineLoader.__mro__[1] is yaml.SafeLoader:
            raise
    return yaml.load(text, Loader=_PureLineLoader)


def load_yaml(path: Path) -> Any:
    """A rule pack file (rules, pack.yaml, fixtures), under the same limits as a
    submission: file size, nesting depth, size with aliases expanded."""
    limits = _limits.current()
    origin = str(path)
    try:
        text = decode(read_bytes(path, origin, limits, error=RuleError), origin)
    except InputError as exc:
        raise RuleError(exc.message, exc.message_en) from None
    try:
        yaml_prescan(text, limits)
    except _limits.ShapeError as exc:
        raise RuleError(*_limits.shape_messages(exc, origin, limits)) from None
    try:
        doc = _load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise RuleError(f"{path}{line}: YAML 格式错误：{exc.problem}", f"{path}{line}: malformed YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise RuleError(f"{path}: YAML 格式错误：{exc}", f"{path}: malformed YAML: {exc}") from None
    except RecursionError:
        raise RuleError(*_limits.depth_messages(origin, limits)) from None
    except (ValueError, TypeError, OverflowError, ArithmeticError) as exc:
        raise RuleError(f"{path}: YAML 中有无法读取的值：{exc}", f"{path}: the YAML holds a value that cannot be read: {exc}") from None
    try:
        _limits.check_shape(doc, limits)
    except _limits.ShapeError as exc:
        raise RuleError(*_limits.shape_messages(exc, origin, limits)) from None
    return doc


def line_of(node: Any, key: str | None = None) -> int | None:
    if isinstance(node, LineMap):
        if key is not None and key in node.lines:
            return node.lines[key]
        return node.line
    return None


def column_of(node: Any, key: str) -> int | None:
    if isinstance(node, LineMap):
        return node.columns.get(key)
    return None
