"""The streaming workbook reader reads what openpyxl read: the same text in every cell
and the same merged range at every covered cell, for the samples, the layout variations
bureaus produce, and random sheets of values, number formats and merges."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from validator.read.xlsx import read_workbook

from . import build

sys.path.insert(0, str(build.ROOT / "benchmarks"))
import xlsx_openpyxl  # noqa: E402  (the old reader, kept in the benchmarks)

SAMPLES = sorted((build.ROOT / "samples").glob("*.xlsx"))


def assert_same(path):
    old = xlsx_openpyxl.read_sheets(path)
    new = read_workbook(path).sheets
    assert [g.sheet for g in new] == [name for name, _, _ in old]
    for grid, (name, texts, merges) in zip(new, old):
        assert grid.texts == texts, name
        covered = {}
        for row, col in list(merges) + list(texts):
            merge = grid.merge_at(row, col)
            if merge is not None:
                covered[(row, col)] = (merge.min_row, merge.min_col, merge.max_row, merge.max_col)
        assert covered == merges, name
        # nothing is merged beyond what openpyxl had: every range's cells are in its map
        for merge in grid.merges:
            assert merges.get((merge.min_row, merge.min_col)) == (merge.min_row, merge.min_col, merge.max_row, merge.max_col)
        assert grid.rows == sorted({r for r, _ in texts})
        assert grid.max_col == max((c for _, c in texts), default=0)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples_read_as_openpyxl_read_them(path):
    assert_same(path)


@pytest.mark.parametrize("make", [
    build.anshan, build.monitoring, build.experts, build.project_spec,
    lambda: build.unmerge(build.anshan()),
    lambda: build.insert_column(build.anshan(), 3),
    lambda: build.stack(build.anshan(), build.monitoring())[0],
    lambda: build.add_sheet(build.anshan(), "填表说明", [["填表说明"], ["1. 金额单位为万元。"]]),
], ids=["anshan", "monitoring", "experts", "project", "unmerged", "column", "stacked", "two-sheets"])
def test_layouts_read_as_openpyxl_read_them(tmp_path, make):
    spec = make()
    path = build.write(tmp_path, "book.xlsx", spec)
    assert_same(path)
    cached = build.write(tmp_path, "cached.xlsx", build.project_spec(), cached={("项目自评表", "F7"): "1000.5"})
    assert_same(cached)


FORMATS = ["General", "0", "0.00", "0%", "0.00%", "#,##0.00", '0"家"', "0.00_);(0.00)", "[Red]0.00", "yyyy-mm-dd",
           'yyyy"年"m"月"', "h:mm", "[h]:mm:ss", "0.00E+00", "# ?/?", "@", '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ']
values = st.one_of(
    st.integers(-10**15, 10**15),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e20, max_value=1e20),
    st.floats(min_value=0, max_value=80_000),  # dates, when the format says so
    st.sampled_from(["#DIV/0!", "#N/A", " 满意 ", "≥１５个", "1,234.50", "", "0%", "/", "x\ny", "＝5家", "TRUE"]),
    st.text(max_size=12),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)
cells = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 8), values, st.sampled_from(FORMATS)), max_size=40)
boxes = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 8), st.integers(0, 3), st.integers(0, 3)), max_size=6)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cells, boxes)
def test_random_sheets_read_as_openpyxl_read_them(tmp_path_factory, cell_list, box_list):
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    from validator.read.cells import ERROR_VALUES

    workbook = Workbook()
    ws = workbook.active
    ws.title = "表"
    for row, col, value, fmt in cell_list:
        if isinstance(value, str) and value.startswith("="):
            continue
        cell = ws.cell(row=row, column=col)
        try:
            cell.value = value
        except (ValueError, IllegalCharacterError):  # characters openpyxl refuses to write
            continue
        if isinstance(value, str) and value in ERROR_VALUES:
            cell.data_type = "e"
        cell.number_format = fmt
    taken: set[tuple[int, int]] = set()
    for row, col, down, right in box_list:
        area = {(r, c) for r in range(row, row + down + 1) for c in range(col, col + right + 1)}
        if area & taken or len(area) == 1:
            continue
        taken |= area
        ws.merge_cells(f"{get_column_letter(col)}{row}:{get_column_letter(col + right)}{row + down}")
    path = tmp_path_factory.mktemp("eq") / "random.xlsx"
    workbook.save(path)
    assert_same(path)


def test_decimal_cells_keep_their_printed_precision(tmp_path):
    # 13.6 under 0.00 reads 13.60, 0.9 under 0.00% reads 90.00%: the rounding checks
    # reason about these printed decimals
    spec = {"sheets": [{"name": "S", "rows": [[(13.6, "0.00"), (0.9, "0.00%"), (Decimal("0.1") + 0, "General")]], "merges": []}]}
    path = build.write(tmp_path, "p.xlsx", spec)
    assert read_workbook(path).sheets[0].texts == {(1, 1): "13.60", (1, 2): "90.00%", (1, 3): "0.1"}
