"""Is this a table of amounts allocated to recipients? A header with a name column and
amount columns, rows whose amounts are numbers, a 合计 or 小计; a title that says 分配,
明细, 安排 or 下达; and no executed or rate columns (those make an execution table)."""

from __future__ import annotations

import re

from validator.kinds import Match
from validator.kinds.labels import normalize
from validator.kinds.ledger import Ledger, matches, numeric_share

_TITLE = re.compile(r"分配|明细|安排|下达|拨付")
_OTHER_TITLE = re.compile(r"自评|目标表|执行情况|执行表|决算|评价")


def score(ledger: Ledger) -> tuple[float, list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    value = 0.0
    share = numeric_share(ledger)
    if share < 0.8:
        return 0.0, zh, en
    value += 0.3
    zh.append("名称列与金额列，金额均为数值")
    en.append("a name column and amount columns holding numbers")
    title = normalize(ledger.title or "")
    if title and _OTHER_TITLE.search(title):
        value -= 0.5
    elif title and _TITLE.search(title):
        value += 0.4
        zh.append("标题为分配表")
        en.append("the title says it allocates")
    measures = {c.measure for c in ledger.columns if c.role in ("amount", "rate")}
    if "executed" in measures or "rate" in measures:
        value -= 0.4
    if any(r.role in ("total", "subtotal") for r in ledger.rows):
        value += 0.2
        zh.append("有合计、小计行")
        en.append("it has 合计 / 小计 rows")
    return max(0.0, min(1.0, value)), zh, en


def recognize(grid) -> list[Match]:
    return matches(grid, "allocation", score)
