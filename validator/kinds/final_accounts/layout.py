"""What the ten tables of a 部门决算公开 set look like (GUIDE §1f): their titles, the columns
each prints, and the national subject names the summary tables write without a code.

A table is known by its title first: provinces number the set differently (公开07表 is the
三公 table in some, 政府性基金 in others), so the printed 公开NN表 mark is kept as written and
only decides the table when no title is found. Tables are keyed t01…t10 by the GUIDE's
numbering."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SUMMARY, CODES, ECONOMIC, THREE_PUBLIC, INFO = "summary", "codes", "economic", "three_public", "info"


@dataclass(frozen=True)
class Spec:
    number: str  # "01" … "10", the GUIDE's numbering
    title: str
    title_en: str
    layout: str
    titles: tuple[str, ...]  # every title it is published under, normalized (see fold)
    # Code tables: (key, zh, en, patterns) of the amount columns, in printed order; the
    # first is the row's 合计 when `total_of` names the columns it adds up.
    columns: tuple[tuple[str, str, str, str], ...] = ()
    total_of: tuple[str, ...] = ()


def fold(text: str | None) -> str:
    """A label as compared: full-width folded, no spaces, no quotation marks."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"[\s\"'“”‘’「」『』]", "", text)


_INCOME_COLUMNS = (
    ("total", "本年收入合计", "total income", r"^(本年收入)?合计$|^本年收入$"),
    ("fiscal", "财政拨款收入", "appropriations", r"财政拨款"),
    ("superior", "上级补助收入", "grants from above", r"上级补助"),
    ("business", "事业收入", "service income", r"^事业收入"),
    ("operating", "经营收入", "operating income", r"^经营收入"),
    ("affiliated", "附属单位上缴收入", "remittances of affiliates", r"附属单位上缴"),
    ("other", "其他收入", "other income", r"^其他收入"),
)
_SPENDING_COLUMNS = (
    ("total", "本年支出合计", "total spending", r"^(本年支出)?(合计|小计)$|^本年支出$"),
    ("basic", "基本支出", "basic spending", r"基本支出"),
    ("project", "项目支出", "project spending", r"项目支出"),
    ("remit", "上缴上级支出", "remittances upward", r"上缴上级"),
    ("operating", "经营支出", "operating spending", r"^经营支出"),
    ("subsidy", "对附属单位补助支出", "grants to affiliates", r"对附属单位补助"),
)
_BUDGET_SPENDING = _SPENDING_COLUMNS[:3]
_FUND_COLUMNS = (
    ("begin", "年初结转和结余", "opening balance", r"年初结转"),
    ("income", "本年收入", "income of the year", r"^本年收入"),
    *_BUDGET_SPENDING,
    ("end", "年末结转和结余", "closing balance", r"年末结转"),
)

SPECS: dict[str, Spec] = {s.number: s for s in (
    Spec("01", "收入支出决算总表", "income and spending summary", SUMMARY, ("收入支出决算总表",)),
    Spec("02", "收入决算表", "income", CODES, ("收入决算表",), _INCOME_COLUMNS,
         tuple(k for k, *_ in _INCOME_COLUMNS[1:])),
    Spec("03", "支出决算表", "spending", CODES, ("支出决算表",), _SPENDING_COLUMNS,
         tuple(k for k, *_ in _SPENDING_COLUMNS[1:])),
    Spec("04", "财政拨款收入支出决算总表", "appropriations summary", SUMMARY, ("财政拨款收入支出决算总表",)),
    Spec("05", "一般公共预算财政拨款支出决算表", "general budget spending", CODES,
         ("一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算明细表"), _BUDGET_SPENDING, ("basic", "project")),
    Spec("06", "一般公共预算财政拨款基本支出决算明细表", "general budget basic spending by economic code", ECONOMIC,
         ("一般公共预算财政拨款基本支出决算明细表", "一般公共预算财政拨款基本支出决算表")),
    Spec("07", "政府性基金预算财政拨款收入支出决算表", "government fund budget", CODES,
         ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表"), _FUND_COLUMNS, ("basic", "project")),
    Spec("08", "国有资本经营预算财政拨款支出决算表", "state capital budget", CODES,
         ("国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款收入支出决算表"), _FUND_COLUMNS, ("basic", "project")),
    Spec("09", "财政拨款“三公”经费支出决算表", "three public expenses", THREE_PUBLIC,
         ("财政拨款三公经费支出决算表", "一般公共预算财政拨款三公经费支出决算表", "三公经费支出决算表",
          "一般公共预算财政拨款安排的三公经费支出决算表")),
    Spec("10", "相关信息统计表", "related statistics", INFO,
         ("相关信息统计表", "部门决算相关信息统计表", "机关运行经费等相关信息统计表", "其他相关情况表",
          "机构运行经费支出国有资产占用情况及政府采购支出信息表")),
)}

NUMBERS = tuple(SPECS)
# Titles of tables that are not among the ten but end like one of them (项目收入支出决算表
# ends like 支出决算表): a table so titled is not read as one of the set.
OTHER_TITLES = ("项目收入支出决算表", "收入支出决算表", "项目支出决算表", "项目支出决算明细表", "资产负债情况表")
MARK = re.compile(r"公开\s*0?(\d{1,2})\s*表")


def _title_match(text: str) -> tuple[bool, Spec | None]:
    """(whether the text is a table title we know, the table it names: None for a table
    outside the set)."""
    folded = fold(text)
    folded = re.sub(r"[(（\[【][^()（）]*[)）\]】]$", "", folded)
    folded = re.sub(r"公开\d{1,2}表$", "", folded)
    if not folded or len(folded) > 60 or "说明" in folded:
        return False, None
    best: tuple[int, Spec | None] | None = None
    for spec, titles in [*((s, s.titles) for s in SPECS.values()), (None, OTHER_TITLES)]:
        for title in titles:
            if folded.endswith(title) and (best is None or len(title) > best[0]):
                best = (len(title), spec)
    return (True, best[1]) if best else (False, None)


def table_for_title(text: str) -> Spec | None:
    """The table a title names: the longest known title the text ends with, once a trailing
    mark or bracketed remark is cut (云溪县应急管理局2024年度收入支出决算总表（公开01表）)."""
    return _title_match(text)[1]


def other_title(text: str) -> bool:
    """A title of a table outside the set that ends like one of it (项目收入支出决算表)."""
    known, spec = _title_match(text)
    return known and spec is None


def mark_number(text: str) -> str | None:
    m = MARK.search(fold(text))
    if m is None:
        return None
    number = f"{int(m[1]):02d}"
    return number if number in SPECS else None


# Functional subjects by 类 (政府收支分类科目): the summary tables (公开01, 公开04) write the
# 类 lines by name only, 一、一般公共服务支出 …
CLASS_NAMES: dict[str, str] = {
    "201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出", "205": "教育支出",
    "206": "科学技术支出", "207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出", "209": "社会保险基金支出",
    "210": "卫生健康支出", "211": "节能环保支出", "212": "城乡社区支出", "213": "农林水支出", "214": "交通运输支出",
    "215": "资源勘探工业信息等支出", "216": "商业服务业等支出", "217": "金融支出", "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出", "221": "住房保障支出", "222": "粮油物资储备支出", "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出", "227": "预备费", "229": "其他支出", "230": "转移性支出", "231": "债务还本支出",
    "232": "债务付息支出", "233": "债务发行费用支出", "234": "抗疫特别国债安排的支出",
}
_CLASS_BY_NAME = {fold(name): code for code, name in CLASS_NAMES.items()}
# Names the templates of some years use for the same 类.
_CLASS_BY_NAME.update({
    "文化体育与传媒支出": "207", "医疗卫生与计划生育支出": "210", "医疗卫生支出": "210",
    "国土海洋气象等支出": "220", "粮油物资储备管理等支出": "222",
})
_LINE_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[(（][一二三四五六七八九十\d]+[)）])")


def strip_numbering(label: str) -> str:
    """二十二、灾害防治及应急管理支出 → 灾害防治及应急管理支出."""
    return _LINE_NUMBER.sub("", fold(label))


def class_code(label: str) -> str | None:
    """The 类 a summary line names (by name, or by a code written before it)."""
    text = strip_numbering(label)
    m = re.match(r"^(2\d{2})(?!\d)", text)
    if m:
        return m[1]
    return _CLASS_BY_NAME.get(text)


# The lines of the summary tables that are not 类 lines, by what they are.
INCOME_SOURCES = (
    ("general", r"^一般公共预算(财政拨款)?(收入)?$", "一般公共预算财政拨款收入"),
    ("fund", r"^政府性基金预算(财政拨款)?(收入)?$", "政府性基金预算财政拨款收入"),
    ("capital", r"^国有资本经营预算(财政拨款)?(收入)?$", "国有资本经营预算财政拨款收入"),
    ("superior", r"^上级补助收入$", "上级补助收入"),
    ("business", r"^事业收入$", "事业收入"),
    ("operating", r"^经营收入$", "经营收入"),
    ("affiliated", r"^附属单位上缴收入$", "附属单位上缴收入"),
    ("other", r"^其他收入$", "其他收入"),
)
_ROLE_PATTERNS = (
    ("income_total", r"^本年收入合计$|^收入合计$"),
    ("spending_total", r"^本年支出合计$|^支出合计$"),
    ("surplus_used", r"^使用(非财政拨款结余|专用结余)"),
    ("opening", r"^年初(财政拨款)?结转(和|及)?结余"),
    ("closing", r"^年末(财政拨款)?结转(和|及)?结余"),
    ("surplus_distribution", r"^结余分配"),
    ("grand_total", r"^总计$"),
)


def line_role(label: str) -> tuple[str | None, str | None]:
    """(role, key) of a summary line: ("source", "general") for 一、一般公共预算财政拨款收入,
    ("class", "224") for 二十二、灾害防治及应急管理支出, ("income_total", None) …"""
    text = strip_numbering(label)
    for role, pattern in _ROLE_PATTERNS:
        if re.search(pattern, text):
            return role, None
    for key, pattern, _ in INCOME_SOURCES:
        if re.search(pattern, text):
            return "source", key
    code = class_code(label)
    if code is not None:
        return "class", code
    return None, None


# 公开06: economic codes whose 类 is 人员经费 (the rest are 公用经费).
PERSONNEL_CLASSES = ("301", "303")
# 公开09 against 公开06: the economic code each 三公 component is booked under.
THREE_PUBLIC_CODES = {"abroad": "30212", "reception": "30217", "running": "30231", "purchase": "31013"}
THREE_PUBLIC_FIELDS = (
    ("total", "合计", "total"),
    ("abroad", "因公出国（境）费", "travel abroad"),
    ("vehicles", "公务用车购置及运行维护费", "official vehicles"),
    ("purchase", "公务用车购置费", "vehicle purchase"),
    ("running", "公务用车运行维护费", "vehicle running costs"),
    ("reception", "公务接待费", "official reception"),
)
