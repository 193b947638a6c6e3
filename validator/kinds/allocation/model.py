"""The allocation table as rules see it: the canonical document of a table of amounts
(kinds/ledger.py) with, for every 合计 and 小计 and every amount column, the cells it
should be the sum of: data for the rules to compare, never a verdict."""

from __future__ import annotations

from validator.kinds.ledger import DERIVED, derive_sums, document

SECTION_LABELS = {"rows": "分配表", "columns": "列标题", "title": "标题"}


def derive(doc: dict) -> dict:
    return derive_sums(doc)


__all__ = ["DERIVED", "SECTION_LABELS", "derive", "document"]
