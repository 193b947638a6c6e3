"""The blocks of a self-evaluation table, each read from its header row down: the funds
block, 资金管理情况, 总体目标 and the indicator rows. Columns are mapped by their header labels
and a column owns every cell from its header to the next header, so extra blank columns,
merged headers and missing columns need no special cases. A cell left empty under a header
is still recorded (as null, with its cell in `source`) so rules can point at the blank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from validator.read import ReaderNotice
from validator.read.grid import coordinate
from validator.kinds.self_eval.labels import (
    GRADE_VALUES, MONEY_COLUMNS, PLACEHOLDERS, declared_weight, fund_source, funds_column, goal_column,
    indicator_column, is_fund_row_label, is_funds_title, is_issues_header, is_management_item,
    is_management_title, is_total, label_key, level_label, money_unit,
)

if TYPE_CHECKING:
    from validator.kinds.self_eval.tables import Table


@dataclass(slots=True)
class Column:
    field: str
    start: int
    end: int


def _spans(found: list[tuple[int, str, int]], last_col: int) -> list[Column]:
    """found: (column, field, merge end). A column owns the cells up to the next header."""
    found = sorted(found)
    columns = []
    for i, (start, name, merge_end) in enumerate(found):
        end = found[i + 1][0] - 1 if i + 1 < len(found) else max(merge_end, last_col)
        columns.append(Column(name, start, max(end, start)))
    return columns


def _split_sub_headers(columns: list[Column], subs: list[tuple[int, str, int]]) -> list[Column]:
    """Sub-headers (目标申报数 / 预算编制数 under a merged 年初预算数) replace the parent column
    whose span they fall in; the other columns keep their spans."""
    out = []
    for col in columns:
        inside = [s for s in subs if col.start <= s[0] <= col.end]
        if not inside:
            out.append(col)
            continue
        inside.sort()
        for i, (start, name, _end) in enumerate(inside):
            end = inside[i + 1][0] - 1 if i + 1 < len(inside) else col.end
            out.append(Column(name, start, end))
    return sorted(out, key=lambda c: c.start)


class FundsBlock:
    def __init__(self, table: Table, row: int):
        self.t = table
        self.g = table.grid
        self.anchor: tuple[int, int] | None = None
        for col, text in self.g.row_cells(row):
            if is_funds_title(label_key(text)):
                self.anchor = (row, col)
                unit = money_unit(text)
                if unit:
                    self._set_unit(unit, row, col)
                break
        self.funds: dict = table.data.setdefault("funds", {})
        self.columns: list[Column] = []
        self.header_row: int | None = None
        self.value_col: int | None = None
        self.last_local: tuple[int, dict] | None = None
        self.warned_headerless = False
        self.expect_sub = False
        if not self._try_header(row):
            self.feed(row)

    def _set_unit(self, unit: str, row: int, col: int) -> None:
        if "unit" not in self.t.data.get("funds", {}):
            self.t.data.setdefault("funds", {})["unit"] = unit
            self.t.src("funds.unit", row, col)

    def _header_cells(self, row: int) -> list[tuple[int, str, int]]:
        found = []
        for col, text in self.g.row_cells(row):
            if self.anchor == (row, col):
                continue
            name = funds_column(label_key(text))
            if name:
                found.append((col, name, self.g.span_end(row, col)))
        return found

    def _try_header(self, row: int) -> bool:
        found = self._header_cells(row)
        if not any(name in MONEY_COLUMNS for _, name, _ in found):
            return False
        self.columns = _spans(found, self.g.max_col)
        self.header_row = row
        self.expect_sub = True
        for col, text in self.g.row_cells(row):
            unit = money_unit(text) if (row, col) != self.anchor else None
            if unit:
                self._set_unit(unit, row, col)
        if any(name in ("weight", "score") for _, name, _ in found):
            self.t.markers.add("scoring")
        return True

    def _label(self, row: int, limit: int) -> tuple[int, str] | None:
        label = None
        for col, text in self.g.row_cells(row):
            if col >= limit:
                break
            if self.anchor == (row, col):
                continue
            label = (col, text)
        return label

    def feed(self, row: int) -> None:
        g = self.g
        if not self.columns:
            if self._try_header(row):
                return
            self._headerless(row)
            return
        if self.expect_sub:
            self.expect_sub = False
            subs = self._header_cells(row)
            if subs and self._label(row, self.columns[0].start) is None:
                self.columns = _split_sub_headers(self.columns, subs)
                return
        label = self._label(row, self.columns[0].start)
        if label is None:
            return  # no row label: a repeated header, or stray values
        lcol, ltext = label
        entry, path = self._place(row, lcol, ltext)
        if entry is None:
            return
        for column in self.columns:
            if column.field in entry:
                continue
            start = max(column.start, lcol + 1)
            merge = g.merge_at(row, start)
            if merge and merge.min_row < row:
                continue  # the value belongs to the merged cell's first row
            col, text = g.first_in_span(row, start, column.end)
            if column.field == "reason" and merge and merge.min_row == row and merge.max_row > row:
                # One explanation merged down the whole block is about the funds as a whole.
                self.funds["reason"] = text
                self.t.src("funds.reason", row, col)
                continue
            entry[column.field] = text
            self.t.src(f"{path}.{column.field}", row, col)

    def _headerless(self, row: int) -> None:
        """Quxian's 项目资金 block: labels and one amount column with no column header."""
        g = self.g
        label = None
        for col, text in g.row_cells(row):
            if self.anchor == (row, col):
                continue
            if is_fund_row_label(label_key(text)):
                label = (col, text)
            break
        if label is None:
            return
        lcol, ltext = label
        entry, path = self._place(row, lcol, ltext)
        if entry is None:
            return
        after = [(c, t) for c, t in g.row_cells(row) if c > g.span_end(row, lcol)]
        if after:
            if self.value_col is None:
                self.value_col = after[0][0]
            col, text = after[0]
            if len(after) > 1 and not self.warned_headerless:
                self.warned_headerless = True
                self.t.notices.append(ReaderNotice(
                    code="XL003", severity="info",
                    message=f"资金表没有列标题，只把第一列金额读作全年预算数（{g.sheet}!{coordinate(row, col)}）",
                    message_en=f"the funds block has no column headers; only the first amount was read, as the budget ({g.sheet}!{coordinate(row, col)})",
                    path=f"{path}.budget", label=ltext.strip(), sheet=g.sheet, cell=coordinate(row, col),
                ))
        else:
            col = self.value_col or g.span_end(row, lcol) + 1
            text = None
        entry["budget"] = text
        self.t.src(f"{path}.budget", row, col)

    def _place(self, row: int, lcol: int, ltext: str) -> tuple[dict | None, str]:
        key = label_key(ltext)
        if not key or not is_fund_row_label(key) and not self._has_values(row, lcol):
            return None, ""
        source = fund_source(key)
        entry: dict = {"label": ltext.strip()}
        if source:
            entry["source"] = source
        sources = self.funds.setdefault("sources", [])
        if source == "total" and "total" not in self.funds:
            self.funds["total"] = entry
            path = "funds.total"
        elif source in ("provincial", "city", "county") and self.last_local is not None:
            index, local = self.last_local
            parts = local.setdefault("parts", [])
            path = f"funds.sources[{index}].parts[{len(parts)}]"
            parts.append(entry)
        else:
            path = f"funds.sources[{len(sources)}]"
            sources.append(entry)
            self.last_local = (len(sources) - 1, entry) if source == "local" else None
        self.t.src(path, row, lcol)
        self.t.src(f"{path}.label", row, lcol)
        return entry, path

    def _has_values(self, row: int, lcol: int) -> bool:
        return any(c > lcol for c, _ in self.g.row_cells(row))

    def close(self) -> None:
        if not self.funds.get("sources"):
            self.funds.pop("sources", None)


class ManagementBlock:
    def __init__(self, table: Table, row: int):
        self.t = table
        self.g = table.grid
        self.items: list = table.data.setdefault("management", [])
        self.anchor = None
        for col, text in self.g.row_cells(row):
            if is_management_title(label_key(text)):
                self.anchor = (row, col)
                break
        self.desc: Column | None = None
        self.issues: Column | None = None
        if not self._try_header(row):
            self.feed(row)

    def _try_header(self, row: int) -> bool:
        found = []
        for col, text in self.g.row_cells(row):
            key = label_key(text)
            if "情况说明" in key and len(key) <= 8:
                found.append((col, "description", self.g.span_end(row, col)))
            elif is_issues_header(key):
                found.append((col, "issues", self.g.span_end(row, col)))
        if not found:
            return False
        for column in _spans(found, self.g.max_col):
            setattr(self, "desc" if column.field == "description" else "issues", column)
        return True

    def feed(self, row: int) -> None:
        g = self.g
        if self.desc is None and self.issues is None and self._try_header(row):
            return
        limit = min(c.start for c in (self.desc, self.issues) if c) if (self.desc or self.issues) else None
        label = None
        for col, text in g.row_cells(row):
            if limit is not None and col >= limit:
                break
            if self.anchor == (row, col):
                continue
            label = (col, text)
            if limit is None:
                break
        if label is None:
            return
        lcol, ltext = label
        if limit is None and not is_management_item(label_key(ltext)):
            return
        index = len(self.items)
        item = {"item": level_label(ltext)}
        self.t.src(f"management[{index}]", row, lcol)
        self.t.src(f"management[{index}].item", row, lcol)
        if limit is None:  # no 情况说明 header: the texts follow the item in order
            rest = [(c, t) for c, t in g.row_cells(row) if c > g.span_end(row, lcol)]
            for name, (col, text) in zip(("description", "issues"), rest):
                item[name] = text
                self.t.src(f"management[{index}].{name}", row, col)
        else:
            for name, column in (("description", self.desc), ("issues", self.issues)):
                if column is None:
                    continue
                col, text = g.first_in_span(row, column.start, column.end)
                item[name] = text
                self.t.src(f"management[{index}].{name}", row, col)
        self.items.append(item)


class GoalBlock:
    def __init__(self, table: Table, row: int):
        self.t = table
        self.g = table.grid
        self.goal: dict = table.data.setdefault("goal", {})
        cells = self.g.row_cells(row)
        self.anchor_col = cells[0][0]
        self.header_row = row
        found = []
        for col, text in cells[1:]:
            name = goal_column(label_key(text))
            if name and name not in {f for _, f, _ in found}:
                found.append((col, name, self.g.span_end(row, col)))
        self.columns = _spans(found, self.g.max_col) if found else []
        self.done = False
        if not self.columns:
            col, text = self.g.next_after(row, self.anchor_col)
            if text:
                self._set("target", text, row, col)
                self.done = True

    def _set(self, name: str, text: str | None, row: int, col: int) -> None:
        self.goal[name] = text
        self.t.src(f"goal.{name}", row, col)

    def feed(self, row: int) -> None:
        if self.done:
            return
        g = self.g
        if not self.columns:
            after = [(c, t) for c, t in g.row_cells(row) if c > self.anchor_col]
            if after:
                self._set("target", after[0][1], row, after[0][0])
                self.done = True
            return
        values = [g.first_in_span(row, c.start, c.end) for c in self.columns]
        if not any(text for _, text in values):
            return
        for column, (col, text) in zip(self.columns, values):
            self._set(column.field, text, row, col)
        self.done = True

    def close(self) -> None:
        if not self.done:
            for column in self.columns:
                self._set(column.field, None, self.header_row + 1, column.start)


# Columns whose merged cell reads as the same text on every row it covers: a reason or a
# unit merged down three indicators applies to each of them. Numbers never are.
_SHARED_WHEN_MERGED = {"reason", "nature", "measure_unit"}


class IndicatorBlock:
    def __init__(self, table: Table, row: int):
        self.t = table
        self.g = table.grid
        self.indicators: list = table.data.setdefault("indicators", [])
        self.groups: list = []
        self.group_index: dict[tuple, int] = {}
        self.columns: list[Column] = []
        self.header_row = row
        self._read_header(row)
        self.expect_sub = True
        self.carry: dict[str, tuple[str, int, int] | None] = {}

    def _header_cells(self, row: int) -> list[tuple[int, str, int]]:
        found, names = [], set()
        for col, text in self.g.row_cells(row):
            name = indicator_column(label_key(text))
            if name and name not in names:
                names.add(name)
                found.append((col, name, self.g.span_end(row, col)))
        return found

    def _read_header(self, row: int) -> None:
        found = self._header_cells(row)
        self.columns = _spans(found, self.g.max_col)
        self._levels()
        if any(name in ("weight", "score") for _, name, _ in found):
            self.t.markers.add("scoring")

    def _levels(self) -> None:
        self.t.indicator_fields = {c.field for c in self.columns}
        present = [c.field for c in self.columns if c.field.startswith("level")]
        self.name_level = max(present) if present else None
        self.level_columns = [c for c in self.columns if c.field.startswith("level")]
        self.value_columns = [c for c in self.columns if not c.field.startswith("level")]

    def feed(self, row: int) -> None:
        g = self.g
        if self.expect_sub:
            self.expect_sub = False
            subs = self._header_cells(row)
            if subs and len(subs) == len(g.row_cells(row)):
                self.columns = _split_sub_headers(self.columns, subs)
                self._levels()
                return
        if self.name_level is None:
            return
        name_cell = None
        new_levels = []
        for column in self.level_columns:
            col, text = g.first_in_span(row, column.start, column.end)
            if column.field == self.name_level:
                name_cell = (col, text)
                continue
            if text and text.strip() not in PLACEHOLDERS:
                label = level_label(text)
                previous = self.carry.get(column.field)
                self.carry[column.field] = (label, row, col)
                new_levels.append((column.field, text, row, col))
                if previous is None or previous[0] != label:
                    # a new group starts; a label repeated on every row (no merges) does not
                    for deeper in ("level1", "level2", "level3"):
                        if deeper > column.field:
                            self.carry.pop(deeper, None)
        for field_name, text, lrow, lcol in new_levels:
            weight = declared_weight(text)
            if weight is not None and field_name in ("level1", "level2"):
                self._group(field_name, weight=(weight, lrow, lcol))
        col, name = name_cell
        if not name or name.strip() in PLACEHOLDERS:
            if not name and self._has_target_or_actual(row):
                self._indicator(row, col, "")  # a leaf whose name was left blank: keep it to flag it
            else:
                self._group_row(row, new_levels)
            return
        self._indicator(row, col, name)

    def _has_target_or_actual(self, row: int) -> bool:
        for column in self.value_columns:
            if column.field in ("initial_target", "target", "actual"):
                _, text = self.g.first_in_span(row, column.start, column.end)
                if text and text.strip() not in PLACEHOLDERS:
                    return True
        return False

    def _group_key(self, field_name: str) -> tuple:
        level1 = self.carry.get("level1")
        level2 = self.carry.get("level2") if field_name == "level2" else None
        return (level1[0] if level1 else None, level2[0] if level2 else None)

    def _group(self, field_name: str, weight=None, score=None) -> None:
        key = self._group_key(field_name)
        if key[0] is None:
            return
        index = self.group_index.get(key)
        if index is None:
            index = len(self.groups)
            self.group_index[key] = index
            group: dict = {"level1": key[0]}
            if key[1] is not None:
                group["level2"] = key[1]
            self.groups.append(group)
            origin = self.carry["level2" if key[1] is not None else "level1"]
            self.t.src(f"indicator_groups[{index}]", origin[1], origin[2])
            self.t.src(f"indicator_groups[{index}].level1", *self.carry["level1"][1:])
            if key[1] is not None:
                self.t.src(f"indicator_groups[{index}].level2", *self.carry["level2"][1:])
        group = self.groups[index]
        for name, value in (("weight", weight), ("score", score)):
            if value is not None and group.get(name) is None:
                group[name] = value[0]
                self.t.src(f"indicator_groups[{index}].{name}", value[1], value[2])

    def _group_row(self, row: int, new_levels: list) -> None:
        """A row with a 一级/二级 label and no leaf indicator: a section row, which may
        carry the group's weight and score in the 分值/得分 columns."""
        if not new_levels:
            return
        deepest = max(field_name for field_name, *_ in new_levels)
        if deepest not in ("level1", "level2"):
            return
        values = {}
        for column in self.value_columns:
            if column.field in ("weight", "score"):
                col, text = self.g.first_in_span(row, column.start, column.end)
                if text and text.strip() not in PLACEHOLDERS:
                    values[column.field] = (text, row, col)
        if values:
            self._group(deepest, **values)

    def _indicator(self, row: int, col: int, name: str) -> None:
        g = self.g
        index = len(self.indicators)
        path = f"indicators[{index}]"
        item: dict = {}
        for level in ("level1", "level2", "level3"):
            if level >= self.name_level or self.carry.get(level) is None:
                continue
            text, lrow, lcol = self.carry[level]
            item[level] = text
            self.t.src(f"{path}.{level}", lrow, lcol)
        item["name"] = "".join(part.strip() for part in name.splitlines())
        self.t.src(path, row, col)
        self.t.src(f"{path}.name", row, col)
        for column in self.value_columns:
            vcol, text = g.first_in_span(row, column.start, column.end)
            merge = g.merge_at(row, column.start)
            vrow = row
            if text is None and merge and merge.min_row < row:
                if column.field not in _SHARED_WHEN_MERGED:
                    continue  # the number belongs to the merged cell's first row
                vrow, vcol = merge.min_row, merge.min_col
                text = g.text(vrow, vcol)
            item[column.field] = text
            self.t.src(f"{path}.{column.field}", vrow, vcol)
        self.indicators.append(item)

    def total(self, row: int) -> None:
        g = self.g
        cells = g.row_cells(row)
        label = next(((c, t) for c, t in cells[:2] if is_total(label_key(t))), cells[0])
        total: dict = {"label": label[1].strip()}
        self.t.src("total", row, label[0])
        self.t.src("total.label", row, label[0])
        for column in self.value_columns:
            if column.field in ("weight", "score"):
                col, text = g.first_in_span(row, max(column.start, label[0] + 1), column.end)
                total[column.field] = text
                self.t.src(f"total.{column.field}", row, col)
        for col, text in cells:
            if text.strip() in GRADE_VALUES:
                total["grade"] = text.strip()
                self.t.src("total.grade", row, col)
                break
        self.t.data["total"] = total

    def grade(self, row: int) -> None:
        cells = self.g.row_cells(row)
        col, text = self.g.next_after(row, cells[0][0])
        total = self.t.data.setdefault("total", {})
        if text is not None and "grade" not in total:
            total["grade"] = text.strip()
            self.t.src("total.grade", row, col)

    def close(self) -> None:
        if self.groups:
            self.t.data["indicator_groups"] = self.groups
