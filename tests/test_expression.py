"""The rule expression language: grammar/expr.lark + validator/expression/ (parse → type-check →
closures). Compile-time errors carry zh/en messages and a caret under the fault."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest

from validator.domain import measure
from validator.kinds.self_eval import model
from validator.domain import units
from validator.expression import functions
from validator.expression import types as T
from validator.expression.compiler import Tolerance, collection_type, compile_expression
from validator.expression.diagnostics import ExpressionError
from validator.expression.runtime import Context
from validator.domain.measure import Measure
from validator.domain.notation import Notation

D = Decimal
WAN = units.MONEY_UNITS["万元"]

SUBMISSION = {
    "kind": "transfer",
    "funds": {
        "unit": "万元",
        "total": {"label": "年度资金总额", "source": "total", "budget": D("157"), "executed": D("111.58"), "rate": "71.07%"},
        "sources": [
            {"label": "其中:中央补助", "source": "central", "budget": D("94"), "executed": D("66.00"), "rate": "70.21%"},
            {"label": "地方资金", "source": "local", "budget": None, "executed": None, "rate": None},
            {"label": "其他资金", "source": "other", "budget": D("63"), "executed": D("45.58"), "rate": "72.35%"},
        ],
    },
    "management": [
        {"item": "分配科学性", "issues": "无"},
        {"item": "执行准确性", "issues": "设备交付缓慢，沟通厂家加快交付"},
        {"item": "使用规范性", "issues": None},
    ],
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "视频监控点位", "target": "≥15个", "actual": "12个",
         "weight": 10, "score": 8, "reason": "设备交付缓慢"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "联网在线率", "target": "≥90%", "actual": "95%",
         "weight": 10, "score": 10},
        {"level1": "产出指标", "level2": "成本指标", "name": "单价", "target": "1950元/套", "actual": "2000元/套",
         "weight": 5, "score": 5},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "群众满意度", "target": "满意", "actual": "基本满意",
         "weight": 10, "score": 7},
        {"level1": "产出指标", "level2": "时效指标", "name": "完成时间", "target": "2024年12月30日前",
         "actual": "设备交付缓慢，沟通厂家加快交付", "weight": 5, "score": 0},
        {"level1": "产出指标", "level2": "数量指标", "name": "支持建设国家矿山应急救援队伍（支）", "target": "≥ 3", "actual": 2,
         "weight": 5, "score": 3},
    ],
    "total": {"weight": 45, "score": 33},
}
ROOT = model.build(SUBMISSION)
INDICATOR = collection_type("indicators")
SOURCE = collection_type("funds.sources")


def run(source, item=None, item_type=None, root=ROOT, **kw):
    """Compile and evaluate; returns (value, context, compiled)."""
    compiled = compile_expression(source, item_type, **kw)
    ctx = Context(root, item)
    return compiled.fn(ctx), ctx, compiled


def value(source, **kw):
    return run(source, **kw)[0]


def ind(i):
    return {"item": ROOT["indicators"][i], "item_type": INDICATOR}


def compile_error(source, item=None, **kw) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        compile_expression(source, item, **kw)
    return info.value


def m(x):
    """The point value of a Measure (in the base unit)."""
    assert isinstance(x, Measure), x
    return x.value


# --- literals and arithmetic with units -------------------------------------------------------------

def test_money_literals_add():
    v, ctx, c = run("94 万元 + 63 万元")
    assert c.type == T.number(units.MONEY)
    assert isinstance(v, Measure)
    assert v.value == D(1570000)
    assert v.unit is WAN
    assert v.exact
    assert measure.fmt(v) == "157.00万元"
    assert ctx.evidence == []


def test_money_literals_convert():
    assert value("1 亿元 == 10000 万元") is True
    assert m(value("1 万元 + 5000 元")) == D(15000)
    assert value("funds.total.budget == 1570000 元") is True
    assert value("funds.total.budget < 0.0157 亿元") is False


def test_precedence_and_parentheses():
    assert m(value("1 + 2 * 3")) == 7
    assert m(value("(1 + 2) * 3")) == 9
    assert m(value("10 / 4")) == D("2.5")
    assert m(value("10 ÷ 4")) == D("2.5")
    assert m(value("2 × 3")) == 6
    assert m(value("1 - -2")) == 3
    assert m(value("-5 万元 + 10 万元")) == D(50000)


def test_percent_literal():
    v, _, c = run("50% + 0.5")
    assert c.type == T.number(units.RATIO)
    assert v.value == 1
    assert value("100% == 1") is True


def test_fields_as_measures():
    v, _, c = run("funds.total.budget - funds.total.executed")
    assert c.type == T.number(units.MONEY)
    assert v.value == D("454200")
    assert measure.fmt(v) == "45.42万元"
    assert (v.lo, v.hi) == (D("1565000") - D("1115850"), D("1575000") - D("1115750"))


def test_money_times_rate_is_money():
    v, _, c = run("funds.total.budget * funds.total.rate")
    assert c.type == T.number(units.MONEY)
    assert v.unit is WAN
    assert v.value == D("1115799")


def test_rate_times_number_is_rate():
    v, _, c = run("funds.total.rate * 2")
    assert c.type == T.number(units.RATIO)
    assert v.unit is units.PERCENT
    assert measure.fmt(v) == "142.14%"


def test_money_divided_by_count_is_unit_price():
    v, _, c = run("funds.total.budget / 5 个")
    assert c.type == T.number(units.PER_UNIT_MONEY)
    assert v is not None
    assert v.dimension == units.PER_UNIT_MONEY
    assert measure.fmt(v) == "31.40万元/个"
    assert value("funds.total.budget / 5 个 > 1950 元/套") is True


def test_money_divided_by_money_is_plain():
    v, _, c = run("funds.total.budget / funds.total.executed")
    assert c.type == T.number(None)
    assert v.unit is None


def test_division_by_zero_is_unknown():
    assert value("1 / 0") is None
    assert value("ratio(1, 0)") is None
    assert value("ratio(funds.total.budget, 0 万元) > 0%") is None


def test_blank_operand_is_unknown():
    assert value("funds.sources[1].budget + 1 万元") is None
    assert value("-funds.sources[1].budget") is None


def test_string_literals_and_escapes():
    assert value('"abc"') == "abc"
    assert value("'单引号'") == "单引号"
    assert value(r'"a\"b"') == 'a"b'
    assert value(r'"无\n"') == "无\n"
    assert value(r'len("无\nx")') == 3  # inner characters count; to_text strips the ends


def test_other_literals():
    assert value("true") is True
    assert value("false") is False
    assert value("null") is None
    v, _, c = run("[1, 2, 3]")
    assert c.type == T.list_of(T.number(None))
    assert [x.value for x in v] == [1, 2, 3]


# --- ≈ with printed precision, and the evidence --------------------------------------------------------

def test_approx_sum_of_sources_and_evidence():
    v, ctx, _ = run("funds.total.budget ≈ sum(funds.sources[*].budget)")
    assert v is True
    assert len(ctx.evidence) == 1
    ev = ctx.evidence[0]
    assert ev.op == "≈"
    assert ev.passed is True
    assert ev.left.value == D(1570000) and ev.right.value == D(1570000)
    assert ev.margin == D(5000) + D(10000)  # ±0.5万元 + (±0.5 + ±0.5)万元
    assert ev.left_source == "funds.total.budget"
    assert ev.right_source == "sum(funds.sources[*].budget)"
    assert measure.fmt_margin(ev.margin, WAN) == "±1.5万元"


def test_approx_rate_against_ratio():
    v, ctx, _ = run("funds.total.rate ≈ ratio(funds.total.executed, funds.total.budget)")
    assert v is True
    ev = ctx.evidence[0]
    assert measure.fmt(ev.right) == "71.07%"
    assert measure.fmt_margin(ev.margin, units.PERCENT) == "±0.235%"


@pytest.mark.parametrize("literal,expected", [
    ("71.07%", True),
    ("71.065%", True),   # the printed interval's edge
    ("71.075%", True),
    ("71.064%", False),
    ("71.1%", False),
    ("71%", False),
    ("72%", False),
])
def test_approx_printed_rate_against_literal(literal, expected):
    v, ctx, _ = run(f"funds.total.rate ≈ {literal}")
    assert v is expected
    ev = ctx.evidence[0]
    assert ev.passed is expected
    assert ev.margin == D("0.00005")
    assert ev.right_source == literal


@pytest.mark.parametrize("literal,expected", [
    ("157 万元", True), ("157.5 万元", True), ("156.5 万元", True), ("157.51 万元", False), ("157.6 万元", False),
])
def test_approx_whole_money(literal, expected):
    assert value(f"funds.total.budget ≈ {literal}") is expected


def test_approx_spellings():
    assert value("funds.total.budget ~= 157 万元") is True
    v, ctx, _ = run("funds.total.budget ~= 157 万元")
    assert ctx.evidence[0].op == "≈"


def test_approx_whole_scores_are_exact():
    assert value("total.score ≈ sum(indicators[*].score)") is True
    v, ctx, _ = run("total.score ≈ 34")
    assert v is False
    assert ctx.evidence[0].margin == 0


def test_tolerance_exact():
    tol = Tolerance("exact")
    assert value("funds.total.budget ≈ 157 万元", tolerance=tol) is True
    v, ctx, _ = run("funds.total.budget ≈ 157.3 万元", tolerance=tol)
    assert v is False
    assert ctx.evidence[0].margin == 0


def test_tolerance_absolute_margin_is_added():
    tol = Tolerance("printed", measure.exact(D("0.01"), WAN))
    v, ctx, _ = run("funds.total.budget ≈ 157.51 万元", tolerance=tol)
    assert v is True
    assert ctx.evidence[0].margin == D(5100)
    assert value("funds.total.budget ≈ 157.52 万元", tolerance=tol) is False


@pytest.mark.parametrize("source,op,expected", [
    ("funds.total.budget ≥ 157 万元", ">=", True),
    ("funds.total.budget >= 157 万元", ">=", True),
    ("funds.total.budget > 157 万元", ">", False),
    ("funds.total.budget ≤ 156 万元", "<=", False),
    ("funds.total.budget <= 157 万元", "<=", True),
    ("funds.total.budget < 158 万元", "<", True),
    ("funds.total.budget == 157 万元", "==", True),
    ("funds.total.budget ≠ 157 万元", "!=", False),
    ("funds.total.budget != 158 万元", "!=", True),
])
def test_comparisons_record_evidence(source, op, expected):
    v, ctx, _ = run(source)
    assert v is expected
    assert ctx.evidence[0].op == op
    assert ctx.evidence[0].margin is None
    assert ctx.evidence[0].passed is expected


def test_notation_cells_compare_by_their_unit():
    assert value("indicators[0].actual > indicators[0].target") is False
    assert value("indicators[0].actual > 5 个") is True
    assert value("indicators[1].actual ≥ 90%") is True
    # a dynamic cell against another dimension: unknown at run time, not an error
    assert value("indicators[0].actual > 5 万元") is None


# --- three-valued logic ---------------------------------------------------------------------------------------

BLANK_CMP = "funds.sources[1].budget > 0 万元"


def test_unknown_comparison():
    v, ctx, _ = run(BLANK_CMP)
    assert v is None
    assert ctx.evidence == []


@pytest.mark.parametrize("source,expected", [
    (f"{BLANK_CMP} and true", None),
    (f"{BLANK_CMP} and false", False),
    (f"false and {BLANK_CMP}", False),
    (f"{BLANK_CMP} or true", True),
    (f"{BLANK_CMP} or false", None),
    (f"true or {BLANK_CMP}", True),
    (f"not ({BLANK_CMP})", None),
    ("not true", False),
    ("not false", True),
    ("true and true", True),
    ("false or false", False),
    (f"({BLANK_CMP}) and ({BLANK_CMP})", None),
])
def test_three_valued_logic(source, expected):
    assert value(source) is expected


def test_and_short_circuits():
    v, ctx, _ = run("false and funds.total.budget > 0 万元")
    assert v is False
    assert ctx.evidence == []  # the right side never ran
    v, ctx, _ = run("true and funds.total.budget > 0 万元")
    assert v is True
    assert len(ctx.evidence) == 1


def test_or_short_circuits():
    v, ctx, _ = run("true or funds.total.budget > 0 万元")
    assert v is True
    assert ctx.evidence == []
    v, ctx, _ = run("false or funds.total.budget > 0 万元")
    assert v is True
    assert len(ctx.evidence) == 1


def test_if_is_lazy_and_unknown_condition_is_unknown():
    v, ctx, _ = run("if(true, 1, if(funds.total.budget > 0 万元, 2, 3))")
    assert m(v) == 1
    assert ctx.evidence == []
    assert value(f"if({BLANK_CMP}, 1, 2)") is None
    assert value("if(null, 1, 2)") is None
    assert value('if(funds.total.budget > 100 万元, "big", "small")') == "big"
    assert m(value("if(blank(funds.sources[1].budget), 1, 2)")) == 1


def test_truth_of_values():
    assert value("funds.total.budget and true") is True
    assert value("funds.sources[1].budget and true") is None
    assert value("not 1") is False


# --- functions --------------------------------------------------------------------------------------------------

def test_sum_blank_counts_as_zero():
    v, _, c = run("sum(funds.sources[*].budget)")
    assert c.type == T.number(units.MONEY)
    assert v.value == D(1570000)
    assert (v.lo, v.hi) == (D(1560000), D(1580000))
    assert m(value("sum(funds.sources[*].budget, 1 万元)")) == D(1580000)
    assert m(value("sum(funds.sources[*].executed)")) == D("1115800")


def test_sum_of_scores():
    v, _, c = run("sum(indicators[*].score)")
    assert c.type == T.number(units.SCORE)
    assert v.value == 33
    assert v.exact


@pytest.mark.parametrize("cell", ["待定", "#DIV/0!", "设备交付缓慢"])
def test_sum_unknown_on_text(cell):
    sub = {"kind": "project", "funds": {"total": {"budget": 100}, "sources": [{"budget": 60}, {"budget": cell}]}}
    assert value("sum(funds.sources[*].budget)", root=model.build(sub)) is None


def test_sum_unknown_across_dimensions():
    # indicators' actuals are 个, %, 元/套 …: no meaningful sum
    assert value("sum(indicators[*].actual)") is None
    assert value("sum(indicators[0].actual, indicators[1].actual)") is None


def test_count():
    v, _, c = run("count(funds.sources[*].budget)")
    assert c.type == T.NUMBER
    assert v == 2
    assert value("count(management[*].issues)") == 2
    assert value("count(funds.sources[*].budget, funds.total.budget)") == 3


def test_min_max_convert_units():
    assert m(value("min(funds.sources[*].budget)")) == D(630000)
    assert m(value("max(funds.sources[*].budget)")) == D(940000)
    assert value("max(1 万元, 20000 元)").unit.symbol == "元"
    assert value("min(1 万元, 20000 元)").unit.symbol == "万元"
    assert value("max(1 万元, 2 个)") is None


def test_abs_and_round():
    assert m(value("abs(0 万元 - funds.total.budget)")) == D(1570000)
    assert m(value("abs(-3 个)")) == 3
    r, _, c = run("round(funds.total.executed, 1)")
    assert c.type == T.number(units.MONEY)
    assert measure.fmt(r) == "111.6万元"
    assert measure.fmt(value("round(funds.total.executed)")) == "112万元"
    assert m(value("round(2.345, 2)")) == D("2.35")
    assert measure.fmt(value("round(ratio(funds.total.executed, funds.total.budget), 2)")) == "71.07%"


def test_ratio():
    v, _, c = run("ratio(funds.total.executed, funds.total.budget)")
    assert c.type == T.number(units.RATIO)
    assert v.unit is units.PERCENT
    assert measure.fmt(v) == "71.07%"
    assert value("ratio(1, 4) ≈ 25%") is True
    assert value("ratio(funds.total.budget, 5 个)") is None  # not a rate


def test_exists_and_blank():
    assert value("exists(funds.sources[1].budget)") is False
    assert value("blank(funds.sources[1].budget)") is True
    assert value("exists(funds.total.budget)") is True
    assert value("blank(management[2].issues)") is True
    assert value('blank("  ")') is True


def test_len():
    assert value("len(management)") == 3
    assert value('len("abc")') == 3
    assert value("len(funds.total.label)") == 6
    assert value("len(indicators[*].name)") == 6
    assert value("len(management[2].issues)") is None


def test_matches():
    assert value('matches(funds.total.label, "总额$")') is True
    assert value('matches(funds.total.label, "^总额")') is False
    assert value('matches(management[2].issues, ".*")') is False  # blank never matches
    assert value('matches(management[0].issues, param.pat)', params={"pat": "^无$"}) is True


def test_kind_op_number_unit_dimension():
    assert value("kind(indicators[0].target)") == "quantity"
    assert value("kind(indicators[3].target)") == "qualitative"
    assert value("kind(indicators[4].target)") == "deadline"
    assert value("kind(indicators[4].actual)") == "text"
    assert value('kind("≥15个")') == "quantity"
    assert value("kind(funds.sources[1].budget)") == "blank"
    assert value("op(indicators[0].target)") == "≥"
    assert value("op(indicators[2].target)") is None
    n, _, c = run("number(indicators[0].target)")
    assert c.type == T.NUMBER
    assert n.value == 15 and n.unit is None
    assert value("number(indicators[3].target)") is None
    assert value("unit(indicators[0].target)") == "个"
    assert value("unit(indicators[5].actual)") == "支"  # from the indicator name
    assert value("unit(funds.total.budget)") == "万元"
    assert value("dimension(indicators[2].target)") == "per_unit_money"
    assert value("dimension(funds.total.budget)") == "money"
    assert value("dimension(indicators[4].target)") == "date"
    assert value("unit_written(indicators[0].target)") is True
    assert value("unit_written(indicators[5].target)") is False
    assert value("level(indicators[3].actual)") == "partly"


def test_says_nothing():
    assert value("says_nothing(management[0].issues)") is True
    assert value("says_nothing(management[1].issues)") is False
    assert value("says_nothing(management[2].issues)") is True


@pytest.mark.parametrize("source,expected", [
    ("grade(95)", "优"), ("grade(90)", "优"), ("grade(89.99)", "良"), ("grade(80)", "良"),
    ("grade(60)", "中"), ("grade(59.99)", "差"), ("grade(0)", "差"),
    ("grade(total.score)", "差"),
    ("grade(85, 95, 85, 70)", "良"), ("grade(84, 95, 85, 70)", "中"), ("grade(69, 95, 85, 70)", "差"),
    ("grade(85, 80)", "优"), ("grade(79, 80)", "良"),
])
def test_grade(source, expected):
    assert value(source) == expected


def test_grade_of_blank_is_unknown():
    assert value("grade(funds.sources[1].budget)") is None


def test_coalesce():
    assert m(value("coalesce(funds.sources[1].budget, 0 万元)")) == 0
    v = value("coalesce(funds.sources[1].budget, funds.sources[0].budget)")
    assert isinstance(v, Notation) and v.raw == "94"
    assert value('coalesce(null, "x")') == "x"
    assert value("coalesce(null, funds.sources[1].budget)") is None


@pytest.mark.parametrize("source,expected", [
    ("any(true, null)", True), ("any(false, null)", None), ("any(false, false)", False),
    ("all(false, null)", False), ("all(true, null)", None), ("all(true, true)", True),
    ("all(says_nothing(management[*].issues))", False),
    ("any(says_nothing(management[*].issues))", True),
    ("all(exists(funds.sources[*].budget))", False),
    ("any(blank(funds.sources[*].budget))", True),
    ("all(exists(indicators[*].weight))", True),
])
def test_any_all(source, expected):
    assert value(source) is expected


def test_count_of():
    assert value('count_of(indicators[*].status, "met")') == 1
    assert value('count_of(indicators[*].status, "not_met")') == 3
    assert value('count_of(indicators[*].status, "partly")') == 1
    assert value('count_of(indicators[*].class2, "quantity")') == 2
    assert value('count_of(kind(indicators[*].actual), "text")') == 1


def test_statuses_from_model():
    assert value("indicators[*].status") == ["not_met", "met", "not_met", "partly", None, "not_met"]
    assert value('indicators[0].status == "not_met"') is True
    c = value("completion(indicators[0].target, indicators[0].actual)")
    assert c.value == D("0.8") and c.unit is units.PERCENT


def test_sum_where():
    v, _, c = run('sum_where(indicators[*].weight, indicators[*].level1, "产出指标")')
    assert c.type == T.number(units.SCORE)
    assert v.value == 25
    assert m(value('sum_where(indicators[*].score, indicators[*].level1, "产出指标")')) == 16
    assert value('sum_where(indicators[*].score, indicators[*].level1, "不存在")') is None


def test_digits_swapped():
    assert value("digits_swapped(5283.17, 5238.17)") is True
    assert value("digits_swapped(5283.17, 5283.71)") is True
    assert value("digits_swapped(5283.17, 5238.71)") is False
    assert value("digits_swapped(1, 1)") is False
    assert value("digits_swapped(12, 123)") is False
    sub = {"kind": "project", "funds": {"total": {"budget": D("5283.17")},
                                       "sources": [{"budget": D("5000.00")}, {"budget": D("238.17")}]}}
    root = model.build(sub)
    assert value("digits_swapped(funds.total.budget, sum(funds.sources[*].budget))", root=root) is True
    assert value("funds.total.budget ≈ sum(funds.sources[*].budget)", root=root) is False


def test_contains_and_in():
    assert value('contains(funds.total.label, "总额")') is True
    assert value('"a" in "abc"') is True
    assert value('5 in [1, 5]') is True
    assert value('6 not in [1, 5]') is True
    assert value('"无" in management[*].issues') is True
    assert value('"无" not in management[*].issues') is False
    assert value('"x" in management[2].issues') is None


def test_text_equality():
    assert value('funds.total.label == "年度资金总额"') is True
    assert value('funds.total.label != "年度资金总额"') is False
    assert value('funds.total.budget == "157"') is True
    assert value('"a" == "a"') is True
    assert value("true == false") is False
    assert value("funds.total.label == true") is None
    assert value('management[2].issues == "无"') is False  # a missing value is not equal to a literal
    assert value('management[2].issues != "无"') is True


# --- elementwise over [*] ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("source,expected", [
    ("exists(funds.sources[*].budget)", [True, False, True]),
    ("blank(funds.sources[*].budget)", [False, True, False]),
    ('matches(management[*].issues, "^无$")', [True, False, False]),
    ('contains(management[*].issues, "交付")', [False, True, False]),
    ("says_nothing(management[*].issues)", [True, False, True]),
    ("kind(indicators[*].target)", ["quantity", "quantity", "quantity", "qualitative", "deadline", "quantity"]),
    ("op(indicators[*].target)", ["≥", "≥", None, None, "≤", "≥"]),
    ("unit(indicators[*].target)", ["个", "%", "元/套", None, None, "支"]),
    ("dimension(indicators[*].actual)", ["count", "ratio", "per_unit_money", "qualitative", None, "count"]),
    ("unit_written(indicators[*].target)", [True, True, True, False, False, False]),
    ("level(indicators[*].actual)", [None, None, None, "partly", None, None]),
])
def test_elementwise(source, expected):
    v, _, c = run(source)
    assert c.type.kind == "list"
    assert v == expected


def test_elementwise_number():
    v, _, c = run("number(indicators[*].target)")
    assert c.type == T.list_of(T.NUMBER)
    assert [x.value if x is not None else None for x in v] == [15, 90, 1950, None, None, 3]


def test_paths_over_lists():
    assert value("indicators[*].name")[0] == "视频监控点位"
    assert value("funds.sources[*].label") == ["其中:中央补助", "地方资金", "其他资金"]
    assert value("funds.sources[*].parts[*].budget") == []
    assert value("funds.sources[5].budget") is None
    assert value("funds.sources[0].label") == "其中:中央补助"
    v, _, c = run("funds.sources[*].budget")
    assert c.type == T.list_of(T.cell(units.MONEY))
    assert [x.kind for x in v] == ["quantity", "blank", "quantity"]


def test_groups_and_cells():
    assert value("groups[*].name")[:2] == ["产出指标", "数量指标"]
    # 一级: 产出 效益 满意度; 二级: 数量 社会效益 成本 服务对象满意度 时效
    assert value("len(groups)") == 8
    assert "budget" in value("cells[*].field")


# --- for_each items --------------------------------------------------------------------------------------------------

def test_collection_types():
    assert INDICATOR.kind == "object" and INDICATOR.name == "indicator"
    assert SOURCE.kind == "object" and SOURCE.name == "fund_row"
    assert collection_type("management").name == "management_item"
    assert collection_type("funds.sources[*].parts").name == "fund_row"


def test_collection_type_must_be_a_list():
    e = compile_error_of(lambda: collection_type("funds.total"))
    assert e.message == "for_each 必须是列表：“funds.total”"
    assert e.message_en == "for_each must be a list: 'funds.total'"
    assert (e.column, e.end_column) == (1, 12)


def compile_error_of(fn) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        fn()
    return info.value


def test_item_fields():
    assert value("item.score <= item.weight", **ind(0)) is True
    assert value("item.actual ≈ item.target", **ind(0)) is False
    assert value("item.actual ≈ item.target", **ind(4)) is None
    c = value("completion(item.target, item.actual, item.cost_like)", **ind(0))
    assert measure.fmt(c) == "80.00%"
    assert value("completion(item.target, item.actual, item.cost_like)", **ind(4)) is None
    assert value("op(item.target)", **ind(5)) == "≥"
    assert value("item.unit_hint", **ind(5)) == "支"
    assert value("item.cost_like", **ind(2)) is True
    assert value('item.status == "not_met" and blank(item.reason)', **ind(2)) is True
    assert value('item.status == "not_met" and blank(item.reason)', **ind(0)) is False


def test_item_score_rule():
    src = "item.score <= round(item.weight * completion(item.target, item.actual, item.cost_like), 2)"
    assert value(src, **ind(0)) is True  # 8 ≤ 10 × 80%
    v, ctx, _ = run(src, **ind(5))  # 3 ≤ 5 × 2/3 = 3.33
    assert v is True
    assert ctx.evidence[0].right.value == D("3.33")
    sub = dict(SUBMISSION, indicators=[dict(SUBMISSION["indicators"][5], score=4)])
    root = model.build(sub)
    assert value(src, item=root["indicators"][0], item_type=INDICATOR, root=root) is False


def test_item_source_row():
    row = ROOT["funds"]["sources"][0]
    assert value("item.rate ≈ ratio(item.executed, item.budget)", item=row, item_type=SOURCE) is True


# --- compile-time errors ---------------------------------------------------------------------------------------------------

def caret(e: ExpressionError, source: str) -> str:
    return e.caret(source)


def test_syntax_error_unexpected_token():
    src = "1 +* 2"
    e = compile_error(src)
    assert e.message == "此处不应出现“*”"
    assert e.message_en == "unexpected '*'"
    assert (e.column, e.end_column) == (4, 5)
    assert e.caret(src) == "1 +* 2\n   ^"


def test_syntax_error_unclosed_paren():
    src = "(1 + 2"
    e = compile_error(src)
    assert e.message == "表达式不完整"
    assert e.message_en == "incomplete expression"
    assert e.column == 7
    assert e.caret(src) == "(1 + 2\n      ^"


def test_syntax_error_trailing_and():
    src = "true and"
    e = compile_error(src)
    assert (e.message, e.message_en) == ("表达式不完整", "incomplete expression")
    assert e.column == 9
    assert e.caret(src) == "true and\n        ^"
    src2 = "true and   "
    assert compile_error(src2).column == 9


def test_syntax_error_unexpected_character():
    src = "funds.total.budget $ 2"
    e = compile_error(src)
    assert e.message == "无法识别的字符“$”"
    assert e.message_en == "unexpected character '$'"
    assert e.caret(src) == "funds.total.budget $ 2\n                   ^"


@pytest.mark.parametrize("src,zh", [
    ("", "表达式不完整"),
    ("   ", "表达式不完整"),
    ("not", "表达式不完整"),
    ("1 ≈", "表达式不完整"),
    ("funds.", "表达式不完整"),
    ("sum(1) +", "表达式不完整"),
    ("summ(1", "表达式不完整"),
    (")", "此处不应出现“)”"),
    ("sum(1,)", "此处不应出现“)”"),
    ("1 > 2 > 3", "此处不应出现“>”"),
])
def test_other_syntax_errors(src, zh):
    assert compile_error(src).message == zh


def test_unknown_field_did_you_mean():
    src = "funds.totl.budget"
    e = compile_error(src)
    assert e.message == "未知字段“funds.totl”"
    assert e.message_en == "unknown field 'funds.totl' (in funds)"
    assert e.suggestion == "funds.total"
    assert e.text("zh") == "未知字段“funds.totl”（是否应为“funds.total”？）"
    assert e.text("en") == "unknown field 'funds.totl' (in funds) (did you mean 'funds.total'?)"
    assert (e.column, e.end_column) == (7, 11)  # the name itself
    assert e.caret(src) == "funds.totl.budget\n      ^^^^"


def test_unknown_field_deeper_and_at_root():
    e = compile_error("funds.total.budgt")
    assert e.suggestion == "funds.total.budget"
    assert e.message_en == "unknown field 'funds.total.budgt' (in funds.total)"
    e2 = compile_error("fundz")
    assert e2.suggestion == "funds"
    assert e2.message_en == "unknown field 'fundz' (in submission)"
    e3 = compile_error("a.b.c")
    assert e3.suggestion is None
    assert e3.text("en") == "unknown field 'a' (in submission)"


def test_unknown_item_field():
    src = "item.actul > 0"
    e = compile_error(src, INDICATOR)
    assert e.message == "未知字段“item.actul”"
    assert e.suggestion == "item.actual"
    assert e.caret(src) == "item.actul > 0\n     ^^^^^"


def test_field_of_a_list_needs_an_index_or_star():
    src = "management.issues"
    e = compile_error(src)
    assert e.message == "“management”是列表，请写 management[*].issues 或 management[序号].issues"
    assert e.message_en == "'management' is a list: write management[*].issues or management[0].issues"
    assert (e.column, e.end_column) == (12, 18)
    assert e.caret(src) == "management.issues\n           ^^^^^^"
    e2 = compile_error("funds.sources[*].parts.budget")
    assert "funds.sources[*].parts[*].budget" in e2.message_en


def test_star_and_index_need_a_list():
    e = compile_error("funds[*]")
    assert e.message == "“funds”不是列表，不能使用 [*]"
    assert e.message_en == "'funds' is not a list; [*] needs one"
    assert e.caret("funds[*]") == "funds[*]\n     ^^^"
    e2 = compile_error("funds.total[0]")
    assert e2.message_en == "'funds.total' is not a list"


def test_unknown_function_with_suggestion():
    src = "summ(funds.sources[*].budget)"
    e = compile_error(src)
    assert e.message == "未知函数“summ”"
    assert e.message_en == "unknown function 'summ'"
    assert e.suggestion == "sum"
    assert e.text("zh") == "未知函数“summ”（是否应为“sum”？）"
    assert e.text("en") == "unknown function 'summ' (did you mean 'sum'?)"
    assert e.column == 1 and e.end_column == len(src) + 1
    assert compile_error('lenn("a")').suggestion == "len"
    assert compile_error("frobnicate(1)").suggestion is None


@pytest.mark.parametrize("src,zh,en", [
    ("sum()", "函数 sum 需要 1–99 个参数，实际 0 个", "function sum takes 1–99 argument(s), got 0"),
    ("abs(1, 2)", "函数 abs 需要 1 个参数，实际 2 个", "function abs takes 1 argument(s), got 2"),
    ("ratio(1)", "函数 ratio 需要 2 个参数，实际 1 个", "function ratio takes 2 argument(s), got 1"),
    ("if(true, 1)", "函数 if 需要 3 个参数，实际 2 个", "function if takes 3 argument(s), got 2"),
    ('matches("abc")', "函数 matches 需要 2 个参数，实际 1 个", "function matches takes 2 argument(s), got 1"),
    ("round(1, 2, 3)", "函数 round 需要 1–2 个参数，实际 3 个", "function round takes 1–2 argument(s), got 3"),
])
def test_wrong_argument_count(src, zh, en):
    e = compile_error(src)
    assert (e.message, e.message_en) == (zh, en)
    assert e.caret(src) == src + "\n" + "^" * len(src)


@pytest.mark.parametrize("src,zh", [
    ('sum("a")', "函数 sum 需要数值参数，但得到字符串"),
    ('grade("x")', "函数 grade 需要数值参数，但得到字符串"),
    ("sum(funds.total.label)", "函数 sum 需要数值参数，但得到文本"),
    ("max(true)", "函数 max 需要数值参数，但得到真假值"),
])
def test_numeric_functions_reject_text(src, zh):
    assert compile_error(src).message == zh


def test_unit_misuse_money_plus_rate():
    src = "funds.total.budget + funds.total.rate"
    e = compile_error(src)
    assert e.message == "单位不一致：金额 与 比率 不能运算（+）"
    assert e.message_en == "unit mismatch: cannot apply + to money and ratio"
    assert (e.column, e.end_column) == (20, 21)
    assert e.caret(src) == src + "\n" + " " * 19 + "^"


def test_unit_misuse_money_compared_with_plain_number():
    src = "funds.total.budget > 100"
    e = compile_error(src)
    assert e.message == "单位不一致：金额 与 数值 不能比较"
    assert e.message_en == "unit mismatch: cannot compare money and number"
    assert e.caret(src) == src + "\n" + " " * 19 + "^"


def test_money_compared_with_zero_is_allowed():
    assert value("funds.total.budget > 0") is True
    assert value("funds.total.budget ≈ 0") is False
    assert m(value("funds.total.budget + 0")) == D(1570000)


def test_unit_misuse_count_approx_money_caret_counts_wide_characters():
    src = "94 个 ≈ funds.total.budget"
    e = compile_error(src)
    assert e.message == "单位不一致：数量 与 金额 不能比较"
    assert e.message_en == "unit mismatch: cannot compare count and money"
    assert (e.column, e.end_column) == (6, 7)
    # "94 个 " is 6 terminal columns wide: 个 takes two
    assert e.caret(src) == src + "\n" + " " * 6 + "^"


@pytest.mark.parametrize("src,zh", [
    ("157 万元 + 1 个", "单位不一致：金额 与 数量 不能运算（+）"),
    ("funds.total.budget + 1", "单位不一致：金额 与 数值 不能运算（+）"),
    ("funds.total.budget * funds.total.budget", "单位不一致：金额 与 金额 不能运算（*）"),
    ("funds.total.budget × funds.total.executed", "单位不一致：金额 与 金额 不能运算（*）"),
    ("5 个 / funds.total.budget", "单位不一致：数量 与 金额 不能运算（/）"),
    ("funds.total.executed > 100 + 1 万元", "单位不一致：数值 与 金额 不能运算（+）"),
    ("if(true, 1, 2 + funds.total.budget)", "单位不一致：数值 与 金额 不能运算（+）"),
    ("total.score ≈ funds.total.budget", "单位不一致：分值 与 金额 不能比较"),
])
def test_other_unit_misuse(src, zh):
    assert compile_error(src).message == zh


def test_text_compared_with_less_than():
    src = 'funds.total.label < "a"'
    e = compile_error(src)
    assert e.message == "文本只能用 == 或 != 比较，不能用“<”"
    assert e.message_en == "text can only be compared with == or !=, not '<'"
    assert (e.column, e.end_column) == (1, len(src) + 1)
    assert e.caret(src) == src + "\n" + "^" * len(src)
    assert compile_error("true < false").message_en == "text can only be compared with == or !=, not '<'"
    assert compile_error('1 ≈ "a"').message_en == "text can only be compared with == or !=, not '≈'"


def test_compare_with_null():
    e = compile_error("funds.total.budget == null")
    assert e.message == "不能与 null 比较，请使用 blank() 或 exists()"
    assert e.message_en == "compare with blank() or exists(), not null"


def test_arithmetic_on_text():
    e = compile_error('funds.total.label + 1')
    assert e.message == "运算“+”需要数值，但得到文本"
    assert e.message_en == "'+' needs a number, got text"
    assert e.caret("funds.total.label + 1") == "funds.total.label + 1\n" + "^" * len("funds.total.label")


def test_item_outside_for_each():
    src = "item.actual"
    e = compile_error(src)
    assert e.message == "只有带 for_each 的规则可以使用 item"
    assert e.message_en == "item is only available in rules with for_each"
    assert e.caret(src) == "item.actual\n^^^^^^^^^^^"
    # in a for_each rule the same text compiles
    assert compile_expression(src, INDICATOR).type == T.cell(T.DYN)


def test_bad_regex_in_matches():
    src = 'matches(funds.total.label, "(")'
    e = compile_error(src)
    assert e.message.startswith("正则表达式无效：")
    assert e.message_en.startswith("invalid regular expression: ")
    assert "missing )" in e.message_en
    assert e.caret(src) == src + "\n" + "^" * len(src)
    assert compile_error('matches("abc", "[")').message_en.startswith("invalid regular expression: unterminated character set")


@pytest.mark.parametrize("src", ["matches(funds.total.label, funds.total.label)", 'matches("abc", 1)'])
def test_non_literal_pattern(src):
    e = compile_error(src)
    assert e.message == "matches 的第二个参数必须是字符串常量"
    assert e.message_en == "the pattern of matches must be a string literal"
    assert (e.column, e.end_column) == (1, len(src) + 1)


def test_parameters():
    assert value("param.min > 1", params={"min": measure.exact(D(5))}) is True
    e = compile_error("param.mn", params={"min": 1})
    assert e.message == "规则没有参数“mn”"
    assert e.message_en == "the rule has no parameter 'mn'"
    assert e.suggestion == "param.min"
    e2 = compile_error("params.min.x", params={"min": 1})
    assert e2.message_en == "parameters are written param.name"


def test_condition_must_be_boolean():
    src = "funds.total.budget"
    e = compile_error(src, expect_bool=True)
    assert e.message == "条件必须是真假值，但这里是金额"
    assert e.message_en == "a condition must be true or false, this is money"
    assert e.caret(src) == src + "\n" + "^" * len(src)
    assert compile_expression("funds.total.budget > 0", expect_bool=True).type == T.BOOL


def test_caret_on_multiline_source():
    src = "funds.total.budget\n  + funds.total.rate"
    e = compile_error(src)
    assert e.column == 3  # Lark's column on the second line
    assert e.caret(src).split("\n")[0] == "funds.total.budget   + funds.total.rate"


def test_caret_without_column():
    e = ExpressionError("错", "err")
    assert e.caret("abc") == "abc"
    assert e.text("zh") == "错" and e.text("en") == "err"


def test_compiled_records_paths():
    c = compile_expression("funds.total.budget ≈ sum(funds.sources[*].budget)")
    assert c.paths == ["funds.total.budget", "funds.sources[*].budget"]
    assert c.source == "funds.total.budget ≈ sum(funds.sources[*].budget)"


def test_every_function_is_documented():
    assert set(functions.FUNCTIONS) >= {
        "sum", "count", "min", "max", "abs", "round", "ratio", "exists", "blank", "len", "matches", "kind", "op",
        "number", "unit", "dimension", "says_nothing", "grade", "coalesce", "any", "all", "count_of", "sum_where",
        "digits_swapped", "if",
    }
    for f in functions.FUNCTIONS.values():
        assert f.doc and 0 <= f.min_args <= f.max_args


# --- no dynamic code execution ---------------------------------------------------------------------------------------------

VALIDATOR_DIR = Path(__file__).resolve().parent.parent / "validator"
FORBIDDEN = {"eval", "exec", "compile", "__import__"}
# Generated rule code is compiled and run in one place only, from ast nodes selfeval builds
# (never from text); tests/test_codegen.py checks that no rule text is in that module.
ALLOWED = {VALIDATOR_DIR / "packs" / "program.py": {"compile", "exec"}}


def _python_files():
    files = sorted(VALIDATOR_DIR.rglob("*.py"))
    assert len(files) > 20
    return files


def test_no_eval_exec_or_compile_builtin_in_source_text():
    pattern = re.compile(r"(?<![\w.])(eval|exec|compile)\s*\(")
    offenders = []
    for path in _python_files():
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            m = pattern.search(code)
            if m and m[1] not in ALLOWED.get(path, ()):
                offenders.append(f"{path.name}:{no}: {line.strip()}")
    assert offenders == []


def test_no_eval_exec_or_compile_builtin_in_syntax_tree():
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in FORBIDDEN and node.id not in ALLOWED.get(path, ()):
                offenders.append(f"{path.name}:{node.lineno}: {node.id}")
            if isinstance(node, ast.Attribute) and node.attr in ("eval", "exec") and isinstance(node.value, ast.Name) \
                    and node.value.id == "builtins":
                offenders.append(f"{path.name}:{node.lineno}: builtins.{node.attr}")
    assert offenders == []


def test_rule_text_cannot_reach_python():
    for src in ["__import__('os')", "eval('1')", "exec('x=1')", "open('/etc/passwd')"]:
        e = compile_error(src)
        assert e.message.startswith("未知函数") or e.message.startswith("无法识别") or e.message.startswith("此处不应")
    e = compile_error("funds.__class__")
    assert e.message_en.startswith("unknown field")
