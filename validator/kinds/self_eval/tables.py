"""Find self-evaluation tables in a sheet grid and read each into a canonical submission.

Rows are classified by their labels (a title, header fields, the funds block, 资金管理情况,
总体目标, the indicator header, 合计, 说明, a 注: footnote) and a small state machine walks
them top to bottom, handing each block's rows to its reader (xlsx_blocks).

A new table starts at a title row, or when a block comes back that the current table
already has (a second funds block, a second 项目名称), or after the table was closed by a
footnote. An indicator header repeated while the indicator rows are still running is a page
header and is skipped."""

from __future__ import annotations

import re

from validator.read import ReaderNotice
from validator.kinds.self_eval.blocks import AnalysisBlock, FundsBlock, GoalBlock, IndicatorBlock, ManagementBlock
from validator.read.grid import Grid, coordinate
from validator.kinds.self_eval.labels import (
    MONEY_COLUMNS, funds_column, header_field, indicator_column, is_analysis_anchor, is_footnote, is_funds_title,
    is_goal_anchor,
    is_grade_label, is_issues_header, is_management_title, is_notes, is_title, is_total, is_year_line,
    label_key, money_unit, normalize, year_in,
)

BLOCKS = ("funds", "management", "goal", "indicators")


def classify(grid: Grid, row: int) -> str:
    cells = grid.row_cells(row)
    if not cells:
        return "empty"
    first_text = cells[0][1]
    keys = [label_key(text) for _, text in cells]
    if is_footnote(first_text):
        return "footnote"
    fields = {indicator_column(k) for k in keys}
    if "level1" in fields and fields & {"level2", "level3"}:
        return "indicator_header"
    money = {f for f in map(funds_column, keys) if f in MONEY_COLUMNS}
    if any(is_funds_title(k) for k in keys) or len(money) >= 2:
        return "funds"
    if any(is_management_title(k) for k in keys) or (
        any("情况说明" == k for k in keys) and any(is_issues_header(k) for k in keys)
    ):
        return "management"
    if is_goal_anchor(keys[0]):
        return "goal"
    if is_analysis_anchor(keys[0]):
        return "analysis"
    if any(is_total(k) for k in keys[:2]):
        return "total"
    if is_grade_label(keys[0]):
        return "grade"
    if is_notes(keys[0]):
        return "notes"
    if len(cells) <= 3:
        # A title or year line may share its row with short notes: 附件1, 单位：万元.
        texts = [text for _, text in cells]
        short = [len(normalize(t)) <= 12 for t in texts]
        titles = [is_title(t) for t in texts]
        if sum(titles) == 1 and all(a or b for a, b in zip(titles, short)):
            return "title"
        if any(map(is_year_line, texts)) and all(short):
            return "year"
        if all(_is_unit_line(t) or s for t, s in zip(texts, short)) and any(map(_is_unit_line, texts)):
            return "unit_line"
    if header_field(keys[0]):
        return "fields"
    return "data"


def _is_unit_line(text: str) -> bool:
    return normalize(text).startswith(("单位:", "金额单位:", "单位为", "单位(")) and money_unit(text) is not None


class Table:
    def __init__(self, grid: Grid, row: int):
        self.grid = grid
        cells = grid.row_cells(row)
        self.anchor = coordinate(row, cells[0][0] if cells else 1)
        self.first_row = row
        self.last_row = row
        self.data: dict = {}
        self.source: dict[str, dict[str, str]] = {}
        self.seen: set[str] = set()
        self.section = None
        self.ended = False
        self.title: str | None = None
        self.unit_hint: tuple[str, int, int] | None = None
        self.markers: set[str] = set()
        self.notices: list[ReaderNotice] = []
        self.indicator_fields: set[str] = set()  # the fields the indicator header names
        # Blocks found but not readable: {"block", "range", "reason", "reason_en"}.
        self.unreadable: list[dict] = []

    # -- bookkeeping ---------------------------------------------------------------------
    def src(self, path: str, row: int, col: int) -> None:
        self.source[path] = {"sheet": self.grid.sheet, "cell": coordinate(row, col)}

    @property
    def has_content(self) -> bool:
        """A year line above the title does not make a table of its own."""
        return bool(self.seen or set(self.data) - {"year"})

    @property
    def recognized(self) -> bool:
        return bool(self.seen & set(BLOCKS))

    # -- header rows ---------------------------------------------------------------------
    def note_unit(self, row: int) -> None:
        for col, text in self.grid.row_cells(row):
            if _is_unit_line(text) and self.unit_hint is None:
                self.unit_hint = (money_unit(text), row, col)

    def set_title(self, row: int) -> None:
        self.note_unit(row)
        col, text = next((c, t) for c, t in self.grid.row_cells(row) if is_title(t))
        self.title = text
        norm = normalize(text)
        if "转移支付" in norm:
            self.markers.add("transfer")
        if "项目支出" in norm:
            self.markers.add("project")
        year = year_in(text)
        if year and "year" not in self.data:
            self.data["year"] = year
            self.src("year", row, col)

    def set_year_line(self, row: int) -> None:
        self.note_unit(row)
        col, text = next((c, t) for c, t in self.grid.row_cells(row) if is_year_line(t))
        if "year" not in self.data and year_in(text):
            self.data["year"] = year_in(text)
            self.src("year", row, col)

    def field_keys(self, row: int) -> list[str]:
        return [header_field(label_key(t)) for _, t in self.grid.row_cells(row) if header_field(label_key(t))]

    def read_fields(self, row: int) -> None:
        grid = self.grid
        cells = grid.row_cells(row)
        labels = {c for c, t in cells if header_field(label_key(t))}
        for col, text in cells:
            key = label_key(text)
            kind = header_field(key)
            if not kind:
                continue
            vcol, value = grid.next_after(row, col)
            if vcol in labels:
                vcol, value = grid.span_end(row, col) + 1, None
            if "转移支付" in normalize(text):
                self.markers.add("transfer")
            if key in {"项目名称", "预算单位"}:
                self.markers.add("project")
            if kind == "department":
                self.data.setdefault("departments", {})[key] = value
                self.src(f"departments.{key}", row, vcol)
            elif kind == "year":
                if "year" not in self.data and value and year_in(value):
                    self.data["year"] = year_in(value)
                    self.src("year", row, vcol)
            elif kind not in self.data:
                self.data[kind] = value
                self.src(kind, row, vcol)

    # -- finishing -----------------------------------------------------------------------
    def kind(self) -> str:
        """转移支付 in the title or a header label decides transfer even when the template adds
        分值/得分 (GUIDE 1a: some transfer templates do); otherwise 项目支出 in the title,
        a 项目名称/预算单位 header or scoring columns make it a project table; a table with
        no marker at all is read as the plainer transfer layout."""
        if "transfer" in self.markers:
            return "transfer"
        if "project" in self.markers or "scoring" in self.markers:
            return "project"
        return "transfer"

    def submission(self, kind: str | None = None) -> dict:
        """The canonical document read from the table, as `kind` (default: the
        self-evaluation kind its markers say)."""
        out: dict = {"selfeval": 1, "kind": kind or self.kind()}
        order = ("name", "year", "departments", "unit", "project_type", "funds", "management", "goal",
                 "indicators", "indicator_groups", "total", "notes", "report")
        for key in order:
            if key in self.data:
                out[key] = self.data[key]
        funds = out.get("funds")
        if funds is not None:
            if "unit" not in funds and self.unit_hint:
                unit, row, col = self.unit_hint
                funds["unit"] = unit
                self.src("funds.unit", row, col)
            out["funds"] = {k: funds[k] for k in ("unit", "total", "sources", "reason") if k in funds}
        if self.unreadable:
            out["unreadable"] = list(self.unreadable)
        out["source"] = dict(sorted(self.source.items(), key=lambda kv: _path_order(kv[0])))
        return out


def _path_order(path: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path)]


# --- the walk -------------------------------------------------------------------------------

def find_tables(grid: Grid) -> list[Table]:
    walker = _Walker(grid)
    for row in grid.rows:
        walker.step(row, classify(grid, row))
    walker.close_block()
    return [t for t in walker.tables if t.recognized]


class _Walker:
    def __init__(self, grid: Grid):
        self.grid = grid
        self.tables: list[Table] = []
        self.table: Table | None = None
        self.block = None

    def close_block(self) -> None:
        if self.block is not None and hasattr(self.block, "close"):
            self.block.close()
        self.block = None

    def start(self, row: int) -> Table:
        self.close_block()
        self.table = Table(self.grid, row)
        self.tables.append(self.table)
        return self.table

    def open(self, row: int) -> bool:
        """Whether the current table can take this row at all."""
        return self.table is not None and not self.table.ended

    def step(self, row: int, kind: str) -> None:
        if kind == "empty":
            return
        self.dispatch(row, kind)
        if self.open(row):
            self.table.last_row = row

    def dispatch(self, row: int, kind: str) -> None:
        grid, table = self.grid, self.table
        if kind == "footnote":
            if table is not None:
                self.close_block()
                table.ended = True
                table.section = None
        elif kind == "title":
            if table is None or table.has_content or table.title is not None:
                table = self.start(row)
            table.set_title(row)
        elif kind in ("year", "unit_line") and self.open(row) and table.section in BLOCKS:
            self.block.feed(row)  # a short row inside a block is the block's data
        elif kind in ("year", "unit_line"):
            if not self.open(row) or table.seen:
                table = self.start(row)
            if kind == "year":
                table.set_year_line(row)
            else:
                table.note_unit(row)
        elif kind == "fields":
            keys = table.field_keys(row) if table is not None else []
            if (not self.open(row) or "indicators" in table.seen
                    or any(k in table.data for k in keys if k not in ("department", "year"))):
                table = self.start(row)
            self.close_block()
            table.section = None
            table.read_fields(row)
        elif kind in ("funds", "management") and self.open(row) and table.section == kind \
                and not _has_block_title(grid, row, kind):
            self.block.feed(row)  # column headers inside the block: sub-headers, or repeated at a page break
        elif kind in ("funds", "management", "goal", "indicator_header"):
            name = "indicators" if kind == "indicator_header" else kind
            if name == "indicators" and self.open(row) and table.section == "indicators":
                return  # a page header repeated inside the indicator rows
            if not self.open(row) or name in table.seen:
                table = self.start(row)
            self.close_block()
            table.seen.add(name)
            table.section = name
            blocks = {"funds": FundsBlock, "management": ManagementBlock, "goal": GoalBlock, "indicators": IndicatorBlock}
            self.block = blocks[name](table, row)
        elif not self.open(row):
            return
        elif kind == "total":
            if table.section == "indicators":
                self.block.total(row)
                table.section = "after_total"
            elif table.section == "funds":
                self.block.feed(row)
        elif kind == "grade":
            if isinstance(self.block, IndicatorBlock):
                self.block.grade(row)
        elif kind == "notes":
            self.close_block()
            table.section = None
            _read_notes(table, row)
        elif kind == "analysis":
            self.close_block()
            table.section = "analysis"
            self.block = AnalysisBlock(table, row)
        elif table.section in ("funds", "management", "goal", "indicators", "analysis"):
            self.block.feed(row)


def _has_block_title(grid: Grid, row: int, kind: str) -> bool:
    test = is_funds_title if kind == "funds" else is_management_title
    return any(test(label_key(text)) for _, text in grid.row_cells(row))


def _read_notes(table: Table, row: int) -> None:
    grid = table.grid
    label_col = grid.row_cells(row)[0][0]
    col, text = grid.next_after(row, label_col)
    table.data["notes"] = text
    table.src("notes", row, col)
