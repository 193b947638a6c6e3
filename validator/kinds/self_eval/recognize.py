"""Is this table a 绩效自评表? The table walk (tables.py) finds regions with a funds block,
资金管理情况, 总体目标 or an indicator header; this scores each by what a self-evaluation
table has that the look-alikes do not:

- an indicator header with an actual column (实际完成值, 全年完成值): the issued target table
  (绩效目标表) has targets only, the evaluation scorecard (评价指标体系) has 权重/得分 only;
- a title that says 自评表, not 目标表, 分配表, 明细表, 执行情况表, 评价 or 决算;
- a funds block whose rows are the sources of the money (资金总额, 中央, 地方, 其他资金,
  财政拨款), not regions or projects;
- 资金管理情况 and 总体目标 blocks."""

from __future__ import annotations

import re

from validator.kinds import Match
from validator.kinds.self_eval.labels import fund_source, label_key, normalize
from validator.kinds.self_eval.tables import find_tables

# Titles of the other families: a table so titled is not a self-evaluation, whatever it holds.
_OTHER_TITLE = re.compile(r"目标表|目标申报表|分配表|明细表|分配情况|执行情况表|执行表|评价指标体系|评分表|得分情况|评价表|决算")


def _fund_row_labels(table) -> tuple[int, int]:
    """(rows labelled as sources of money, rows labelled otherwise) in the funds block."""
    funds = table.data.get("funds") or {}
    rows = ([funds["total"]] if funds.get("total") else []) + list(funds.get("sources") or [])
    good = sum(1 for r in rows if fund_source(label_key(r.get("label") or "")) is not None)
    return good, len(rows) - good


def score(table) -> tuple[float, list[str], list[str]]:
    """Confidence that `table` is a self-evaluation table, with the reasons (zh, en)."""
    zh: list[str] = []
    en: list[str] = []
    value = 0.0
    title = normalize(table.title or "")
    if "自评" in title:
        value += 0.5
        zh.append("标题为自评表")
        en.append("the title says 自评表")
    elif title and _OTHER_TITLE.search(title):
        value -= 0.6
        zh.append(f"标题“{table.title.strip()}”不是自评表")
        en.append(f"the title '{table.title.strip()}' is not a self-evaluation table")
    fields = table.indicator_fields
    if "indicators" in table.seen:
        if "actual" in fields:
            # Targets beside actuals are what no other family prints.
            value += 0.5 if fields & {"target", "initial_target"} else 0.4
            zh.append("绩效指标有实际完成值栏")
            en.append("the indicators have an actual column")
        elif fields & {"target", "initial_target"}:
            value -= 0.2
            zh.append("绩效指标只有指标值，没有实际完成值栏")
            en.append("the indicators have targets but no actual column")
        else:
            value -= 0.4
            zh.append("指标栏没有指标值和实际完成值")
            en.append("the indicator rows have neither targets nor actuals")
    if "funds" in table.seen:
        good, other = _fund_row_labels(table)
        if good and good >= other:
            value += 0.2
            zh.append("资金栏按资金来源分行")
            en.append("the funds block is split by source")
        elif other:
            value -= 0.2
            zh.append("资金栏各行不是资金来源")
            en.append("the funds rows are not sources of money")
    if "management" in table.seen:
        value += 0.2
        zh.append("有资金管理情况")
        en.append("it has 资金管理情况")
    if "goal" in table.seen:
        value += 0.1
        zh.append("有总体目标")
        en.append("it has an overall goal")
    return max(0.0, min(1.0, value)), zh, en


def recognize(grid) -> list[Match]:
    matches = []
    for table in find_tables(grid):
        confidence, zh, en = score(table)
        matches.append(Match(
            kind=table.kind(), confidence=confidence, first_row=table.first_row, last_row=table.last_row,
            anchor=table.anchor, reason="；".join(zh), reason_en="; ".join(en), detail=table,
        ))
    return matches
