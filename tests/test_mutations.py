"""Mutation tests: every known defect class, injected into every real-layout workbook in
samples/, is found in the row it was put in, and nothing else new is reported except its
named consequences (a changed score moves the total).

The cell to change is found by the table's own labels as the reader reads them (资金总额's
全年预算数, the first indicator with a weight and a score, a qualitative target …): the
reader's cell map, which the exact-findings tests of the samples pin cell by cell. A class
with no suitable cell in a table (no rate column, no qualitative target) is not applicable
to it; every class applies to at least one workbook."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string

from validator import Validator
from validator.domain.notation import QUALITATIVE, QUANTITY, parse_text
from validator.submission import load_documents

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
WORKBOOKS = sorted(SAMPLES.glob("*.xlsx"))
VALIDATOR = Validator()


def _row(cell: str) -> int:
    return coordinate_from_string(cell)[1]


@dataclass
class Table:
    """One self-evaluation table of a sample workbook, as the reader reads it."""

    workbook: Path
    origin: str
    data: dict

    def cell(self, path: str) -> tuple[str, str] | None:
        where = self.data.get("source", {}).get(path)
        return (where["sheet"], where["cell"]) if where else None

    def indicators(self):
        return list(enumerate(self.data.get("indicators") or []))


def _tables() -> list[Table]:
    out = []
    for book in WORKBOOKS:
        for doc in load_documents(book):
            if doc.data is not None and doc.kind in ("transfer", "project"):
                out.append(Table(book, doc.origin, doc.data))
    return out


TABLES = _tables()


def _number(text) -> Decimal | None:
    n = parse_text(str(text)) if text is not None else None
    return n.number if n is not None and n.kind == QUANTITY else None


def _transpose(text: str) -> str | None:
    """Two adjacent different digits swapped (5238.17 → 5283.17), never a leading 0."""
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a.isdigit() and b.isdigit() and a != b and not (i == 0 and b == "0"):
            return text[:i] + b + a + text[i + 2:]
    return None


# --- the defect classes ----------------------------------------------------------------------
# Each returns (sheet, cell, new value, categories expected in that row, consequences
# allowed elsewhere), or None when the table has no suitable cell.

Mutation = tuple[str, str, object, set[str], set[str]]
# The value of a section-weight mutation: the 一级 label itself is rewritten.
SECTION = object()


def digits_transposed_in_a_total(t: Table) -> Mutation | None:
    for field in ("budget", "executed"):
        value = (t.data.get("funds") or {}).get("total", {}).get(field)
        where = t.cell(f"funds.total.{field}")
        swapped = _transpose(str(value)) if value is not None else None
        if where and swapped and _number(value):
            return (*where, Decimal(swapped), {"arithmetic"}, {"EX001", "EX003", "EX007", "AR026", "AR027"})
    return None


def wrong_execution_rate(t: Table) -> Mutation | None:
    funds = t.data.get("funds") or {}
    rows = [("funds.total", funds.get("total") or {})] + [(f"funds.sources[{i}]", r) for i, r in enumerate(funds.get("sources") or [])]
    for path, row in rows:
        budget, executed, rate = _number(row.get("budget")), _number(row.get("executed")), row.get("rate")
        where = t.cell(f"{path}.rate")
        if where and budget and executed is not None and _number(rate) is not None:
            wrong = "37.00%" if executed / budget > Decimal("0.5") else "73.00%"
            return (*where, wrong, {"arithmetic"}, set())
    return None


def score_above_its_weight(t: Table) -> Mutation | None:
    for i, ind in t.indicators():
        weight, score = _number(ind.get("weight")), _number(ind.get("score"))
        where = t.cell(f"indicators[{i}].score")
        if where and weight is not None and score is not None:
            return (*where, int(weight) + 5, {"arithmetic"}, {"AR012", "AR015", "AR025", "TA009"})
    return None


def comparison_written_as_an_actual(t: Table) -> Mutation | None:
    for i, ind in t.indicators():
        actual = ind.get("actual")
        n = parse_text(str(actual)) if actual is not None else None
        where = t.cell(f"indicators[{i}].actual")
        if where and n is not None and n.kind == QUANTITY and n.op in (None, "="):
            return (*where, "≥" + str(actual).lstrip("=＝"), {"target_actual"}, set())
    return None


def unmet_indicator_with_no_reason(t: Table) -> Mutation | None:
    for i, ind in t.indicators():
        target = parse_text(str(ind.get("target") or ""))
        actual = parse_text(str(ind.get("actual") or ""))
        where = t.cell(f"indicators[{i}].actual")
        if (where and target.kind == QUANTITY and actual.kind == QUANTITY and target.op in (None, "=", "≥")
                and target.number and actual.number and actual.number >= target.number and not ind.get("reason")):
            half = (target.number / 2).to_integral_value(rounding="ROUND_FLOOR")
            unit = target.unit.symbol if target.unit_written and target.unit is not None else ""
            text = f"{half}{unit}"
            if t.cell(f"indicators[{i}].reason") is None and "reason" not in ind:
                continue  # the table has no reason column: nowhere to leave the reason out
            return (*where, text, {"target_actual"},
                    {"TA008", "TA011", "EX001", "EX002", "EX006", "EX007", "SP005", "UN003"})
    return None


def actual_left_blank(t: Table) -> Mutation | None:
    for i, ind in t.indicators():
        where = t.cell(f"indicators[{i}].actual")
        if where and ind.get("actual") not in (None, "") and ind.get("target") not in (None, "", "/"):
            return (*where, None, {"target_actual"}, {"EX002", "EX006", "SP005"})
    return None


def qualitative_target_given_a_number(t: Table) -> Mutation | None:
    for i, ind in t.indicators():
        target = parse_text(str(ind.get("target") or ""))
        where = t.cell(f"indicators[{i}].actual")
        if where and target.kind == QUALITATIVE:
            return (*where, "100%", {"unit"}, {"TA010", "EX002", "EX006"})
    return None


def wan_yuan_figure_written_as_yuan(t: Table) -> Mutation | None:
    total = (t.data.get("funds") or {}).get("total") or {}
    where = t.cell("funds.total.budget")
    value = _number(total.get("budget"))
    if where and value:
        return (*where, value * 10000, {"arithmetic", "unit"}, {"EX001", "EX003", "EX007", "AR026", "AR027"})
    return None


def spreadsheet_error_in_a_cell(t: Table) -> Mutation | None:
    where = t.cell("funds.total.executed")
    if where:
        return (*where, "#VALUE!", {"form"}, set())
    for i, _ind in t.indicators():
        where = t.cell(f"indicators[{i}].actual")
        if where:
            return (*where, "#VALUE!", {"form"}, set())
    return None


def total_score_off(t: Table) -> Mutation | None:
    total = t.data.get("total") or {}
    where = t.cell("total.score")
    value = _number(total.get("score"))
    if where and value is not None:
        return (*where, int(value) - 3, {"arithmetic"}, {"AR025"})
    return None


def section_weight_off(t: Table) -> Mutation | None:
    """A 一级 group declared with a weight its indicators do not add up to: the template's
    own (产出指标(50分)) changed, or one written onto the 一级 label of a table that scores."""
    for j, group in enumerate(t.data.get("indicator_groups") or []):
        where = t.cell(f"indicator_groups[{j}].weight")
        if where and "level2" not in group:
            return (*where, SECTION, {"arithmetic"}, set())
    for i, ind in t.indicators():
        where = t.cell(f"indicators[{i}].level1")
        if where and _number(ind.get("weight")) is not None and ind.get("level1"):
            return (*where, SECTION, {"arithmetic"}, set())
    return None


CLASSES: dict[str, Callable[[Table], Mutation | None]] = {
    "digits transposed in a total": digits_transposed_in_a_total,
    "wrong execution rate": wrong_execution_rate,
    "score above its weight": score_above_its_weight,
    "comparison written as an actual": comparison_written_as_an_actual,
    "unmet indicator with no reason": unmet_indicator_with_no_reason,
    "actual left blank": actual_left_blank,
    "qualitative target given a number": qualitative_target_given_a_number,
    "万元 figure written as 元": wan_yuan_figure_written_as_yuan,
    "spreadsheet error in a cell": spreadsheet_error_in_a_cell,
    "total score off": total_score_off,
    "section weight off": section_weight_off,
}


def _section_label(ws, cell: str) -> str:
    """The 一级 label with a declared weight its indicators do not add up to."""
    text = str(ws[cell].value or "")
    m = re.search(r"[（(]\s*(\d+)\s*分\s*[）)]", text)
    if m:
        return text[: m.start(1)] + str(int(m.group(1)) + 10) + text[m.end(1):]
    return f"{text.strip()}(99分)"


def _findings(path: Path, origin: str) -> list:
    for report in VALIDATOR.check(path).files:
        if report.path == origin:
            assert report.error is None, report.error
            return report.findings
    raise AssertionError(f"{origin} not checked")


def _key(f) -> tuple:
    return (f.rule, f.location.path, f.location.sheet, f.location.cell)


def _apply(table: Table, mutation: Mutation, tmp_path: Path) -> Path:
    sheet, cell, value, _, _ = mutation
    wb = load_workbook(table.workbook)
    ws = wb[sheet]
    if value is SECTION:
        ws[cell].value = _section_label(ws, cell)
    else:
        ws[cell].value = value
        if isinstance(value, str) and value.startswith(("=", "≥")):
            ws[cell].data_type = "s"
    out = tmp_path / table.workbook.name
    wb.save(out)
    return out


CASES = [(t, name) for t in TABLES for name in CLASSES if CLASSES[name](t) is not None]


def _case_id(case) -> str:
    table, name = case
    return f"{table.origin.split('/')[-1]}:{name}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_injected_defect_is_found_in_its_row_and_nothing_else_new(case, tmp_path):
    table, name = case
    mutation = CLASSES[name](table)
    sheet, cell, _value, categories, consequences = mutation
    before = {_key(f) for f in _findings(table.workbook, table.origin)}
    mutated = _apply(table, mutation, tmp_path)
    origin = table.origin.replace(str(table.workbook), str(mutated))
    after = _findings(mutated, origin)
    new = [f for f in after if _key(f) not in before]
    row = _row(cell)
    hits = [f for f in new if f.category in categories and f.location.sheet == sheet and f.location.cell and _row(f.location.cell) == row]
    assert hits, f"{name} at {sheet}!{cell}: not found in row {row}; new: {[(f.rule, f.location.cell) for f in new]}"
    # A sentence of the sheet's 项目绩效分析 that quoted the value now contradicts it: a
    # consequence, found on the text with the changed cell as its related place.
    stray = [f for f in new if f.severity == "error" and f not in hits and f.rule not in consequences
             and not (f.location.sheet == sheet and f.location.cell and _row(f.location.cell) == row)
             and not any(r.sheet == sheet and r.cell == cell for r in f.related)]
    assert not stray, f"{name} at {sheet}!{cell}: unexpected new errors {[(f.rule, f.location.cell, f.message) for f in stray]}"


def test_every_class_applies_to_some_real_workbook():
    applicable = {name for _, name in CASES}
    assert applicable == set(CLASSES), set(CLASSES) - applicable


# --- the other kinds and the checks across one submission --------------------------------------

def _documents(book: Path) -> list:
    return [d for d in load_documents(book) if d.data is not None]


def _cell_of(doc, path: str) -> tuple[str, str]:
    where = doc.data["source"][path]
    return where["sheet"], where["cell"]


def _row_index(doc, label_word: str, role: str | None = None) -> int:
    return next(i for i, r in enumerate(doc.data["rows"]) if label_word in r["label"] and (role is None or r["role"] == role))


def _allocation_row_changed(doc):
    i = next(i for i, r in enumerate(doc.data["rows"]) if r["role"] == "item")
    sheet, cell = _cell_of(doc, f"rows[{i}].values.c1")
    parent = next(j for j, r in enumerate(doc.data["rows"]) if i in (r.get("parts") or []))
    return sheet, cell, int(doc.data["rows"][i]["values"]["c1"]) + 9, _cell_of(doc, f"rows[{parent}].values.c1")[1], {"AL001"}


def _subtotal_changed(doc):
    i = next((i for i, r in enumerate(doc.data["rows"]) if r["role"] == "subtotal"), None)
    if i is None:
        return None  # a table with no 小计
    sheet, cell = _cell_of(doc, f"rows[{i}].values.c1")
    return sheet, cell, _transposed(doc.data["rows"][i]["values"]["c1"]), cell, {"AL001"}


def _transposed(value) -> int:
    return int(_transpose(str(value)))


def _execution_figure_changed(doc):
    i = next(i for i, r in enumerate(doc.data["rows"]) if r["role"] == "item")
    key = next(c["key"] for c in doc.data["columns"] if c.get("measure") == "executed" and c.get("source") == "central")
    sheet, cell = _cell_of(doc, f"rows[{i}].values.{key}")
    return sheet, cell, 50, None, {"AL001", "AL003", "FL002"}


def _issued_target_changed(doc):
    i = next(i for i, ind in enumerate(doc.data["indicators"]) if ind.get("target") == "100%")
    sheet, cell = _cell_of(doc, f"indicators[{i}].target")
    return sheet, cell, "80%", None, set()


def _weight_changed(doc):
    i = next(i for i, it in enumerate(doc.data["items"]) if it.get("weight") not in (None, ""))
    sheet, cell = _cell_of(doc, f"items[{i}].weight")
    return sheet, cell, int(doc.data["items"][i]["weight"]) + 2, None, {"EV001", "EV003"}


ACROSS = [
    # (workbook, kind, class, mutation, categories found in the mutated row or the named row)
    ("xinjiang-2023-tailings.xlsx", "allocation", "one allocation row changed", _allocation_row_changed, {"arithmetic"}),
    ("xinjiang-2023-tailings.xlsx", "allocation", "one 小计 changed", _subtotal_changed, {"arithmetic"}),
    ("xinjiang-2023-tailings.xlsx", "execution", "one execution figure changed", _execution_figure_changed, {"arithmetic"}),
    ("xinjiang-2023-tailings.xlsx", "transfer", "one issued target changed", _issued_target_changed, {"target_actual"}),
    ("quxian-2024-monitoring-center-scorecard.xlsx", "scorecard", "one weight changed", _weight_changed, {"arithmetic"}),
]


@pytest.mark.parametrize("name,kind,label,make,categories", ACROSS, ids=[f"{a[0]}:{a[2]}" for a in ACROSS])
def test_injected_defect_in_another_kind_is_found_where_it_shows(name, kind, label, make, categories, tmp_path):
    book = SAMPLES / name
    docs = [d for d in _documents(book) if d.kind == kind]
    applied = 0
    for doc in docs:
        mutation = make(doc)
        if mutation is None:
            continue
        applied += 1
        sheet, cell, value, shows_at, consequences = mutation
        before = {(r.path, _key(f)) for r in VALIDATOR.check(book).files for f in r.findings}
        wb = load_workbook(book)
        wb[sheet][cell].value = value
        mutated = tmp_path / name
        wb.save(mutated)
        after = [(r.path.replace(str(mutated), str(book)), f) for r in VALIDATOR.check(mutated).files for f in r.findings]
        new = [(p, f) for p, f in after if (p, _key(f)) not in before]
        row = _row(shows_at or cell)
        hits = [f for p, f in new if f.category in categories and f.location.sheet == sheet and f.location.cell
                and _row(f.location.cell) == row]
        assert hits, f"{label} at {sheet}!{cell}: nothing in row {row}; new: {[(f.rule, f.location.cell) for _, f in new]}"
        stray = [f for _, f in new if f.severity == "error" and f not in hits and f.rule not in consequences
                 and not (f.location.sheet == sheet and f.location.cell and _row(f.location.cell) == row)]
        assert not stray, f"{label} at {sheet}!{cell}: unexpected {[(f.rule, f.location.cell, f.message) for f in stray]}"
    assert applied, f"{label}: no {kind} table in {name} to change"


def test_every_real_layout_workbook_is_mutated():
    covered = {t.workbook.name for t in TABLES} | {name for name, *_ in ACROSS}
    assert covered == {p.name for p in WORKBOOKS}
