"""Execution tables (资金执行情况表): per region or project, the budget and the executed
amount by source of money, a rate per source and in total, a 合计 row. Read with the shared
table-of-amounts reader (kinds/ledger.py) and checked by the same pack as allocation tables
(rules/amounts/): sums, row totals, and every rate against its own columns. A 自评表 of the
same submission is checked against its 合计 (rules/standard/funds_across.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

from validator.kinds import Built, Kind, Match
from validator.kinds.labels import normalize
from validator.kinds.ledger import DERIVED, SCHEMA, derive_sums, document, matches, numeric_share

_FOLDER = Path(__file__).resolve().parent
_TITLE = re.compile(r"执行|支出情况|使用情况")
_OTHER_TITLE = re.compile(r"自评|目标表|决算|评价|分配")


def _score(ledger) -> tuple[float, list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    if numeric_share(ledger) < 0.8:
        return 0.0, zh, en
    measures = {c.measure for c in ledger.columns if c.role in ("amount", "rate")}
    if not {"budget", "executed"} <= measures:
        return 0.0, zh, en
    value = 0.5
    zh.append("有预算数和执行数两组金额列")
    en.append("it has budget and executed amount columns")
    if "rate" in measures:
        value += 0.2
        zh.append("有执行率列")
        en.append("it has rate columns")
    title = normalize(ledger.title or "")
    # A title that says 执行 wins over one that also names another table (分配及执行明细表
    # is the execution of an allocation); the columns already showed budget and executed.
    if title and _TITLE.search(title):
        value += 0.3
        zh.append("标题为执行情况表")
        en.append("the title says 执行情况")
    elif title and _OTHER_TITLE.search(title):
        value -= 0.5
    return max(0.0, min(1.0, value)), zh, en


def recognize(grid) -> list[Match]:
    return matches(grid, "execution", _score)


def build(grid, match: Match) -> Built:
    return Built(document(match.detail, "execution"))


def derive(doc: dict, others=None) -> dict:
    return derive_sums(doc)


KINDS = [Kind(
    name="execution", title="资金执行情况表", title_en="execution table", folder=_FOLDER,
    recognize=recognize, build=build, derive=derive, derived=DERIVED,
    section_labels={"rows": "执行情况表", "columns": "列标题", "title": "标题"}, schema=SCHEMA, alias="execution",
)]
