"""Resource limits: how big, deep or long an input may be before selfeval refuses it.

Every limit has a documented default (README, "限制 / Limits") and can be raised:
`Validator(limits=Limits(depth=128))` from Python, `--limit depth=128` on the command
line. A limit that is hit ends in a clear message that names the limit and says how to
raise it (InputError for a file, ExpressionError/RuleError for a rule, a finding SC003
for a number in a cell), never in a hang, a traceback or an exhausted machine.

The limits in force are also kept in a context variable (`active`/`current`), so that
code deep inside the engine (value notation, the expression compiler, `matches`) sees
the limits of the Validator that called it without threading them through every call."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Resource limits; every field is a positive integer."""

    #: Size of a YAML or JSON file (submission, waiver side file, rule file), in bytes.
    file_size: int = 20 * MiB
    #: Size of an .xlsx/.xlsm workbook file, in bytes.
    xlsx_size: int = 50 * MiB
    #: Nodes (mappings, lists, keys and scalars) of a document once YAML aliases are
    #: expanded: a "billion laughs" file is small on disk but not here.
    yaml_nodes: int = 1_000_000
    #: Nesting depth of mappings and lists (YAML is refused beyond 1,000 levels whatever
    #: this says: the parser itself recurses).
    depth: int = 64
    #: Indicators (绩效指标 rows) in one submission.
    indicators: int = 5_000
    #: Fund rows (total, sources and their parts) in one submission.
    fund_rows: int = 500
    #: Significant digits of a number in a cell.
    digits: int = 30
    #: Order of magnitude of a number in a cell: |exponent| ≤ this (1e21 and 1e-21 are out).
    exponent: int = 20
    #: Total uncompressed size of the members of an .xlsx archive, in bytes.
    xlsx_uncompressed: int = 200 * MiB
    #: Compression ratio of one member of an .xlsx/.docx package or a .zip submission
    #: (uncompressed : compressed), for members over 1 MiB; a zip bomb has thousands to one.
    xlsx_ratio: int = 100
    #: Worksheets in a workbook.
    sheets: int = 100
    #: Cells (<c> elements) in all worksheets of a workbook.
    cells: int = 2_000_000
    #: Characters of one rule expression.
    expression_length: int = 2_000
    #: Nesting depth of one rule expression (operators, calls, parentheses).
    expression_depth: int = 50
    #: Characters of a `matches` regular expression.
    pattern_length: int = 500
    #: Characters of a text that `matches` searches (the rest is not searched).
    match_input: int = 10_000
    #: Size of a report file (.docx, .pdf), in bytes. A .docx is also held to
    #: xlsx_uncompressed and xlsx_ratio, as a zip package.
    report_size: int = 50 * MiB
    #: Pages of a PDF report.
    pdf_pages: int = 500
    #: Characters of a report's text (.docx, .pdf, .txt, .md), tables included.
    text_chars: int = 5_000_000
    #: Members (files and folders) of a .zip submission.
    archive_members: int = 1_000
    #: Total uncompressed size of the members of a .zip submission, in bytes. Each file
    #: in it is then held to its own limits (xlsx_size, report_size …) as well.
    archive_uncompressed: int = 500 * MiB

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"limit {f.name} must be a positive integer, got {value!r}")

    def with_overrides(self, overrides: dict[str, int]) -> Limits:
        return replace(self, **overrides)

    def at_least_defaults(self) -> Limits:
        """These limits, none below its default: the built-in rule packs are part of
        selfeval and load under these whatever limits are lowered for inputs."""
        return replace(self, **{f.name: max(getattr(self, f.name), getattr(DEFAULTS, f.name)) for f in fields(self)})


DEFAULTS = Limits()
NAMES: tuple[str, ...] = tuple(f.name for f in fields(Limits))

# What each limit is, for messages (zh, en).
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "file_size": ("YAML/JSON 文件大小", "YAML/JSON file size"),
    "xlsx_size": ("工作簿文件大小", "workbook file size"),
    "yaml_nodes": ("展开别名后的节点数", "nodes after expanding aliases"),
    "depth": ("嵌套层数", "nesting depth"),
    "indicators": ("绩效指标行数", "indicator rows"),
    "fund_rows": ("资金行数", "fund rows"),
    "digits": ("数值的有效数字位数", "significant digits of a number"),
    "exponent": ("数值的数量级", "order of magnitude of a number"),
    "xlsx_uncompressed": ("工作簿解压后的总大小", "uncompressed size of the workbook"),
    "xlsx_ratio": ("压缩包（.xlsx/.docx/.zip）成员的压缩比", "compression ratio of a member of a zip package (.xlsx/.docx/.zip)"),
    "sheets": ("工作表数", "worksheets"),
    "cells": ("单元格数", "cells"),
    "expression_length": ("表达式长度", "expression length"),
    "expression_depth": ("表达式嵌套层数", "expression nesting depth"),
    "pattern_length": ("正则表达式长度", "regular expression length"),
    "match_input": ("matches 搜索的文本长度", "text length searched by matches"),
    "report_size": ("报告文件（.docx/.pdf）大小", "report file (.docx/.pdf) size"),
    "pdf_pages": ("PDF 页数", "PDF pages"),
    "text_chars": ("报告文字的字符数", "characters of a report's text"),
    "archive_members": (".zip 压缩包的成员数", "members of a .zip archive"),
    "archive_uncompressed": (".zip 压缩包解压后的总大小", "uncompressed size of a .zip archive"),
}

_SIZE_LIMITS = {"file_size", "xlsx_size", "xlsx_uncompressed", "report_size", "archive_uncompressed"}


def shown(name: str, value: int) -> str:
    """A limit's value as people read it: 20 MiB, 1,000,000."""
    if name in _SIZE_LIMITS and value % MiB == 0:
        return f"{value // MiB} MiB"
    if name in _SIZE_LIMITS and value % 1024 == 0:
        return f"{value // 1024} KiB"
    return f"{value:,}"


def how_to_raise(name: str, value: int) -> tuple[str, str]:
    """The sentence that ends every limit message (zh, en)."""
    zh_what, en_what = DESCRIPTIONS[name]
    return (
        f"超过限制 {name}={shown(name, value)}（{zh_what}）；如确属正常，可用 --limit {name}=更大的值 放宽",
        f"exceeds the limit {name}={shown(name, value)} ({en_what}); if this is expected, raise it with --limit {name}=N",
    )


def message(name: str, value: int, what_zh: str, what_en: str) -> tuple[str, str]:
    """'<what>: exceeds the limit name=value (...); raise it with --limit name=N'."""
    zh, en = how_to_raise(name, value)
    return f"{what_zh}，{zh}", f"{what_en}: {en}"


# --- parsing --limit NAME=VALUE ---------------------------------------------------------

_UNITS = {"": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": MiB, "mb": MiB, "mib": MiB,
          "g": 1024 * MiB, "gb": 1024 * MiB, "gib": 1024 * MiB}
_VALUE = re.compile(r"\s*(\d[\d_,]*)\s*([A-Za-z]*)\s*")


class LimitSpecError(ValueError):
    def __init__(self, message_zh: str, message_en: str):
        super().__init__(message_en)
        self.message = message_zh
        self.message_en = message_en


def parse_value(name: str, text: str) -> int:
    m = _VALUE.fullmatch(text)
    unit = m[2].lower() if m else ""
    if m is None or unit not in _UNITS or (unit and name not in _SIZE_LIMITS):
        raise LimitSpecError(
            f"限制 {name} 的值“{text}”不是正整数" + ("（可带 KiB、MiB、GiB）" if name in _SIZE_LIMITS else ""),
            f"the value '{text}' of limit {name} is not a positive integer" + (" (KiB, MiB or GiB may follow)" if name in _SIZE_LIMITS else ""),
        )
    value = int(m[1].replace("_", "").replace(",", "")[:30]) * _UNITS[unit]
    if value < 1:
        raise LimitSpecError(f"限制 {name} 必须大于 0", f"limit {name} must be greater than 0")
    return value


def parse_overrides(specs: Iterable[str]) -> dict[str, int]:
    """`["depth=128", "file_size=100MiB"]` → {"depth": 128, "file_size": 104857600}."""
    from difflib import get_close_matches

    out: dict[str, int] = {}
    for spec in specs:
        name, sep, text = spec.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not name:
            raise LimitSpecError(f"--limit 的写法应为 名称=值，如 --limit depth=128：“{spec}”",
                                 f"--limit takes NAME=VALUE, e.g. --limit depth=128: '{spec}'")
        if name not in NAMES:
            guess = get_close_matches(name, NAMES, n=1)
            raise LimitSpecError(
                f"没有名为“{name}”的限制" + (f"（是否应为“{guess[0]}”？）" if guess else f"；可用：{', '.join(NAMES)}"),
                f"no limit named '{name}'" + (f" (did you mean '{guess[0]}'?)" if guess else f"; known: {', '.join(NAMES)}"),
            )
        out[name] = parse_value(name, text)
    return out


def from_specs(specs: Iterable[str], base: Limits = DEFAULTS) -> Limits:
    return base.with_overrides(parse_overrides(specs))


# --- the limits in force ----------------------------------------------------------------

_ACTIVE: ContextVar[Limits] = ContextVar("selfeval_limits", default=DEFAULTS)


def current() -> Limits:
    return _ACTIVE.get()


@contextmanager
def active(limits: Limits | None) -> Iterator[Limits]:
    """Make `limits` the limits in force for the code run inside the block."""
    if limits is None:
        yield _ACTIVE.get()
        return
    token = _ACTIVE.set(limits)
    try:
        yield limits
    finally:
        _ACTIVE.reset(token)


# --- numbers ----------------------------------------------------------------------------

def number_problem(value: Decimal, limits: Limits | None = None) -> tuple[str, str] | None:
    """Why a number is outside the range selfeval computes with (zh, en), or None.
    Too many significant digits, or an order of magnitude beyond ±exponent."""
    limits = limits or current()
    if _plainly_in_range(value, limits):
        return None
    if not value.is_finite():
        return None
    _sign, digits, exp = value.as_tuple()
    n = len(digits)
    if n > limits.digits:
        return message("digits", limits.digits, f"有效数字 {n:,} 位", f"{n:,} significant digits")
    if value:
        magnitude = exp + n - 1  # Decimal.adjusted()
    else:
        magnitude = min(0, exp)  # 0.000…0: how far the written zeros go
    if abs(magnitude) > limits.exponent:
        return message("exponent", limits.exponent, f"数量级 10^{magnitude}", f"order of magnitude 10^{magnitude}")
    return None


def _plainly_in_range(value: Decimal, limits: Limits) -> bool:
    """True for a number whose positional text is short enough to be within both limits.
    Written without an exponent in at most L = min(digits, exponent + 1) characters, a
    number has at most L significant digits and an order of magnitude within ±(L - 1): no
    need for as_tuple(), which costs six times as much as str() on a cell's number."""
    text = str(value)
    return len(text) <= limits.digits and len(text) <= limits.exponent + 1 and "E" not in text


def in_range(value: Decimal, limits: Limits | None = None) -> bool:
    return number_problem(value, limits) is None  # which asks _plainly_in_range first


def short(value: Any, width: int = 40) -> str:
    """A number or text cut to `width` characters for a message."""
    # An int of more than 4,300 digits has no str(); its Decimal does.
    text = str(Decimal(value)) if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**width else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


# --- the shape of a loaded document -----------------------------------------------------

class ShapeError(Exception):
    """A document too large once aliases are expanded, too deep, or recursive."""

    def __init__(self, kind: str, detail: int = 0):
        super().__init__(kind)
        self.kind = kind  # "nodes", "depth" or "cycle"
        self.detail = detail


def check_shape(doc: Any, limits: Limits | None = None) -> int:
    """The number of nodes of `doc` with shared (aliased) parts counted every time they
    appear, without walking them more than once: raises ShapeError above
    limits.yaml_nodes, deeper than limits.depth, or when a node contains itself.
    Iterative, so no document is too deep for it."""
    limits = limits or current()
    max_nodes, max_depth = limits.yaml_nodes, limits.depth
    if not isinstance(doc, (dict, list)):
        return 1
    plain = _walk(doc, limits, numbers=False)
    if plain is not None:
        return plain[0]
    done: dict[int, tuple[int, int]] = {}  # id → (expanded size, height)
    on_path: set[int] = set()
    # (node, depth of the node, finishing?)
    stack: list[tuple[Any, int, bool]] = [(doc, 1, False)]
    while stack:
        node, depth, finishing = stack.pop()
        nid = id(node)
        children = node.values() if isinstance(node, dict) else node
        if finishing:
            on_path.discard(nid)
            size = 1 + (len(node) if isinstance(node, dict) else 0)
            height = 1
            for c in children:
                if isinstance(c, (dict, list)):
                    s, h = done[id(c)]
                    size += s
                    height = max(height, h + 1)
                else:
                    size += 1
            if size > max_nodes:
                raise ShapeError("nodes", size)
            done[nid] = (size, height)
            continue
        seen = done.get(nid)
        if seen is not None:
            if depth + seen[1] - 1 > max_depth:
                raise ShapeError("depth", depth + seen[1] - 1)
            continue
        if nid in on_path:
            raise ShapeError("cycle")
        if depth > max_depth:
            raise ShapeError("depth", depth)
        on_path.add(nid)
        stack.append((node, depth, True))
        for c in children:
            if isinstance(c, (dict, list)):
                if id(c) in on_path:
                    raise ShapeError("cycle")
                stack.append((c, depth + 1, False))
    return done[id(doc)][0]


def survey(doc: Any, limits: Limits | None = None) -> tuple[int, bool]:
    """(check_shape(doc), numbers_in_range(doc)): the size, and whether every number the
    document holds is within limits.digits and limits.exponent. One walk for a document
    in which no part appears twice; raises ShapeError as check_shape does."""
    limits = limits or current()
    if isinstance(doc, (dict, list)):
        plain = _walk(doc, limits, numbers=True)
        if plain is not None:
            return plain
    return check_shape(doc, limits), numbers_in_range(doc, limits)


def _walk(doc: dict | list, limits: Limits, numbers: bool) -> tuple[int, bool] | None:
    """check_shape's answer for a document in which no part appears twice (all that JSON
    and most YAML give), in one pass, level by level; with `numbers`, also whether every
    number in it is in range (else True). None for anything else, which check_shape then
    walks with aliases in mind and names the problem. A part seen twice stops the walk
    at once, so an alias bomb is never expanded here."""
    max_nodes, max_depth = limits.yaml_nodes, limits.depth
    small = 10 ** min(limits.digits, limits.exponent + 1)  # an int below this is always fine
    fine = True
    seen: set[int] = set()
    level = [doc]
    depth = 1
    size = 0
    while level:
        if depth > max_depth:
            return None
        before = len(seen)
        seen.update(map(id, level))
        if len(seen) - before != len(level):
            return None
        deeper: list = []
        push = deeper.append
        for node in level:
            if isinstance(node, dict):
                size += 1 + len(node)
                children = node.values()
            else:
                size += 1
                children = node
            for c in children:
                kind = type(c)
                if kind is str:
                    size += 1
                elif kind is dict or kind is list or isinstance(c, (dict, list)):
                    push(c)
                else:
                    size += 1
                    if numbers and fine and c is not None and kind is not bool:
                        fine = -small < c < small if kind is int else scalar_problem(c, limits) is None
            if size > max_nodes:
                return None
        level = deeper
        depth += 1
    return size, fine


def scalar_problem(value: Any, limits: Limits) -> tuple[str, str] | None:
    """number_problem for a scalar of a loaded document (a float read as its repr); None
    for one in range, and for a bool, text or anything else that is not a number."""
    if type(value) is not Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            return None
        value = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return number_problem(value, limits)


def numbers_in_range(doc: Any, limits: Limits | None = None) -> bool:
    """Whether every number written in `doc` (not text) is within limits.digits and
    limits.exponent. Shared parts are walked each time: call it on a document
    check_shape has measured."""
    limits = limits or current()
    small = 10 ** min(limits.digits, limits.exponent + 1)
    stack = [doc]
    pop, extend = stack.pop, stack.extend
    while stack:
        node = pop()
        kind = type(node)
        if kind is dict:
            extend(node.values())
        elif kind is list:
            extend(node)
        elif kind is str or node is None or kind is bool:
            continue
        elif kind is int:
            if not -small < node < small:
                return False
        elif isinstance(node, dict):  # a dict or list of a subclass: the same, more slowly
            extend(node.values())
        elif isinstance(node, list):
            extend(node)
        elif scalar_problem(node, limits) is not None:
            return False
    return True


def shape_messages(exc: ShapeError, origin: str, limits: Limits | None = None) -> tuple[str, str]:
    limits = limits or current()
    if exc.kind == "cycle":
        return (f"{origin}: 文档引用了自身（YAML 别名形成循环），无法读取",
                f"{origin}: the document contains itself (a recursive YAML alias) and cannot be read")
    if exc.kind == "yaml_depth":
        return (f"{origin}: YAML 嵌套超过 1,000 层，无法读取（YAML 解析器本身的上限）",
                f"{origin}: YAML nested more than 1,000 levels deep cannot be read (the YAML parser's own limit)")
    if exc.kind == "depth":
        zh, en = message("depth", limits.depth, "嵌套层数过深", "nested too deeply")
        return f"{origin}: {zh}", f"{origin}: {en}"
    zh, en = message("yaml_nodes", limits.yaml_nodes, "文档的节点过多（YAML 别名按展开后计，可能是“别名炸弹”）",
                     "the document has too many nodes (YAML aliases counted as expanded: an alias bomb?)")
    return f"{origin}: {zh}", f"{origin}: {en}"


def depth_messages(origin: str, limits: Limits | None = None) -> tuple[str, str]:
    return shape_messages(ShapeError("depth"), origin, limits)
