"""Parse the value notation of targets and actuals (GUIDE §3) into `Notation`.

`≥15个` → quantity (op ≥, 15, 个: count); `=元/项` → malformed (no number);
`2024年12月30日前` → deadline; `提升` → qualitative (met); `/` → not set;
`#DIV/0!` → sheet error; anything else stays text, and rules can see that."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from validator.domain import measure
from validator.domain import units
from validator.domain.measure import Measure
from validator.domain.units import Unit

BLANK = "blank"
NOT_SET = "not_set"
SHEET_ERROR = "error"
QUANTITY = "quantity"
MALFORMED = "malformed"
DEADLINE = "deadline"
PERIOD = "period"
QUALITATIVE = "qualitative"
TEXT = "text"
# A number too long or too large to compute with (limits.digits / limits.exponent). The
# parser never returns it: model.build marks such cells, and the engine reports them
# once (SC003) instead of computing with them.
OUT_OF_RANGE = "out_of_range"

MET, PARTLY, NOT_MET = "met", "partly", "not_met"


@dataclass(frozen=True, slots=True)
class Notation:
    """A cell as written, read: its kind (a quantity, text, a deadline …), operator, number and unit."""
    kind: str
    raw: str
    op: str | None = None
    number: Decimal | None = None
    unit: Unit | None = None
    unit_written: bool = False
    variable: str | None = None
    level: str | None = None  # qualitative: met / partly / not_met
    start: date | None = None
    end: date | None = None
    # The measure and the text rules compare, each worked out on first use: the parser's
    # memos hand out the same Notation for the same cell, and rules ask for both often.
    _measure: Measure | None = field(default=None, init=False, repr=False, compare=False)
    _text: str | None = field(default=None, init=False, repr=False, compare=False)
    # The limits (validator.limits.Limits) the number was last found within: a memoised
    # Notation is checked once per limits in force, not once per cell that shares it.
    _within: object = field(default=None, init=False, repr=False, compare=False)

    @property
    def measure(self) -> Measure | None:
        m = self._measure
        if m is None and self.number is not None:
            m = measure.written(self.number, self.unit)
            object.__setattr__(self, "_measure", m)
        return m

    @property
    def dimension(self) -> str | None:
        if self.kind == QUANTITY:
            return self.unit.dimension if self.unit is not None else None
        if self.kind in (DEADLINE, PERIOD):
            return units.DATE
        if self.kind == QUALITATIVE:
            return "qualitative"
        return None

    @property
    def text(self) -> str | None:
        """The cell's text as rules compare it (normalize), None for a blank cell."""
        t = self._text
        if t is None and self.kind != BLANK:
            t = normalize(self.raw)
            object.__setattr__(self, "_text", t)
        return t

    def __str__(self) -> str:
        return self.raw


# --- normalization -------------------------------------------------------------------

_OP_SYMBOLS = {"−": "-", ">=": "≥", "<=": "≤", "==": "=", "!=": "≠", "≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤"}
_OP_WORDS = [
    (re.compile(r"^(不低于|不少于|不小于|大于等于|大于或等于|至少|高于或等于)"), "≥"),
    (re.compile(r"^(不高于|不超过|不大于|不多于|小于等于|小于或等于|控制在)"), "≤"),
    (re.compile(r"^(大于|高于|超过|多于)"), ">"),
    (re.compile(r"^(小于|低于|少于)"), "<"),
    (re.compile(r"^(等于)"), "="),
]
_SUFFIX_WORDS = [
    (re.compile(r"(及以上|以上|或以上|之上)$"), "≥"),
    (re.compile(r"(以内|以下|之内|或以下)$"), "≤"),
]
_PER_SUBJECT = re.compile(r"^每(人|户|套|项|个|家|次|台|亩|名|所|座|辆|处|批)(?:每(天|日|月|年|次))?")
_SPACES = re.compile(r"\s+")
# A plain number; also in Excel's scientific form (1E+999999), which is how a workbook
# reader shows a number too large to print in full: it reads as that number, so the cell
# is reported out of range (SC003). At most nine exponent digits: Decimal holds those.
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?(E[+-]\d{1,9})?$")
_PLAIN_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?)%$")
_NAME_UNIT = re.compile(r"[（(]([^（）()]{1,6})[）)]\s*$")


def normalize(text: str) -> str:
    """Fold the forms people type into one: full-width → half-width, no spaces,
    operator words → operator symbols."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub("", text)
    for word, symbol in _OP_SYMBOLS.items():
        text = text.replace(word, symbol)
    return text


def _move_words(text: str) -> tuple[str, str | None]:
    """Turn leading/trailing Chinese comparison words into an operator; return the
    per-unit subject (每人每天 → 人/天) separately."""
    per = None
    m = _PER_SUBJECT.match(text)
    if m:
        per = "/".join(x for x in m.groups() if x)
        text = text[m.end():]
    if text and text[0] not in "≥≤<>=≠":
        for pattern, symbol in _OP_WORDS:
            m = pattern.match(text)
            if m and text[m.end():m.end() + 1].isdigit():
                text = symbol + text[m.end():]
                break
    for pattern, symbol in _SUFFIX_WORDS:
        m = pattern.search(text)
        if m and text[: m.start()][-1:].strip():
            # An operator already written (≥15个以上, 控制在…以内) wins; the word only goes.
            body = text[: m.start()]
            text = body if body[:1] in "≥≤<>=≠" else symbol + body
            break
    return text, per


# --- qualitative vocabulary ------------------------------------------------------------

_NOT_MET_WORDS = (
    "未达成 未完成 未达到 未实现 未验收 未开展 未启动 未建成 未落实 不合格 不满意 不达标 不及时 无进展 "
    "滞后 延期 未到位 没有完成 否 差"
).split()
_PARTLY_WORDS = "部分达成 基本达成 部分完成 基本完成 部分实现 基本实现 基本满意 基本合格 基本达标 较好 一般 部分".split()
_MET_WORDS = (
    "达成 达到 已完成 完成 全部完成 按时完成 按期完成 合格 满意 非常满意 较满意 及时 保障 有效 明显有效 显著 "
    "显著提升 正常运行 正常 达标 良好 优秀 优 是 符合 符合要求 满足 满足要求 规范 提高 提升 大幅提升 明显提升 "
    "有所提升 有所提高 逐步提高 持续提升 稳步提升 好转 改善 明显改善 增强 降低 减少 下降 稳定 持续 长期 "
    "达到指南要求 达到预期 达到预期目标 实现 已实现 到位 全覆盖 健全 完善 建立 建成 已建成 落实 覆盖 可控 安全 平稳"
).split()
_QUALITATIVE = {w: NOT_MET for w in _NOT_MET_WORDS}
_QUALITATIVE.update({w: PARTLY for w in _PARTLY_WORDS})
_QUALITATIVE.update({w: MET for w in _MET_WORDS if w not in _QUALITATIVE})
# Words short enough to be sentences' fragments only count when they are the whole cell.
_MAX_QUALITATIVE_LEN = 12


def qualitative_level(text: str) -> str | None:
    if text in _QUALITATIVE:
        return _QUALITATIVE[text]
    if len(text) > _MAX_QUALITATIVE_LEN:
        return None
    if re.search(r"未(完成|达|实现|验收|建成|开展|到位)|不(合格|满意|达标)", text):
        return NOT_MET
    if re.search(r"^(部分|基本)", text):
        return PARTLY
    if re.search(r"(提升|提高|改善|增强|好转|有效|满意|合格|达标|完成|达到|保障|正常|规范|及时|健全|完善|建成|落实|覆盖)$", text):
        return MET
    return None


# --- parsing ---------------------------------------------------------------------------

_parser = None


def _get_parser():
    global _parser
    if _parser is None:
        from lark import Lark

        from validator.resources import grammar_path

        _parser = Lark(
            grammar_path("value.lark").read_text(encoding="utf-8"),
            parser="lalr",
            lexer="contextual",
            maybe_placeholders=True,
            cache=_grammar_cache(),
        )
    return _parser


def _grammar_cache() -> str | bool:
    """Where Lark keeps the built value parser between processes (False: build it each
    time). Lark checks the file against a hash of the grammar, its options and its own
    version, and builds again (and rewrites it) on any mismatch or damage: building the
    LALR tables costs a workbook check ~20 ms on its first cell that needs the grammar."""
    from validator import cachefolder

    folder = cachefolder.folder()
    if folder is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return str(folder / "grammar-value.lark")


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _date_bounds(token: str) -> tuple[date, date] | None:
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", token)
    if m:
        try:
            d = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return d, d
    m = re.fullmatch(r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日|(底|末)|(上旬|中旬|下旬))?|(度|底|末))?", token)
    if not m:
        return None
    year = int(m[1])
    try:
        if m[2] is None:
            if m[6] in ("底", "末"):
                return date(year, 12, 1), date(year, 12, 31)
            return date(year, 1, 1), date(year, 12, 31)
        month = int(m[2])
        last = _month_end(year, month)
        if m[3]:
            d = date(year, month, int(m[3]))
            return d, d
        if m[4]:
            return last, last
        if m[5]:
            ranges = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, last.day)}
            a, b = ranges[m[5]]
            return date(year, month, a), date(year, month, b)
        return date(year, month, 1), last
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1).fromordinal(date(year, month + 1, 1).toordinal() - 1)


def _from_tree(tree, raw: str, per: str | None, default_unit: str | None) -> Notation:
    kind = tree.data
    if kind == "not_set":
        return Notation(NOT_SET, raw)
    if kind == "sheet_error":
        return Notation(SHEET_ERROR, raw)
    if kind in ("quantity", "malformed"):
        if kind == "quantity":
            variable, op, number, unit_text = (str(c) if c is not None else None for c in tree.children)
        else:
            variable, op, unit_text = (str(c) if c is not None else None for c in tree.children)
            number = None
        written_unit = unit_text is not None
        if per and unit_text:
            unit_text = f"{unit_text}/{per}"
        unit = units.lookup(unit_text or default_unit)
        if kind == "malformed":
            return Notation(MALFORMED, raw, op=op, unit=unit, unit_written=written_unit, variable=variable)
        value = _decimal(number)
        if value is None:
            return Notation(TEXT, raw)
        return Notation(QUANTITY, raw, op=op, number=value, unit=unit, unit_written=written_unit, variable=variable)
    if kind == "deadline":
        op, token, bound = (str(c) if c is not None else None for c in tree.children)
        bounds = _date_bounds(token)
        if bounds is None:
            return Notation(TEXT, raw)
        if bound is not None:
            op = "≥" if "后" in bound else "≤"
        return Notation(DEADLINE if op else PERIOD, raw, op=op, start=bounds[0], end=bounds[1])
    if kind == "period":
        m = re.match(r"(\d{4})年(\d{1,2})月?[-~至到](\d{1,2})月", str(tree.children[0]))
        if m:
            year, a, b = int(m[1]), int(m[2]), int(m[3])
            try:
                return Notation(PERIOD, raw, start=date(year, a, 1), end=_month_end(year, b))
            except ValueError:
                pass
        return Notation(TEXT, raw)
    return Notation(TEXT, raw)


# The grammar's `quantity` rule for the common case (≥15个, K≥1.25, =1950元/套) as one
# regular expression, so most cells never reach the parser. Anything it does not match
# exactly, including four-digit numbers before 年 (dates), goes to the grammar;
# tests/test_notation_fastpath.py holds both to the same answers.
_QUICK_QUANTITY = re.compile(
    r"(?P<var>[A-Za-z][A-Za-z0-9_]*)?(?P<op>[≥≤><=≠])?"
    r"(?P<num>-?\d+(?:,\d{3})*(?:\.\d+)?|-?\.\d+)(?P<unit>[%‰]|[^\x00-\x7f\d%‰][^\d]*)?"
)


_MAX_VALUE_LEN = 40
# Every rule of the grammar begins with a letter (K≥1.25), an operator, a digit, a dash,
# a slash or '#': a cell beginning with a Chinese character is a word or a sentence.
_GRAMMAR_START = re.compile(r"[A-Za-z≥≤<>=≠\d\-.\/—–―#]")
_GRAMMAR_NEEDS = re.compile(r"[\d≥≤<>=≠/\-—–―#]")


def _parse_with_grammar(text: str):
    from lark.exceptions import LarkError

    try:
        return _get_parser().parse(text)
    except LarkError:
        return None


class _QuickTree:
    __slots__ = ("data", "children")

    def __init__(self, children, data="quantity"):
        self.data = data
        self.children = children


# Also as regular expressions: the other forms that fill most tables — `/`, `#DIV/0!`,
# a full date with an optional bound (2024年12月30日前), and a template's placeholder with
# no number (`=套`, `≥%`: GUIDE §1h), which a batch of many tables meets again and again.
_QUICK_NOT_SET = re.compile(r"[/\-—–―]+")
_QUICK_ERROR = re.compile(r"#(DIV/0!|VALUE!|REF!|N/A|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)", re.I)
_QUICK_PLACEHOLDER = re.compile(r"(?P<op>[≥≤><=≠])(?P<unit>[%‰]|[^\x00-\x7f\d%‰][^\d]*)?")
_QUICK_DATE = re.compile(r"(?P<op>[≥≤><=≠])?(?P<date>\d{4}年\d{1,2}月\d{1,2}日)(?P<bound>前|之前|以前|内|之内|以内|为止|止|后|之后|以后)?")


def _quick_other(text: str):
    if _QUICK_NOT_SET.fullmatch(text):
        return _QuickTree([text], "not_set")
    if _QUICK_ERROR.fullmatch(text):
        return _QuickTree([text], "sheet_error")
    m = _QUICK_DATE.fullmatch(text)
    if m:
        return _QuickTree([m["op"], m["date"], m["bound"]], "deadline")
    m = _QUICK_PLACEHOLDER.fullmatch(text)
    if m:
        return _QuickTree([None, m["op"], m["unit"]], "malformed")
    return None


def _quick_quantity(text: str):
    m = _QUICK_QUANTITY.fullmatch(text)
    if m is None:
        return None
    num, unit = m["num"], m["unit"]
    if unit and unit.startswith("年") and re.fullmatch(r"-?\d{4}", num):
        return None
    if m["var"] and not m["op"]:
        return None  # `K1.25`: leave the oddities to the grammar
    return _QuickTree([m["var"], m["op"], num, unit])


# Cells repeat within a table and across a bureau's tables (0%, 100, 满意); a bounded
# memo keeps a batch of many thousands of files at a flat memory size.
@lru_cache(maxsize=1024)
def parse_text(raw: str, default_unit: str | None = None) -> Notation:
    """Parse one written value. `default_unit` is the unit a bare number takes when the
    unit is written elsewhere (a 度量单位 column, `（支）` in the indicator name)."""
    text = normalize(raw)
    if not text:
        return Notation(BLANK, raw)
    if _PLAIN_NUMBER.match(text):
        return Notation(QUANTITY, raw, number=Decimal(text), unit=units.lookup(default_unit))
    m = _PLAIN_PERCENT.match(text)
    if m:
        return Notation(QUANTITY, raw, number=Decimal(m[1]), unit=units.PERCENT, unit_written=True)
    moved, per = _move_words(text)
    tree = _quick_quantity(moved) or _quick_other(moved)
    # Without a digit, operator, dash or '#' no rule of the grammar can match, so words
    # (提升, 满意, a sentence) skip the parser entirely.
    # A value is short; a long cell is an explanation, whatever digits it holds.
    if tree is None and len(moved) <= _MAX_VALUE_LEN and _GRAMMAR_START.match(moved) and _GRAMMAR_NEEDS.search(moved):
        tree = _parse_with_grammar(moved)
    if tree is not None:
        return _from_tree(tree, raw, per, default_unit)
    level = qualitative_level(text)
    if level is not None:
        return Notation(QUALITATIVE, raw, level=level)
    return Notation(TEXT, raw)


_BLANK_CELL = Notation(BLANK, "")


# Numbers that repeat (scores, weights, round amounts) are few: 256 keep the hits while
# batch memory stays flat (each entry keeps its measure once a rule asked for it).
@lru_cache(maxsize=256)
def _number(text: str, default_unit: str | None) -> Notation:
    # Decimal(text) has the digits and exponent of the number `text` was printed from.
    return Notation(QUANTITY, text, number=Decimal(text), unit=units.lookup(default_unit))


def parse_value(value, default_unit: str | None = None) -> Notation:
    """A cell as read (None, a number, or text) → Notation."""
    if value is None:
        return _BLANK_CELL
    kind = type(value)
    if kind is str:
        return parse_text(value, default_unit)
    # The common cells, remembered by their printed form (a Notation is immutable):
    # whole numbers below 10¹⁸ and decimals of up to 40 characters.
    if kind is int and -10**18 < value < 10**18:
        return _number(str(value), default_unit)
    if kind is Decimal and value.is_finite():
        text = str(value)
        if len(text) <= 40:
            return _number(text, default_unit)
    if isinstance(value, bool):
        return Notation(TEXT, str(value))
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
        if not number.is_finite():
            return Notation(TEXT, str(value))
        # str(number), not str(value): an int of more than 4,300 digits has no str()
        return Notation(QUANTITY, str(number), number=number, unit=units.lookup(default_unit))
    if isinstance(value, float):
        return parse_value(Decimal(repr(value)), default_unit)
    return parse_text(str(value), default_unit)


def unit_in_name(name: str | None) -> str | None:
    """The unit an indicator name carries: 支持建设国家矿山应急救援队伍（支） → 支."""
    if not name:
        return None
    m = _NAME_UNIT.search(unicodedata.normalize("NFKC", name))
    if not m:
        return None
    candidate = m[1].strip()
    unit = units.lookup(candidate)
    return candidate if unit is not None and unit.dimension != units.OTHER else None


_TRAILING_NOTE = re.compile(r"[(（][^()（）]*[)）]\s*$")


def _without_note(n: Notation) -> Notation:
    """`k≥1.25（k为采用毕肖普法正常工况下的安全系数）` is the target k≥1.25 with a note."""
    if n.kind in (TEXT, QUALITATIVE) and _TRAILING_NOTE.search(n.raw):
        stripped = _TRAILING_NOTE.sub("", n.raw).strip()
        if stripped and stripped != n.raw:
            return parse_text(stripped, n.unit.symbol if n.unit is not None else None)
    return n


def same_value(a: Notation, b: Notation) -> bool | None:
    """Whether two written values state the same thing: the same number in the same unit
    (an operator written on one side only does not count as a change), the same date or
    period, or the same words once spacing, full-width forms, case and a trailing note in
    brackets are set aside. None when either is blank or not set."""
    a, b = _without_note(a), _without_note(b)
    if a.kind in (BLANK, NOT_SET) or b.kind in (BLANK, NOT_SET):
        return None
    if a.kind != b.kind:
        return False
    if a.kind == QUANTITY:
        if a.op and b.op and a.op != b.op:
            return False
        try:
            ma, mb = a.measure, b.measure
            if a.unit is None and b.unit is not None:
                ma = measure.written(a.number, b.unit)
            elif b.unit is None and a.unit is not None:
                mb = measure.written(b.number, a.unit)
            return measure.compare(ma, mb) == 0 and (ma.value == mb.value)
        except measure.DimensionError:
            return False
    if a.kind in (DEADLINE, PERIOD):
        return (a.op or None) == (b.op or None) and a.start == b.start and a.end == b.end
    return normalize(a.raw).casefold() == normalize(b.raw).casefold()
