"""Write the sample workbooks: the reference documents' self-evaluation tables, cell for cell.

    python samples/make_workbooks.py            # writes next to this file
    python samples/make_workbooks.py OUTDIR

- anshan-2024-transfer.xlsx: 鞍山市 2024 转移支付 绩效目标自评表 (shared/domain/reference/
  anshan-2024-transfer-self-eval.txt), defects included: 地方资金 left empty, 执行率 0%,
  every 存在问题和改进措施 blank, 说明 blank although five indicators were missed.
- quxian-2024-monitoring-center.xlsx, quxian-2024-experts.xlsx: 渠县 专项预算项目绩效目标完成情况
  自评表 (quxian-2024-project-self-evals.txt). The monitoring-center table's top rows were cut
  from the extracted text; they follow the same template, with the name, amounts and year the
  report states (no project code is given there, so none is invented).

The PDF text lost the merged cells; the merges here are the template's (a vertical section
label in column A, 一级/二级 labels merged down their rows, values merged across).

Output is byte-for-byte deterministic: fixed document dates and zip timestamps."""

from __future__ import annotations

import re
import sys
import zipfile
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

FIXED_ZIP_TIME = (2025, 2, 28, 0, 0, 0)
FIXED_DOC_TIME = "2025-02-28T00:00:00Z"

P2 = "0.00%"
P0 = "0%"


def anshan_spec() -> dict:
    desc = {
        "分配科学性": "根据矿山生产规模、开采工程进度等方面进行论证,依据风险等级进行分配。",
        "下达及时性": "根据省财政、省应急部门批复要求,严格按照《关于下达中央财政2024年安全生产预防和应急救援能力建设补助资金预算指标的通知》等相关规定,及时下达中央资金。",
        "拨付合规性": "据省财政、省应急下达指标,经局党委会讨论同意、市政府常务会议审议通过,按照相关规定开展资金拨付工作,坚决执行专款专用,无截留、挪用等违规问题。",
        "使用规范性": "市级应急管理和财政部门严格按照《关于下达中央财政2024年安全生产预防和应急救援能力建设补助资金预算指标的通知》等要求,督促相关企业合理使用资金。",
        "执行准确性": "安全生产预防和应急救援能力建设补助资金专项用于我市非煤矿山在线监控系统建设工作,项目资金均按照规定的支出范围使用,未擅自扩大资金使用范围。",
        "预算绩效管理情况": "市应急管理局、市财政局不断加强全过程预算绩效管理,对照绩效目标实现程度和预算执行进度实行“双监控”,并按照职责分工,严格落实绩效管理主体责任。为进一步规范和加强专项补助资金管理,提高资金使用效益,市应急管理局组织制定年度绩效目标,并报市财政局审核。在资金管理过程中,按照市财政局关于加强预算管理工作的要求,市应急管理局督促县区应急管理部门抓好项目实施并严格开展资金执行调度工作,强化资金使用管理。",
        "支出责任履行情况": "市应急管理局、市财政局压实主体责任,督导相关企业全力开展在线监控系统建设工作,确保工作稳步推进、按期完成。矿山的安全生产得到有效保障。",
    }
    rows = [
        ["中央对地方转移支付安全生产预防和应急救援能力建设补助资金 (煤矿及重点非煤矿山重大灾害风险防控资金) 绩效目标自评表"],
        ["(2024年度)"],
        ["转移支付(项目)名称", None, "安全生产预防和应急救援能力建设补助资金(煤矿及重点非煤矿山重大灾害风险防控资金)"],
        ["中央主管部门", None, "财政部、国家矿山安全监察局"],
        ["省级主管部门", None, "辽宁省地方矿山安全监督管理局、国家矿山安全监察局辽宁局"],
        ["市级财政部门", None, "鞍山市财政局", "资金使用单位", "鞍钢集团矿业有限公司"],
        ["资金投入情况(万元)", None, "全年预算数(A)", "全年执行数(B)", None, "预算执行率(B/A)"],
        [None, "年度资金总额", 157, 0, None, (0, P0)],
        [None, "其中:中央补助", 94, 0, None, (0, P0)],
        [None, "地方资金"],
        [None, "其他资金", 63, 0, None, (0, P0)],
        ["资金管理情况", None, "情况说明", None, None, "存在问题和改进措施"],
        *[[None, item, text] for item, text in desc.items()],
        ["年度总体目标", "总体目标", None, None, None, "全年实际完成情况"],
        [None, "通过建设重点非煤矿山重大风险防控项目,强化全市重点非煤矿山安全风险防范能力,进一步提升矿山安全监管监察水平。",
         None, None, None, "未完成在线监控系统建设工作。"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "全年实际完成值", "未完成原因和改进措施"],
        [None, "产出指标", "数量指标", "重点非煤矿山在线监控系统", "1个", "0个", "施工进度缓慢"],
        [None, None, None, "视频监控点位", "≥15个", "0个", "设备交付缓慢,沟通厂家加快交付"],
        [None, None, None, "移动式摄像机", "≥10个", "0个", "设备交付缓慢,沟通厂家加快交付"],
        [None, None, "质量指标", "验收通过率", (0.95, P2), (0, P2), "工程未进入验收阶段"],
        [None, None, None, "联网在线率", (0.9, P2), (0.9, P2)],
        [None, None, "时效指标", "进度完成率", (0.9, P2), (0.7, P2), "预计6月底完成,正在协调资金问题"],
        [None, "效益指标", "社会效益指标", "矿山安全风险防控水平", "提升", "提升"],
        [None, None, "可持续性影响", "矿山安全监管监察效能", "提升", "提升"],
        [None, "满意度指标", "服务对象满意度指标", "服务对象满意度", "满意", "满意"],
        ["说明"],
        ["注:1.资金使用单位按项目绩效目标填报、主管部门汇总时按区域绩效目标填报。"],
        [" 2.其他资金包括与中央财政资金、地方财政资金共同投入到同一项目的自有资金、社会资金,以及以前年度的结转结余资金等。"],
        [" 3.全年执行数是指按照国库集中支付制度要求所形成的实际支出。"],
    ]
    merges = [
        "A1:G1", "A2:G2", "A3:B3", "C3:G3", "A4:B4", "C4:G4", "A5:B5", "C5:G5", "A6:B6", "E6:G6",
        # 资金投入情况: section label down column A, 全年执行数 and 执行率 two columns wide
        "A7:A11", "D7:E7", "F7:G7", *[f"D{r}:E{r}" for r in range(8, 12)], *[f"F{r}:G{r}" for r in range(8, 12)],
        # 资金管理情况: 情况说明 C:E, 存在问题和改进措施 F:G
        "A12:A19", "C12:E12", "F12:G12", *[f"C{r}:E{r}" for r in range(13, 20)], *[f"F{r}:G{r}" for r in range(13, 20)],
        "A20:A21", "B20:E20", "F20:G20", "B21:E21", "F21:G21",
        # 绩效指标: 一级 and 二级 labels merged down the rows they cover
        "A22:A31", "B23:B28", "C23:C25", "C26:C27", "B29:B30",
        "A32:B32", "C32:G32", "A33:G33", "A34:G34", "A35:G35",
    ]
    return {"sheets": [{
        "name": "自评表", "rows": rows, "merges": merges, "table_rows": (3, 32), "title_rows": (1, 2),
        "widths": {"A": 9, "B": 14, "C": 16, "D": 22, "E": 12, "F": 16, "G": 26},
    }]}


def quxian_spec(name, unit, amount, goal, indicators, amount_format=None) -> dict:
    money = (amount, amount_format) if amount_format else amount
    rows = [
        ["专项预算项目绩效目标完成情况自评表"],
        ["项目名称", name],
        ["预算单位", unit],
        ["项目类型", "行政运转"],
        ["项目 概况", "中长期规划（名称、文号，仅指常年项目）"],
        [None, "资金管理办法（名称、文号）"],
        [None, "绩效分配方式", "£因素法", "项目法", "据实据效", "£因素法与项目法相结合"],
        [None, "立项依据"],
        [None, "使用范围"],
        [None, "申报（补助）条件"],
        [None, "项目起止年限", "2024年度"],
        ["项目资金\n（万元）", "年度资金总额：", money],
        [None, "  其中：财政拨款", money],
        [None, "        其他资金"],
        ["总体 目标", "年度目标"],
        [None, goal],
        ["绩效 指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "实际完成指标值"],
        *[[None, *row] for row in indicators],
    ]
    merges = [
        "A1:I1", "B2:I2", "B3:I3", "B4:I4", "A5:A11", "C5:I5", "C6:I6", "F7:I7", "C8:I8", "C9:I9", "C10:I10",
        "C11:I11", "A12:A14", "C12:I12", "C13:I13", "C14:I14", "A15:A16", "B15:I15", "B16:I16",
        "A17:A23", "B18:B20",
    ]
    return {"sheets": [{
        "name": "自评表", "rows": rows, "merges": merges, "table_rows": (2, 23), "title_rows": (1, 1),
        "widths": {"A": 8, "B": 14, "C": 16, "D": 30, "E": 9, "F": 10, "G": 9, "H": 7, "I": 14},
    }]}


def monitoring_center_spec() -> dict:
    return quxian_spec(
        "2024年监测监控中心运行经费", "渠县安全生产事务中心", 17.28,
        "保障监测监控中心正常运行，确保煤矿监测监控数据正常上传至监测监控中心，在上传至市、省。",
        [
            ["产出指标", "数量指标", "监控煤矿数量", "＝", 5, "家", 20, 5],
            [None, "质量指标", "监测监控平台运转率", "＝", 100, "%", 10, 100],
            [None, "时效指标", "监测监控平台运转时间", "＝", 1, "年", 10, 1],
            ["效益指标", "社会效益指标", "有效提升煤矿安全监管能力", "定性", "明显有效", None, 20, "明显有效"],
            # typed as 98% in Excel: stored 0.98 with a percent format
            ["满意度\n指标", "满意度指标", "上级部门满意度", "≥", 95, "%", 10, (0.98, P0)],
            ["成本指标", "经济成本指标", "成本控制在一定范围内", "≤", 17.28, "万元", 20, 17.28],
        ],
    )


def experts_spec() -> dict:
    return quxian_spec(
        "51172524T000011043203-2024年专家经费", "渠县安全生产事务中心", 13.6,
        "完成煤矿复工复产隐患排查、验收和煤矿日常监管工作。",
        [
            ["产出指标", "数量指标", "复工复产和日常监管煤矿数量", "＝", 5, "家", 10, 5],
            [None, "质量指标", "达到复工复产验收合格率和日常监管专家到位率", "＝", 100, "%", 20, 100],
            [None, "时效指标", "按时完成率", "＝", 100, "%", 10, 100],
            ["效益指标", "社会效益指标", "有效提升煤矿安全，减少事故率，保障职工生命和财产安全。", "定性", "明显有效", None, 20, "明显有效"],
            ["满意度\n指标", "满意度指标", "煤矿满意度", "≥", 95, "%", 10, 96],
            # printed 13.60: a number shown with two decimals
            ["成本指标", "经济成本指标", "成本控制在一定范围内", "≤", (13.6, "0.00"), "万元", 20, (13.6, "0.00")],
        ],
    )


# --- Yangcheng county (阳城县应急管理局, 2024): seven project tables ---------------------------
#
# Cell for cell from yangcheng-2024-project-self-evals.txt. The extracted text lost the merged
# cells, so a merged label sometimes shows on the wrong row or column; the merges here are the
# template's. What the text shows as the tables' own quirks is kept: in four tables the funds
# block's values sit one column right of their headers (the 资金总额 label shares the first
# header's column), the 总分 row puts the score under 分值 or under 得分 with 优 beside it, and
# reasons sit in the column after the 偏差原因 header.

P2 = "0.00%"


def _cells_sheet(name: str, cells: dict, merges: list[str], widths: dict | None = None) -> dict:
    """A sheet spec from {"A1": value} placements (a value or (value, number_format))."""
    from openpyxl.utils.cell import coordinate_to_tuple

    rows: list[list] = []
    for ref, value in cells.items():
        r, c = coordinate_to_tuple(ref)
        while len(rows) < r:
            rows.append([])
        line = rows[r - 1]
        while len(line) < c:
            line.append(None)
        line[c - 1] = value
    return {"name": name, "rows": rows, "merges": merges, "table_rows": (3, len(rows)), "title_rows": (1, 1),
            "widths": widths or {"A": 10, "B": 12, "C": 12, "D": 26, "E": 10, "F": 12, "G": 14, "H": 8, "I": 8, "J": 20, "K": 20}}


def _put(cells: dict, row: int, values: dict) -> None:
    for col, value in values.items():
        if value is not None:
            cells[f"{col}{row}"] = value


def yangcheng_provincial() -> dict:
    """Table 1: the provincial 项目支出绩效自评表 (资金情况 with 年初预算数 / 分值 / 得分, formula
    rates that show #DIV/0! on the empty source rows, 年初指标值 / 全年完成值)."""
    t = YANGCHENG_TEXTS
    c: dict = {}
    _put(c, 1, {"A": "2024年安全生产预防和应急救援能力建设补助资金预算项目支出绩效自评表"})
    _put(c, 2, {"A": "(2024年度)"})
    _put(c, 3, {"A": "项目名称", "B": "2024年安全生产预防和应急救援能力建设补助资金预算（煤矿及重点非煤矿山重大灾害风险防控支出）"})
    _put(c, 4, {"A": "主管部门", "B": "217-阳城县应急管理局", "E": "实施单位", "F": "217001-阳城县应急管理局"})
    _put(c, 5, {"A": "资金情况\n(万元)", "C": "年初预算数", "D": "全年预算数", "E": "全年执行数", "F": "预算执行率",
                "G": "分值", "H": "得分", "I": "预算执行率偏低\n原因分析"})
    _put(c, 6, {"B": "年度资金总额", "C": (0, "0.00"), "D": (191, "0.00"), "E": (191, "0.00"), "F": (1, P2), "G": 10, "H": (10, "0.00")})
    _put(c, 7, {"B": "其中：中央资金", "F": "#DIV/0!"})
    _put(c, 8, {"B": "省级资金", "D": (191, "0.00"), "E": (191, "0.00"), "F": (1, P2)})
    _put(c, 9, {"B": "市级资金", "F": "#DIV/0!"})
    _put(c, 10, {"B": "县级资金", "F": "#DIV/0!"})
    _put(c, 11, {"B": "其他资金", "F": "#DIV/0!"})
    _put(c, 12, {"A": "年度\n总体\n目标", "B": "年度目标", "F": "全年实际完成情况"})
    _put(c, 13, {"B": t["t1.goal"], "F": t["t1.done"]})
    _put(c, 14, {"A": "绩效指标", "B": "一级指标", "C": "二级指标", "D": "三级指标", "F": "年初指标值", "G": "全年完成值",
                 "H": "分值", "I": "得分", "J": "未完成原因\n和改进措施"})
    indicators = [
        (15, "产出指标\n(50分)", "数量指标(20分)", "2024年安全生产预防和应急救援能力建设补助资金企业数", "4个", "4个", 10, 10),
        (16, None, None, "重点煤矿井下视频智能监控系统企业数", "3个", "3个", 5, 5),
        (17, None, None, "煤矿瓦斯、水、火、冲击地压、顶板等重大风险监控和联网企业", "3个", "3个", 5, 5),
        (18, None, "质量指标(10分)", "验收通过率", "100%", "100%", 10, 10),
        (19, None, "时效指标(10分)", "建设项目完成时间", "2024年12月", "2024年12月", 10, 10),
        (20, None, "成本指标(10分)", "2024年安全生产预防和应急救援能力建设补助金额", "191万元", "191万元", 10, 10),
        (21, "效益指标\n(30分)", "经济效益指标", None, None, None, None, None),
        (22, None, "社会效益指标", "煤矿安全风险防控水平", "提高", "提高", 15, 15),
        (23, None, "生态效益指标", None, None, None, None, None),
        (24, None, "可持续发展指标", "煤矿安全监管监察效能", "提高", "提高", 15, 15),
        (25, "满意度指标\n(10分)", "服务对象满意度指标", "煤矿企业满意度", "≥90%", "90%", 10, 10),
    ]
    for row, l1, l2, name, target, actual, weight, score in indicators:
        _put(c, row, {"B": l1, "C": l2, "D": name, "F": target, "G": actual, "H": weight, "I": score})
    _put(c, 26, {"A": "合计", "H": 100, "I": 100})
    analysis = [("项目实施的预算执行情况分析(具体分析)", t["t1.a1"]), ("产出情况分析", t["t1.a2"]), ("效益情况分析", t["t1.a3"]),
                ("满意度情况分析", t["t1.a4"]), ("主要经验做法", t["t1.a5"])]
    for i, (label, text) in enumerate(analysis):
        _put(c, 27 + i, {"A": "项目绩效分析" if i == 0 else None, "B": label, "D": text})
    _put(c, 32, {"A": "项目管理中存在的问题及改进建议", "D": t["t1.problems"]})
    merges = ["A1:J1", "A2:J2", "B3:J3", "B4:D4", "F4:J4", "A5:A11", "I5:J5", "I6:J11", "A12:A13", "B12:E12", "F12:J12",
              "B13:E13", "F13:J13", "A14:A25", "D14:E14", "B15:B20", "C15:C17", "B21:B24", "A26:G26",
              *[f"D{r}:E{r}" for r in range(15, 26)], "A27:A31", *[f"B{r}:C{r}" for r in range(27, 32)],
              *[f"D{r}:J{r}" for r in range(27, 32)], "A32:C32", "D32:J32"]
    return _cells_sheet("煤矿重大灾害风险防控", c, merges)


def _county_rest(c: dict, merges: list, row: int, goal: tuple, indicators: list, total: tuple, analysis: list,
                 after: list, width: str) -> None:
    """From the goal rows down: 项目年度绩效目标, the indicator rows, 总分, 项目绩效分析."""
    anchor, target, done = goal
    if anchor:
        _put(c, row, {"A": anchor, "B": "年度目标", "F": "实际完成情况"})
        _put(c, row + 1, {"B": target, "F": done})
        merges += [f"A{row}:A{row + 1}", f"B{row}:E{row}", f"F{row}:{width}{row}", f"B{row + 1}:E{row + 1}", f"F{row + 1}:{width}{row + 1}"]
    else:
        _put(c, row, {"A": "年度目标", "F": "实际完成情况"})
        _put(c, row + 1, {"A": target, "F": done})
        merges += [f"A{row}:E{row}", f"F{row}:{width}{row}", f"A{row + 1}:E{row + 1}", f"F{row + 1}:{width}{row + 1}"]
    header = row + 2
    _put(c, header, {"A": "绩效指标", "B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "年初指标值", "F": "调整后指标值",
                     "G": "实际完成值", "H": "分值", "I": "得分", "J": "偏差原因分析及改进措施"})
    if width == "K":
        merges.append(f"J{header}:K{header}")
    for i, values in enumerate(indicators):
        _put(c, header + 1 + i, values)
    last = header + len(indicators)
    merges.append(f"A{header}:A{last}")
    # 一级 and 二级 labels merged down the rows they cover
    for col, parent in (("B", None), ("C", "B")):
        starts = [header + 1 + i for i, v in enumerate(indicators) if v.get(col)]
        bounds = [header + 1 + i for i, v in enumerate(indicators) if parent and v.get(parent)]
        for j, start in enumerate(starts):
            end = starts[j + 1] - 1 if j + 1 < len(starts) else last
            later = [b for b in bounds if b > start]
            if later:
                end = min(end, later[0] - 1)
            if end > start:
                merges.append(f"{col}{start}:{col}{end}")
    row = last + 1
    cells, label_end = total
    _put(c, row, {"A": "总分", **cells})
    merges.append(f"A{row}:{label_end}{row}")
    row += 1
    start = row
    for label_cells, text in analysis:
        _put(c, row, {**label_cells, "D": text})
        merges.append(f"D{row}:{width}{row}")
        if "B" in label_cells and "C" not in label_cells:
            merges.append(f"B{row}:C{row}")
        row += 1
    c[f"A{start}"] = "项目绩效分析"
    merges.append(f"A{start}:A{row - 1}")
    for label, text in after:
        _put(c, row, {"A": label, "D": text})
        merges += [f"A{row}:C{row}", f"D{row}:{width}{row}"]
        row += 1


def _head(c: dict, merges: list, title: str, name: str, width: str, year_line: bool = True) -> int:
    _put(c, 1, {"A": title})
    merges.append(f"A1:{width}1")
    row = 2
    if year_line:
        _put(c, 2, {"A": "(2024年度)"})
        merges.append(f"A2:{width}2")
        row = 3
    _put(c, row, {"A": "项目名称", "C": name})
    _put(c, row + 1, {"A": "主管部门及代码", "C": "217-阳城县应急管理局", "F": "预算单位", "G": "217001-阳城县应急管理局"})
    merges += [f"A{row}:B{row}", f"C{row}:{width}{row}", f"A{row + 1}:B{row + 1}", f"C{row + 1}:E{row + 1}", f"G{row + 1}:{width}{row + 1}"]
    return row + 2


def _text(value):
    """`=1个` typed into a text-formatted cell: text, not a formula."""
    return (value, "@") if isinstance(value, str) and value.startswith("=") else value


def _ind(l1, l2, name, initial, adjusted, actual, weight, score, reason=None, reason_col="J") -> dict:
    out = {"B": l1, "C": l2, "D": name, "E": _text(initial), "F": _text(adjusted), "G": _text(actual), "H": weight, "I": score}
    if reason:
        out[reason_col] = reason
    return out


def yangcheng_fire_station() -> dict:
    """Table 2: 阳东一级消防站. 资金总额: sits on the header row, merged down to its values;
    the 总分 row puts the score (100) under 分值 and 优 under 得分."""
    t = YANGCHENG_TEXTS
    c: dict = {}
    merges: list = []
    r = _head(c, merges, "阳东一级消防站建设项目经费项目支出绩效自评表", "阳东一级消防站建设项目经费", "J")
    _put(c, r, {"A": "项目资金预算安排及执行进度(万元)", "B": "资金总额:", "C": "年初预算数", "E": "全年预算数", "F": "全年执行数",
                "G": "资金结(转)余", "H": "执行率", "I": "得分", "J": "偏差原因分析及改进措施"})
    _put(c, r + 1, {"C": "目标申报数", "D": "预算编制数"})
    _put(c, r + 2, {"C": 0, "D": 150, "E": 150, "F": 150, "G": 0, "H": 100, "I": 10})
    _put(c, r + 3, {"B": "市县区财政资金", "C": 0, "D": 150, "E": 150, "F": 150, "G": 0, "H": (100, "0.00"), "I": (10, "0.00")})
    merges += [f"A{r}:A{r + 3}", f"B{r}:B{r + 2}", f"C{r}:D{r}", *[f"{x}{r}:{x}{r + 1}" for x in "EFGHIJ"], f"J{r + 2}:J{r + 3}"]
    build = "一级消防站主体工程建设完"
    _county_rest(c, merges, r + 4, ("项目年度绩效目标", t["t2.goal"], t["t2.done"]), [
        _ind("产出指标", "数量指标", "一级消防站主体建设项目", "=个", "=1个", "=1个", 20, 20),
        _ind(None, "质量指标", build, "=%", "=100%", "=100%", 10, 10),
        _ind(None, "时效指标", build, None, 2024, "达成预期指标", 10, 10),
        _ind(None, "成本指标", "一级消防站输配电电费", "=万元", "=2.13万元", "=2.13万元", 2, 2),
        _ind(None, None, "一级消防站电路移接补偿费", "=万元", "=1.84万元", "=1.84万元", 2, 2),
        _ind(None, None, "一级消防站工程监理费", "=万元", "=5万元", "=5万元", 2, 2),
        _ind(None, None, "一级消防站工程款", "=万元", "=139.83万元", "=139.83万元", 2, 2),
        _ind(None, None, "一级消防站委托服务费", "=万元", "=1.2万元", "=1.2万元", 2, 2),
        _ind("效益指标", "社会效益", "消防应急救援处置能力", None, "提高", "达成预期指标", 30, 30),
        _ind("满意度指标", "服务对象满意度", "人民群众满意度", "≥%", "≥90%", "≥90%", 10, 10),
    ], ({"H": 100, "I": "优"}, "G"), [
        ({"B": "项目实施的预算执行情况及分析"}, t["t2.a1"]), ({"B": "项目完成情况及分析"}, t["t2.a2"]),
        ({"B": "效益情况及分析"}, t["t2.a3"]), ({"B": "满意度情况及分析"}, t["t2.a4"]), ({"B": "主要经验做法"}, t["t2.a5"]),
    ], [("项目管理中存在的主要问题及原因分析", t["t2.problems"]), ("下一步改进措施及管理建议", t["t2.next"])], "J")
    return _cells_sheet("阳东一级消防站", c, merges)


def yangcheng_supervision_team() -> dict:
    """Table 3: 煤矿安全监管五人小组. The 总分 row: 98 under 得分, 优 in the reason column;
    satisfaction written ≥88% as an actual."""
    t = YANGCHENG_TEXTS
    c: dict = {}
    merges: list = []
    r = _head(c, merges, "煤矿安全监管五人小组经费项目支出绩效自评表", "煤矿安全监管五人小组经费", "J")
    _put(c, r, {"A": "项目资金预算安排及执行进度(万元)", "C": "年初预算数", "E": "全年预算数", "F": "全年执行数",
                "G": "资金结(转)余", "H": "执行率", "I": "得分", "J": "偏差原因分析及改进措施"})
    _put(c, r + 1, {"C": "目标申报数", "D": "预算编制数"})
    _put(c, r + 2, {"B": "资金总额:", "C": 0, "D": 290, "E": 289.989, "F": 289.989, "G": 0, "H": 100, "I": 10})
    _put(c, r + 3, {"B": "市区区财政资金", "C": 0, "D": 290, "E": 289.989, "F": 289.989, "G": 0, "H": (100, "0.00"), "I": (10, "0.00")})
    merges += [f"A{r}:A{r + 3}", f"B{r}:B{r + 1}", f"C{r}:D{r}", *[f"{x}{r}:{x}{r + 1}" for x in "EFGHIJ"], f"J{r + 2}:J{r + 3}"]
    _county_rest(c, merges, r + 4, ("项目年度绩效目标", t["t3.goal"], t["t3.done"]), [
        _ind("产出指标", "数量指标", "地方煤矿包保企业数", "=个", "=29个", "=29个", 20, 20),
        _ind(None, "质量指标", "地方煤矿包保完成率", "=%", "=100%", "=100%", 10, 10),
        _ind(None, "时效指标", "煤矿包保工作开展时间", None, "24年1月至12月", "达成预期指标", 10, 10),
        _ind(None, "成本指标", "月奖励考核标准", "=元/人", "=1500元/人", "=1500元/人", 10, 10),
        _ind("效益指标", "社会效益", "全县地方煤矿安全形势", None, "好转", "达成预期指标", 30, 30),
        _ind("满意度指标", "服务对象满意度", "煤矿企业满意度", "≥%", "≥90%", "≥88%", 10, 8, t["t3.reason"]),
    ], ({"I": 98, "J": "优"}, "H"), [
        ({"B": "项目实施的预算执行情况及分析"}, t["t3.a1"]), ({"B": "产出情况及分析"}, t["t3.a2"]),
        ({"B": "效益情况及分析"}, t["t3.a3"]), ({"B": "满意度情况及分析"}, t["t3.a4"]), ({"B": "主要经验做法"}, t["t3.a5"]),
        ({"B": "项目管理中存在的主要问题及原因分析"}, t["t3.problems"]), ({"B": "下一步改进措施及管理建议"}, t["t3.next"]),
    ], [], "J")
    return _cells_sheet("五人小组", c, merges)


def _shifted_funds(c: dict, merges: list, r: int, initial: tuple, budget, executed, source: str, width: str) -> None:
    """Tables 4 and 5: the header row starts right after the block title, while 资金总额: and
    the source label share the first header's column, so every value sits one column right
    of its header."""
    _put(c, r, {"A": "项目资金预算安排及执行进度(万元)", "B": "年初预算数", "D": "全年预算数", "E": "全年执行数",
                "F": "资金结(转)余", "G": "执行率", "H": "得分", "I": "偏差原因分析及改进措施"})
    _put(c, r + 1, {"B": "目标申报数", "C": "预算编制数"})
    _put(c, r + 2, {"B": "资金总额:", "C": initial[0], "D": initial[1], "E": budget, "F": executed, "G": 0, "H": 100, "I": 10})
    _put(c, r + 3, {"B": source, "C": initial[0], "D": initial[1], "E": budget, "F": executed, "G": 0, "H": (100, "0.00"), "I": (10, "0.00")})
    merges += [f"A{r}:A{r + 3}", f"B{r}:C{r}", *[f"{x}{r}:{x}{r + 1}" for x in "DEFGH"], f"I{r}:{width}{r + 1}"]


def yangcheng_pit_allowance() -> dict:
    """Table 4: 安监人员入井补助. Title and year on one line; funds values one column right of
    their headers; 项目绩效分析 with a second label level (自评结果分析)."""
    t = YANGCHENG_TEXTS
    c: dict = {}
    merges: list = []
    r = _head(c, merges, "安监人员入井补助项目支出绩效自评表 (2024年度)", "安监人员入井补助", "J", year_line=False)
    _shifted_funds(c, merges, r, (0, 30), 30, 30, "市区区财政资金", "J")
    _county_rest(c, merges, r + 4, ("项目年度绩效目标", t["t4.goal"], t["t4.done"]), [
        _ind("产出指标", "数量指标", "入井执法补助人数", "=人", "=60人", "=60人", 20, 20),
        _ind(None, "质量指标", "入井执法完成率", "=%", "=100%", "=100%", 10, 10),
        _ind(None, "时效指标", "入井执法时间", None, "2024年1至12月", "达成预期指标", 10, 10),
        _ind(None, "成本指标", "入井补助标准", "=元/人", "=25元/人", "=25元/人", 10, 10),
        _ind("效益指标", "社会效益", "煤矿安全监管人员权益", None, "保障", "达成预期指标", 30, 30),
        _ind("满意度指标", "服务对象满意度", "煤矿安全监管人员满意度", "≥%", "≥90%", "≥85%", 10, 8, t["t4.reason"]),
    ], ({"I": 98, "J": "优"}, "H"), [
        ({"B": "自评结果分析", "C": "项目实施的预算执行情况"}, t["t4.a1"]), ({"C": "产出情况"}, t["t4.a2"]),
        ({"C": "效益情况"}, t["t4.a3"]), ({"C": "满意度情况"}, t["t4.a4"]),
        ({"B": "主要经验做法"}, t["t4.a5"]), ({"B": "项目管理中存在的问题及原因分析"}, t["t4.problems"]),
        ({"B": "下一步改进措施及管理建议"}, t["t4.next"]),
    ], [], "J")
    start = next(int(k[1:]) for k, v in c.items() if v == "自评结果分析")
    merges.append(f"B{start}:B{start + 3}")
    return _cells_sheet("入井补助", c, merges)


def yangcheng_duty_allowance() -> dict:
    """Table 5: 应急救援补贴及应急值班补助. Funds values one column right of their headers; the
    cost indicator's reason sits in column K, right of the merged 偏差原因 header."""
    t = YANGCHENG_TEXTS
    c: dict = {}
    merges: list = []
    r = _head(c, merges, "应急救援补贴及应急值班补助项目支出绩效自评表", "应急救援补贴及应急值班补助", "K")
    _shifted_funds(c, merges, r, (0, 9.9), 4.675, 4.675, "市市区财政资金", "K")
    _county_rest(c, merges, r + 4, ("项目年度绩效目标", t["t5.goal"], t["t5.done"]), [
        _ind("产出指标", "数量指标", "享受岗位补贴人数", "=人", "=9人", "=9人", 20, 20),
        _ind(None, "质量指标", "安全生产监管监察出勤率", "=%", "=100%", "=100%", 10, 10),
        _ind(None, "时效指标", "安全生产监管时间", None, "2024年1至12月", "达成预期指标", 10, 10),
        _ind(None, "成本指标", "人均年补贴标准", "=元/人", "=11000元/人", "=5195元/人", 10, 6, "本年未发放应急救援补贴。", "K"),
        _ind("效益指标", "社会效益", "安全生产监管形势", None, "好转", "达成预期指标", 30, 30),
        _ind("满意度指标", "服务对象满意度", "享受岗位补贴人员满意度", "≥%", "≥90%", "≥90%", 10, 10),
    ], ({"I": 96, "J": "优"}, "H"), [
        ({"B": "项目实施和预算执行情况"}, t["t5.a1"]), ({"B": "产出情况"}, t["t5.a2"]), ({"B": "效益情况"}, t["t5.a3"]),
        ({"B": "满意度情况"}, t["t5.a4"]), ({"B": "主要经验做法"}, t["t5.a5"]),
        ({"B": "项目管理中存在的主要问题及原因分析"}, t["t5.problems"]),
    ], [("下一步改进措施及管理建议", t["t5.next"])], "K")
    return _cells_sheet("应急值班补助", c, merges)


def yangcheng_experts() -> dict:
    """Table 6: 应急管理及安全生产专家经费. 资金总额: on the header row; the total row's values
    one column right of their headers while the source row's are not; no 项目年度绩效目标
    label; the 总分 row puts 100 under 分值 and 优 under 得分."""
    t = YANGCHENG_TEXTS
    c: dict = {}
    merges: list = []
    r = _head(c, merges, "应急管理及安全生产专家经费项目支出绩效自评表", "应急管理及安全生产专家经费", "K")
    _put(c, r, {"A": "项目资金预算安排及执行进度(万元)", "B": "资金总额:", "C": "年初预算数", "E": "全年预算数", "F": "全年执行数",
                "G": "资金结(转)余", "H": "执行率", "I": "得分", "J": "偏差原因分析及改进措施"})
    _put(c, r + 1, {"C": "目标申报数", "D": "预算编制数"})
    _put(c, r + 2, {"D": 0, "E": 9, "F": 8.92, "G": 8.92, "H": 0, "I": 100, "J": 10})
    _put(c, r + 3, {"B": "市区区财政资金", "C": 0, "D": 9, "E": 8.92, "F": 8.92, "G": 0, "H": (100, "0.00"), "I": (10, "0.00")})
    merges += [f"A{r}:A{r + 3}", f"B{r}:B{r + 2}", f"C{r}:D{r}", *[f"{x}{r}:{x}{r + 1}" for x in "EFGHI"], f"J{r}:K{r + 1}"]
    _county_rest(c, merges, r + 4, (None, t["t6.goal"], t["t6.done"]), [
        _ind("产出指标", "数量指标", "应急安全生产专家检查企业", "=个", "=100个", "=100个", 20, 20),
        _ind(None, "质量指标", "应急安全生产专家检查完成", "=%", "=100%", "=100%", 10, 10),
        _ind(None, "时效指标", "开展应急安全生产专家检查", None, "24年1至12", "达成预期指标", 10, 10),
        _ind(None, "成本指标", "应急安全生产专家费标准", "=元/人", "=200元/人", "=200元/人", 10, 10),
        _ind("效益指标", "社会效益", "应急安全生产形势", None, "好转", "达成预期指标", 30, 30),
        _ind("满意度指标", "服务对象满意度", "受检企业满意度", "≥%", "≥90%", "≥90%", 10, 10),
    ], ({"H": 100, "I": "优"}, "G"), [
        ({"B": "项目实施的预算执行情况及分析"}, t["t6.a1"]), ({"B": "产出情况及分析"}, t["t6.a2"]),
        ({"B": "效益情况及分析"}, t["t6.a3"]), ({"B": "满意度情况及分析"}, t["t6.a4"]), ({"B": "主要经验做法"}, t["t6.a5"]),
        ({"B": "项目管理中存在的主要问题及原因分析"}, t["t6.problems"]), ({"B": "下一步改进措施及管理建议"}, t["t6.next"]),
    ], [], "K")
    return _cells_sheet("专家经费", c, merges)


def yangcheng_safety_month() -> dict:
    """Table 7: 安全生产月活动经费. The total row's values one column right of their headers;
    the cost target 200000元 for a 5 万元 budget; the report dates its budget 2025."""
    t = YANGCHENG_TEXTS
    c: dict = {}
    merges: list = []
    r = _head(c, merges, "安全生产月活动经费项目支出绩效自评表", "安全生产月活动经费", "K")
    _put(c, r, {"A": "项目资金预算安排及执行进度(万元)", "C": "年初预算数", "E": "全年预算数", "F": "全年执行数",
                "G": "资金结(转)余", "H": "执行率", "I": "得分", "J": "偏差原因分析及改进措施"})
    _put(c, r + 1, {"C": "目标申报数", "D": "预算编制数"})
    _put(c, r + 2, {"B": "资金总额:", "D": 0, "E": 5, "F": 5, "G": 5, "H": 0, "I": 100, "J": 10})
    _put(c, r + 3, {"B": "市区区财政资金", "C": 0, "D": 5, "E": 5, "F": 5, "G": 0, "H": (100, "0.00"), "I": (10, "0.00")})
    merges += [f"A{r}:A{r + 3}", f"C{r}:D{r}", *[f"{x}{r}:{x}{r + 1}" for x in "EFGHI"], f"J{r}:K{r + 1}"]
    _county_rest(c, merges, r + 4, ("项目年度绩效目标", t["t7.goal"], t["t7.done"]), [
        _ind("产出指标", "数量指标", "安全月科普宣传活动次数", "=次", "=10次", "=10次", 20, 20),
        _ind(None, "质量指标", "安全月活动参与率", "=%", "=100%", "=100%", 10, 10),
        _ind(None, "时效指标", "安全月活动开展时间", None, "2024年6月", "达成预期目标", 10, 10),
        _ind(None, "成本指标", "安全月活动经费总预算", "=元", "=200000元", "=50000元", 10, 5, "根据文件要求,压缩活动经费。", "K"),
        _ind("效益指标", "社会效益", "全县安全监管能力", None, "提升", "达成预期目标", 30, 30),
        _ind("满意度指标", "服务对象满意度", "参会人员满意度", "≥%", "≥90%", "≥90%", 10, 10),
    ], ({"I": 95, "J": "优"}, "H"), [
        ({"B": "项目实施和预算执行情况"}, t["t7.a1"]), ({"B": "产出情况"}, t["t7.a2"]), ({"B": "效益情况"}, t["t7.a3"]),
        ({"B": "满意度情况"}, t["t7.a4"]), ({"B": "主要经验做法"}, t["t7.a5"]),
        ({"B": "项目管理中存在的问题及原因分析"}, t["t7.problems"]),
    ], [("下一步改进措施及管理建议", t["t7.next"])], "K")
    return _cells_sheet("安全生产月", c, merges)


def yangcheng_spec() -> dict:
    return {"sheets": [yangcheng_provincial(), yangcheng_fire_station(), yangcheng_supervision_team(),
                       yangcheng_pit_allowance(), yangcheng_duty_allowance(), yangcheng_experts(), yangcheng_safety_month()]}


YANGCHENG_TEXTS = {
    't1.goal': '2024年，根据晋财资环【2024】126号《山西省财政厅关于下达2024年安全生产预防和应急救援能力建设补助资金预算（煤矿及重点非煤矿山重大灾害风险防控支出）的通知》文件，向我县大桥、山城、皇联、芦河4座煤矿下达2024年安全生产预防和应急救援能力建设补助资金，共计191万元。',
    't1.done': '2024年安全生产预防和应急救援能力建设补助资金共补助4个煤矿191万元，其中：完成重点煤矿井下视频智能监控系统项目3个；完成煤矿瓦斯、水、火、冲击地压、顶板等重大风险监控和联网项目3个。煤矿安全及智能化改造项目建设验收通过率为100%。',
    't1.a1': '项目实施的预算执行情况分析(具体分析)',
    't1.a2': '2024年安全生产预防和应急救援能力建设补助资金补助企业数4个，全年实际完成值4个，其中：完成重点煤矿井下视频智能监控系统项目3个；完成煤矿瓦斯、水、火、冲击地压、顶板等重大风险监控和联网项目3个。煤矿安全及智能化改造项目建设验收通过率为100%。',
    't1.a3': '此项目的实施有效提升了煤矿企业的安全生产水平，减少了安全事故的发生，保障了煤矿职工的生命财产安全，对社会稳定起到了积极作用。同时，项目的实施也为煤炭行业的智能化发展提供了示范和借鉴，推动了行业技术进步。',
    't1.a4': '通过提高安全生产水平和应急救援能力，有效降低了事故发生，减少事故损失，增强了企业整体的安全防范能力，确保了煤矿安全生产，煤矿企业满意度达到90%。',
    't1.a5': '1、建立健全项目管理机制，明确各部门和人员的职责分工，加强项目实施过程中的沟通和协调，确保项目顺利推进。 2、注重创新和人才培养，积极引进先进的智能化设备和技术，加强对煤矿企业员工的培训，提高员工的技术水平和操作能力。 3、强化资金管理，严格执行财务制度，确保资金专款专用，提高资金使用效率。 4、加强项目监督检查，建立定期检查和不定期抽查制度，及时发现和解决项目实施过程中存在的问题。',
    't1.problems': '加大对煤矿安全生产和智能化改造项目的资金支持力度，鼓励更多煤矿企业参与项目建设，推动煤炭行业的高质量发展。',
    't2.goal': '完成阳东一级消防站建设工作。',
    't2.done': '2024年完成了阳东一级消防站业务用房及业务附属用房、室内外训练场地等主体建设工作，完成了消防站工程监理费5万元、电路移接补偿费1.84万元、输配电电费2.13万元、劳务委托服务费1.2万元以及主体工程进度款139.83万元等费用的支付工作，保障阳东消防站工程建设的顺利进行，有效减少火灾事故的发生，保障人民生命财产安全。',
    't2.a1': '项目实施的预算执行情况及分析',
    't2.a2': '2024年1-12月，完成了阳东一级消防站业务用房及业务附属用房、室内外训练场地等主体建设工作，完成了消防站工程监理费5万元、电路移接补偿费1.84万元、输配电电费2.13万元、劳务委托服务费1.2万元以及主体工程进度款139.83万元等费用的支付工作，保障阳东消防站工程建设的顺利进行。',
    't2.a3': '消防站是城市的重要安全保障单位，承担着火灾防控和救援工作任务，阳东消防站的建设填补了县城东片区消防应急空白，有效减少火灾事故的发生，保障人民生命财产安全。',
    't2.a4': '在县城东片区建设消防站，得到了人民群众的大力支持，人民群众满意度达到90%。',
    't2.a5': '阳东一级消防站的建设，得到了县委县政府的大力支持以及各级部门的积极配合，使得消防站主体建设工作进展顺利，为下一步工程建设夯实了基础。',
    't2.problems': '部分工程款未按合同节点支付，影响施工方的积极性。',
    't2.next': '今后会根据工程进度情况分析，既要保障财政资金的合理、高效使用，又要保障工程进度款及时支付，保证阳东消防站建设工程顺利进行。',
    't3.goal': '加强煤矿包保小组经费保障,加大奖惩激励机制,确保煤矿包保工作的高质量开展,有效提高地方煤矿安全监管水平,保障全县煤矿安全管理。2024年严格按照煤矿包保小组管理办法对包保人员进行考核,按月考核汇总编制,并根据考核结果进行支付。',
    't3.done': '2024年完成全县29座煤矿的驻矿安全监管工作。严格按照煤矿包保小组管理办法对包保人员进行考核,按月考核汇总编制,并根据考核结果进行支付完成煤矿包保小组人员按月考核工资、考核绩效奖金、各类保险的缴纳工作。确保了煤矿包保工作的高质量开展,有效提高地方煤矿安全监管水平,保障全县煤矿安全生产。',
    't3.reason': '加强煤矿包保小组经费保障,加强奖惩激励机制,确保包保工作的高质量开展,保障煤矿安全管理。',
    't3.a1': '项目实施的预算执行情况及分析',
    't3.a2': '2024年完成全县29座煤矿的驻矿安全监管工作。严格按照煤矿包保小组管理办法,1500元/人标准对包保人员进行考核,按月考核汇总编制,并根据考核结果进行支付工资、考核绩效奖金,并完成各类保险的缴纳工作。',
    't3.a3': '全县地方煤矿安全形势好转,今后加强煤矿包保小组经费保障,加大奖惩激励机制,确保煤矿包保工作的高质量开展,有效提高地方煤矿安全监管水平,保障全县煤矿安全生产。',
    't3.a4': '煤矿企业满意度达到88%。加强煤矿包保小组人员业务能力提升,确保包保工作的高质量开展,保障煤矿安全管理。',
    't3.a5': '确立长效管理目标,完善项目管理审批机制,及时发现项目管理漏洞,加强精细化管理,建立煤矿包保小组项目长期运作制度。',
    't3.problems': '加强煤矿包保小组项目管理工作,确保包保小组长期健康持续运作机制,保证煤矿包保工作高质量高效率开展,保障全县煤矿企业基层安全管理工作落实到位,责任到人,保证全县煤矿安全生产工作开创良好安全形势。',
    't3.next': '煤矿包保安全保障体系制度有待健全完善;煤矿包保小组从业人员综合安全监管水平有待进一步提高。',
    't4.goal': '2024年,每月按照安监人员入井考核制度考核汇总后,逐月编报支付,于12月底全部完成拨付。',
    't4.done': '完成2024年煤矿井下执法核定入井检查次数,并及时发放入井津贴,保障煤矿安全监察执法人员合法权益。',
    't4.reason': '煤矿安全管理存在不确定突发性因素,安全监管人员人身安全保障有待加强,提升执法人员满意度。',
    't4.a1': '2024年初预算30万元,主要用于煤矿安全监管人员入井工作津贴,按25元/人/次标准执行,全年预算执行30万元,预算执行率100%,专项专用率100%。项目资金专款专用,资金使用合规。',
    't4.a2': '2024年煤矿井下执法检查人数60人,完成核定入井检查次数,按25元/人/次标准及时发放入井津贴,入井执法完成率达到100%。',
    't4.a3': '及时发放煤矿安全监管人员入井工作津贴,保障煤矿安全监察执法人员合法权益。',
    't4.a4': '煤矿安全管理存在不确定突发性因素,安全监管人员人身安全保障有待加强,提升执法人员满意度。',
    't4.a5': '充分发挥专项经费作用,按照科学理财、依法行政、合理使用资金,按照项目资金使用规范严格各项支出。',
    't4.problems': '加强煤矿安全监管人员入井执法管理机制,严格入井考核制度。',
    't4.next': '要确立长效管理目标,完善项目管理审批机制,及时发现项目管理漏洞,加强精细化管理。',
    't5.goal': '2024年,每月根据监管人员监管情况进行统计汇编,每半年进行考核上报,并于年底全面完成安全生产监管监察岗位津贴的发放支付工作',
    't5.done': '2024年,每月已经根据应急管理应急值班情况进行统计汇编,考核编报,公示后按规定进行支付,已完成11个月46750元应急值班补助的发放工作。',
    't5.a1': '项目实施和预算执行情况',
    't5.a2': '2024年,享受应急救援值班补贴人数为9人,应急救援值班出勤率为100%,每月根据应急管理应急值班情况进行统计汇编,考核编报,公示后逐级审批,财审科按规定进行支付。',
    't5.a3': '应急管理津贴补贴完善,应急救援保障能力进一步好转。',
    't5.a4': '享受应急救援值班补贴人员满意度为90%,鼓励支持实施范围内工作人员深入应急救援一线开展应急救援,加强应急救援应急值班工作。',
    't5.a5': '对应急管理部门(含参照公务员法管理的事业单位)、国家矿山安监局及设在地方的矿山安全监察机构、中国地震局及省级地震局(以下统称各级应急管理部门)中,从事应急管理工作的公务员和参照公务员法管理事业单位中扣除工勤人员以外的工作人员,完善应急管理津贴补贴,鼓励支持实施范围内工作人员深入应急救援一线开展应急救援,加强应急救援应急值班工作。',
    't5.problems': '完善应急管理津贴补贴,鼓励支持实施范围内工作人员深入应急救援一线开展应急救援,加强应急救援应急值班工作。',
    't5.next': '加强对工作人员的出勤考核,建立健全考核制度,严格执行应急管理津贴补贴规定,严格实施范围,严格要求发放标准。',
    't6.goal': '强化全县应急安全生产监管工作,指导和帮助全县生产经营单位加强安全生产管理,排查事故隐患,保障全县应急安全生产形势持续健康稳定好发展。',
    't6.done': '2024年,结合我县各行业实际情况,在阳城县安全生产和应急管理专家数据库中抽取各行业领域的专家对各生产企业进行检查,检查企业数100家,排查安全隐患800余条,全县安全生产形势进一步好转。',
    't6.a1': '项目实施的预算执行情况及分析',
    't6.a2': '2024年,结合我县各行业实际情况,在阳城县安全生产和应急管理专家数据库中抽取各行业领域的专家对各生产企业进行检查,检查企业数100家,排查安全隐患800余条 应急安全生产专家完成率达到100%。',
    't6.a3': '帮助各行业企业安全生产监管人员提升日常监管水平,全县安全生产形势进一步好转。',
    't6.a4': '加强全县应急和安全生产行业专家库人才储备,加强专家会诊管理,切实有效帮助企业安全生产监管人员提升日常监管水平,保障全县安全生产平稳运行,企业满意度达到90%。',
    't6.a5': '合理使用项目资金,严格按照项目资金使用规范严格支出。',
    't6.problems': '预算执行率为99.11%,未达到100%。',
    't6.next': '科学合理编制预算,严格执行预算,强化预算约束,规范预算执行。',
    't7.goal': '加强安全生产宣传,深入排查安全风险隐患,扎实推进问题整改,坚决遏制各类事故发生,切实维护人民群众生命财产安全。',
    't7.done': '2024年6月县委办以“人人讲安全,个个会应急”为主题,开展全县“安全生产月”宣传活动,宣传次数超过10次,印刷发放各类宣传资料6000份,有效提升了安全生产知识宣传力度,提高了公共服务水平,保障了我局各项工作的顺利开展。',
    't7.a1': '项目实施和预算执行情况',
    't7.a2': '2024年6月,县委办以“人人讲安全,个个会应急——畅通生命通道”为主题,开展全县“安全生产月”活动。宣传次数超过10次,印刷发放各类宣传资料6000份。安全月活动参与率达到100%,加强安全生产宣传,深入排查安全风险隐患,扎实推进问题整改,坚决遏制各类事故发生,切实维护人民群众生命财产安全。',
    't7.a3': '有效提升了安全生产知识宣传力度,提高了公共服务水平。各级树牢安全发展理念,压紧压实安全生产责任,按照“四铁”要求和创建“零事故”单位总体要求,深入排查安全风险隐患,扎实推进问题整改,坚决遏制了各类事故发生,切实维护了人民群众生命财产安全,全县安全监管能力显著提升。',
    't7.a4': '参会人员满意度达到90%,各级树牢安全发展理念,压紧压实安全生产责任。',
    't7.a5': '全面贯彻落实党中央国务院以及省委省政府、市委市政府、县委县政府关于安全生产的决策部署,加强常态化安全生产和专项整治三年行动排查整治工作,推动各级树牢安全发展理念,压紧压实安全生产责任。',
    't7.problems': '按照“四铁”要求和创建“零事故”单位总体要求,深入排查安全风险隐患,扎实推进问题整改,坚决遏制各类事故发生,切实维护人民群众生命财产安全。加强安全生产月活动开展监督管理,严格按照统一安排部署逐步推进,严格基层和企业安全管理,落实安全生产主体责任。',
    't7.next': '实际安全生产存在不确定不可控因素,安全事故控制监管是今后长期摸索总结提升的重点;安全从业人员综合素质有待提高。根据“安全生产月”活动安排部署,逐项推进完成后,严格按照专项经费开支审批制度审核后及时支付。',
}


# --- Xinjiang (新疆维吾尔自治区, 2023): the tailings sub-fund of a transfer payment -----------------
#
# From xinjiang-2023-tailings-transfer-self-eval.txt: the ministry's allocation (明细表), the 14
# project target tables it issued (stacked on one sheet, as the province re-issued them), the
# province's allocation with 小计 rows per prefecture (分配表), and the regional 自评表. The OCR
# artifacts of the extracted text (都善/部善 for 鄯善, `$K \geq 1.25$`, S1.5年) are the
# extraction's, not the tables': the cells hold what the printed tables show.

_TAILINGS = [
    # (尾矿库, 中央, 地方, 防洪设防标准, 滩面植被率, 地州/市)
    ("新疆新华联天宇矿业尾矿库", 67, 17, "≥ 100 年一遇", "碎石土料覆盖", "哈密市伊州区"),
    ("新疆天目矿业资源开发有限公司尾矿库", 26, 7, "≥ 100 年一遇", "戈壁料覆盖", "哈密市伊州区"),
    ("龙城工贸有限责任公司M1033铁矿尾矿库", 204, 51, "≥ 100 年一遇", "砾石覆盖", "哈密市伊州区"),
    ("哈密市佳泰矿产资源开发有限责任公司选矿厂尾矿库", 188, 47, "≥ 200 年一遇", "碎石土覆盖", "哈密市伊州区"),
    ("新疆亚克斯资源开发股份有限公司骆驼圈子1500T尾矿库", 393, 98, "≥ 100 年一遇", "/", "哈密市伊州区"),
    ("鄯善鑫茂矿业有限责任公司选矿厂尾矿库尾矿库", 88, 22, "≥ 100 年一遇", "/", "吐鲁番鄯善县"),
    ("鄯善县鑫益铁业有限责任公司铁精粉厂尾矿库", 120, 30, "≥ 100 年一遇", "土石料覆盖", "吐鲁番鄯善县"),
    ("鄯善县鹏发矿业有限责任公司选矿厂尾矿库", 88, 22, "≥ 100 年一遇", "土石料覆盖", "吐鲁番鄯善县"),
    ("鄯善县利源矿业有限责任公司铁精粉选矿厂尾矿库", 88, 22, "≥ 100 年一遇", "砂石料覆盖", "吐鲁番鄯善县"),
    ("鄯善县磊鑫铁业有限责任公司铁精粉厂尾矿库", 88, 22, "≥ 100 年一遇", "砂石料覆盖", "吐鲁番鄯善县"),
    ("鄯善县祥源矿业有限公司铁精粉厂尾矿库", 120, 30, "≥ 100 年一遇", "/", "吐鲁番鄯善县"),
    ("新疆丰鑫金联矿业发展有限责任公司铁精粉厂尾矿库", 88, 22, "≥ 100 年一遇", "砂石料覆盖", "吐鲁番鄯善县"),
    ("鄯善县厚发矿业有限公司铁精粉选厂尾矿库", 120, 30, "≥ 100 年一遇", "砂土石覆盖", "吐鲁番鄯善县"),
    ("鄯善县召远矿业有限公司选矿厂尾矿库", 88, 22, "≥ 100 年一遇", "砂石料覆盖", "吐鲁番鄯善县"),
]
_TAILINGS_TITLE = "2023年安全生产预防和应急救援能力建设补助资金预算 (尾矿库风险隐患治理支出)"
_TAILINGS_GOAL = ("在全面摸清尾矿库安全环境风险的基础上，按照尾矿库闭库相关法律法规及技术规范，对该尾矿库实施闭库销号治理，"
                  "通过坝坡整治、改造排洪系统、覆土植被、改造防渗设施等措施全面提升尾矿库安全风险防控能力，恢复生态环境，消除安全隐患。")


def xinjiang_detail() -> dict:
    """明细表(分发地方): the ministry's allocation, one row per tailings pond under 合计."""
    c: dict = {}
    _put(c, 1, {"A": _TAILINGS_TITLE + "明细表(分发地方)"})
    _put(c, 2, {"A": "省份", "B": "尾矿库名称", "C": "中央财政补助资金(万元)", "D": "地方财政承诺投入资金(万元)"})
    _put(c, 3, {"B": "合计", "C": 1766, "D": 442})
    _put(c, 4, {"A": "新疆 (14个)"})
    for i, (name, central, local, *_rest) in enumerate(_TAILINGS):
        _put(c, 4 + i, {"B": name, "C": central, "D": local})
    merges = ["A1:D1", f"A4:A{3 + len(_TAILINGS)}"]
    return _cells_sheet("明细表", c, merges, {"A": 12, "B": 44, "C": 16, "D": 18})


def xinjiang_allocation() -> dict:
    """分配表(不发地州): the province's allocation, the ponds grouped under a 小计 row per
    prefecture, with a 合计 row at the top."""
    c: dict = {}
    _put(c, 1, {"A": _TAILINGS_TITLE + "分配表(不发地州)"})
    _put(c, 2, {"A": "省份", "B": "尾矿库名称", "C": "中央财政补助资金(万元)", "D": "地方财政承诺投入资金(万元)", "E": "地州/市"})
    _put(c, 3, {"B": "合计", "C": 1766, "D": 442})
    row = 4
    _put(c, row, {"A": "新疆 (14个)"})
    for region, label in (("哈密市伊州区", "哈密市小计"), ("吐鲁番鄯善县", "吐鲁番小计")):
        ponds = [p for p in _TAILINGS if p[5] == region]
        _put(c, row, {"B": label, "C": sum(p[1] for p in ponds), "D": sum(p[2] for p in ponds), "E": region})
        row += 1
        for name, central, local, _flood, _cover, where in ponds:
            _put(c, row, {"B": name, "C": central, "D": local, "E": where})
            row += 1
    merges = ["A1:E1", f"A4:A{row - 1}"]
    return _cells_sheet("分配表", c, merges, {"A": 12, "B": 44, "C": 16, "D": 18, "E": 14})


def xinjiang_targets() -> dict:
    """The 14 项目绩效目标表(分发地方), stacked one under another with a blank row between."""
    c: dict = {}
    merges: list = []
    row = 1
    for name, central, local, flood, cover, _where in _TAILINGS:
        project = name.removesuffix("尾矿库") + "尾矿库风险隐患治理项目"
        r = row
        _put(c, r, {"A": _TAILINGS_TITLE + "项目绩效目标表(分发地方)"})
        _put(c, r + 1, {"A": "项目名称", "B": project})
        _put(c, r + 2, {"A": "中央主管部门", "B": "财政部、国家矿山安全监察局"})
        _put(c, r + 3, {"A": "省级财政部门", "B": "新疆维吾尔自治区财政厅", "C": "省级主管部门", "D": "新疆维吾尔自治区应急管理厅"})
        _put(c, r + 4, {"A": "资金情况 (万元)", "B": "资金总额：", "C": central + local})
        _put(c, r + 5, {"B": "其中：中央财政资金", "C": central})
        _put(c, r + 6, {"B": "地方财政资金", "C": local})
        _put(c, r + 7, {"A": "年度总体目标", "B": _TAILINGS_GOAL})
        _put(c, r + 8, {"A": "绩效指标", "B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "指标值"})
        rows = [
            ("产出指标", "数量指标", "隐患治理率", "100%"), (None, None, "单项工程合格率", "100%"),
            (None, "质量指标", "坝体抗滑稳定性系数K", "K≥1.25"), (None, None, "防洪设防标准", flood),
            (None, None, "滩面植被率", cover), (None, None, "防渗效果", "达标排放"),
            ("效益指标", "效益指标", "建设周期", "≤ 1 年"), (None, None, "完成销号时间", "≤ 1.5 年"),
        ]
        for i, (l1, l2, ind, target) in enumerate(rows):
            _put(c, r + 9 + i, {"B": l1, "C": l2, "D": ind, "E": target})
        merges += [f"A{r}:E{r}", f"B{r + 1}:E{r + 1}", f"B{r + 2}:E{r + 2}", f"D{r + 3}:E{r + 3}", f"A{r + 4}:A{r + 6}",
                   *[f"C{r + k}:E{r + k}" for k in (4, 5, 6)], f"B{r + 7}:E{r + 7}", f"A{r + 8}:A{r + 16}",
                   f"B{r + 9}:B{r + 14}", f"C{r + 9}:C{r + 10}", f"C{r + 11}:C{r + 14}", f"B{r + 15}:B{r + 16}", f"C{r + 15}:C{r + 16}"]
        row = r + 18
    return _cells_sheet("绩效目标表", c, merges, {"A": 14, "B": 16, "C": 16, "D": 22, "E": 16})


def xinjiang_self_eval(rows_only: bool = False) -> dict:
    """转移支付区域（项目）绩效自评表: 资金投入情况 with its title merged over two columns, 执行
    率 written 0; every 存在问题 says 无 while the indicator reasons explain the 0% execution;
    actuals written as descriptions (哈密市已完成5座,达成目标) and reasons as 同上."""
    c: dict = {}
    _put(c, 1, {"A": "尾矿库风险隐患治理支出转移支付区域（项目）绩效自评表"})
    _put(c, 2, {"A": "(2023 年度)"})
    _put(c, 3, {"A": "转移支付（项目）名称", "C": "尾矿库风险隐患治理支出"})
    _put(c, 4, {"A": "中央主管部门", "C": "国家矿山安监局、财政部"})
    _put(c, 5, {"A": "地方主管部门", "C": "自治区财政厅、自治区应急管理厅", "E": "资金使用单位", "F": "14 个尾矿库"})
    _put(c, 6, {"A": "资金投入情况（万元）", "D": "全年预算数(A)", "E": "全年执行数 (B)", "F": "预算执行率 (B/A×100%)"})
    _put(c, 7, {"C": "年度资金总额；", "D": 2208, "E": 0, "F": 0})
    _put(c, 8, {"C": "其中：中央财政资金", "D": 1766, "E": 0, "F": 0})
    _put(c, 9, {"C": "地方财政资金", "D": 442, "E": 0, "F": 0})
    _put(c, 10, {"C": "其他资金"})
    _put(c, 11, {"A": "资金管理情况", "D": "情况说明", "F": "存在问题和改进措施"})
    management = [
        ("分配科学性", "严格按照转移支付管理制度以及资金管理办法规定的范围和标准分配资金"),
        ("下达及时性", "严格按照预算法及其实施条例、转移支付管理制度规定以及资金管理办法规定时限要求分解下达"),
        ("拨付合规性", "严格按照国库集中支付制度有关规定支付资金"),
        ("使用规范性", "严格按照下达预算的科目和项目执行"),
        ("执行准确性", "按照上级下达和本级预算安排的金额执行"),
        ("预算绩效管理情况", "已开展绩效监控和绩效评价"),
        ("支出责任履行情况", "足额安排资金履行本级支出责任"),
    ]
    for i, (item, text) in enumerate(management):
        _put(c, 12 + i, {"C": item, "D": text, "F": "无"})
    _put(c, 19, {"A": "总体目标完成情况", "B": "总体目标", "D": "全年实际完成情况"})
    _put(c, 20, {"B": _TAILINGS_GOAL.replace("对该尾矿库", "对该尾矿库"),
                 "D": "尾矿库风险隐患治理支出项目共有 14 个项目，实际完成哈密 5 个项目，剩余吐鲁番 9 个项目已完成招标，正在确定监理、施工单位，近期将组织施工，计划 2024 年 6 月完成。"})
    _put(c, 21, {"B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "指标值", "F": "全年实际完成值", "G": "未完成原因和改进措施"})
    reason = "吐鲁番市9个项目因现场重新勘探、招投标程序限制,进度较缓慢,暂未开工建设"
    done = "哈密市已完成5座,达成目标"
    indicators = [
        ("产出指标", "数量指标", "隐患治理", "100%", "35.71%", reason + "。"),
        (None, None, "单项工程合格率", "100%", "哈密市已完成5座,合格率100%", reason + ",不具备评价条件"),
        (None, "质量指标", "坝体抗滑稳定安全系数K", "k≥1.25（k为采用毕肖普法正常工况下的安全系数）", done, "同上"),
        (None, None, "防洪设防标准", "≥ 100 年一遇", done, "同上"),
        (None, None, "滩面植被率", "砂土石覆盖", done, "同上"),
        (None, None, "防渗效果", "达标排放", "哈密市已完成5家,达成目标", "同上"),
        ("效益指标", "效益指标", "建设周期", "≤ 1 年", done, "同上"),
        (None, None, "完成销号时间", "≤ 1.5 年", done, "同上"),
    ]
    for i, (l1, l2, name, target, actual, why) in enumerate(indicators):
        _put(c, 22 + i, {"B": l1, "C": l2, "D": name, "E": target, "F": actual, "G": why})
    _put(c, 21, {"A": "绩效指标"})
    merges = ["A1:G1", "A2:G2", "A3:B3", "C3:G3", "A4:B4", "C4:G4", "A5:B5", "C5:D5", "F5:G5",
              "A6:B10", "C6:C6", "F6:G6", *[f"F{r}:G{r}" for r in range(7, 11)],
              "A11:B18", "D11:E11", "F11:G11", *[f"D{r}:E{r}" for r in range(12, 19)], *[f"F{r}:G{r}" for r in range(12, 19)],
              "A19:A20", "B19:C19", "D19:G19", "B20:C20", "D20:G20",
              "A21:A29", "B22:B27", "C22:C23", "C24:C27", "B28:B29", "C28:C29"]
    return _cells_sheet("自评表", c, merges, {"A": 10, "B": 12, "C": 16, "D": 24, "E": 22, "F": 26, "G": 30})


def xinjiang_spec() -> dict:
    return {"sheets": [xinjiang_detail(), xinjiang_targets(), xinjiang_allocation(), xinjiang_execution(), xinjiang_self_eval()]}


def xinjiang_execution() -> dict:
    """资金执行情况表 by prefecture, as the province reports it with the 自评表: the budget by
    source, nothing executed by 31 December (the report: 执行 0 万元, 执行率 0%)."""
    c: dict = {}
    _put(c, 1, {"A": _TAILINGS_TITLE + "执行情况表"})
    _put(c, 2, {"A": "单位：万元"})
    _put(c, 3, {"A": "地州/市", "B": "预算数", "E": "执行数", "H": "执行率"})
    _put(c, 4, {"B": "中央", "C": "地方", "D": "合计", "E": "中央", "F": "地方", "G": "合计"})
    row = 5
    for region, label in (("哈密市伊州区", "哈密市"), ("吐鲁番鄯善县", "吐鲁番市")):
        ponds = [p for p in _TAILINGS if p[5] == region]
        central, local = sum(p[1] for p in ponds), sum(p[2] for p in ponds)
        _put(c, row, {"A": label, "B": central, "C": local, "D": central + local, "E": 0, "F": 0, "G": 0, "H": (0, "0.00%")})
        row += 1
    _put(c, row, {"A": "合计", "B": 1766, "C": 442, "D": 2208, "E": 0, "F": 0, "G": 0, "H": (0, "0.00%")})
    merges = ["A1:H1", "A2:H2", "A3:A4", "B3:D3", "E3:G3", "H3:H4"]
    return _cells_sheet("执行情况表", c, merges, {"A": 14, "B": 10, "C": 10, "D": 10, "E": 10, "F": 10, "G": 10, "H": 10})


def quxian_scorecard() -> dict:
    """The 绩效自评打分表 of 渠县's 2024年监测监控中心运行经费, from the report's 绩效分析 (每项
    “（X分）……该项指标得Y分”) and its conclusion 自评结果为96分: the items add up to 93."""
    c: dict = {}
    _put(c, 1, {"A": "2024年监测监控中心运行经费项目绩效自评打分表"})
    _put(c, 2, {"A": "一级指标", "B": "二级指标", "C": "三级指标", "D": "分值", "E": "得分", "F": "得分率", "G": "扣分原因"})
    lines = [
        ("通用指标", "项目决策", "决策程序", 6, 6, None),
        (None, None, "规划论证", 6, 6, None),
        (None, None, "资金投向", 6, 3, "专项资金仅用于日常运转，投向未细化"),
        (None, "项目管理", "制度办法", 2, 0, "未针对此项目建立专项资金管理办法"),
        (None, None, "分配管理", 10, 10, None),
        (None, None, "绩效监控", 6, 4, "监控阈值设置不够细"),
        (None, "项目实施", "预算执行", 6, 6, None),
        (None, None, "资金使用", 3, 3, None),
        (None, "项目结果", "目标完成", 6, 6, None),
        (None, None, "完成时效", 3, 3, None),
        ("小计", None, None, 54, 47, None),
        ("专用指标", "用途合规性", None, 10, 10, None),
        (None, "程序合规性", None, 10, 10, None),
        (None, "标准合规性", None, 10, 10, None),
        ("小计", None, None, 30, 30, None),
        ("个性指标", "项目资料完备情况", None, 6, 6, None),
        (None, "中心运行条件改善", None, 6, 6, None),
        (None, "可持续发展情况", None, 4, 4, None),
        ("小计", None, None, 16, 16, None),
    ]
    row = 3
    for l1, l2, l3, weight, score, why in lines:
        rate = (score / weight, "0.00%")
        _put(c, row, {"A": l1, "B": l2, "C": l3, "D": weight, "E": score, "F": rate, "G": why})
        row += 1
    _put(c, row, {"A": "合计", "D": 100, "E": 96, "F": (0.96, "0.00%")})
    _put(c, row + 1, {"A": "评价等级", "B": "优"})
    merges = ["A1:G1", "A3:A12", "B3:B5", "B6:B8", "B9:B10", "B11:B12", "A13:C13", "A14:A16", "A17:C17",
              "A18:A20", "A21:C21", f"A{row}:C{row}", f"B{row + 1}:G{row + 1}"]
    return _cells_sheet("打分表", c, merges, {"A": 12, "B": 18, "C": 14, "D": 8, "E": 8, "F": 10, "G": 30})


def quxian_scorecard_spec() -> dict:
    return {"sheets": [quxian_scorecard()]}


SAMPLES = {
    "anshan-2024-transfer.xlsx": anshan_spec,
    "quxian-2024-monitoring-center.xlsx": monitoring_center_spec,
    "quxian-2024-experts.xlsx": experts_spec,
    "yangcheng-2024-project-self-evals.xlsx": yangcheng_spec,
    "xinjiang-2023-tailings.xlsx": xinjiang_spec,
    "quxian-2024-monitoring-center-scorecard.xlsx": quxian_scorecard_spec,
}


def build_workbook(spec: dict) -> Workbook:
    """A workbook from a spec: sheets of rows (a cell is a value or (value, number_format)),
    merged ranges, column widths; strings starting with = are formulas, except in a cell
    formatted as text ("@"), where they stay text as typed (the templates' `=63套`)."""
    thin = Side(style="thin")
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in spec["sheets"]:
        ws = workbook.create_sheet(sheet["name"])
        first = sheet.get("start_row", 1)
        for r, row in enumerate(sheet["rows"], start=first):
            for c, cell in enumerate(row, start=1):
                if cell is None:
                    continue
                value, fmt = cell if isinstance(cell, tuple) else (cell, None)
                target = ws.cell(row=r, column=c, value=value)
                if fmt:
                    target.number_format = fmt
                if fmt == "@" and isinstance(value, str):
                    target.data_type = "s"
        width = max((len(row) for row in sheet["rows"]), default=0)
        lo, hi = sheet.get("table_rows", (0, -1))
        for r in range(lo, hi + 1):
            for c in range(1, width + 1):
                ws.cell(row=r, column=c).border = Border(left=thin, right=thin, top=thin, bottom=thin)
        for r in range(first, first + len(sheet["rows"])):
            for c in range(1, width + 1):
                if ws.cell(row=r, column=c).value is not None:
                    ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="center")
        t_lo, t_hi = sheet.get("title_rows", (0, -1))
        for r in range(t_lo, t_hi + 1):
            ws.cell(row=r, column=1).font = Font(bold=True, size=14 if r == t_lo else 11)
            ws.cell(row=r, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
        for rng in sheet.get("merges", []):
            ws.merge_cells(rng)
        for col, w in sheet.get("widths", {}).items():
            ws.column_dimensions[col].width = w
    workbook.properties.creator = "selfeval samples"
    return workbook


def deterministic_bytes(workbook: Workbook, times: tuple = (FIXED_ZIP_TIME, FIXED_DOC_TIME)) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml and every zip entry."""
    buffer = BytesIO()
    workbook.save(buffer)
    return fixed_zip(buffer.getvalue(), times)


def fixed_zip(data: bytes, times: tuple = (FIXED_ZIP_TIME, FIXED_DOC_TIME)) -> bytes:
    """An Office package (workbook or Word file) with its document dates and every zip entry
    dated `times` (zip entry time, core.xml time)."""
    zip_time, doc_time = times
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + doc_time.encode(), blob)
            entry = zipfile.ZipInfo(info.filename, date_time=zip_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, blob)
    return out.getvalue()


def write_docx(paragraphs: list[tuple[str | None, str]], title: str, path: Path,
               times: tuple = (FIXED_ZIP_TIME, FIXED_DOC_TIME)) -> Path:
    """A Word file of (style, text) paragraphs, dated `times` (its properties and its zip
    entries alike), byte for byte the same on every run."""
    import datetime as dt

    import docx

    document = docx.Document()
    core = document.core_properties
    core.author, core.title = "selfeval samples", title
    core.created = core.modified = core.last_printed = dt.datetime(*times[0])
    core.revision = 1
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    buffer = BytesIO()
    document.save(buffer)
    path.write_bytes(fixed_zip(buffer.getvalue(), times))
    return path


def write_workbook(spec: dict, path: Path) -> Path:
    path.write_bytes(deterministic_bytes(build_workbook(spec)))
    return path


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    outdir.mkdir(parents=True, exist_ok=True)
    for filename, make in SAMPLES.items():
        print(write_workbook(make(), outdir / filename))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
