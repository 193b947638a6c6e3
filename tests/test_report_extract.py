"""What the report kind reads from a report's text (validator/kinds/report/extract.py): the
figures with what each is about, on real sentences of the four reference reports; the
prose scorecard; sections and their bodies; what is deliberately left alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from validator.kinds.report.extract import extract, figures_of, heading_level, says_nothing, sentences
from validator.kinds.report.words import fold


def figures(sentence: str):
    return figures_of(fold(sentence), 0, written=sentence)


def described(sentence: str) -> list[tuple]:
    return [(f.text, f.dimension, f.field, f.source, f.bound) for f in figures(sentence)]


def test_anshan_funds_sentence_ties_each_figure_to_its_field_and_row():
    sentence = ("2024年，我市安全生产预防和应急救援能力建设补助资金（煤矿及重点非煤矿山重大灾害风险防控资金）157万元，"
                "项目为鞍钢集团矿业有限公司眼前山铁矿重点非煤矿山视频智能监控子系统，项目总投资157万元，"
                "其中：中央财政下达资金94万元，其他资金63万元。")
    assert described(sentence) == [
        ("157万元", "money", None, None, False),  # 补助资金…157万元: no field word, not guessed
        ("157万元", "money", "budget", None, False),  # 总投资
        ("94万元", "money", "budget", "central", False),
        ("63万元", "money", "budget", "other", False),  # 其他资金: the field the sentence opened with
    ]
    assert described("全年执行数为0万元，执行率0%。") == [("0万元", "money", "executed", None, False), ("0%", "ratio", "rate", None, False)]


def test_the_field_word_nearest_the_figure_wins():
    assert [f.field for f in figures("2024年初预算数为99000元,预算执行数为46750元,预算执行率为47.22%,专款专用率达到100%。")] == [
        "initial_budget", "executed", "rate", None]
    # 专款专用率 is a rate, not the execution rate: left alone
    assert figures("专款专用率达到100%。")[0].ignored
    assert [f.field for f in figures("全年预算执行30万元，年底结余105.07元收回财政。")] == ["executed", "balance"]


def test_the_row_named_holds_until_the_next_semicolon():
    sentence = ("其中，中央财政资金预算 1766 万元，实际执行 0 万元，执行率 0%；"
                "地方财政承诺投入资金 442 万元，实际执行 0 万元，执行率 0%。")
    assert [(f.field, f.source) for f in figures(sentence)] == [
        ("budget", "central"), ("executed", "central"), ("rate", "central"),
        ("budget", "local"), ("executed", "local"), ("rate", "local")]


def test_a_funds_name_in_parentheses_or_a_document_title_is_not_a_field_word():
    # 治理支出 names the fund (its 支出 is no executed amount); 《…》 and 〔2023〕 are titles
    sentence = ("2023年11月，自治区《关于下达2023年安全生产预防和应急救援能力建设补助资金预算（尾矿库风险隐患治理支出）的通知》"
                "（新财资环〔2023〕111号），下达新疆2023年安全生产预防和应急救援能力建设补助资金预算（尾矿库风险隐患治理支出）项目资金2208万元。")
    [fig] = figures(sentence)
    assert (fig.text, fig.field) == ("2208万元", "budget")
    assert figures("根据渠财预〔2024〕5号文件要求开展。") == []


@pytest.mark.parametrize("sentence", [
    "宣传次数超过10次", "排查安全隐患800余条", "满意度不低于90%", "全年执行约50万元",
    "参与人数10人以上", "满意度≥90%", "执行率未达到100%",
])
def test_bounds_and_estimates_are_not_stated_values(sentence):
    assert all(f.bound for f in figures(sentence))


def test_units_as_written_and_万_alone():
    assert [(f.text, f.number, f.dimension) for f in figures("资金50万，补助1.2万元，另1,500元，合计2亿元。")] == [
        ("50万", Decimal("50"), "money"), ("1.2万元", Decimal("1.2"), "money"), ("1,500元", Decimal("1500"), "money"),
        ("2亿元", Decimal("2"), "money")]
    # 万 followed by a word is not 万元 (50万人 counts people)
    assert [f.text for f in figures("覆盖50万人。")] == []
    # full-width digits and percent signs read as their half-width selves
    [fig] = figures("执行率为９０．４５％。")
    assert (fig.number, fig.dimension, fig.field) == (Decimal("90.45"), "ratio", "rate")


def test_a_count_of_something_named_after_it_is_marked():
    first, second = figures("本次共设置一级指标4个、监控煤矿数量、成本控制等6个指标衡量。")
    assert (first.counted, second.counted, second.listed) == ("", "指标衡量", True)
    assert figures("向我县4座煤矿下达资金。")[0].counted.startswith("煤矿")


def test_years_printed_with_a_budget_figure_and_not_those_of_dates():
    years = [f.year for f in figures("2025年年初预算为50000元,项目资金本年下达50000元,2024年,共计支付50000元。")]
    assert years == [2025, None, 2024]
    # 2023年10月 dates an event (funds are often issued the year before): not a budget year
    assert figures("2023年10月，财政部下达我区项目预算2208万元。")[0].year is None


def test_per_unit_money_is_not_an_amount():
    [fig] = figures("按25元/人/次标准执行。")
    assert fig.per_unit


def test_sentences_keep_their_marks():
    assert sentences("无。\n其他需要说明的问题：无！") == ["无。", "其他需要说明的问题：无！"]


def test_heading_levels_of_official_numbering():
    assert [heading_level(fold(t)) for t in ["一、绩效目标", "（一）资金投入", "(三) 总体", "1. 数量指标", "（1）决策程序", "2024年预算"]] == [
        1, 2, 2, 3, 4, None]


QUXIAN_SCORECARD = [
    "三、绩效分析", "（一）通用指标绩效分析", "1.项目决策（18分）。",
    "（1）决策程序（6分）。通过召开集体决策会议表决是否开展项目。该项指标得6分。",
    "（2）规划论证（6分）。一是深入分析该项目开展的实际需求是否得当。该项指标得6分。",
    "（3）资金投向（6分）。专项项目资金用于2024年度监测监控中心日常运转。该项指标得3分。",
    "（二）专用指标绩效分析", "1.用途合规性（10分）。",
    "专项资金按照既定的项目要求进行使用。及时进行了验收且合格率为100%。该项指标得10分。",
    "四、评价结论", "针对本次专项预算项目绩效自评，我单位自评结果为96分。",
]


def test_prose_scorecard_items_groups_and_stated_total():
    out = extract([{"text": t} for t in QUXIAN_SCORECARD])
    assert [(e.name, e.weight, e.score, e.group) for e in out.entries] == [
        ("项目决策", 18, None, None), ("决策程序", 6, 6, "项目决策"), ("规划论证", 6, 6, "项目决策"),
        ("资金投向", 6, 3, "项目决策"), ("用途合规性", 10, 10, None)]
    # the score written in the paragraph after its entry is still that entry's
    assert out.entries[-1].score_paragraph == 8
    assert [(p, score) for p, score, _ in out.totals] == [(10, 96)]


def test_sections_collect_their_bodies_down_to_the_next_heading_of_their_level():
    out = extract([{"text": t} for t in [
        "三、偏离绩效目标的原因和下一步改进措施", "无。", "四、绩效自评结果拟应用和公开情况", "将在门户网站公开。",
        "五、其他需要说明的问题：无。",
    ]])
    titles = {s.title: [text for _, text in s.body] for s in out.sections}
    assert titles["三、偏离绩效目标的原因和下一步改进措施"] == ["无。"]
    assert titles["五、其他需要说明的问题"] == ["无。"]  # the text after the title's colon
    assert says_nothing("无。") and says_nothing("无偏离") and not says_nothing("设备交付缓慢。")


def test_a_heading_the_reader_marked_is_a_section_without_numbering():
    out = extract([{"text": "偏离绩效目标的原因", "heading": 2}, {"text": "无"}])
    assert [(s.level, s.title, s.body) for s in out.sections] == [(2, "偏离绩效目标的原因", [(1, "无")])]


def test_conclusions_grades_and_projects():
    out = extract([{"text": t} for t in [
        "各项绩效指标均已完成。", "部分指标未全部完成。", "本项目自评得分93分，评价等级为“优”。",
        "2024年，阳城县应急指挥中心系统集成项目完成了以下工作：完成了支付工作。",
        "此项目的实施有效提升了安全生产水平。", "剩余吐鲁番 9 个项目已完成招标。",
    ]])
    assert [p for p, _ in out.all_met] == [0]
    assert [(p, g) for p, g, _ in out.grades] == [(2, "优")]
    assert [(p, name) for p, name, _ in out.projects] == [(3, "阳城县应急指挥中心系统集成项目")]


def test_score_rates_and_sentences_that_say_something_was_missed():
    out = extract([{"text": t} for t in [
        "（1）决策程序（6分）。该项指标得5分，得分率83.33%。", "（2）规划论证（6分）。该项指标得6分。",
        "隐患治理率指标未完成。", "全部完成。",
    ]])
    assert [(e.name, e.score, e.rate) for e in out.entries] == [("决策程序", 5, Decimal("83.33")), ("规划论证", 6, None)]
    assert [p for p, _, _ in out.not_met] == [2]
    # 总分100分 is what a scorecard weighs, not a total stated
    assert extract([{"text": "本次评价总分100分，自评得分96分。"}]).totals[0][1] == 96
    assert len(extract([{"text": "本次评价总分100分，自评得分96分。"}]).totals) == 1
