"""YAML and JSON submissions. Numbers are read as Decimal so that the printed
precision ("13.60") survives into the rounding checks."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class DecimalSafeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps floats as Decimal with their written digits."""


def construct_decimal(loader, node):
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:
        # .inf / .nan are YAML floats but not amounts anyone wrote in a table.
        return text


DecimalSafeLoader.add_constructor("tag:yaml.org,2002:float", construct_decimal)


def parse_text(text: str, fmt: str, origin: str) -> Any:
    if fmt == "json":
        try:
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{origin}: JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}",
                f"{origin}: malformed JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
            ) from None
    try:
        return yaml.load(text, Loader=DecimalSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        where_en = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(
            f"{origin}: YAML 格式错误（{where}）：{exc.problem}",
            f"{origin}: malformed YAML ({where_en}): {exc.problem}",
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"{origin}: YAML 格式错误：{exc}", f"{origin}: malformed YAML: {exc}") from None


def decode(raw: bytes, origin: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Windows Notepad's "Unicode": UTF-16 with a byte-order mark.
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
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


def read_text_file(path: Path, fmt: str):
    from . import LoadedSubmission

    origin = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{origin}: 无法读取文件：{exc.strerror}", f"{origin}: cannot read file: {exc.strerror}") from None
    if not raw.strip():
        raise InputError(f"{origin}: 文件为空", f"{origin}: the file is empty")
    data = parse_text(decode(raw, origin), fmt, origin)
    return LoadedSubmission(data=data, origin=origin)
