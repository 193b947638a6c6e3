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


SAMPLES = {
    "anshan-2024-transfer.xlsx": anshan_spec,
    "quxian-2024-monitoring-center.xlsx": monitoring_center_spec,
    "quxian-2024-experts.xlsx": experts_spec,
}


def build_workbook(spec: dict) -> Workbook:
    """A workbook from a spec: sheets of rows (a cell is a value or (value, number_format)),
    merged ranges, column widths; strings starting with = are formulas."""
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


def deterministic_bytes(workbook: Workbook) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml and every zip entry."""
    buffer = BytesIO()
    workbook.save(buffer)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(buffer.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_DOC_TIME.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


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
