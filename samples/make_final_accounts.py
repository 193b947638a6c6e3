"""Write the 部门决算公开 sample workbooks: the ten tables 公开01–10 of a county emergency
management bureau (云溪县应急管理局, a fictional county) for 2024, laid out as GUIDE §1f
describes the national template.

    python samples/make_final_accounts.py            # writes samples/final-accounts/
    python samples/make_final_accounts.py OUTDIR

The figures are synthetic but built the way real ones are: every amount is held in 元 and
printed in 万元 with two decimals, each figure rounded on its own, so sums differ from their
printed totals by the 尾数误差 the tables warn about, never by more. The bureau is funded
wholly by 一般公共预算财政拨款 with no carry-over, so 公开02, 03 and 05 print the same figures
by code; 公开07 and 08 say 本表无数据; the 公务用车 bought for 应急救援 is project spending, so
公开09's 公务用车购置费 has no counterpart among 公开06's basic-spending codes; 30108 in
公开06 (economic) and 2080505 in 公开05 (functional) differ, as they may.

- yunxi-2024-final-accounts.xlsx: the clean set, one table per sheet (no findings);
- yunxi-2024-final-accounts-stacked.xlsx: the same set stacked on one sheet, with the
  情况说明 text below it (no findings);
- …-item-changed.xlsx: 公开05's 2240106 安全监管 printed 64.25 for 46.25;
- …-cross-table.xlsx: 公开01's 灾害防治及应急管理支出 line with two digits swapped;
- …-three-public.xlsx: 公开09's 公务接待费 决算数 printed 1.68 for 1.86;
- …-column-shifted.xlsx (stacked on one sheet): 公开05's 2240101 行政运行 基本支出 figure
  written in the 项目支出 column;
- yunxi-2024-final-accounts-情况说明.docx: the set's 情况说明 as the national template words
  it (总体情况, 收入, 支出, 财政拨款, 基本支出, “三公”经费, 机关运行经费, 政府采购), every figure
  worked out from the same 元 amounts, 比上年增减 against last year's figures below (no
  findings). `narrative("defects")` is the same text with the slips samples/make_reports.py
  files beside a copy of the clean set in samples/reports/.

Layout options (code column, split 类/款/项 columns, code written before the name) are
parameters of `spec()`, for tests that need the other layouts. Output is byte-for-byte
deterministic: fixed document dates and zip timestamps."""

from __future__ import annotations

import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_workbooks  # noqa: E402  (the deterministic Office packages)

FIXED_ZIP_TIME = (2025, 6, 30, 0, 0, 0)
FIXED_DOC_TIME = "2025-06-30T00:00:00Z"
DEPARTMENT = "云溪县应急管理局"
YEAR = "2024"
MONEY = "#,##0.00"

# --- the figures, in 元 -------------------------------------------------------------------

# 公开06: economic codes of the basic spending; zero lines print blank, as the template does.
PERSONNEL = [
    ("301", "工资福利支出", None),
    ("30101", "基本工资", 1682437), ("30102", "津贴补贴", 963582), ("30103", "奖金", 428019),
    ("30106", "伙食补助费", 0), ("30107", "绩效工资", 0),
    ("30108", "机关事业单位基本养老保险缴费", 399466), ("30109", "职业年金缴费", 165913),
    ("30110", "职工基本医疗保险缴费", 223461), ("30111", "公务员医疗补助缴费", 0),
    ("30112", "其他社会保障缴费", 47037), ("30113", "住房公积金", 338582), ("30114", "医疗费", 0),
    ("30199", "其他工资福利支出", 49018),
    ("303", "对个人和家庭的补助", None),
    ("30301", "离休费", 0), ("30302", "退休费", 84016), ("30304", "抚恤金", 0),
    ("30305", "生活补助", 21584), ("30309", "奖励金", 12000), ("30399", "其他对个人和家庭的补助", 0),
]
PUBLIC_GOODS = [
    ("302", "商品和服务支出", None),
    ("30201", "办公费", 126544), ("30202", "印刷费", 32017), ("30203", "咨询费", 0), ("30204", "手续费", 0),
    ("30205", "水费", 14835), ("30206", "电费", 63152), ("30207", "邮电费", 41509), ("30208", "取暖费", 0),
    ("30209", "物业管理费", 0), ("30211", "差旅费", 98726), ("30212", "因公出国（境）费用", 0),
    ("30213", "维修（护）费", 56013), ("30214", "租赁费", 0), ("30215", "会议费", 23041), ("30216", "培训费", 34488),
    ("30217", "公务接待费", 18612), ("30218", "专用材料费", 0), ("30226", "劳务费", 69035),
    ("30227", "委托业务费", 0), ("30228", "工会经费", 46217), ("30229", "福利费", 30964),
    ("30231", "公务用车运行维护费", 98427), ("30239", "其他交通费用", 144015), ("30240", "税金及附加费用", 0),
    ("30299", "其他商品和服务支出", 27584),
]
PUBLIC_OTHER = [
    ("307", "债务利息及费用支出", None), ("30701", "国内债务付息", 0),
    ("310", "资本性支出", None),
    ("31002", "办公设备购置", 39512), ("31003", "专用设备购置", 0), ("31013", "公务用车购置", 0),
    ("399", "其他支出", None), ("39999", "其他支出", 0),
]

# Functional codes of the spending: 基本支出 by code (2240101 takes what the others do not),
# 项目支出 by code.
FUNCTIONAL = [
    ("208", "社会保障和就业支出"), ("20805", "行政事业单位养老支出"),
    ("2080505", "机关事业单位基本养老保险缴费支出"), ("2080506", "机关事业单位职业年金缴费支出"),
    ("210", "卫生健康支出"), ("21011", "行政事业单位医疗"), ("2101101", "行政单位医疗"),
    ("221", "住房保障支出"), ("22102", "住房改革支出"), ("2210201", "住房公积金"),
    ("224", "灾害防治及应急管理支出"), ("22401", "应急管理事务"),
    ("2240101", "行政运行"), ("2240102", "一般行政管理事务"), ("2240106", "安全监管"), ("2240108", "应急救援"),
    ("22407", "自然灾害救灾及恢复重建支出"), ("2240703", "自然灾害救灾补助"),
]
BASIC_BY_CODE = {"2080505": 414703, "2080506": 165913, "2101101": 223461, "2210201": 338582}
PROJECT_BY_CODE = {"2240102": 186047, "2240106": 462518, "2240108": 723966, "2240703": 1200000}

# 公开09: 预算数, and the 决算数 beyond basic spending (the car for 应急救援 is a project).
THREE_BUDGET = {"abroad": 0, "purchase": 300000, "running": 125000, "reception": 25000}
VEHICLE_BOUGHT = 280000
RUNNING_FROM_PROJECTS = 21573
PROCUREMENT = {"goods": 358016, "works": 0, "services": 182244}
VEHICLES = [("主要领导干部用车", 0), ("机要通信用车", 0), ("应急保障用车", 3), ("执法执勤用车", 2),
            ("特种专业技术用车", 1), ("离退休干部服务用车", 0), ("其他用车", 0)]

CLASS_LINES = [
    ("一般公共服务支出", None), ("外交支出", None), ("国防支出", None), ("公共安全支出", None), ("教育支出", None),
    ("科学技术支出", None), ("文化旅游体育与传媒支出", None), ("社会保障和就业支出", "208"), ("卫生健康支出", "210"),
    ("节能环保支出", None), ("城乡社区支出", None), ("农林水支出", None), ("交通运输支出", None),
    ("资源勘探工业信息等支出", None), ("商业服务业等支出", None), ("金融支出", None), ("援助其他地区支出", None),
    ("自然资源海洋气象等支出", None), ("住房保障支出", "221"), ("粮油物资储备支出", None),
    ("国有资本经营预算支出", None), ("灾害防治及应急管理支出", "224"), ("其他支出", None),
    ("债务还本支出", None), ("债务付息支出", None), ("抗疫特别国债安排的支出", None),
]
NUMERALS = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十 二十一 二十二 二十三 二十四 二十五 二十六".split()


# Last year's figures the 情况说明 compares with, in 元.
LAST_YEAR = {"grand": 7384523, "running_costs": 960000}


def wan(yuan: int) -> Decimal:
    """元 → 万元, printed with two decimals (each figure rounded on its own)."""
    return (Decimal(yuan) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Figures:
    """Every amount of the set in 元, worked out from the leaves."""

    def __init__(self):
        econ = PERSONNEL + PUBLIC_GOODS + PUBLIC_OTHER
        self.econ: dict[str, int] = {}
        for code, _name, yuan in econ:
            if yuan is not None:
                self.econ[code] = yuan
        for code, _name, yuan in econ:
            if yuan is None:
                self.econ[code] = sum(v for c, v in self.econ.items() if len(c) == 5 and c.startswith(code))
        self.personnel = sum(self.econ[c] for c in ("301", "303"))
        self.public = sum(self.econ[c] for c in ("302", "307", "310", "399"))
        basic_total = self.personnel + self.public
        basic = dict(BASIC_BY_CODE)
        basic["2240101"] = basic_total - sum(basic.values())
        self.basic: dict[str, int] = {}
        self.project: dict[str, int] = {}
        for code, _ in FUNCTIONAL:
            self.basic[code] = sum(v for c, v in basic.items() if c.startswith(code))
            self.project[code] = sum(v for c, v in PROJECT_BY_CODE.items() if c.startswith(code))
        self.total = {code: self.basic[code] + self.project[code] for code, _ in FUNCTIONAL}
        self.basic_total, self.project_total = basic_total, sum(PROJECT_BY_CODE.values())
        self.grand = self.basic_total + self.project_total
        self.three_actual = {
            "abroad": self.econ["30212"], "purchase": VEHICLE_BOUGHT,
            "running": self.econ["30231"] + RUNNING_FROM_PROJECTS, "reception": self.econ["30217"],
        }
        self.running_costs = self.econ["302"]


# --- sheet blocks --------------------------------------------------------------------------

class Block:
    """A table laid out from row 1: rows of cells (a value, or (value, number format)),
    merged ranges, column widths, which rows are the title, header and body."""

    def __init__(self, name: str, width: int):
        self.name = name
        self.width = width
        self.rows: list[list] = []
        self.merges: list[tuple[int, int, int, int]] = []
        self.header: tuple[int, int] = (0, -1)
        self.body_end = 0

    def add(self, cells: list) -> int:
        self.rows.append(list(cells) + [None] * (self.width - len(cells)))
        return len(self.rows)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append((r1, c1, r2, c2))

    def head(self, title: str, mark: str, unit: bool = True) -> None:
        self.add([title])
        self.merge(1, 1, 1, self.width)
        self.add([None] * (self.width - 1) + [mark])
        cells = [f"部门：{DEPARTMENT}"] + [None] * (self.width - 2) + ["金额单位：万元" if unit else None]
        cells[max(1, self.width // 2)] = f"{YEAR}年度"
        r = self.add(cells)
        if self.width >= 6:
            self.merge(r, 1, r, self.width // 2)


def money(value) -> tuple | None:
    if value is None:
        return None
    if isinstance(value, int):
        value = wan(value)
    return (value, MONEY) if value != 0 else None


def column_numbers(block: Block, first: int, labels_span: int) -> None:
    r = block.add(["栏次"] + [None] * (labels_span - 1) + [str(i) for i in range(1, block.width - labels_span + 1)])
    if labels_span > 1:
        block.merge(r, 1, r, labels_span)


def code_cells(code: str, name: str, layout: str) -> list:
    if layout == "split":
        cls, kuan, item = code[:3], code[3:5], code[5:7]
        return [cls, kuan or None, item or None, name]
    if layout == "in_name":
        return [f"{code} {name}"]
    return [code, name]


def code_header(block: Block, first: int, layout: str) -> int:
    """The label columns of a code table's two header rows; returns how many columns."""
    if layout == "split":
        block.rows[first - 1][0] = "科目编码"
        block.merge(first, 1, first, 3)
        block.rows[first - 1][3] = "科目名称"
        block.merge(first, 4, first + 1, 4)
        block.rows[first][0:3] = ["类", "款", "项"]
        return 4
    if layout == "in_name":
        block.rows[first - 1][0] = "项目"
        block.merge(first, 1, first + 1, 1)
        return 1
    block.rows[first - 1][0] = "项目"
    block.merge(first, 1, first, 2)
    block.rows[first][0:2] = ["科目编码", "科目名称"]
    return 2


def code_table(f: Figures, number: str, title: str, columns: list[tuple[str, str | None]], values, layout: str,
               codes=None, note: str | None = None, empty: str | None = None) -> Block:
    """A table by functional code: `columns` are (label, parent label or None); `values(code)`
    gives the row's amounts (None for the 合计 row)."""
    span = {"split": 4, "in_name": 1}.get(layout, 2)
    block = Block(f"公开{number}", span + len(columns))
    block.head(title, f"公开{number}表")
    h1 = block.add([])
    block.add([])
    span = code_header(block, h1, layout)
    c = span + 1
    while c <= block.width:
        label, parent = columns[c - span - 1]
        if parent is None:
            block.rows[h1 - 1][c - 1] = label
            block.merge(h1, c, h1 + 1, c)
            c += 1
        else:
            group = [i for i, (_, p) in enumerate(columns) if p == parent]
            block.rows[h1 - 1][c - 1] = parent
            block.merge(h1, c, h1, c + len(group) - 1)
            for i in group:
                block.rows[h1][span + i] = columns[i][0]
            c += len(group)
    column_numbers(block, h1 + 2, span)
    block.header = (h1, h1 + 2)
    r = block.add(["合计"] + [None] * (span - 1) + [money(v) for v in values(None)])
    if span > 1:
        block.merge(r, 1, r, span)
    for code, name in (codes if codes is not None else FUNCTIONAL):
        block.add(code_cells(code, name, layout) + [money(v) for v in values(code)])
    block.body_end = len(block.rows)
    if empty:
        block.add([empty])
    block.add([note or f"注：本表反映部门本年度{title[:-3]}情况。本套报表金额单位转换时可能存在尾数误差。"])
    return block


def t01(f: Figures) -> Block:
    block = Block("公开01", 6)
    block.head("收入支出决算总表", "公开01表")
    h = block.add(["收入", None, None, "支出"])
    block.merge(h, 1, h, 3)
    block.merge(h, 4, h, 6)
    block.add(["项目", "行次", "金额", "项目", "行次", "金额"])
    block.add(["栏次", None, "1", "栏次", None, "2"])
    block.header = (h, h + 2)
    sources = [("一般公共预算财政拨款收入", f.grand), ("政府性基金预算财政拨款收入", 0), ("国有资本经营预算财政拨款收入", 0),
               ("上级补助收入", 0), ("事业收入", 0), ("经营收入", 0), ("附属单位上缴收入", 0), ("其他收入", 0)]
    for i, (name, cls) in enumerate(CLASS_LINES):
        left = [f"{NUMERALS[i]}、{sources[i][0]}", str(i + 1), money(sources[i][1])] if i < len(sources) else [None, None, None]
        right = [f"{NUMERALS[i]}、{name}", str(i + 32), money(f.total[cls]) if cls else None]
        block.add(left + right)
    block.add(["本年收入合计", "58", money(f.grand), "本年支出合计", "59", money(f.grand)])
    block.add(["使用非财政拨款结余", "60", None, "结余分配", "61", None])
    block.add(["年初结转和结余", "62", None, "年末结转和结余", "63", None])
    block.add(["总计", "64", money(f.grand), "总计", "65", money(f.grand)])
    block.body_end = len(block.rows)
    block.add(["注：本表反映部门本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。"])
    return block


def t04(f: Figures) -> Block:
    block = Block("公开04", 9)
    block.head("财政拨款收入支出决算总表", "公开04表")
    h = block.add(["收入", None, None, "支出"])
    block.merge(h, 1, h, 3)
    block.merge(h, 4, h, 9)
    block.add(["项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"])
    block.add(["栏次", None, "1", "栏次", None, "2", "3", "4", "5"])
    block.header = (h, h + 2)
    sources = [("一、一般公共预算财政拨款", f.grand), ("二、政府性基金预算财政拨款", 0), ("三、国有资本经营预算财政拨款", 0)]
    for i, (name, cls) in enumerate(CLASS_LINES):
        left = [sources[i][0], str(i + 1), money(sources[i][1])] if i < len(sources) else [None, None, None]
        amount = f.total[cls] if cls else 0
        block.add(left + [f"{NUMERALS[i]}、{name}", str(i + 33), money(amount), money(amount), None, None])
    block.add(["本年收入合计", "29", money(f.grand), "本年支出合计", "59", money(f.grand), money(f.grand), None, None])
    block.add(["年初财政拨款结转和结余", "30", None, "年末财政拨款结转和结余", "60", None, None, None, None])
    block.add(["一般公共预算财政拨款", "31", None])
    block.add(["政府性基金预算财政拨款", "32", None])
    block.add(["国有资本经营预算财政拨款", "33", None])
    block.add(["总计", "34", money(f.grand), "总计", "61", money(f.grand), money(f.grand), None, None])
    block.body_end = len(block.rows)
    block.add(["注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。"])
    return block


def t06(f: Figures) -> Block:
    block = Block("公开06", 9)
    block.head("一般公共预算财政拨款基本支出决算明细表", "公开06表")
    h = block.add(["人员经费", None, None, "公用经费"])
    block.merge(h, 1, h, 3)
    block.merge(h, 4, h, 9)
    block.add(["科目编码", "科目名称", "决算数"] * 3)
    block.header = (h, h + 1)
    columns = [PERSONNEL, PUBLIC_GOODS, PUBLIC_OTHER]
    for i in range(max(map(len, columns))):
        row = []
        for part in columns:
            if i < len(part):
                code, name, _ = part[i]
                row += [code, name, money(f.econ[code])]
            else:
                row += [None, None, None]
        block.add(row)
    r = block.add(["人员经费合计", None, money(f.personnel), "公用经费合计", None, None, None, None, money(f.public)])
    block.merge(r, 1, r, 2)
    block.merge(r, 4, r, 8)
    block.body_end = len(block.rows)
    block.add(["注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"])
    return block


def t09(f: Figures) -> Block:
    block = Block("公开09", 12)
    block.head("财政拨款“三公”经费支出决算表", "公开09表")
    h = block.add(["预算数"] + [None] * 5 + ["决算数"])
    block.merge(h, 1, h, 6)
    block.merge(h, 7, h, 12)
    block.add(["合计", "因公出国（境）费", "公务用车购置及运行维护费", None, None, "公务接待费"] * 2)
    block.add([None, None, "小计", "公务用车购置费", "公务用车运行维护费", None] * 2)
    for base in (1, 7):
        block.merge(h + 1, base, h + 2, base)
        block.merge(h + 1, base + 1, h + 2, base + 1)
        block.merge(h + 1, base + 2, h + 1, base + 4)
        block.merge(h + 1, base + 5, h + 2, base + 5)
    block.add([str(i) for i in range(1, 13)])
    block.header = (h, h + 3)
    row = []
    for phase in (THREE_BUDGET, f.three_actual):
        vehicles = phase["purchase"] + phase["running"]
        total = phase["abroad"] + vehicles + phase["reception"]
        row += [money(total), money(phase["abroad"]), money(vehicles), money(phase["purchase"]),
                money(phase["running"]), money(phase["reception"])]
    block.add(row)
    block.body_end = len(block.rows)
    block.add(["注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。"])
    return block


def t10(f: Figures) -> Block:
    block = Block("公开10", 3)
    block.head("部门决算相关信息统计表", "公开10表")
    h = block.add(["项目", "单位", "统计数"])
    block.add(["栏次", None, "1"])
    block.header = (h, h + 1)
    goods, works, services = (PROCUREMENT[k] for k in ("goods", "works", "services"))
    block.add(["一、机关运行经费", "万元", money(f.running_costs)])
    block.add(["二、政府采购支出总额", "万元", money(goods + works + services)])
    block.add(["  1.政府采购货物支出", "万元", money(goods)])
    block.add(["  2.政府采购工程支出", "万元", money(works)])
    block.add(["  3.政府采购服务支出", "万元", money(services)])
    block.add(["三、授予中小企业合同金额", "万元", money(goods + works + services)])
    block.add(["四、车辆数合计", "辆", sum(n for _, n in VEHICLES)])
    for i, (name, n) in enumerate(VEHICLES):
        block.add([("  其中：" if i == 0 else "        ") + name, "辆", n or None])
    block.add(["五、单价50万元以上通用设备", "台（套）", None])
    block.add(["六、单价100万元以上专用设备", "台（套）", None])
    block.body_end = len(block.rows)
    block.add(["注：机关运行经费指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的公用经费支出。"])
    return block


def tables(f: Figures, layout: str = "code") -> list[Block]:
    income_cols = [("本年收入合计", None), ("财政拨款收入", None), ("上级补助收入", None), ("事业收入", None),
                   ("经营收入", None), ("附属单位上缴收入", None), ("其他收入", None)]
    spend_cols = [("本年支出合计", None), ("基本支出", None), ("项目支出", None), ("上缴上级支出", None),
                  ("经营支出", None), ("对附属单位补助支出", None)]
    budget_cols = [("小计", "本年支出"), ("基本支出", "本年支出"), ("项目支出", "本年支出")]
    fund_cols = [("年初结转和结余", None), ("本年收入", None), ("小计", "本年支出"), ("基本支出", "本年支出"),
                 ("项目支出", "本年支出"), ("年末结转和结余", None)]

    def total(code):
        return f.grand if code is None else f.total[code]

    return [
        t01(f),
        code_table(f, "02", "收入决算表", income_cols, lambda c: [total(c), total(c), 0, 0, 0, 0, 0], layout),
        code_table(f, "03", "支出决算表", spend_cols,
                   lambda c: [total(c), f.basic_total if c is None else f.basic[c],
                              f.project_total if c is None else f.project[c], 0, 0, 0], layout),
        t04(f),
        code_table(f, "05", "一般公共预算财政拨款支出决算表", budget_cols,
                   lambda c: [total(c), f.basic_total if c is None else f.basic[c],
                              f.project_total if c is None else f.project[c]], layout),
        t06(f),
        code_table(f, "07", "政府性基金预算财政拨款收入支出决算表", fund_cols, lambda c: [0] * 6, layout, codes=[],
                   note="注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
                   empty="本单位2024年度没有政府性基金预算财政拨款收入、支出及结转结余，本表无数据。"),
        code_table(f, "08", "国有资本经营预算财政拨款支出决算表", budget_cols, lambda c: [0] * 3, layout, codes=[],
                   note="注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
                   empty="本单位2024年度没有国有资本经营预算财政拨款支出，本表无数据。"),
        t09(f),
        t10(f),
    ]


EXPLANATION = [
    "云溪县应急管理局2024年度部门决算情况说明",
    "一、收入支出决算总体情况说明",
    "2024年度收入、支出总计均为{grand}万元。收入全部为一般公共预算财政拨款收入；支出中基本支出{basic}万元，项目支出{project}万元。",
    "二、“三公”经费支出决算情况说明",
    "2024年度“三公”经费支出决算{three}万元，其中公务用车购置费28.00万元，用于购置应急救援保障车辆1辆。",
]


# --- workbooks -----------------------------------------------------------------------------

def _place(ws, block: Block, top: int) -> None:
    thin = Side(style="thin")
    for r, row in enumerate(block.rows, start=top):
        for c, cell in enumerate(row, start=1):
            if cell is None:
                continue
            value, fmt = cell if isinstance(cell, tuple) else (cell, None)
            target = ws.cell(row=r, column=c, value=value)
            if fmt:
                target.number_format = fmt
    h1, h2 = block.header
    for r in range(h1, block.body_end + 1):
        for c in range(1, block.width + 1):
            ws.cell(row=top + r - 1, column=c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if r <= h2:
                ws.cell(row=top + r - 1, column=c).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.cell(row=top, column=1).font = Font(bold=True, size=14)
    ws.cell(row=top, column=1).alignment = Alignment(horizontal="center")
    ws.cell(row=top + 1, column=block.width).alignment = Alignment(horizontal="right")
    for r1, c1, r2, c2 in block.merges:
        ws.merge_cells(start_row=top + r1 - 1, start_column=c1, end_row=top + r2 - 1, end_column=c2)


def _widths(ws, width: int) -> None:
    for c in range(1, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.column_dimensions["A"].width = 30


def add_to(workbook: Workbook, blocks: list[Block], stacked: bool = False, explanation: list[str] | None = None,
           sheet: str = "部门决算公开") -> Workbook:
    """Put the tables into `workbook`: one sheet each, or stacked on `sheet` with the
    情况说明 text below them."""
    if stacked:
        ws = workbook.create_sheet(sheet)
        top = 1
        for block in blocks:
            _place(ws, block, top)
            top += len(block.rows) + 2
        for line in explanation or []:
            ws.cell(row=top, column=1, value=line)
            ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=9)
            top += 1
        _widths(ws, max(b.width for b in blocks))
    else:
        for block in blocks:
            ws = workbook.create_sheet(block.name)
            _place(ws, block, 1)
            _widths(ws, block.width)
    return workbook


def build(blocks: list[Block], stacked: bool = False, explanation: list[str] | None = None) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_to(workbook, blocks, stacked, explanation)
    workbook.properties.creator = "selfeval samples"
    return workbook


def deterministic_bytes(workbook: Workbook) -> bytes:
    return make_workbooks.deterministic_bytes(workbook, (FIXED_ZIP_TIME, FIXED_DOC_TIME))


def fixed_zip(data: bytes) -> bytes:
    return make_workbooks.fixed_zip(data, (FIXED_ZIP_TIME, FIXED_DOC_TIME))


def find_cell(block: Block, row_label: str, column: int) -> tuple[int, int]:
    """(row, column) in the block of the row whose first cells hold `row_label`."""
    for r, row in enumerate(block.rows, start=1):
        if any(isinstance(c, str) and c.strip() == row_label for c in row[:4]):
            return r, column
    raise KeyError(row_label)


def set_cell(block: Block, row_label: str, column: int, value) -> None:
    r, c = find_cell(block, row_label, column)
    block.rows[r - 1][c - 1] = money(Decimal(str(value))) if value is not None else None


def by_number(blocks: list[Block], number: str) -> Block:
    return next(b for b in blocks if b.name == f"公开{number}")


def spec(variant: str = "clean", layout: str = "code") -> list[Block]:
    """The ten tables of `variant`: clean, item-changed, cross-table, three-public,
    column-shifted; `layout` places codes in a code column (code), in 类/款/项 columns
    (split) or before the name (in_name)."""
    f = Figures()
    blocks = tables(f, layout)
    if variant == "item-changed":
        t05 = by_number(blocks, "05")
        label = "2240106 安全监管" if layout == "in_name" else ("安全监管" if layout == "split" else "2240106")
        set_cell(t05, label, {"split": 5, "in_name": 2}.get(layout, 3), "64.25")
    elif variant == "cross-table":
        printed = f"{wan(f.total['224']):.2f}"
        swapped = printed[:-2] + printed[-1] + printed[-2]  # the two decimals keyed the wrong way round
        set_cell(by_number(blocks, "01"), "二十二、灾害防治及应急管理支出", 6, swapped)
    elif variant == "three-public":
        block = by_number(blocks, "09")
        r = len(block.rows) - 1
        block.rows[r - 1][11] = money(Decimal("1.68"))
    elif variant == "column-shifted":
        t05 = by_number(blocks, "05")
        label = "2240101 行政运行" if layout == "in_name" else ("行政运行" if layout == "split" else "2240101")
        r, c = find_cell(t05, label, 1)
        base = {"split": 4, "in_name": 1}.get(layout, 2)
        row = t05.rows[r - 1]
        row[base + 1], row[base + 2] = None, row[base + 1]
    elif variant != "clean":
        raise ValueError(variant)
    return blocks


def explanation() -> list[str]:
    f = Figures()
    three = sum(f.three_actual.values())
    return [line.format(grand=wan(f.grand), basic=wan(f.basic_total), project=wan(f.project_total), three=wan(three))
            for line in EXPLANATION]


def pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# The slips narrative("defects") makes, each as the national template's sentence would carry it:
# (what is replaced, by what). samples/README.md lists them with the finding each gives.
NARRATIVE_DEFECTS = [
    ("增长{up}%", "增长{up_on_current}%"),       # the rate on this year's figure (RP015)
    ("基本支出{basic}万元，占{basic_share}%", "基本支出{basic}万元，占{basic_share_swapped}%"),  # a share keyed wrong (RP016)
    ("公用经费{public}万元", "公用经费{public_swapped}万元"),  # two digits swapped (RP014)
    ("完成预算的{three_done}%", "完成预算的{three_done_off}%"),  # completion not recomputed (RP017)
    ("公务接待费支出决算为{reception}万元", "公务接待费支出决算为{reception_yuan}万元"),  # 元 written as 万元 (RP014)
]


def _swap(text: str) -> str:
    """The last two digits keyed the wrong way round."""
    return text[:-2] + text[-1] + text[-2]


def narrative(variant: str = "clean") -> list[tuple[str | None, str]]:
    """The 情况说明 as (Word style, text): the template's sections, every figure from Figures."""
    f = Figures()
    t05_classes = [(code, name) for code, name in FUNCTIONAL if len(code) == 3]
    three_budget = sum(THREE_BUDGET.values())
    three = sum(f.three_actual.values())
    vehicles = f.three_actual["purchase"] + f.three_actual["running"]
    procurement = sum(PROCUREMENT.values())
    up = f.grand - LAST_YEAR["grand"]
    down = LAST_YEAR["running_costs"] - f.running_costs
    v = {
        "grand": wan(f.grand), "up": pct(up, LAST_YEAR["grand"]), "up_on_current": pct(up, f.grand), "up_amount": wan(up),
        "basic": wan(f.basic_total), "project": wan(f.project_total),
        "basic_share": pct(f.basic_total, f.grand), "project_share": pct(f.project_total, f.grand),
        "personnel": wan(f.personnel), "public": wan(f.public),
        "three_budget": wan(three_budget), "three": wan(three), "three_done": pct(three, three_budget),
        "abroad": wan(f.three_actual["abroad"]), "vehicles": wan(vehicles), "purchase": wan(f.three_actual["purchase"]),
        "running": wan(f.three_actual["running"]), "reception": wan(f.three_actual["reception"]),
        "running_costs": wan(f.running_costs), "down": wan(down), "down_share": pct(down, LAST_YEAR["running_costs"]),
        "procurement": wan(procurement), "goods": wan(PROCUREMENT["goods"]), "works": wan(PROCUREMENT["works"]),
        "services": wan(PROCUREMENT["services"]), "sme_share": pct(procurement, procurement),
    }
    v.update(basic_share_swapped=_swap(f"{v['basic_share']}"), public_swapped=_swap(f"{v['public']}"),
             three_done_off=v["three_done"] + 5, reception_yuan=f.three_actual["reception"])
    classes = "；".join(f"{name}（类）{wan(f.total[code])}万元，占{pct(f.total[code], f.grand)}%" for code, name in t05_classes)
    text = [
        ("Title", f"{DEPARTMENT}{YEAR}年度部门决算情况说明"),
        ("Heading 1", "一、收入支出决算总体情况说明"),
        (None, "{y}年度收入、支出总计均为{grand}万元。与上年相比，收、支总计各增加{up_amount}万元，增长{up}%。"
               "主要原因是应急救援和自然灾害救灾补助项目支出增加。"),
        ("Heading 1", "二、收入决算情况说明"),
        (None, "{y}年度本年收入合计{grand}万元，其中：一般公共预算财政拨款收入{grand}万元，占100%；"
               "政府性基金预算财政拨款收入0万元；国有资本经营预算财政拨款收入0万元。"),
        ("Heading 1", "三、支出决算情况说明"),
        (None, "{y}年度本年支出合计{grand}万元，其中：基本支出{basic}万元，占{basic_share}%；项目支出{project}万元，占{project_share}%。"),
        ("Heading 1", "四、一般公共预算财政拨款支出决算情况说明"),
        (None, "{y}年度一般公共预算财政拨款支出{grand}万元，主要用于以下方面：" + classes + "。"),
        ("Heading 1", "五、一般公共预算财政拨款基本支出决算情况说明"),
        (None, "{y}年度一般公共预算财政拨款基本支出{basic}万元，其中：人员经费{personnel}万元，主要包括基本工资、津贴补贴、奖金、"
               "机关事业单位基本养老保险缴费、职业年金缴费、住房公积金、退休费；公用经费{public}万元，主要包括办公费、印刷费、水费、"
               "电费、邮电费、差旅费、维修（护）费、公务接待费、公务用车运行维护费、办公设备购置。"),
        ("Heading 1", "六、“三公”经费财政拨款支出决算情况说明"),
        (None, "{y}年度“三公”经费财政拨款支出预算为{three_budget}万元，支出决算为{three}万元，完成预算的{three_done}%。"
               "其中：因公出国（境）费支出决算为{abroad}万元；公务用车购置及运行维护费支出决算为{vehicles}万元，"
               "其中：公务用车购置费{purchase}万元，用于购置应急救援保障车辆1辆；公务用车运行维护费{running}万元；"
               "公务接待费支出决算为{reception}万元。"),
        ("Heading 1", "七、其他重要事项的情况说明"),
        (None, "（一）机关运行经费支出情况。{y}年度机关运行经费支出{running_costs}万元，比上年减少{down}万元，下降{down_share}%。"
               "主要原因是压减会议费和办公费。"),
        (None, "（二）政府采购支出情况。{y}年度政府采购支出总额{procurement}万元，其中：政府采购货物支出{goods}万元、"
               "政府采购工程支出{works}万元、政府采购服务支出{services}万元。授予中小企业合同金额{procurement}万元，"
               "占政府采购支出总额的{sme_share}%。"),
        (None, "（三）国有资产占有使用情况。截至{y}年12月31日，本单位共有车辆6辆，其中：应急保障用车3辆、执法执勤用车2辆、"
               "特种专业技术用车1辆。"),
    ]
    v["y"] = YEAR
    out = [(style, line.format(**v)) for style, line in text]
    if variant == "defects":
        for before, after in NARRATIVE_DEFECTS:
            old, new = before.format(**v), after.format(**v)
            hits = [i for i, (_, line) in enumerate(out) if old in line]
            assert len(hits) == 1, old
            style, line = out[hits[0]]
            out[hits[0]] = (style, line.replace(old, new, 1))
    elif variant != "clean":
        raise ValueError(variant)
    return out


def write_docx(paragraphs: list[tuple[str | None, str]], path: Path) -> Path:
    return make_workbooks.write_docx(paragraphs, paragraphs[0][1], path, (FIXED_ZIP_TIME, FIXED_DOC_TIME))


SAMPLES = {
    "yunxi-2024-final-accounts.xlsx": ("clean", False),
    "yunxi-2024-final-accounts-stacked.xlsx": ("clean", True),
    "yunxi-2024-final-accounts-item-changed.xlsx": ("item-changed", False),
    "yunxi-2024-final-accounts-cross-table.xlsx": ("cross-table", False),
    "yunxi-2024-final-accounts-three-public.xlsx": ("three-public", False),
    "yunxi-2024-final-accounts-column-shifted.xlsx": ("column-shifted", True),
}


def write(path: Path, variant: str = "clean", stacked: bool = False, layout: str = "code",
          with_explanation: bool | None = None) -> Path:
    text = explanation() if (stacked if with_explanation is None else with_explanation) else None
    path.write_bytes(deterministic_bytes(build(spec(variant, layout), stacked, text)))
    return path


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "final-accounts"
    outdir.mkdir(parents=True, exist_ok=True)
    for filename, (variant, stacked) in SAMPLES.items():
        print(write(outdir / filename, variant, stacked))
    print(write_docx(narrative(), outdir / "yunxi-2024-final-accounts-情况说明.docx"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
