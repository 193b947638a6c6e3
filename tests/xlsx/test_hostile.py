"""Hostile and absurd workbooks: merged-cell bombs are refused (or read) without a cell
object per merged cell, and numbers too large to compute with become SC003 findings on
their cells, whatever their number format."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from validator import Validator
from validator.errors import InputError
from validator.limits import Limits
from validator.read import read_file
from validator.submission import load_documents

from . import build

SAMPLE = build.ROOT / "samples" / "anshan-2024-transfer.xlsx"


def patched(tmp_path: Path, name: str, change, source: Path = SAMPLE) -> Path:
    """A copy of a workbook with its first sheet's XML changed by `change(xml) -> xml`."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            dst.writestr(info.filename, data)
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def with_merges(refs: list[str]):
    extra = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs).encode()
    return lambda xml: xml.replace(b"</mergeCells>", extra + b"</mergeCells>", 1)


def overlapping(count: int, size: int, top: int = 100) -> list[str]:
    """`count` merges of size×size cells, each one row and column below the last."""
    from validator.read.grid import coordinate

    return [f"{coordinate(top + i % 200, 1 + i % 50)}:{coordinate(top + i % 200 + size - 1, i % 50 + size)}" for i in range(count)]


def peak_mib(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_whole_sheet_merge_is_refused_by_the_cells_limit(tmp_path):
    path = patched(tmp_path, "bomb.xlsx", with_merges(["A1:XFD1048576"]))
    with pytest.raises(InputError) as caught:
        load_documents(path)
    assert "超过限制 cells=2,000,000" in caught.value.message
    assert "合并单元格" in caught.value.message and "merged range" in caught.value.message_en
    assert "\n" not in caught.value.message


def test_whole_sheet_merge_under_a_raised_limit_is_a_range_not_cells(tmp_path):
    path = patched(tmp_path, "bomb.xlsx", with_merges(["A1:XFD1048576"]))
    limits = Limits(cells=20_000_000_000)
    peak = peak_mib(lambda: read_file(path, limits))
    [grid] = read_file(path, limits).sheets
    # As in Excel, the merge hides every cell but its first; it marks no table structure.
    assert list(grid.texts) == [(1, 1)]
    assert grid.merge_at(1_000_000, 16_000) is None
    assert peak < 20, f"{peak:.1f} MiB"


def test_thousands_of_overlapping_merges(tmp_path):
    refs = overlapping(3_000, 20)  # 1.2 million cells counted, below the limit
    path = patched(tmp_path, "overlap.xlsx", with_merges(refs))
    peak = peak_mib(lambda: load_documents(path))
    assert peak < 40, f"{peak:.1f} MiB"  # a cell object per merged cell was hundreds of MiB
    # far below the table, the merges change nothing it reads
    [plain] = load_documents(SAMPLE)
    [loaded] = load_documents(path)
    assert loaded.data == plain.data
    [grid] = read_file(path).sheets
    # of overlapping ranges, the one listed last answers
    assert grid.merge_at(100 + 199, 50 + 19) is not None
    last = grid.merge_at(120, 30)
    assert (last.min_row, last.min_col) == max(
        ((m.min_row, m.min_col) for m in grid.merges if m.covers(120, 30)),
        key=lambda rc: next(i for i, m in enumerate(grid.merges) if (m.min_row, m.min_col) == rc))
    with pytest.raises(InputError, match="cells=1,000,000"):
        load_documents(path, Limits(cells=1_000_000))


def test_large_merges_over_the_limit_are_refused_before_reading(tmp_path):
    refs = [f"A{1 + i}:Z{10_000 + i}" for i in range(3_000)]  # 780 million cells
    path = patched(tmp_path, "large.xlsx", with_merges(refs))
    peak = peak_mib(lambda: pytest.raises(InputError, load_documents, path))
    assert peak < 20, f"{peak:.1f} MiB"


def test_values_under_a_merge_are_hidden_as_in_excel(tmp_path):
    # B1 holds a value but A1:C1 covers it: Excel shows only A1's
    path = patched(tmp_path, "covered.xlsx", lambda xml: xml.replace(
        b'<c r="B3" s="4" t="n" />', b'<c r="B3" t="inlineStr"><is><t>hidden</t></is></c>', 1))
    [grid] = read_file(path).sheets
    assert grid.merge_at(3, 2).min_col == 1
    assert grid.text(3, 2) is None


# --- numbers too large to compute with --------------------------------------------------------

def _sc003(path: Path) -> dict[str, str]:
    report = Validator().check(path)
    assert report.files[0].error is None, report.files[0].error
    return {f.location.cell: f.message for f in report.findings if f.rule == "SC003"}


def test_huge_numbers_under_number_formats_are_sc003(tmp_path):
    spec = build.anshan()
    rows = build.sheet(spec)["rows"]
    rows[7][2] = (1e28, "0.00")  # 年度资金总额 全年预算数 (C8)
    rows[8][2] = (1e300, "#,##0.00")  # 中央补助 (C9)
    rows[7][5] = (1e25, "0.00%")  # 执行率 (F8)
    path = build.write(tmp_path, "huge.xlsx", spec)
    found = _sc003(path)
    assert set(found) >= {"C8", "C9", "F8"}, found
    assert "超过限制 digits=30" in found["C8"]  # 10000000000000000000000000000.00: 31 digits
    assert "超过限制 exponent=20" in found["F8"]


def test_number_beyond_a_double_is_sc003_with_its_magnitude(tmp_path):
    path = patched(tmp_path, "overflow.xlsx", lambda xml: re.sub(
        rb'(<c r="C8"[^>]*>)<v>157</v>', rb"\g<1><v>1e999999</v>", xml, count=1))
    assert b"1e999999" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    [grid] = read_file(path).sheets
    assert grid.text(8, 3) == "1E+999999"
    found = _sc003(path)
    assert "数量级 10^999999" in found["C8"], found


@pytest.mark.parametrize("written, shown", [
    (b"1e999999", "1E+999999"), (b"-2.5e401", "-2.5E+401"), (b"-2.5e400", "-25" + "0" * 399),
    (b"1e308", "1" + "0" * 308), (b"1e-999999", "0"),  # below a double: 0, as Excel and openpyxl read it
])
def test_numbers_print_without_raising(tmp_path, written, shown):
    path = patched(tmp_path, "n.xlsx", lambda xml: re.sub(rb'(<c r="C8"[^>]*>)<v>157</v>', rb"\g<1><v>" + written + b"</v>", xml, count=1))
    [grid] = read_file(path).sheets
    assert grid.text(8, 3) == shown


def test_huge_python_int_through_the_api_is_sc003():
    data = {"kind": "transfer", "funds": {"total": {"label": "年度资金总额", "budget": 10**5000},
                                          "sources": [{"label": "中央补助", "source": "central", "budget": -(10**5000)}]}}
    report = Validator().check_mapping(data)
    assert report.error is None
    found = {f.location.path: f for f in report.findings if f.rule == "SC003"}
    assert set(found) == {"funds.total.budget", "funds.sources[0].budget"}
    assert "有效数字 5,001 位" in found["funds.total.budget"].message
    assert len(found["funds.total.budget"].actual) <= 40


@pytest.mark.parametrize("encoding", ["cp516", "rot13", "utf-7"])
def test_a_part_in_an_encoding_without_a_codec_is_one_line(tmp_path, encoding):
    path = patched(tmp_path, "enc.xlsx", lambda xml: b'<?xml version="1.0" encoding="%s"?>' % encoding.encode() + xml)
    with pytest.raises(InputError, match="已损坏或不完整"):
        read_file(path)
