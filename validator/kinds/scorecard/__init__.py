"""Evaluation scorecards (绩效评价指标体系 / 各项指标得分情况, GUIDE §1e): a third-party or
department evaluation's 一级 / 二级 / 三级 indicators with 权重 and 得分 (and 得分率), a 小计
per 一级, a 合计 of 100 and its grade. Checked by rules/scorecard/: weights roll up, the
合计 is 100, no score above its weight, every rate is score ÷ weight, the total is the sum
of the scores and its grade the band it falls in."""

from __future__ import annotations

import re
from pathlib import Path

from validator.kinds import Built, Kind, Match
from validator.kinds.labels import normalize
from validator.kinds.scorecard import model
from validator.kinds.scorecard.table import find_cards

_FOLDER = Path(__file__).resolve().parent
_TITLE = re.compile(r"评价指标体系|评分表|得分情况|评价表|打分表|评价得分")


def recognize(grid) -> list[Match]:
    out = []
    for card in find_cards(grid):
        zh = ["有一级指标、权重（分值）和得分栏，没有指标值和实际完成值"]
        en = ["it has 一级指标, weight and score columns, and no targets or actuals"]
        value = 0.5
        if {"rate"} & card.fields:
            value += 0.1
            zh.append("有得分率栏")
            en.append("it has a 得分率 column")
        if any(ln.role == "subtotal" for ln in card.lines):
            value += 0.2
            zh.append("各一级指标有小计")
            en.append("each 一级 group has a 小计")
        title = normalize(card.title or "")
        if title and _TITLE.search(title):
            value += 0.2
            zh.append("标题为评价评分表")
            en.append("the title says it scores an evaluation")
        out.append(Match("scorecard", min(1.0, value), card.first_row, card.last_row, card.anchor,
                         "；".join(zh), "; ".join(en), detail=card))
    return out


def build(grid, match: Match) -> Built:
    return Built(model.document(match.detail))


def derive(document: dict, others=None) -> dict:
    return model.derive(document)


KINDS = [Kind(
    name="scorecard", title="绩效评价评分表", title_en="evaluation scorecard", folder=_FOLDER,
    recognize=recognize, build=build, derive=derive, derived=model.DERIVED, section_labels=model.SECTION_LABELS,
    alias="scorecard",
)]
