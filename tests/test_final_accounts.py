"""部门决算公开 (公开01–10), read and checked as one set: the exact findings of every sample
workbook, the traps that must not raise an error, the layouts the reader must read alike,
and the inputs that are wrong in a way the filer must be told about."""

from __future__ import annotations

import importlib.util
import json
import re
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from openpyxl import Workbook, load_workbook

from conftest import ROOT, SAMPLES, run_cli
from validator import Validator
from validator.kinds import kind_named
from validator.kinds.final_accounts import model
from validator.read import read_file
from validator.submission import load_documents, recognize_grid

FOLDER = SAMPLES / "final-accounts"
VALIDATOR = Validator()

_loader = importlib.util.spec_from_file_location("selfeval_final_accounts_samples", ROOT / "samples" / "make_final_accounts.py")
make = importlib.util.module_from_spec(_loader)
_loader.loader.exec_module(make)


def one_document(path: Path):
    """The set a workbook holds (beside it, at most the 情况说明 written below the tables)."""
    documents = load_documents(path)
    sets = [d for d in documents if d.kind == "final_accounts"]
    assert len(sets) == 1 and all(d.kind == "report" for d in documents if d not in sets), [d.origin for d in documents]
    return sets[0]


def report(path: Path):
    """The set's report; the 情况说明 written below a stacked set is a report of its own
    (tests/test_final_accounts_narrative.py)."""
    files = [f for f in VALIDATOR.check(path).files if f.kind != "report"]
    assert len(files) == 1, [f.path for f in files]
    assert files[0].error is None, files[0].error
    assert files[0].kind == "final_accounts"
    return files[0]


def listed(findings) -> list[tuple]:
    return sorted((f.rule, f.severity, f.location.sheet, f.location.cell, f.expected) for f in findings)


# --- the samples ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["yunxi-2024-final-accounts.xlsx", "yunxi-2024-final-accounts-stacked.xlsx"])
def test_clean_sets_have_no_findings(name):
    assert report(FOLDER / name).findings == []


def test_a_changed_item_is_found_in_its_row_with_its_parent_as_consequence():
    found = report(FOLDER / "yunxi-2024-final-accounts-item-changed.xlsx").findings
    assert listed(found) == [
        ("FA001", "error", "公开05", "C19", "578.96万元"),  # 22401 应急管理事务 against its 项 rows
        ("FA002", "error", "公开05", "C22", "46.25万元"),   # 2240106 安全监管: 合计 ≠ 基本 + 项目
        ("FA020", "error", "公开05", "C22", "46.25万元"),   # 2240106 in 公开05 against 公开03
    ]
    row = next(f for f in found if f.rule == "FA002")
    assert row.location.label == "2240106 安全监管" and row.actual == "64.25万元"
    assert "录入颠倒" in row.message and "swapped digits" in row.message_en
    assert next(f for f in found if f.rule == "FA020").margin == "±0.01万元"


def test_a_changed_cross_table_figure_is_found_at_the_summary_line():
    found = report(FOLDER / "yunxi-2024-final-accounts-cross-table.xlsx").findings
    assert listed(found) == [
        ("FA005", "error", "公开01", "F33", "795.06万元"),  # 本年支出合计 against the 类 lines
        ("FA023", "error", "公开01", "F28", "680.97万元"),  # 灾害防治及应急管理支出 against 公开03's 224
    ]
    line = next(f for f in found if f.rule == "FA023")
    assert line.actual == "680.79万元" and "公开03!C18" in line.message and "录入颠倒" in line.message


def test_a_changed_three_public_component_is_found_in_the_three_public_row():
    found = report(FOLDER / "yunxi-2024-final-accounts-three-public.xlsx").findings
    assert listed(found) == [
        ("FA008", "error", "公开09", "G8", "41.68万元"),     # 决算数 合计 against its three parts
        ("FA028", "error", "公开09", "L8", "≥ 1.86万元"),    # 公务接待费 below 公开06's 30217
    ]
    assert "公开06!F22" in next(f for f in found if f.rule == "FA028").message


def test_a_shifted_column_is_found_in_its_row_and_named_as_such():
    found = report(FOLDER / "yunxi-2024-final-accounts-column-shifted.xlsx").findings
    sheet = "部门决算公开"
    assert listed(found) == [
        ("FA001", "error", sheet, "D155", "0.00万元"),     # 22401 基本支出 against its 项
        ("FA001", "error", sheet, "E155", "560.96万元"),   # 22401 项目支出 against its 项
        ("FA020", "error", sheet, "D156", "423.71万元"),   # 2240101 基本支出 against 公开03
        ("FA020", "error", sheet, "E156", "0.00万元"),     # 2240101 项目支出 against 公开03
    ]
    by_cell = {f.location.cell: f for f in found}
    assert "相邻栏" in by_cell["D155"].message and "项目支出" in by_cell["D155"].message
    assert "neighbouring column" in by_cell["D155"].message_en and "project spending" in by_cell["D155"].message_en
    assert "填错栏" in by_cell["E156"].message and "基本支出" in by_cell["E156"].message


def test_samples_from_the_command_line_name_sheet_cell_and_exit_code():
    proc = run_cli("check", str(FOLDER / "yunxi-2024-final-accounts-item-changed.xlsx"), "--color", "never")
    assert proc.returncode == 1, proc.stderr
    assert "公开05!C22 2240106 安全监管" in proc.stdout
    assert "部门决算公开" in proc.stdout  # the kind's own name, not its code
    clean = run_cli("check", str(FOLDER / "yunxi-2024-final-accounts.xlsx"), "--format", "json")
    assert clean.returncode == 0
    doc = json.loads(clean.stdout)
    assert doc["files"][0]["kind"] == "final_accounts" and doc["files"][0]["packs"] == ["final-accounts"]


def _cjk_outside(text: str, data: list[str]) -> str:
    for piece in sorted(data, key=len, reverse=True):
        text = text.replace(piece, "")
    return "".join(re.findall(r"[\u4e00-\u9fff]", text))


def test_english_messages_are_english_but_for_the_submission_s_own_text():
    pieces = {"万元"}
    for path in sorted(FOLDER.glob("*.xlsx")):
        doc = one_document(path)
        pieces.update(str(w["sheet"]) for w in doc.data["source"].values())

        def walk(node):
            if isinstance(node, dict):
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
            elif isinstance(node, str):
                pieces.add(node)

        walk(doc.data["tables"])
    for path in sorted(FOLDER.glob("*.xlsx")):
        for f in report(path).findings:
            data = list(pieces) + [f.location.label or ""]
            assert _cjk_outside(f.message_en, data) == "", (f.rule, f.message_en)
            assert _cjk_outside(f.hint_en or "", []) == "", (f.rule, f.hint_en)


# --- the traps ---------------------------------------------------------------------------------

def _derived(path: Path) -> dict:
    return model.derive(one_document(path).data)


def test_rounding_within_the_printed_precision_is_exercised_and_accepted():
    root = _derived(FOLDER / "yunxi-2024-final-accounts.xlsx")
    off = []
    for item in root["sums"]:
        parts = [p["value"].measure for p in item["parts"]]
        total = sum((m.value for m in parts), Decimal(0))
        diff = item["value"].measure.value - total
        if diff:
            off.append((item["_path"], diff, len(parts)))
    # The figures are rounded one by one: some sums miss their printed total by a cent or two.
    assert off, "the clean sample should carry rounding differences"
    assert all(abs(d) <= Decimal("0.005") * (n + 1) * 10000 for _, d, n in off)
    assert report(FOLDER / "yunxi-2024-final-accounts.xlsx").findings == []


def test_economic_and_functional_codes_need_not_agree():
    root = _derived(FOLDER / "yunxi-2024-final-accounts.xlsx")
    t06 = {r["code"]: r for r in root["tables"]["t06"]["personnel"]}
    t05 = {r["code"]: r for r in root["tables"]["t05"]["rows"]}
    assert t06["30108"]["amount"].number != t05["2080505"]["total"].number  # 39.95 against 41.47


def test_line_numbers_have_gaps():
    data = one_document(FOLDER / "yunxi-2024-final-accounts.xlsx").data
    lines = [int(line["line"]) for line in data["tables"]["t01"]["income"]]
    assert lines[:8] == list(range(1, 9)) and lines[8] == 58


def test_empty_government_fund_and_state_capital_tables():
    data = one_document(FOLDER / "yunxi-2024-final-accounts.xlsx").data
    for key in ("t07", "t08"):
        assert data["tables"][key]["empty"] is True
        assert "rows" not in data["tables"][key]


def _without_rows(blocks, numbers, codes):
    for block in blocks:
        if block.name[-2:] in numbers:
            block.rows = [row for row in block.rows if not (row and row[0] in codes)]
    return blocks


def test_a_parent_printed_without_its_children_is_not_summed(tmp_path):
    # 22407 printed alone: its 项 2240703 is left out of 公开02, 03 and 05 alike.
    blocks = _without_rows(make.spec("clean"), ("02", "03", "05"), {"2240703"})
    path = tmp_path / "parent-only.xlsx"
    path.write_bytes(make.deterministic_bytes(make.build(blocks)))
    data = one_document(path).data
    codes = [r["code"] for r in data["tables"]["t03"]["rows"]]
    assert "22407" in codes and "2240703" not in codes
    assert report(path).findings == []


@pytest.mark.parametrize("layout", ["split", "in_name"])
@pytest.mark.parametrize("stacked", [False, True])
def test_code_layouts_read_alike(tmp_path, layout, stacked):
    """Codes in one column, in 类/款/项 columns, or written before the name: one document."""
    base = one_document(FOLDER / "yunxi-2024-final-accounts.xlsx").data
    path = make.write(tmp_path / f"{layout}.xlsx", "clean", stacked, layout)
    data = one_document(path).data
    strip = lambda d: {k: v for k, v in d.items() if k != "source"}  # noqa: E731
    assert strip(data) == strip(base)
    assert report(path).findings == []


def test_stacked_and_per_sheet_read_alike_and_the_explanation_is_not_a_table():
    per_sheet = one_document(FOLDER / "yunxi-2024-final-accounts.xlsx").data
    stacked = one_document(FOLDER / "yunxi-2024-final-accounts-stacked.xlsx").data
    assert {k: v for k, v in stacked.items() if k != "source"} == {k: v for k, v in per_sheet.items() if k != "source"}
    # The 情况说明 text below 公开10 stays out of it: it is the set's narrative, a report.
    assert "other" not in stacked["tables"]["t10"]
    assert not any("情况说明" in str(v) for v in stacked["source"])
    (narrative,) = [d for d in load_documents(FOLDER / "yunxi-2024-final-accounts-stacked.xlsx") if d.kind == "report"]
    assert narrative.data["paragraphs"][0] == {"text": "云溪县应急管理局2024年度部门决算情况说明", "heading": 0}
    assert narrative.data["source"]["paragraphs[0]"] == {"sheet": "部门决算公开", "cell": "A257"}


def test_an_explanation_sheet_is_read_as_the_sets_narrative(tmp_path):
    workbook = make.build(make.spec("clean"))
    sheet = workbook.create_sheet("情况说明")
    for i, line in enumerate(make.explanation(), start=1):
        sheet.cell(row=i, column=1, value=line)
    path = tmp_path / "with-explanation.xlsx"
    workbook.save(path)
    assert report(path).findings == []
    (narrative,) = [f for f in VALIDATOR.check(path).files if f.kind == "report"]
    assert narrative.findings == []
    # A figure changed in the text is found at its cell, against the table's.
    sheet.cell(row=3, column=1, value=make.explanation()[2].replace("537.98", "573.98"))
    workbook.save(path)
    (narrative,) = [f for f in VALIDATOR.check(path).files if f.kind == "report"]
    assert [(f.rule, f.location.sheet, f.location.cell, f.expected) for f in narrative.findings] == [
        ("RP014", "情况说明", "A3", "537.98万元")]


# --- the reader --------------------------------------------------------------------------------

def test_every_table_is_recognized_by_title_mark_and_header():
    workbook = read_file(FOLDER / "yunxi-2024-final-accounts.xlsx")
    for grid in workbook.sheets:
        claimed, notices = recognize_grid(grid)
        assert [m.kind for m in claimed] == ["final_accounts"], grid.sheet
        assert claimed[0].confidence == 1.0 and notices == []
        assert grid.sheet[-2:] in claimed[0].reason  # 有公开NN表标记


def test_the_set_carries_department_year_unit_and_every_table():
    data = one_document(FOLDER / "yunxi-2024-final-accounts.xlsx").data
    assert (data["department"], data["year"], data["unit"]) == ("云溪县应急管理局", "2024", "万元")
    assert sorted(data["tables"]) == [f"t{n:02d}" for n in range(1, 11)]
    t09 = data["tables"]["t09"]
    assert t09["actual"] == {"total": "41.86", "vehicles": "40.00", "purchase": "28.00", "running": "12.00", "reception": "1.86"}
    assert data["source"]["tables.t09.actual.reception"] == {"sheet": "公开09", "cell": "L8"}
    t10 = data["tables"]["t10"]
    assert t10["running_costs"]["value"] == "92.52" and t10["vehicles"]["total"]["value"] == "6"
    assert [k["item"].strip() for k in t10["vehicles"]["kinds"]][2] == "应急保障用车"


def test_documents_validate_against_the_shipped_schema():
    schema = kind_named("final_accounts").load_schema()
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(FOLDER.glob("*.xlsx")):
        validator.validate(one_document(path).data)


def test_every_cell_of_the_schema_says_what_it_is():
    schema = kind_named("final_accounts").load_schema()
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("$ref") in ("#/$defs/cell", "#/$defs/text") and "x-type" not in node:
                missing.append(where)
            for k, v in node.items():
                walk(v, f"{where}/{k}")

    walk(schema, "")
    assert missing == []


def test_the_generator_writes_the_committed_samples(tmp_path):
    # Compared as the reader sees them (texts shown and merged ranges), not byte for byte:
    # the zip container differs between openpyxl releases while the tables do not.
    from validator.read.xlsx import read_workbook

    def shown(path):
        return [(g.sheet, g.texts, sorted(map(str, g.merges))) for g in read_workbook(path).sheets]

    assert make.main(["make_final_accounts.py", str(tmp_path)]) == 0
    for name in make.SAMPLES:
        assert shown(tmp_path / name) == shown(FOLDER / name), name
    narrative = "yunxi-2024-final-accounts-情况说明.docx"
    paragraphs = lambda path: [(p.text, p.heading) for p in read_file(path).paragraphs]  # noqa: E731
    assert paragraphs(tmp_path / narrative) == paragraphs(FOLDER / narrative)


# --- bad input ---------------------------------------------------------------------------------

def _with_code(tmp_path, number: str, old: str, new: str) -> Path:
    blocks = make.spec("clean")
    block = make.by_number(blocks, number)
    for row in block.rows:
        if row and row[0] == old:
            row[0] = new
    path = tmp_path / f"code-{new}.xlsx"
    path.write_bytes(make.deterministic_bytes(make.build(blocks)))
    return path


@pytest.mark.parametrize("bad", ["22A0106", "224016", "2240106 "])
def test_a_code_that_is_not_a_code_is_a_form_finding_at_its_cell(tmp_path, bad):
    path = _with_code(tmp_path, "03", "2240106", bad)
    found = report(path).findings
    if bad.strip() == "2240106":
        assert found == []  # a trailing space is not a wrong code
        return
    fa080 = [f for f in found if f.rule == "FA080"]
    assert [(f.location.sheet, f.location.cell, f.severity) for f in fa080] == [("公开03", "A22", "error")]
    assert bad in fa080[0].message
    # The row is still summed under its 款; only the cross-table match by code is lost.
    assert {f.rule for f in found} - {"FA080"} <= {"FA020", "FA022"}
    assert not [f for f in found if f.rule in ("FA001", "FA002", "FA003")]


def test_an_economic_code_of_the_wrong_length(tmp_path):
    path = _with_code(tmp_path, "06", "30101", "3011")
    found = report(path).findings
    assert [(f.rule, f.location.cell) for f in found] == [("FA080", "A7")]


def test_a_set_with_tables_missing_is_checked_as_far_as_it_goes(tmp_path):
    blocks = [b for b in make.spec("cross-table") if b.name[-2:] in ("01", "02", "03", "05")]
    path = tmp_path / "part.xlsx"
    path.write_bytes(make.deterministic_bytes(make.build(blocks)))
    found = report(path).findings
    missing = sorted(f.location.path for f in found if f.rule == "FA090")
    assert missing == ["tables.t04", "tables.t06", "tables.t07", "tables.t08", "tables.t09", "tables.t10"]
    assert all(f.severity == "warning" for f in found if f.rule == "FA090")
    assert "公开04表" in next(f for f in found if f.location.path == "tables.t04").message
    # What the tables present can tell is still told: 公开01 against 公开03.
    errors = sorted((f.rule, f.location.sheet, f.location.cell) for f in found if f.severity == "error")
    assert errors == [("FA005", "公开01", "F33"), ("FA023", "公开01", "F28")]


def test_a_final_accounts_sheet_in_a_self_evaluation_workbook_is_its_own_document(tmp_path):
    workbook = load_workbook(SAMPLES / "anshan-2024-transfer.xlsx")
    make.add_to(workbook, make.spec("item-changed"), stacked=True, sheet="决算公开")
    path = tmp_path / "mixed.xlsx"
    workbook.save(path)
    files = VALIDATOR.check(path).files
    by_kind = {f.kind: f for f in files}
    assert sorted(by_kind) == ["final_accounts", "transfer"]
    assert by_kind["transfer"].path == f"{path}#自评表"
    assert sorted((f.rule, f.location.cell) for f in by_kind["transfer"].findings) == [
        ("EX004", "C32"), ("EX007", "D8"), ("SP005", "F27")]  # as the workbook alone gives
    assert by_kind["transfer"].packs == ["standard", "safety-production"]
    assert by_kind["final_accounts"].path == f"{path}#云溪县应急管理局"
    assert by_kind["final_accounts"].packs == ["final-accounts"]
    assert sorted(f.rule for f in by_kind["final_accounts"].findings) == ["FA001", "FA002", "FA020"]
    assert {f.location.sheet for f in by_kind["final_accounts"].findings} == {"决算公开"}


def test_a_self_evaluation_table_is_never_claimed():
    for name in ("anshan-2024-transfer.xlsx", "quxian-2024-experts.xlsx", "yangcheng-2024-project-self-evals.xlsx",
                 "xinjiang-2023-tailings.xlsx"):
        for grid in read_file(SAMPLES / name).sheets:
            assert kind_named("final_accounts").recognize(grid) == [], (name, grid.sheet)


def test_final_accounts_tables_are_never_claimed_by_the_self_evaluation_reader():
    for name in ("yunxi-2024-final-accounts.xlsx", "yunxi-2024-final-accounts-stacked.xlsx"):
        for grid in read_file(FOLDER / name).sheets:
            for kind in ("transfer", "project"):
                assert all(m.confidence < 0.5 for m in kind_named(kind).recognize(grid)), (name, grid.sheet)


def test_two_units_in_one_workbook_are_two_sets(tmp_path):
    workbook = Workbook()
    workbook.remove(workbook.active)
    make.add_to(workbook, make.spec("clean"), stacked=True, sheet="部门")
    second = make.spec("three-public")
    for block in second:
        for row in block.rows:
            for i, cell in enumerate(row):
                if isinstance(cell, str) and cell.startswith("部门："):
                    row[i] = "部门：云溪县应急管理局综合保障中心"
    make.add_to(workbook, second, stacked=True, sheet="下属单位")
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    files = VALIDATOR.check(path).files
    assert [(f.path.rsplit("#", 1)[1], len(f.findings)) for f in files] == [
        ("云溪县应急管理局", 0), ("云溪县应急管理局综合保障中心", 2)]


def test_an_amount_that_is_not_a_number(tmp_path):
    blocks = make.spec("clean")
    block = make.by_number(blocks, "02")
    r, _ = make.find_cell(block, "2240106", 1)
    block.rows[r - 1][4] = "见附表"  # 上级补助收入
    path = tmp_path / "text.xlsx"
    path.write_bytes(make.deterministic_bytes(make.build(blocks)))
    found = report(path).findings
    assert [(f.rule, f.location.cell, f.actual) for f in found] == [("FA081", "E22", "见附表")]


def test_a_column_the_table_does_not_have_is_named_and_not_read(tmp_path):
    blocks = make.spec("clean")
    block = make.by_number(blocks, "03")
    block.width += 1
    for row in block.rows:
        row.append(None)
    h1, _ = block.header
    block.rows[h1 - 1][-1] = "备注"
    block.merges.append((h1, block.width, h1 + 1, block.width))
    r, _ = make.find_cell(block, "2240108", 1)
    block.rows[r - 1][-1] = "含购置应急救援车辆1辆"
    path = tmp_path / "remarks.xlsx"
    path.write_bytes(make.deterministic_bytes(make.build(blocks)))
    found = report(path).findings
    assert [(f.rule, f.severity, f.location.sheet, f.location.cell) for f in found] == [("FA903", "info", "公开03", "I4")]
    assert "备注" in found[0].message and "备注" in found[0].message_en


def test_a_table_outside_the_set_ends_the_table_above_it(tmp_path):
    blocks = make.spec("clean")
    extra = make.Block("项目收入支出决算表", 5)
    extra.head("项目收入支出决算表", "附表")
    extra.add(["项目名称", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"])
    extra.add(["应急救援能力提升", ("5.00", None), ("72.40", None), ("72.40", None), ("5.00", None)])
    i = next(i for i, b in enumerate(blocks) if b.name == "公开05")
    blocks.insert(i + 1, extra)
    workbook = Workbook()
    workbook.remove(workbook.active)
    make.add_to(workbook, blocks, stacked=True)
    path = tmp_path / "extra.xlsx"
    workbook.save(path)
    data = one_document(path).data
    assert [r["code"] for r in data["tables"]["t05"]["rows"]] == [r["code"] for r in data["tables"]["t03"]["rows"]]
    assert report(path).findings == []
