"""The layout facts of GUIDE §1h, one test each, on the reference documents' own layouts: a
template's way of writing something is never an error. Where a fact changes what is read
(a target column, a weight), the test also shows that a real defect next to it is still
found."""

from __future__ import annotations

import copy
import re

from validator import Validator

from tests.xlsx import build

VALIDATOR = Validator()


def check(tmp_path, sheet_spec: dict, name: str = "t.xlsx"):
    path = build.write(tmp_path, name, {"sheets": [sheet_spec]})
    reports = VALIDATOR.check(path).files
    assert len(reports) == 1 and reports[0].error is None, [(r.path, r.error) for r in reports]
    return reports[0].findings


def errors(found) -> list[tuple[str, str | None]]:
    return [(f.rule, f.location.cell) for f in found if f.severity == "error"]


def sheet_of(make) -> dict:
    return copy.deepcopy(make())


def put(sheet_spec: dict, cell: str, value) -> None:
    build.set_cell(sheet_spec, cell, value)


# --- values -----------------------------------------------------------------------------------

def test_an_equals_actual_states_the_figure(tmp_path):
    """`=1个`, `=100%`, `=2.13万元` as actuals (阳东一级消防站) are values; `≥90%` is not."""
    found = check(tmp_path, sheet_of(build.samples.yangcheng_fire_station))
    assert errors(found) == [("TA004", "G21")]  # only the ≥90% actual


def test_a_period_target_is_met_by_an_actual_in_its_last_month(tmp_path):
    spec = sheet_of(build.samples.yangcheng_provincial)
    put(spec, "F19", "2023年1-12月")  # 建设项目完成时间
    put(spec, "G19", "2023年12月")
    found = check(tmp_path, spec)
    assert not [f for f in found if f.location.cell in ("G19", "J19", "I19")]


# --- target columns ---------------------------------------------------------------------------

def test_initial_target_is_the_target_where_it_is_the_only_one(tmp_path):
    """The provincial template has 年初指标值 and 全年完成值 only: that is the target, so a
    shortfall there is an unmet indicator."""
    spec = sheet_of(build.samples.yangcheng_provincial)
    assert not [f for f in check(tmp_path, spec) if f.rule in ("TA007", "TA005", "TA003")]
    put(spec, "G16", "2个")  # 重点煤矿井下视频智能监控系统企业数: 3个 issued, 2 done, no reason
    found = check(tmp_path, spec, "short.xlsx")
    assert ("TA001", "J16") in errors(found)


def test_an_initial_target_placeholder_is_a_form_warning_not_a_missing_target(tmp_path):
    found = check(tmp_path, sheet_of(build.samples.yangcheng_supervision_team))
    placeholder = [f for f in found if f.rule == "FM013"]
    assert {f.location.cell for f in placeholder} == {"E12", "E13", "E15", "E17"}
    assert all(f.severity == "warning" for f in placeholder)
    assert not [f for f in found if f.rule in ("TA005", "TA007")]


# --- funds block ------------------------------------------------------------------------------

def test_the_budget_weight_is_ten_where_the_funds_block_prints_only_a_score(tmp_path):
    for make in (build.samples.yangcheng_fire_station, build.samples.yangcheng_experts):
        found = check(tmp_path, sheet_of(make), make.__name__ + ".xlsx")
        assert not [f for f in found if f.rule in ("AR011", "AR013", "AR017")]


def test_a_source_row_repeating_the_budget_score_is_not_counted_twice(tmp_path):
    """资金总额 10 and 市区区财政资金 10.00: the total score is 10 + Σ indicators, not 20 + …"""
    found = check(tmp_path, sheet_of(build.samples.yangcheng_supervision_team))
    assert not [f for f in found if f.rule in ("AR012", "AR015")]


def test_goal_rows_are_not_funds_rows(tmp_path):
    for make in (build.samples.yangcheng_pit_allowance, build.samples.yangcheng_experts):
        found = check(tmp_path, sheet_of(make), make.__name__ + ".xlsx")
        assert not [f for f in found if f.rule in ("FM003", "FM005", "FM009")], make.__name__


def test_funds_values_printed_right_of_their_headers_are_read(tmp_path):
    """入井补助: the header row starts under the block title and every value sits one column
    right; 专家经费: only the total row is shifted. Both read as the table shows them."""
    for make in (build.samples.yangcheng_pit_allowance, build.samples.yangcheng_experts):
        found = check(tmp_path, sheet_of(make), make.__name__ + ".xlsx")
        assert not [f for f in found if f.category == "arithmetic" or f.rule in ("FM009", "FM003", "XL007")]
    spec = sheet_of(build.samples.yangcheng_pit_allowance)
    put(spec, "H6", 90)  # the shifted total row's 执行率 (30 ÷ 30 is 100): found where it is
    assert ("AR007", "H6") in errors(check(tmp_path, spec, "wrong-rate.xlsx"))


def test_a_block_that_cannot_be_read_is_said_once_and_never_blamed_on_the_filer(tmp_path):
    spec = {"name": "自评表", "rows": [
        ["某资金转移支付区域绩效自评表"],
        ["资金投入情况(万元)", None, "全年预算数", "全年执行数", "预算执行率", "偏差原因"],
        [None, "年度资金总额", 100, 3, 80, 0.8],
        [None, "其中:中央补助", 100, 7, 80, 0.8],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "全年实际完成值"],
        [None, "产出指标", "数量指标", "建设数量", "≥5个", "5个"],
    ], "merges": ["A2:A4"]}
    found = check(tmp_path, spec)
    assert errors(found) == []
    notice = [f for f in found if f.rule == "XL007"]
    assert len(notice) == 1 and notice[0].severity == "warning"
    assert "自评表!A2:F4" in notice[0].message and "FM009" in notice[0].message
    assert not [f for f in found if f.rule in ("FM009", "FM003")]


# --- totals -----------------------------------------------------------------------------------

def test_the_total_row_with_the_score_under_either_column_and_the_grade_beside_it(tmp_path):
    # 阳东: 总分 | 100 under 分值 | 优 under 得分; 五人小组: 98 under 得分 | 优 in the next column
    for make in (build.samples.yangcheng_fire_station, build.samples.yangcheng_supervision_team):
        found = check(tmp_path, sheet_of(make), make.__name__ + ".xlsx")
        assert not [f for f in found if f.rule in ("FM004", "FM005", "AR012", "AR025")], make.__name__
    spec = sheet_of(build.samples.yangcheng_supervision_team)
    put(spec, "I18", 93)  # the items add up to 98
    assert ("AR012", "I18") in errors(check(tmp_path, spec, "total.xlsx"))


# --- explanations -----------------------------------------------------------------------------

def test_low_execution_explained_only_by_the_indicator_reasons_is_not_an_error(tmp_path):
    found = check(tmp_path, build.samples.xinjiang_self_eval())
    assert errors(found) == []
    assert [(f.rule, f.severity) for f in found if f.rule.startswith("EX")] == [("EX007", "warning")]


def test_a_rate_on_the_adjusted_budget_is_not_an_arithmetic_error(tmp_path):
    """应急值班补助: 年初 9.9 万元, 全年 4.675 = 执行 4.675 (100%); the 项目绩效分析 text puts
    the rate on 年初 (47.22%). Two bases, no arithmetic error."""
    found = check(tmp_path, sheet_of(build.samples.yangcheng_duty_allowance))
    assert not [f for f in found if f.category in ("arithmetic", "explanation") and f.severity == "error"]


# --- clean real layouts -------------------------------------------------------------------------

def _clean_county(make, satisfaction_row: int, edits: dict | None = None) -> dict:
    spec = sheet_of(make)
    rows = spec["rows"]
    for r, line in enumerate(rows, start=1):
        for c, value in enumerate(line, start=1):
            text = value[0] if isinstance(value, tuple) else value
            if isinstance(text, str) and text in ("=个", "=%", "=人", "=次", "=元", "=万元", "=元/人", "≥%"):
                adjusted = line[c]  # the 调整后指标值 beside it
                line[c - 1] = adjusted
            elif isinstance(text, str) and re.search(r"满意度(?:达到|为)\d+%", text):
                # the 项目绩效分析 states the satisfaction reached: the same 92% as the table
                line[c - 1] = re.sub(r"(满意度(?:达到|为))\d+%", r"\g<1>92%", text)
    put(spec, f"G{satisfaction_row}", "92%")
    for cell, value in (edits or {}).items():
        put(spec, cell, value)
    return spec


def test_clean_versions_of_the_real_layouts_give_no_findings(tmp_path):
    """The reference tables with their defects put right, layout untouched: nothing."""
    cases = {
        "provincial": (sheet_of(build.samples.yangcheng_provincial),
                       {"F7": "/", "F9": "/", "F10": "/", "F11": "/"}),
        "fire-station": (_clean_county(build.samples.yangcheng_fire_station, 21), {}),
        "supervision": (_clean_county(build.samples.yangcheng_supervision_team, 17, {"I17": 10, "I18": 100, "J17": None}), {}),
        "pit": (_clean_county(build.samples.yangcheng_pit_allowance, 16, {"I16": 10, "I17": 100, "J16": None}), {}),
        "duty": (_clean_county(build.samples.yangcheng_duty_allowance, 17, {"I15": 4.72, "I18": 94.72}), {}),
        # its 项目绩效分析 names the base of its 99.11% (年初预算), so that is no longer a note
        "experts": (_clean_county(build.samples.yangcheng_experts, 17), {"D24": "按年初预算数计算，预算执行率为99.11%，未达到100%。"}),
        "safety-month": (_clean_county(build.samples.yangcheng_safety_month, 17, {"F15": ("=50000元", "@"), "I15": 10, "I18": 100, "K15": None}), {}),
        "xinjiang": (build.samples.xinjiang_self_eval(),
                     {"F16": "资金于2023年11月下达，吐鲁番9个项目尚未开工，资金未拨付；督促尽快开工、及时拨付。",
                      "F23": "100%", "G23": None, "F25": "100年一遇", "F28": "1年", "F29": "1年"}),
    }
    for name, (spec, edits) in cases.items():
        for cell, value in edits.items():
            put(spec, cell, value)
        found = check(tmp_path, spec, f"{name}.xlsx")
        if name == "provincial":  # the fund's pack still misses 联网在线率 (a warning of that pack)
            found = [f for f in found if f.rule != "SP002"]
        assert [(f.rule, f.severity, f.location.cell) for f in found] == [], name


# --- scorecards -------------------------------------------------------------------------------

def _scorecard_with_label_moved_up() -> dict:
    """The 渠县 打分表 as a page break printed it: the merged 通用指标 label ends one row early
    and 专用指标 is printed on 完成时效, the last item above the first 小计."""
    sheet_spec = copy.deepcopy(build.samples.quxian_scorecard())
    sheet_spec["merges"] = ["A3:A11" if m == "A3:A12" else m for m in sheet_spec["merges"]]
    put(sheet_spec, "A12", "专用指标")
    return sheet_spec


def test_a_scorecard_label_a_page_break_moved_is_repaired_by_the_sums(tmp_path):
    """The 小计 of 54 proves 完成时效 (3) belongs to 通用指标: no weight or score sum is
    reported, only the sample's own defect (items add up to 93, 合计 says 96)."""
    moved = check(tmp_path, _scorecard_with_label_moved_up(), "moved.xlsx")
    original = check(tmp_path, copy.deepcopy(build.samples.quxian_scorecard()), "original.xlsx")
    assert errors(original) == [("EV004", "E22")]
    assert errors(moved) == errors(original)
    assert [(f.rule, f.location.cell) for f in moved if f.severity == "warning"] == \
        [(f.rule, f.location.cell) for f in original if f.severity == "warning"]


def test_a_scorecard_subtotal_that_is_really_wrong_is_still_found_next_to_the_moved_label(tmp_path):
    sheet_spec = _scorecard_with_label_moved_up()
    put(sheet_spec, "D13", 55)  # 通用指标 weights add up to 54
    found = check(tmp_path, sheet_spec)
    assert [(f.rule, f.location.cell, f.expected) for f in found if f.rule == "EV001"] == [("EV001", "D13", "54")]
    # and what follows from 55: the 合计's weights and the 小计's own rate
    assert errors(found) == [("EV001", "D13"), ("EV003", "D22"), ("EV004", "E22"), ("EV006", "F13")]
