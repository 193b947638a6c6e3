"""The report rules (rules/report/) on real sentences of the four reference reports, against
the real tables of samples/: the contradictions they must find, with both places and both
values, and the consistent sentences that must give nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SAMPLES

from validator import Validator
from validator.submission import Document, load_documents

VALIDATOR = Validator()


def table(name: str, kind: str | None = None) -> Document:
    docs = [d for d in load_documents(SAMPLES / name) if kind is None or d.kind == kind]
    return docs[0]


def report_findings(paragraphs: list, *tables: Document, **fields) -> list:
    """The findings of the report rules on a report of `paragraphs` checked with `tables`."""
    report = Document({"kind": "report", "paragraphs": paragraphs, **fields}, "报告.docx", kind="report")
    reports = VALIDATOR.check_documents([report, *tables])
    assert all(r.error is None for r in reports), [r.error for r in reports]
    return [f for f in reports[0].findings if f.rule.startswith("RP")]


def rules(found) -> list[str]:
    return sorted(f.rule for f in found)


# --- Anshan -------------------------------------------------------------------------------------

ANSHAN_CONSISTENT = [
    "2024年，我市安全生产预防和应急救援能力建设补助资金（煤矿及重点非煤矿山重大灾害风险防控资金）157万元，项目为鞍钢集团矿业有限公司眼前山铁矿重点非煤矿山视频智能监控子系统，项目总投资157万元，其中：中央财政下达资金94万元，其他资金63万元。全年执行数为0万元，执行率0%。正在完成在线监控子系统建设工作，预计2025年6月底前建设完成。",
    "（一）资金投入情况分析。煤矿及重点非煤矿山重大灾害风险防控资金，鞍钢集团矿业有限公司眼前山铁矿重点非煤矿山视频智能监控子系统，项目总投资157万元，其中：中央财政下达资金94万元，其他资金63万元。",
    "(1) 建设重点非煤矿山在线监控子系统 0 个。正在完成在线监控子系统建设工作，预计 2025 年 6 月底前建设完成。",
    "(2) 建设视频监控点位 0 个。设备交付缓慢，沟通厂家加快交付。",
    "(1) 验收通过率 0%。预计 2025 年 6 月底前建设完成。",
    "(2) 联网在线率 90%。",
    "(1) 进度完成率 70%。预计 6 月底完成，正在协调资金问题。",
]


def test_anshan_figures_agree_with_the_workbook():
    assert report_findings(ANSHAN_CONSISTENT, table("anshan-2024-transfer.xlsx")) == []


def test_anshan_no_deviation_while_five_indicators_were_missed():
    [f] = report_findings([*ANSHAN_CONSISTENT, "三、偏离绩效目标的原因和下一步改进措施", "无。", "四、绩效自评结果拟应用和公开情况"],
                          table("anshan-2024-transfer.xlsx"))
    assert (f.rule, f.severity, f.location.path) == ("RP008", "error", "paragraphs[7]")
    assert "5 个指标未完成" in f.message and "5 indicator(s)" in f.message_en
    # the table's cells of the missed indicators are the related places
    assert [(r.sheet, r.cell, r.label) for r in f.related] == [
        ("自评表", "F23", "重点非煤矿山在线监控系统"), ("自评表", "F24", "视频监控点位"), ("自评表", "F25", "移动式摄像机"),
        ("自评表", "F26", "验收通过率"), ("自评表", "F28", "进度完成率")]
    assert all(r.origin == str(SAMPLES / "anshan-2024-transfer.xlsx") for r in f.related)


def test_anshan_yaml_records_the_report_itself_so_ex002_says_it_once():
    """The YAML twin carries report.deviation_reasons (EX002 reads it): one rule per fact."""
    assert report_findings(["三、偏离绩效目标的原因和下一步改进措施", "无。"], table("anshan-2024-transfer.yaml")) == []


def test_a_figure_that_differs_is_found_with_both_values():
    [f] = report_findings(["全年执行数为15万元，执行率0%。"], table("anshan-2024-transfer.xlsx"))
    assert (f.rule, f.actual, f.expected) == ("RP001", "15万元", "0万元")
    assert [(r.sheet, r.cell) for r in f.related] == [("自评表", "D8")]
    assert f.location.label.startswith("“全年执行数为15万元")


# --- Quxian -------------------------------------------------------------------------------------

QUXIAN_REPORT = [
    "1.项目决策（18分）。",
    "（1）决策程序（6分）。通过召开集体决策会议表决是否开展项目。该项指标得6分。",
    "（2）规划论证（6分）。该项指标得6分。",
    "（3）资金投向（6分）。专项项目资金用于2024年度监测监控中心日常运转，确保监控中心网络及设备正常运行。该项指标得3分。",
    "2.项目管理（18分）。",
    "（1）制度办法（2分）。本单位未针对此项目建立专项资金管理办法。该项指标得0分。",
    "（2）分配管理（10分）。该项指标得10分。",
    "（3）绩效监控（6分）。该项指标得4分。",
    "3.项目实施（9分）。",
    "（1）预算执行（6分）。已完成拨付指标金额17.28万元，财政拨付资金17.28万元，财政资金拨付率100%；单位实际支付金额17.28万元，单位实际到位金额17.28万元，单位资金使用率100%。该项指标得6分。",
    "（2）资金使用（3分）。该项指标得3分。",
    "4.项目结果（9分）。",
    "（1）目标完成（6分）。该项指标得6分。",
    "（2）完成时效（3分）。该项指标得3分。",
    "1.用途合规性（10分）。", "专项资金按照既定的项目要求进行使用。及时进行了验收且合格率为100%。该项指标得10分。",
    "2.程序合规性（10分）。", "该项指标得10分。",
    "3.标准合规性（10分）。", "该项指标得10分。",
    "1.项目资料完备情况（6分）。", "资料完整、齐全，该项指标得6分。",
    "2.中心运行条件改善（6分）。", "该项指标得6分。",
    "3.可持续发展情况（4分）。", "该项指标得4分。",
    "四、评价结论",
    "本报告通过全面、客观的绩效评价,总结了项目实施的成效与经验。针对本次专项预算项目绩效自评，我单位自评结果为96分。",
    "根据相关文件要求，本次共设置一级指标4个、二级指标6个，具体监控中心网络及设备正常运行完成率、运转时间、监控煤矿数量、成本控制等6个指标衡量。",
]


def test_quxian_stated_total_three_above_its_items():
    [f] = report_findings(QUXIAN_REPORT, table("quxian-2024-monitoring-center.xlsx"))
    assert (f.rule, f.actual, f.expected, f.location.path) == ("RP004", "96", "93", "paragraphs[27]")
    assert "16 项" in f.message
    # 17.28万元 paid, 100% used: the funds agree; 6个指标 counts the indicators, not 监控煤矿数量


def test_quxian_yaml_carries_the_scorecard_so_ar021_says_it_once():
    assert report_findings(QUXIAN_REPORT, table("quxian-2024-monitoring-center.yaml")) == []


# --- Xinjiang -----------------------------------------------------------------------------------

def test_xinjiang_report_agrees_with_its_table_and_its_two_dates_are_not_compared():
    """中央下达 “2023 年 9 月” in one place and “2023年10月,财政部…下达” in another: the 9月
    sentence names no document, so whether they are one event is a guess, and it is not
    reported."""
    text = (SAMPLES / "reports" / "xinjiang-2023-tailings-自评报告.md").read_text(encoding="utf-8")
    paragraphs = [p.strip().lstrip("#").strip() for p in text.split("\n\n") if p.strip()]
    assert any("2023 年 9 月中央下达" in p for p in paragraphs) and any("2023年10月" in p for p in paragraphs)
    assert report_findings(paragraphs, table("xinjiang-2023-tailings.xlsx", "transfer")) == []


# --- Yangcheng: the 项目绩效分析 block as printed --------------------------------------------------

YANGCHENG = SAMPLES / "reports" / "yangcheng-2024-project-self-evals.xlsx"


@pytest.fixture(scope="module")
def yangcheng():
    return {r.path.split("#")[1]: r for r in VALIDATOR.check(YANGCHENG).files}


def test_yangcheng_blocks_give_exactly_the_printed_contradictions(yangcheng):
    found = {sheet: sorted((f.rule, f.severity, f.location.cell) for f in r.findings if f.pack == "report")
             for sheet, r in yangcheng.items()}
    assert found == {
        "煤矿重大灾害风险防控": [], "五人小组": [], "入井补助": [],
        "阳东一级消防站": [("RP010", "warning", "D23")],
        "应急值班补助": [("RP002", "info", "D19")],
        "专家经费": [("RP002", "info", "D19"), ("RP002", "info", "D24")],
        "安全生产月": [("RP007", "warning", "D19")],
    }


def test_yangcheng_wrong_project_and_wrong_year_quote_their_sentences(yangcheng):
    [project] = [f for f in yangcheng["阳东一级消防站"].findings if f.rule == "RP010"]
    assert "阳城县应急指挥中心系统集成项目" in project.message and "阳东一级消防站建设项目经费" in project.message
    assert project.location.label.startswith("“2024年，阳城县应急指挥中心系统集成项目完成了以下工作")
    [year] = [f for f in yangcheng["安全生产月"].findings if f.rule == "RP007"]
    assert (year.actual, year.expected) == ("2025", "2024")
    assert "2025年年初预算为50000元" in year.message


def test_yangcheng_duty_rate_on_another_base_is_an_info_with_both_cells(yangcheng):
    [f] = [f for f in yangcheng["应急值班补助"].findings if f.rule == "RP002"]
    assert (f.severity, f.actual, f.expected) == ("info", "47.22%", "100.00%")
    assert [r.cell for r in f.related] == ["H7", "D7"]  # 执行率 (全年预算) and 预算编制数 (年初)
    assert "口径不同，不是计算错误" in f.message and "not an arithmetic error" in f.message_en


def test_figures_in_yuan_that_are_the_tables_wan_yuan_raise_nothing(yangcheng):
    """1500000元 = 150万元, 2899894.93元 ≈ 289.989万元, 105.07元 of balance on a balance
    printed 0: as printed, all agree."""
    for sheet in ("阳东一级消防站", "五人小组"):
        assert not [f for f in yangcheng[sheet].findings if f.rule in ("RP001", "RP003")]


# --- hints -----------------------------------------------------------------------------------------

YUNXI = "reports/yunxi-2024-emergency-platform.yaml"


@pytest.mark.parametrize("sentence, hint, hint_en", [
    ("全年执行数为72360元。", "多写或少写了“0”", "a zero dropped or added"),
    ("全年执行数为72.36元。", "元与万元混淆", "元 and 万元 mixed up"),
    ("预算执行率为90.54%。", "数字颠倒", "transposition"),
    ("预算执行率为0.90%。", "小数与百分数混淆", "a fraction written for a percent"),
    ("全年执行数为71.36万元。", None, None),
])
def test_the_hint_names_the_slip(sentence, hint, hint_en):
    [f] = report_findings([sentence], table(YUNXI))
    assert f.rule == "RP001"
    if hint is None:
        assert "疑为" not in f.message and "; " not in f.message_en.split("(")[0]
    else:
        assert hint in f.message and hint_en in f.message_en


def test_unit_conversion_is_shown_in_the_report_unit():
    [f] = report_findings(["全年执行数为72360元。"], table(YUNXI))
    assert (f.actual, f.expected) == ("72360元", "723600元")
    assert "72.36万元（即 723600元）" in f.message


def test_english_messages_are_english():
    found = report_findings(["全年执行数为72360元。", "各项绩效指标均已完成。", "四、偏离绩效目标的原因和下一步改进措施", "无。",
                             "五、自评结论", "经综合评价，本项目自评得分98分，评价等级为良。"], table(YUNXI))
    assert rules(found) == ["RP001", "RP005", "RP006", "RP008", "RP009"]
    for f in found:
        # the submission's own words are quoted as they are, and its units are its own
        # (72.36万元); everything else is English
        prose = re.sub(r"(?<![A-Za-z])'[^']*'|[\d.]+(?:万元|亿元|元|分)", "", f.message_en)
        assert not re.search(r"[\u4e00-\u9fff]", prose), f.message_en


def test_the_year_evaluated_comes_from_the_report_when_there_is_no_table():
    found = report_findings(["2023年全年预算80万元。"], year=2024)
    assert rules(found) == ["RP011"]  # no table: nothing compared, said once


def test_control_characters_of_a_report_never_reach_a_finding():
    [f] = report_findings(["全年执行数为1万元\x1b[31m，\x07执行率90.45%。"], table(YUNXI))
    shown = f.message + f.message_en + f.location.label
    assert "\x1b" not in shown and "\x07" not in shown
    assert "␛[31m" in f.location.label
