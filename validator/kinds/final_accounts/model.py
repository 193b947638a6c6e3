"""The 部门决算公开 set as rules see it.

`derive()` takes a document that follows schema.json and returns the same tree with every
amount parsed once into a `Notation` in its table's 金额单位 (a blank amount, or a dash, is
zero: the tables print nothing where there is nothing), plus the identities the tables
state, as data:

- `sums`: a printed figure and the figures it is the sum of (a 类 and its 款, a row's 合计
  and its columns, the 合计 row and the 类 rows, 本年收入合计 and the income lines, the 三公
  合计 and its parts …), each at the printed figure's cell;
- `pairs`: a figure and the figure another table prints for the same thing (the same code in
  公开03 and 05, a 公开01 类 line and 公开03's 类 row …);
- `bounds`: a figure and a figure it may not exceed or fall below (公开06's 30217 and
  公开09's 公务接待费 …);
- `codes`, `cells`: every code and every amount as written, for the form rules;
- `tables_expected`: the ten tables and whether each was found.

Which identity holds when is the rules' business; the model says only what the tables
print and how their figures relate (a part whose omission explains a difference, a column
whose difference offsets another's: facts for the messages, never verdicts)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from validator import limits
from validator.domain import measure
from validator.domain import notation
from validator.domain import units
from validator.domain.notation import Notation
from validator.kinds.final_accounts import layout

MONEY, TEXT = "money", "text"

# Types of the derived fields, in the vocabulary of expression.types.kind_type.
DERIVED: dict[str, dict[str, Any]] = {
    "figure": {},
    "line": {"role": "string", "code": "string"},
    "code_row": {"level": "integer", "parent": "string"},
    "summary_table": {
        "income_total": MONEY, "spending_total": MONEY, "opening": MONEY, "closing": MONEY,
        "surplus_used": MONEY, "surplus_distribution": MONEY,
    },
    "root": {
        "sums": {
            "type": "string", "table": "string", "table_en": "string", "column": "string", "column_en": "string",
            "what": "string", "what_en": "string", "value": MONEY, "parts": "figure[]",
            "left_out": "string", "offset_by": "string", "offset_by_en": "string",
        },
        "pairs": {
            "type": "string", "table": "string", "table_en": "string", "column": "string", "column_en": "string",
            "value": MONEY, "other": MONEY, "other_table": "string", "other_table_en": "string",
            "other_label": "string", "other_at": "string", "found_in": "string", "found_in_en": "string",
        },
        "bounds": {
            "type": "string", "table": "string", "table_en": "string", "column": "string", "column_en": "string",
            "value": MONEY, "limit": MONEY, "limit_table": "string", "limit_table_en": "string",
            "limit_label": "string", "limit_at": "string",
        },
        "codes": {"code": "string", "scheme": "string", "table": "string", "table_en": "string"},
        "cells": {"type": "string", "field": "string", "field_label": "string", "field_label_en": "string", "value": "any",
                  "table": "string", "table_en": "string"},
        "tables_expected": {
            "number": "string", "mark": "string", "title": "string", "title_en": "string", "present": "boolean",
            "department": "string", "year": "string",
        },
    },
}

SECTION_LABELS = {
    "tables": "部门决算公开",
    **{f"tables.t{n}": f"公开{n}表 {spec.title}" for n, spec in layout.SPECS.items()},
}

_SUMMARY_COLUMNS = {
    "amount": ("金额", "amount"), "general": ("一般公共预算财政拨款", "general budget"),
    "fund": ("政府性基金预算财政拨款", "government funds"), "capital": ("国有资本经营预算财政拨款", "state capital"),
}
_THREE = {k: (zh, en) for k, zh, en in layout.THREE_PUBLIC_FIELDS}
_PHASES = {"budget": ("预算数", "budget"), "actual": ("决算数", "actual")}


# --- cells -------------------------------------------------------------------------------

def _in_range(n: Notation) -> Notation:
    if n.number is not None and not limits.in_range(n.number):
        return Notation(notation.OUT_OF_RANGE, limits.short(n.raw))
    return n


def _decimals(value) -> int | None:
    if value is None:
        return None
    m = re.search(r"\.(\d+)\s*$", str(value).replace(",", ""))
    return len(m[1]) if m else 0


class _Table:
    """How one table's amounts are read: its unit, and the decimals it prints (a blank
    amount is a zero printed like the others)."""

    def __init__(self, number: str, data: dict, default_unit: str):
        self.number = number
        self.spec = layout.SPECS[number]
        self.data = data
        unit = data.get("unit") or default_unit or "万元"
        self.unit = unit if units.lookup(unit) is not None else "万元"
        self.places = 2
        mark = data.get("mark")
        printed = layout.mark_number(mark) if mark else None
        self.zh = (mark or "").strip() or f"公开{number}表"
        self.en = f"table {printed or number} ({self.spec.title_en})"

    def zero(self) -> Notation:
        number = Decimal(0).scaleb(-self.places) if self.places else Decimal(0)
        return Notation(notation.QUANTITY, f"{number:f}", number=number, unit=units.lookup(self.unit))

    def parse(self, value) -> tuple[Notation, Notation]:
        """(the cell as written, the amount it stands for): blank and dashes are zero."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return Notation(notation.BLANK, ""), self.zero()
        written = _in_range(notation.parse_value(value, self.unit))
        if written.kind == notation.NOT_SET:
            return written, self.zero()
        return written, written


# --- the builder -----------------------------------------------------------------------------

class _Builder:
    def __init__(self, document: dict):
        self.document = document
        self.source = document.get("source") or {}
        self.sums: list[dict] = []
        self.pairs: list[dict] = []
        self.bounds: list[dict] = []
        self.codes: list[dict] = []
        self.cells: list[dict] = []
        self.tables: dict[str, dict] = {}
        self.readers: dict[str, _Table] = {}

    def where(self, path: str) -> str:
        hit = self.source.get(path)
        return f"{hit['sheet']}!{hit['cell']}" if hit else path

    def amount(self, t: _Table, node: dict, key: str, path: str, label: str | None, field_label: tuple[str, str]) -> Notation:
        written, value = t.parse(node.get(key))
        if written.kind != notation.BLANK:
            self.cells.append({
                "type": MONEY, "field": key, "field_label": field_label[0], "field_label_en": field_label[1],
                "value": written, "table": t.zh,
                "table_en": t.en, "_path": path, "_label": label,
            })
        return value

    # identities
    def add_sum(self, kind: str, t: _Table, path: str, label: str | None, value: Notation, parts: list[dict],
                column: tuple[str, str], what: tuple[str, str]) -> dict | None:
        if value is None or not parts:
            return None
        item = {
            "type": kind, "table": t.zh, "table_en": t.en, "column": column[0], "column_en": column[1],
            "what": what[0], "what_en": what[1], "value": value, "parts": parts,
            "left_out": _left_out(value, parts), "offset_by": None, "offset_by_en": None, "_path": path, "_label": label,
        }
        self.sums.append(item)
        return item

    def add_pair(self, kind: str, t: _Table, path: str, label: str | None, value: Notation, column: tuple[str, str],
                 other: Notation, other_t: _Table, other_label: str | None, other_path: str | None,
                 alternatives: dict[str, tuple[str, str, Notation]] | None = None) -> None:
        found = _found_in(value, other, alternatives or {})
        self.pairs.append({
            "type": kind, "table": t.zh, "table_en": t.en, "column": column[0], "column_en": column[1],
            "value": value, "other": other, "other_table": other_t.zh, "other_table_en": other_t.en,
            "other_label": other_label, "other_at": self.where(other_path) if other_path else other_t.zh,
            "found_in": found[0] if found else None, "found_in_en": found[1] if found else None,
            "_path": path, "_label": label,
        })

    def add_bound(self, kind: str, t: _Table, path: str, label: str | None, value: Notation, column: tuple[str, str],
                  limit: Notation, limit_t: _Table, limit_label: str | None, limit_path: str) -> None:
        self.bounds.append({
            "type": kind, "table": t.zh, "table_en": t.en, "column": column[0], "column_en": column[1],
            "value": value, "limit": limit, "limit_table": limit_t.zh, "limit_table_en": limit_t.en,
            "limit_label": limit_label, "limit_at": self.where(limit_path), "_path": path, "_label": label,
        })


def _measure(n: Notation | None) -> measure.Measure | None:
    return n.measure if isinstance(n, Notation) and n.kind == notation.QUANTITY else None


def _total(parts: list[dict]) -> measure.Measure | None:
    total = None
    for p in parts:
        m = _measure(p["value"])
        if m is None:
            return None
        total = m if total is None else measure.add(total, m)
    return total


def _left_out(value: Notation, parts: list[dict]) -> str | None:
    """The one part whose leaving out makes the parts add up to the printed figure."""
    v = _measure(value)
    measures = [_measure(p["value"]) for p in parts]
    if v is None or len(parts) < 2 or any(m is None for m in measures):
        return None
    total = measure.total(measures)
    if measure.overlaps(v, total):
        return None  # the parts add up: nothing is missing (and most sums are like this)
    for p, m in zip(parts, measures):
        if m.value != 0 and measure.overlaps(v, measure.sub(total, m)):
            return p["label"]
    return None


def _difference(item: dict) -> measure.Measure | None:
    v, total = _measure(item["value"]), _total(item["parts"])
    if v is None or total is None or measure.overlaps(v, total):
        return None
    return measure.sub(v, total)


def _mark_offsets(items: list[dict]) -> None:
    """Within one row, a column whose difference from its parts is the other's with the
    sign turned: a figure written in the neighbouring column."""
    diffs = [(item, _difference(item)) for item in items]
    for item, d in diffs:
        if d is None:
            continue
        for other, e in diffs:
            if other is item or e is None:
                continue
            if measure.overlaps(measure.add(d, e), measure.exact(Decimal(0), d.unit)):
                item["offset_by"], item["offset_by_en"] = other["column"], other["column_en"]
                break


def _found_in(value: Notation, other: Notation, alternatives: dict[str, tuple[str, str, Notation]]) -> tuple[str, str] | None:
    """The other column of the counterpart row that holds this figure, when the figure
    itself does not match: it was written in the wrong column."""
    v, o = _measure(value), _measure(other)
    if v is None or o is None or v.value == 0 or measure.overlaps(v, o):
        return None
    for _key, (zh, en, alt) in alternatives.items():
        a = _measure(alt)
        if a is not None and measure.overlaps(v, a):
            return zh, en
    return None


def _figure(value: Notation, label: str | None, path: str) -> dict:
    return {"value": value, "label": label, "_path": path}


def _negated(n: Notation) -> Notation:
    if n.kind != notation.QUANTITY or n.number is None:
        return n
    return Notation(notation.QUANTITY, f"-{n.raw}", number=-n.number, unit=n.unit)


def _row_label(row: dict) -> str | None:
    parts = [str(row[k]).strip() for k in ("code", "name") if row.get(k) not in (None, "")]
    return " ".join(parts) or None


# --- codes ---------------------------------------------------------------------------------

_FUNCTIONAL = re.compile(r"^2\d{2}(\d{2}){0,2}$")
_ECONOMIC = re.compile(r"^3\d{2}(\d{2})?$")


def _level(code: str | None, scheme: str) -> int | None:
    """1 for a 类, 2 for a 款, 3 for a 项 (economic codes: 1 and 2); a code that is not a
    valid one is placed by its length."""
    if not code:
        return None
    text = str(code).strip()
    n = len(text)
    if scheme == "economic":
        return 1 if n <= 3 else 2
    return 1 if n <= 3 else 2 if n <= 5 else 3


def _hierarchy(rows: list[dict], scheme: str) -> tuple[dict[int, list[int]], list[int], dict[int, int]]:
    """(children by row index, top rows, parent by row index). A parent is the nearest row
    above whose code begins the row's code; a code that is not valid takes the nearest row
    above of a higher level."""
    valid = _FUNCTIONAL if scheme == "functional" else _ECONOMIC
    children: dict[int, list[int]] = {}
    parents: dict[int, int] = {}
    tops: list[int] = []
    for i, row in enumerate(rows):
        code = str(row.get("code") or "").strip()
        level = _level(code, scheme)
        parent = None
        if level is not None and level > 1:
            for j in range(i - 1, -1, -1):
                other = str(rows[j].get("code") or "").strip()
                other_level = _level(other, scheme)
                if other_level is None or other_level >= level:
                    continue
                if valid.match(code) and valid.match(other):
                    if code.startswith(other):
                        parent = j
                        break
                    if other_level == 1:
                        break  # another 类: the row's own 类 is not printed above it
                    continue
                parent = j
                break
        if parent is None:
            tops.append(i)
        else:
            parents[i] = parent
            children.setdefault(parent, []).append(i)
    return children, tops, parents


# --- the tables ------------------------------------------------------------------------------

def _code_table(b: _Builder, number: str, data: dict, unit: str) -> dict:
    t = _Table(number, data, unit)
    spec = t.spec
    t.places = max([d for r in [data.get("total_row") or {}, *(data.get("rows") or [])]
                    for k, *_ in spec.columns if (d := _decimals(r.get(k))) is not None] or [2])
    b.readers[number] = t
    base = f"tables.t{number}"
    columns = [k for k in (data.get("columns") or [k for k, *_ in spec.columns]) if any(k == c for c, *_ in spec.columns)]
    names = {k: (zh, en) for k, zh, en, _ in spec.columns}
    out = dict(data)
    rows = [dict(r) for r in data.get("rows") or []]
    for i, row in enumerate(rows):
        label = _row_label(data["rows"][i])
        for key in columns:
            row[key] = b.amount(t, data["rows"][i], key, f"{base}.rows[{i}].{key}", label, names[key])
        if row.get("code") not in (None, ""):
            b.codes.append({"code": str(row["code"]).strip(), "scheme": "functional", "table": t.zh, "table_en": t.en,
                            "_path": f"{base}.rows[{i}].code", "_label": row.get("name")})
    total_row = None
    if data.get("total_row") is not None:
        total_row = dict(data["total_row"])
        for key in columns:
            total_row[key] = b.amount(t, data["total_row"], key, f"{base}.total_row.{key}", "合计", names[key])
        out["total_row"] = total_row
    children, tops, parents = _hierarchy(rows, "functional")
    for i, row in enumerate(rows):
        row["level"] = _level(row.get("code"), "functional")
        row["parent"] = rows[parents[i]].get("code") if i in parents else None
        row["_label"] = _row_label(data["rows"][i])
    out["rows"] = rows
    level_words = {1: ("其下各款", "its sections"), 2: ("其下各项", "its items")}
    for i, kids in children.items():
        row = rows[i]
        label = row["_label"]
        what = level_words.get(row["level"], ("其下各行", "the rows under it"))
        made = []
        for key in columns:
            parts = [_figure(rows[k][key], rows[k]["_label"], f"{base}.rows[{k}].{key}") for k in kids]
            made.append(b.add_sum("children", t, f"{base}.rows[{i}].{key}", label, row[key], parts, names[key], what))
        _mark_offsets([m for m in made if m])
    components = [k for k in spec.total_of if k in columns]
    if "total" in columns and len(components) >= 1:
        listed = [(f"{base}.rows[{i}]", row, row["_label"]) for i, row in enumerate(rows)]
        if total_row is not None:
            listed.append((f"{base}.total_row", total_row, "合计"))
        for path, row, label in listed:
            parts = [_figure(row[k], names[k][0], f"{path}.{k}") for k in components]
            b.add_sum("columns", t, f"{path}.total", label, row["total"], parts, names["total"],
                      ("、".join(names[k][0] for k in components), ", ".join(names[k][1] for k in components)))
    if total_row is not None and tops:
        for key in columns:
            parts = [_figure(rows[k][key], rows[k]["_label"], f"{base}.rows[{k}].{key}") for k in tops]
            b.add_sum("classes", t, f"{base}.total_row.{key}", "合计", total_row[key], parts, names[key],
                      ("各类", "the categories"))
    if {"begin", "income", "total", "end"} <= set(columns):
        listed = [(f"{base}.rows[{i}]", row, row["_label"]) for i, row in enumerate(rows)]
        if total_row is not None:
            listed.append((f"{base}.total_row", total_row, "合计"))
        for path, row, label in listed:
            parts = [_figure(row["begin"], names["begin"][0], f"{path}.begin"),
                     _figure(row["income"], names["income"][0], f"{path}.income"),
                     _figure(_negated(row["total"]), "−" + names["total"][0], f"{path}.total")]
            b.add_sum("balance", t, f"{path}.end", label, row["end"], parts, names["end"],
                      ("年初结转和结余 + 本年收入 − 本年支出", "opening balance + income − spending"))
    return out


def _economic_table(b: _Builder, data: dict, unit: str) -> dict:
    t = _Table("06", data, unit)
    lines = [r for g in ("personnel", "public") for r in data.get(g) or []]
    t.places = max([d for r in lines if (d := _decimals(r.get("amount"))) is not None] or [2])
    b.readers["06"] = t
    base = "tables.t06"
    out = dict(data)
    column = ("决算数", "amount")
    for group, total_key, word in (("personnel", "personnel_total", ("人员经费各类", "the personnel categories")),
                                   ("public", "public_total", ("公用经费各类", "the public-cost categories"))):
        rows = []
        for i, raw in enumerate(data.get(group) or []):
            row = dict(raw)
            label = _row_label(raw)
            row["amount"] = b.amount(t, raw, "amount", f"{base}.{group}[{i}].amount", label, ("决算数", "amount"))
            row["_label"] = label
            if row.get("code") not in (None, ""):
                b.codes.append({"code": str(row["code"]).strip(), "scheme": "economic", "table": t.zh, "table_en": t.en,
                                "_path": f"{base}.{group}[{i}].code", "_label": row.get("name")})
            rows.append(row)
        out[group] = rows
        children, tops, _ = _hierarchy(rows, "economic")
        for i, kids in children.items():
            parts = [_figure(rows[k]["amount"], rows[k]["_label"], f"{base}.{group}[{k}].amount") for k in kids]
            b.add_sum("children", t, f"{base}.{group}[{i}].amount", rows[i]["_label"], rows[i]["amount"], parts, column,
                      ("其下各款", "its sections"))
        if total_key in data:
            out[total_key] = b.amount(t, data, total_key, f"{base}.{total_key}", "人员经费合计" if group == "personnel" else "公用经费合计", ("决算数", "amount"))
            parts = [_figure(rows[k]["amount"], rows[k]["_label"], f"{base}.{group}[{k}].amount") for k in tops]
            b.add_sum("classes", t, f"{base}.{total_key}", "人员经费合计" if group == "personnel" else "公用经费合计",
                      out[total_key], parts, column, word)
    return out


def _roles(lines: list[dict], side: str) -> list[tuple[str | None, str | None]]:
    """The role of each line of a summary half; a line under 年初/年末结转和结余 that names a
    fund is its part ("sub"), an unknown line above the 合计 line counts as an income line
    or a 类 line."""
    out: list[tuple[str | None, str | None]] = []
    section = None
    for line in lines:
        role, key = layout.line_role(str(line.get("item") or ""))
        text = layout.fold(line.get("item"))
        if section in ("opening", "closing") and (role == "source" or text.startswith("其中") or role is None):
            out.append(("sub", section))
            continue
        if role in ("opening", "closing"):
            section = role
        elif role is not None:
            section = role if role != "source" and role != "class" else section
        if role is None and not any(r in ("income_total", "spending_total") for r, _ in out):
            role = "source" if side == "income" else "class"
        out.append((role, key))
    return out


def _summary_table(b: _Builder, number: str, data: dict, unit: str) -> dict:
    t = _Table(number, data, unit)
    all_lines = [*(data.get("income") or []), *(data.get("spending") or [])]
    t.places = max([d for r in all_lines for k in _SUMMARY_COLUMNS if (d := _decimals(r.get(k))) is not None] or [2])
    b.readers[number] = t
    base = f"tables.t{number}"
    out = dict(data)
    named: dict[str, Notation] = {}
    for side in ("income", "spending"):
        raw_lines = data.get(side) or []
        roles = _roles(raw_lines, side)
        keys = [k for k in _SUMMARY_COLUMNS if any(k in line for line in raw_lines) or k == "amount"]
        if side == "income":
            keys = ["amount"]
        lines = []
        for i, raw in enumerate(raw_lines):
            line = dict(raw)
            role, key = roles[i]
            label = str(raw.get("item") or "").strip() or None
            for k in keys:
                line[k] = b.amount(t, raw, k, f"{base}.{side}[{i}].{k}", label, _SUMMARY_COLUMNS[k])
            line["role"] = role
            line["code"] = key if role == "class" else None
            line["key"] = key
            line["_label"] = label
            lines.append(line)
        out[side] = lines
        total_role = "income_total" if side == "income" else "spending_total"
        part_role = "source" if side == "income" else "class"
        at = {role: i for i, (role, _) in reversed(list(enumerate(roles))) if role}
        for k in keys:
            column = _SUMMARY_COLUMNS[k] if k != "amount" or number == "04" and side == "spending" else ("金额", "amount")
            if number == "04" and side == "spending" and k == "amount":
                column = ("合计", "total")
            if total_role in at:
                i = at[total_role]
                parts = [_figure(lines[j][k], lines[j]["_label"], f"{base}.{side}[{j}].{k}")
                         for j, (role, _) in enumerate(roles) if role == part_role]
                b.add_sum("lines", t, f"{base}.{side}[{i}].{k}", lines[i]["_label"], lines[i][k], parts, column,
                          ("收入各项", "the income lines") if side == "income" else ("各类支出", "the category lines"))
            for section in ("opening", "closing"):
                if section in at:
                    i = at[section]
                    subs = [j for j, (role, key) in enumerate(roles) if role == "sub" and key == section]
                    if subs:
                        parts = [_figure(lines[j][k], lines[j]["_label"], f"{base}.{side}[{j}].{k}") for j in subs]
                        b.add_sum("lines", t, f"{base}.{side}[{i}].{k}", lines[i]["_label"], lines[i][k], parts, column,
                                  ("其中各项", "the lines under it"))
            if "grand_total" in at:
                i = at["grand_total"]
                extra = ("surplus_used", "opening") if side == "income" else ("surplus_distribution", "closing")
                idx = [at[r] for r in (total_role, *extra) if r in at]
                parts = [_figure(lines[j][k], lines[j]["_label"], f"{base}.{side}[{j}].{k}") for j in idx]
                b.add_sum("grand_total", t, f"{base}.{side}[{i}].{k}", lines[i]["_label"], lines[i][k], parts, column,
                          ("、".join(lines[j]["_label"] or "" for j in idx), ", ".join(lines[j]["_label"] or "" for j in idx)))
        if number == "04" and side == "spending" and {"general", "fund", "capital"} & set(keys):
            for i, line in enumerate(lines):
                if line["role"] is None:
                    continue
                parts = [_figure(line[k], _SUMMARY_COLUMNS[k][0], f"{base}.{side}[{i}].{k}") for k in ("general", "fund", "capital") if k in keys]
                b.add_sum("columns", t, f"{base}.{side}[{i}].amount", line["_label"], line["amount"], parts, ("合计", "total"),
                          ("、".join(p["label"] for p in parts), ", ".join(_SUMMARY_COLUMNS[k][1] for k in ("general", "fund", "capital") if k in keys)))
        for role in ("income_total", "spending_total", "opening", "closing", "surplus_used", "surplus_distribution", "grand_total"):
            if role in at:
                named[(side, role)] = (lines[at[role]]["amount"], f"{base}.{side}[{at[role]}]")
    zero = t.zero()
    for role in ("income_total", "opening", "surplus_used"):
        out[role] = named.get(("income", role), (zero, None))[0]
    for role in ("spending_total", "closing", "surplus_distribution"):
        out[role] = named.get(("spending", role), (zero, None))[0]
    out["_named"] = named
    gi, gs = named.get(("income", "grand_total")), named.get(("spending", "grand_total"))
    if gi and gs:
        b.add_pair("both_totals", t, f"{gs[1]}.amount", "总计", gs[0], ("总计", "grand total"), gi[0], t, "收入总计", f"{gi[1]}.amount")
    return out


def _three_public(b: _Builder, data: dict, unit: str) -> dict:
    t = _Table("09", data, unit)
    t.places = max([d for p in ("budget", "actual") for k in _THREE if (d := _decimals((data.get(p) or {}).get(k))) is not None] or [2])
    b.readers["09"] = t
    base = "tables.t09"
    out = dict(data)
    for phase, (pzh, pen) in _PHASES.items():
        raw = data.get(phase) or {}
        if not raw and phase not in data:
            continue
        parsed = {k: b.amount(t, raw, k, f"{base}.{phase}.{k}", f"{pzh} {_THREE[k][0]}", _THREE[k]) for k in _THREE}
        out[phase] = parsed
        figs = {k: _figure(parsed[k], _THREE[k][0], f"{base}.{phase}.{k}") for k in _THREE}
        b.add_sum("three_public", t, f"{base}.{phase}.total", f"{pzh} 合计", parsed["total"],
                  [figs["abroad"], figs["vehicles"], figs["reception"]], (pzh, pen),
                  ("因公出国（境）费、公务用车购置及运行维护费、公务接待费", "travel abroad, official vehicles and reception"))
        b.add_sum("vehicles", t, f"{base}.{phase}.vehicles", f"{pzh} 公务用车购置及运行维护费", parsed["vehicles"],
                  [figs["purchase"], figs["running"]], (pzh, pen),
                  ("公务用车购置费、公务用车运行维护费", "vehicle purchase and running costs"))
    return out


def _info(b: _Builder, data: dict, unit: str) -> dict:
    t = _Table("10", data, unit)
    b.readers["10"] = t
    base = "tables.t10"
    out = dict(data)

    def stat(node: dict | None, path: str, default_unit: str | None) -> dict | None:
        if node is None:
            return None
        item = dict(node)
        label = str(node.get("item") or "").strip() or None
        if default_unit == "money":
            item["value"] = b.amount(t, node, "value", f"{path}.value", label, ("统计数", "figure"))
        else:
            written = _in_range(notation.parse_value(node.get("value"), layout.fold(node.get("unit")) or notation.unit_in_name(label)))
            item["value"] = written if written.kind not in (notation.BLANK, notation.NOT_SET) else Notation(notation.QUANTITY, "0", number=Decimal(0))
        item["_label"] = label
        return item

    if "running_costs" in data:
        out["running_costs"] = stat(data["running_costs"], f"{base}.running_costs", "money")
    if "procurement" in data:
        proc = {k: stat(v, f"{base}.procurement.{k}", "money") for k, v in (data["procurement"] or {}).items()}
        out["procurement"] = proc
        if proc.get("total") is not None and any(proc.get(k) for k in ("goods", "works", "services")):
            parts = [_figure(proc[k]["value"], proc[k]["_label"], f"{base}.procurement.{k}.value")
                     for k in ("goods", "works", "services") if proc.get(k) is not None]
            b.add_sum("procurement", t, f"{base}.procurement.total.value", proc["total"]["_label"], proc["total"]["value"],
                      parts, ("统计数", "figure"), ("政府采购货物、工程、服务支出", "goods, works and services"))
    if "vehicles" in data:
        veh = dict(data["vehicles"] or {})
        if veh.get("total") is not None:
            veh["total"] = stat(veh["total"], f"{base}.vehicles.total", "count")
        veh["kinds"] = [stat(k, f"{base}.vehicles.kinds[{i}]", "count") for i, k in enumerate(veh.get("kinds") or [])]
        out["vehicles"] = veh
    if "equipment" in data:
        out["equipment"] = {k: stat(v, f"{base}.equipment.{k}", "count") for k, v in (data["equipment"] or {}).items()}
    if "other" in data:
        out["other"] = [stat(v, f"{base}.other[{i}]", "count") for i, v in enumerate(data["other"] or [])]
    return out


# --- across tables ---------------------------------------------------------------------------

def _by_code(table: dict | None) -> dict[str, tuple[int, dict]]:
    out: dict[str, tuple[int, dict]] = {}
    for i, row in enumerate((table or {}).get("rows") or []):
        code = str(row.get("code") or "").strip()
        if code and code not in out:
            out[code] = (i, row)
    return out


def _cross(b: _Builder) -> None:
    T = b.tables
    R = b.readers
    names = {k: (zh, en) for k, zh, en, _ in layout.SPECS["03"].columns}
    # 公开05 against 公开03: the same code, column by column (all of it, or within it).
    if "t03" in T and "t05" in T:
        rows03 = _by_code(T["t03"])
        for i, row in enumerate(T["t05"].get("rows") or []):
            code = str(row.get("code") or "").strip()
            hit = rows03.get(code)
            for key in ("total", "basic", "project"):
                if key not in row:
                    continue
                path = f"tables.t05.rows[{i}].{key}"
                if hit is None:
                    other, other_path, alternatives = R["03"].zero(), None, {}
                else:
                    j, other_row = hit
                    other, other_path = other_row.get(key, R["03"].zero()), f"tables.t03.rows[{j}].{key}"
                    alternatives = {k: (*names[k], other_row[k]) for k in ("basic", "project") if k != key and k in other_row}
                b.add_pair("general", R["05"], path, row.get("_label"), row[key], names[key], other, R["03"],
                           hit[1].get("_label") if hit else None, other_path, alternatives)
                b.add_bound("general", R["05"], path, row.get("_label"), row[key], names[key], other, R["03"],
                            hit[1].get("_label") if hit else None, other_path or "tables.t03")
        t05, t03 = T["t05"].get("total_row"), T["t03"].get("total_row")
        if t05 and t03:
            for key in ("total", "basic", "project"):
                if key in t05 and key in t03:
                    alternatives = {k: (*names[k], t03[k]) for k in ("basic", "project") if k != key and k in t03}
                    b.add_pair("general", R["05"], f"tables.t05.total_row.{key}", "合计", t05[key], names[key], t03[key], R["03"],
                               "合计", f"tables.t03.total_row.{key}", alternatives)
                    b.add_bound("general", R["05"], f"tables.t05.total_row.{key}", "合计", t05[key], names[key], t03[key], R["03"],
                                "合计", f"tables.t03.total_row.{key}")
    # 公开02 against 公开03: a code's income and its spending.
    if "t02" in T and "t03" in T:
        rows03 = _by_code(T["t03"])
        listed = [(f"tables.t02.rows[{i}]", row, rows03.get(str(row.get("code") or "").strip())) for i, row in enumerate(T["t02"].get("rows") or [])]
        if T["t02"].get("total_row") and T["t03"].get("total_row"):
            listed.append(("tables.t02.total_row", T["t02"]["total_row"], (None, T["t03"]["total_row"])))
        for path, row, hit in listed:
            if "total" not in row:
                continue
            if hit is None:
                other, other_path, other_label = R["03"].zero(), None, None
            else:
                j, other_row = hit
                other = other_row.get("total", R["03"].zero())
                other_path = f"tables.t03.rows[{j}].total" if j is not None else "tables.t03.total_row.total"
                other_label = other_row.get("_label") or "合计"
            b.add_pair("income", R["02"], f"{path}.total", row.get("_label") or "合计", row["total"], ("本年收入合计", "total income"),
                       other, R["03"], other_label, other_path)
    # 公开01 against 公开02 and 公开03.
    if "t01" in T:
        t01 = T["t01"]
        named = t01["_named"]
        if "t03" in T:
            classes03 = {str(r.get("code")).strip(): (j, r) for j, r in enumerate(T["t03"].get("rows") or []) if r.get("level") == 1}
            seen = set()
            for i, line in enumerate(t01.get("spending") or []):
                if line.get("role") != "class":
                    continue
                code = line.get("code")
                seen.add(code)
                hit = classes03.get(code) if code else None
                other = hit[1].get("total", R["03"].zero()) if hit else R["03"].zero()
                b.add_pair("class_line", R["01"], f"tables.t01.spending[{i}].amount", line["_label"], line["amount"], ("金额", "amount"),
                           other, R["03"], hit[1]["_label"] if hit else None, f"tables.t03.rows[{hit[0]}].total" if hit else None)
            if t01.get("spending"):
                for code, (j, row) in classes03.items():
                    if code not in seen and "total" in row:
                        b.add_pair("class_line", R["03"], f"tables.t03.rows[{j}].total", row["_label"], row["total"], names["total"],
                                   R["01"].zero(), R["01"], None, None)
            if ("spending", "spending_total") in named and T["t03"].get("total_row"):
                value, path = named[("spending", "spending_total")]
                b.add_pair("class_line", R["01"], f"{path}.amount", "本年支出合计", value, ("金额", "amount"),
                           T["t03"]["total_row"].get("total", R["03"].zero()), R["03"], "合计", "tables.t03.total_row.total")
        if "t02" in T and T["t02"].get("total_row"):
            total02 = T["t02"]["total_row"]
            cols02 = {k: (zh, en) for k, zh, en, _ in layout.SPECS["02"].columns}
            fiscal = []
            for i, line in enumerate(t01.get("income") or []):
                key = line.get("key")
                if line.get("role") != "source" or key is None:
                    continue
                if key in ("general", "fund", "capital"):
                    fiscal.append(_figure(line["amount"], line["_label"], f"tables.t01.income[{i}].amount"))
                    continue
                b.add_pair("income_line", R["01"], f"tables.t01.income[{i}].amount", line["_label"], line["amount"], ("金额", "amount"),
                           total02.get(key, R["02"].zero()), R["02"], f"合计 {cols02[key][0]}", f"tables.t02.total_row.{key}")
            if fiscal and "fiscal" in total02:
                b.add_sum("fiscal_income", R["02"], "tables.t02.total_row.fiscal", "合计", total02["fiscal"], fiscal,
                          cols02["fiscal"], ("公开01表财政拨款收入各项", "the appropriation lines of table 01"))
            if ("income", "income_total") in named and "total" in total02:
                value, path = named[("income", "income_total")]
                b.add_pair("income_line", R["01"], f"{path}.amount", "本年收入合计", value, ("金额", "amount"),
                           total02["total"], R["02"], "合计 本年收入合计", "tables.t02.total_row.total")
    # 公开04 against 公开01, 05, 07, 08.
    if "t04" in T:
        t04 = T["t04"]
        if "t01" in T:
            sources01 = {line.get("key"): (i, line) for i, line in enumerate(T["t01"].get("income") or []) if line.get("role") == "source"}
            for i, line in enumerate(t04.get("income") or []):
                key = line.get("key")
                if line.get("role") != "source" or key not in ("general", "fund", "capital"):
                    continue
                hit = sources01.get(key)
                b.add_pair("fiscal_line", R["04"], f"tables.t04.income[{i}].amount", line["_label"], line["amount"], ("金额", "amount"),
                           hit[1]["amount"] if hit else R["01"].zero(), R["01"], hit[1]["_label"] if hit else None,
                           f"tables.t01.income[{hit[0]}].amount" if hit else None)
        for key, number in (("general", "05"), ("fund", "07"), ("capital", "08")):
            other = T.get(f"t{number}")
            if other is None:
                continue
            classes = {str(r.get("code")).strip(): (j, r) for j, r in enumerate(other.get("rows") or []) if r.get("level") == 1}
            column = _SUMMARY_COLUMNS[key]
            for i, line in enumerate(t04.get("spending") or []):
                if key not in line:
                    continue
                if line.get("role") == "class":
                    hit = classes.get(line.get("code"))
                    b.add_pair("class_line", R["04"], f"tables.t04.spending[{i}].{key}", line["_label"], line[key], column,
                               hit[1].get("total", R[number].zero()) if hit else R[number].zero(), R[number],
                               hit[1]["_label"] if hit else None, f"tables.t{number}.rows[{hit[0]}].total" if hit else None)
                elif line.get("role") == "spending_total" and other.get("total_row"):
                    b.add_pair("class_line", R["04"], f"tables.t04.spending[{i}].{key}", line["_label"], line[key], column,
                               other["total_row"].get("total", R[number].zero()), R[number], "合计", f"tables.t{number}.total_row.total")
    # 公开05's 基本支出 and its economic detail in 公开06.
    if "t05" in T and "t06" in T and T["t05"].get("total_row") and "basic" in T["t05"]["total_row"]:
        t06 = T["t06"]
        parts = [_figure(t06[k], label, f"tables.t06.{k}") for k, label in (("personnel_total", "人员经费合计"), ("public_total", "公用经费合计")) if k in t06]
        if parts:
            b.add_sum("basic_detail", R["05"], "tables.t05.total_row.basic", "合计", T["t05"]["total_row"]["basic"], parts,
                      names["basic"], ("公开06表人员经费合计、公用经费合计", "the personnel and public totals of table 06"))
    # 公开09 against the economic codes of 公开06 (the basic spending part of each 三公 item).
    if "t09" in T and "t06" in T and T["t09"].get("actual"):
        lines06 = {str(r.get("code")).strip(): (g, i, r) for g in ("personnel", "public") for i, r in enumerate(T["t06"].get(g) or [])}
        for key, code in layout.THREE_PUBLIC_CODES.items():
            hit = lines06.get(code)
            if hit is None:
                continue
            g, i, row = hit
            b.add_bound("three_public", R["09"], f"tables.t09.actual.{key}", f"决算数 {_THREE[key][0]}", T["t09"]["actual"][key],
                        _THREE[key], row["amount"], R["06"], row["_label"], f"tables.t06.{g}[{i}].amount")
    # 公开10's 机关运行经费 within 公开06's 公用经费.
    if "t10" in T and "t06" in T and (T["t10"].get("running_costs") or {}).get("value") is not None and "public_total" in T["t06"]:
        rc = T["t10"]["running_costs"]
        b.add_bound("running_costs", R["10"], "tables.t10.running_costs.value", rc.get("_label"), rc["value"], ("统计数", "figure"),
                    T["t06"]["public_total"], R["06"], "公用经费合计", "tables.t06.public_total")


def derive(document: dict, others=None) -> dict:
    """The tree rules evaluate. `document` must already be valid against schema.json."""
    b = _Builder(document)
    raw = document.get("tables") or {}
    unit = document.get("unit") or "万元"
    for number, spec in layout.SPECS.items():
        data = raw.get(f"t{number}")
        if data is None:
            continue
        if spec.layout == layout.CODES:
            b.tables[f"t{number}"] = _code_table(b, number, data, unit)
        elif spec.layout == layout.SUMMARY:
            b.tables[f"t{number}"] = _summary_table(b, number, data, unit)
        elif spec.layout == layout.ECONOMIC:
            b.tables[f"t{number}"] = _economic_table(b, data, unit)
        elif spec.layout == layout.THREE_PUBLIC:
            b.tables[f"t{number}"] = _three_public(b, data, unit)
        else:
            b.tables[f"t{number}"] = _info(b, data, unit)
    _cross(b)
    for t in b.tables.values():
        t.pop("_named", None)
    root = dict(document)
    root["tables"] = b.tables
    root["sums"], root["pairs"], root["bounds"] = b.sums, b.pairs, b.bounds
    root["codes"], root["cells"] = b.codes, b.cells
    root["tables_expected"] = [
        {
            "number": number, "mark": f"公开{number}表", "title": spec.title, "title_en": spec.title_en,
            "present": f"t{number}" in raw,
            "department": (raw.get(f"t{number}") or {}).get("department"),
            "year": (raw.get(f"t{number}") or {}).get("year"),
            "_path": f"tables.t{number}", "_label": f"公开{number}表 {spec.title}",
        }
        for number, spec in layout.SPECS.items()
    ]
    return root
