"""A worksheet as a sparse grid of display texts plus its merged ranges.

Only cells with something shown are kept: sheets formatted down to row 1,048,576 are common
and must not cost a million empty rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from validator.read.cells import cell_text


@dataclass(slots=True)
class Merge:
    min_row: int
    min_col: int
    max_row: int
    max_col: int


@dataclass
class Grid:
    sheet: str
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    # every covered cell → its range; the value sits at (min_row, min_col)
    merges: dict[tuple[int, int], Merge] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)
    max_col: int = 0
    _by_row: dict[int, list[tuple[int, str]]] = field(default_factory=dict)

    def text(self, row: int, col: int) -> str | None:
        return self.texts.get((row, col))

    def row_cells(self, row: int) -> list[tuple[int, str]]:
        """Non-empty cells of a row, left to right."""
        return self._by_row.get(row, [])

    def merge_at(self, row: int, col: int) -> Merge | None:
        return self.merges.get((row, col))

    def span_end(self, row: int, col: int) -> int:
        """Last column of the (horizontally) merged cell starting at (row, col)."""
        merge = self.merges.get((row, col))
        return merge.max_col if merge and merge.min_row == row and merge.min_col == col else col

    def first_in_span(self, row: int, start: int, end: int) -> tuple[int, str | None]:
        """First non-empty cell in columns start..end of a row; else (start, None)."""
        for col, text in self.row_cells(row):
            if start <= col <= end:
                return col, text
            if col > end:
                break
        return start, None

    def next_after(self, row: int, col: int) -> tuple[int, str | None]:
        """The first non-empty cell right of the merged cell at (row, col)."""
        end = self.span_end(row, col)
        for c, text in self.row_cells(row):
            if c > end:
                return c, text
        return end + 1, None


def coordinate(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def build_grid(ws) -> Grid:
    grid = Grid(sheet=ws.title)
    cells = getattr(ws, "_cells", None)
    items = cells.items() if cells is not None else (
        ((c.row, c.column), c) for row in ws.iter_rows() for c in row
    )
    for (row, col), cell in items:
        value = cell.value
        if value is None:
            continue
        text = cell_text(value, cell.number_format, cell.data_type)
        if text is not None:
            grid.texts[(row, col)] = text
    for rng in ws.merged_cells.ranges:
        merge = Merge(rng.min_row, rng.min_col, rng.max_row, rng.max_col)
        if (merge.max_row - merge.min_row + 1) * (merge.max_col - merge.min_col + 1) > 100_000:
            continue  # a whole-sheet merge carries no table structure
        for r in range(merge.min_row, merge.max_row + 1):
            for c in range(merge.min_col, merge.max_col + 1):
                grid.merges[(r, c)] = merge
    by_row: dict[int, list[tuple[int, str]]] = {}
    for (row, col), text in grid.texts.items():
        by_row.setdefault(row, []).append((col, text))
        grid.max_col = max(grid.max_col, col)
    for row_cells in by_row.values():
        row_cells.sort()
    grid._by_row = by_row
    grid.rows = sorted(by_row)
    return grid
