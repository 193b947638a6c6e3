"""Findings about the file rather than the submission's content: what a reader noticed
(a sheet with no table, a formula without a cached value, a table of a kind not checked)
and a block the reader found but could not read."""

from __future__ import annotations

from typing import Mapping

from validator.check.codes import core_title
from validator.check.findings import Finding
from validator.check.locate import at, make


def notice_finding(n) -> Finding:
    """A ReaderNotice as a finding under its own code."""
    return make(n.code, "form", n.severity, core_title(n.code) or n.message, n.message, n.message_en,
                at(n.path or "", n.label, n.sheet, n.cell), pack="reader")


def unreadable_finding(block: Mapping, skipped: list) -> Finding:
    """A block the reader found but could not read: said once, with the checks that did not
    run because of it, never blamed on the filer as a block left empty."""
    where = str(block.get("range") or "")
    sheet, _, cells = where.rpartition("!")
    ids = "、".join(r.id for r in skipped) or "无"
    ids_en = ", ".join(r.id for r in skipped) or "none"
    label, label_en = block.get("label") or block.get("block"), block.get("label_en") or block.get("block")
    return make(
        "XL007", "form", "warning", core_title("XL007"),
        f"{label}（{where}）无法读取：{block.get('reason') or '格式无法识别'}；依赖它的检查未运行（{ids}）。请核对该部分的列标题与数值是否对齐。",
        f"{label_en} ({where}) could not be read: {block.get('reason_en') or 'its layout is not recognized'}; the checks that need it did not run ({ids_en}). Check that its values line up with its column headers.",
        at(str(block.get("block") or ""), label, sheet or None, cells.split(":")[0] if cells else None),
        pack="reader",
    )


def skipped_finding() -> Finding:
    """The other rules did not run because the document does not match its format."""
    return make(
        "SC900", "form", "info", core_title("SC900"),
        "提交格式有误，已跳过其余规则；请先修正上面的格式问题。",
        "The submission does not match the format, so the other rules were skipped; fix the problems above first.",
        at("(root)"), pack="core",
    )
