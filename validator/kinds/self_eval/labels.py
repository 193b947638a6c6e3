"""The keyword tables that recognize a self-evaluation table and its blocks.

Templates differ by province and year (全年执行数 / 执行数 / 实际支出; 产出指标（50分）;
"绩效 指标" with a stray space or a line break), so labels are reduced to a key first
(validator/kinds/labels.py) and then matched by keywords rather than by exact spelling or
position."""

from __future__ import annotations

import re

from validator.kinds.labels import (  # noqa: F401  (used here and by the table walk)
    declared_weight, label_key, level_label, money_unit, normalize, year_in,
)


# --- header fields -----------------------------------------------------------------------

_NAME_KEYS = {"转移支付名称", "项目名称", "转移支付项目名称", "项目支出名称", "名称", "资金名称"}
_UNIT_KEYS = {
    "资金使用单位", "预算单位", "项目单位", "实施单位", "项目实施单位", "资金使用单位名称",
    "预算单位名称", "单位名称", "项目承担单位", "项目执行单位",
}
_PROJECT_TYPE_KEYS = {"项目类型", "项目类别"}
_YEAR_KEYS = {"项目起止年限", "年度", "评价年度", "项目年度", "绩效年度", "实施年度", "自评年度"}


def header_field(key: str) -> str | None:
    """name / department / unit / project_type / year, or None."""
    if key in _NAME_KEYS or (key.endswith("项目名称") and len(key) <= 10):
        return "name"
    if key.endswith(("主管部门", "财政部门", "主管单位")) and len(key) <= 10:
        return "department"
    if key in _UNIT_KEYS:
        return "unit"
    if key in _PROJECT_TYPE_KEYS:
        return "project_type"
    if key in _YEAR_KEYS:
        return "year"
    return None


# --- titles, section anchors --------------------------------------------------------------

_TITLE_TAIL = re.compile(r"(?:\([^()]*\))+$")
_TITLE_ENDS = ("评价表", "情况表", "自评", "目标表", "申报表", "分配表", "明细表", "执行表", "得分表", "评分表")


def is_title(text: str) -> bool:
    """A table's title: 绩效自评表, or a table of the other families (目标表, 分配表 …),
    with a trailing (分发地方) or (2023年度) allowed."""
    norm = normalize(text)
    if len(norm) < 6 or len(norm) > 120:
        return False
    core = _TITLE_TAIL.sub("", norm)
    return "自评表" in norm or (("绩效" in core or "资金" in core) and core.endswith(_TITLE_ENDS))


_YEAR_LINE = re.compile(r"^(?:\(20\d{2}年度?\)|20\d{2}年度)$")


def is_year_line(text: str) -> bool:
    return bool(_YEAR_LINE.match(normalize(text)))


_FUNDS_TITLES = {
    "资金投入情况", "资金情况", "项目资金", "项目资金预算安排及执行进度", "资金投入", "项目资金情况",
    "年度资金情况", "资金来源情况", "资金安排情况", "预算资金情况", "资金投入及执行情况",
}


def is_funds_title(key: str) -> bool:
    if key in _FUNDS_TITLES:
        return True
    return "管理" not in key and len(key) <= 16 and key.endswith(
        ("资金投入情况", "资金安排及执行情况", "资金预算安排及执行进度", "资金执行情况")
    )


def is_management_title(key: str) -> bool:
    return key in {"资金管理情况", "资金管理", "资金管理情况分析"}


def is_issues_header(key: str) -> bool:
    return "存在问题" in key or ("改进措施" in key and "原因" not in key)


_GOAL_ANCHORS = {
    "年度总体目标", "总体目标", "年度目标", "总体绩效目标", "年度绩效目标", "绩效目标",
    "总体目标完成情况", "年度总体目标完成情况",
}
_GOAL_TARGET_HEADERS = {"总体目标", "年度目标", "预期目标", "年度绩效目标", "绩效目标", "年初设定目标", "目标"}


_GOAL_ANCHOR_WORDS = ("绩效目标", "总体目标", "年度目标")


def is_goal_anchor(key: str) -> bool:
    """The label that opens the goal block: 年度总体目标, and the templates' longer forms
    (项目年度绩效目标, 年度绩效目标及完成情况), never a funds row."""
    if key in _GOAL_ANCHORS:
        return True
    return len(key) <= 12 and key.startswith(("项目", "年度", "总体", "整体")) and any(w in key for w in _GOAL_ANCHOR_WORDS)


def goal_column(key: str) -> str | None:
    if len(key) > 12:
        return None
    if "完成情况" in key or "实际完成" in key or key in {"实际情况", "完成结果"}:
        return "actual"
    if key in _GOAL_TARGET_HEADERS:
        return "target"
    return None


_ANALYSIS_ANCHORS = {"项目绩效分析", "绩效分析", "绩效自评分析", "自评结果分析", "项目绩效情况分析", "绩效情况分析", "项目绩效自评分析"}


def is_analysis_anchor(key: str) -> bool:
    """The label of the 项目绩效分析 text block at the bottom of a project table."""
    return key in _ANALYSIS_ANCHORS or (len(key) <= 10 and key.endswith("绩效分析"))


def analysis_field(key: str) -> str | None:
    """What a 项目绩效分析 line is, where the canonical report has a field for it."""
    if ("偏离" in key or "偏差" in key) and "原因" in key:
        return "deviation_reasons"
    if key in {"自评得分", "自评结果", "自评分数", "自评总分"}:
        return "stated_score"
    return None


_TOTAL_KEYS = {"合计", "总分", "总计", "合计得分", "总得分", "总分合计", "得分合计", "合计总分", "自评总分"}


def is_total(key: str) -> bool:
    return key in _TOTAL_KEYS


def is_grade_label(key: str) -> bool:
    return "等级" in key and len(key) <= 8


GRADE_VALUES = {"优", "良", "中", "差", "优秀", "良好", "合格", "不合格", "及格", "较差", "一般"}

_NOTES_KEYS = {"说明", "其他说明", "其他需要说明的事项", "其他需要说明的问题", "备注说明", "情况说明备注"}


def is_notes(key: str) -> bool:
    return key in _NOTES_KEYS


_FOOTNOTE = re.compile(r"^(?:注\d*[:.,]|注\d|备注[:]|填表说明|填报说明)")


def is_footnote(text: str) -> bool:
    return bool(_FOOTNOTE.match(normalize(text)))


# --- funds block ----------------------------------------------------------------------------

MONEY_COLUMNS = {"initial_budget", "initial_declared", "initial_planned", "budget", "executed", "balance", "rate"}


def funds_column(key: str) -> str | None:
    """The fund_row field a funds-block column header stands for. Order matters:
    预算执行率偏低原因分析 is a reason, not a rate; 实际完成指标值 is not money."""
    if not key or len(key) > 20:
        return None
    if "原因" in key or "改进措施" in key or key in {"说明", "备注"}:
        return "reason"
    if "执行率" in key or key in {"完成率", "支出率", "执行进度"}:
        return "rate"
    if "目标申报" in key or key == "申报数":
        return "initial_declared"
    if "预算编制" in key or key == "编制数":
        return "initial_planned"
    if "年初" in key and ("预算" in key or key.endswith("数")):
        return "initial_budget"
    if "结余" in key or "结转" in key or key == "余额":
        return "balance"
    if any(word in key for word in ("执行数", "支出数", "实际支出", "执行金额", "实际执行", "支出金额")) or key in {
        "执行", "支出", "实际支出"
    }:
        return "executed"
    if any(word in key for word in ("预算数", "预算金额", "预算资金")) or key in {"预算", "全年预算", "调整后预算"}:
        return "budget"
    if key in {"分值", "权重", "分数", "标准分", "标准分值"}:
        return "weight"
    if key in {"得分", "评分", "自评得分"}:
        return "score"
    return None


def fund_source(key: str) -> str | None:
    """The fund_row `source` for a row label, or None for an unknown (but kept) row."""
    if "总额" in key or key in {"合计", "总计", "资金合计", "年度资金"}:
        return "total"
    if "其他" in key or "自筹" in key or "社会资金" in key:
        return "other"
    if "中央" in key:
        return "central"
    if "地方" in key or "市县" in key or "县区" in key or "市区县" in key:
        return "local"
    if key.startswith("省"):
        return "provincial"
    if key.startswith("市"):
        return "city"
    if key.startswith(("县", "区级", "区县")):
        return "county"
    if "财政拨款" in key or key in {"财政资金", "本级财政资金", "一般公共预算"}:
        return "fiscal"
    return None


def is_fund_row_label(key: str) -> bool:
    if not key or len(key) > 20:
        return False
    return fund_source(key) is not None or any(
        word in key for word in ("资金", "拨款", "补助", "经费", "结转", "收入", "资本")
    )


# --- management --------------------------------------------------------------------------

MANAGEMENT_ITEMS = ("分配科学性", "下达及时性", "拨付合规性", "使用规范性", "执行准确性", "预算绩效管理情况", "支出责任履行情况")


def is_management_item(key: str) -> bool:
    return key in MANAGEMENT_ITEMS or (len(key) <= 12 and key.endswith(("性", "履行情况", "管理情况")))


# --- indicators ----------------------------------------------------------------------------

LEVELS = {"一级指标": "level1", "二级指标": "level2", "三级指标": "level3", "四级指标": "level4"}


def indicator_column(key: str) -> str | None:
    if not key or len(key) > 24:
        return None
    for label, field in LEVELS.items():
        if key.startswith(label) or key == label[:2]:
            return field
    if "原因" in key or "改进措施" in key or key.startswith("偏差"):
        return "reason"
    if "指标性质" in key or key == "性质":
        return "nature"
    if "度量单位" in key or "计量单位" in key or key == "单位":
        return "measure_unit"
    if "年初" in key and ("指标值" in key or "目标值" in key):
        return "initial_target"
    if any(word in key for word in ("完成值", "实际完成", "实际值", "完成情况", "完成指标值")):
        return "actual"
    if "指标值" in key or "目标值" in key:
        return "target"
    if key in {"分值", "权重", "权重分", "分数", "标准分值", "权重(分值)", "指标分值", "指标权重"}:
        return "weight"
    if "得分" in key and "率" not in key:
        return "score"
    return None


PLACEHOLDERS = {"/", "-", "—", "／", "--", "——", "\\"}
