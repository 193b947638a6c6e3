"""Which kind a table is, decided from its labels and shape: the choice, the close second
(KD002) and the table too unlike any kind to be checked (KD003)."""

from __future__ import annotations

import pytest

from validator import submission
from validator.kinds import Match
from validator.read.xlsx import read_workbook
from validator.submission import recognize_grid

from xlsx import build


def _grid(tmp_path, rows, merges=()):
    path = build.write(tmp_path, "t.xlsx", {"sheets": [{"name": "Sheet1", "rows": rows, "merges": list(merges)}]})
    return read_workbook(path).sheets[0]


def _table(title, header, body):
    return [[title], ["单位：万元"], header, *body]


def test_allocation_with_an_administrative_level_header_and_a_unit_line_under_the_title(tmp_path):
    """县（市、区） is a name column, and the title is found above the 单位 line."""
    grid = _grid(tmp_path, _table("2024年水利发展资金分配明细表", ["序号", "县（市、区）", "中央资金", "省级资金", "合计"],
                                  [["1", "甲县", 100, 80, 180], ["2", "乙县", 50, 50, 100], ["", "合计", 150, 130, 280]]))
    claimed, notices = recognize_grid(grid)
    assert [m.kind for m in claimed] == ["allocation"]
    assert "标题为分配表" in claimed[0].reason
    assert notices == []


def test_an_allocation_that_reports_execution_is_an_execution_table(tmp_path):
    grid = _grid(tmp_path, _table("2024年水利发展资金分配及执行明细表", ["序号", "市（州）", "预算数", "执行数"],
                                  [["1", "甲市", 100, 80], ["2", "乙市", 50, 50], ["", "合计", 150, 130]]))
    claimed, notices = recognize_grid(grid)
    assert [m.kind for m in claimed] == ["execution"]
    assert [n.code for n in notices] == []


def _fake(kind, confidence, reason):
    def recognize(grid):
        return [Match(kind, confidence, 1, 6, "A1", reason, reason + " (en)")]
    return recognize


@pytest.mark.parametrize("second, ambiguous", [(0.7, True), (0.65, False), (0.4, False)])
def test_a_close_second_kind_is_named_with_the_reason_for_the_choice(tmp_path, monkeypatch, second, ambiguous):
    grid = _grid(tmp_path, [["x"]])
    monkeypatch.setattr(submission, "_recognizers", lambda: [
        _fake("allocation", second, "名称列与金额列"), _fake("execution", 0.8, "有预算数和执行数两组金额列")])
    claimed, notices = recognize_grid(grid)
    assert [m.kind for m in claimed] == ["execution"]
    if ambiguous:
        (notice,) = notices
        assert (notice.code, notice.severity, notice.sheet, notice.cell) == ("KD002", "info", "Sheet1", "A1")
        assert "也可能是资金分配表（名称列与金额列）" in notice.message
        assert "按资金执行情况表检查，因为有预算数和执行数两组金额列" in notice.message
        assert "could also be" in notice.message_en
    else:  # 0.15 or more behind, or too weak to claim the region at all: not worth a word
        assert notices == []


def test_a_long_allocation_table_is_read_in_work_linear_in_its_rows(tmp_path, monkeypatch):
    """Which rows are subtotals is found from running sums: reading the amounts of a
    2,000-row 明细表 whose 合计 is off costs a few reads per cell, not one per pair of rows
    (counted, not timed)."""
    from validator.kinds import ledger

    n = 2000
    body = [[str(i + 1), f"单位{i}", 10 + i % 7] for i in range(n)]
    total = sum(r[2] for r in body)
    grid = _grid(tmp_path, _table("2024年某某资金分配明细表", ["序号", "单位名称", "金额"], body + [["", "合计", total + 100]]))
    reads = 0
    real = ledger.cell_number

    def counted(text):
        nonlocal reads
        reads += 1
        assert reads < 20 * n, "more reads than a few per cell: the subtotal search is not linear"
        return real(text)

    monkeypatch.setattr(ledger, "cell_number", counted)
    (match,), _ = recognize_grid(grid)
    doc = ledger.document(match.detail, "allocation")
    assert match.kind == "allocation"
    assert reads < 20 * n, reads
    (total_row,) = [r for r in doc["rows"] if r["role"] == "total"]
    assert total_row["parts"] == list(range(n))
