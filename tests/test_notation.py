"""Value notation of targets and actuals (GUIDE §3): validator/domain/notation.py + grammar/value.lark."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from validator.domain import notation
from validator.domain import units
from validator.domain.notation import (
    BLANK, DEADLINE, MALFORMED, MET, NOT_MET, NOT_SET, PARTLY, PERIOD, QUALITATIVE, QUANTITY,
    SHEET_ERROR, TEXT, Notation, normalize, parse_text, parse_value, qualitative_level, unit_in_name,
)

D = Decimal

# --- every example of GUIDE §3 -------------------------------------------------------------

# raw → (kind, op, number, unit symbol, dimension)
GUIDE_QUANTITIES = [
    ("≥15个", "≥", "15", "个", units.COUNT),
    ("≥ 90%", "≥", "90", "%", units.RATIO),
    ("＝5家", "=", "5", "家", units.COUNT),
    ("=63套", "=", "63", "套", units.COUNT),
    ("≤ 1 年", "≤", "1", "年", units.DURATION),
    ("> 6 次/年", ">", "6", "次/年", units.FREQUENCY),
    ("< 2 小时", "<", "2", "小时", units.DURATION),
    ("≥ 100 年一遇", "≥", "100", "年一遇", units.RETURN_PERIOD),
    ("2.0 三级", None, "2.0", "三级", units.GRADE),
    ("24 小时", None, "24", "小时", units.DURATION),
    ("964万元", None, "964", "万元", units.MONEY),
    ("=1950元/套", "=", "1950", "元/套", units.PER_UNIT_MONEY),
]


@pytest.mark.parametrize("raw,op,number,unit,dimension", GUIDE_QUANTITIES, ids=[q[0] for q in GUIDE_QUANTITIES])
def test_guide_quantities(raw, op, number, unit, dimension):
    n = parse_text(raw)
    assert n.kind == QUANTITY
    assert n.op == op
    assert n.number == D(number)
    assert str(n.number) == number  # printed precision kept: 2.0 stays 2.0
    assert n.unit is not None and n.unit.symbol == unit
    assert n.unit.dimension == dimension
    assert n.dimension == dimension
    assert n.unit_written is True
    assert n.variable is None
    assert n.level is None
    assert n.raw == raw and str(n) == raw


def test_variable_before_operator():
    n = parse_text("K ≥ 1.25")
    assert (n.kind, n.variable, n.op, n.number, n.unit) == (QUANTITY, "K", "≥", D("1.25"), None)
    assert n.dimension is None
    assert n.unit_written is False


def test_unit_scales():
    assert parse_text("≤ 1 年").unit.scale == 365
    assert parse_text("964万元").unit.scale == 10000
    assert parse_text("2.0 三级").unit.scale == 3
    assert parse_text("< 2 小时").measure.value == D(2) * units.lookup("小时").scale


def test_guide_deadline():
    n = parse_text("2024年12月30日前")
    assert n.kind == DEADLINE
    assert n.op == "≤"
    assert (n.start, n.end) == (date(2024, 12, 30), date(2024, 12, 30))
    assert n.number is None and n.unit is None
    assert n.dimension == units.DATE


def test_guide_period():
    n = parse_text("2024年1-12月")
    assert n.kind == PERIOD
    assert n.op is None
    assert (n.start, n.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert n.dimension == units.DATE


@pytest.mark.parametrize(
    "raw,start,end,kind,op",
    [
        ("2024年11月", date(2024, 11, 1), date(2024, 11, 30), PERIOD, None),
        ("2024年2月", date(2024, 2, 1), date(2024, 2, 29), PERIOD, None),  # leap year
        ("2025年1月", date(2025, 1, 1), date(2025, 1, 31), PERIOD, None),
        ("2024年", date(2024, 1, 1), date(2024, 12, 31), PERIOD, None),
        ("2024年度", date(2024, 1, 1), date(2024, 12, 31), PERIOD, None),
        ("2024年底", date(2024, 12, 1), date(2024, 12, 31), PERIOD, None),
        ("2024年6月底前", date(2024, 6, 30), date(2024, 6, 30), DEADLINE, "≤"),
        ("2025年6月中旬前", date(2025, 6, 11), date(2025, 6, 20), DEADLINE, "≤"),
        ("2024年12月31日之前", date(2024, 12, 31), date(2024, 12, 31), DEADLINE, "≤"),
        ("2024年12月30日以后", date(2024, 12, 30), date(2024, 12, 30), DEADLINE, "≥"),
        ("≤2024年12月30日", date(2024, 12, 30), date(2024, 12, 30), DEADLINE, "≤"),
        ("2024-12-30前", date(2024, 12, 30), date(2024, 12, 30), DEADLINE, "≤"),
        ("2024.12.30", date(2024, 12, 30), date(2024, 12, 30), PERIOD, None),
    ],
)
def test_dates(raw, start, end, kind, op):
    n = parse_text(raw)
    assert (n.kind, n.op, n.start, n.end) == (kind, op, start, end)


@pytest.mark.parametrize("raw", ["2024年13月", "2024年2月30日前", "2024年1-13月"])
def test_impossible_dates_are_text(raw):
    n = parse_text(raw)
    assert n.kind == TEXT
    assert n.start is None and n.end is None


@pytest.mark.parametrize("raw,op,unit,dimension", [
    ("=元/项", "=", "元/项", units.PER_UNIT_MONEY),
    ("≥%", "≥", "%", units.RATIO),
])
def test_guide_malformed_operator_and_unit_without_number(raw, op, unit, dimension):
    n = parse_text(raw)
    assert n.kind == MALFORMED
    assert n.op == op
    assert n.number is None
    assert n.measure is None
    assert n.unit.symbol == unit and n.unit.dimension == dimension
    assert n.unit_written is True
    assert n.dimension is None  # no number: nothing to compare


@pytest.mark.parametrize("raw", ["提高", "提升", "大幅提升", "达到指南要求", "合格", "满意", "及时", "保障", "好转", "正常运行"])
def test_guide_qualitative_words_are_met(raw):
    n = parse_text(raw)
    assert n.kind == QUALITATIVE
    assert n.level == MET
    assert n.dimension == "qualitative"
    assert n.number is None and n.op is None and n.unit is None


def test_guide_not_set():
    n = parse_text("/")
    assert n.kind == NOT_SET
    assert n.dimension is None and n.number is None


@pytest.mark.parametrize("raw", ["-", "—", "--", "／"])
def test_dashes_are_not_set(raw):
    assert parse_text(raw).kind == NOT_SET


# --- per-unit subjects and Chinese operator words ----------------------------------------------

def test_per_person_per_day_money():
    n = parse_text("每人每天不低于20元")
    assert n.kind == QUANTITY
    assert n.op == "≥"
    assert n.number == D(20)
    assert n.unit.symbol == "元/人/天"
    assert n.unit.dimension == units.PER_UNIT_MONEY
    # Per-month amounts are the base: 20元/人/天 is 600元/人/月 exactly.
    assert n.unit.scale == 30
    assert n.measure.value == parse_text("600元/人/月").measure.value


@pytest.mark.parametrize("raw,op,number,unit", [
    ("每户不低于500元", "≥", "500", "元/户"),
    ("每人20元", None, "20", "元/人"),
    ("每人每天20元", None, "20", "元/人/天"),
])
def test_other_per_unit_subjects(raw, op, number, unit):
    n = parse_text(raw)
    assert (n.kind, n.op, n.number, n.unit.symbol, n.unit.dimension) == (QUANTITY, op, D(number), unit, units.PER_UNIT_MONEY)


@pytest.mark.parametrize("raw,op,number,unit", [
    ("不低于90%", "≥", "90", "%"),
    ("不少于 15 个", "≥", "15", "个"),
    ("至少3次", "≥", "3", "次"),
    ("不超过5天", "≤", "5", "天"),
    ("控制在1950元/套", "≤", "1950", "元/套"),
    ("大于6次/年", ">", "6", "次/年"),
    ("低于2小时", "<", "2", "小时"),
    ("等于5家", "=", "5", "家"),
    ("15个以上", "≥", "15", "个"),
    ("10%以内", "≤", "10", "%"),
    ("90%以上", "≥", "90", "%"),
    ("3次及以上", "≥", "3", "次"),
    ("5天以下", "≤", "5", "天"),
    ("15以上", "≥", "15", None),
])
def test_operator_words(raw, op, number, unit):
    n = parse_text(raw)
    assert n.kind == QUANTITY
    assert n.op == op
    assert n.number == D(number)
    assert (n.unit.symbol if n.unit else None) == unit


@pytest.mark.parametrize("raw,op,number,unit", [
    # an operator already written and a suffix word: the word must not end up in the unit
    ("≥15个以上", "≥", "15", "个"),
    ("≥ 15 个 以上", "≥", "15", "个"),
    ("不低于15个以上", "≥", "15", "个"),
    ("控制在1950元/套以内", "≤", "1950", "元/套"),
])
def test_operator_and_redundant_suffix_word(raw, op, number, unit):
    n = parse_text(raw)
    assert (n.kind, n.op, n.number, n.unit.symbol) == (QUANTITY, op, D(number), unit)
    assert n.unit.dimension != units.OTHER


@pytest.mark.parametrize("raw", ["不低于", "以上", "每人每天"])
def test_operator_words_alone_are_text(raw):
    assert parse_text(raw).kind == TEXT


# --- full-width forms, ASCII operators, thousands separators ---------------------------------

@pytest.mark.parametrize("raw,op,number,unit", [
    ("１５个", None, "15", "个"),
    ("≥１５个", "≥", "15", "个"),
    ("＞６次/年", ">", "6", "次/年"),
    ("＜２小时", "<", "2", "小时"),
    ("＞＝5", "≥", "5", None),
    ("≦5天", "≤", "5", "天"),
    ("≧5天", "≥", "5", "天"),
    ("⩾5个", "≥", "5", "个"),
    (">=5个", "≥", "5", "个"),
    ("<=5", "≤", "5", None),
    ("!=0", "≠", "0", None),
    ("５．５％", None, "5.5", "%"),
    ("≥ 90 ％", "≥", "90", "%"),
    ("≥　１５", "≥", "15", None),  # ideographic space
])
def test_full_width_and_ascii_operators(raw, op, number, unit):
    n = parse_text(raw)
    assert n.kind == QUANTITY
    assert n.op == op
    assert n.number == D(number)
    assert (n.unit.symbol if n.unit else None) == unit


def test_normalize():
    assert normalize("＞＝ ５ 个") == "≥5个"
    assert normalize("≥　１５") == "≥15"
    assert normalize("a\tb\nc") == "abc"
    assert normalize("<=5") == "≤5"
    assert normalize("5 − 3") == "5-3"


@pytest.mark.parametrize("raw,number,unit", [
    ("1,234.5万元", "1234.5", "万元"),
    ("1,234个", "1234", "个"),
    ("1,000,000", "1000000", None),
    ("≥ 1,000元", "1000", "元"),
    ("１，０００元", "1000", "元"),
])
def test_thousands_separators(raw, number, unit):
    n = parse_text(raw)
    assert n.kind == QUANTITY
    assert n.number == D(number)
    assert (n.unit.symbol if n.unit else None) == unit


@pytest.mark.parametrize("raw", ["1,00", "1,0000元"])
def test_bad_thousands_grouping_is_text(raw):
    assert parse_text(raw).kind == TEXT


@pytest.mark.parametrize("raw,number,unit", [
    ("-5", "-5", None),
    ("-0.5%", "-0.5", "%"),
    ("-5万元", "-5", "万元"),
    ("-5个", "-5", "个"),
    ("≥-5", "-5", None),
    ("≥ -5 %", "-5", "%"),
    (".5", "0.5", None),
])
def test_negative_and_bare_decimal_numbers(raw, number, unit):
    n = parse_text(raw)
    assert n.kind == QUANTITY
    assert n.number == D(number)
    assert (n.unit.symbol if n.unit else None) == unit


def test_plain_numbers_and_percent():
    n = parse_text("15.50")
    assert (n.kind, n.number, n.unit, n.unit_written) == (QUANTITY, D("15.50"), None, False)
    assert str(n.number) == "15.50"
    p = parse_text("90%")
    assert (p.kind, p.number, p.unit.symbol, p.unit_written, p.dimension) == (QUANTITY, D(90), "%", True, units.RATIO)
    assert p.measure.value == D("0.90")


def test_scaled_count_unit():
    n = parse_text("3 万人次")
    assert (n.number, n.unit.symbol, n.unit.dimension, n.unit.scale) == (D(3), "万人次", units.COUNT, 10000)


def test_unknown_unit_keeps_its_symbol():
    n = parse_text("5公顷")
    assert n.kind == QUANTITY
    assert n.unit.symbol == "公顷"
    assert n.unit.dimension == units.OTHER


# --- spreadsheet errors, qualitative vocabulary, free text -------------------------------------

@pytest.mark.parametrize("raw", ["#DIV/0!", "#VALUE!", "#REF!", "#N/A", "#div/0!", "#NAME?", "#NUM!", " #REF! "])
def test_sheet_errors(raw):
    n = parse_text(raw)
    assert n.kind == SHEET_ERROR
    assert n.number is None and n.dimension is None


@pytest.mark.parametrize("raw,level", [
    ("未完成", NOT_MET),
    ("不满意", NOT_MET),
    ("不合格", NOT_MET),
    ("未达到要求", NOT_MET),
    ("滞后", NOT_MET),
    ("部分完成", PARTLY),
    ("基本完成", PARTLY),
    ("基本满意", PARTLY),
    ("较好", PARTLY),
    ("完成", MET),
    ("非常满意", MET),
    ("设备正常", MET),
    ("明显提升", MET),
])
def test_qualitative_levels(raw, level):
    n = parse_text(raw)
    assert n.kind == QUALITATIVE
    assert n.level == level


def test_qualitative_level_function():
    assert qualitative_level("未完成") == NOT_MET
    assert qualitative_level("部分达成") == PARTLY
    assert qualitative_level("满意") == MET
    assert qualitative_level("设备交付缓慢") is None
    # a sentence that happens to end in a met word is not a qualitative value
    assert qualitative_level("经过全体人员的共同努力本年度各项工作已全部完成") is None


@pytest.mark.parametrize("raw", [
    "设备交付缓慢，沟通厂家加快交付",
    "设备交付缓慢,工程未进入验收阶段,尾款未到支付节点",
    "abc",
    "αβ",
    "5~10个",
    "95%-100%",
    "≥5个;≤10个",
])
def test_free_text_stays_text(raw):
    n = parse_text(raw)
    assert n.kind == TEXT
    assert n.raw == raw
    assert (n.op, n.number, n.unit, n.level) == (None, None, None, None)
    assert n.dimension is None
    assert n.measure is None


# --- malformed input never raises ------------------------------------------------------------------

@pytest.mark.parametrize("raw,kind", [
    ("", BLANK),
    ("   ", BLANK),
    ("\t\n", BLANK),
    ("　", BLANK),  # ideographic space
    ("≥", MALFORMED),
    ("=", MALFORMED),
    ("≠", MALFORMED),
    ("K≥", MALFORMED),
    ("≥≥5", TEXT),
    ("5..5%", TEXT),
    ("5.", TEXT),
    ("+5", TEXT),
    ("%", TEXT),
    ("万元", TEXT),
    ("\x00\x01", TEXT),
    ("5\x07个", TEXT),
    ("—5%", TEXT),
])
def test_malformed_inputs(raw, kind):
    n = parse_text(raw)
    assert n.kind == kind
    assert n.raw == raw


@pytest.mark.parametrize("raw", [
    "x" * 10000,
    "设备交付缓慢" * 2000,
    "≥" * 5000,
    "1" * 5000,
    "≥" + "9" * 3000 + "个",
    "1,000" * 1000,
    "#DIV/0!" * 100,
    "2024年" * 500,
])
def test_very_long_inputs(raw):
    n = parse_text(raw)
    assert isinstance(n, Notation)
    assert n.raw == raw


def test_long_number_keeps_all_digits():
    n = parse_text("1" * 200)
    assert n.kind == QUANTITY
    assert n.number == D("1" * 200)


def test_random_inputs_never_raise():
    rng = random.Random(20240101)
    alphabet = "0123456789.,-/%#年月日前后≥≤<>=≠＝＞个万元次小时提升未完成 　\t\x00K每人天以上以内!"
    for _ in range(3000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        n = parse_text(raw)
        assert n.kind in (BLANK, NOT_SET, SHEET_ERROR, QUANTITY, MALFORMED, DEADLINE, PERIOD, QUALITATIVE, TEXT)
        if n.kind == QUANTITY:
            assert n.number is not None and n.number.is_finite()
        if n.kind in (DEADLINE, PERIOD):
            assert n.start is not None and n.end is not None and n.start <= n.end


# --- values as read from YAML / JSON / workbooks -----------------------------------------------

def test_parse_value_none_is_blank():
    n = parse_value(None)
    assert (n.kind, n.raw) == (BLANK, "")
    assert parse_value(None, "万元").kind == BLANK


@pytest.mark.parametrize("value,number,raw", [
    (15, "15", "15"),
    (0, "0", "0"),
    (-3, "-3", "-3"),
    (D("17.28"), "17.28", "17.28"),
    (D("157.00"), "157.00", "157.00"),
    (1.5, "1.5", "1.5"),
    (0.1, "0.1", "0.1"),  # repr of the float, not its binary expansion
])
def test_parse_value_numbers_take_default_unit(value, number, raw):
    n = parse_value(value, "万元")
    assert n.kind == QUANTITY
    assert n.number == D(number)
    assert str(n.number) == number
    assert n.raw == raw
    assert n.unit.symbol == "万元" and n.unit.dimension == units.MONEY
    assert n.unit_written is False
    assert n.op is None


def test_parse_value_decimal_keeps_printed_precision():
    m = parse_value(D("17.28"), "万元").measure
    assert m.decimals == 2
    assert m.hi - m.lo == D("0.01") * 10000


def test_parse_value_without_default_unit():
    n = parse_value(3)
    assert (n.kind, n.number, n.unit) == (QUANTITY, D(3), None)


@pytest.mark.parametrize("value", [True, False, D("NaN"), D("Infinity"), float("inf"), float("nan")])
def test_parse_value_non_numbers_are_text(value):
    n = parse_value(value, "万元")
    assert n.kind == TEXT
    assert n.number is None


def test_default_unit_applies_only_when_no_unit_is_written():
    assert parse_text("3", "支").unit.symbol == "支"
    assert parse_text("3", "支").unit_written is False
    assert parse_text("≥3", "支").unit.symbol == "支"
    assert parse_text("≥3", "支").unit_written is False
    written = parse_text("3个", "支")
    assert written.unit.symbol == "个" and written.unit_written is True
    assert parse_text("90", "%").unit is units.PERCENT
    assert parse_text("0.9", "%").number == D("0.9")
    assert parse_text("3", "").unit is None
    assert parse_text("3", None).unit is None


def test_default_unit_unknown_symbol_is_other():
    n = parse_value("5", "foo")
    assert n.unit.symbol == "foo" and n.unit.dimension == units.OTHER


def test_default_unit_does_not_touch_text_or_qualitative():
    assert parse_text("满意", "%").unit is None
    assert parse_text("设备交付缓慢", "个").kind == TEXT


def test_parse_value_string_goes_through_text_parser():
    assert parse_value("≥15个") == parse_text("≥15个")
    assert parse_value("  ") == Notation(BLANK, "  ")


# --- unit written in the indicator name --------------------------------------------------------

def test_unit_in_name_guide_example():
    assert unit_in_name("支持建设国家矿山应急救援队伍（支）") == "支"


@pytest.mark.parametrize("name,unit", [
    ("队伍(支)", "支"),
    ("培训经费（万元）", "万元"),
    ("覆盖率（%）", "%"),
    ("培训人次（人次） ", "人次"),
    ("x（ 个 ）", "个"),
    ("开展培训（次数）", None),   # not a unit
    ("设备（套）已安装", None),   # not at the end
    ("视频监控点位", None),
    ("", None),
    (None, None),
])
def test_unit_in_name(name, unit):
    assert unit_in_name(name) == unit


def test_unit_in_name_feeds_default_unit():
    unit = unit_in_name("支持建设国家矿山应急救援队伍（支）")
    n = parse_text("≥ 3", unit)
    assert (n.op, n.number, n.unit.symbol, n.unit.dimension) == ("≥", D(3), "支", units.COUNT)


def test_notation_measure_property():
    m = parse_text("≥ 17.28万元").measure
    assert m.value == D("172800.00")
    assert (m.lo, m.hi) == (D("172750.000"), D("172850.000"))
    assert parse_text("≥15个").measure.lo == parse_text("≥15个").measure.hi == 15


def test_written_unit_wins_over_default_unit():
    a = parse_text("≥15个")
    assert notation.parse_text("≥15个", "支") == a
    assert a.unit.symbol == "个"
