"""Read the tables of a 部门决算公开 set from a sheet grid.

A table starts at its title row (收入支出决算总表 …) or, without a recognizable title, at its
公开NN表 mark; it runs to the next table's start. Between the title and the header sit the
公开NN表 mark, 部门/单位名称, the year and 金额单位; the header is one to three rows of labels
(merged cells spread over the columns they cover), often closed by a 栏次 row numbering the
columns. The labels, not the positions, say which column is which: the same table is printed
with the code in one column, split into 类/款/项 columns or written before the name, with or
without 行次 columns.

The reader keeps what is written: amounts as the text the cell shows (with its decimals),
codes as written (a wrong code is the rules' business). A blank amount cell is left out;
the model reads it as zero. Text below the table (注：…, 本表无数据) belongs to it; a
paragraph of 情况说明 text ends it and is never read as a row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from validator.kinds.final_accounts import layout
from validator.kinds.final_accounts.layout import fold
from validator.read import ReaderNotice
from validator.read.grid import Grid, coordinate

# A header is at most this many rows; a table without a data row within this many rows of
# its title is not read.
_HEADER_ROWS = 5
_SEARCH_ROWS = 12
_MAX_COLUMNS = 200

_DEPARTMENT = re.compile(r"(?:部门名称|单位名称|编制单位|填报单位|预算单位|部门|单位)[:：]\s*(?P<name>[^:：]*?)\s*(?=$|金额单位|单位[:：]|\d{4}\s*年)")
_UNIT = re.compile(r"(?:金额单位|单位)[:：]\s*(?P<unit>万元|元|亿元|千元)")
_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年(?:度)?")
_COLUMN_NUMBERS = re.compile(r"^栏次$|^栏\s*次$")
_NOTE = re.compile(r"^\s*(注|说明|备注)\s*[0-9一二三四五六七八九十]*\s*[:：、.]")
_NO_DATA = re.compile(r"本表无数据|本表为空表|本表无内容|无此项收支|无(政府性基金|国有资本经营)预算(财政拨款)?(收入|支出|收支)")
_CODE_HEADER = re.compile(r"(科目|功能分类|经济分类)?(编码|代码)$|^科目编码|^科目代码")
_NAME_HEADER = re.compile(r"(科目)?名称$")
_PART_HEADER = {"类": "class", "款": "kuan", "项": "item"}
_CODE_IN_NAME = re.compile(r"^\s*(?P<code>[0-9A-Za-z]*\d[0-9A-Za-z]{2,8})(?:\s+|(?=[\u4e00-\u9fff（(]))(?P<name>\S.*)$")
_AMOUNT_HEADER = re.compile(r"^(决算数|金额|合计|支出|本年支出|决算金额|统计数|数量|数值|本年决算数)$")
_TOTAL = re.compile(r"^(合计|总计)$")
# Headings of the 情况说明 text that follows the tables.
_EXPLANATION = re.compile(r"说明$|^第[一二三四五六七八九十]+部分|名词解释|^[一二三四五六七八九十]+、.*情况$")


@dataclass
class Anchor:
    row: int
    spec: layout.Spec | None
    title: str | None = None
    title_cell: tuple[int, int] | None = None
    mark: str | None = None
    mark_cell: tuple[int, int] | None = None


@dataclass
class Read:
    """One table as read: its canonical part (the `tables.tNN` entry), its source map (field
    paths relative to the table), what the reader noticed, and how sure it is."""

    spec: layout.Spec
    data: dict
    source: dict = field(default_factory=dict)
    notices: list = field(default_factory=list)
    first_row: int = 0
    last_row: int = 0
    header: bool = False  # the header labels were understood
    anchor: str = "A1"
    titled: bool = False
    marked: bool = False


# --- finding tables --------------------------------------------------------------------

def anchors(grid: Grid) -> list[Anchor]:
    """Title and mark rows, a mark within three rows of a title joined to it."""
    titles: list[Anchor] = []
    marks: list[tuple[int, int, str, str]] = []
    for row in grid.rows:
        cells = grid.row_cells(row)
        if not cells or len(cells) > 4:
            continue
        for col, text in cells:
            number = layout.mark_number(text)
            if number is not None:
                marks.append((row, col, number, text.strip()))
            spec = layout.table_for_title(text)
            if (spec is not None or layout.other_title(text)) and len(fold(text)) >= 4:
                titles.append(Anchor(row, spec, text.strip(), (row, col)))
                break
    for row, col, number, text in marks:
        near = [a for a in titles if abs(a.row - row) <= 3 and a.mark is None and a.spec is not None]
        if near:
            owner = min(near, key=lambda a: (abs(a.row - row), a.row > row))
            owner.mark, owner.mark_cell = text, (row, col)
        elif not any(a.title_cell and a.title_cell[0] == row for a in titles):
            titles.append(Anchor(row, layout.SPECS[number], None, None, text, (row, col)))
    titles.sort(key=lambda a: a.row)
    return titles


def find(grid: Grid) -> list[Read]:
    """Every table of the set in the grid, top to bottom."""
    found = anchors(grid)
    out = []
    for i, anchor in enumerate(found):
        start = min(anchor.row, anchor.mark_cell[0] if anchor.mark_cell else anchor.row)
        stop = found[i + 1].row - 1 if i + 1 < len(found) else (grid.rows[-1] if grid.rows else start)
        if i + 1 < len(found) and found[i + 1].mark_cell:
            stop = min(stop, found[i + 1].mark_cell[0] - 1)
        if anchor.spec is None:
            continue  # a table of another kind (项目收入支出决算表): ends the one above
        read = _Region(grid, anchor, start, max(stop, start)).read()
        if read is not None:
            out.append(read)
    return out


# --- a region --------------------------------------------------------------------------

class _Region:
    def __init__(self, grid: Grid, anchor: Anchor, start: int, stop: int):
        self.grid = grid
        self.anchor = anchor
        self.spec = anchor.spec
        self.start = start
        self.stop = stop
        self.rows = [r for r in grid.rows if start <= r <= stop]
        self.width = min(_MAX_COLUMNS, max((c for r in self.rows for c, _ in grid.row_cells(r)), default=1))
        for r in self.rows:
            for c, _ in grid.row_cells(r):
                self.width = max(self.width, min(_MAX_COLUMNS, grid.span_end(r, c)))
        self.data: dict[str, Any] = {"mark": anchor.mark, "title": anchor.title}
        self.source: dict[str, dict] = {}
        self.notices: list[ReaderNotice] = []
        self.last = anchor.row
        self.header_start: int | None = None

    # cells
    def text(self, row: int, col: int) -> str | None:
        t = self.grid.text(row, col)
        return t.strip() if isinstance(t, str) and t.strip() else None

    def shown(self, row: int, col: int) -> str | None:
        """The text a cell shows, a merged cell's text on every cell it covers."""
        t = self.text(row, col)
        if t is not None:
            return t
        merge = self.grid.merge_at(row, col)
        if merge is not None:
            return self.text(merge.min_row, merge.min_col)
        return None

    def put(self, path: str, value: Any, row: int, col: int) -> None:
        """Set data[path] (dotted, with [i]) and remember its cell."""
        node: Any = self.data
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            key: Any = int(part[1:-1]) if part.startswith("[") else part
            if last:
                if isinstance(key, int) and key == len(node):
                    node.append(value)
                else:
                    node[key] = value
            else:
                nxt = parts[i + 1]
                if isinstance(key, int):
                    node = node[key]
                else:
                    node = node.setdefault(key, [] if nxt.startswith("[") else {})
        self.where(path, row, col)

    def where(self, path: str, row: int, col: int) -> None:
        self.source[path] = {"sheet": self.grid.sheet, "cell": coordinate(row, col)}
        self.last = max(self.last, row)

    def notice(self, code: str, severity: str, zh: str, en: str, row: int, col: int, path: str = "") -> None:
        self.notices.append(ReaderNotice(code=code, severity=severity, message=zh, message_en=en, path=path,
                                         sheet=self.grid.sheet, cell=coordinate(row, col)))

    # the rows above the header
    def meta(self, before: int | None = None) -> None:
        """部门, year and 金额单位 from the rows above the header (`before`)."""
        if self.anchor.title_cell:
            self.where("title", *self.anchor.title_cell)
        if self.anchor.mark_cell:
            self.where("mark", *self.anchor.mark_cell)
        for row in [r for r in self.rows if before is None or r < before][:8]:
            cells = self.grid.row_cells(row)
            joined = " ".join(t for _, t in cells)
            if "department" not in self.data:
                for col, text in cells:
                    m = _DEPARTMENT.search(text.strip())
                    if m and m["name"].strip() and not m["name"].strip().startswith(("万元", "元")):
                        self.put("department", m["name"].strip(), row, col)
                        break
                    if re.fullmatch(r"(部门名称|单位名称|编制单位|填报单位|部门|单位)[:：]?", fold(text)):
                        col2, value = self.grid.next_after(row, col)
                        if value and not _UNIT.search(value):
                            self.put("department", value.strip(), row, col2)
                            break
            if "unit" not in self.data:
                for col, text in cells:
                    m = _UNIT.search(fold(text))
                    if m:
                        self.put("unit", m["unit"], row, col)
                        break
            if "year" not in self.data:
                m = _YEAR.search(fold(joined))
                if m:
                    col = next((c for c, t in cells if _YEAR.search(fold(t))), cells[0][0])
                    self.put("year", m["year"], row, col)

    # headers
    def header_labels(self, rows: list[int]) -> dict[int, list[str]]:
        """Each column's labels, top to bottom (a merged label counted on each column it
        covers, once per column)."""
        labels: dict[int, list[str]] = {}
        for row in rows:
            for col in range(1, self.width + 1):
                text = self.shown(row, col)
                if text is None:
                    continue
                seen = labels.setdefault(col, [])
                folded = fold(text)
                if not seen or seen[-1] != folded:
                    seen.append(folded)
        return labels

    def columns_row(self, rows: list[int]) -> int | None:
        """The 栏次 row: labelled so, or a row of the numbers 1, 2, 3 … alone."""
        for row in rows:
            cells = self.grid.row_cells(row)
            if any(_COLUMN_NUMBERS.match(fold(t)) for _, t in cells[:3]):
                return row
            texts = [fold(t) for _, t in cells]
            if len(texts) >= 3 and texts == [str(i) for i in range(1, len(texts) + 1)]:
                return row
        return None

    def header_rows(self, is_header, is_data) -> tuple[list[int], int | None]:
        """(header rows, first row after the header): the header starts at the first row
        is_header accepts and ends at the 栏次 row, or before the first row is_data accepts."""
        start_at = max(self.anchor.row, self.anchor.mark_cell[0] if self.anchor.mark_cell else 0)
        candidates = [r for r in self.rows if r > start_at][:_SEARCH_ROWS]
        first = next((r for r in candidates if is_header(r)), None)
        if first is None:
            return [], None
        self.header_start = first
        following = [r for r in self.rows if r >= first]
        numbers = self.columns_row(following[: _HEADER_ROWS + 1])
        if numbers is not None:
            rows = [r for r in following if r <= numbers]
            after = next((r for r in following if r > numbers), None)
            return rows, after
        rows = []
        for r in following[: _HEADER_ROWS + 1]:
            if rows and is_data(r):
                return rows, r
            rows.append(r)
        return rows[:1], (following[1] if len(following) > 1 else None)

    def read(self) -> Read:
        reader = {
            layout.CODES: self.codes, layout.SUMMARY: self.summary, layout.ECONOMIC: self.economic,
            layout.THREE_PUBLIC: self.three_public, layout.INFO: self.info,
        }[self.spec.layout]
        header = reader()
        if not header:
            # A table printed as its title and 本表无数据, without a header.
            for row in self.rows:
                cells = self.grid.row_cells(row)
                if row > self.anchor.row and cells and _NO_DATA.search(fold("".join(t for _, t in cells))):
                    self.take_trailer("empty", row, cells)
                    header = True
                    break
        self.meta(self.header_start)
        title_row, title_col = self.anchor.title_cell or self.anchor.mark_cell
        return Read(
            spec=self.spec, data=self.data, source=self.source, notices=self.notices,
            first_row=self.start, last_row=max(self.last, self.start), header=header,
            anchor=coordinate(title_row, title_col), titled=self.anchor.title is not None,
            marked=self.anchor.mark is not None,
        )

    # rows below a table
    def trailer(self, row: int, cells: list[tuple[int, str]]) -> str | None:
        """"note", "empty" (本表无数据), "end" (a paragraph or a heading of the 情况说明, or
        anything after the notes: the table is over) or None."""
        texts = [t for _, t in cells]
        joined = fold("".join(texts))
        if _NO_DATA.search(joined):
            return "empty"
        if _NOTE.match(texts[0]) or "尾数误差" in joined:
            return "note"
        if self.data.get("notes") or (len(cells) == 1 and (len(joined) > 24 or _EXPLANATION.search(joined))):
            return "end"
        if layout.table_for_title(texts[0]) is not None or layout.mark_number(texts[0]) or layout.other_title(texts[0]):
            return "end"
        if len(cells) == 1 and re.search(r"[表单]$", joined) and not re.match(r"^\d", joined):
            return "end"  # the title of a table outside the set
        return None

    def take_trailer(self, kind: str, row: int, cells) -> None:
        if kind == "empty":
            self.data["empty"] = True
            self.where("empty", row, cells[0][0])
        elif kind == "note":
            notes = self.data.setdefault("notes", [])
            self.put(f"notes[{len(notes)}]", " ".join(t.strip() for _, t in cells), row, cells[0][0])

    def body(self, after: int):
        """The rows of the table from `after` on, with their cells: rows below the table
        (notes, 本表无数据) are taken as such and not given, and the rows end where the
        table does. Lazy, so each row's verdict sees what the rows before it set."""
        for row in [r for r in self.rows if r >= after]:
            cells = self.grid.row_cells(row)
            if not cells:
                continue
            kind = self.trailer(row, cells)
            if kind == "end":
                return
            if kind is not None:
                self.take_trailer(kind, row, cells)
                continue
            yield row, cells

    # --- 公开02 03 05 07 08: rows by functional code --------------------------------------
    def codes(self) -> bool:
        spec = self.spec

        def amount_key(labels: list[str]) -> str | None:
            if not labels:
                return None
            last = labels[-1]
            tries = [last]
            if last in ("小计", "合计") and len(labels) > 1:
                tries.append(labels[-2] + last)
            tries.append("".join(labels))
            for text in tries:
                for key, _zh, _en, pattern in spec.columns:
                    if re.search(pattern, text):
                        return key
            return None

        def is_header(row: int) -> bool:
            keys = [fold(t) for _, t in self.grid.row_cells(row)]
            return any(k in ("项目", "科目名称", "科目编码", "科目代码", "功能分类科目编码") or k in _PART_HEADER for k in keys) \
                or sum(1 for k in keys if amount_key([k])) >= 2

        def is_data(row: int) -> bool:
            cells = self.grid.row_cells(row)
            first = fold(cells[0][1]) if cells else ""
            return bool(_TOTAL.match(first) or re.match(r"^\d{3}", first))

        rows, after = self.header_rows(is_header, is_data)
        if not rows:
            return False
        labels = self.header_labels([r for r in rows if r != self.columns_row(rows)])
        parts: dict[str, int] = {}
        code_col = name_col = line_col = None
        amounts: dict[str, int] = {}
        for col in sorted(labels):
            ls = labels[col]
            if ls[-1] in _PART_HEADER:
                parts.setdefault(_PART_HEADER[ls[-1]], col)
            elif any(_CODE_HEADER.search(x) for x in ls):
                code_col = code_col or col
            elif any(_NAME_HEADER.search(x) for x in ls):
                name_col = name_col or col
            elif ls[-1] == "行次":
                line_col = line_col or col
            else:
                key = amount_key(ls)
                if key is not None and key not in amounts:
                    amounts[key] = col
                elif ls == ["项目"] and name_col is None and not amounts:
                    name_col = col
                elif key is None and ls[-1] not in ("项目", "栏次"):
                    self.notice("FA903", "info", f"{spec.title}中的“{'/'.join(ls)}”栏不是该表的栏目，未读取",
                                f"the column '{'/'.join(ls)}' of the {spec.title_en} table is not one of its columns; not read",
                                rows[0], col)
        if not amounts:
            return False
        self.data["columns"] = [k for k, *_ in spec.columns if k in amounts]
        if after is None:
            return True
        rows_out: list[dict] = []
        last_class = last_kuan = None
        for row, cells in self.body(after):
            code = name = None
            code_at = None
            if parts:
                pieces = {p: self.text(row, c) for p, c in parts.items()}
                cls, kuan, item = pieces.get("class"), pieces.get("kuan"), pieces.get("item")
                pad = lambda v: v.zfill(2) if v and v.isdigit() and len(v) == 1 else v  # noqa: E731
                kuan, item = pad(kuan), pad(item)
                if cls:
                    code, last_class, last_kuan = cls, cls, None
                    if kuan:
                        code, last_kuan = cls + kuan, kuan
                        if item:
                            code += item
                elif kuan:
                    code, last_kuan = (last_class or "") + kuan, kuan
                    if item:
                        code += item
                elif item:
                    code = (last_class or "") + (last_kuan or "") + item
                filled = [c for p, c in parts.items() if pieces.get(p)]
                code_at = max(filled) if filled else None
            elif code_col is not None and self.text(row, code_col):
                code, code_at = self.text(row, code_col), code_col
            if name_col is not None:
                name = self.text(row, name_col)
            if code and name is None and not _TOTAL.match(fold(code)):
                m = _CODE_IN_NAME.match(code)
                if m:
                    code, name = m["code"], m["name"].strip()
            if name and code is None:
                m = _CODE_IN_NAME.match(name)
                if m and not _TOTAL.match(fold(name)):
                    code, name, code_at = m["code"], m["name"].strip(), name_col
            values = {k: self.text(row, c) for k, c in amounts.items()}
            label = fold(code or "") or fold(name or "")
            if _TOTAL.match(label) or (name and _TOTAL.match(fold(name))):
                target = "total_row"
                self.put(f"{target}.name", fold(name or code), row, name_col or code_col or cells[0][0])
            elif code is None and name is None:
                if any(values.values()):
                    self.notice("FA904", "warning", f"{spec.title}第 {row} 行有金额但没有科目编码和名称，未读取",
                                f"row {row} of the {spec.title_en} table has amounts but no code or name; not read",
                                row, cells[0][0])
                    self.last = max(self.last, row)
                continue
            else:
                target = f"rows[{len(rows_out)}]"
                rows_out.append({})
                self.data.setdefault("rows", rows_out)
                if code is not None:
                    self.put(f"{target}.code", code, row, code_at or cells[0][0])
                if name is not None:
                    self.put(f"{target}.name", name, row, name_col or cells[0][0])
                if line_col is not None and self.text(row, line_col):
                    self.put(f"{target}.line", self.text(row, line_col), row, line_col)
            for key, col in amounts.items():
                if values[key] is not None:
                    self.put(f"{target}.{key}", values[key], row, col)
                else:
                    self.where(f"{target}.{key}", row, col)
        return True

    # --- 公开01 04: two halves of lines ----------------------------------------------------
    def summary(self) -> bool:
        spending_cols = (
            ("amount", r"^(合计|金额|决算数|本年决算数)$"),
            ("general", r"一般公共预算"),
            ("fund", r"政府性基金"),
            ("capital", r"国有资本"),
        )

        def is_header(row: int) -> bool:
            keys = [fold(t) for _, t in self.grid.row_cells(row)]
            return keys.count("项目") >= 1 or ("收入" in keys and "支出" in keys)

        def is_data(row: int) -> bool:
            return any(layout.line_role(t)[0] for _, t in self.grid.row_cells(row))

        rows, after = self.header_rows(is_header, is_data)
        if not rows:
            return False
        labels = self.header_labels([r for r in rows if r != self.columns_row(rows)])
        items = [c for c in sorted(labels) if labels[c][-1] == "项目" or labels[c][-1] in ("收入项目", "支出项目")]
        if len(items) < 2:
            top = {c: ls[0] for c, ls in labels.items()}
            items = [min((c for c in top if top[c].startswith("收入")), default=None),
                     min((c for c in top if top[c].startswith("支出")), default=None)]
            if None in items:
                return False
        halves = {"income": (items[0], items[1] - 1), "spending": (items[1], self.width)}
        cols: dict[str, dict[str, int]] = {}
        for side, (lo, hi) in halves.items():
            found: dict[str, int] = {}
            for col in range(lo + 1, hi + 1):
                ls = labels.get(col) or []
                if not ls:
                    continue
                if ls[-1] == "行次":
                    found.setdefault("line", col)
                    continue
                last = ls[-1]
                for key, pattern in spending_cols:
                    if re.search(pattern, last) or (key == "amount" and len(ls) == 1 and _AMOUNT_HEADER.match(last)):
                        found.setdefault(key, col)
                        break
            if "amount" not in found:
                # 04's income half prints 金额 under the half's label only
                numbered = [c for c in range(lo + 1, hi + 1) if c in labels and labels[c][-1] not in ("行次",)]
                if numbered:
                    found["amount"] = numbered[0]
            cols[side] = found
        if "amount" not in cols["income"] or "amount" not in cols["spending"]:
            return False
        self.data["income"], self.data["spending"] = [], []
        if after is None:
            return True
        for row, cells in self.body(after):
            for side, (lo, _hi) in halves.items():
                label = self.text(row, lo)
                if label is None or _COLUMN_NUMBERS.match(fold(label)):
                    continue
                lines = self.data[side]
                path = f"{side}[{len(lines)}]"
                lines.append({})
                self.put(f"{path}.item", label, row, lo)
                for key, col in cols[side].items():
                    value = self.text(row, col)
                    if value is not None:
                        self.put(f"{path}.{key}", value, row, col)
                    elif key != "line":
                        self.where(f"{path}.{key}", row, col)
        return True

    # --- 公开06: economic codes in side-by-side blocks -----------------------------------
    def economic(self) -> bool:
        def is_header(row: int) -> bool:
            keys = [fold(t) for _, t in self.grid.row_cells(row)]
            return any(k in ("人员经费", "公用经费") or _CODE_HEADER.search(k) for k in keys)

        def is_data(row: int) -> bool:
            cells = self.grid.row_cells(row)
            return bool(cells) and bool(re.match(r"^\d{3}", fold(cells[0][1])))

        rows, after = self.header_rows(is_header, is_data)
        if not rows:
            return False
        labels = self.header_labels([r for r in rows if r != self.columns_row(rows)])
        blocks: list[dict] = []
        for col in sorted(labels):
            ls = labels[col]
            if any(_CODE_HEADER.search(x) for x in ls[1:] or ls):
                group = "personnel" if "人员经费" in ls else "public" if "公用经费" in ls else None
                blocks.append({"code": col, "group": group})
            elif blocks and "name" not in blocks[-1] and any(_NAME_HEADER.search(x) for x in ls):
                blocks[-1]["name"] = col
            elif blocks and "amount" not in blocks[-1] and _AMOUNT_HEADER.match(ls[-1]):
                blocks[-1]["amount"] = col
        blocks = [b for b in blocks if "amount" in b]
        if not blocks:
            return False
        self.data["personnel"], self.data["public"] = [], []
        if after is None:
            return True
        found: list[tuple] = []
        for row, cells in self.body(after):
            for col, text in cells:
                key = {"人员经费合计": "personnel_total", "公用经费合计": "public_total"}.get(fold(text))
                if key:
                    # the amount column of the block the (merged) label ends in, or the next one
                    end = self.grid.span_end(row, col)
                    vcol = min((b["amount"] for b in blocks if b["amount"] > end), default=None)
                    if vcol is None:
                        continue
                    value = self.text(row, vcol)
                    if value is not None:
                        self.put(key, value, row, vcol)
                    else:
                        self.where(key, row, vcol)
            for b, block in enumerate(blocks):
                code = self.text(row, block["code"])
                name = self.text(row, block["name"]) if "name" in block else None
                if code is None and name is None:
                    continue
                if fold(code or "").endswith("经费合计") or fold(name or "").endswith("经费合计"):
                    continue
                if code and name is None:
                    m = _CODE_IN_NAME.match(code)
                    if m:
                        code, name = m["code"], m["name"].strip()
                if code is None and name:
                    m = _CODE_IN_NAME.match(name)
                    if m:
                        code, name = m["code"], m["name"].strip()
                found.append((b, row, block, code, name))
        # Each block's lines in order, block after block: a 款 follows its 类 only within
        # its block (the blocks stand side by side, row by row).
        for _b, row, block, code, name in sorted(found, key=lambda x: (x[0], x[1])):
            group = block["group"] or ("personnel" if (code or "")[:3] in layout.PERSONNEL_CLASSES else "public")
            lines = self.data[group]
            path = f"{group}[{len(lines)}]"
            lines.append({})
            if code is not None:
                self.put(f"{path}.code", code, row, block["code"])
            if name is not None:
                self.put(f"{path}.name", name, row, block.get("name", block["code"]))
            value = self.text(row, block["amount"])
            if value is not None:
                self.put(f"{path}.amount", value, row, block["amount"])
            else:
                self.where(f"{path}.amount", row, block["amount"])
        return True

    # --- 公开09: the 三公 table -------------------------------------------------------------
    @staticmethod
    def _component(labels: list[str]) -> str | None:
        text = "".join(labels)
        last = labels[-1] if labels else ""
        if "购置及运行" in last or (last in ("小计", "合计") and "购置及运行" in text):
            return "vehicles"
        if "公务用车购置" in last:
            return "purchase"
        if "运行维护" in last:
            return "running"
        if "因公出国" in last:
            return "abroad"
        if "公务接待" in last:
            return "reception"
        if last in ("合计", "小计", "总计"):
            return "total"
        return None

    def three_public(self) -> bool:
        def is_header(row: int) -> bool:
            keys = [fold(t) for _, t in self.grid.row_cells(row)]
            return any(k in ("预算数", "决算数", "项目") or "因公出国" in k for k in keys)

        def is_data(row: int) -> bool:
            cells = self.grid.row_cells(row)
            return bool(cells) and all(re.fullmatch(r"-?[\d.,]+|[-—/]", fold(t)) for _, t in cells)

        rows, after = self.header_rows(is_header, is_data)
        if not rows:
            return False
        labels = self.header_labels([r for r in rows if r != self.columns_row(rows)])
        phase_of = lambda ls: "budget" if any(x.startswith("预算") for x in ls) else "actual" if any(x.startswith("决算") for x in ls) else None  # noqa: E731
        horizontal = {c: (phase_of(ls), self._component(ls)) for c, ls in labels.items()}
        horizontal = {c: v for c, v in horizontal.items() if v[0] and v[1]}
        self.data["budget"], self.data["actual"] = {}, {}
        if len({v[1] for v in horizontal.values()}) >= 3:
            if after is None:
                return True
            for row, cells in self.body(after):
                if "data_row" in self.data:
                    continue
                self.data["data_row"] = row
                for col, (phase, key) in horizontal.items():
                    value = self.text(row, col)
                    if value is not None:
                        self.put(f"{phase}.{key}", value, row, col)
                    else:
                        self.where(f"{phase}.{key}", row, col)
            self.data.pop("data_row", None)
            return True
        # Rows of components, a 预算数 and a 决算数 column.
        phases = {c: phase_of(ls[-1:]) for c, ls in labels.items() if phase_of(ls[-1:])}
        if len(set(phases.values())) < 2 or after is None:
            return False
        label_col = min(labels)
        for row, cells in self.body(after):
            label = self.text(row, label_col)
            key = self._component([layout.strip_numbering(label or "")]) if label else None
            if key is None:
                continue
            for col, phase in phases.items():
                value = self.text(row, col)
                if value is not None:
                    self.put(f"{phase}.{key}", value, row, col)
                else:
                    self.where(f"{phase}.{key}", row, col)
        return True

    # --- 公开10: named statistics --------------------------------------------------------
    def info(self) -> bool:
        def is_header(row: int) -> bool:
            keys = [fold(t) for _, t in self.grid.row_cells(row)]
            return "项目" in keys or any(_AMOUNT_HEADER.match(k) for k in keys)

        def is_data(row: int) -> bool:
            return any(_info_key(t) for _, t in self.grid.row_cells(row))

        rows, after = self.header_rows(is_header, is_data)
        if not rows:
            return False
        labels = self.header_labels([r for r in rows if r != self.columns_row(rows)])
        items = [c for c in sorted(labels) if labels[c][-1] == "项目"] or [min(labels)]
        pairs: list[tuple[int, int | None, int]] = []  # (label col, unit col, value col)
        for i, col in enumerate(items):
            end = items[i + 1] - 1 if i + 1 < len(items) else self.width
            value = next((c for c in range(col + 1, end + 1) if c in labels and _AMOUNT_HEADER.match(labels[c][-1])), None)
            unit = next((c for c in range(col + 1, end + 1) if c in labels and labels[c][-1] in ("单位", "计量单位")), None)
            if value is not None:
                pairs.append((col, unit, value))
        if not pairs:
            return False
        if after is None:
            return True
        in_vehicles = False
        for row, cells in self.body(after):
            for label_col, unit_col, value_col in pairs:
                label = self.text(row, label_col)
                if label is None or _COLUMN_NUMBERS.match(fold(label)):
                    continue
                value = self.text(row, value_col)
                key = _info_key(label)
                if key == "vehicles.total":
                    in_vehicles = True
                elif key is not None:
                    in_vehicles = False
                if key is None and in_vehicles and "用车" in label:
                    kinds = self.data.setdefault("vehicles", {}).setdefault("kinds", [])
                    path = f"vehicles.kinds[{len(kinds)}]"
                    kinds.append({})
                elif key is None:
                    other = self.data.setdefault("other", [])
                    path = f"other[{len(other)}]"
                    other.append({})
                else:
                    path = key
                self.put(f"{path}.item", label, row, label_col)
                if unit_col is not None and self.text(row, unit_col):
                    self.put(f"{path}.unit", self.text(row, unit_col), row, unit_col)
                if value is not None:
                    self.put(f"{path}.value", value, row, value_col)
                else:
                    self.where(f"{path}.value", row, value_col)
        return True


_INFO_KEYS = (
    ("running_costs", r"(机关|机构)运行经费"),
    ("procurement.goods", r"政府采购.*货物|^货物(支出|采购)"),
    ("procurement.works", r"政府采购.*工程|^工程(支出|采购)"),
    ("procurement.services", r"政府采购.*服务|^服务(支出|采购)"),
    ("procurement.sme", r"授予中小企业"),
    ("procurement.total", r"政府采购(支出|合同)?(总额|合计|金额)?"),
    ("vehicles.total", r"车辆(数)?(合计|总数)|公务用车(保有量|合计)|^车辆数"),
    ("equipment.general", r"单价.*通用设备"),
    ("equipment.special", r"单价.*专用设备"),
)


def _info_key(label: str) -> str | None:
    text = layout.strip_numbering(label)
    for key, pattern in _INFO_KEYS:
        if re.search(pattern, text):
            return key
    return None
