"""Tables of amounts by row — allocation tables (资金分配表, 明细表) and execution tables — read
by their labels: a header of one or two rows (地区 | 预算数: 中央 / 地方 | 执行数 …), a label
column (the recipient, region or project), columns of amounts, rates and text, and 合计 /
小计 rows. Which rows are subtotals and what they sum is decided from the labels and,
where the labels are silent (a region row with no 小计), from the sums themselves.

Shared by the kinds that read such tables; it knows nothing of rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from validator.domain import notation
from validator.domain.notation import QUANTITY, Notation, parse_value
from validator.kinds import Match
from validator.kinds.labels import label_key, money_unit, normalize, year_in
from validator.read.grid import Grid, coordinate

_TOTAL = re.compile(r"^(合计|总计|共计|全省合计|全市合计|总额|合计数)$")
_SUBTOTAL = re.compile(r"小计$|^小计")
_NAME_HEADER = re.compile(r"(名称|单位|地区|地州|市县|县区|区县|项目|省份|省市|市州|县市|受援|实施主体|对象)")
_AMOUNT_WORDS = ("资金", "金额", "补助", "拨款", "预算", "安排", "分配", "下达", "投入", "执行", "支出", "合计", "小计", "结余", "结转")
_RATE_WORDS = ("执行率", "支出率", "完成率", "到位率", "使用率", "比例", "占比")
_EXECUTED_WORDS = ("执行", "支出", "实际")
_BUDGET_WORDS = ("预算", "下达", "安排", "分配", "到位")
_SERIAL = re.compile(r"^(序号|编号|行次)$")
_UNIT_LINE = re.compile(r"^(金额)?单位[:：]|^填报单位|^编制单位")
# A header that is only an administrative level: 县（市、区）, 市（州）, 乡镇（街道） lose their
# bracketed alternatives in label_key and come out as 县, 市, 乡镇.
_LEVEL_HEADER = re.compile(r"^[省市州盟县旗区乡镇街道村]{1,4}$")
# Rows of amounts the table is about end after this many empty rows.
_GAP = 2


def cell_number(text: str | None) -> Decimal | None:
    if text is None:
        return None
    n = notation.parse_text(text)
    return n.number if n.kind == notation.QUANTITY else None


@dataclass(slots=True)
class Column:
    key: str  # c1, c2 … in order
    col: int
    label: str  # the header as printed, both rows joined with " / "
    role: str  # amount, rate, text
    measure: str | None = None  # budget / executed / rate, where the header says
    source: str | None = None  # central / local / provincial / city / county / other / total


@dataclass(slots=True)
class Row:
    row: int
    label: str
    label_col: int
    group: str | None
    role: str  # total, subtotal, item
    values: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # key → (col, text)
    texts: dict[str, tuple[int, str | None]] = field(default_factory=dict)

    def number(self, key: str) -> Decimal | None:
        return cell_number(self.values.get(key, (0, None))[1])


@dataclass
class Ledger:
    grid: Grid
    title: str | None
    title_row: int | None
    header_rows: tuple[int, ...]
    label_col: int
    columns: list[Column]
    rows: list[Row]
    unit: str | None
    year: int | None
    children: dict[int, list[int]] = field(default_factory=dict)  # index of a total/subtotal → its parts
    sum_hints: set[int] = field(default_factory=set)  # rows found to be subtotals by their sums

    @property
    def first_row(self) -> int:
        return self.title_row or self.header_rows[0]

    @property
    def last_row(self) -> int:
        return self.rows[-1].row if self.rows else self.header_rows[-1]

    @property
    def anchor(self) -> str:
        row = self.first_row
        cells = self.grid.row_cells(row)
        return coordinate(row, cells[0][0] if cells else 1)


def source_of(text: str) -> str | None:
    key = label_key(text)
    if "合计" in key or "总额" in key or "总计" in key:
        return "total"
    if "中央" in key:
        return "central"
    if "地方" in key or "市县" in key:
        return "local"
    if key.startswith("省"):
        return "provincial"
    if key.startswith("市"):
        return "city"
    if key.startswith(("县", "区县")):
        return "county"
    if "其他" in key or "自筹" in key:
        return "other"
    return None


def _header_role(text: str) -> str | None:
    key = label_key(text)
    if not key or len(key) > 30:
        return None
    if _SERIAL.match(key):
        return "serial"
    if any(w in key for w in _RATE_WORDS):
        return "rate"
    if money_unit(text) or any(w in key for w in _AMOUNT_WORDS):
        return "amount"
    if _NAME_HEADER.search(key) or _LEVEL_HEADER.match(key) or key in {"地州/市", "省份", "地区"}:
        return "name"
    return None


def _is_header(grid: Grid, row: int) -> bool:
    roles = [_header_role(t) for _, t in grid.row_cells(row)]
    if any(cell_number(t) is not None for _, t in grid.row_cells(row)):
        return False
    return roles.count("amount") + roles.count("rate") >= 1 and "name" in roles


def _measure(label: str) -> str | None:
    key = label_key(label)
    if any(w in key for w in _RATE_WORDS):
        return "rate"
    if any(w in key for w in _EXECUTED_WORDS):
        return "executed"
    if any(w in key for w in _BUDGET_WORDS):
        return "budget"
    return None


def _columns(grid: Grid, header: int, sub: int | None) -> tuple[list[Column], list[tuple[int, str]]]:
    """Amount, rate and text columns, and the name columns (col, header text)."""
    heads: dict[int, str] = {}
    for col, text in grid.row_cells(header):
        end = grid.span_end(header, col)
        for c in range(col, end + 1):
            heads[c] = text
    subs = dict(grid.row_cells(sub)) if sub else {}
    cols: list[Column] = []
    names: list[tuple[int, str]] = []
    for c in sorted(set(heads) | set(subs)):
        top = heads.get(c)
        below = subs.get(c)
        label = " / ".join(t.strip() for t in (top, below) if t)
        if not label:
            continue
        role = (_header_role(below) if below else None) or _header_role(top or "") or "text"
        if role == "serial":
            continue
        if role == "name":
            names.append((c, label))
            continue
        measure = (_measure(below) if below else None) or (_measure(top) if top else None)
        if role == "rate":
            measure = "rate"
        source = (source_of(below) if below else None) or source_of(top or "")
        cols.append(Column("", c, label, role, measure, source))
    for i, column in enumerate(cols):
        column.key = f"c{i + 1}"
    return cols, names


def _sub_header(grid: Grid, header: int) -> int | None:
    """A second header row: labels only, under a merged first-row header."""
    nxt = next((r for r in grid.rows if r > header), None)
    if nxt is None or nxt > header + 1:
        return None
    cells = grid.row_cells(nxt)
    if not cells or any(cell_number(t) is not None for _, t in cells):
        return None
    merged_above = any((m := grid.merge_at(header, c)) is not None and m.max_col > m.min_col for c, _ in cells)
    if not merged_above:
        return None
    return nxt if all(_header_role(t) in ("amount", "rate", "name", None) for _, t in cells) else None


def matches(grid: Grid, kind: str, score) -> list[Match]:
    """The tables of amounts in `grid` that `score` (ledger → confidence, reasons in
    Chinese, reasons in English) finds at all like a table of `kind`."""
    out = []
    for ledger in find_ledgers(grid):
        confidence, zh, en = score(ledger)
        if confidence > 0:
            out.append(Match(kind, confidence, ledger.first_row, ledger.last_row, ledger.anchor,
                             "；".join(zh), "; ".join(en), detail=ledger))
    return out


def find_ledgers(grid: Grid) -> list[Ledger]:
    ledgers = []
    rows = grid.rows
    used_until = 0
    for i, row in enumerate(rows):
        if row <= used_until or not _is_header(grid, row):
            continue
        ledger = _read(grid, row, [r for r in rows[max(0, i - 3):i] if r > used_until])
        if ledger is not None and ledger.rows:
            ledgers.append(ledger)
            used_until = ledger.last_row
    return ledgers


def _title_above(grid: Grid, header: int, above: list[int]) -> tuple[str | None, int | None]:
    """The table's title: the nearest single-cell text row within three rows above the
    header, passing over a unit line (单位：万元) or a short note between them."""
    for row in reversed(above):
        if header - row > 3:
            break
        cells = grid.row_cells(row)
        if len(cells) == 1 and len(normalize(cells[0][1])) >= 6 and cell_number(cells[0][1]) is None \
                and not _UNIT_LINE.match(normalize(cells[0][1])):
            return cells[0][1], row
    return None, None


def _read(grid: Grid, header: int, above: list[int]) -> Ledger | None:
    sub = _sub_header(grid, header)
    columns, names = _columns(grid, header, sub)
    amount_cols = [c for c in columns if c.role in ("amount", "rate")]
    if not amount_cols:
        return None
    first_amount = min(c.col for c in amount_cols)
    label_cols = [c for c, _ in names if c < first_amount]
    if not label_cols:
        return None
    label_col = max(label_cols)
    group_cols = [c for c in label_cols if c < label_col]
    title, title_row = _title_above(grid, header, above)
    body_start = (sub or header) + 1
    rows: list[Row] = []
    last = header
    for r in (x for x in grid.rows if x >= body_start):
        if r - last > _GAP + 1 and rows:
            break
        if _is_header(grid, r) or normalize((grid.row_cells(r) or [(0, "")])[0][1]).startswith(("注", "备注", "填表说明")):
            break
        label = _row_label(grid, r, label_col, group_cols)
        values = {c.key: grid.first_in_span(r, c.col, c.col) for c in columns if c.role in ("amount", "rate")}
        texts = {c.key: grid.first_in_span(r, c.col, c.col) for c in columns if c.role == "text"}
        if label is None and not any(t for _, t in values.values()):
            continue
        if label is None:
            label = (label_col, "")
        if label[1] and not any(t for _, t in values.values()) and not texts:
            # a group heading row with no amounts (新疆 (14个) alone): the group of what follows
            continue
        group = _group(grid, r, group_cols)
        key = label_key(label[1]) if label[1] else ""
        role = "total" if _TOTAL.match(key) or (not key and group and _TOTAL.match(label_key(group))) else \
            "subtotal" if _SUBTOTAL.search(key) else "item"
        rows.append(Row(r, label[1].strip(), label[0], group, role, values, texts))
        last = r
    unit = next((money_unit(c.label) for c in columns if money_unit(c.label)), None) or _unit_nearby(grid, header)
    year = year_in(title) if title else None
    ledger = Ledger(grid, title, title_row, (header,) + ((sub,) if sub else ()), label_col, columns, rows, unit, year)
    _structure(ledger)
    return ledger


def _row_label(grid: Grid, row: int, label_col: int, group_cols: list[int]) -> tuple[int, str] | None:
    text = grid.text(row, label_col)
    if text:
        return label_col, text
    # a label printed one column left (the region column) when the name column is empty
    for c in sorted(group_cols, reverse=True):
        t = grid.text(row, c)
        if t and (grid.merge_at(row, c) is None or grid.merge_at(row, c).min_row == grid.merge_at(row, c).max_row):
            return c, t
    return None


def _group(grid: Grid, row: int, group_cols: list[int]) -> str | None:
    for c in group_cols:
        merge = grid.merge_at(row, c)
        text = grid.text(merge.min_row, merge.min_col) if merge else grid.text(row, c)
        if text:
            return text.strip()
    return None


def _unit_nearby(grid: Grid, header: int) -> str | None:
    for r in range(max(1, header - 3), header):
        for _, t in grid.row_cells(r):
            if "单位" in normalize(t) and money_unit(t):
                return money_unit(t)
    return None


def _sums(ledger: Ledger, parent: int, parts: list[int]) -> bool:
    """Whether row `parent`'s amounts are the sums of `parts` in every amount column that
    has a figure, at the printed precision."""
    keys = [c.key for c in ledger.columns if c.role == "amount"]
    checked = 0
    for key in keys:
        value = ledger.rows[parent].number(key)
        numbers = [ledger.rows[i].number(key) for i in parts]
        if value is None:
            continue
        total = sum((n for n in numbers if n is not None), Decimal(0))
        if abs(total - value) > Decimal("0.005") * (len(parts) + 1):
            return False
        checked += 1
    return checked > 0


def _structure(ledger: Ledger) -> None:
    """Which rows a 合计 and each 小计 add up. A 小计 heads the rows after it or closes the
    rows before it: whichever reading the sums bear out (the labels, when they are silent).
    A row no label calls a subtotal is one when its amounts are the sums of the two or more
    rows that follow it (a region row with no 小计)."""
    rows = ledger.rows
    items = [i for i, r in enumerate(rows) if r.role == "item"]
    keys = [c.key for c in ledger.columns if c.role == "amount"]
    numbers = [[r.number(k) for k in keys] for r in rows]
    # A running sum can only fall back if some figure is negative; in the other columns a
    # sum already beyond anything the tolerance could ever allow ends the search (so a long
    # table of rows costs about one pass per row, not one sum per pair of rows).
    no_negatives = [all(n[c] is None or n[c] >= 0 for n in numbers) for c in range(len(keys))]
    beyond = Decimal("0.005") * (len(rows) + 1)
    for i in items:
        value = numbers[i]
        if all(v is None for v in value):
            continue
        running = [Decimal(0)] * len(keys)
        count = 0
        for j in range(i + 1, len(rows)):
            if rows[j].role != "item":
                break
            for c, n in enumerate(numbers[j]):
                if n is not None:
                    running[c] += n
            count += 1
            # the same test as _sums(ledger, i, rows i+1 … j), on the running sums
            tolerance = Decimal("0.005") * (count + 1)
            if count >= 2 and all(v is None or abs(running[c] - v) <= tolerance for c, v in enumerate(value)):
                rows[i].role = "subtotal"
                ledger.sum_hints.add(i)
                break
            if any(v is not None and no_negatives[c] and running[c] - v > beyond for c, v in enumerate(value)):
                break
    subtotals = [i for i, r in enumerate(rows) if r.role == "subtotal"]
    def blocks(after: bool) -> dict[int, list[int]]:
        out = {}
        for s in subtotals:
            span = []
            rng = range(s + 1, len(rows)) if after else range(s - 1, -1, -1)
            for j in rng:
                if rows[j].role != "item":
                    break
                span.append(j)
            out[s] = sorted(span)
        return out
    if subtotals:
        heads, tails = blocks(True), blocks(False)
        held_heads = sum(_sums(ledger, s, parts) for s, parts in heads.items() if parts)
        held_tails = sum(_sums(ledger, s, parts) for s, parts in tails.items() if parts)
        if held_heads != held_tails:
            chosen = heads if held_heads > held_tails else tails
        else:
            first_body = next((i for i, r in enumerate(rows) if r.role != "total"), 0)
            chosen = heads if rows[first_body].role == "subtotal" else tails
        ledger.children.update({s: parts for s, parts in chosen.items() if parts})
        covered = {j for parts in chosen.values() for j in parts}
        loose = [i for i in items if i not in covered and rows[i].role == "item"]
        top = sorted(subtotals + loose)
    else:
        top = [i for i, r in enumerate(rows) if r.role == "item"]
    for t in (i for i, r in enumerate(rows) if r.role == "total"):
        ledger.children[t] = [i for i in top if i != t]


def numeric_share(ledger: Ledger) -> float:
    """The share of filled amount cells that hold a number (or a spreadsheet error): a
    table of amounts, not of text."""
    filled = numeric = 0
    for row in ledger.rows:
        for key, (_, text) in row.values.items():
            if text is None or not text.strip():
                continue
            filled += 1
            n = notation.parse_text(text)
            if n.kind in (notation.QUANTITY, notation.SHEET_ERROR, notation.NOT_SET):
                numeric += 1
    return numeric / filled if filled >= 2 else 0.0


# --- the canonical document of a table of amounts, and the sums rules check -----------------

DERIVED = {"root": {
    # Every 合计 / 小计 amount with the amounts it adds up (one entry per row and column).
    "sums": {
        "value": "money", "parts": "money[]", "part_labels": "any", "column": "text", "role": "string",
        # the parts whose amount equals the gap between the value and their sum: a row
        # left out, or counted in twice
        "gap_parts": "any",
    },
    # A row's 合计 column against the columns of the same measure it adds up (中央 + 地方).
    "row_totals": {"value": "money", "parts": "money[]", "column": "text"},
    # A rate column against the budget and executed columns of the same source.
    "rates": {"value": "percent", "budget": "money", "executed": "money", "column": "text"},
}}
# The canonical schema both kinds of tables of amounts ship.
SCHEMA = "../ledger.schema.json"


def document(ledger, kind: str) -> dict:
    """The canonical document of a table read by kinds/ledger.py."""
    sheet = ledger.grid.sheet
    source: dict[str, dict] = {}

    def at(path: str, row: int, col: int) -> None:
        source[path] = {"sheet": sheet, "cell": coordinate(row, col)}

    doc: dict = {"selfeval": 1, "kind": kind}
    if ledger.title:
        doc["title"] = ledger.title.strip()
        at("title", ledger.title_row, ledger.grid.row_cells(ledger.title_row)[0][0])
    if ledger.year:
        doc["year"] = ledger.year
    doc["unit"] = ledger.unit or "万元"
    doc["columns"] = []
    for i, c in enumerate(ledger.columns):
        column = {"key": c.key, "label": c.label, "role": c.role}
        if c.source:
            column["source"] = c.source
        if c.measure:
            column["measure"] = c.measure
        doc["columns"].append(column)
        at(f"columns[{i}]", ledger.header_rows[-1], c.col)
    rows = []
    for i, r in enumerate(ledger.rows):
        row = {"label": r.label, "role": r.role, "values": {k: t for k, (_, t) in r.values.items()}}
        if r.group:
            row["group"] = r.group
        if r.texts:
            row["texts"] = {k: t for k, (_, t) in r.texts.items()}
        if i in ledger.children:
            row["parts"] = list(ledger.children[i])
        rows.append(row)
        at(f"rows[{i}]", r.row, r.label_col)
        at(f"rows[{i}].label", r.row, r.label_col)
        for key, (col, _) in r.values.items():
            at(f"rows[{i}].values.{key}", r.row, col)
    doc["rows"] = rows
    doc["source"] = source
    return doc


def derive_sums(document: dict) -> dict:
    tree = dict(document)
    unit = document.get("unit") or "万元"
    columns = [c for c in document.get("columns") or [] if c.get("role") == "amount"]
    rows = document.get("rows") or []
    parsed = [{k: parse_value(v, unit) for k, v in (r.get("values") or {}).items()} for r in rows]
    tree["rows"] = [dict(r, values=p) for r, p in zip(rows, parsed)]
    sums = []
    for i, row in enumerate(rows):
        parts = [j for j in row.get("parts") or [] if 0 <= j < len(rows)]
        if not parts:
            continue
        for column in columns:
            key = column["key"]
            value = parsed[i].get(key)
            if value is None or value.kind != QUANTITY:
                continue
            amounts = [parsed[j].get(key) or parse_value(None) for j in parts]
            sums.append({
                "_path": f"rows[{i}].values.{key}", "_label": row.get("label") or row.get("group"),
                "value": value, "parts": amounts, "part_labels": [rows[j].get("label") for j in parts],
                "column": column.get("label"), "role": row.get("role"),
                "gap_parts": _gap_parts(value, amounts, [rows[j].get("label") for j in parts]),
            })
    tree["sums"] = sums
    tree["row_totals"] = _row_totals(document, parsed)
    tree["rates"] = _rates(document)
    return tree


def _rates(document: dict) -> list[dict]:
    """Every rate cell with the budget and executed amounts of its own row and source."""
    unit = document.get("unit") or "万元"
    columns = document.get("columns") or []
    out = []
    for rate in (c for c in columns if c.get("measure") == "rate"):
        # A rate that names no source is the row's whole rate: the 合计 columns, or the
        # only budget and executed columns there are.
        source = rate.get("source")
        same = [c for c in columns if c.get("role") == "amount" and c.get("source") == source]
        if source is None and not any(c.get("measure") == "budget" for c in same):
            amounts = [c for c in columns if c.get("role") == "amount"]
            totals = [c for c in amounts if c.get("source") == "total"]
            same = totals or [c for c in amounts if not c.get("source")] or amounts
        budget = next((c for c in same if c.get("measure") == "budget"), None)
        executed = next((c for c in same if c.get("measure") == "executed"), None)
        if budget is None or executed is None:
            continue
        for i, row in enumerate(document.get("rows") or []):
            values = row.get("values") or {}
            value = parse_value(values.get(rate["key"]), "%")
            if value.kind != QUANTITY:
                continue
            out.append({"_path": f"rows[{i}].values.{rate['key']}", "_label": row.get("label"), "value": value,
                        "budget": parse_value(values.get(budget["key"]), unit),
                        "executed": parse_value(values.get(executed["key"]), unit), "column": rate.get("label")})
    return out


def _row_totals(document: dict, parsed: list[dict]) -> list[dict]:
    columns = [c for c in document.get("columns") or [] if c.get("role") == "amount"]
    out = []
    for total in (c for c in columns if c.get("source") == "total"):
        parts = [c for c in columns if c is not total and c.get("measure") == total.get("measure")
                 and c.get("source") in ("central", "local", "provincial", "city", "county", "other")]
        if len(parts) < 2:
            continue
        for i, row in enumerate(document.get("rows") or []):
            value = parsed[i].get(total["key"])
            if value is None or value.kind != QUANTITY:
                continue
            out.append({"_path": f"rows[{i}].values.{total['key']}", "_label": row.get("label"), "value": value,
                        "parts": [parsed[i].get(c["key"]) or parse_value(None) for c in parts], "column": total.get("label")})
    return out


def _gap_parts(value: Notation, parts: list[Notation], labels: list) -> list[str]:
    numbers = [p.number for p in parts if p.kind == QUANTITY]
    if value.number is None or not numbers:
        return []
    gap = abs(value.number - sum(numbers, Decimal(0)))
    if gap == 0:
        return []
    return [str(label) for p, label in zip(parts, labels) if p.kind == QUANTITY and p.number == gap]
