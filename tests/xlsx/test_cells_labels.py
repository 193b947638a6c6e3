"""Cell display text and label matching, on their own."""

from __future__ import annotations

import datetime as dt

import pytest

from validator.read.cells import cell_text, number_text, text_value
from validator.kinds.self_eval.labels import (
    declared_weight, fund_source, funds_column, header_field, indicator_column, label_key, level_label, money_unit,
)


@pytest.mark.parametrize("value, fmt, expected", [
    (0.9, "0%", "90%"),
    (0.9, "0.00%", "90.00%"),
    (0.37649, "0.00%", "37.65%"),
    (0, "0%", "0%"),
    (13.6, "0.00", "13.60"),
    (13.6, "General", "13.6"),
    (0.1 + 0.2, "General", "0.3"),
    (157, "General", "157"),
    (100.0, "General", "100"),
    (1234.5, "#,##0.00", "1234.50"),
    (2.675, "0.00", "2.68"),
    (5, '0"家"', "5家"),
    (-5, "0.00_);(0.00)", "(5.00)"),
    (0, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-"),
    (7.02, "[Red]0.00", "7.02"),
])
def test_number_text(value, fmt, expected):
    assert number_text(value, fmt) == expected


@pytest.mark.parametrize("written, expected", [
    ("1,234.50", "1234.50"),
    ("１２３", "123"),
    ("１２．５％", "12.5%"),
    ("≥１５个", "≥15个"),
    ("≥1,234个", "≥1234个"),
    ("  满意 ", "满意"),
    ("1,2,3", "1,2,3"),
    ("", None),
])
def test_text_value(written, expected):
    assert text_value(written) == expected


def test_cell_text_kinds():
    assert cell_text("#DIV/0!", "General", "e") == "#DIV/0!"
    assert cell_text(dt.datetime(2024, 12, 30), "yyyy-mm-dd") == "2024年12月30日"
    assert cell_text(dt.datetime(2024, 12, 1), 'yyyy"年"m"月"') == "2024年12月"
    assert cell_text(True, "General") == "TRUE"
    assert cell_text(None, "General") is None


@pytest.mark.parametrize("label, key", [
    ("全年预算数(A)", "全年预算数"),
    ("预算执行率（B/A×100%）", "预算执行率"),
    ("资金投入情况（万元）", "资金投入情况"),
    ("转移支付(项目)名称", "转移支付名称"),
    ("年度资金总额：", "年度资金总额"),
    ("  其中：财政拨款", "财政拨款"),
    ("绩效 指标", "绩效指标"),
    ("满意度\n指标", "满意度指标"),
    ("产出指标(50分)", "产出指标"),
    ("资金结(转)余", "资金结余"),
])
def test_label_key(label, key):
    assert label_key(label) == key


@pytest.mark.parametrize("label, field", [
    ("年初预算数", "initial_budget"), ("目标申报数", "initial_declared"), ("预算编制数", "initial_planned"),
    ("全年预算数(A)", "budget"), ("预算数", "budget"), ("调整后预算数", "budget"),
    ("全年执行数(B)", "executed"), ("执行数", "executed"), ("实际支出", "executed"),
    ("资金结(转)余", "balance"), ("预算执行率(B/A)", "rate"), ("执行率", "rate"),
    ("分值", "weight"), ("得分", "score"),
    ("偏差原因分析及改进措施", "reason"), ("预算执行率偏低原因分析", "reason"),
    ("年度资金总额", None),
])
def test_funds_columns(label, field):
    assert funds_column(label_key(label)) == field


@pytest.mark.parametrize("label, source", [
    ("年度资金总额", "total"), ("资金总额", "total"), ("年度资金总额：", "total"),
    ("其中:中央补助", "central"), ("中央财政资金", "central"),
    ("地方资金", "local"), ("地方财政资金", "local"), ("市县区财政资金", "local"),
    ("省级", "provincial"), ("市级", "city"), ("县级", "county"),
    ("其中：财政拨款", "fiscal"), ("其他资金", "other"), ("上年结转资金", None),
])
def test_fund_sources(label, source):
    assert fund_source(label_key(label)) == source


@pytest.mark.parametrize("label, field", [
    ("一级指标", "level1"), ("四级指标", "level4"), ("指标性质", "nature"), ("度量单位", "measure_unit"),
    ("指标值", "target"), ("年初指标值", "initial_target"), ("调整后指标值", "target"),
    ("全年实际完成值", "actual"), ("全年完成值", "actual"), ("实际完成值", "actual"), ("实际完成指标值", "actual"),
    ("分值", "weight"), ("权重", "weight"), ("得分", "score"),
    ("未完成原因和改进措施", "reason"), ("偏差原因分析及改进措施", "reason"),
])
def test_indicator_columns(label, field):
    assert indicator_column(label_key(label)) == field


def test_header_fields_and_decorations():
    assert header_field(label_key("转移支付(项目)名称")) == "name"
    assert header_field(label_key("项目名称")) == "name"
    assert header_field(label_key("中央主管部门")) == "department"
    assert header_field(label_key("市级财政部门")) == "department"
    assert header_field(label_key("资金使用单位")) == "unit"
    assert header_field(label_key("预算单位")) == "unit"
    assert header_field(label_key("中长期规划（名称、文号，仅指常年项目）")) is None
    assert declared_weight("产出指标（50分）") == "50"
    assert declared_weight("产出指标") is None
    assert level_label("产出指标（50分）") == "产出指标"
    assert money_unit("项目资金\n（万元）") == "万元"


# --- a number always has a display text --------------------------------------------------

from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WIDE = Context(prec=60, Emax=MAX_EMAX, Emin=MIN_EMIN)
NUMBER_FORMATS = ["General", "0", "0.00", "0%", "0.00%", "#,##0.00", "#,##0,,", '0.00"万元"', "0.00_);(0.00)",
                  "0.00;-0.00;\"-\"", "0." + "0" * 60, "0.00E+00", "# ?/?", "@", "[Red]0.00", "[>100]0;0.0", ";;;", ""]
any_number = st.one_of(
    st.integers(min_value=-(10**1000), max_value=10**1000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.builds(lambda m, e: Decimal(m).scaleb(e, WIDE), st.integers(-10**40, 10**40), st.integers(-999_999, 999_999)),
    st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-0"), Decimal("1E+999999")]),
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(any_number, st.one_of(st.sampled_from(NUMBER_FORMATS), st.text(max_size=12)))
def test_number_text_never_raises_and_stays_short(value, fmt):
    text = number_text(value, fmt)
    assert isinstance(text, str)
    # every finite double prints in full; beyond, the scientific form: never a million
    # digits, only those written (an integer keeps all its digits, to be counted by SC003)
    written = len(Decimal(value).as_tuple().digits) if isinstance(value, (int, Decimal)) else 0
    assert len(text) <= max(450, written + 12) + len(fmt), (fmt, len(text))


@pytest.mark.parametrize("value, fmt, expected", [
    (1e28, "0.00", "1" + "0" * 28 + ".00"),
    (1e25, "0.00%", "1" + "0" * 27 + ".00%"),
    (Decimal("1E+999999"), "0.00", "1E+999999"),
    (Decimal("1E+999999"), "General", "1E+999999"),
    (float("inf"), "0.00", "#NUM!"),
    (10**5000, "General", "1E+5000"),
    (12345678901234567890123456789012, "General", "12345678901234567890123456789012"),
], ids=["1e28 0.00", "1e25 0.00%", "1E+999999 0.00", "1E+999999 General", "inf", "10**5000", "32 digits"])
def test_numbers_too_large_to_compute_with_still_print(value, fmt, expected):
    assert number_text(value, fmt) == expected
