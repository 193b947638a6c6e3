"""Workbooks (.xlsx / .xlsm): each sheet as a grid of the texts its cells show, with its
merged ranges (read/grid.py, read/cells.py). Which tables a grid holds is not decided here.

The package is read with expat, one streaming pass per part: the workbook (sheet names,
the 1904 date system), the number formats of styles.xml, the shared strings, then each
sheet. That is all a grid needs, and it takes a millisecond or two where loading the
workbook with openpyxl took 25 ms (benchmarks/run.py --workbooks). A cell reads as
openpyxl read it with cached formula values (the differential test in
tests/xlsx/test_equivalence.py holds the two together); merged ranges stay ranges, and a
formula saved without a cached value is noted for XL002 in the same pass.

Before anything is parsed the file is checked against the limits (read/archive.py): size,
a zip bomb's sizes and ratios, DTDs, the number of sheets, and the number of cells,
counting every cell a merged range covers."""

from __future__ import annotations

import io
import posixpath
import re
import sys
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.parsers import expat

from validator import limits as _limits
from validator.errors import InputError
from validator.read import Workbook
from validator.read import archive as _archive
from validator.read.cells import MAC_EPOCH, WINDOWS_EPOCH, cell_text, from_excel, is_date_format, is_timedelta_format
from validator.read.grid import Grid, Merge, column_index

# A cell, a sheet and a merged range, with or without a namespace prefix (<c r="A1">, <x:c …>).
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet[\s>/]")
# The same counts, found faster: a pattern that opens with a literal is searched for by
# its literal, one that may open with a prefix is tried at every '<'. So the plain forms are
# counted with the first two, and the prefixed ones only in a piece that holds `:c` or
# `:sheet` at all (in a real workbook, the theme and the document properties).
_PLAIN_CELL_TAG = re.compile(rb"<c[\s>/]")
_PLAIN_SHEET_TAG = re.compile(rb"<sheet[\s>/]")
_PREFIXED_CELL_TAG = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s>/]")
_PREFIXED_SHEET_TAG = re.compile(rb"<[A-Za-z_][\w.-]*:sheet[\s>/]")
_MERGE_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_RANGE = re.compile(r"\s*\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?\s*")
_ISO = re.compile(r"(?:(\d{4})-(\d{2})-(\d{2}))?T?(?:(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?Z?")

_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)
# Excel's built-in number formats (ECMA-376 §18.8.30), with the zh-CN ones for 27–36 and
# 50–58 that Chinese Excel and WPS refer to by number alone.
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)', 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)', 44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
    50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"', 54: 'm"月"d"日"',
    55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}


class _Broken(Exception):
    """A part that does not hold what its type says (a bad number, an unknown string)."""


def read_workbook(path: Path, limits: _limits.Limits | None = None) -> Workbook:
    limits = limits or _limits.current()
    origin = str(path)
    _check_file(path, origin, limits)
    counter = _Counter(origin, limits)
    archive = _archive.open_checked(path, origin, limits, _archive.WORKBOOK, counter)
    with archive:
        try:
            return _read(archive, origin, counter.ranges, counter.kept)
        except InputError:
            raise
        except KeyError as exc:
            raise InputError(
                f"{origin}: 不是有效的 .xlsx 工作簿（缺少工作簿内容：{exc}）",
                f"{origin}: not a valid .xlsx workbook (workbook parts missing: {exc})",
            ) from None
        except RecursionError:
            raise _archive.corrupt(origin, "nested too deeply") from None
        except MemoryError:  # a file too big for this machine is not a damaged file
            raise InputError(f"{origin}: 内存不足，无法读取工作簿（文件内容过大）",
                             f"{origin}: out of memory while reading the workbook (the file is too large)") from None
        except (_Broken, expat.ExpatError, IndexError, LookupError, *_archive.ZIP_ERRORS) as exc:
            # LookupError: a part that declares an encoding Python has no codec for
            raise _archive.corrupt(origin, f"{type(exc).__name__}: {exc}") from None


def _check_file(path: Path, origin: str, limits: _limits.Limits) -> None:
    head, _ = _archive.read_head(path, origin, limits.xlsx_size, "xlsx_size", _archive.WORKBOOK)
    if head.startswith(_archive.OLE_MAGIC):
        if _archive.ole_has_stream(path, "EncryptedPackage"):
            raise InputError(
                f"{origin}: 工作簿设有打开密码（已加密），无法读取；请在 Excel 中取消密码后另存为 .xlsx",
                f"{origin}: the workbook is password-protected (encrypted) and cannot be read; remove the password in Excel and save it as .xlsx",
            )
        raise InputError(
            f"{origin}: 文件是旧版 Excel（.xls）或加密的工作簿，不是 .xlsx；请把扩展名改为 .xls，或在 Excel 中另存为 .xlsx（如设有密码请先取消）",
            f"{origin}: the file is an old Excel (.xls) or an encrypted workbook, not .xlsx; rename it to .xls, or save it as .xlsx in Excel (removing any password first)",
        )
    if not head.startswith(b"PK"):
        raise InputError(
            f"{origin}: 不是有效的 .xlsx 工作簿（可能是改了扩展名的其他文件）",
            f"{origin}: not a valid .xlsx workbook (perhaps another kind of file renamed to .xlsx)",
        )


# What the limit check keeps of a workbook's parts for the reading that follows.
_KEEP_BYTES = 4 * 1024 * 1024


class _Counter:
    """Counts sheets and cells while the archive streams, a merged range counting every
    cell it covers: a single `A1:XFD1048576` is 17 billion cells, refused here rather
    than allocated."""

    def __init__(self, origin: str, limits: _limits.Limits):
        self.origin, self.limits = origin, limits
        self.sheets = self.cells = 0
        # Each merged range read here, by its text: the sheet's own reading finds it again.
        self.ranges: dict[str, Merge | None] = {}
        # The parts as inflated here, while they are small: reading them again would only
        # inflate them again.
        self.kept: dict[str, list[bytes]] = {}
        self._kept_size = 0

    def __call__(self, member: str, chunk: bytes) -> None:
        limits = self.limits
        kept = self.kept.get(member)
        if kept is None and member not in self.kept:
            kept = self.kept[member] = []
        if kept is not None:
            if self._kept_size + len(chunk) <= _KEEP_BYTES:
                kept.append(chunk)
                self._kept_size += len(chunk)
            else:
                self._kept_size -= sum(map(len, kept))
                self.kept[member] = None  # read from the archive again
        self.sheets += len(_PLAIN_SHEET_TAG.findall(chunk))
        self.cells += len(_PLAIN_CELL_TAG.findall(chunk))
        if b":sheet" in chunk:
            self.sheets += len(_PREFIXED_SHEET_TAG.findall(chunk))
        if b":c" in chunk:
            self.cells += len(_PREFIXED_CELL_TAG.findall(chunk))
        first = chunk.find(b"mergeCell")
        if first >= 0:
            ranges = self.ranges
            # Every match holds "mergeCell" and opens at the '<' before it.
            for ref in _MERGE_REF.findall(chunk, max(chunk.rfind(b"<", 0, first), 0)):
                text = ref.decode("ascii", "replace")
                merge = ranges[text] = ranges[text] if text in ranges else parse_range(text)
                self.cells += merge.size if merge else 1
        if self.sheets > limits.sheets:
            raise _archive.limit_error(self.origin, "sheets", limits.sheets, f"工作簿的工作表超过 {limits.sheets:,} 个",
                                       f"the workbook has more than {limits.sheets:,} sheets")
        if self.cells > limits.cells:
            raise _archive.limit_error(self.origin, "cells", limits.cells,
                                       f"工作簿的单元格（合并单元格按其覆盖的格数计）超过 {limits.cells:,} 个",
                                       f"the workbook has more than {limits.cells:,} cells (a merged range counts every cell it covers)")


def parse_range(ref: str) -> Merge | None:
    """`B3:D5` → Merge(3, 2, 5, 4); `B3` → a one-cell range; None when not a range."""
    m = _RANGE.fullmatch(ref)
    if m is None:
        return None
    letters1, r1, letters2, r2 = m.groups()
    r1, c1 = int(r1), column_index(letters1.upper())
    if letters2 is None:
        return Merge(r1, c1, r1, c1)
    r2, c2 = int(r2), column_index(letters2.upper())
    return Merge(r1 if r1 < r2 else r2, c1 if c1 < c2 else c2, r2 if r1 < r2 else r1, c2 if c1 < c2 else c1)


# --- the package -----------------------------------------------------------------------------

def _parser(start=None, end=None, chars=None) -> expat.XMLParserType:
    """An expat parser that refuses DTDs outright (the archive check already has) and
    keeps consecutive text in one piece."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def no_dtd(*_):
        raise _Broken("DTD in a workbook part")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if chars:
        parser.CharacterDataHandler = chars
    return parser


def _local(name: str) -> str:
    return name[name.find(":") + 1:]


def _elements(data: bytes, wanted: set[str]) -> list[tuple[str, dict]]:
    """(local name, attributes) of the elements named in `wanted`, in document order."""
    found: list[tuple[str, dict]] = []

    def start(name, attrs):
        tag = _local(name)
        if tag in wanted:
            found.append((tag, attrs))

    _parser(start).Parse(data, True)
    return found


def _attr(attrs: dict, local: str) -> str | None:
    """An attribute by its local name, whatever prefix it has (r:id, ns1:id)."""
    for key, value in attrs.items():
        if key == local or key.endswith(":" + local):
            return value
    return None


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(id, type, resolved target) of a part's relationships; none when it has no .rels."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    try:
        data = archive.read(rels)
    except KeyError:
        return []
    return [(a.get("Id", ""), a.get("Type", ""), _resolve(part, a.get("Target", "")))
            for _, a in _elements(data, {"Relationship"}) if a.get("TargetMode") != "External"]


def _workbook_part(archive: zipfile.ZipFile) -> str:
    try:
        types = archive.read("[Content_Types].xml")
    except KeyError:
        types = None
    if types is not None:
        for _, attrs in _elements(types, {"Override"}):
            if attrs.get("ContentType") in _MAIN_TYPES:
                return attrs.get("PartName", "").lstrip("/")
    for _, kind, target in _relationships(archive, ""):
        if kind.endswith("/officeDocument"):
            return target
    if types is None:
        raise KeyError("[Content_Types].xml")
    return "xl/workbook.xml"


def _open(archive: zipfile.ZipFile, name: str, kept: dict):
    """A part to read: from what the limit check kept of it, or from the archive."""
    chunks = kept.get(name)
    if chunks is not None:
        return io.BytesIO(b"".join(chunks))
    return archive.open(name)


def _read(archive: zipfile.ZipFile, origin: str, ranges: dict | None = None, kept: dict | None = None) -> Workbook:
    main = _workbook_part(archive)
    listed = archive.namelist()
    names = set(listed)
    if kept is None or len(names) != len(listed):
        kept = {}  # two parts of one name: which one the archive opens is its own affair
    book = _elements(archive.read(main), {"sheet", "workbookPr"})
    epoch = WINDOWS_EPOCH
    for tag, attrs in book:
        if tag == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
            epoch = MAC_EPOCH
    rels = {rid: (kind, target) for rid, kind, target in _relationships(archive, main)}
    by_type = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
    strings = _shared_strings(archive, by_type.get("sharedStrings", posixpath.join(posixpath.dirname(main), "sharedStrings.xml")), names, kept)
    styles = _styles(archive, by_type.get("styles", posixpath.join(posixpath.dirname(main), "styles.xml")), names, kept)
    grids: list[Grid] = []
    uncached: list[tuple[str, int, int]] = []
    for tag, attrs in book:
        if tag != "sheet":
            continue
        kind, target = rels.get(_attr(attrs, "id") or "", ("", ""))
        if not target or target not in names or "chartsheet" in kind:
            continue  # a chart sheet, or a sheet whose part is missing: nothing to read
        name = attrs.get("name", "")
        with _open(archive, target, kept) as stream:
            texts, merges, formulas = _read_sheet(stream, strings, styles, epoch, origin, ranges if ranges is not None else {})
        grids.append(Grid.build(name, texts, merges))
        uncached.extend((name, row, col) for row, col in formulas)
    return Workbook(origin=origin, sheets=grids, uncached_formulas=uncached)


def _shared_strings(archive: zipfile.ZipFile, part: str, names: set[str], kept: dict | None = None) -> list[str]:
    """Each <si> as its plain text: its runs joined, phonetic guides (<rPh>) left out."""
    if part not in names:
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"t": False, "rph": 0}

    def start(name, attrs):
        tag = _local(name)
        if tag == "t":
            state["t"] = not state["rph"]
        elif tag == "si":
            parts.clear()
        elif tag == "rPh":
            state["rph"] += 1

    def end(name):
        tag = _local(name)
        if tag == "t":
            state["t"] = False
        elif tag == "si":
            strings.append("".join(parts).replace("x005F_", ""))
        elif tag == "rPh":
            state["rph"] -= 1

    def chars(data):
        if state["t"]:
            parts.append(data)

    with _open(archive, part, kept or {}) as stream:
        _parser(start, end, chars).ParseFile(stream)
    return strings


class _Styles:
    """Per cell style (the s attribute): its number format, and whether it shows a date
    or a duration."""

    def __init__(self, formats: list[str]):
        self.formats = formats
        self.dates = {i for i, f in enumerate(formats) if is_date_format(f)}
        self.durations = {i for i, f in enumerate(formats) if is_timedelta_format(f)}

    def format(self, index: int) -> str:
        return self.formats[index] if 0 <= index < len(self.formats) else "General"


def _styles(archive: zipfile.ZipFile, part: str, names: set[str], kept: dict | None = None) -> _Styles:
    if part not in names:
        return _Styles([])
    custom: dict[int, str] = {}
    formats: list[str] = []
    depth = {"cellXfs": 0}

    def start(name, attrs):
        tag = _local(name)
        if tag == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "General")
            except ValueError:
                pass
        elif tag == "cellXfs":
            depth["cellXfs"] += 1
        elif tag == "xf" and depth["cellXfs"]:
            try:
                number = int(attrs.get("numFmtId", "0"))
            except ValueError:
                number = 0
            formats.append(number)

    def end(name):
        if _local(name) == "cellXfs":
            depth["cellXfs"] -= 1

    with _open(archive, part, kept or {}) as stream:
        _parser(start, end).ParseFile(stream)
    return _Styles([custom.get(n) or BUILTIN_FORMATS.get(n, "General") for n in formats])


# --- a sheet ---------------------------------------------------------------------------------

def _read_sheet(stream, strings: list[str], styles: _Styles, epoch, origin: str, ranges: dict | None = None):
    """({(row, col): text}, [Merge], [(row, col) of formulas without a cached value]).
    `ranges`: merged ranges already read, by their text.

    The handlers run once per element of every sheet, so they are written for speed: the
    element names compared as written (a prefixed name is first cut to its local part),
    the cell finished where its element ends, a cell with nothing in it (a styled blank,
    half the cells of a typical form) left as soon as its place is known."""
    ranges = {} if ranges is None else ranges
    texts: dict[tuple[int, int], str] = {}
    merges: list[Merge] = []
    formulas: list[tuple[int, int]] = []
    dates, durations, formats = styles.dates, styles.durations, styles.formats
    n_formats = len(formats)
    columns: dict[str, int] = {}  # column letters → number, for the few letters a sheet uses
    # The cell being read: its attributes, <v> text, <is> text, whether it has a formula.
    attrs_c: dict = {}
    raw: str | None = None
    inline: str | None = None
    formula = False
    value_parts: list[str] = []
    inline_parts: list[str] = []
    collect: list[str] | None = None
    row_no = col_no = rph = 0
    in_inline = False

    def start(name, attrs):
        nonlocal attrs_c, raw, inline, formula, collect, row_no, col_no, rph, in_inline
        if ":" in name:
            name = name[name.find(":") + 1:]
        if name == "c":
            attrs_c, raw, inline, formula = attrs, None, None, False
        elif name == "v":
            value_parts.clear()
            collect = value_parts
        elif name == "row":
            r = attrs.get("r")
            row_no = _row_number(r) if r else row_no + 1
            col_no = 0
        elif name == "f":
            formula = True
        elif name == "is":
            inline_parts.clear()
            in_inline = True
        elif name == "t":
            if in_inline and not rph:
                collect = inline_parts
        elif name == "rPh":
            rph += 1
        elif name == "mergeCell":
            ref = attrs.get("ref", "")
            merge = ranges[ref] if ref in ranges else parse_range(ref)
            if merge is not None:
                merges.append(merge)

    def end(name):
        nonlocal raw, inline, collect, in_inline, rph, col_no
        if ":" in name:
            name = name[name.find(":") + 1:]
        if name == "c":
            ref = attrs_c.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                col = columns.get(letters)
                if col is None:
                    m = _REF.fullmatch(ref)
                    if m is None:
                        raise _Broken(f"cell reference {ref[:20]!r}")
                    col = column_index(m[1].upper())
                    if letters.isalpha():
                        columns[letters] = col
                row = int(ref[len(letters):])
                col_no = col
            else:
                col_no += 1
                row, col = row_no, col_no
            if raw is None and inline is None:
                if formula:
                    formulas.append((row, col))
                texts.pop((row, col), None)  # a later cell of the same reference replaces an earlier one
                return
            kind = attrs_c.get("t", "n")
            if formula and (raw is None or (not raw and kind not in ("str", "s", "inlineStr"))):
                formulas.append((row, col))
            style = attrs_c.get("s")
            style = int(style) if style else 0
            value, data_type = _value(kind, raw or None, inline, style, strings, dates, durations, epoch, origin)
            text = None if value is None else cell_text(value, formats[style] if 0 <= style < n_formats else "General", data_type)
            if text is not None:
                texts[(row, col)] = text
            else:
                texts.pop((row, col), None)
        elif name == "v":
            collect = None
            raw = value_parts[0] if len(value_parts) == 1 else "".join(value_parts)
        elif name == "t":
            collect = None
        elif name == "is":
            in_inline = False
            inline = "".join(inline_parts)
        elif name == "rPh":
            rph -= 1

    def chars(data):
        if collect is not None:
            collect.append(data)

    _parser(start, end, chars).ParseFile(stream)
    return texts, merges, formulas


def _row_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise _Broken(f"row number {text[:20]!r}") from None
        return int(number)


def _value(kind, raw, inline, style, strings, dates, durations, epoch, origin):
    """(value, data type) of a cell, as openpyxl gives them with cached formula values."""
    if kind == "inlineStr":
        return (inline, "s") if inline is not None else (None, "n")
    if raw is None:
        return None, kind
    if kind == "n":
        number = _number(raw, origin)
        if style in dates:
            try:
                as_float = float(number) if isinstance(number, Decimal) else number
                return from_excel(as_float, epoch, timedelta=style in durations), "d"
            except (OverflowError, ValueError):
                return "#VALUE!", "e"  # a serial date beyond the calendar
        return number, "n"
    if kind == "s":
        return strings[int(raw)], "s"
    if kind == "b":
        return bool(int(raw)), "b"
    if kind == "str":
        return raw, "s"
    if kind == "d":
        return _iso(raw), "d"
    return raw, kind


def _number(raw: str, origin: str):
    if "." in raw or "e" in raw or "E" in raw:
        number = float(raw)
        if number in (float("inf"), float("-inf")):
            # Beyond what a double holds (Excel never writes one): keep the number written,
            # so that it is reported as out of range (SC003).
            try:
                exact = Decimal(raw.strip())
            except InvalidOperation:
                return number
            return exact if exact.is_finite() else number
        return number
    try:
        return int(raw)
    except ValueError:
        if len(raw.strip().lstrip("+-")) > sys.get_int_max_str_digits() and raw.strip().lstrip("+-").isdigit():
            raise InputError(f"{origin}: 工作簿中有位数过多（超过 4300 位）的数值，无法读取",
                             f"{origin}: the workbook holds a number of more than 4300 digits and cannot be read") from None
        raise


def _iso(text: str):
    import datetime as dt

    m = _ISO.fullmatch(text.strip())
    if m is None or not any(m.groups()):
        raise _Broken(f"date {text[:30]!r}")
    year, month, day, hour, minute, second, fraction = m.groups()
    micro = int(float(fraction) * 1_000_000) if fraction else 0
    if year is None:
        return dt.time(int(hour), int(minute), int(second or 0), micro)
    if hour is None:
        return dt.date(int(year), int(month), int(day))
    return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro)
