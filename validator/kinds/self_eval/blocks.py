"""The blocks of a self-evaluation table, each read from its header row down: the funds
block, 资金管理情况, 总体目标 and the indicator rows. Columns are mapped by their header labels
and a column owns every cell from its header to the next header, so extra blank columns,
merged headers and missing columns need no special cases. A cell left empty under a header
is still recorded (as null, with its cell in `source`) so rules can point at the blank."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from validator.read import ReaderNotice
from validator.read.cells import ERROR_VALUES
from validator.read.grid import coordinate
from validator.kinds.self_eval.labels import (
    GRADE_VALUES, MONEY_COLUMNS, PLACEHOLDERS, analysis_field, declared_weight, fund_source, funds_column, goal_column,
    indicator_column, is_fund_row_label, is_funds_title, is_issues_header, is_management_item,
    is_management_title, is_total, label_key, level_label, money_unit, normalize,
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


_NUMERIC_FUNDS = MONEY_COLUMNS | {"weight", "score"}
_VALUE = re.compile(r"^[-+]?(?:\d+(?:,\d{3})*(?:\.\d*)?|\.\d+)%?$")


def _is_value(text: str | None) -> bool:
    """A cell of a number column: a number, a percentage, a spreadsheet error or a dash."""
    if text is None:
        return True
    t = text.strip()
    return bool(_VALUE.match(t.replace(" ", ""))) or t.upper() in ERROR_VALUES or t in PLACEHOLDERS


def _number(text: str | None) -> Decimal | None:
    if text is None:
        return None
    t = text.strip().replace(",", "")
    try:
        return Decimal(t[:-1]) / 100 if t.endswith("%") else Decimal(t)
    except (InvalidOperation, ValueError):
        return None


class _Placement:
    """One way of reading a funds row under its headers, and how well it fits: structural
    misfits (text under a number header, a number under the reason header, values under no
    header) and arithmetic agreement (balance, rate, score within its weight)."""

    def __init__(self, fields: dict, lost: int):
        self.fields = fields
        text = {k: v[1] for k, v in fields.items()}
        # Text under a number header may be the filer's (见附表, FM005 reports it); a number
        # under the reason header, or values under no header, are the layout's.
        self.text_in_numbers = sum(1 for k, v in text.items() if v is not None and k in _NUMERIC_FUNDS and not _is_value(v))
        self.layout_misfits = lost + sum(
            1 for k, v in text.items() if v is not None and k == "reason" and _VALUE.match(v.strip().replace(" ", "")))
        self.structural = self.text_in_numbers + self.layout_misfits
        n = {k: _number(v) for k, v in text.items()}
        agreement = 0
        budget, executed, balance, rate = n.get("budget"), n.get("executed"), n.get("balance"), n.get("rate")
        if None not in (budget, executed, balance):
            agreement += 1 if abs(budget - executed - balance) <= Decimal("0.011") else -1
        if None not in (budget, executed, rate) and budget:
            shown = rate if (text.get("rate") or "").strip().endswith("%") or rate <= Decimal("1.5") else rate / 100
            agreement += 1 if abs(executed / budget - shown) <= Decimal("0.006") else -1
        score, weight = n.get("score"), n.get("weight")
        if score is not None:
            agreement += 1 if score <= (weight if weight is not None else Decimal(10)) else -1
        self.agreement = agreement


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
        self.used_merges: set[tuple[int, int]] = set()
        self.first_row = row
        self.unreadable_from: int | None = None
        self.unreadable_to: int | None = None
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
        found = self._row_label(row)
        if found is None:
            return  # no row label: a repeated header, or stray values
        lcol, lend, ltext = found
        entry, path = self._place(row, lcol, ltext)
        if entry is None:
            return
        self._fill(row, lcol, lend, entry, path)

    def _row_label(self, row: int) -> tuple[int, int, str] | None:
        """(column, last column, text) of the row's label. As printed left of the headers;
        or merged down from beside the headers to this, its first value row (资金总额: on
        the header row); or, where the template puts the labels under the first header,
        the first cell of the row when it is a label and not a value."""
        g = self.g
        first = self.columns[0].start
        label = self._label(row, first)
        if label is not None:
            return label[0], g.span_end(row, label[0]), label[1]
        for col in range(1, first + 1):
            merge = g.merge_at(row, col)
            if merge is None or merge.min_row >= row or (merge.min_row, merge.min_col) in self.used_merges:
                continue
            text = g.text(merge.min_row, merge.min_col)
            if text and (merge.min_row, merge.min_col) != self.anchor and is_fund_row_label(label_key(text)):
                self.used_merges.add((merge.min_row, merge.min_col))
                return merge.min_col, merge.max_col, text
        cells = [(c, t) for c, t in g.row_cells(row) if (row, c) != self.anchor]
        if cells and not _is_value(cells[0][1]) and is_fund_row_label(label_key(cells[0][1])):
            col, text = cells[0]
            return col, g.span_end(row, col), text
        return None

    def _fill(self, row: int, lcol: int, lend: int, entry: dict, path: str) -> None:
        """Read the row's values under the headers. The values are matched to the headers by
        content: where a template prints the values one or two columns right of their
        headers (a title or label merged over the first header's column), the shift that
        puts numbers under number headers, text under the reason header and makes the row's
        own arithmetic agree is taken. A row no shift can read makes the block unreadable."""
        plain = self._placement(row, lend, 0)
        placed = plain
        if plain.structural:
            shifted = [self._placement(row, lend, shift) for shift in (1, 2)]
            fitting = [p for p in shifted if not p.structural]
            if fitting:
                placed = max(fitting, key=lambda p: p.agreement)  # ties: the smaller shift
            elif plain.layout_misfits:
                self._unreadable(row)
                return
            # else: text under a number header, whatever the shift: the filer's, read as printed
        for field_name, (col, text, shared_reason) in placed.fields.items():
            if field_name in entry:
                continue
            if shared_reason:
                # One explanation merged down the whole block is about the funds as a whole.
                self.funds["reason"] = text
                self.t.src("funds.reason", row, col)
                continue
            entry[field_name] = text
            self.t.src(f"{path}.{field_name}", row, col)

    def _placement(self, row: int, lend: int, shift: int) -> "_Placement":
        g = self.g
        values = [(c, t) for c, t in g.row_cells(row) if c > lend]
        taken: set[int] = set()
        fields: dict[str, tuple[int, str | None, bool]] = {}
        for column in self.columns:
            start = max(column.start + shift, lend + 1)
            end = column.end + shift
            merge = g.merge_at(row, start)
            if merge and merge.min_row < row:
                continue  # the value belongs to the merged cell's first row
            col, text = g.first_in_span(row, start, end)
            if text is not None:
                taken.add(col)
            shared = column.field == "reason" and bool(merge and merge.min_row == row and merge.max_row > row)
            fields[column.field] = (col, text, shared)
        return _Placement(fields, lost=sum(1 for c, _ in values if c not in taken))

    def _unreadable(self, row: int) -> None:
        if self.unreadable_from is None:
            self.unreadable_from = row
        self.unreadable_to = row
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
        if self.unreadable_from is not None:
            self._give_up()
            return
        if not self.funds.get("sources"):
            self.funds.pop("sources", None)

    def _give_up(self) -> None:
        """The block was found but its values cannot be put under its headers: say so, and
        keep nothing of it, so that no rule reads a misread figure or blames the filer
        for a block that is there."""
        g = self.g
        last = max(self.unreadable_to or self.first_row, self.header_row or self.first_row)
        first_col = min((c for c, _ in g.row_cells(self.first_row)), default=1)
        cells = f"{coordinate(self.first_row, first_col)}:{coordinate(last, max(g.max_col, first_col))}"
        self.t.data.pop("funds", None)
        self.t.source = {k: v for k, v in self.t.source.items() if not k.startswith("funds")}
        self.t.unreadable.append({
            "block": "funds", "label": "资金投入情况", "label_en": "the funds block", "range": f"{g.sheet}!{cells}",
            "reason": "数值无法与列标题对应", "reason_en": "its values cannot be matched to its column headers",
        })


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
        if found and "target" not in {f for _, f, _ in found} and goal_column(label_key(cells[0][1])) == "target":
            # 年度目标 | 实际完成情况 with no label column: the anchor heads the goal's column.
            found.insert(0, (self.anchor_col, "target", self.g.span_end(row, self.anchor_col)))
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
        fields = {c.field for c in self.columns}
        if "initial_target" in fields and "target" not in fields:
            # 年初指标值 with no 调整后 column is the target itself (GUIDE §1h).
            for c in self.columns:
                if c.field == "initial_target":
                    c.field = "target"
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
        read: dict[str, tuple[int, str | None]] = {}
        for column in self.value_columns:
            if column.field in ("weight", "score"):
                read[column.field] = g.first_in_span(row, max(column.start, label[0] + 1), column.end)
        score_text = (read.get("score") or (0, None))[1]
        weight_text = (read.get("weight") or (0, None))[1]
        if score_text is not None and score_text.strip() in GRADE_VALUES and weight_text is not None \
                and weight_text.strip() not in GRADE_VALUES:
            # 总分 | … | 100 | 优: the template prints the total score under 分值 and the grade
            # where the score would be (GUIDE §1h).
            read = {"score": read["weight"]}
        for name, (col, text) in read.items():
            total[name] = text
            self.t.src(f"total.{name}", row, col)
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


class AnalysisBlock:
    """项目绩效分析 at the bottom of a project table (GUIDE §1b): lines of one or two labels and
    a text (项目实施的预算执行情况分析, 产出情况, 效益情况, 满意度情况, 主要经验做法, 存在的问题,
    改进措施), and the lines right after it in the same layout. They become the report part
    of the document, each text under its own label; a 偏离/偏差原因 line is also the report's
    deviation reasons, a 自评得分 line its stated score."""

    def __init__(self, table: Table, row: int):
        self.t = table
        self.g = table.grid
        self.report: dict = table.data.setdefault("report", {})
        cells = self.g.row_cells(row)
        self.anchor = (row, cells[0][0])
        self.feed(row)

    def feed(self, row: int) -> None:
        g = self.g
        cells = [(c, t) for c, t in g.row_cells(row) if (row, c) != self.anchor]
        if not cells:
            return
        *labels, (col, text) = cells
        if not labels:
            if len(cells) == 1 and (row, cells[0][0]) != self.anchor and len(normalize(text)) <= 20:
                return  # a label whose text cell is empty
            label = g.text(*self.anchor) or ""
        else:
            label = labels[-1][1]
        name = level_label(label).strip(":：")
        sections = self.report.setdefault("sections", {})
        if name in sections:
            return
        sections[name] = text
        self.t.src(f"report.sections.{name}", row, col)
        field = analysis_field(label_key(label))
        if field == "deviation_reasons" and "deviation_reasons" not in self.report:
            self.report["deviation_reasons"] = text
            self.t.src("report.deviation_reasons", row, col)
        elif field == "stated_score" and "stated_score" not in self.report:
            self.report["stated_score"] = text
            self.t.src("report.stated_score", row, col)
