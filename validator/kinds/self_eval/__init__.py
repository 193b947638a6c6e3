"""The 绩效自评表 kinds: transfer-payment (转移支付区域(项目)绩效自评表, GUIDE §1a) and project
expenditure (项目支出绩效自评表, §1b) self-evaluation tables. Both share the table walk
(tables.py, blocks.py, labels.py), the canonical schema (schema.json) and the model
(model.py); the template's markers decide which of the two a table is."""

from __future__ import annotations

from pathlib import Path

from validator.kinds import Built, Kind, Match
from validator.kinds.self_eval import model

_FOLDER = Path(__file__).resolve().parent


def recognize(grid) -> list[Match]:
    from validator.kinds.self_eval.recognize import recognize as _recognize

    return _recognize(grid)


def build(grid, match: Match) -> Built:
    table = match.detail
    return Built(table.submission(), list(table.notices))


def derive(document: dict, others=None) -> dict:
    from validator.kinds.self_eval import links

    tree = model.build(document)
    links.link_issued(tree, document, others)
    links.link_funds(tree, others)
    return tree


TRANSFER = Kind(
    name="transfer", title="转移支付区域(项目)绩效自评表", title_en="transfer-payment self-evaluation table",
    label="转移支付自评表", label_en="transfer payment",
    folder=_FOLDER, recognize=recognize, build=build, derive=derive, derived=model.DERIVED,
    section_labels=model.SECTION_LABELS,
)
PROJECT = Kind(
    name="project", title="项目支出绩效自评表", title_en="project expenditure self-evaluation table",
    label="项目支出自评表", label_en="project expenditure",
    folder=_FOLDER, recognize=recognize, build=build, derive=derive, derived=model.DERIVED,
    section_labels=model.SECTION_LABELS,
)
KINDS = [TRANSFER, PROJECT]
