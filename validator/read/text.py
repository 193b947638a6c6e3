"""YAML and JSON submissions. Numbers are read as Decimal so that the printed
precision ("13.60") survives into the rounding checks.

Only safe loaders are used: `!!python/…` and other unknown tags are an error, never
code. Right after loading, the document's size with YAML aliases expanded and its depth
are measured (limits.check_shape), so a "billion laughs" file is refused before anything
walks it."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode

from validator import limits as _limits
from validator.errors import InputError

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

# Integers longer than this are not converted with int() (Python refuses more than 4300
# digits, and sexagesimal or binary forms could cost unbounded time): plain decimal
# digits become a Decimal, which the digits limit then reports; anything else is refused.
_INT_TEXT_MAX = 64


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
    if len(body) > _INT_TEXT_MAX:
        if body.isdigit():
            return Decimal(plain)
        raise ConstructorError(None, None, f"the number {text[:20]}… is too long to read", node.start_mark)
    return SafeConstructor.construct_yaml_int(loader, node)


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


class DecimalSafeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps floats as Decimal with their written digits."""

    flatten_mapping = flatten_mapping


class DecimalPureLoader(yaml.SafeLoader):
    """The same loader in pure Python: asked only when libyaml refuses a document (see
    load_with_fallback)."""

    flatten_mapping = flatten_mapping


for _loader in (DecimalSafeLoader, DecimalPureLoader):
    _loader.add_constructor("tag:yaml.org,2002:float", construct_decimal)
    _loader.add_constructor("tag:yaml.org,2002:int", construct_int)


def _json_float(text: str):
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond anything Decimal holds (1e99999999999999999999)
        return text


def _json_int(text: str):
    return int(text) if len(text) <= _INT_TEXT_MAX else Decimal(text)


# Below this many characters that can open a level ([ { - ? :), a document cannot be
# nested deeply enough to trouble the parser, and the depth check after loading suffices;
# below this size it cannot hold enough nodes to matter either.
_CHEAP_DEPTH_BOUND = 256
_CHEAP_SIZE = 64 * 1024
# However far limits.depth is raised, YAML nested deeper than this is refused: libyaml's
# composer would run out of C stack long before Python noticed.
YAML_HARD_DEPTH = 1000


def yaml_prescan(text: str, limits: _limits.Limits) -> None:
    """Raise ShapeError when a YAML text nests deeper than limits.depth or holds more
    than limits.yaml_nodes nodes (aliases not yet expanded), found from the parser's
    events before anything is built: libyaml's composer recurses in C and would crash
    the process on a document nested a hundred thousand levels deep, and a 20 MiB list
    of tiny scalars would become gigabytes of nodes."""
    if len(text) <= _CHEAP_SIZE and sum(text.count(c) for c in "[{-?:") <= _CHEAP_DEPTH_BOUND:
        return
    from yaml.events import CollectionEndEvent, CollectionStartEvent, NodeEvent

    max_depth, max_nodes = min(limits.depth, YAML_HARD_DEPTH), limits.yaml_nodes

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
        scan(_BaseLoader(text))
        return
    except yaml.YAMLError:
        if _BaseLoader is yaml.SafeLoader:
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


def parse_text(text: str, fmt: str, origin: str, limits: _limits.Limits | None = None) -> Any:
    limits = limits or _limits.current()
    try:
        if fmt != "json":
            yaml_prescan(text, limits)
        data = _parse(text, fmt, origin)
    except RecursionError:
        raise InputError(*_limits.depth_messages(origin, limits)) from None
    except MemoryError:
        raise InputError(f"{origin}: 文件内容过大，内存不足，无法读取", f"{origin}: the file is too large to read (out of memory)") from None
    except _limits.ShapeError as exc:
        raise InputError(*_limits.shape_messages(exc, origin, limits)) from None
    try:
        _limits.check_shape(data, limits)
    except _limits.ShapeError as exc:
        raise InputError(*_limits.shape_messages(exc, origin, limits)) from None
    return data


def _parse(text: str, fmt: str, origin: str) -> Any:
    if fmt == "json":
        try:
            return json.loads(text, parse_float=_json_float, parse_int=_json_int, parse_constant=str)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{origin}: JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}",
                f"{origin}: malformed JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
            ) from None
        except ValueError as exc:  # anything else json refuses
            raise InputError(f"{origin}: JSON 格式错误：{exc}", f"{origin}: malformed JSON: {exc}") from None
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


def decode(raw: bytes, origin: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Windows Notepad's "Unicode": UTF-16 with a byte-order mark.
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(
                f"{origin}: 文件以 UTF-16 字节顺序标记开头，但内容不是有效的 UTF-16 文本",
                f"{origin}: the file starts with a UTF-16 byte-order mark but is not valid UTF-16 text",
            ) from None
    if b"\x00" in raw:
        # Text files never hold NUL: UTF-16/32 without a byte-order mark, or not text at all.
        raise InputError(
            f"{origin}: 文件含有空字节，不是 UTF-8 或 GBK/GB18030 编码的文本（可能是不带 BOM 的 UTF-16 或二进制文件）；请另存为 UTF-8",
            f"{origin}: the file contains NUL bytes: not UTF-8 or GBK/GB18030 text (UTF-16 without a byte-order mark, or a binary file); save it as UTF-8",
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK; Chinese Windows tools often save in it.
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(
            f"{origin}: 文件不是 UTF-8 或 GBK/GB18030 编码的文本，无法读取",
            f"{origin}: the file is not UTF-8 or GBK/GB18030 text and cannot be read",
        ) from None


def read_bytes(path: Path, origin: str, limits: _limits.Limits | None = None, error=InputError) -> bytes:
    """The file's bytes, refused above limits.file_size before anything is read. Only
    regular files are read: a FIFO or a device would never end."""
    import stat

    limits = limits or _limits.current()
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{origin}: 不是普通文件（设备、管道等），不予读取", f"{origin}: not a regular file (a device or a pipe); not read")
        size = info.st_size
        if size > limits.file_size:
            zh, en = _limits.message("file_size", limits.file_size, f"文件大小为 {size:,} 字节", f"the file is {size:,} bytes")
            raise error(f"{origin}: {zh}", f"{origin}: {en}")
        with path.open("rb") as handle:
            raw = handle.read(limits.file_size + 1)
    except IsADirectoryError:
        raise error(f"{origin}: 是目录，不是文件", f"{origin}: is a folder, not a file") from None
    except OSError as exc:
        raise error(f"{origin}: 无法读取文件：{exc.strerror or exc}", f"{origin}: cannot read file: {exc.strerror or exc}") from None
    if len(raw) > limits.file_size:  # grew while being read, or a device
        zh, en = _limits.message("file_size", limits.file_size, "文件过大", "the file is too large")
        raise error(f"{origin}: {zh}", f"{origin}: {en}")
    return raw


def read_text_file(path: Path, fmt: str, limits: _limits.Limits | None = None):
    from validator.read import MappingFile

    origin = str(path)
    raw = read_bytes(path, origin, limits)
    if not raw.strip():
        raise InputError(f"{origin}: 文件为空", f"{origin}: the file is empty")
    data = parse_text(decode(raw, origin), fmt, origin, limits)
    return MappingFile(data=data, origin=origin)
