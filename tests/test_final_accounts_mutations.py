"""Mutation tests of the 部门决算公开 reader and rules, in the style of test_mutations.py: a
defect of each class is put into a clean set, in every code layout, one table per sheet and
stacked on one sheet; it must be found in the row it was put in, and nothing else new may
be reported but its named consequences (a changed 项 moves its 款, a changed 类 the 合计 row).

The cell to change is found by the tables' own labels as the reader reads them (the
document's source map: the first 项 with an amount, a 类 with 款 under it, the 公开01 line
of a 类 that has spending, the 三公 公务接待费 决算数, a 项 with only 基本支出) — the map the
exact-findings tests of the samples pin cell by cell."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string

from conftest import ROOT
from validator import Validator
from validator.submission import load_documents

_loader = importlib.util.spec_from_file_location("selfeval_final_accounts_samples", ROOT / "samples" / "make_final_accounts.py")
make = importlib.util.module_from_spec(_loader)
_loader.loader.exec_module(make)

VALIDATOR = Validator()
LAYOUTS = [(layout, stacked) for layout in ("code", "split", "in_name") for stacked in (False, True)]


@dataclass
class Set:
    path: Path
    data: dict

    def cell(self, path: str) -> tuple[str, str]:
        where = self.data["source"][path]
        return where["sheet"], where["cell"]


@pytest.fixture(scope="module")
def sets(tmp_path_factory) -> dict[tuple[str, bool], Set]:
    folder = tmp_path_factory.mktemp("sets")
    out = {}
    for layout, stacked in LAYOUTS:
        path = make.write(folder / f"{layout}-{'stacked' if stacked else 'sheets'}.xlsx", "clean", stacked, layout)
        (document,) = [d for d in load_documents(path) if d.kind == "final_accounts"]
        out[(layout, stacked)] = Set(path, document.data)
    return out


def _transposed(text: str) -> str:
    """Two adjacent different digits swapped, never the leading one."""
    for i in range(1, len(text) - 1):
        a, b = text[i], text[i + 1]
        if a.isdigit() and b.isdigit() and a != b:
            return text[:i] + b + a + text[i + 2:]
    raise ValueError(text)


# --- the defect classes: (cells to change → new values, rules expected in the row, rules
# allowed elsewhere) ------------------------------------------------------------------------

Mutation = tuple[dict[str, object], set[str], set[str]]


def item_changed(s: Set) -> Mutation:
    rows = s.data["tables"]["t05"]["rows"]
    i = next(i for i, r in enumerate(rows) if len(r.get("code", "")) == 7 and r.get("total"))
    path = f"tables.t05.rows[{i}].total"
    return {path: Decimal(_transposed(rows[i]["total"]))}, {"FA002", "FA020"}, {"FA001"}


def class_changed(s: Set) -> Mutation:
    rows = s.data["tables"]["t03"]["rows"]
    i = next(i for i, r in enumerate(rows) if len(r.get("code", "")) == 3 and r.get("total"))
    path = f"tables.t03.rows[{i}].total"
    return ({path: Decimal(rows[i]["total"]) + 10}, {"FA001", "FA002"},
            {"FA003", "FA020", "FA022", "FA023"})


def cross_table_figure_changed(s: Set) -> Mutation:
    lines = s.data["tables"]["t01"]["spending"]
    i = next(i for i, line in enumerate(lines) if line.get("amount") and line["item"].endswith("灾害防治及应急管理支出"))
    path = f"tables.t01.spending[{i}].amount"
    return {path: Decimal(_transposed(lines[i]["amount"]))}, {"FA023"}, {"FA005"}


def three_public_component_changed(s: Set) -> Mutation:
    actual = s.data["tables"]["t09"]["actual"]
    return {"tables.t09.actual.reception": Decimal(actual["reception"]) - Decimal("0.50")}, {"FA008", "FA028"}, set()


def column_shifted(s: Set) -> Mutation:
    rows = s.data["tables"]["t05"]["rows"]
    i = next(i for i, r in enumerate(rows) if len(r.get("code", "")) == 7 and r.get("basic") and not r.get("project"))
    basic, project = f"tables.t05.rows[{i}].basic", f"tables.t05.rows[{i}].project"
    return {basic: None, project: Decimal(rows[i]["basic"])}, {"FA020"}, {"FA001"}


CLASSES: dict[str, Callable[[Set], Mutation]] = {
    "a 项 changed": item_changed,
    "a 类 changed": class_changed,
    "a cross-table figure changed": cross_table_figure_changed,
    "a 三公 component changed": three_public_component_changed,
    "a figure shifted into the next column": column_shifted,
}


def _row(cell: str) -> int:
    return coordinate_from_string(cell)[1]


def _key(f) -> tuple:
    return (f.rule, f.location.path, f.location.sheet, f.location.cell)


def _findings(path: Path) -> list:
    """Every finding of the workbook: the set's, and its 情况说明's where it is stacked below
    (whose figures quote the tables, so a changed table must not make it cry wolf either)."""
    reports = VALIDATOR.check(path).files
    assert all(r.error is None for r in reports), [r.error for r in reports]
    return [f for r in reports for f in r.findings]


@pytest.mark.parametrize("layout,stacked", LAYOUTS, ids=[f"{l}-{'stacked' if s else 'sheets'}" for l, s in LAYOUTS])
@pytest.mark.parametrize("name", list(CLASSES))
def test_injected_defect_is_found_in_its_row_and_nothing_else_new(sets, tmp_path, name, layout, stacked):
    s = sets[(layout, stacked)]
    changes, in_row, consequences = CLASSES[name](s)
    before = {_key(f) for f in _findings(s.path)}
    assert before == set()
    workbook = load_workbook(s.path)
    rows: set[tuple[str, int]] = set()
    for path, value in changes.items():
        sheet, cell = s.cell(path)
        workbook[sheet][cell].value = float(value) if isinstance(value, Decimal) else value
        if isinstance(value, Decimal):
            workbook[sheet][cell].number_format = "#,##0.00"
        rows.add((sheet, _row(cell)))
    mutated = tmp_path / s.path.name
    workbook.save(mutated)
    new = [f for f in _findings(mutated) if _key(f) not in before]
    hits = {f.rule for f in new if (f.location.sheet, _row(f.location.cell or "A0")) in rows}
    assert in_row <= hits, f"{name}: expected {in_row} in rows {rows}; new: {[(f.rule, f.location.cell) for f in new]}"
    stray = [(f.rule, f.location.sheet, f.location.cell, f.message) for f in new
             if (f.location.sheet, _row(f.location.cell or "A0")) not in rows and f.rule not in consequences]
    assert not stray, f"{name}: unexpected {stray}"
    assert all(f.severity == "error" and f.category == "arithmetic" for f in new)
    # A figure compared with its twin in another table is told the twin's value: what it was.
    for path in changes:
        original = _original(s.data, path)
        sheet, cell = s.cell(path)
        for f in new:
            if (f.location.sheet, f.location.cell) == (sheet, cell) and f.rule in ("FA020", "FA023"):
                assert f.expected == f"{original or '0.00'}万元", (f.rule, f.expected, original)


def _original(data: dict, path: str):
    node = data
    for step in path.replace("]", "").replace("[", ".").split("."):
        node = node[int(step)] if step.isdigit() else node.get(step)
        if node is None:
            return None
    return node

