"""Write the sample reports of samples/reports/: 绩效自评报告 as Word, PDF and Markdown, each
beside the table it reports on and named like it, so `selfeval check samples/` checks each
report against its table (the same name once 自评报告 / 绩效评价报告 is set aside).

    python samples/make_reports.py              # writes samples/reports/
    python samples/make_reports.py OUTDIR

- anshan-2024-transfer-自评报告.docx: the Anshan report (shared/domain/reference/
  anshan-2024-transfer-self-eval.txt) as filed, headings in Word's heading styles; beside
  the workbook of its 自评表. Section 三 says 无 while five indicators were missed.
- quxian-2024-monitoring-center-绩效评价报告.pdf: the Quxian monitoring-center report
  (quxian-2024-project-self-evals.txt) printed to PDF; its prose scorecard adds up to 93,
  its conclusion says 96.
- xinjiang-2023-tailings-自评报告.md: the Xinjiang tailings sub-fund's report
  (xinjiang-2023-tailings-transfer-self-eval.txt) in Markdown, its tables left to the
  workbook beside it; every figure it states agrees with the 自评表.
- yangcheng-2024-project-self-evals.xlsx: the seven Yangcheng tables with the 项目绩效分析
  blocks as printed (yangcheng-2024-project-self-evals.txt): the wrong project, the wrong
  year, rates on 年初预算.
- yunxi-2024-emergency-platform.yaml and its -自评报告.docx: a clean 项目支出自评表 of a
  made-up county (云溪县, as in disaster-relief-2024-county.yaml) and a report that states it
  wrong in every way the report rules know; samples/README.md lists each defect.
- yunxi-2024-final-accounts.xlsx and its -情况说明.docx: the clean 决算公开 set of
  samples/final-accounts/ and its 情况说明 with five slips (make_final_accounts.NARRATIVE_DEFECTS):
  a rate of change on this year's figure, a share and an amount with two digits swapped, a
  completion rate not recomputed, 元 written as 万元.

The tables beside the reports are samples/make_workbooks.py's, written again here so each
report's folder holds its unit's files. The texts are the reference documents' own; the
extraction's broken lines are joined and its tables (given by the workbooks) left out.

Needs python-docx, and for the PDF LibreOffice (`soffice`, Debian's
libreoffice-writer-nogui) with the Noto CJK fonts (fonts-noto-cjk). Output is byte-for-byte
deterministic: fixed document dates and zip timestamps, the PDF's dates and ID fixed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_final_accounts  # noqa: E402  (the 决算公开 set and its 情况说明)
import make_workbooks  # noqa: E402  (the tables, laid out as the references print them)

FIXED_ZIP_TIME = make_workbooks.FIXED_ZIP_TIME

# (style, text): style None is body text; "Title", "Heading 1", "Heading 2" Word's own.
ANSHAN = [
    (None, "鞍山市应急管理局 鞍山市财政局 文件"),
    (None, "鞍应急〔2025〕13号"),
    ("Title", "关于鞍山市2024年度中央对地方转移支付 安全生产预防和应急救援能力建设补助资金 (煤矿及重点非煤矿山重大灾害风险防控资金) 的绩效自评报告"),
    (None, "辽宁省应急管理厅、辽宁省财政厅："),
    (None, "按照《关于开展2024年度中央对地方转移支付预算执行情况绩效自评工作的通知》（辽应急办〔2025〕2号）文件要求，市应急管理局高度重视绩效自评工作，会同市财政局，组织有关地区、部门开展2024年度中央对地方转移支付预算执行情况进行绩效自评工作，经市财政局同意，现将鞍山市2024年度中央对地方转移支付安全生产预防和应急救援能力建设补助资金绩效自评情况报告向省应急厅、省财政厅报告，具体如下："),
    ("Heading 1", "一、绩效目标分解下达情况"),
    (None, "2024年，我市安全生产预防和应急救援能力建设补助资金（煤矿及重点非煤矿山重大灾害风险防控资金）157万元，项目为鞍钢集团矿业有限公司眼前山铁矿重点非煤矿山视频智能监控子系统，项目总投资157万元，其中：中央财政下达资金94万元，其他资金63万元。全年执行数为0万元，执行率0%。正在完成在线监控子系统建设工作，预计2025年6月底前建设完成。"),
    ("Heading 2", "（一）中央财政下达转移支付预算和绩效目标情况"),
    (None, "7月省财政厅下达我市安全生产预防和应急救援能力建设补助资金（煤矿及重点非煤矿山重大灾害风险防控资金）（辽财指环〔2024〕313号），指标文附件1-2中已明确资金分配鞍钢集团矿业有限公司94万元。我局向市财政申请尽快拨付，市财政局下发《关于下达中央财政2024年安全生产预防和应急救援能力建设补助资金（煤矿及重点非煤矿山重大灾害风险防控支出）预算指标的通知》（鞍财指环〔2024〕769号），将煤矿及重点非煤矿山重大灾害风险防控资金直拨到鞍钢集团矿业有限公司。"),
    (None, "绩效目标为通过建设重点非煤矿山重大风险防控项目，强化全市重点非煤矿山安全风险防范能力，进一步提升矿山安全监管监察水平。"),
    ("Heading 2", "（二）其他资金和绩效目标情况"),
    (None, "其他资金63万元为企业自筹资金。"),
    (None, "绩效目标为通过建设重点非煤矿山重大风险防控项目，强化全市重点非煤矿山安全风险防范能力，进一步提升矿山安全监管监察水平。"),
    ("Heading 1", "二、绩效情况分析"),
    (None, "（一）资金投入情况分析。煤矿及重点非煤矿山重大灾害风险防控资金，鞍钢集团矿业有限公司眼前山铁矿重点非煤矿山视频智能监控子系统，项目总投资157万元，其中：中央财政下达资金94万元，其他资金63万元。"),
    ("Heading 2", "（二）资金管理情况分析。"),
    (None, "分配科学性：根据矿山生产规模、开采工程进度等方面进行论证，依据风险等级进行分配。"),
    (None, "下达及时性：根据省财政、省应急部门批复要求，严格按照《关于下达中央财政2024年安全生产预防和应急救援能力建设补助资金预算指标的通知》等相关规定，及时下达中央资金。"),
    (None, "拨付合规性：市级应急管理和财政部门严格按照《关于下达中央财政2024年安全生产预防和应急救援能力建设补助资金预算指标的通知》等要求，督促相关企业合理使用资金。"),
    (None, "使用规范性：市级应急管理和财政部门严格按照《关于下达中央财政2024年安全生产预防和应急救援能力建设补助资金预算指标的通知》等要求，督促相关企业合理使用资金。"),
    (None, "执行准确性：安全生产预防和应急救援能力建设补助资金专项用于我市非煤矿山在线监控子系统建设工作，项目资金均按照规定的支出范围使用，未擅自扩大资金使用范围。"),
    (None, "预算绩效管理情况：市应急管理局、市财政局不断加强全过程预算绩效管理，对照绩效目标实现程度和预算执行进度实行“双监控”，并按照职责分工，严格落实绩效监管主体责任。为进一步规范和加强专项补助资金管理，提高资金使用效益，市应急管理局组织制定年度绩效目标，并报市财政局审核。在资金管理过程中，按照市财政局关于加强预算管理工作的要求，市应急管理局督促县区应急管理部门抓好项目实施并严格开展资金执行调度工作，强化资金管理。"),
    (None, "支出责任履行情况：市应急管理局、市财政局压实主体责任，督导相关企业全力开展在线监控子系统建设工作，确保工作稳步推进、按期完成。矿山的安全生产得到有效保障。"),
    (None, "(三) 总体绩效目标完成情况分析。正在完成在线监控子系统建设工作，预计 2025 年 6 月底前建设完成并验收。"),
    ("Heading 2", "(四) 绩效指标完成情况分析。"),
    (None, "1. 数量指标："),
    (None, "(1) 建设重点非煤矿山在线监控子系统 0 个。正在完成在线监控子系统建设工作，预计 2025 年 6 月底前建设完成。"),
    (None, "(2) 建设视频监控点位 0 个。设备交付缓慢，沟通厂家加快交付。"),
    (None, "(3) 建设移动式摄像机 0 个。设备交付缓慢，沟通厂家加快交付。"),
    (None, "2. 质量指标："),
    (None, "(1) 验收通过率 0%。预计 2025 年 6 月底前建设完成。"),
    (None, "(2) 联网在线率 90%。"),
    (None, "3. 时效指标："),
    (None, "(1) 进度完成率 70%。预计 6 月底完成，正在协调资金问题。"),
    (None, "4. 社会效益指标："),
    (None, "(1) 矿山风险防控水平提升。"),
    (None, "(2) 矿山安全监察效能提升。"),
    (None, "5. 服务对象满意度指标：满意。"),
    ("Heading 1", "三、偏离绩效目标的原因和下一步改进措施"),
    (None, "无。"),
    ("Heading 1", "四、绩效自评结果拟应用和公开情况"),
    (None, "市应急局、市财政局高度重视绩效评价结果应用，将绩效评价结果作为项目预算的重要参考依据，并积极探索建立与预算管理相结合、多渠道应用评价结果的有效机制，着力提高绩效意识和财政资金使用效益。同时，按照有关规定，自评结果将在鞍山市应急管理局门户网站向社会公开。"),
    ("Heading 1", "五、其他需要说明的问题"),
    (None, "无。"),
    (None, "附件：1、中央对地方转移支付安全生产预防和应急救援能力建设补助资金（煤矿及重点非煤矿山重大灾害风险防控资金）绩效目标自评表"),
    (None, "2025年2月28日"),
]

# The prose scorecard (一级 with its weight, each item's weight and 该项指标得X分): 93 in all.
QUXIAN = [
    ("Title", "2024年监测监控中心运行经费项目绩效评价报告"),
    ("Heading 1", "一、项目概况"),
    ("Heading 2", "（一）设立背景及基本情况"),
    (None, "为贯彻落实《应急管理部关于进一步加强安全评价机构监管的指导意见》（应急〔2023〕99号）和《安全生产许可证条例》等法律法规的要求，本单位设置监测监控中心以确保项目按计划进行，并及时发现和解决任何可能影响项目成功的问题。监测监控中心主要任务是收集和分析项目数据，比较实际进展与计划进展，识别潜在的风险和问题，并采取必要的措施以纠正偏差。"),
    ("Heading 2", "（二）实施目的及支持方向"),
    (None, "本项目旨在通过专项资金的支持，改善生产环节的监测监控设施，旨在打造一支技术精准、科学规范的煤矿安全监测监控队伍，为保障安全生产提供技术支撑。"),
    ("Heading 2", "（三）预算安排及分配管理"),
    (None, "渠县安全生产事务中心2024年监测监控中心运行经费项目预算共17.28万元，其中：由渠财预〔2024〕5号文下达行政运转经费17.28万元。项目专项资金全部用于支持监测监控中心的日常运转，确保监控中心网络及设备正常运行。"),
    ("Heading 2", "（四）项目绩效目标设置"),
    (None, "根据相关文件要求，对指标设置从职责分工、管理等具体执行层面考量，本次共设置一级指标4个、二级指标6个，具体监控中心网络及设备正常运行完成率、运转时间、监控煤矿数量、成本控制等6个指标衡量。"),
    (None, "根据《渠县财政局关于开展2025年县级部门（单位）绩效自评工作的通知》（渠财绩〔2025〕5号）要求，渠县安全生产事务中心对专项资金开展了绩效自评，按照项目完成情况填列了《专项预算项目绩效目标完成情况自评表》，同时根据专项预算项目绩效评价指标体系选择适用的评价指标，形成项目的绩效自评打分表，根据评价要点和评分方法，对项目绩效实现情况进行打分，形成评价结论，撰写专项预算项目绩效自评报告。"),
    ("Heading 1", "二、评价实施"),
    ("Heading 2", "（一）评价目的"),
    (None, "本次绩效评价的目的是在全面了解2024年财政资金预算支出绩效情况的基础上，开展部门整体预算绩效评价，为今后预算安排提供决策支持，不断提高单位的工作效率，进一步优化支出结构，增强支出管理的责任，保障更好地履行职责，提高财政资金使用效益。"),
    ("Heading 2", "（二）评价方法"),
    (None, "评价方法主要包括定量评价和定性评价相结合的方式。定量评价主要通过收集和分析相关数据如资金到位率、支出率、完成率等指标来评价项目绩效；定性评价则通过专家评审、问卷调查、现场勘验等方式，对项目实施的规范性、合理性、群众满意度等方面进行综合评价。"),
    ("Heading 1", "三、绩效分析"),
    ("Heading 2", "（一）通用指标绩效分析"),
    (None, "1.项目决策（18分）。"),
    (None, "（1）决策程序（6分）。通过召开集体决策会议表决是否开展项目，经过项目事前绩效评估后，向主管部门提交项目立项申请，经研究后给予支持。该项指标得6分。"),
    (None, "（2）规划论证（6分）。一是深入分析该项目开展的实际需求是否得当，评估项目实施的可行性，识别项目在实施过程中可能遇到的风险且制定应对措施。二是明确专项资金使用的总体目标和具体指标。该项指标得6分。"),
    (None, "（3）资金投向（6分）。专项项目资金用于2024年度监测监控中心日常运转，确保监控中心网络及设备正常运行。该项指标得3分。"),
    (None, "2.项目管理（18分）。"),
    (None, "（1）制度办法（2分）。本单位未针对此项目建立专项资金管理办法。该项目资金属于以前年度应返还财政资金，按照渠财预〔2024〕5号文件要求，作为单位的日常公用经费使用。该项指标得0分。"),
    (None, "（2）分配管理（10分）。项目资金分配选取充分考虑行业事业发展实际和发展需求，权重设置有效突出项目实施重点。将项目资金纳入财政预算管理，严格按照预算执行，确保资金使用的规范性和透明度。建立高效的资金拨付流程，确保资金及时、足额拨付。该项指标得10分。"),
    (None, "（3）绩效监控（6分）。根据绩效目标设定的监控指标和阈值，通过一体平台对实现程度和执行进度实时跟踪和监控，加强对项目资金使用的监控力度，对发现的问题及时提出整改意见并跟踪整改情况。该项指标得4分。"),
    (None, "3.项目实施（9分）。"),
    (None, "（1）预算执行（6分）。已完成拨付指标金额17.28万元，财政拨付资金17.28万元，财政资金拨付率100%；单位实际支付金额17.28万元，单位实际到位金额17.28万元，单位资金使用率100%。该项指标得6分。"),
    (None, "（2）资金使用（3分）。项目资金使用、拨付符合国家财经法规、财务管理制度及有关专项资金管理制度办法规定和审批程序，不存在超范围、超标准、超进度使用专项资金，不存在资金损失浪费、长期沉淀、截留、挤占、挪用、虚列支出等情况，项目实施遵守相关法律法规。该项指标得3分。"),
    (None, "4.项目结果（9分）。"),
    (None, "（1）目标完成（6分）。项目完成预期目标，实施结果和绩效目标基本匹配，目标任务确保监控中心网络及设备正常运行。该项指标得6分。"),
    (None, "（2）完成时效（3分）。项目验收合格后，我单位在收到财政拨付资金后，及时进行资金支付。该项指标得3分。"),
    ("Heading 2", "（二）专用指标绩效分析"),
    (None, "1.用途合规性（10分）。"),
    (None, "专项资金按照既定的项目要求进行使用，科学合理、均衡公平。及时进行了验收且合格率为100%。该项指标得10分。"),
    (None, "2.程序合规性（10分）。"),
    (None, "项目立项由业务部门提出申请，经过单位最高决策会议集体决策后，申报立项项目。资金分配和实施结果精准，及时落实到具体内容。该项指标得10分。"),
    (None, "3.标准合规性（10分）。"),
    (None, "项目资金属于县财政局规定的财政预算使用项目，不存在多发、漏发、重发、迟发等情况，全部符合支持标准人数。该项指标得10分。"),
    ("Heading 2", "（三）个性指标绩效分析"),
    (None, "1.项目资料完备情况（6分）。"),
    (None, "项目进展全方位解析与资料完备性进行分析，涵盖了项目前期论证、中期实施、后期运营等方面的内容文章详细阐述了每个阶段所需完成的资料和具体工作内容，以及验收报告、运营管理制度等后期运营资料。资料完整、齐全，该项指标得6分。"),
    (None, "2.中心运行条件改善（6分）。"),
    (None, "基于对当前监测监控中心的深入分析，通过改善措施的实施，确保网络及设备正常运行。该项指标得6分。"),
    (None, "3.可持续发展情况（4分）。"),
    (None, "通过改善监测监控中心设备设施条件，延长中心的运转时间，增强可持续发展的有效性。该项指标得4分。"),
    ("Heading 1", "四、评价结论"),
    (None, "本报告通过全面、客观的绩效评价,总结了项目实施的成效与经验，不断优化专项资金的管理和使用效率。针对本次专项预算项目绩效自评，我单位自评结果为96分。"),
    ("Heading 1", "五、存在主要问题"),
    (None, "绩效评价方面存在预算绩效管理相应的制度不够完善、预算绩效管理指标设置量化性、科学性及可评价性等问题。"),
    ("Heading 1", "六、改进建议"),
    (None, "在接下来的工作中，对项目做好事前评估，优化项目绩效目标，更科学的细化、量化绩效指标。有计划、有步骤、全面有效的实施专项资金项目预算绩效管理。"),
]

XINJIANG = """\
# 新疆维吾尔自治区安全生产预防和应急救援能力建设补助资金转移支付 2023 年度绩效自评报告

(2023 年度)

项目名称：安全生产预防和应急救援能力建设补助资金
实施单位：新疆维吾尔自治区应急管理厅
主管部门：新疆维吾尔自治区应急管理厅
填报时间：2024 年 3 月 11 日

为贯彻落实党中央全面实施预算绩效管理决策部署，根据《财政部关于开展 2023 年度中央对地方转移支付预算执行情况绩效自评工作的通知》（财监〔2024〕3 号），自治区应急管理厅高度重视，严格按照规范要求组织开展了 2023 年度安全生产预防和应急救援能力建设补助资金的重点化工产业聚集区重大安全风险防控项目、煤矿及重点非煤矿山重大灾害风险防控支出、尾矿库风险隐患治理支出、安全生产应急救援力量建设等 4 个子项目的预算绩效自评工作，现将自评情况报告如下：

## 第三部分 安全生产预防和应急救援能力建设补助资金（尾矿库风险隐患治理支出）

## 一、绩效目标分解下达情况

### （一）中央下达安全生产预防和应急救援能力建设补助资金（尾矿库风险隐患治理支出）转移支付预算和绩效目标情况

1. 下达预算情况

2023年10月，财政部《关于下达2023年安全生产预防和应急救援能力建设补助资金预算(尾矿库风险隐患治理支出)的通知》(财资环〔2023〕99号)，下达我区尾矿库风险隐患治理支出项目预算2208万元，其中：中央财政补助资金1766万元，地方财政承诺投入资金442万元，中央补助资金用于支持我区尾矿库风险隐患治理项目建设，提升尾矿库安全风险防控能力，防范和遏制尾矿库安全生产事故。资金分配情况见所附明细表(分发地方)。

2. 下达绩效目标情况

财政部随文下达 14 个项目绩效目标表，见所附绩效目标表。

### （二）自治区资金安排、分解下达预算和绩效目标情况

1. 自治区分解下达预算情况

2023年11月，自治区《关于下达2023年安全生产预防和应急救援能力建设补助资金预算（尾矿库风险隐患治理支出）的通知》（新财资环〔2023〕111号），下达新疆2023年安全生产预防和应急救援能力建设补助资金预算（尾矿库风险隐患治理支出）项目资金2208万元。资金分配情况见所附分配表(不发地州)。

## 二、绩效情况分析

### （一）资金投入情况分析

1. 项目资金到位情况分析。

2023 年度我区安全生产预防和应急救援能力建设补助资金（尾矿库风险隐患治理支出）项目总预算资金为 2208 万元，资金到位 2208 万元，到位率 100%。其中：2023 年 9 月中央下达新疆安全生产预防和应急救援能力建设补助资金（尾矿库风险隐患治理支出）项目预算资金为 1766 万元，地方财政承诺投入资金 442 万元。

2. 项目资金执行情况分析。

截止 2023 年 12 月 31 日，2023 年度用于安全生产预防和应急救援能力建设补助资金预算（尾矿库风险隐患治理支出）的资金总计 2208 万元、共计执行 0 万元，执行率 0%。其中，中央财政资金预算 1766 万元，实际执行 0 万元，执行率 0%；地方财政承诺投入资金 442 万元，实际执行 0 万元，执行率 0%。

### （二）资金管理情况分析

1. 资金分配科学性：自治区应急管理厅严格按照转移支付管理制度以及资金管理规定的范围和标准分配、使用，确保资金能够按照既定的目标和优先级进行分配，达到最优的经济效益和社会效益。

2. 资金下达及时性：严格按照预算法及其实施条例、转移支付管理制度规定以及资金管理规定的时限要求分解下达。

3. 资金拨付合规性：严格按照国库集中支付制度有关规定支付资金，未出现违规将资金从国库转入财政专户或支付到预算单位实有资金账户等问题。

4. 资金使用规范性：严格按照下达预算的科目和项目执行，未出现截留、挤占、挪用或擅自调整等问题。

5. 资金执行准确性：在细化下达预算时同步下达绩效目标，将有关资金纳入本级预算或向下转移支付绩效管理，开展绩效监控和绩效评价。

6. 预算绩效管理情况：将有关资金纳入本级预算或向下转移支付绩效管理，开展绩效监控和绩效评价。

7. 支出责任履行情况：对共同财政事权转移支付，按照财政事权和支出责任划分有关规定，足额安排资金履行本级支出责任。

### （三）总体绩效目标完成情况分析

财政部下达的 2023 年度尾矿库风险隐患治理支出项目的总体目标是：在全面摸清尾矿库安全环境风险的基础上，按照尾矿库闭库相关法律法规及技术规范，对该尾矿库实施闭库销号治理，通过坝坡整治、改造排洪系统、覆土植被、改造防渗设施等措施全面提升尾矿库安全风险防控能力，恢复生态环境，消除安全隐患。

全年实际完成情况为：尾矿库风险隐患治理支出项目共有 14 个项目，实际完成哈密 5 个项目，剩余吐鲁番 9 个项目已完成招标，正在确定监理、施工单位，近期将组织施工，计划 2024 年 6 月完成。

### （四）绩效指标完成情况分析

1. 产出指标完成情况分析。

(1) 数量指标。

a. 财政部随文下达隐患治理率指标，指标值 100%，我区全年实际完成 5 个项目，未完成 9 个项目，完成值为 35.71%，偏差率 64.29%；未完成原因为吐鲁番市 9 个项目因现场重新勘探、招投标程序限制，进度较缓慢，暂未开工建设。

b. 财政部随文下达单体工程合格率指标，指标值 100%，我区全年实际完成 5 个项目，完成值为 100%，偏差率 0%，未完成 9 个项目，完成率 0%，偏差率 100%；未完成原因为吐鲁番市 9 个项目因现场重新勘探、招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

(2) 质量指标。

a. 财政部随文下达坝体抗滑稳定性系数 K 指标，指标值 K≥1.25，我区全年实际完成 5 个项目，完成值为 100%，偏差率 0%，未完成 9 个项目，完成率 0%，偏差率 100%；未完成原因为吐鲁番市 9 个项目因招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

b. 财政部随文下达防洪设防标准指标，指标值 ≥ 100 年一遇，我区全年实际完成 5 个项目，完成值为 100%，偏差率 0%，未完成 9 个项目，完成率 0%，偏差率 100%；未完成原因为吐鲁番市 9 个项目因招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

c. 财政部随文下达滩面植被率指标，指标值砂石土覆盖，我区全年实际完成 5 个项目，完成值为 100%，偏差率 0%，未完成 9 个项目，完成率 0%，偏差率 100%；未完成原因为吐鲁番市 9 个项目因招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

d. 财政部随文下达防渗效果指标，指标值达标排放，我区全年实际完成 5 个项目，完成值为 100%，偏差率 0%，未完成 9 个项目，完成率 0%，偏差率 100%；未完成原因为吐鲁番市 9 个项目因招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

（3）时效指标。财政部下达的绩效目标未设定时效指标。

（4）成本指标。财政部下达的绩效目标未设定成本指标。

2. 效益指标完成情况分析。

（1）经济效益。财政部下达的绩效目标未设定经济效益指标。

（2）社会效益

a. 财政部随文下达建设周期指标，指标值≤1 年，我区全年实际完成 5 个项目，完成值为 100%，偏差率 0%，未完成 9 个项目，完成率 0%，偏差率 100%；未完成原因为吐鲁番市 9 个项目因招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

b. 财政部随文下达完成销号时间指标，指标值 ≤ 1.5 年，我区全年实际完成5个项目，完成值为100%，偏差率0%，未完成9个项目，完成率0%，偏差率100%；未完成原因为吐鲁番市9个项目因招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

（3）生态效益。财政部下达的绩效目标未设定生态效益指标。

（4）可持续影响。财政部下达的绩效目标未设定可持续影响指标。

3. 满意度指标完成情况分析。财政部下达的绩效目标未设定满意度指标。

## 三、偏离绩效目标的原因和下一步改进措施

1. 偏离绩效目标的原因：

（1）未完成数量指标

a. 隐患治理率指标，未完成原因为吐鲁番市9个项目因现场重新勘探、招投标程序限制，进度较缓慢，暂未开工建设。

b. 财政部随文下达单体工程合格率指标，未完成原因为吐鲁番市9个项目因现场重新勘探、招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

（2）未完成质量指标

a. 坝体抗滑稳定性系数 K 指标，未完成原因为吐鲁番市 9 个项目因现场重新勘探、招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

b. 防洪设防标准指标，未完成原因为吐鲁番市 9 个项目因现场重新勘探、招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

c. 滩面植被率指标，未完成原因为吐鲁番市 9 个项目因现场重新勘探、招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

d. 防渗效果指标，未完成原因为吐鲁番市 9 个项目因现场重新勘探、招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

（3）未完成效益目标

a. 建设周期指标，未完成原因为吐鲁番市 9 个项目因现场重新勘探、招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

b. 完成销号时间指标，未完成原因为吐鲁番市 9 个项目因现场重新勘探、招投标程序限制，进度较缓慢，暂未开工建设，不具备评价条件。

2. 下一步改进措施

a. 项目实施过程中存在不足：一是企业对中央财政补贴资金到位情况、使用程序缺乏了解。哈密市 5 座尾矿库自行垫付资金，于 2023 年度年末完成闭库销号工作，但由于企业对项目财政补贴资金使用程序和规范不了解，申报不及时，补助资金拨付滞后；二是部分尾矿库治理项目建设较慢，紧迫性不强，项目监管部门对矿山企业项目建设进度未能及时了解督促，指导帮扶企业不够全面，导致部分项目进展相对缓慢。

b. 下一步工作实施改进措施：一是督促企业在项目过程管理中查漏补缺，补全相关资料，及时申请领取补助资金，提高中央资金执行率；二是打通沟通不力环节，督促项目监管部门与属地财政部门、项目实施企业加强沟通，为企业解读中央补贴项目相关政策，解决资金拨付迟缓问题，加强绩效跟踪，定期调度，及时了解和掌握项目进展情况，确保项目按期完成。

## 四、绩效自评结果拟应用和公开情况

1. 绩效自评结果应用：在绩效自评中，发现预算执行、项目管理、管理服务方面多种问题，主要是自治区下达资金时间较晚，自治区财政于 2023 年 11 月 8 日下达资金后，哈密市、吐鲁番市项目监管部门立即开展项目启动工作，哈密市 5 座尾矿库自行垫付资金，于 2023 年末已完成闭库销号工作，现已提报当地财政部门申请支付；吐鲁番 9 座尾矿库为无主尾矿库，由当地政府牵头治理，因现场重新勘探、招投标程序限制，进度较慢，3 月份已开工建设，预计 2024 年 6 月份完成闭库销号，符合中央及自治区关于项目建设时间要求。

2. 针对问题提出以下改进措施，一是在预算执行方面，提高预算制定的科学性和准确性，减少浪费，实现预算的优化配置；二是在项目管理方面，要督促企业加强项目管理的规范化、标准化，制定更为详细的项目计划和进度安排，确保项目及时建成并通过验收；三是在管理服务方面，要加强管理流程优化和改进，提高服务响应速度和处理效率。

3. 评价结果将在自治区应急管理厅、自治区财政厅门户网站进行公示公开，广泛接受社会监督。

## 五、其他需要说明的问题

中央巡视、各级审计和财政监督中未发现问题。
"""

# The 项目实施的预算执行情况 texts of the seven Yangcheng tables as printed; make_workbooks.py
# gives the label there (its blocks are about the layout). Table 4's is printed already.
YANGCHENG_BUDGET_TEXTS = {
    "t1.a1": "1、2024年，根据晋财资环【2024】126号《山西省财政厅关于下达2024年安全生产预防和应急救援能力建设补助资金预算（煤矿及重点非煤矿山重大灾害风险防控支出）的通知》文件，向我县大桥、山城、皇联、芦河4座煤矿下达2024年安全生产预防和应急救援能力建设补助资金191万元。 2、2024年全年预算数191万元，全年执行191万元，预算执行率为100%。",
    "t2.a1": "2024年初预算数为1500000元，预算执行数为1500000元，预算执行率为100%，专款专用率达到100%。2024年，阳城县应急指挥中心系统集成项目完成了以下工作：（一）完成了阳东消防站工程进度款的支付工作；（二）完成了阳东消防站工程监理款的支付工作；（三）完成了阳东消防站电路移接补偿费的支付工作；（四）完成了阳东消防站输配电电费的支付工作；（五）完成了阳东消防站委托服务费的支付工作。工程完成进度达到100%，项目资金本年下达1500000元，2024年，共计支付1500000元，预算执行率为100%。",
    "t3.a1": "2024年初预算2900000元,主要用于煤矿包保小组人员经费保障,全年预算执行2899894.93元,预算执行率99.99%,专款专用率100%。项目专款专用,资金使用合规。按照项目资金使用规范严格各项支出。年底结余105.07元收回财政。",
    "t5.a1": "2024年初预算数为99000元,预算执行数为46750元,预算执行率为47.22%,专款专用率达到100%。预算执行率未达标的原因:12月应急值班情况未统计审批流程。本年度未发放应急救援补贴,本单位严格按照财务管理制度的相关文件要求,按照项目预算批复用途进行支出。",
    "t6.a1": "2024年初预算数为90000元,预算执行数为89200元,预算执行率为99.11%,专款专用率达到100%。本单位严格按照财务管理制度等相关文件要求,按照项目预算批复用途进行支出。",
    "t7.a1": "2025年年初预算为50000元,项目资金本年下达50000元,2024年,共计支付50000元,预算执行率为100%。2024年6月,县委办以“人人讲安全,个个会应急——畅通生命通道”为主题,开展全县“安全生产月”活动。宣传次数超过10次,安全月活动参与率达到100%,本单位严格按照财务管理制度的相关文件要求,按照项目预算批复用途进行支出。",
}

# A made-up county project: the table is right, the report states it wrong.
YUNXI_TABLE = """\
selfeval: 1
kind: project
name: 2024年应急指挥平台运行维护经费
year: 2024
unit: 云溪县应急管理局
funds:
  unit: 万元
  total: {label: 资金总额, source: total, initial_budget: 80.00, budget: 80.00, executed: 72.36, balance: 7.64, rate: "90.45%", weight: 10, score: 9.05}
  sources:
    - {label: 财政拨款, source: fiscal, initial_budget: 80.00, budget: 80.00, executed: 72.36, balance: 7.64, rate: "90.45%"}
  reason: 汛期两次演练并入实战处置，相应经费未支出，结余7.64万元按规定收回。
goal:
  target: 保障县应急指挥平台全年稳定运行，完成应急指挥终端维护，组织应急演练，提升应急指挥调度效率。
  actual: 平台全年稳定运行，维护应急指挥终端120台，组织应急演练4次（另2次并入汛期实战处置）。
indicators:
  - {level1: 产出指标, level2: 数量指标, name: 维护应急指挥终端, target: "＝120台", actual: 120台, weight: 20, score: 20}
  - {level1: 产出指标, level2: 数量指标, name: 开展应急演练, target: "≥6次", actual: 4次, weight: 10, score: 6.67, reason: 汛期提前，2次演练并入实战处置。}
  - {level1: 产出指标, level2: 质量指标, name: 平台运行正常率, target: "≥99%", actual: "99.5%", weight: 10, score: 10}
  - {level1: 产出指标, level2: 时效指标, name: 故障响应时间, target: "≤2小时", actual: 1.5小时, weight: 10, score: 10}
  - {level1: 效益指标, level2: 社会效益指标, name: 应急指挥调度效率, target: 提升, actual: 提升, weight: 20, score: 20}
  - {level1: 效益指标, level2: 可持续影响指标, name: 平台持续稳定运行, target: "≥1年", actual: 1年, weight: 10, score: 10}
  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 使用单位满意度, target: "≥90%", actual: "93%", weight: 10, score: 10}
total: {weight: 100, score: 95.72, grade: 优}
notes: 无
"""

YUNXI_REPORT = [
    ("Title", "云溪县应急管理局2024年应急指挥平台运行维护经费项目绩效自评报告"),
    ("Heading 1", "一、项目概况"),
    (None, "2024年应急指挥平台运行维护经费项目年初预算80万元，全年预算80万元，全部为财政拨款，用于县应急指挥平台运行维护、终端维护和应急演练。"),
    ("Heading 1", "二、预算执行情况"),
    # 72.36万元 is 723600元: a zero dropped
    (None, "截至2024年12月31日，全年执行数为72360元，预算执行率为90.54%，结余7.64万元按规定收回财政。"),
    # 财政拨款 executed 72.36万元, not 70.36
    (None, "其中财政拨款执行70.36万元。"),
    # copied from the year before: its year and its amount in 元
    (None, "2023年年初预算为800000元，主要用于平台运行维护。"),
    ("Heading 1", "三、绩效目标完成情况"),
    (None, "全年维护应急指挥终端120台，开展应急演练4次，平台运行正常率达到99.5%，使用单位满意度为95%。"),
    (None, "2024年，云溪县森林防火视频监控系统项目完成了以下工作：完成前端监控点位巡检和传输链路维护。"),
    (None, "各项绩效指标均已完成。"),
    ("Heading 1", "四、偏离绩效目标的原因和下一步改进措施"),
    (None, "无。"),
    ("Heading 1", "五、自评结论"),
    (None, "经综合评价，本项目自评得分98分，评价等级为良。"),
]


@contextmanager
def _printed_texts():
    """make_workbooks' Yangcheng tables with the budget-execution texts as printed."""
    saved = dict(make_workbooks.YANGCHENG_TEXTS)
    make_workbooks.YANGCHENG_TEXTS.update(YANGCHENG_BUDGET_TEXTS)
    try:
        yield
    finally:
        make_workbooks.YANGCHENG_TEXTS.clear()
        make_workbooks.YANGCHENG_TEXTS.update(saved)


def write_docx(paragraphs: list[tuple[str | None, str]], title: str, path: Path) -> Path:
    import datetime as dt

    import docx

    document = docx.Document()
    core = document.core_properties
    core.author, core.title = "selfeval samples", title
    core.created = core.modified = core.last_printed = dt.datetime(2025, 2, 28)
    core.revision = 1
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    buffer = BytesIO()
    document.save(buffer)
    path.write_bytes(make_workbooks.fixed_zip(buffer.getvalue()))
    return path


def write_pdf(docx_path: Path, path: Path) -> Path:
    """The Word report printed by LibreOffice, with its dates and ID made fixed (same
    lengths, so the cross-reference offsets stay right)."""
    with tempfile.TemporaryDirectory() as tmp:
        # a private profile: a user's LibreOffice settings never change the output
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", tmp, str(docx_path)],
                       check=True, capture_output=True, timeout=300)
        data = (Path(tmp) / (docx_path.stem + ".pdf")).read_bytes()
    data = re.sub(rb"D:\d{14}[+\-Z][0-9']*", lambda m: b"D:20250228000000" + b"Z" * (len(m[0]) - 16), data)
    data = re.sub(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]",
                  lambda m: m[0].replace(m[1], b"0" * len(m[1])).replace(m[2], b"0" * len(m[2])), data)
    data = re.sub(rb"/DocChecksum\s*/([0-9A-Fa-f]+)", lambda m: m[0].replace(m[1], b"0" * len(m[1])), data)
    path.write_bytes(data)
    return path


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else HERE / "reports"
    outdir.mkdir(parents=True, exist_ok=True)
    made = [
        make_workbooks.write_workbook(make_workbooks.anshan_spec(), outdir / "anshan-2024-transfer.xlsx"),
        write_docx(ANSHAN, ANSHAN[2][1], outdir / "anshan-2024-transfer-自评报告.docx"),
        make_workbooks.write_workbook(make_workbooks.monitoring_center_spec(), outdir / "quxian-2024-monitoring-center.xlsx"),
        make_workbooks.write_workbook(make_workbooks.xinjiang_spec(), outdir / "xinjiang-2023-tailings.xlsx"),
    ]
    xinjiang = outdir / "xinjiang-2023-tailings-自评报告.md"
    xinjiang.write_text(XINJIANG, encoding="utf-8")
    made.append(xinjiang)
    with _printed_texts():
        made.append(make_workbooks.write_workbook(make_workbooks.yangcheng_spec(), outdir / "yangcheng-2024-project-self-evals.xlsx"))
    table = outdir / "yunxi-2024-emergency-platform.yaml"
    table.write_text(YUNXI_TABLE, encoding="utf-8")
    made += [table, write_docx(YUNXI_REPORT, YUNXI_REPORT[0][1], outdir / "yunxi-2024-emergency-platform-自评报告.docx")]
    made += [make_final_accounts.write(outdir / "yunxi-2024-final-accounts.xlsx"),
             make_final_accounts.write_docx(make_final_accounts.narrative("defects"), outdir / "yunxi-2024-final-accounts-情况说明.docx")]
    if shutil.which("soffice") is None:
        print("soffice (LibreOffice) is needed for the PDF: apt-get install libreoffice-writer-nogui fonts-noto-cjk", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        source = write_docx(QUXIAN, QUXIAN[0][1], Path(tmp) / "quxian-2024-monitoring-center-绩效评价报告.docx")
        made.append(write_pdf(source, outdir / "quxian-2024-monitoring-center-绩效评价报告.pdf"))
    for path in made:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
