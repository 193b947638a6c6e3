"""An evaluation scorecard read from its labels (GUIDE §1e): columns 一级指标 / 二级指标 /
三级指标 / 权重 (or 分值) / 得分 / 得分率, sometimes 指标解释 / 评分标准 / 扣分原因; a 小计 row
closing each 一级 group; a 合计 row.

Which group an item belongs to is decided by where the 小计 rows close the groups, not by
the 一级 label as printed: a page break can print a merged label on the wrong row, and the
sums of the 小计 rows prove which rows it covers. Without 小计 rows the labels decide."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from validator.kinds.labels import label_key, level_label, normalize, year_in
from validator.read.grid import Grid, coordinate

_LEVELS = {"一级指标": "level1", "二级指标": "level2", "三级指标": "level3"}
_WEIGHT = {"权重", "分值", "权重分", "标准分", "标准分值", "权重(分值)", "分值(权重)", "指标分值", "指标权重"}
_SUBTOTAL = re.compile(r"小计$")
_TOTAL = re.compile(r"^(合计|总计|总分|合计得分|综合得分|总得分)$")
_GRADE = re.compile(r"^(等级|评价等级|绩效等级|评级|评价结果)$")


@dataclass(slots=True)
class Column:
    field: str  # level1 level2 level3 weight score rate reason criteria note
    col: int


@dataclass(slots=True)
class Line:
    row: int
    role: str  # item, subtotal, total
    levels: dict[str, tuple[int, str]]  # level → (col, text) as printed on or merged over the row
    values: dict[str, tuple[int, str | None]]  # weight/score/rate/reason → (col, text)


@dataclass
class Card:
    grid: Grid
    title: str | None
    title_row: int | None
    header_row: int
    columns: list[Column]
    lines: list[Line] = field(default_factory=list)
    grade: tuple[int, int, str] | None = None  # (row, col, text)

    @property
    def first_row(self) -> int:
        return self.title_row or self.header_row

    @property
    def last_row(self) -> int:
        rows = [ln.row for ln in self.lines] + ([self.grade[0]] if self.grade else [])
        return max(rows) if rows else self.header_row

    @property
    def anchor(self) -> str:
        cells = self.grid.row_cells(self.first_row)
        return coordinate(self.first_row, cells[0][0] if cells else 1)

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.columns}


def _column(text: str) -> str | None:
    key = label_key(text)
    for label, name in _LEVELS.items():
        if key.startswith(label) or key == label[:2]:
            return name
    if key in _WEIGHT or (key.startswith(("权重", "分值")) and len(key) <= 6):
        return "weight"
    if "得分率" in key:
        return "rate"
    if key in {"得分", "评分", "自评得分", "评价得分", "实际得分"}:
        return "score"
    if "扣分" in key or "原因" in key:
        return "reason"
    if "评分标准" in key or "评分规则" in key:
        return "criteria"
    if "解释" in key or "说明" in key or "要点" in key:
        return "note"
    return None


_TARGETS = ("指标值", "目标值", "完成值", "实际值", "年初指标", "调整后")


def _header(grid: Grid, row: int) -> list[Column] | None:
    """The scorecard's header: 一级指标 with weight and score columns, and no target or
    actual columns (those make a self-evaluation table)."""
    cols, seen = [], set()
    if any(word in label_key(text) for _, text in grid.row_cells(row) for word in _TARGETS):
        return None
    for col, text in grid.row_cells(row):
        name = _column(text)
        if name and name not in seen:
            seen.add(name)
            cols.append(Column(name, col))
    names = {c.field for c in cols}
    if "level1" in names and {"weight", "score"} <= names:
        return cols
    return None


def find_cards(grid: Grid) -> list[Card]:
    cards = []
    rows = grid.rows
    for i, row in enumerate(rows):
        if cards and row <= cards[-1].last_row:
            continue
        columns = _header(grid, row)
        if columns is None:
            continue
        title, title_row = None, None
        if i and row - rows[i - 1] <= 3:
            cells = grid.row_cells(rows[i - 1])
            if len(cells) == 1 and len(normalize(cells[0][1])) >= 6:
                title, title_row = cells[0][1], rows[i - 1]
        card = Card(grid, title, title_row, row, columns)
        _read(card, [r for r in rows if r > row])
        if card.lines:
            cards.append(card)
    return cards


def _span(columns: list[Column], col: Column, max_col: int) -> tuple[int, int]:
    following = [c.col for c in columns if c.col > col.col]
    return col.col, (min(following) - 1 if following else max_col)


def _read(card: Card, rows: list[int]) -> None:
    g = card.grid
    level_cols = [c for c in card.columns if c.field.startswith("level")]
    value_cols = [c for c in card.columns if not c.field.startswith("level")]
    last = card.header_row
    for r in rows:
        if r - last > 3:
            break
        cells = g.row_cells(r)
        if not cells:
            continue
        first = label_key(cells[0][1])
        if _header(g, r) is not None:
            last = r  # the header repeated at a page break
            continue
        if _GRADE.match(first) and len(cells) >= 2:
            card.grade = (r, cells[1][0], cells[1][1].strip())
            last = r
            continue
        levels: dict[str, tuple[int, str]] = {}
        for c in level_cols:
            start, end = _span(card.columns, c, g.max_col)
            col, text = g.first_in_span(r, start, end)
            if text is None:
                merge = g.merge_at(r, c.col)
                if merge is not None and merge.min_row < r:
                    text = g.text(merge.min_row, merge.min_col)
                    col = merge.min_col
            if text:
                levels[c.field] = (col, text.strip())
        values = {}
        for c in value_cols:
            start, end = _span(card.columns, c, g.max_col)
            values[c.field] = g.first_in_span(r, start, end)
        texts = [label_key(t) for _, t in levels.values()]
        if any(_TOTAL.match(t) for t in texts) or _TOTAL.match(first):
            role = "total"
        elif any(_SUBTOTAL.search(t) for t in texts):
            role = "subtotal"
        elif values.get("weight", (0, None))[1] is None and values.get("score", (0, None))[1] is None:
            continue  # a group heading with nothing to add up
        else:
            role = "item"
        card.lines.append(Line(r, role, levels, values))
        last = r
        if role == "total":
            # a grade line may follow the total
            continue


def year_of(card: Card) -> int | None:
    return year_in(card.title) if card.title else None


def group_label(text: str) -> str:
    """A 一级 cell as the group's name: 决策(20分) → 决策, 决策小计 → 决策."""
    return _SUBTOTAL.sub("", level_label(text)).strip() or text.strip()
