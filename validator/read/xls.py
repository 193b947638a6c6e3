"""Old Excel workbooks (.xls, BIFF8 as Excel 97–2003 and WPS write it): each sheet as a
grid of the texts its cells show, with its merged ranges, as for .xlsx.

xlrd reads the cells with their number formats and error codes, so 13.6 under 0.00 reads
"13.60" and #DIV/0! stays an error, exactly as in a .xlsx (python-calamine, also able to
read .xls, drops both: every error cell reads as '' and every number as its bare float).
When a file's formats cannot be read (a damaged or very old format table), the cells are
read without them and the workbook carries an XL004 notice: printed precision then falls
back to the digits stored.

Before xlrd builds anything, the BIFF records are walked once to count sheets and cells
(a merged range counting every cell it covers) against the limits, and to find the
FILEPASS record of a password-protected file."""

from __future__ import annotations

import io
import struct
from pathlib import Path

from validator import limits as _limits
from validator.errors import InputError
from validator.read import ReaderNotice, Workbook
from validator.read import archive as _archive
from validator.read.cells import MAC_EPOCH, WINDOWS_EPOCH, cell_text, from_excel, is_date_format, is_timedelta_format
from validator.read.grid import Grid, Merge

XLS = _archive.Kind("工作簿", "workbook", ".xls")

# BIFF record types (MS-XLS 2.3)
_ONE_CELL = {0x0201, 0x0203, 0x0204, 0x0205, 0x0006, 0x027E, 0x00FD, 0x00D6}  # BLANK NUMBER LABEL BOOLERR FORMULA RK LABELSST RSTRING
_MULRK, _MULBLANK, _MERGEDCELLS, _BOUNDSHEET, _FILEPASS = 0x00BD, 0x00BE, 0x00E5, 0x0085, 0x002F

_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A",
           0x2B: "#GETTING_DATA"}


def read_xls(path: Path, limits: _limits.Limits | None = None) -> Workbook:
    limits = limits or _limits.current()
    origin = str(path)
    head, _ = _archive.read_head(path, origin, limits.xlsx_size, "xlsx_size", XLS)
    if head.startswith(b"PK"):
        raise InputError(
            f"{origin}: 文件是 .xlsx 工作簿，不是旧版 .xls；请把扩展名改为 .xlsx",
            f"{origin}: the file is an .xlsx workbook, not an old .xls; rename it to .xlsx",
        )
    if not head.startswith(_archive.OLE_MAGIC):
        raise InputError(
            f"{origin}: 不是有效的 .xls 工作簿（可能是改了扩展名的其他文件）",
            f"{origin}: not a valid .xls workbook (perhaps another kind of file renamed to .xls)",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _archive.cannot_read(origin, exc) from None
    stream = _parse(lambda: _workbook_stream(data), origin)
    if stream is None:
        if _archive.ole_has_stream(path, "EncryptedPackage"):
            raise _encrypted(origin)
        raise InputError(
            f"{origin}: 文件不是 Excel 工作簿（可能是改了扩展名的 Word 等文件）",
            f"{origin}: the file is not an Excel workbook (perhaps a Word or other Office file renamed to .xls)",
        )
    _prescan(stream, origin, limits)
    notices: list[ReaderNotice] = []
    try:
        book = _parse(lambda: _open(data, formats=True), origin)
    except InputError as exc:
        if "设有打开密码" in exc.message:
            raise
        # a format table xlrd cannot read: the cells may still read without it
        book = _parse(lambda: _open(data, formats=False), origin)
        notices.append(_formats_lost())
    with book:
        return _parse(lambda: _workbook(book, origin, notices), origin)


def _open(data: bytes, formats: bool):
    import xlrd

    return xlrd.open_workbook(file_contents=data, formatting_info=formats, ragged_rows=True, logfile=io.StringIO())


def _parse(step, origin: str):
    """One step of reading an .xls. xlrd is a pure-Python parser of a binary format:
    on a damaged or hostile file it fails with whatever its code meets (a codec that
    does not exist, an index past the end, a directory that points at itself and
    recurses without end), so any error it raises means the file cannot be read."""
    import xlrd

    try:
        return step()
    except InputError:
        raise
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise _encrypted(origin) from None
        raise _archive.corrupt(origin, str(exc), XLS) from None
    except MemoryError:
        raise InputError(f"{origin}: 工作簿内容过大，内存不足，无法读取", f"{origin}: the workbook is too large to read (out of memory)") from None
    except Exception as exc:  # noqa: BLE001 — see the docstring
        raise _archive.corrupt(origin, f"{type(exc).__name__}: {exc}", XLS) from None


def _encrypted(origin: str) -> InputError:
    return InputError(
        f"{origin}: 工作簿设有打开密码（已加密），无法读取；请在 Excel 中取消密码后另存为 .xlsx",
        f"{origin}: the workbook is password-protected (encrypted) and cannot be read; remove the password in Excel and save it as .xlsx",
    )


def _formats_lost() -> ReaderNotice:
    return ReaderNotice(
        code="XL004", severity="info",
        message="旧版 Excel（.xls）文件的数字格式无法读取：数值按存储的数字显示，打印的小数位（如 0.00）未保留；另存为 .xlsx 后检查更准确",
        message_en="the number formats of this old Excel file (.xls) cannot be read: numbers show the digits stored, not the decimals printed (such as 0.00); save it as .xlsx for a more exact check",
    )


def _workbook_stream(data: bytes) -> bytes | None:
    from xlrd.compdoc import CompDoc

    doc = CompDoc(data, logfile=io.StringIO())
    for name in ("Workbook", "Book"):
        stream = doc.get_named_stream(name)
        if stream is not None:
            return bytes(stream)
    return None


def _prescan(stream: bytes, origin: str, limits: _limits.Limits) -> None:
    """Count sheets and cells from the BIFF records, before xlrd builds anything."""
    sheets = cells = 0
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        pos = body + size
        if kind in _ONE_CELL:
            cells += 1
        elif kind == _MULRK:
            cells += max(0, (size - 6) // 6)
        elif kind == _MULBLANK:
            cells += max(0, (size - 6) // 2)
        elif kind == _MERGEDCELLS and size >= 2:
            (count,) = struct.unpack_from("<H", stream, body)
            for i in range(min(count, (size - 2) // 8)):
                first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", stream, body + 2 + 8 * i)
                cells += (abs(last_row - first_row) + 1) * (abs(last_col - first_col) + 1)
        elif kind == _BOUNDSHEET:
            sheets += 1
        elif kind == _FILEPASS:
            raise _encrypted(origin)
        if sheets > limits.sheets:
            raise _archive.limit_error(origin, "sheets", limits.sheets, f"工作簿的工作表超过 {limits.sheets:,} 个",
                                       f"the workbook has more than {limits.sheets:,} sheets")
        if cells > limits.cells:
            raise _archive.limit_error(origin, "cells", limits.cells,
                                       f"工作簿的单元格（合并单元格按其覆盖的格数计）超过 {limits.cells:,} 个",
                                       f"the workbook has more than {limits.cells:,} cells (a merged range counts every cell it covers)")


def _workbook(book, origin: str, notices: list[ReaderNotice]) -> Workbook:
    import xlrd

    epoch = MAC_EPOCH if book.datemode == 1 else WINDOWS_EPOCH
    formats: dict[int, str] = {}
    if book.formatting_info:
        for index, xf in enumerate(book.xf_list):
            fmt = book.format_map.get(xf.format_key)
            formats[index] = fmt.format_str if fmt is not None else "General"
    grids = []
    for sheet in book.sheets():
        texts: dict[tuple[int, int], str] = {}
        for r in range(sheet.nrows):
            types = sheet.row_types(r)
            values = sheet.row_values(r)
            for c, (kind, value) in enumerate(zip(types, values)):
                if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                fmt = formats.get(sheet.cell_xf_index(r, c), "General") if formats else "General"
                text = _text(kind, value, fmt, epoch)
                if text is not None:
                    texts[(r + 1, c + 1)] = text
        merges = [Merge(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells if rhi > rlo and chi > clo]
        grids.append(Grid.build(sheet.name, texts, merges))
    return Workbook(origin=origin, sheets=grids, notices=notices)


def _text(kind: int, value, fmt: str, epoch) -> str | None:
    import xlrd

    if kind == xlrd.XL_CELL_TEXT:
        return cell_text(value, fmt, "s")
    if kind in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
        # the same test of the format as for .xlsx decides what is a date
        if not is_date_format(fmt):
            return cell_text(_integral(value), fmt, "n")
        try:
            return cell_text(from_excel(value, epoch, timedelta=is_timedelta_format(fmt)), fmt, "d")
        except (OverflowError, ValueError):
            return "#VALUE!"
    if kind == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(value), fmt, "b")
    if kind == xlrd.XL_CELL_ERROR:
        return _ERRORS.get(value, "#VALUE!")
    return None


def _integral(value: float):
    """A stored 157.0 as the 157 a .xlsx holds: the same text either way, and an integer
    beyond 15 digits keeps the digits the double has."""
    return int(value) if value == value and abs(value) < 2**53 and value == int(value) else value
