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

from validator import limits as _limits
from validator.errors import InputError

# Integers longer than this are not converted with int() (Python refuses more than 4300
# digits): they become a Decimal, which the digits limit then reports. YAML's base-60,
# octal and hex forms are never converted at all (yamltext.construct_int keeps the text).
_INT_TEXT_MAX = 64

# The YAML side lives in validator.read.yamltext, imported only when a YAML text is read.
_YAML_NAMES = frozenset(("DecimalSafeLoader", "DecimalPureLoader", "construct_decimal", "construct_int", "flatten_mapping",
                         "load_with_fallback", "yaml_prescan", "YAML_HARD_DEPTH"))


def __getattr__(name: str):
    if name in _YAML_NAMES:
        from validator.read import yamltext

        return getattr(yamltext, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _json_float(text: str):
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond anything Decimal holds (1e99999999999999999999)
        return text


def _json_int(text: str):
    return int(text) if len(text) <= _INT_TEXT_MAX else Decimal(text)


def parse_text(text: str, fmt: str, origin: str, limits: _limits.Limits | None = None) -> Any:
    limits = limits or _limits.current()
    try:
        if fmt != "json":
            from validator.read.yamltext import yaml_prescan

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
    from validator.read.yamltext import parse_yaml

    return parse_yaml(text, origin)


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
