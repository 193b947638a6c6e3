"""Every real-layout workbook in samples/ gives exactly the findings a careful reviewer would
list: each named by rule, severity and cell, and nothing else. The tables are cell for cell
from the reference documents (samples/make_workbooks.py), so what is listed here is what a
bureau would see on the real submission."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator import Validator

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
VALIDATOR = Validator()


def findings(name: str, part: str | None = None) -> list:
    path = SAMPLES / name
    reports = VALIDATOR.check(path).files
    if part is not None:
        reports = [r for r in reports if r.path == f"{path}#{part}"]
    else:
        reports = [r for r in reports if r.path == str(path) or r.kind is not None]
    assert len(reports) == 1, [r.path for r in reports]
    assert reports[0].error is None, reports[0].error
    return reports[0].findings


def listed(found) -> list[tuple[str, str, str | None]]:
    return sorted((f.rule, f.severity, f.location.cell) for f in found)


def one(found, rule: str, cell: str):
    hits = [f for f in found if f.rule == rule and f.location.cell == cell]
    assert len(hits) == 1, listed(found)
    return hits[0]


def test_anshan_workbook():
    found = findings("anshan-2024-transfer.xlsx")
    assert listed(found) == [
        ("EX004", "info", "C32"),  # 说明 left blank; the template asks for 无
        ("EX007", "warning", "D8"),  # 0% execution explained only by the indicator reasons
        ("SP005", "error", "F27"),  # 联网在线率 90.00% while nothing was built
    ]
    assert "0.00%" in one(found, "EX007", "D8").message


@pytest.mark.parametrize("name", ["quxian-2024-monitoring-center.xlsx", "quxian-2024-experts.xlsx"])
def test_quxian_workbooks_are_clean(name):
    # The Quxian tables themselves are consistent; their defects are in the reports' scoring.
    assert listed(findings(name)) == []


YANGCHENG = "yangcheng-2024-project-self-evals.xlsx"


def _fm013(*cells: str) -> list:
    return [("FM013", "warning", c) for c in cells]


def test_yangcheng_provincial_template():
    found = findings(YANGCHENG, "煤矿重大灾害风险防控")
    assert listed(found) == sorted([
        # the template's rate formula shows #DIV/0! on the four empty source rows
        ("FM001", "error", "F7"), ("FM001", "error", "F9"), ("FM001", "error", "F10"), ("FM001", "error", "F11"),
        # the fund's pack expects 联网在线率 beside 验收通过率
        ("SP002", "warning", None),
    ])
    assert one(found, "FM001", "F7").location.label == "其中：中央资金"


def test_yangcheng_fire_station():
    found = findings(YANGCHENG, "阳东一级消防站")
    assert listed(found) == sorted([
        ("TA004", "error", "G21"),  # 人民群众满意度 actual ≥90%
        *_fm013("E12", "E13", "E15", "E16", "E17", "E18", "E19", "E21"),
    ])
    assert one(found, "TA004", "G21").actual == "≥90%"


@pytest.mark.parametrize("sheet,satisfaction,placeholders,extra", [
    ("五人小组", "G17", ("E12", "E13", "E15", "E17"), []),
    ("入井补助", "G16", ("E11", "E12", "E14", "E16"), []),
    # 人均年补贴标准 =11000元/人, actual =5195元/人, scored 6 (10 × 47.23% = 4.72): check the method
    ("应急值班补助", "G17", ("E12", "E13", "E15", "E17"), [("TA011", "warning", "I15")]),
    # its 项目绩效分析 states 预算执行率为99.11%: 8.92 ÷ 9 on 年初预算, the table 100% on 全年预算
    ("专家经费", "G17", ("E12", "E13", "E15", "E17"), [("RP002", "info", "D24")]),
    # the cost target 200000元 for a 5万元 budget; scored 5 for 25% (2.50)
    ("安全生产月", "G17", ("E12", "E13", "E15", "E17"), [("AR027", "warning", "F15"), ("TA011", "warning", "I15")]),
])
def test_yangcheng_county_tables(sheet, satisfaction, placeholders, extra):
    found = findings(YANGCHENG, sheet)
    assert listed(found) == sorted([("TA004", "error", satisfaction), *_fm013(*placeholders), *extra])
    errors = [f for f in found if f.severity == "error"]
    assert [f.rule for f in errors] == ["TA004"] and errors[0].actual.startswith("≥")


def test_yangcheng_duty_allowance_score_and_cost():
    found = findings(YANGCHENG, "应急值班补助")
    ta011 = one(found, "TA011", "I15")
    assert (ta011.actual, ta011.expected) == ("6", "4.72")


def test_yangcheng_safety_month_cost_target():
    ar027 = one(findings(YANGCHENG, "安全生产月"), "AR027", "F15")
    assert "200000元" in ar027.message and "5万元" in ar027.message


def test_xinjiang_self_evaluation_table():
    found = findings("xinjiang-2023-tailings.xlsx", "自评表")
    assert listed(found) == sorted([
        # checked against the 14 issued target tables: two indicators renamed, none changed
        ("IS003", "info", "D22"), ("IS003", "info", "D24"),
        # 0% execution: 资金管理 says 无 everywhere, the indicator reasons explain it
        ("EX007", "warning", "E7"),
        # actuals written as descriptions (哈密市已完成5座,达成目标) where figures belong
        ("TA012", "warning", "F23"), ("TA012", "warning", "F25"), ("TA012", "warning", "F28"), ("TA012", "warning", "F29"),
    ])


def test_xinjiang_renamed_indicators_point_at_the_issued_target():
    found = findings("xinjiang-2023-tailings.xlsx", "自评表")
    renamed = one(found, "IS003", "D22")
    assert "隐患治理率" in renamed.message
    (there,) = renamed.related
    assert (there.origin.endswith("#绩效目标表!A1"), there.sheet, there.cell) == (True, "绩效目标表", "E10")


def test_xinjiang_every_table_is_read_as_its_kind_and_the_others_are_consistent():
    """明细表 and 分配表 (allocation: every 小计 and the 合计 hold), the 14 issued target tables,
    the 执行情况表 (0 executed, 0.00%) and the 自评表: nothing but the 自评表's own findings."""
    path = SAMPLES / "xinjiang-2023-tailings.xlsx"
    reports = VALIDATOR.check(path).files
    kinds = [r.kind for r in reports]
    assert kinds.count("target_table") == 14
    assert {r.path.split("#")[1]: r.kind for r in reports if r.kind != "target_table"} == {
        "明细表": "allocation", "分配表": "allocation", "执行情况表": "execution", "自评表": "transfer"}
    assert [(r.path, listed(r.findings)) for r in reports if r.kind != "transfer" and r.findings] == []


def test_quxian_scorecard_states_96_while_its_items_add_up_to_93():
    found = findings("quxian-2024-monitoring-center-scorecard.xlsx")
    assert listed(found) == [("EV004", "error", "E22")]
    ev = one(found, "EV004", "E22")
    assert (ev.actual, ev.expected) == ("96", "93")
