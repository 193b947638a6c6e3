"""Allocation tables (资金分配表, 明细表, GUIDE §1d): recipients with their amounts, grouped
under 小计 rows (a region row may be one without saying so) and closed by a 合计 or 总计.
Read with the shared table-of-amounts reader (kinds/ledger.py); the rules
(rules/amounts/) check every 合计 and 小计 against the rows it adds up, never counting a
subtotal twice. A 自评表 of the same submission is checked against the allocation's 合计
(rules/standard/allocated.yaml)."""

from __future__ import annotations

from pathlib import Path

from validator.kinds import Built, Kind, Match
from validator.kinds.allocation import model
from validator.kinds.ledger import SCHEMA

_FOLDER = Path(__file__).resolve().parent


def recognize(grid) -> list[Match]:
    from validator.kinds.allocation.recognize import recognize as _recognize

    return _recognize(grid)


def build(grid, match: Match) -> Built:
    return Built(model.document(match.detail, "allocation"))


def derive(document: dict, others=None) -> dict:
    return model.derive(document)


KINDS = [Kind(
    name="allocation", title="资金分配表", title_en="allocation table", folder=_FOLDER,
    recognize=recognize, build=build, derive=derive, derived=model.DERIVED, section_labels=model.SECTION_LABELS,
    schema=SCHEMA, alias="allocation",
)]
