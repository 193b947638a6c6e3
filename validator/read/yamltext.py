"""YAML submissions, read by the safe loaders only (see validator.read.text). Kept apart
from the JSON reader so that checking a JSON file never imports PyYAML."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from validator import limits as _limits
from validator.errors import InputError
from validator.read.text import _INT_TEXT_MAX

# libyaml's safe loader when PyYAML has it; the rule-pack reader builds on the same base.
try:
    BaseSafeLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    BaseSafeLoader = yaml.SafeLoader


def construct_decimal(loader, node):
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:
        # .inf / .nan are YAML floats but not amounts anyone wrote in a table.
        return text


def construct_int(loader, node):
    text = loader.construct_scalar(node)
    plain = text.replace("_", "")
    body = plain.lstrip("+-")
    if not body.isdigit() or (len(body) > 1 and body[0] == "0"):
        # Integers only by YAML 1.1's rules: 1:30 is 90 (base 60), 010 is 8 (octal), 0x1F
        # is 31. A table means what it printed, so these stay the text written, and the
        # value notation reads 010 as ten and 1:30 as text.
        return text
    if len(body) > _INT_TEXT_MAX:
        return Decimal(plain)  # beyond what int() reads from text: the range check reports it (SC003)
    return int(plain)


def construct_timestamp_text(loader, node):
    """A date or time as written (`expires: 2025-12-31`, `actual: 2024-12-30`): text, as
    a cell is, which the value notation reads as a date. PyYAML would build a datetime,
    which no submission or waiver schema admits: the file would be refused over quotes."""
    return loader.construct_scalar(node)


_MERGE_TAG = "tag:yaml.org,2002:merge"


def flatten_mapping(loader, node) -> None:
    """PyYAML's merge keys (`<<: [*a, *a]`), keeping only the last entry for each key:
    the mapping built is the same, but a chain of merges can no longer double in size
    at every step (a "merge bomb" that would take minutes to load)."""
    if not any(key.tag == _MERGE_TAG for key, _ in node.value):
        SafeConstructor.flatten_mapping(loader, node)  # only turns `=` keys into text
        return
    SafeConstructor.flatten_mapping(loader, node)
    if len(node.value) < 2:
        return
    last: dict[Any, int] = {}
    for i, (key, _) in enumerate(node.value):
        if isinstance(key, ScalarNode):
            last[(key.tag, key.value)] = i
    if len(last) == sum(1 for k, _ in node.value if isinstance(k, ScalarNode)):
        return
    node.value = [pair for i, pair in enumerate(node.value)
                  if not isinstance(pair[0], ScalarNode) or last[(pair[0].tag, pair[0].value)] == i]


class DecimalSafeLoader(BaseSafeLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps floats as Decimal with their written digits."""

    flatten_mapping = flatten_mapping


class DecimalPureLoader(yaml.SafeLoader):
    """The same loader in pure Python: asked only when libyaml refuses a document (see
    load_with_fallback)."""

    flatten_mapping = flatten_mapping


def read_as_written(loader: type) -> None:
    """Give a loader selfeval's scalars: numbers with their written digits (4950.00), and
    dates and the integers YAML 1.1 reads otherwise as the text written. Submissions,
    waiver files and rule packs (validator.packs.yamlfile) are all read so."""
    loader.add_constructor("tag:yaml.org,2002:float", construct_decimal)
    loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp_text)


for _loader in (DecimalSafeLoader, DecimalPureLoader):
    read_as_written(_loader)


# Below this many characters that can open a level ([ { - ? :), a document cannot be
# nested deeply enough to trouble the parser, and the depth check after loading suffices;
# below this size it cannot hold enough nodes to matter either.
_CHEAP_DEPTH_BOUND = 256
_CHEAP_SIZE = 64 * 1024
# However far limits.depth is raised, YAML nested deeper than this is refused: libyaml's
# composer would run out of C stack long before Python noticed.
YAML_HARD_DEPTH = 1000
# What may stand before a block collection on its line: indentation, the compact
# indicators of a sequence entry or an explicit key or value (`- - a`, `? - a`), a
# document start, and anchors and tags (`- &x - a`).
_BLOCK_PREFIX = re.compile(r"^[ \t]*(?:(?:---|[-?:]|[&!][^ \t\n]*)(?:[ \t]+|$))*", re.MULTILINE)


def nesting_bound(text: str) -> int:
    """An upper bound on how deep a YAML text nests, without parsing it. A flow
    collection opens at a `[` or `{` (counted wherever they are, quoted or not). A block
    collection starts where a line's indentation and compact indicators end, and along a
    chain of block collections that column never decreases and stays the same at most
    once (a mapping and the sequence that is one of its values: `a:` over `- b`): so no
    more than two block levels per column up to the deepest such start."""
    column = max(map(len, _BLOCK_PREFIX.findall(text)), default=0)
    return 2 * (column + 1) + text.count("[") + text.count("{")


def yaml_prescan(text: str, limits: _limits.Limits) -> None:
    """Raise ShapeError when a YAML text nests deeper than limits.depth or holds more
    than limits.yaml_nodes nodes (aliases not yet expanded), found from the parser's
    events before anything is built: libyaml's composer recurses in C and would crash
    the process on a document nested a hundred thousand levels deep, and a 20 MiB list
    of tiny scalars would become gigabytes of nodes."""
    if len(text) <= _CHEAP_SIZE and sum(text.count(c) for c in "[{-?:") <= _CHEAP_DEPTH_BOUND:
        return
    max_depth, max_nodes = min(limits.depth, YAML_HARD_DEPTH), limits.yaml_nodes
    # A node takes at least one character (`{a,b}`: a key and its empty value per two),
    # so a text of at most half the node limit cannot exceed it; and most submissions
    # are shallow by their layout alone. Only the rest are walked event by event.
    if 2 * len(text) <= max_nodes and nesting_bound(text) <= max_depth:
        return
    from yaml.events import CollectionEndEvent, CollectionStartEvent, NodeEvent

    def scan(parser) -> None:
        depth = nodes = 0
        try:
            while parser.check_event():
                event = parser.get_event()
                if isinstance(event, NodeEvent):
                    nodes += 1
                    if nodes > max_nodes:
                        raise _limits.ShapeError("nodes", nodes)
                if isinstance(event, CollectionStartEvent):
                    depth += 1
                    if depth > max_depth:
                        raise _limits.ShapeError("depth" if max_depth == limits.depth else "yaml_depth", depth)
                elif isinstance(event, CollectionEndEvent):
                    depth -= 1
        finally:
            parser.dispose()

    try:
        scan(BaseSafeLoader(text))
        return
    except yaml.YAMLError:
        if BaseSafeLoader is yaml.SafeLoader:
            return  # malformed: the real load reports where
    # libyaml refuses what nests deeper than a limit of its own (1,000 since 0.2.5), and
    # its scanner reads far ahead of the events counted here, so that refusal can come
    # long before our own depth limit is reached. The pure-Python parser keeps its stack
    # on the heap and has no such limit: it measures the document, whatever libyaml says.
    try:
        scan(yaml.SafeLoader(text))
    except yaml.YAMLError:
        return  # malformed: the real load reports where


def load_with_fallback(text: str):
    """The document, read by libyaml; when libyaml refuses it, the pure-Python loader
    decides, so what is accepted and what a message says never depend on which libyaml
    (or none) PyYAML was built with."""
    try:
        return yaml.load(text, Loader=DecimalSafeLoader)
    except yaml.YAMLError:
        if DecimalSafeLoader.__mro__[1] is yaml.SafeLoader:
            raise
    return yaml.load(text, Loader=DecimalPureLoader)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = str(getattr(exc, "problem", None) or exc)
    context = getattr(exc, "context", None)
    if context and "while" not in context:  # "expected a single document in the stream"
        problem = f"{context}, {problem}"
    if "python/" in problem or "could not determine a constructor" in problem:
        return problem + " (tags such as !!python/… are not accepted: selfeval never runs code from a file)"
    return problem


def parse_yaml(text: str, origin: str) -> Any:
    try:
        return load_with_fallback(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "位置未知"
        where_en = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "position unknown"
        problem = _yaml_problem(exc)
        raise InputError(
            f"{origin}: YAML 格式错误（{where}）：{problem}",
            f"{origin}: malformed YAML ({where_en}): {problem}",
        ) from None
    except yaml.YAMLError as exc:
        # the reader's own errors name the position on a second line: one line is shown
        problem = " ".join(str(exc).split())
        raise InputError(f"{origin}: YAML 格式错误：{problem}", f"{origin}: malformed YAML: {problem}") from None
    except (ValueError, TypeError, OverflowError, ArithmeticError) as exc:
        # A value PyYAML's constructors could not convert (a date like 2024-13-45).
        raise InputError(f"{origin}: YAML 中有无法读取的值：{exc}", f"{origin}: the YAML holds a value that cannot be read: {exc}") from None
