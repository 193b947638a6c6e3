"""Fixture builder: workbooks from dict specs, written into a test's tmp_path.

The base specs are the reference tables as printed (samples/make_workbooks.py: the Anshan
transfer 自评表 and the Quxian 专项预算项目 tables); the functions here make the layout
variations bureaus produce from them: merges removed, a blank column inserted, a column
dropped, rows inserted (a header repeated at a page break), tables stacked, extra sheets,
formulas with and without cached values.

A spec: {"sheets": [{"name", "rows": [[cell, ...], ...], "merges": ["A1:G1", ...]}]}; a cell
is a value or (value, number_format); a string starting with = is a formula."""

from __future__ import annotations

import copy
import importlib.util
import re
import zipfile
from io import BytesIO
from pathlib import Path

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.cell import coordinate_to_tuple

ROOT = Path(__file__).resolve().parents[2]

_loader = importlib.util.spec_from_file_location("selfeval_sample_workbooks", ROOT / "samples" / "make_workbooks.py")
samples = importlib.util.module_from_spec(_loader)
_loader.loader.exec_module(samples)


def anshan() -> dict:
    return samples.anshan_spec()


def monitoring() -> dict:
    return samples.monitoring_center_spec()


def experts() -> dict:
    return samples.experts_spec()


def write(tmp_path: Path, name: str, spec: dict, cached: dict[tuple[str, str], str] | None = None) -> Path:
    """Write spec to tmp_path/name. `cached` gives formula cells a cached value, as Excel
    would have saved it ({("自评表", "F7"): "1000.5"}); openpyxl itself writes none."""
    path = tmp_path / name
    samples.write_workbook(spec, path)
    if cached:
        _inject_cached(path, spec, cached)
    return path


def _inject_cached(path: Path, spec: dict, cached: dict[tuple[str, str], str]) -> None:
    names = [sheet["name"] for sheet in spec["sheets"]]
    out = BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match:
                sheet = names[int(match.group(1)) - 1]
                for (name, ref), value in cached.items():
                    if name == sheet:
                        # openpyxl writes an empty value as <v/> through ElementTree, <v></v> through lxml
                        pattern = rf'<c r="{ref}"([^>]*)>(<f>[^<]*</f>)(?:<v ?/>|<v></v>)'.encode()
                        # an empty cached result is a string result, as Excel saves =IF(…,"",…)
                        kind = b' t="str"' if value == "" else b""
                        repl = b'<c r="' + ref.encode() + b'"' + kind + rb"\1>\2<v>" + value.encode() + b"</v>"
                        data, count = re.subn(pattern, repl, data)
                        assert count == 1, f"no formula at {sheet}!{ref}"
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())


# --- spec transforms -------------------------------------------------------------------------

def sheet(spec: dict, index: int = 0) -> dict:
    return spec["sheets"][index]


def set_cell(sheet_spec: dict, ref: str, value) -> None:
    row, col = coordinate_to_tuple(ref)
    rows = sheet_spec["rows"]
    while len(rows) < row:
        rows.append([])
    line = rows[row - 1]
    while len(line) < col:
        line.append(None)
    line[col - 1] = value


def unmerge(spec: dict) -> dict:
    spec = copy.deepcopy(spec)
    for sheet_spec in spec["sheets"]:
        sheet_spec["merges"] = []
    return spec


def _range(min_col, min_row, max_col, max_row) -> str:
    return f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"


def insert_column(spec: dict, col: int, index: int = 0) -> dict:
    """A blank column before column `col` (1-based), as when someone inserts one."""
    spec = copy.deepcopy(spec)
    sheet_spec = sheet(spec, index)
    for line in sheet_spec["rows"]:
        if len(line) >= col:
            line.insert(col - 1, None)
    merges = []
    for rng in sheet_spec.get("merges", []):
        min_col, min_row, max_col, max_row = range_boundaries(rng)
        if min_col >= col:
            min_col, max_col = min_col + 1, max_col + 1
        elif max_col >= col:
            max_col += 1
        merges.append(_range(min_col, min_row, max_col, max_row))
    sheet_spec["merges"] = merges
    sheet_spec.pop("widths", None)
    return spec


def delete_column(spec: dict, col: int, index: int = 0) -> dict:
    """The template without column `col`: the table simply lacks that column."""
    spec = copy.deepcopy(spec)
    sheet_spec = sheet(spec, index)
    for line in sheet_spec["rows"]:
        if len(line) >= col:
            del line[col - 1]
    merges = []
    for rng in sheet_spec.get("merges", []):
        min_col, min_row, max_col, max_row = range_boundaries(rng)
        if min_col == max_col == col:
            continue
        if min_col > col:
            min_col -= 1
        if max_col >= col:
            max_col -= 1
        if (min_col, min_row) != (max_col, max_row):
            merges.append(_range(min_col, min_row, max_col, max_row))
    sheet_spec["merges"] = merges
    sheet_spec.pop("widths", None)
    return spec


def insert_rows(spec: dict, row: int, new_rows: list[list], index: int = 0) -> dict:
    """Rows inserted before row `row` (1-based); merges below move down."""
    spec = copy.deepcopy(spec)
    sheet_spec = sheet(spec, index)
    sheet_spec["rows"][row - 1:row - 1] = copy.deepcopy(new_rows)
    n = len(new_rows)
    merges = []
    for rng in sheet_spec.get("merges", []):
        min_col, min_row, max_col, max_row = range_boundaries(rng)
        if min_row >= row:
            min_row, max_row = min_row + n, max_row + n
        elif max_row >= row:
            max_row += n
        merges.append(_range(min_col, min_row, max_col, max_row))
    sheet_spec["merges"] = merges
    sheet_spec.pop("table_rows", None)
    return spec


def stack(first: dict, second: dict, gap: int = 2, drop_rows_of_second: int = 0) -> tuple[dict, int]:
    """Both tables on the first sheet, the second `gap` blank rows below the first.
    Returns the spec and the row the second table starts on."""
    spec = copy.deepcopy(first)
    top, bottom = sheet(spec), copy.deepcopy(sheet(second))
    lower_rows = bottom["rows"][drop_rows_of_second:]
    offset = len(top["rows"]) + gap - drop_rows_of_second
    top["rows"] = top["rows"] + [[] for _ in range(gap)] + lower_rows
    for rng in bottom.get("merges", []):
        min_col, min_row, max_col, max_row = range_boundaries(rng)
        if min_row > drop_rows_of_second:
            top["merges"].append(_range(min_col, min_row + offset, max_col, max_row + offset))
    top.pop("table_rows", None)
    return spec, offset + drop_rows_of_second + 1


def add_sheet(spec: dict, name: str, rows: list[list]) -> dict:
    spec = copy.deepcopy(spec)
    spec["sheets"].append({"name": name, "rows": rows, "merges": []})
    return spec


def project_spec() -> dict:
    """A 项目支出绩效自评表 (GUIDE 1b) with what the Quxian tables lack: a split 年初预算数
    header, scoring columns, four indicator levels with (50分) group weights, a group row,
    a `/` section row, a 合计 row with a grade, 说明 filled, and troublesome cell values
    (thousands separators, full-width digits, percent formats, Excel errors, formulas)."""
    rows = [
        ["项目支出绩效自评表"],
        ["（2024年度）"],
        ["项目名称", None, "应急救援队伍建设"],
        ["主管部门", None, "渠县应急管理局", None, None, "实施单位", None, "渠县安全生产事务中心"],
        ["项目资金（万元）", None, "年初预算数", None, "全年预算数", "全年执行数", "分值", "执行率", "得分", "偏差原因分析及改进措施"],
        [None, None, "目标申报数", "预算编制数"],
        [None, "年度资金总额", 120, 120, "1,234.50", "=F8+F9", 10, (0.8105, "0.00%"), "=G7*H7", "部分装备采购延至次年"],
        [None, "其中：财政拨款", "１２０", 100, 1000, 800.5, None, (0.8005, "0.00%")],
        [None, "其他资金", None, 20, 234.5, 200, None, "#DIV/0!"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "四级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        [None, "产出指标（50分）", "数量指标（30分）", "队伍建设", "支持建设国家矿山应急救援队伍（支）", "≥ 3", 3, 15, 15],
        [None, None, None, None, "培训人次", "≥500人次", "520人次", 15, 15],
        [None, None, "质量指标（20分）", "装备达标", "装备达标率", (0.95, "0%"), (0.9, "0%"), 20, 18.95, "部分装备未到货"],
        [None, None, "时效指标", "/", "/", "/", "/"],
        [None, "效益指标（30分）", "社会效益指标", "救援能力", "救援响应时间", "< 2 小时", "1.5小时", 30, 30],
        [None, "满意度指标（10分）", None, None, None, None, None, 10, 9],
        [None, None, "服务对象满意度指标", "群众满意度", "群众满意度", "≥90%", "#VALUE!", 10, 9],
        [None, "合计", None, None, None, None, None, 100, 96.95, "优"],
        ["说明", None, "无"],
    ]
    merges = [
        "A1:J1", "A2:J2", "A3:B3", "C3:J3", "A4:B4", "C4:E4", "F4:G4", "H4:J4",
        "A5:A9", "B5:B6", "C5:D5", "E5:E6", "F5:F6", "G5:G6", "H5:H6", "I5:I6", "J5:J6", "G7:G9", "I7:I9", "J7:J9",
        "A10:A18", "B11:B14", "C11:C12", "D11:D12", "B16:B17", "B18:G18", "A19:B19", "C19:J19",
    ]
    return {"sheets": [{"name": "项目自评表", "rows": rows, "merges": merges}]}


def write_xls(tmp_path: Path, name: str, spec: dict) -> Path:
    """Write spec as an Excel 97–2003 workbook (BIFF8, with xlwt). A cell (value, format)
    keeps its number format; a string naming an Excel error (#DIV/0!) is written as an
    error cell; formulas are written as their text (BIFF stores a result with each)."""
    import datetime as dt

    import xlwt

    # BIFF error codes (xlwt's own table names #N/A "#N/A!" and gives #VALUE! the code of #NUM!)
    errors = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}

    book = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, xlwt.XFStyle] = {}

    def style(fmt: str | None) -> xlwt.XFStyle:
        fmt = fmt or "General"
        if fmt not in styles:
            styles[fmt] = xlwt.easyxf(num_format_str=fmt)
        return styles[fmt]

    for sheet_spec in spec["sheets"]:
        ws = book.add_sheet(sheet_spec["name"])
        merged: set[tuple[int, int]] = set()
        for rng in sheet_spec.get("merges", []):
            min_col, min_row, max_col, max_row = range_boundaries(rng)
            first = sheet_spec["rows"][min_row - 1][min_col - 1] if len(sheet_spec["rows"]) >= min_row and len(sheet_spec["rows"][min_row - 1]) >= min_col else None
            value, fmt = first if isinstance(first, tuple) else (first, None)
            ws.write_merge(min_row - 1, max_row - 1, min_col - 1, max_col - 1, "" if value is None else value, style(fmt))
            merged |= {(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)}
        for r, line in enumerate(sheet_spec["rows"], start=1):
            for c, cell in enumerate(line, start=1):
                if cell is None or (r, c) in merged:
                    continue
                value, fmt = cell if isinstance(cell, tuple) else (cell, None)
                if isinstance(value, str) and value in errors:
                    ws.row(r - 1).set_cell_error(c - 1, errors[value], style(fmt))
                elif isinstance(value, (dt.date, dt.datetime)):
                    ws.write(r - 1, c - 1, value, style(fmt or "yyyy-mm-dd"))
                else:
                    ws.write(r - 1, c - 1, value, style(fmt))
    path = tmp_path / name
    book.save(str(path))
    return path
