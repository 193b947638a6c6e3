"""The issued target table (绩效目标表, 区域绩效目标表, GUIDE §1c): the indicator tree with
targets only and 资金情况, issued before the year by the ministry or re-issued by the
province. Laid out like a self-evaluation table without its actual columns, so it is read
by the same table walk; a 自评表 of the same submission is checked against it (rules in
rules/standard/issued.yaml read it under the name `targets`)."""

from __future__ import annotations

import re
from pathlib import Path

from validator.kinds import Built, Kind, Match
from validator.kinds.self_eval import model
from validator.kinds.self_eval.labels import normalize

_FOLDER = Path(__file__).resolve().parent
_TARGET_TITLE = re.compile(r"目标表|目标申报表|绩效目标")
_SELF_EVAL_TITLE = re.compile(r"自评|评价")


def recognize(grid) -> list[Match]:
    from validator.kinds.self_eval.tables import find_tables

    out = []
    for table in find_tables(grid):
        zh, en, value = [], [], 0.0
        title = normalize(table.title or "")
        if title and _TARGET_TITLE.search(title) and not _SELF_EVAL_TITLE.search(title):
            value += 0.6
            zh.append("标题为绩效目标表")
            en.append("the title says 绩效目标表")
        elif title and _SELF_EVAL_TITLE.search(title):
            value -= 0.6
        fields = table.indicator_fields
        if "indicators" in table.seen:
            if "actual" in fields or "score" in fields:
                value -= 0.6
            elif fields & {"target", "initial_target"}:
                value += 0.3
                zh.append("绩效指标只有指标值，没有实际完成值")
                en.append("the indicators have targets and no actuals")
        if "funds" in table.seen and not {"executed", "rate"} & _fund_fields(table):
            value += 0.1
            zh.append("资金情况只有下达数")
            en.append("the funds block has the amounts issued only")
        if "management" in table.seen:
            value -= 0.3
        if value > 0:
            out.append(Match("target_table", max(0.0, min(1.0, value)), table.first_row, table.last_row, table.anchor,
                             "；".join(zh), "; ".join(en), detail=table))
    return out


def _fund_fields(table) -> set[str]:
    funds = table.data.get("funds") or {}
    rows = ([funds["total"]] if funds.get("total") else []) + list(funds.get("sources") or [])
    return {k for r in rows for k, v in r.items() if v is not None}


def build(grid, match: Match) -> Built:
    table = match.detail
    return Built(table.submission("target_table"), list(table.notices))


def derive(document: dict, others=None) -> dict:
    return model.build(document)


KINDS = [Kind(
    name="target_table", title="绩效目标表", title_en="issued target table", folder=_FOLDER,
    recognize=recognize, build=build, derive=derive, derived=model.DERIVED, section_labels=model.SECTION_LABELS,
    alias="targets",
)]
