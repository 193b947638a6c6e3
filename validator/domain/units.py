"""Units of the value notation and their dimensions (GUIDE §3).

A unit has a dimension (what it measures) and a scale to the dimension's base unit, so
that 元/万元/亿元 compare after conversion and 个 never compares with 万元."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as written (万元, %, 个): its dimension and its scale to the dimension's base unit."""
    symbol: str
    dimension: str
    scale: Decimal = Decimal(1)

    def __str__(self) -> str:
        return self.symbol


# Dimensions. "count" units are interchangeable for comparison only with the same symbol
# family: 5家 vs 5个 is still a count, which is what a reviewer would accept.
COUNT = "count"
RATIO = "ratio"
MONEY = "money"
DURATION = "duration"
FREQUENCY = "frequency"
DATE = "date"
PER_UNIT_MONEY = "per_unit_money"
GRADE = "grade"
MASS = "mass"
ENERGY = "energy"
RETURN_PERIOD = "return_period"
SCORE = "score"
OTHER = "other"

DIMENSION_NAMES = {
    COUNT: ("数量", "count"),
    RATIO: ("比率", "ratio"),
    MONEY: ("金额", "money"),
    DURATION: ("时长", "duration"),
    FREQUENCY: ("频次", "frequency"),
    DATE: ("日期/期间", "date or period"),
    PER_UNIT_MONEY: ("单位金额", "money per unit"),
    GRADE: ("等级", "grade"),
    MASS: ("重量", "mass"),
    ENERGY: ("电量", "energy"),
    RETURN_PERIOD: ("重现期", "return period"),
    SCORE: ("分值", "score"),
    OTHER: ("其他单位", "other unit"),
}

_COUNT_SYMBOLS = (
    "个 家 台 套 台(套) 台（套） 支 次 人 人次 户 座 辆 批次 批 份 项 处 所 名 件 本 篇 场 期 条 间 栋 "
    "张 块 部 队 家次 个次 万人 万人次 户次 宗 起 单 处次"
).split()

_UNITS: dict[str, Unit] = {}


def _add(symbol: str, dimension: str, scale: str | int = 1) -> None:
    _UNITS[symbol] = Unit(symbol, dimension, Decimal(scale))


for _s in _COUNT_SYMBOLS:
    _add(_s, COUNT)
# Areas and lengths are not counts, but a reviewer compares them only with themselves;
# giving them their own dimension keeps 5公里 from matching 5个.
for _s, _d in (("亩", "area"), ("平方米", "area"), ("公里", "length"), ("千米", "length"), ("米", "length"), ("km", "length")):
    _add(_s, _d)
_add("万人", COUNT, 10000)
_add("万人次", COUNT, 10000)
_add("%", RATIO, "0.01")
_add("％", RATIO, "0.01")
_add("百分比", RATIO, "0.01")
_add("‰", RATIO, "0.001")
_add("元", MONEY)
_add("万元", MONEY, 10000)
_add("亿元", MONEY, 100000000)
_add("千元", MONEY, 1000)
_add("吨", MASS)
_add("万吨", MASS, 10000)
_add("度", ENERGY)
_add("千瓦时", ENERGY)
_add("万千瓦时", ENERGY, 10000)
# Durations in days; a year is 365 days for comparison (≤ 1 年 vs 10 月).
_add("年", DURATION, 365)
_add("个月", DURATION, 30)
_add("月", DURATION, 30)
_add("周", DURATION, 7)
_add("天", DURATION)
_add("日", DURATION)
_add("工作日", DURATION)
_add("小时", DURATION, "0.041666666666666666666666667")
_add("h", DURATION, "0.041666666666666666666666667")
_add("分钟", DURATION, "0.00069444444444444444444444444")
_add("年一遇", RETURN_PERIOD)
for _s, _scale in (("次/年", 1), ("次/季度", 4), ("次/季", 4), ("次/月", 12), ("次/周", 52), ("次/天", 365), ("次/日", 365)):
    _add(_s, FREQUENCY, _scale)
for _level, _name in enumerate(("一级", "二级", "三级", "四级", "五级"), start=1):
    _add(_name, GRADE, _level)
_add("分", SCORE)


_PER_TIME = {"天": Decimal(30), "日": Decimal(30), "周": Decimal(30) / Decimal(7), "月": Decimal(1), "年": Decimal(30) / Decimal(365)}


def lookup(symbol: str | None) -> Unit | None:
    """The unit a written symbol stands for; per-unit money (元/人/天) is recognized by
    shape; an unknown symbol gets dimension OTHER so it compares only with itself."""
    if not symbol:
        return None
    symbol = symbol.strip()
    unit = _UNITS.get(symbol)
    if unit is not None:
        return unit
    head, sep, rest = symbol.partition("/")
    if sep and head in ("元", "万元", "亿元", "千元"):
        # Amounts per month are the base, so that 600元/人/月 and 20元/人/天 are the same
        # standard exactly (a 30-day month); per week and per year are rarely written.
        per_time = _PER_TIME.get(rest.rsplit("/", 1)[-1], Decimal(1))
        return Unit(symbol, PER_UNIT_MONEY, _UNITS[head].scale * per_time)
    if sep and head == "次":
        return Unit(symbol, FREQUENCY)
    return Unit(symbol, OTHER)


def dimension_name(dimension: str | None, lang: str = "zh") -> str:
    if dimension is None:
        return "无单位" if lang == "zh" else "no unit"
    zh, en = DIMENSION_NAMES.get(dimension, (dimension, dimension))
    return zh if lang == "zh" else en


MONEY_UNITS = {"元": _UNITS["元"], "万元": _UNITS["万元"], "亿元": _UNITS["亿元"]}
PERCENT = _UNITS["%"]
SCORE_UNIT = _UNITS["分"]
