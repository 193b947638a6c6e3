"""The figures of a 部门决算公开 set that its 情况说明 quotes: each with the words a text
names it by (quotable.yaml), its value in the tables and where that value is printed.

The report kind asks for them (Kind.quotable) to compare what a 情况说明 states with the
tables, without knowing what a 决算 table is. A figure the set does not print (公开09 absent,
a 合计 row left out) is not offered, so the text's figure is never compared with a zero the
tables do not state."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from validator.domain import notation
from validator.domain.notation import Notation

_FILE = Path(__file__).resolve().parent / "quotable.yaml"
ACTUAL, BUDGET = "actual", "budget"


@cache
def _vocabulary() -> dict:
    import yaml

    return yaml.safe_load(_FILE.read_text(encoding="utf-8"))


def _usable(value: Any) -> bool:
    return isinstance(value, Notation) and value.kind == notation.QUANTITY


def _line(table: dict | None, side: str, role: str, number: str) -> tuple[Any, str] | None:
    lines = (table or {}).get(side) or []
    for i, line in enumerate(lines):
        if line.get("role") == role:
            return line.get("amount"), f"tables.t{number}.{side}[{i}].amount"
    return None


def _key(table: dict | None, *path: str) -> tuple[Any, str] | None:
    node: Any = table
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node, ".".join(path)


def _cells(tables: dict) -> dict[str, dict[str, tuple[Any, str]]]:
    """Each figure's values by phase (actual, budget) with their document paths."""
    t01, t03, t04, t05 = (tables.get(f"t0{n}") for n in (1, 3, 4, 5))
    t06, t09, t10 = tables.get("t06"), tables.get("t09"), tables.get("t10")
    out: dict[str, dict[str, tuple[Any, str]]] = {}

    def put(name: str, phase: str, hit: tuple[Any, str] | None, number: str | None = None) -> None:
        if hit is None or not _usable(hit[0]):
            return
        value, path = hit
        out.setdefault(name, {})[phase] = (value, path if number is None else f"tables.t{number}.{path}")

    put("grand_total", ACTUAL, _line(t01, "spending", "grand_total", "01") or _line(t01, "income", "grand_total", "01"))
    put("income_total", ACTUAL, _line(t01, "income", "income_total", "01"))
    put("spending_total", ACTUAL, _line(t01, "spending", "spending_total", "01"))
    general = next(((line.get("amount"), f"tables.t01.income[{i}].amount") for i, line in enumerate((t01 or {}).get("income") or [])
                    if line.get("role") == "source" and line.get("key") == "general"), None)
    put("general_income", ACTUAL, general)
    put("basic", ACTUAL, _key(t03, "total_row", "basic"), "03")
    put("project", ACTUAL, _key(t03, "total_row", "project"), "03")
    put("fiscal_grand", ACTUAL, _line(t04, "spending", "grand_total", "04") or _line(t04, "income", "grand_total", "04"))
    put("fiscal_income", ACTUAL, _line(t04, "income", "income_total", "04"))
    put("fiscal_spending", ACTUAL, _line(t04, "spending", "spending_total", "04"))
    put("general_spending", ACTUAL, _key(t05, "total_row", "total"), "05")
    put("general_basic", ACTUAL, _key(t05, "total_row", "basic"), "05")
    put("general_project", ACTUAL, _key(t05, "total_row", "project"), "05")
    put("personnel", ACTUAL, _key(t06, "personnel_total"), "06")
    put("public", ACTUAL, _key(t06, "public_total"), "06")
    for name, field in (("three_public", "total"), ("abroad", "abroad"), ("vehicles", "vehicles"),
                        ("purchase", "purchase"), ("running", "running"), ("reception", "reception")):
        put(name, ACTUAL, _key(t09, "actual", field), "09")
        put(name, BUDGET, _key(t09, "budget", field), "09")
    put("running_costs", ACTUAL, _key(t10, "running_costs", "value"), "10")
    for name, field in (("procurement", "total"), ("goods", "goods"), ("works", "works"), ("services", "services"), ("sme", "sme")):
        put(name, ACTUAL, _key(t10, "procurement", field, "value"), "10")
    return out


def _levels(t05: dict | None) -> list[dict]:
    """公开05's 类 and 项 rows as figures named `name（类）`, `name（项）` or by code."""
    rows = (t05 or {}).get("rows") or []
    levels = _vocabulary().get("levels") or {}
    marks = {level: mark for mark, level in levels.items()}
    names: dict[str, int] = {}
    for row in rows:
        names[str(row.get("name") or "").strip()] = names.get(str(row.get("name") or "").strip(), 0) + 1
    out = []
    for i, row in enumerate(rows):
        value, code, name = row.get("total"), str(row.get("code") or ""), str(row.get("name") or "").strip()
        mark = marks.get(row.get("level"))
        if not _usable(value) or not name or mark is None or not re.fullmatch(r"\d{3}(\d{2}){0,2}", code):
            continue
        words = [f"{code}{name}"]
        if names.get(name) == 1:
            words.append(f"{name}{mark}")
        out.append({"key": f"t05:{code}", "label": f"{code} {name}", "label_en": f"{code} {name}", "words": words,
                    "table": "公开05表", "values": {ACTUAL: (value, f"tables.t05.rows[{i}].total")}})
    return out


def figures(tree: dict) -> list[dict]:
    """The figures a text may quote: key, label, label_en, words, the table (公开NN表) and the
    values by phase, each (Notation, document path). `tree` is the derived document."""
    tables = tree.get("tables") or {}
    spec = _vocabulary()["figures"]
    out = []
    for name, values in _cells(tables).items():
        entry = spec[name]
        number = next(iter(values.values()))[1].split(".")[1][1:]
        out.append({"key": name, "label": entry["label"], "label_en": entry["label_en"], "words": list(entry["words"]),
                    "table": f"公开{number}表", "values": values})
    return out + _levels(tables.get("t05"))
