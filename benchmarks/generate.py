"""Seeded generator of synthetic 绩效自评表 submissions for the benchmarks.

Every submission follows validator/kinds/self_eval/schema.json and is written in the
style of samples/*.yaml: transfer tables (转移支付区域绩效自评表: 中央/地方(省/市/县)/其他
资金, 资金管理情况, mostly without scores) and project tables (项目支出绩效自评表: 财政拨款/
其他资金 with 年初预算数 and 结余, 分值/得分, 一级/二级 groups, sometimes a 评分表 and the
report's stated score). Cells are written as people write them: `157`, `5238.17`,
`"71.07%"`, `"≥15个"`, `"＝5家"`, `100`, `"提升"`, `"2024年12月31日前"`, or split across
指标性质/度量单位 columns.

A controlled share of submissions (default 30%) carries 1–3 defects: wrong totals,
swapped digits, wrong execution rates (also on the wrong denominator), wrong balance,
unmet indicators without a reason, unit mismatches, 元/万元 confusion, `#DIV/0!` left in
a cell, scores over the weight, wrong total score or grade, group weights that do not
add up, comparisons written as actual values, blank actuals, … The defects applied are
recorded next to the mapping (never inside it: the schema is closed).

Deterministic: submission i of seed s depends only on (s, i), so a file can be
regenerated alone and any prefix of a larger run is identical to a smaller run.

    python benchmarks/generate.py --count 100 --indicators 10-40 --out /tmp/subs --format json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

# --- vocabulary -------------------------------------------------------------------------

PLACES = [
    "鞍山市", "渠县", "铁东区", "铁西区", "立山区", "千山区", "海城市", "台安县", "岫岩县", "达州市",
    "宣汉县", "开江县", "大竹县", "万源市", "通川区", "达川区", "阜新市", "朝阳市", "凌源市", "北票市",
]
AREAS = [
    "城区", "东部片区", "西部片区", "南部矿区", "北部矿区", "高新区", "经开区", "临港园区", "山区乡镇",
    "中心城区", "开发区", "一号矿区", "二号矿区", "三号矿区", "沿河乡镇", "工业园区", "老城片区", "新城片区",
    "第一批", "第二批", "第三批", "第四批", "示范点", "试点乡镇",
]
ORG_SUFFIX = ["应急管理局", "安全生产事务中心", "财政局", "自然资源局", "生态环境局", "水利局", "交通运输局"]

# (fund type, table name, 中央主管部门, 省级主管部门)
TRANSFER_FUNDS = [
    ("安全生产预防和应急救援能力建设补助资金", "安全生产预防和应急救援能力建设补助资金(煤矿及重点非煤矿山重大灾害风险防控资金)",
     "财政部、国家矿山安全监察局", "省地方矿山安全监督管理局"),
    ("安全生产预防和应急救援能力建设补助资金", "安全生产预防和应急救援能力建设补助资金(尾矿库安全治理)",
     "财政部、应急管理部", "省应急管理厅"),
    ("自然灾害救灾资金", "中央自然灾害救灾资金", "财政部、应急管理部", "省应急管理厅"),
    ("地质灾害防治资金", "地质灾害防治补助资金", "财政部、自然资源部", "省自然资源厅"),
    ("重点生态保护修复治理资金", "山水林田湖草沙一体化保护和修复工程资金", "财政部、自然资源部", "省自然资源厅"),
    ("安全生产预防及应急专项资金", "安全生产预防及应急专项资金(危险化学品重大危险源监测预警)", "财政部、应急管理部", "省应急管理厅"),
]
PROJECT_NAMES = [
    "煤矿安全监测监控及应急救援能力建设经费", "监测监控中心运行经费", "煤炭资源整合经费", "专家经费",
    "煤矿安全监管工作经费", "安全生产执法装备购置经费", "应急物资储备库运维经费", "危险化学品风险监测预警系统建设经费",
    "地质灾害隐患点监测经费", "森林防火视频监控系统运维经费", "安全生产宣传教育培训经费", "应急指挥平台升级改造经费",
]
PROJECT_TYPES = ["行政运转", "专项业务", "基本建设", "信息化建设", "设备购置"]

MANAGEMENT_ITEMS = ["分配科学性", "下达及时性", "拨付合规性", "使用规范性", "执行准确性", "预算绩效管理情况", "支出责任履行情况"]
MANAGEMENT_TEXT = {
    "分配科学性": "根据{subject}建设规模、工程进度等方面进行论证，依据风险等级进行分配。",
    "下达及时性": "根据省财政、省应急部门批复要求，严格按照相关规定，及时下达中央资金。",
    "拨付合规性": "经局党委会讨论同意、市政府常务会议审议通过，按照相关规定开展资金拨付工作，坚决执行专款专用，无截留、挪用等违规问题。",
    "使用规范性": "市级主管部门和财政部门严格按照资金管理办法要求，督促相关单位合理使用资金。",
    "执行准确性": "资金专项用于{subject}建设工作，项目资金均按照规定的支出范围使用，未擅自扩大资金使用范围。",
    "预算绩效管理情况": "加强全过程预算绩效管理，对照绩效目标实现程度和预算执行进度实行“双监控”，严格落实绩效管理主体责任。",
    "支出责任履行情况": "压实主体责任，督导相关单位全力开展建设工作，确保工作稳步推进、按期完成。",
}
SUBJECTS = ["非煤矿山在线监控系统", "煤矿监测监控平台", "尾矿库在线监测系统", "应急救援队伍", "危化品企业风险监测", "地质灾害监测点"]

REASONS = [
    "施工进度缓慢，已督促施工单位加快进度，预计{year}年6月底完成。",
    "设备交付缓慢，沟通厂家加快交付。",
    "工程未进入验收阶段，待完工后组织验收。",
    "1家煤矿停产整顿，未接入监控平台，待复产后接入。",
    "受汛期影响部分工程延期，下一步加强调度。",
    "预计6月底完成，正在协调资金问题。",
    "部分企业未按期完成整改，已下达整改通知书并跟踪督办。",
    "资金下达时间较晚，项目尚未完成政府采购程序。",
]

# Indicator templates: (name, spec). Spec kinds: count(unit, lo, hi), ratio(target%),
# qual(word), deadline, duration(n, unit), cost, freq(n).
L2_TEMPLATES: dict[str, list[tuple[str, tuple]]] = {
    "数量指标": [
        ("重点非煤矿山在线监控系统", ("count", "个", 1, 3)),
        ("视频监控点位", ("count", "个", 10, 40)),
        ("移动式摄像机", ("count", "个", 5, 20)),
        ("监控煤矿数量", ("count", "家", 3, 12)),
        ("升级改造煤矿监控终端", ("count", "套", 10, 30)),
        ("开展安全生产执法检查", ("count", "次", 20, 120)),
        ("组织应急演练", ("count", "次", 2, 8)),
        ("安全生产培训人次", ("count", "人次", 300, 2000)),
        ("购置应急救援装备", ("count", "台", 5, 50)),
        ("隐患排查企业数", ("count", "家", 20, 200)),
        ("发放宣传资料", ("count", "份", 1000, 8000)),
        ("支持建设矿山应急救援队伍（支）", ("count_name", "支", 1, 4)),
    ],
    "质量指标": [
        ("验收通过率", ("ratio", 95)),
        ("联网在线率", ("ratio", 90)),
        ("监测数据上传及时率", ("ratio", 90)),
        ("设备完好率", ("ratio", 95)),
        ("培训考核合格率", ("ratio", 90)),
        ("隐患整改率", ("ratio", 90)),
        ("监测监控平台运转率", ("ratio", 100)),
        ("数据准确率", ("ratio", 98)),
    ],
    "时效指标": [
        ("进度完成率", ("ratio", 90)),
        ("项目完成时间", ("deadline",)),
        ("资金拨付及时率", ("ratio", 100)),
        ("监测监控平台运转时间", ("duration", 1, "年")),
        ("隐患整改完成时限", ("deadline",)),
        ("预警信息发布时效", ("ratio", 95)),
    ],
    "成本指标": [
        ("成本控制在一定范围内", ("cost",)),
        ("项目总成本", ("cost",)),
    ],
    "经济成本指标": [
        ("成本控制在一定范围内", ("cost",)),
        ("运维经费支出", ("cost",)),
    ],
    "经济效益指标": [
        ("减少事故直接经济损失", ("qual", "有效降低")),
        ("带动相关产业发展", ("qual", "有所提升")),
    ],
    "社会效益指标": [
        ("矿山安全风险防控水平", ("qual", "提升")),
        ("有效提升煤矿安全监管能力", ("qual", "明显有效")),
        ("群众安全感", ("qual", "提升")),
        ("重特大事故发生率", ("ratio_max", 0)),
        ("安全生产形势", ("qual", "稳步提升")),
    ],
    "生态效益指标": [
        ("生态环境改善情况", ("qual", "改善")),
        ("尾矿库周边环境风险", ("qual", "可控")),
    ],
    "可持续影响指标": [
        ("矿山安全监管监察效能", ("qual", "提升")),
        ("煤矿安全长效监管机制", ("qual", "健全")),
        ("设施持续发挥作用年限", ("duration", 5, "年")),
        ("应急救援能力", ("qual", "显著提升")),
    ],
    "服务对象满意度指标": [
        ("服务对象满意度", ("ratio", 90)),
        ("上级部门满意度", ("ratio", 95)),
        ("企业满意度", ("ratio", 90)),
        ("群众满意度", ("qual", "满意")),
    ],
}
# (一级, weight for project tables, [二级])
LAYOUT_OLD = [("产出指标", 50, ["数量指标", "质量指标", "时效指标", "成本指标"]),
              ("效益指标", 30, ["经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]),
              ("满意度指标", 10, ["服务对象满意度指标"])]
LAYOUT_NEW = [("产出指标", 40, ["数量指标", "质量指标", "时效指标"]),
              ("成本指标", 10, ["经济成本指标"]),
              ("效益指标", 30, ["社会效益指标", "生态效益指标", "可持续影响指标"]),
              ("满意度指标", 10, ["服务对象满意度指标"])]
TRANSFER_LAYOUT = [("产出指标", 50, ["数量指标", "质量指标", "时效指标"]),
                   ("效益指标", 30, ["经济效益指标", "社会效益指标", "可持续影响指标"]),
                   ("满意度指标", 20, ["服务对象满意度指标"])]

SCORECARD = [
    ("项目决策", [("决策程序", 6), ("规划论证", 6), ("资金投向", 6)]),
    ("项目管理", [("制度办法", 2), ("分配管理", 10), ("绩效监控", 6)]),
    ("项目实施", [("预算执行", 6), ("资金使用", 3)]),
    ("项目结果", [("目标完成", 6), ("完成时效", 3)]),
    ("专用指标", [("用途合规性", 10), ("程序合规性", 10), ("标准合规性", 10)]),
    ("个性指标", [("项目资料完备情况", 6), ("中心运行条件改善", 6), ("可持续发展情况", 4)]),
]

# --- numbers ----------------------------------------------------------------------------


def q(x: Decimal, places: int = 2, rounding=ROUND_HALF_UP) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def cell(x: Decimal):
    """A score or count as a table prints it: whole numbers without decimals."""
    if x == x.to_integral_value() and x.as_tuple().exponent >= 0:
        return int(x)
    return x


def score_cell(x: Decimal):
    return int(x) if x == x.to_integral_value() else q(x)


def rate_text(executed: Decimal, budget: Decimal, style: str):
    r = q(executed / budget * HUNDRED)
    if style == "bare" and r == HUNDRED:
        return 100
    return f"{r}%"


def split_points(total: int, n: int) -> list[Decimal]:
    """`total` points over n indicators: whole points when they go round, else cents."""
    if n <= 0:
        return []
    if n <= total and total % n == 0:
        return [Decimal(total // n)] * n
    if n <= total:
        base, extra = divmod(total, n)
        return [Decimal(base + (1 if i < extra else 0)) for i in range(n)]
    cents = total * 100
    base, extra = divmod(cents, n)
    return [Decimal(base + (1 if i < extra else 0)).scaleb(-2) for i in range(n)]


def apportion(n: int, weights: list[int], minimum: int = 1) -> list[int]:
    """n indicators over groups in proportion to their weights, each at least `minimum`."""
    k = len(weights)
    n = max(n, k * minimum)
    counts = [minimum] * k
    rest = n - k * minimum
    total = sum(weights)
    shares = [rest * w / total for w in weights]
    for i, s in enumerate(shares):
        counts[i] += int(s)
    left = n - sum(counts)
    order = sorted(range(k), key=lambda i: -(shares[i] - int(shares[i])))
    for i in order[:left]:
        counts[i] += 1
    return counts


# --- building blocks --------------------------------------------------------------------


class Gen:
    def __init__(self, rng: random.Random, kind: str, n_indicators: int, year: int):
        self.rng = rng
        self.kind = kind
        self.n = n_indicators
        self.year = year
        self.used_names: set[str] = set()
        self.column_style = kind == "project" and rng.random() < 0.35
        self.rate_style = "bare" if rng.random() < 0.3 else "percent"
        self.decimals = 2 if rng.random() < 0.8 else 0
        self.unit = "万元" if rng.random() < 0.9 else "元"

    # money -------------------------------------------------------------------------
    def amount(self, lo: float, hi: float) -> Decimal:
        scale = Decimal(10000) if self.unit == "元" else Decimal(1)
        raw = Decimal(str(self.rng.uniform(lo, hi))) * scale
        return q(raw, self.decimals)

    def executed_of(self, budget: Decimal, full: bool) -> Decimal:
        if full or budget == 0:
            return budget
        share = Decimal(str(self.rng.uniform(0.55, 0.995)))
        return q(budget * share, self.decimals, ROUND_DOWN)

    def fund_row(self, label: str, source: str, budget: Decimal, executed: Decimal, *, initial: Decimal | None = None) -> dict:
        row: dict[str, Any] = {"label": label, "source": source}
        if self.kind == "project":
            row["initial_budget"] = initial if initial is not None else budget
        row["budget"] = budget
        row["executed"] = executed
        if self.kind == "project":
            row["balance"] = budget - executed
        row["rate"] = rate_text(executed, budget, self.rate_style) if budget != 0 else "/"
        return row

    def sum_rows(self, label: str, source: str, rows: list[dict]) -> dict:
        def total(key):
            vals = [r[key] for r in rows if isinstance(r.get(key), Decimal)]
            return sum(vals, Decimal(0)).quantize(Decimal(1).scaleb(-self.decimals)) if vals else None

        out: dict[str, Any] = {"label": label, "source": source}
        for key in ("initial_budget", "budget", "executed", "balance"):
            if any(key in r for r in rows):
                out[key] = total(key)
        out["rate"] = rate_text(out["executed"], out["budget"], self.rate_style) if out.get("budget") else "/"
        return out

    def funds(self) -> dict:
        rng = self.rng
        full = rng.random() < 0.35  # fully executed tables print 100 / 100%
        if self.kind == "transfer":
            central_b = self.amount(50, 3000)
            central = self.fund_row("其中:中央补助", "central", central_b, self.executed_of(central_b, full))
            sources = [central]
            if rng.random() < 0.5:
                parts = []
                for label, src in (("省级", "provincial"), ("市级", "city"), ("县级", "county")):
                    if rng.random() < 0.8 or not parts:
                        b = self.amount(5, 500)
                        parts.append(self.fund_row(label, src, b, self.executed_of(b, full)))
                local = self.sum_rows("地方资金", "local", parts)
                local["parts"] = parts
                sources.append(local)
            else:
                sources.append({"label": "地方资金", "source": "local", "budget": None, "executed": None, "rate": None})
            if rng.random() < 0.6:
                b = self.amount(10, 800)
                sources.append(self.fund_row("其他资金", "other", b, self.executed_of(b, full)))
            else:
                sources.append({"label": "其他资金", "source": "other", "budget": None, "executed": None, "rate": None})
            total = self.sum_rows("年度资金总额", "total", [s for s in sources if s.get("budget") is not None])
        else:
            b = self.amount(5, 6000)
            init = b if rng.random() < 0.7 else q(b * Decimal(str(rng.uniform(0.9, 1.1))), self.decimals)
            sources = [self.fund_row("财政拨款", "fiscal", b, self.executed_of(b, full), initial=init)]
            roll = rng.random()
            if roll < 0.3:
                zero = Decimal(0).quantize(Decimal(1).scaleb(-self.decimals))
                sources.append(self.fund_row("市县区财政资金", "county", zero, zero))
            if roll > 0.5:
                ob = self.amount(1, 400)
                sources.append(self.fund_row("其他资金", "other", ob, self.executed_of(ob, full)))
            else:
                sources.append({"label": "其他资金", "source": "other", "budget": None, "executed": None, "rate": None})
            total = self.sum_rows("资金总额", "total", [s for s in sources if s.get("budget") is not None])
            total["weight"] = 10
            ratio = min(total["executed"] / total["budget"], Decimal(1))
            total["score"] = score_cell(q(10 * ratio))
        funds = {"unit": self.unit, "total": total, "sources": sources}
        if total["executed"] < total["budget"] * Decimal("0.9"):
            funds["reason"] = rng.choice([
                "部分设备采购合同尚未履行完毕，资金未全部支付；下一步加快采购进度，督促供应商按期交付。",
                "项目施工进度滞后，按合同约定分期付款，剩余资金待工程验收后支付。",
                "资金下达时间较晚，政府采购程序尚未完成；已督促项目单位加快支出进度。",
            ])
        return funds

    # indicators --------------------------------------------------------------------
    def unique_name(self, base: str) -> str:
        if base not in self.used_names:
            self.used_names.add(base)
            return base
        for _ in range(200):
            name = f"{self.rng.choice(AREAS)}{base}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        i = 2
        while f"{base}（{i}）" in self.used_names:
            i += 1
        self.used_names.add(f"{base}（{i}）")
        return f"{base}（{i}）"

    def indicator(self, level1: str, level2: str, weight: Decimal | None, funds: dict, met: bool) -> dict:
        rng = self.rng
        base, spec = rng.choice(L2_TEMPLATES[level2])
        name = self.unique_name(base)
        row: dict[str, Any] = {"level1": level1, "level2": level2, "name": name}
        kind = spec[0]
        completion: Decimal | None = None  # for unmet quantities: actual / target
        status = "met" if met else "not_met"
        column = self.column_style and kind in ("count", "ratio", "duration", "cost", "qual")
        if kind in ("count", "count_name"):
            unit = spec[1]
            n = rng.randint(spec[2], spec[3])
            op = rng.choice(["≥", "＝", "≥", ""]) if kind == "count" else "≥"
            a = n + (rng.randint(0, 3) if op == "≥" else 0) if met else rng.randint(0, n - 1)
            if not met:
                completion = Decimal(a) / Decimal(n)
            if column:
                row.update(nature=op or "≥", target=n, measure_unit=unit, actual=a)
            elif kind == "count_name":
                row.update(target=f"≥{n}", actual=a)
            else:
                row.update(target=f"{op}{n}{unit}", actual=f"{a}{unit}")
        elif kind in ("ratio", "ratio_max"):
            if kind == "ratio_max":
                row.update(target="0%", actual="0%") if not column else row.update(nature="＝", target=0, measure_unit="%", actual=0)
                status = "met"
            else:
                t = spec[1]
                two = rng.random() < 0.3
                if met:
                    a = Decimal(t) if t == 100 or rng.random() < 0.3 else Decimal(rng.randint(t, 100))
                else:
                    a = Decimal(rng.randint(max(0, t - 40), t - 1))
                    completion = a / Decimal(t)
                if column:
                    row.update(nature="≥" if t < 100 else "＝", target=t, measure_unit="%",
                               actual=(f"{a}%" if rng.random() < 0.5 else int(a)))
                elif two:
                    row.update(target=f"{Decimal(t):.2f}%", actual=f"{a:.2f}%")
                else:
                    op = "＝" if t == 100 else "≥"
                    row.update(target=f"{op}{t}%", actual=f"{a}%")
        elif kind == "qual":
            word = spec[1]
            if met:
                actual = word
            else:
                actual = rng.choice(["部分达成", "基本完成", "未达成"])
                status = "partly" if actual != "未达成" else "not_met"
            if column:
                row.update(nature="定性", target=word, measure_unit=None, actual=actual)
            else:
                row.update(target=word, actual=actual)
        elif kind == "deadline":
            month = rng.choice([6, 9, 10, 11, 12])
            day = 30 if month in (6, 9, 11) else 31
            row["target"] = f"{self.year}年{month}月{day}日前"
            if met:
                row["actual"] = f"{self.year}年{month}月{rng.randint(1, day - 1)}日"
            else:
                row["actual"] = f"{self.year + 1}年{rng.randint(1, 6)}月{rng.randint(1, 28)}日"
        elif kind == "duration":
            n, unit = spec[1], spec[2]
            op = "＝" if n == 1 else "≥"
            if column:
                row.update(nature=op, target=n, measure_unit=unit, actual=n)
            else:
                row.update(target=f"{op}{n}{unit}", actual=f"{n}{unit}")
            status = "met"
        elif kind == "cost":
            b = funds["total"]["budget"]
            e = funds["total"]["executed"]
            unit = funds["unit"]
            if column:
                row.update(nature="≤", target=b, measure_unit=unit, actual=e)
            else:
                row.update(target=f"≤{b}{unit}", actual=f"{e}{unit}")
            status = "met"
        if status != "met":
            row["reason"] = rng.choice(REASONS).format(year=self.year + 1)
        elif rng.random() < 0.15:
            row["reason"] = "无"
        else:
            row["reason"] = None
        if weight is not None:
            row["weight"] = cell(weight)
            if status == "met":
                score = weight
            elif completion is not None:
                score = q(weight * completion, 2, ROUND_DOWN)
            elif status == "partly":
                score = q(weight * Decimal("0.7"), 2, ROUND_DOWN)
            else:
                score = q(weight * Decimal("0.5"), 2, ROUND_DOWN)
            row["score"] = score_cell(score) if score != weight else cell(weight)
        # Column order as the table prints it.
        order = ["level1", "level2", "name", "nature", "initial_target", "target", "measure_unit", "actual", "weight", "score", "reason"]
        if self.kind == "project" and rng.random() < 0.5 and "nature" not in row:
            row["initial_target"] = row["target"]
        return {k: row[k] for k in order if k in row}

    def indicators(self, funds: dict, weighted: bool) -> tuple[list[dict], list[tuple[str, int]]]:
        rng = self.rng
        if self.kind == "project":
            layout = LAYOUT_NEW if self.column_style or rng.random() < 0.3 else LAYOUT_OLD
        else:
            layout = TRANSFER_LAYOUT
        counts = apportion(self.n, [w for _, w, _ in layout])
        unmet_share = rng.choice([0.0, 0.05, 0.1, 0.2])
        rows: list[dict] = []
        groups = []
        for (l1, w1, l2s), n1 in zip(layout, counts):
            groups.append((l1, w1))
            weights = split_points(w1, n1) if weighted else [None] * n1
            # spread the group's indicators over its 二级 groups, in table order
            l2_for = sorted(rng.choice(l2s) for _ in range(n1)) if n1 > len(l2s) else [l2s[i % len(l2s)] for i in range(n1)]
            l2_for.sort(key=l2s.index)
            for w, l2 in zip(weights, l2_for):
                met = rng.random() >= unmet_share
                rows.append(self.indicator(l1, l2, w, funds, met))
        return rows, groups


def _grade(score: Decimal, long: bool) -> str:
    g = "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"
    return {"优": "优秀", "良": "良好", "中": "中等", "差": "较差"}[g] if long else g


def build_submission(rng: random.Random, kind: str, n_indicators: int) -> dict:
    year = rng.choice([2023, 2024, 2024, 2024])
    g = Gen(rng, kind, n_indicators, year)
    place = rng.choice(PLACES)
    sub: dict[str, Any] = {"selfeval": 1, "kind": kind}
    if kind == "transfer":
        fund_type, name, central, provincial = rng.choice(TRANSFER_FUNDS)
        sub.update(name=name, year=year, fund_type=fund_type,
                   departments={"中央主管部门": central, "省级主管部门": provincial, "市级财政部门": f"{place}财政局"},
                   unit=f"{place}{rng.choice(ORG_SUFFIX)}")
    else:
        sub.update(name=f"{year}年{rng.choice(PROJECT_NAMES)}", year=year,
                   unit=f"{place}{rng.choice(ORG_SUFFIX)}", project_type=rng.choice(PROJECT_TYPES))
    funds = g.funds()
    sub["funds"] = funds
    subject = rng.choice(SUBJECTS)
    if kind == "transfer":
        sub["management"] = [
            {"item": it, "description": MANAGEMENT_TEXT[it].format(subject=subject),
             "issues": None if rng.random() < 0.6 else "无"}
            for it in MANAGEMENT_ITEMS
        ]
    sub["goal"] = {
        "target": f"通过建设{subject}，强化{place}安全风险防范能力，进一步提升安全监管水平。",
        "actual": f"{subject}建设工作按计划推进，全年目标基本完成。",
    }
    weighted = kind == "project" or rng.random() < 0.3
    indicators, groups = g.indicators(funds, weighted)
    declare = weighted and rng.random() < 0.6
    if declare:
        decl = []
        for l1, w1 in groups:
            entry: dict[str, Any] = {"level1": l1, "weight": w1}
            if rng.random() < 0.3:
                entry["score"] = score_cell(sum((Decimal(str(r["score"])) for r in indicators if r["level1"] == l1), Decimal(0)))
            decl.append(entry)
        sub["indicator_groups"] = decl
    elif weighted and rng.random() < 0.3:
        # 一级 rows printed with their points: 产出指标(50分)
        for l1, w1 in groups:
            for r in indicators:
                if r["level1"] == l1:
                    r["level1"] = f"{l1}({w1}分)"
    sub["indicators"] = indicators
    if weighted:
        total_score = sum((Decimal(str(r["score"])) for r in indicators), Decimal(0))
        if kind == "project":
            total_score += Decimal(str(funds["total"]["score"]))
        total_score = score_cell(total_score)
        sub["total"] = {"label": "合计", "weight": 100, "score": total_score,
                        "grade": _grade(Decimal(str(total_score)), rng.random() < 0.3)}
    sub["notes"] = "无" if rng.random() < 0.7 else None
    report: dict[str, Any] = {}
    unmet = [r for r in indicators if r.get("reason") not in (None, "无")]
    report["deviation_reasons"] = (
        "；".join(f"{r['name']}未完成，{r['reason']}" for r in unmet[:3]) if unmet else "无"
    )
    if weighted and rng.random() < 0.5:
        report["stated_score"] = sub["total"]["score"]
    sub["report"] = report
    if kind == "project" and rng.random() < 0.4:
        items, gw = [], []
        for gname, its in SCORECARD:
            gw.append({"name": gname, "weight": sum(w for _, w in its)})
            for iname, w in its:
                s = w if rng.random() < 0.8 else rng.randint(0, w)
                items.append({"level1": gname, "name": iname, "weight": w, "score": s})
        sub["scorecard"] = {"groups": gw, "items": items, "stated_total": sum(i["score"] for i in items)}
    return sub


# --- defects ----------------------------------------------------------------------------


def _rows(sub) -> list[dict]:
    f = sub["funds"]
    out = [f["total"]]
    for s in f["sources"]:
        out.append(s)
        out.extend(s.get("parts") or [])
    return [r for r in out if isinstance(r.get("budget"), Decimal) and r["budget"] != 0]


def _bump(x: Decimal, rng) -> Decimal:
    return x + Decimal(rng.choice([1, 2, 5, 10, 12, 30])).scaleb(0) * (1 if rng.random() < 0.7 else -1) if x > 40 else x + 3


def d_wrong_total(sub, rng) -> bool:
    t = sub["funds"]["total"]
    key = rng.choice(["budget", "executed"] + (["initial_budget"] if "initial_budget" in t else []))
    t[key] = _bump(t[key], rng)
    return True


def d_swapped_digits(sub, rng) -> bool:
    t = sub["funds"]["total"]
    key = "initial_budget" if "initial_budget" in t else "budget"
    s = f"{t[key]}"
    digits = [i for i in range(len(s) - 1) if s[i].isdigit() and s[i + 1].isdigit() and s[i] != s[i + 1]]
    if not digits:
        return False
    i = rng.choice(digits)
    t[key] = Decimal(s[:i] + s[i + 1] + s[i] + s[i + 2:])
    return True


def d_wrong_rate(sub, rng) -> bool:
    row = rng.choice(_rows(sub))
    r = Decimal(str(row["executed"] / row["budget"] * HUNDRED))
    row["rate"] = f"{q(r + Decimal(rng.choice(['3.5', '-4.2', '10', '-12.5'])))}%"
    return True


def d_wrong_denominator(sub, rng) -> bool:
    f = sub["funds"]
    cands = [s for s in f["sources"] if isinstance(s.get("budget"), Decimal) and s["budget"] and s["budget"] != f["total"]["budget"]]
    if not cands:
        return False
    s = rng.choice(cands)
    s["rate"] = f"{q(s['executed'] / f['total']['budget'] * HUNDRED)}%"
    return True


def d_wrong_balance(sub, rng) -> bool:
    rows = [r for r in _rows(sub) if "balance" in r]
    if not rows:
        return False
    r = rng.choice(rows)
    r["balance"] = r["balance"] + 10
    return True


def d_local_parts(sub, rng) -> bool:
    for s in sub["funds"]["sources"]:
        if s.get("parts"):
            p = rng.choice(s["parts"])
            p["budget"] = p["budget"] + 20
            p["rate"] = rate_text(p["executed"], p["budget"], "percent")
            return True
    return False


def d_div0(sub, rng) -> bool:
    f = sub["funds"]
    zero = Decimal("0.00")
    for s in f["sources"]:
        if s.get("budget") is None or s.get("budget") == 0:
            s.update(budget=zero, executed=zero, rate="#DIV/0!")
            if "balance" in f["total"]:
                s["balance"] = zero
            return True
    return False


def _pick(sub, rng, pred) -> dict | None:
    rows = [r for r in sub["indicators"] if pred(r)]
    return rng.choice(rows) if rows else None


def _is_quantity_target(r) -> bool:
    t = r.get("target")
    return isinstance(t, str) and t[:1] in "≥＝" and t[-1:] not in "前" and not t.endswith("万元")


def d_unmet_no_reason(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: r.get("reason") not in (None, "无"))
    if r is None:
        r = _pick(sub, rng, lambda r: isinstance(r.get("target"), str) and r["target"].endswith("%") and r["target"][:1] == "≥")
        if r is None:
            return False
        r["actual"] = "60%"
    r["reason"] = rng.choice([None, "无", "/"])
    return True


def d_unit_mismatch(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: isinstance(r.get("target"), str) and r["target"][-1:] in "个家套次台份" and "nature" not in r)
    if r is not None:
        r["actual"] = "100%"
        r["reason"] = None
        return True
    r = _pick(sub, rng, lambda r: isinstance(r.get("target"), str) and r["target"].endswith("%") and "nature" not in r)
    if r is None:
        return False
    r["actual"] = f"{rng.randint(3, 40)}个"
    return True


def d_yuan_wanyuan(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: str(r.get("target", "")).endswith(("万元",)) or r.get("measure_unit") == "万元")
    if r is None:
        return False
    e = sub["funds"]["total"]["executed"]
    r["actual"] = f"{int(e * 10000)}" if "measure_unit" not in r else int(e * 10000)
    return True


def d_score_over_weight(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: "weight" in r)
    if r is None:
        return False
    r["score"] = cell(Decimal(str(r["weight"])) + 2)
    return True


def d_total_score(sub, rng) -> bool:
    t = sub.get("total")
    if not t:
        return False
    t["score"] = score_cell(Decimal(str(t["score"])) - 3)
    return True


def d_grade(sub, rng) -> bool:
    t = sub.get("total")
    if not t:
        return False
    t["grade"] = {"优": "良", "良": "优", "中": "良", "差": "中", "优秀": "良好", "良好": "优秀", "中等": "良好", "较差": "中等"}[t["grade"]]
    return True


def d_group_weight(sub, rng) -> bool:
    decl = sub.get("indicator_groups")
    if not decl:
        return False
    g = rng.choice(decl)
    g["weight"] = g["weight"] + 10
    return True


def d_weights_sum(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: "weight" in r)
    if r is None or sub.get("indicator_groups"):
        return False
    w = Decimal(str(r["weight"]))
    r["weight"] = cell(w + 5)
    return True


def d_comparison_actual(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: isinstance(r.get("target"), str) and r["target"].startswith("≥"))
    if r is None:
        return False
    r["actual"] = r["target"]
    return True


def d_blank_actual(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: True)
    r["actual"] = None
    return True


def d_qualitative_numeric(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: isinstance(r.get("target"), str) and r["target"] in ("提升", "明显有效", "健全", "改善", "稳步提升", "显著提升"))
    if r is None:
        return False
    r["actual"] = "100%"
    return True


def d_unmet_full_score(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: "weight" in r and isinstance(r.get("target"), str) and r["target"].startswith("≥") and r["target"].endswith("%"))
    if r is None:
        return False
    t = Decimal(r["target"][1:-1])
    r["actual"] = f"{t - 10}%"
    r["reason"] = "部分单位工作推进滞后，下一步加强督导。"
    return True


def d_text_actual(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: _is_quantity_target(r))
    if r is None:
        return False
    r["actual"] = "因设备交付缓慢尚未完成全部安装"
    return True


def d_missing_number(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: isinstance(r.get("target"), str) and r["target"][:1] == "＝" and r["target"][-1:] in "个家套次台")
    if r is None:
        return False
    r["target"] = "=" + r["target"][-1]
    return True


def d_measure_unit(sub, rng) -> bool:
    r = _pick(sub, rng, lambda r: r.get("measure_unit") in ("家", "个", "套", "次", "台"))
    if r is None:
        return False
    r["target"] = f"{r['target']}个" if r["measure_unit"] != "个" else f"{r['target']}台"
    return True


def d_stated_score(sub, rng) -> bool:
    rep = sub.get("report") or {}
    if "stated_score" not in rep:
        return False
    rep["stated_score"] = score_cell(Decimal(str(rep["stated_score"])) + 3)
    return True


def d_scorecard_total(sub, rng) -> bool:
    sc = sub.get("scorecard")
    if not sc:
        return False
    sc["stated_total"] = sc["stated_total"] + 3
    return True


def d_negative_amount(sub, rng) -> bool:
    rows = _rows(sub)
    r = rng.choice(rows)
    r["executed"] = -r["executed"]
    return True


DEFECTS: dict[str, Callable[[dict, random.Random], bool]] = {
    "wrong_total": d_wrong_total,
    "swapped_digits": d_swapped_digits,
    "wrong_rate": d_wrong_rate,
    "wrong_denominator": d_wrong_denominator,
    "wrong_balance": d_wrong_balance,
    "local_parts_sum": d_local_parts,
    "div0": d_div0,
    "unmet_without_reason": d_unmet_no_reason,
    "unit_mismatch": d_unit_mismatch,
    "yuan_wanyuan": d_yuan_wanyuan,
    "score_over_weight": d_score_over_weight,
    "total_score": d_total_score,
    "grade": d_grade,
    "group_weight": d_group_weight,
    "weights_sum": d_weights_sum,
    "comparison_actual": d_comparison_actual,
    "blank_actual": d_blank_actual,
    "qualitative_numeric": d_qualitative_numeric,
    "unmet_full_score": d_unmet_full_score,
    "text_actual": d_text_actual,
    "missing_number": d_missing_number,
    "measure_unit": d_measure_unit,
    "stated_score": d_stated_score,
    "scorecard_total": d_scorecard_total,
    "negative_amount": d_negative_amount,
}
# The defect classes the benchmark targets come up more often.
DEFECT_WEIGHTS = {name: 1 for name in DEFECTS} | {
    "wrong_total": 4, "wrong_rate": 4, "unmet_without_reason": 4, "unit_mismatch": 4, "div0": 3,
}


# --- entry points -----------------------------------------------------------------------


def parse_range(text: str | int | tuple) -> tuple[int, int]:
    if isinstance(text, tuple):
        return text
    if isinstance(text, int):
        return text, text
    lo, _, hi = str(text).partition("-")
    return int(lo), int(hi or lo)


def generate_one(seed: int, index: int, indicators: tuple[int, int] = (10, 200), defect_share: float = 0.3,
                 kind: str | None = None) -> tuple[dict, list[str]]:
    """Submission `index` of `seed`: (mapping, names of the defects applied)."""
    rng = random.Random(f"selfeval-bench:{seed}:{index}")
    k = kind or ("transfer" if rng.random() < 0.5 else "project")
    lo, hi = indicators
    # Most real tables have 6–30 indicators; the range's upper part is rarer.
    n = lo if lo == hi else min(hi, max(lo, int(round(lo + (hi - lo) * rng.random() ** 2))))
    sub = build_submission(rng, k, n)
    applied: list[str] = []
    if rng.random() < defect_share:
        names = list(DEFECTS)
        weights = [DEFECT_WEIGHTS[x] for x in names]
        wanted = rng.choice([1, 1, 2, 3])
        for _ in range(12):
            if len(applied) >= wanted:
                break
            name = rng.choices(names, weights)[0]
            if name in applied:
                continue
            if DEFECTS[name](sub, rng):
                applied.append(name)
    return sub, applied


def generate(count: int, seed: int = 1, indicators=(10, 200), defect_share: float = 0.3, kind: str | None = None):
    """Yield (index, mapping, defects) for `count` submissions."""
    rng_range = parse_range(indicators)
    for i in range(count):
        sub, applied = generate_one(seed, i, rng_range, defect_share, kind)
        yield i, sub, applied


# --- writing ----------------------------------------------------------------------------


def to_json(value: Any) -> str:
    """JSON with Decimals written as printed (5000.00 stays 5000.00)."""
    parts: list[str] = []

    def emit(v):
        if v is None:
            parts.append("null")
        elif v is True:
            parts.append("true")
        elif v is False:
            parts.append("false")
        elif isinstance(v, Decimal):
            parts.append(format(v, "f"))
        elif isinstance(v, int):
            parts.append(str(v))
        elif isinstance(v, str):
            parts.append(json.dumps(v, ensure_ascii=False))
        elif isinstance(v, dict):
            parts.append("{")
            for j, (k, x) in enumerate(v.items()):
                if j:
                    parts.append(", ")
                parts.append(json.dumps(k, ensure_ascii=False))
                parts.append(": ")
                emit(x)
            parts.append("}")
        elif isinstance(v, (list, tuple)):
            parts.append("[")
            for j, x in enumerate(v):
                if j:
                    parts.append(", ")
                emit(x)
            parts.append("]")
        else:
            raise TypeError(f"cannot write {type(v).__name__}")

    emit(value)
    return "".join(parts) + "\n"


def _yaml_dumper():
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc,valid-type]
        pass

    def decimal(dumper, value: Decimal):
        text = format(value, "f")
        if "." not in text:
            return dumper.represent_scalar("tag:yaml.org,2002:int", text)
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)

    Dumper.add_representer(Decimal, decimal)
    return Dumper


_DUMPER = None


def to_yaml(value: Any) -> str:
    import yaml

    global _DUMPER
    if _DUMPER is None:
        _DUMPER = _yaml_dumper()
    return yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, default_flow_style=False, width=200)


def dump(value: Any, fmt: str) -> str:
    return to_json(value) if fmt == "json" else to_yaml(value)


def write_dir(out: Path, count: int, seed: int = 1, indicators=(10, 200), defect_share: float = 0.3,
              fmt: str = "json", kind: str | None = None) -> list[dict]:
    """Write `count` files into `out` and a hidden .manifest.json (ignored by
    `selfeval check DIR`, which skips dot files). Returns the manifest entries."""
    out.mkdir(parents=True, exist_ok=True)
    suffix = ".json" if fmt == "json" else ".yaml"
    manifest = []
    width = max(5, len(str(count)))
    for i, sub, applied in generate(count, seed, indicators, defect_share, kind):
        name = f"sub-{i:0{width}d}{suffix}"
        (out / name).write_text(dump(sub, fmt), encoding="utf-8")
        manifest.append({"file": name, "kind": sub["kind"], "indicators": len(sub["indicators"]), "defects": applied})
    (out / ".manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Generate synthetic 绩效自评表 submissions (seeded).")
    p.add_argument("--count", type=int, default=100, help="how many submissions (default 100)")
    p.add_argument("--indicators", default="10-200", help="indicators per submission: K or LO-HI (default 10-200)")
    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--format", choices=("json", "yaml"), default="json")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--defects", type=float, default=0.3, help="share of submissions with defects (default 0.3)")
    p.add_argument("--kind", choices=("transfer", "project"), help="only this kind (default: both)")
    args = p.parse_args(argv)
    manifest = write_dir(args.out, args.count, args.seed, parse_range(args.indicators), args.defects, args.format, args.kind)
    defective = sum(1 for m in manifest if m["defects"])
    print(f"wrote {len(manifest)} submissions to {args.out} ({defective} with defects)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
