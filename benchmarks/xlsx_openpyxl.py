"""The workbook reader selfeval used before its own streaming reader: openpyxl loads the
whole workbook (normal mode, cached formula values) and each sheet becomes texts and a
map of every merged cell to its range.

Kept for two jobs: `benchmarks/run.py --workbooks` times it beside the current reader,
and tests/xlsx/test_equivalence.py holds the current reader to the texts and merges this
one reads. It does no limit checks: give it only trusted files."""

from __future__ import annotations

import warnings
from pathlib import Path

from validator.read.cells import cell_text

# A whole-sheet merge carries no table structure; the old reader dropped such merges.
_LARGE_MERGE = 100_000


def read_sheets(path: Path) -> list[tuple[str, dict[tuple[int, int], str], dict[tuple[int, int], tuple[int, int, int, int]]]]:
    """[(sheet name, {(row, col): text}, {(row, col): (min_row, min_col, max_row, max_col)})]"""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(path, data_only=True)
    try:
        return [_sheet(ws) for ws in workbook.worksheets]
    finally:
        workbook.close()


def _sheet(ws):
    texts: dict[tuple[int, int], str] = {}
    for (row, col), cell in ws._cells.items():
        value = cell.value
        if value is None:
            continue
        text = cell_text(value, cell.number_format, cell.data_type)
        if text is not None:
            texts[(row, col)] = text
    merges: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for rng in ws.merged_cells.ranges:
        box = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
        if (box[2] - box[0] + 1) * (box[3] - box[1] + 1) > _LARGE_MERGE:
            continue
        for r in range(box[0], box[2] + 1):
            for c in range(box[1], box[3] + 1):
                merges[(r, c)] = box
    return ws.title, texts, merges
