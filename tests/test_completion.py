"""Met / not met and completion rates (GUIDE §2, §3): validator/domain/completion.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from validator.domain import measure
from validator.domain import units
from validator.domain.completion import UNKNOWN, Judgement, effective_op, judge
from validator.domain.notation import MET, NOT_MET, PARTLY, parse_text, parse_value

D = Decimal


def J(target, actual, **kw) -> Judgement:
    t = parse_text(target) if isinstance(target, str) else target
    a = parse_text(actual) if isinstance(actual, str) else actual
    return judge(t, a, **kw)


def rate(j: Judgement):
    assert j.rate is not None
    assert j.rate.unit is units.PERCENT
    assert j.rate.exact
    return j.rate.value


# --- ≥ and > ---------------------------------------------------------------------------------------

def test_at_least_not_met_rate_80_percent():
    j = J("≥15个", "12个")
    assert j.status == NOT_MET
    assert rate(j) == D("0.8")
    assert measure.fmt(j.rate) == "80.00%"


@pytest.mark.parametrize("actual", ["15个", "16个", "16", "15"])
def test_at_least_met(actual):
    j = J("≥15个", actual)
    assert j.status == MET
    assert rate(j) == 1


def test_rate_is_capped_at_100_percent():
    assert rate(J("≥10个", "30个")) == 1


def test_greater_than_is_strict():
    j = J("> 6 次/年", "6次/年")
    assert j.status == NOT_MET
    assert J("> 6 次/年", "7次/年").status == MET


def test_no_operator_reads_as_at_least():
    assert J("15个", "14个").status == NOT_MET
    assert J("15个", "15个").status == MET
    assert effective_op(parse_text("15个"), cost_like=False) == "≥"


def test_percent_target_and_bare_actual_in_target_unit():
    assert J("≥ 90%", "90").status == MET
    j = J("≥90%", "85%")
    assert j.status == NOT_MET
    assert rate(j) == D("0.85") / D("0.90")


def test_bare_target_takes_actual_unit():
    j = J("≥3", "5支")
    assert j.status == MET
    assert J("≥3", "2支").status == NOT_MET


def test_unit_from_name_as_default_unit():
    t = parse_text("≥ 3", "支")
    a = parse_value(2, "支")
    j = judge(t, a)
    assert j.status == NOT_MET
    assert rate(j) == D(2) / D(3)


def test_target_with_variable():
    assert J("K ≥ 1.25", "1.3").status == MET
    assert J("K ≥ 1.25", "1.2").status == NOT_MET


def test_return_period():
    j = J("≥ 100 年一遇", "50年一遇")
    assert j.status == NOT_MET
    assert rate(j) == D("0.5")


def test_zero_target():
    j = J("≥0", "0")
    assert j.status == MET and rate(j) == 1
    j2 = J("≥0", "-1")
    assert j2.status == NOT_MET and j2.rate is None


# --- ≤ and < -----------------------------------------------------------------------------------------

def test_at_most_converts_durations():
    assert J("≤ 1 年", "10个月").status == MET
    j = J("≤ 1 年", "2年")
    assert j.status == NOT_MET
    assert rate(j) == D("0.5")
    j2 = J("≤ 1 年", "400天")
    assert j2.status == NOT_MET
    assert rate(j2) == D(365) / D(400)


def test_less_than_is_strict():
    assert J("< 2 小时", "2小时").status == NOT_MET
    assert J("< 2 小时", "90分钟").status == MET
    assert J("< 2 小时", "119分钟").status == MET


def test_at_most_met_rate_100():
    j = J("≤100", "80")
    assert j.status == MET and rate(j) == 1
    j0 = J("≤100", "0")
    assert j0.status == MET and rate(j0) == 1


def test_at_most_inverse_policy_is_default():
    j = J("≤100", "125")
    assert j.status == NOT_MET
    assert rate(j) == D("0.8")  # 100 / 125
    assert rate(J("≤100", "125", lower_policy="inverse")) == D("0.8")


def test_at_most_deviation_policy():
    j = J("≤100", "125", lower_policy="deviation")
    assert j.status == NOT_MET
    assert rate(j) == D("0.75")  # 1 − (125 − 100) / 100
    # never below 0
    j2 = J("≤100", "300", lower_policy="deviation")
    assert rate(j2) == 0
    # inverse of the same never reaches 0
    assert rate(J("≤100", "300")) == D(100) / D(300)


def test_deviation_policy_does_not_change_met_or_at_least():
    assert rate(J("≤100", "90", lower_policy="deviation")) == 1
    assert rate(J("≥15个", "12个", lower_policy="deviation")) == D("0.8")


# --- cost-like indicators ----------------------------------------------------------------------------

def test_cost_like_default_at_most():
    t = parse_text("1950元/套")
    assert effective_op(t, cost_like=True) == "≤"
    assert effective_op(t, cost_like=False) == "≥"
    j = J("1950元/套", "2000元/套", cost_like=True)
    assert j.status == NOT_MET
    assert rate(j) == D(1950) / D(2000)
    assert J("1950元/套", "1900元/套", cost_like=True).status == MET
    # without cost_like the same pair reads as ≥
    assert J("1950元/套", "2000元/套").status == MET


def test_cost_like_keeps_a_written_operator():
    assert effective_op(parse_text("=1950元/套"), cost_like=True) == "="
    assert effective_op(parse_text("≥15个"), cost_like=True) == "≥"
    assert J("≥15个", "16个", cost_like=True).status == MET


def test_cost_money_across_units():
    assert J("964万元", "9640000元", cost_like=True).status == MET
    assert J("964万元", "9640001元", cost_like=True).status == NOT_MET


# --- = and ≠ --------------------------------------------------------------------------------------------

def test_equal_met():
    j = J("=63套", "63套")
    assert j.status == MET and rate(j) == 1
    assert J("＝5家", "5家").status == MET


def test_equal_uses_printed_precision():
    assert J("=5家", "5.0家").status == MET
    assert J("=1.25", "1.254").status == MET
    assert J("=1.25", "1.256").status == NOT_MET


def test_equal_below_and_above():
    below = J("=63套", "60套")
    assert below.status == NOT_MET
    assert rate(below) == D(60) / D(63)
    above = J("=63套", "70套")
    assert above.status == NOT_MET
    assert rate(above) == D("0.9")
    zero = J("=5家", "0家")
    assert zero.status == NOT_MET and rate(zero) == 0


def test_not_equal():
    j = J("≠0", "5")
    assert j.status == MET and rate(j) == 1
    j2 = J("≠0", "0")
    assert j2.status == NOT_MET and rate(j2) == 0


# --- deadlines and periods ----------------------------------------------------------------------------

def test_deadline_met_by_earlier_month():
    j = J("2024年12月30日前", "2024年11月")
    assert j.status == MET
    assert rate(j) == 1


def test_deadline_not_met_by_later_month():
    j = J("2024年12月30日前", "2025年1月")
    assert j.status == NOT_MET
    assert j.rate is None


def test_deadline_exact_day_and_month_that_runs_past():
    assert J("2024年12月30日前", "2024年12月30日").status == MET
    assert J("2024年12月30日前", "2024年12月20日").status == MET
    # All of December straddles the 30th: it may or may not have been done by then.
    assert J("2024年12月30日前", "2024年12月") == UNKNOWN
    assert J("2024年12月30日前", "2025年1月").status == NOT_MET


def test_deadline_after():
    assert J("2024年12月30日以后", "2025年1月").status == MET
    assert J("2024年12月30日以后", "2024年11月").status == NOT_MET


def test_deadline_with_actual_deadline_notation():
    assert J("2024年12月30日前", "2024年6月底前").status == MET


def test_period_target():
    """A period target is the time the work is done in (GUIDE §1h): an actual that ends
    within it meets it, one wholly after it does not."""
    assert J("2024年1-12月", "2024年1-12月").status == MET
    assert J("2023年1-12月", "2023年12月").status == MET
    assert J("2024年1-12月", "2024年1-11月").status == MET
    assert J("2024年1-12月", "2025年1-3月").status == NOT_MET
    assert J("2024年6月", "2024年1-12月") == UNKNOWN


def test_deadline_with_non_date_actual_is_unknown():
    assert J("2024年12月30日前", "完成") == UNKNOWN
    assert J("2024年12月30日前", "12个") == UNKNOWN
    assert J("2024年12月30日前", "") == UNKNOWN


# --- qualitative ---------------------------------------------------------------------------------------------

def test_qualitative_same_word_met():
    j = J("提高", "提高")
    assert j.status == MET and j.rate is None
    assert J("正常运行", "正常 运行").status == MET


@pytest.mark.parametrize("target,actual,status", [
    ("提升", "明显提升", MET),
    ("满意", "非常满意", MET),
    ("达到指南要求", "达到", MET),
    ("合格", "合格", MET),
    ("满意", "基本满意", PARTLY),
    ("保障", "部分完成", PARTLY),
    ("满意", "不满意", NOT_MET),
    ("及时", "未完成", NOT_MET),
    ("好转", "未达到", NOT_MET),
])
def test_qualitative_levels(target, actual, status):
    j = J(target, actual)
    assert j.status == status
    assert j.rate is None


# --- incomparable kinds -------------------------------------------------------------------------------------

@pytest.mark.parametrize("target,actual", [
    ("≥15个", "100%"),        # count vs ratio
    ("≥3支", "5万元"),        # count vs money
    ("提高", "100%"),          # qualitative target, numeric actual
    ("满意", "95%"),
    ("合格", "设备交付缓慢，沟通厂家加快交付"),
    ("≥15个", "满意"),
    ("≥15个", "#DIV/0!"),
    ("≥15个", ""),
    ("≥15个", "/"),
    ("≥15个", "设备交付缓慢"),
    ("/", "5"),                 # target not set
    ("≥%", "5%"),               # malformed target
    ("=元/项", "5元/项"),
    ("#REF!", "5"),
    ("", "5"),
    ("设备交付缓慢", "5"),
    ("每人每天不低于20元", "100%"),
    ("2024年1-12月", "100%"),
])
def test_incomparable_is_unknown(target, actual):
    j = J(target, actual)
    assert j.status is None
    assert j.rate is None
    assert j == UNKNOWN


def test_per_unit_money_comparable():
    assert J("每人每天不低于20元", "25元/人/天").status == MET
    assert J("每人每天不低于20元", "15元/人/天").status == NOT_MET


# --- status without the rate -------------------------------------------------------------------------

_CELLS = ["≥15个", "12个", "16", "15", "＝5家", "5", "≤3天", "72小时", "<10%", "9.99%", "100%", "≠0", "0", "0.0",
          "＝1.25", "1.254", "2024年12月30日前", "2024年12月", "2025年1月", "提升", "满意", "基本满意", "未完成",
          "≥90%", "85%", "≤500万元", "4,000,000元", "/", "", "#DIV/0!", "≥95分", "100个"]


@pytest.mark.parametrize("cost_like", [False, True])
def test_status_is_the_status_judge_gives(cost_like):
    """The model asks `status` (no rate worked out); it must say what `judge` says, for
    every pair of the cell forms above, cost-like or not."""
    from validator.domain.completion import status

    for target in _CELLS:
        for actual in _CELLS:
            t, a = parse_text(target), parse_text(actual)
            assert status(t, a, cost_like) == judge(t, a, cost_like=cost_like).status, (target, actual)
