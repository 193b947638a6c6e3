"""A worksheet as a sparse grid of display texts plus its merged ranges.

Only cells with something shown are kept: sheets formatted down to row 1,048,576 are common
and must not cost a million empty rows. Merged ranges are kept as ranges, indexed by the
rows they cover, never expanded into their cells: one range can cover the whole sheet."""

from __future__ import annotations

from dataclasses import dataclass, field

# A merge covering more cells than this carries no table structure (a whole-sheet merge
# someone applied for the border); merge_at does not report it.
LARGE_MERGE = 100_000
MAX_ROW = 1_048_576
MAX_COL = 16_384


@dataclass(frozen=True, slots=True)
class Merge:
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def size(self) -> int:
        return (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)

    def covers(self, row: int, col: int) -> bool:
        return self.min_row <= row <= self.max_row and self.min_col <= col <= self.max_col


@dataclass
class Grid:
    sheet: str
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    # merged ranges in the order the sheet lists them (large ones left out, see LARGE_MERGE)
    merges: list[Merge] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    max_col: int = 0
    _by_row: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    # row → the merges covering it; a lookup scans the few ranges of one row
    _merge_rows: dict[int, list[Merge]] = field(default_factory=dict)

    @classmethod
    def build(cls, sheet: str, texts: dict[tuple[int, int], str], merges: list[Merge] = ()) -> Grid:
        """A grid from the texts a sheet shows and its merged ranges. As in Excel, a cell
        covered by a merge (other than its top-left cell) shows nothing."""
        grid = cls(sheet=sheet, texts=texts)
        for merge in merges:
            _clear_covered(texts, merge)
            if merge.size > LARGE_MERGE:
                continue
            grid.merges.append(merge)
            for r in range(merge.min_row, merge.max_row + 1):
                grid._merge_rows.setdefault(r, []).append(merge)
        by_row: dict[int, list[tuple[int, str]]] = {}
        max_col = 0
        for (row, col), text in texts.items():
            by_row.setdefault(row, []).append((col, text))
            if col > max_col:
                max_col = col
        for row_cells in by_row.values():
            row_cells.sort()
        grid._by_row = by_row
        grid.rows = sorted(by_row)
        grid.max_col = max_col
        return grid

    def text(self, row: int, col: int) -> str | None:
        return self.texts.get((row, col))

    def row_cells(self, row: int) -> list[tuple[int, str]]:
        """Non-empty cells of a row, left to right."""
        return self._by_row.get(row, [])

    def merge_at(self, row: int, col: int) -> Merge | None:
        """The merged range covering (row, col); of overlapping ranges (only a broken file
        has them), the one listed last."""
        found = self._merge_rows.get(row)
        if found:
            for merge in reversed(found):
                if merge.min_col <= col <= merge.max_col:
                    return merge
        return None

    def span_end(self, row: int, col: int) -> int:
        """Last column of the (horizontally) merged cell starting at (row, col)."""
        merge = self.merge_at(row, col)
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


def _clear_covered(texts: dict[tuple[int, int], str], merge: Merge) -> None:
    """Drop the texts of cells a merge covers, except its top-left cell: whichever is
    smaller, the range or the texts, is walked."""
    if not texts:
        return
    anchor = (merge.min_row, merge.min_col)
    if merge.size <= len(texts):
        for r in range(merge.min_row, merge.max_row + 1):
            for c in range(merge.min_col, merge.max_col + 1):
                if (r, c) != anchor:
                    texts.pop((r, c), None)
    else:
        for key in [k for k in texts if merge.covers(*k) and k != anchor]:
            del texts[key]


def column_letter(col: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 1, XFD → 16384 (letters already upper case)."""
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col


def coordinate(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"
