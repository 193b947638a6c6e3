"""Printed-precision interval arithmetic (GUIDE §2): validator/domain/measure.py."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest

from validator.domain import measure as M
from validator.domain import units
from validator.domain.measure import DimensionError, Measure

D = Decimal
YUAN = units.MONEY_UNITS["元"]
WAN = units.MONEY_UNITS["万元"]
YI = units.MONEY_UNITS["亿元"]
PCT = units.PERCENT
SCORE = units.SCORE_UNIT
GE = units.lookup("个")


def w(text, unit=None, decimals=None):
    return M.written(D(text), unit, decimals)


# --- intervals from printed decimals -------------------------------------------------------------

def test_two_decimals_half_a_cent():
    m = w("17.28")
    assert (m.value, m.lo, m.hi) == (D("17.28"), D("17.275"), D("17.285"))
    assert m.decimals == 2
    assert m.half_width == D("0.005")
    assert m.unit is None and m.dimension is None
    assert not m.exact


def test_written_in_wan_yuan_holds_yuan():
    m = w("17.28", WAN)
    assert m.value == D("172800")
    assert (m.lo, m.hi) == (D("172750"), D("172850"))
    assert m.half_width == D("50")
    assert m.unit is WAN and m.dimension == units.MONEY


def test_whole_money_is_an_interval():
    m = w("157", WAN)
    assert (m.lo, m.hi) == (D("1565000"), D("1575000"))
    assert m.decimals == 0


def test_percent():
    m = w("37.65", PCT)
    assert m.value == D("0.3765")
    assert (m.lo, m.hi) == (D("0.37645"), D("0.37655"))
    assert m.dimension == units.RATIO
    whole = w("100", PCT)
    assert (whole.lo, whole.hi) == (D("0.995"), D("1.005"))


def test_permille():
    m = w("5", units.lookup("‰"))
    assert m.value == D("0.005")


@pytest.mark.parametrize("unit", [SCORE, GE, units.lookup("家"), units.lookup("人次")])
def test_whole_scores_and_counts_are_exact(unit):
    m = w("96", unit)
    assert m.lo == m.hi == m.value == D(96)
    assert m.exact
    assert m.half_width == 0
    assert m.decimals == 0


def test_decimal_scores_and_counts_keep_their_interval():
    m = w("15.0", GE)
    assert (m.lo, m.hi) == (D("14.95"), D("15.05"))
    s = w("8.5", SCORE)
    assert (s.lo, s.hi) == (D("8.45"), D("8.55"))


def test_whole_plain_number_is_an_interval():
    m = w("100")
    assert (m.lo, m.hi) == (D("99.5"), D("100.5"))


def test_explicit_decimals():
    m = w("17.28", decimals=0)
    assert (m.lo, m.hi) == (D("16.78"), D("17.78"))
    assert m.decimals == 0


def test_exponent_notation_counts_as_whole():
    m = w("1E+2")
    assert m.decimals == 0
    assert (m.lo, m.hi) == (D("99.5"), D("100.5"))


def test_exact_and_fraction():
    e = M.exact(D("157"), WAN)
    assert e.lo == e.hi == e.value == D(1570000)
    assert e.decimals is None and e.exact
    f = M.fraction(D("0.7107"))
    assert f.value == f.lo == f.hi == D("0.7107")
    assert f.unit is PCT


def test_bool():
    assert not w("0")
    assert not w("0.00", WAN)
    assert w("0.01")


# --- arithmetic ------------------------------------------------------------------------------------

def test_add_widens():
    s = M.add(w("94", WAN), w("63", WAN))
    assert s.value == D(1570000)
    assert (s.lo, s.hi) == (D(1560000), D(1580000))
    assert s.unit is WAN
    assert s.decimals == 0


def test_add_merges_decimals_to_the_finer():
    s = M.add(w("66.00", WAN), w("45.6", WAN))
    assert s.value == D("1116000")
    assert s.decimals == 2
    assert (s.lo, s.hi) == (D("1116000") - 50 - 500, D("1116000") + 50 + 500)


def test_sub():
    s = M.sub(w("10.0"), w("3.00"))
    assert s.value == D("7.00")
    assert (s.lo, s.hi) == (D("6.945"), D("7.055"))
    assert s.decimals == 2


def test_sub_balance_in_wan_yuan():
    s = M.sub(w("157", WAN), w("111.58", WAN))
    assert M.fmt(s) == "45.42万元"
    assert (s.lo, s.hi) == (D("1565000") - D("1115850"), D("1575000") - D("1115750"))


def test_neg_and_abs():
    n = M.neg(w("1.5"))
    assert (n.value, n.lo, n.hi) == (D("-1.5"), D("-1.55"), D("-1.45"))
    a = M.absolute(n)
    assert (a.value, a.lo, a.hi) == (D("1.5"), D("1.45"), D("1.55"))
    p = w("2")
    assert M.absolute(p) is p


def test_mul_by_plain_number():
    m = M.mul(w("2.5"), w("4", GE))
    assert m.value == D("10.0")
    assert (m.lo, m.hi) == (D("9.80"), D("10.20"))
    assert m.unit is GE
    assert m.decimals is None


def test_mul_score_by_rate():
    m = M.mul(w("10", SCORE), w("71.07", PCT))
    assert m.unit is SCORE
    assert m.value == D("7.1070")
    assert (m.lo, m.hi) == (D("7.10650"), D("7.10750"))


def test_mul_rate_by_plain_number_stays_a_rate():
    m = M.mul(w("71.07", PCT), M.exact(D(2)))
    assert m.unit is PCT
    assert M.fmt(m) == "142.14%"
    m2 = M.mul(M.exact(D(2)), w("71.07", PCT))
    assert m2.unit is PCT


def test_mul_plain_numbers_has_no_unit():
    assert M.mul(M.exact(D(2)), M.exact(D(3))).unit is None


def test_mul_of_two_dimensioned_values_is_an_error():
    with pytest.raises(DimensionError):
        M.mul(w("1", WAN), w("1", WAN))
    with pytest.raises(DimensionError):
        M.mul(w("1", GE), w("1", SCORE))


def test_div_interval_corners():
    q = M.div(w("10"), w("4"))
    assert q.value == D("2.5")
    with localcontext() as ctx:
        ctx.prec = M.PRECISION
        assert q.lo == D("9.5") / D("4.5")
        assert q.hi == D("10.5") / D("3.5")
    assert q.unit is None


def test_div_same_dimension_is_plain():
    q = M.div(w("157", WAN), w("1570000", YUAN))
    assert q.value == 1
    assert q.unit is None


def test_div_by_plain_number_keeps_unit():
    q = M.div(w("157", WAN), M.exact(D(2)))
    assert q.unit is WAN
    assert q.value == D(785000)
    assert (q.lo, q.hi) == (D(782500), D(787500))


def test_div_money_by_count_is_unit_price():
    q = M.div(w("157", WAN), w("5", GE))
    assert q is not None
    assert q.dimension == units.PER_UNIT_MONEY
    assert q.unit.symbol == "万元/个"
    assert q.value == D(314000)  # 元 per 个
    assert M.fmt(q) == "31.40万元/个"
    assert M.compare(q, w("314000", units.lookup("元/个"))) == 0


def test_div_other_dimensions_is_an_error():
    with pytest.raises(DimensionError):
        M.div(w("5", GE), w("1", WAN))
    with pytest.raises(DimensionError):
        M.div(w("5", SCORE), w("1", units.lookup("年")))


@pytest.mark.parametrize("zero", ["0", "0.00"])
def test_division_by_zero_is_none(zero):
    assert M.div(w("1"), w(zero)) is None
    assert M.ratio(w("1", WAN), w(zero, WAN)) is None
    assert M.ratio(w("0", WAN), M.exact(D(0), WAN)) is None


def test_divisor_interval_reaching_zero_is_unbounded():
    q = M.div(w("1"), w("0.004", decimals=2))
    assert q.value == D("250")
    assert q.lo == D("-Infinity") and q.hi == D("Infinity")


def test_small_divisor_stays_bounded():
    q = M.div(w("1"), w("0.004"))
    assert q.lo > 0 and q.hi < D("Infinity")


def test_ratio_is_percent():
    r = M.ratio(w("111.58", WAN), w("157", WAN))
    assert r.unit is PCT
    assert r.dimension == units.RATIO
    assert r.decimals is None
    with localcontext() as ctx:
        ctx.prec = M.PRECISION
        assert r.lo == D("111.575") / D("157.5")
        assert r.hi == D("111.585") / D("156.5")
    assert M.fmt(r) == "71.07%"


def test_ratio_across_money_units():
    r = M.ratio(w("5000", YUAN), w("1", WAN))
    assert r.value == D("0.5")
    assert M.fmt(r) == "50.00%"


def test_ratio_of_counts_and_of_rates():
    assert M.fmt(M.ratio(w("12", GE), w("15", GE))) == "80.00%"
    assert M.ratio(w("45", PCT), w("90", PCT)).value == D("0.5")


def test_ratio_of_different_dimensions_is_an_error():
    with pytest.raises(DimensionError):
        M.ratio(w("1", WAN), w("1", GE))
    with pytest.raises(DimensionError):
        M.ratio(w("1", WAN), M.exact(D(2)))  # a money amount, not a rate


# --- units ---------------------------------------------------------------------------------------------

def test_money_conversion():
    assert M.compare(w("1", YI), w("10000", WAN)) == 0
    assert M.compare(w("1", WAN), w("10000", YUAN)) == 0
    assert M.compare(w("1", YI), w("100000000", YUAN)) == 0
    assert M.in_unit(w("1", YI), WAN) == D(10000)
    assert M.in_unit(w("1", YI), YUAN) == D(100000000)
    assert M.in_unit(w("250", WAN), YI) == D("0.025")
    assert M.compare(w("1.5", YI), w("14999", WAN)) == 1
    assert M.compare(w("9999", YUAN), w("1", WAN)) == -1


def test_add_across_money_units():
    s = M.add(w("1", YI), w("5000", WAN))
    assert s.value == D(150000000)
    assert M.fmt(s, like=w("1", WAN), decimals=0) == "15000万元"


@pytest.mark.parametrize("op", [M.add, M.sub, M.overlaps, M.compare, M.minimum, M.maximum])
def test_dimension_error_money_and_percent(op):
    with pytest.raises(DimensionError) as info:
        op(w("1", YUAN), w("1", PCT))
    assert "money" in str(info.value) and "ratio" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_plain_number_adopts_the_other_unit():
    s = M.add(w("1", WAN), M.exact(D(0)))
    assert s.unit is WAN
    s2 = M.add(M.exact(D(0)), w("1", WAN))
    assert s2.unit is WAN


def test_min_max():
    a, b = w("1", WAN), w("20000", YUAN)
    assert M.minimum(a, b) is a
    assert M.maximum(a, b) is b
    assert M.maximum(w("3"), w("3")).value == 3


# --- overlaps ----------------------------------------------------------------------------------------------

def test_overlaps_at_the_boundary():
    a, b = w("1.00"), w("1.01")
    assert a.hi == b.lo == D("1.005")
    assert M.overlaps(a, b)
    assert M.overlaps(b, a)


def test_not_overlapping_just_past_the_boundary():
    assert not M.overlaps(w("1.00"), w("1.02"))
    assert not M.overlaps(w("1.000"), w("1.011"))


def test_overlaps_exact_values():
    assert M.overlaps(M.exact(D(5)), M.exact(D(5)))
    assert not M.overlaps(M.exact(D(5)), M.exact(D("5.0001")))
    assert M.overlaps(w("96", SCORE), w("96", SCORE))
    assert not M.overlaps(w("96", SCORE), w("93", SCORE))  # whole scores: no rounding excuse


def test_overlaps_printed_rate_and_computed_ratio():
    r = M.ratio(w("111.58", WAN), w("157", WAN))
    assert M.overlaps(w("71.07", PCT), r)
    assert M.overlaps(w("71", PCT), r)
    assert not M.overlaps(w("70", PCT), r)
    assert not M.overlaps(w("72", PCT), r)


def test_overlaps_sum_of_printed_amounts():
    total = M.add(M.add(w("33.34", WAN), w("33.33", WAN)), w("33.33", WAN))
    assert M.overlaps(w("100.01", WAN), total)
    assert M.overlaps(w("100.00", WAN), total)
    assert not M.overlaps(w("100.03", WAN), total)
    # digit transposition 5283.17 for 5238.17 is far outside
    assert not M.overlaps(w("5283.17", WAN), M.add(w("5000.00", WAN), w("238.17", WAN)))


def test_overlaps_converts_units():
    assert M.overlaps(w("1", YI), w("10000", WAN))
    assert M.overlaps(w("1.57", WAN), w("15700", YUAN))


# --- rounding and formatting -------------------------------------------------------------------------

def test_round_to_half_up():
    r = M.round_to(w("2.345"), 2)
    assert r.value == D("2.35")
    assert r.decimals == 2
    assert (r.lo, r.hi) == (D("2.345"), D("2.355"))
    assert M.round_to(w("2.5"), 0).value == 3
    assert M.round_to(w("-2.5"), 0).value == -3


def test_round_to_in_the_values_unit():
    r = M.round_to(M.ratio(w("111.58", WAN), w("157", WAN)), 2)
    assert r.value == D("0.7107")
    assert r.unit is PCT
    assert M.fmt(r) == "71.07%"
    m = M.round_to(w("111.58", WAN), 1)
    assert m.value == D("1116000")
    assert M.fmt(m) == "111.6万元"


@pytest.mark.parametrize("m,text", [
    (M.written(D("157"), WAN), "157万元"),
    (M.written(D("5238.17"), WAN), "5238.17万元"),
    (M.written(D("96"), SCORE), "96"),
    (M.written(D("37.65"), PCT), "37.65%"),
    (M.exact(D("157"), WAN), "157.00万元"),
    (M.fraction(D("0.7107")), "71.07%"),
    (M.exact(D("12")), "12.00"),
    (M.written(D("15"), GE), "15个"),
])
def test_fmt(m, text):
    assert M.fmt(m) == text


def test_fmt_ratio_example():
    assert M.fmt(M.ratio(w("111.58", WAN), w("157", WAN))) == "71.07%"
    assert M.fmt(M.ratio(w("111.58", WAN), w("157", WAN)), decimals=4) == "71.0701%"


def test_fmt_in_another_unit():
    assert M.fmt(w("1", YI), like=w("1", WAN)) == "10000万元"
    assert M.fmt(w("15700", YUAN), like=w("1", WAN), decimals=2) == "1.57万元"
    # `like` of another dimension is ignored
    assert M.fmt(w("1", YI), like=w("1", PCT)) == "1亿元"


def test_fmt_half_up():
    assert M.fmt(M.exact(D("0.125"))) == "0.13"
    assert M.fmt(M.fraction(D("0.71065"))) == "71.07%"


def test_fmt_unbounded_value_does_not_raise():
    assert M.fmt(M.Measure(D("Infinity"), D("-Infinity"), D("Infinity"))) == "Infinity"


@pytest.mark.parametrize("half,unit,text", [
    (D("0.000091"), PCT, "±0.0091%"),
    (D("150"), WAN, "±0.015万元"),
    (D("0.005"), None, "±0.005"),
    (D("0"), SCORE, "±0"),
    (D("0.5"), SCORE, "±0.5"),
    (D("12345"), YUAN, "±12300元"),
    (D("0.0023452482377"), PCT, "±0.235%"),
])
def test_fmt_margin(half, unit, text):
    assert M.fmt_margin(half, unit) == text


def test_fmt_margin_of_a_ratio_check():
    r = M.ratio(w("111.58", WAN), w("157", WAN))
    printed = w("71.07", PCT)
    assert M.fmt_margin(r.half_width + printed.half_width, PCT) == "±0.235%"
    assert M.fmt_margin(r.half_width, PCT) == "±0.23%"  # trailing zero dropped


def test_display_unit():
    a = M.exact(D(1), YI)
    assert M.display_unit(a) is YI
    assert M.display_unit(a, w("1", WAN)) is WAN
    assert M.display_unit(a, w("1", PCT)) is YI
    assert M.display_unit(a, M.exact(D(1))) is YI


def test_measure_is_frozen():
    m = w("1")
    with pytest.raises(Exception):
        m.value = D(2)  # type: ignore[misc]
    assert isinstance(m, Measure)


def _fold_add(ms):
    out = ms[0]
    for m in ms[1:]:
        out = M.add(out, m)
    return out


@pytest.mark.parametrize("seed", range(5))
def test_total_is_add_from_the_left(seed):
    import random

    rnd = random.Random(seed)
    pool = [None, units.lookup("万元"), units.lookup("元"), units.lookup("%"), units.lookup("分"), units.lookup("个")]
    for _ in range(400):
        ms = []
        for _ in range(rnd.randint(1, 8)):
            digits = rnd.choice(["1", "12.5", "0.001", "98765432109876543210.123456789", "3.14159", "-7.25", "100"])
            kind = rnd.random()
            if kind < 0.6:
                ms.append(M.written(Decimal(digits), rnd.choice(pool)))
            elif kind < 0.8:
                ms.append(M.exact(Decimal(digits), rnd.choice(pool)))
            else:
                ms.append(M.written(Decimal(digits), rnd.choice(pool), decimals=rnd.randint(0, 4)))
        try:
            expected = _fold_add(ms)
        except DimensionError as exc:
            with pytest.raises(DimensionError, match=str(exc)):
                M.total(ms)
            continue
        got = M.total(ms)
        assert (got.value, got.lo, got.hi, got.unit, got.decimals) == (expected.value, expected.lo, expected.hi, expected.unit, expected.decimals)
        assert [str(x) for x in (got.value, got.lo, got.hi)] == [str(x) for x in (expected.value, expected.lo, expected.hi)]
