"""Workbooks (.xlsx / .xlsm): each sheet as a grid of the texts its cells show, with its
merged ranges (read/grid.py, read/cells.py). Which tables a grid holds is not decided here.

The workbook is loaded once, in normal (not read-only) mode with cached formula values:
read-only mode drops the merged ranges that carry 一级/二级 labels over their rows. Formulas
saved without a cached value read as empty there, so they are found in the sheet XML itself:
a second openpyxl load could not tell them from formulas whose cached result is "".

Before anything is inflated the file is checked against the limits: size, a zip bomb's
sizes and ratios, DTDs, the number of sheets and cells."""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
import zlib
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

from validator import limits as _limits
from validator.errors import InputError
from validator.read import Workbook
from validator.read.grid import build_grid

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A cell and a sheet element, with or without a namespace prefix (<c r="A1">, <x:c …>).
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet[\s>/]")
# Members smaller than this may compress as well as they like: the ratio limit is for
# members that would be large once inflated.
_RATIO_FLOOR = 1024 * 1024
_CHUNK = 1024 * 1024


def read_workbook(path: Path, limits: _limits.Limits | None = None) -> Workbook:
    limits = limits or _limits.current()
    origin = str(path)
    _check_file(path, origin, limits)
    _check_archive(path, origin, limits)
    workbook = _load(path, origin)
    try:
        grids = [build_grid(ws) for ws in workbook.worksheets]
    finally:
        workbook.close()
    return Workbook(origin=origin, sheets=grids, uncached_formulas=_formulas_without_cache(path))


def _check_file(path: Path, origin: str, limits: _limits.Limits) -> None:
    import stat

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{origin}: 不是普通文件（目录、设备、管道等），不予读取",
                             f"{origin}: not a regular file (a folder, a device or a pipe); not read")
        with path.open("rb") as handle:
            head = handle.read(8)
            size = info.st_size
            if size > limits.xlsx_size:
                zh, en = _limits.message("xlsx_size", limits.xlsx_size, f"工作簿文件大小为 {size:,} 字节", f"the workbook is {size:,} bytes")
                raise InputError(f"{origin}: {zh}", f"{origin}: {en}")
            if head.startswith(_OLE_MAGIC):
                body = head + handle.read(8 * 1024 * 1024)
    except OSError as exc:
        raise InputError(
            f"{origin}: 无法读取文件：{exc.strerror or exc}", f"{origin}: cannot read file: {exc.strerror or exc}"
        ) from None
    if size == 0:
        raise InputError(f"{origin}: 文件为空", f"{origin}: the file is empty")
    if head.startswith(_OLE_MAGIC):
        # Excel saves a workbook with an open password as an OLE file holding an
        # EncryptedPackage stream; an OLE file without one is an old .xls.
        if "EncryptedPackage".encode("utf-16-le") in body:
            raise InputError(
                f"{origin}: 工作簿设有打开密码（已加密），无法读取；请在 Excel 中取消密码后另存为 .xlsx",
                f"{origin}: the workbook is password-protected (encrypted) and cannot be read; remove the password in Excel and save it as .xlsx",
            )
        raise InputError(
            f"{origin}: 文件是旧版 Excel（.xls）或加密的工作簿，不是 .xlsx；请在 Excel 中另存为 .xlsx（如设有密码请先取消）",
            f"{origin}: the file is an old Excel (.xls) or an encrypted workbook, not .xlsx; save it as .xlsx in Excel (removing any password first)",
        )
    if not head.startswith(b"PK"):
        raise InputError(
            f"{origin}: 不是有效的 .xlsx 工作簿（可能是改了扩展名的其他文件）",
            f"{origin}: not a valid .xlsx workbook (perhaps another kind of file renamed to .xlsx)",
        )


def _limit_error(origin: str, name: str, value: int, what_zh: str, what_en: str) -> InputError:
    zh, en = _limits.message(name, value, what_zh, what_en)
    return InputError(f"{origin}: {zh}", f"{origin}: {en}")


def _check_archive(path: Path, origin: str, limits: _limits.Limits) -> None:
    """Refuse a zip bomb, or a workbook too large to load, before openpyxl inflates it:
    the sizes the archive declares (zipfile never inflates a member beyond its declared
    size), then the sheets and cells counted while streaming the XML."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise _corrupt(origin, str(exc) or type(exc).__name__) from None
    except OSError as exc:
        raise InputError(f"{origin}: 无法读取文件：{exc.strerror or exc}", f"{origin}: cannot read file: {exc.strerror or exc}") from None
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            if total > limits.xlsx_uncompressed:
                raise _limit_error(origin, "xlsx_uncompressed", limits.xlsx_uncompressed,
                                   f"工作簿解压后超过 {total:,} 字节（可能是“压缩炸弹”）",
                                   f"the workbook inflates to more than {total:,} bytes (a zip bomb?)")
            if info.file_size > _RATIO_FLOOR and info.file_size > limits.xlsx_ratio * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                raise _limit_error(origin, "xlsx_ratio", limits.xlsx_ratio,
                                   f"工作簿成员 {info.filename} 的压缩比为 {ratio:,}:1（可能是“压缩炸弹”）",
                                   f"the workbook member {info.filename} is compressed {ratio:,}:1 (a zip bomb?)")
        sheets = cells = 0
        try:
            for info in archive.infolist():
                if not info.filename.lower().endswith(".xml") or info.is_dir():
                    continue
                with archive.open(info) as member:
                    for chunk in _tag_chunks(member):
                        if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                            # Excel never writes a DTD; entities are how an XML bomb expands.
                            raise InputError(
                                f"{origin}: 工作簿成员 {info.filename} 含有 DTD/实体声明（.xlsx 中不应出现，可能是 XML 炸弹），已拒绝",
                                f"{origin}: the workbook member {info.filename} declares a DTD or entities (never in a real .xlsx; an XML bomb?); refused",
                            )
                        sheets += len(_SHEET_TAG.findall(chunk))
                        cells += len(_CELL_TAG.findall(chunk))
                        if sheets > limits.sheets:
                            raise _limit_error(origin, "sheets", limits.sheets, f"工作簿的工作表超过 {limits.sheets:,} 个",
                                               f"the workbook has more than {limits.sheets:,} sheets")
                        if cells > limits.cells:
                            raise _limit_error(origin, "cells", limits.cells, f"工作簿的单元格超过 {limits.cells:,} 个",
                                               f"the workbook has more than {limits.cells:,} cells")
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
            raise _corrupt(origin, f"{type(exc).__name__}: {exc}") from None


def _tag_chunks(stream):
    """The stream in pieces that never split an XML tag: each piece ends just before
    its last '<', which starts the next one."""
    carry = b""
    while True:
        block = stream.read(_CHUNK)
        if not block:
            if carry:
                yield carry
            return
        buffer = carry + block
        cut = buffer.rfind(b"<")
        if cut <= 0:  # at most one tag, at the start: long enough to be whole by now
            if len(buffer) > 4096:
                yield buffer
                carry = b""
            else:
                carry = buffer
            continue
        yield buffer[:cut]
        carry = buffer[cut:]


def _corrupt(origin: str, detail: str) -> InputError:
    detail = " ".join(detail.split())
    if len(detail) > 300:
        detail = detail[:299] + "…"
    return InputError(
        f"{origin}: .xlsx 文件已损坏或不完整，无法读取（{detail}）",
        f"{origin}: the .xlsx file is damaged or incomplete and cannot be read ({detail})",
    )


def _load(path: Path, origin: str):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # openpyxl warns about extensions it drops (data validation, slicers): not our concern.
            warnings.simplefilter("ignore")
            return load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _corrupt(origin, str(exc) or type(exc).__name__) from None
    except (KeyError, InvalidFileException) as exc:
        raise InputError(
            f"{origin}: 不是有效的 .xlsx 工作簿（缺少工作簿内容：{exc}）",
            f"{origin}: not a valid .xlsx workbook (workbook parts missing: {exc})",
        ) from None
    except OSError as exc:
        raise InputError(
            f"{origin}: 无法读取文件：{exc.strerror or exc}", f"{origin}: cannot read file: {exc.strerror or exc}"
        ) from None
    except ValueError as exc:
        if _caused_by_digits(exc):  # Python's int() refuses a number of more than 4300 digits
            raise InputError(f"{origin}: 工作簿中有位数过多（超过 4300 位）的数值，无法读取",
                             f"{origin}: the workbook holds a number of more than 4300 digits and cannot be read") from None
        raise _corrupt(origin, f"{type(exc).__name__}: {exc}") from None
    except RecursionError:
        raise _corrupt(origin, "nested too deeply") from None
    except MemoryError:  # a file too big for this machine is not a damaged file
        raise InputError(f"{origin}: 内存不足，无法读取工作簿（文件内容过大）",
                         f"{origin}: out of memory while reading the workbook (the file is too large)") from None
    except Exception as exc:  # malformed XML and the like: the file, not the reader, is broken
        raise _corrupt(origin, f"{type(exc).__name__}: {exc}") from None


def _caused_by_digits(exc: BaseException) -> bool:
    """Whether int()'s digit limit is behind an error (openpyxl wraps it in its own)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ValueError) and "digits" in str(exc) and "integer string conversion" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _formulas_without_cache(path: Path) -> list[tuple[str, int, int]]:
    """(sheet, row, column) of every formula cell saved without a <v> cached value."""
    from openpyxl.utils.cell import coordinate_to_tuple

    found: list[tuple[str, int, int]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for sheet, part in _sheet_parts(archive):
                data = archive.read(part)
                if not _HAS_FORMULA.search(data):
                    continue
                for _, element in ElementTree.iterparse(BytesIO(data)):
                    if element.tag != f"{_MAIN_NS}c":
                        continue
                    if element.find(f"{_MAIN_NS}f") is not None and _no_cached_value(element):
                        ref = element.get("r")
                        if ref:
                            found.append((sheet, *coordinate_to_tuple(ref)))
                    element.clear()
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return found  # openpyxl already read the workbook; this check is best effort
    return found


def _no_cached_value(cell) -> bool:
    """No <v>, or an empty one on a cell not typed as a string: openpyxl and scripts write
    formulas as `<f>…</f><v/>`, while Excel writes a cached "" result as t="str" with <v></v>."""
    value = cell.find(f"{_MAIN_NS}v")
    if value is None:
        return True
    return not (value.text or "") and cell.get("t") not in ("str", "s", "inlineStr")


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    main = "xl/workbook.xml"
    try:
        for rel in ElementTree.fromstring(archive.read("_rels/.rels")).iter(f"{_REL_NS}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                main = rel.get("Target", main).lstrip("/")
    except KeyError:
        pass
    base = posixpath.dirname(main)
    rels_part = posixpath.join(base, "_rels", posixpath.basename(main) + ".rels")
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in ElementTree.fromstring(archive.read(rels_part)).iter(f"{_REL_NS}Relationship")
    }
    parts = []
    for sheet in ElementTree.fromstring(archive.read(main)).iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_DOC_REL_NS}id"), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        if part.startswith("xl/worksheets/") or "worksheets" in part:
            parts.append((sheet.get("name", ""), part))
    return parts
