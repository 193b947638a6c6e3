"""Word reports (.docx): the body's paragraphs in order, each heading with its outline
level, and each table as a grid with its merged cells.

A .docx is a zip package: it is checked like a workbook (read/archive.py: size, a zip
bomb's sizes and ratios, DTDs) before python-docx opens it. Tables are read from their
XML: python-docx repeats a merged cell's text in every cell it covers, while a grid holds
it once, at the merge's first cell, with the range beside it (gridSpan → across,
vMerge → down)."""

from __future__ import annotations

import re
from pathlib import Path

from validator import limits as _limits
from validator.errors import InputError
from validator.read import Paragraph, TextDocument
from validator.read import archive as _archive
from validator.read.cells import text_value
from validator.read.grid import Grid, Merge
from validator.read.plain import CharBudget

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
# The outline numbering of Chinese official documents (GB/T 9704): 一、 （一） 1. （1）
_NUMBERED = [
    (re.compile(r"^[一二三四五六七八九十百]+、"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"), 2),
    (re.compile(r"^\d{1,2}[.．](?!\d)"), 3),
    (re.compile(r"^[（(]\d{1,2}[）)]"), 4),
]
# A heading is a short line; a numbered sentence that runs on is a paragraph.
_HEADING_MAX = 40
_SENTENCE_END = ("。", "；", ";", "：", ":")


def read_docx(path: Path, limits: _limits.Limits | None = None) -> TextDocument:
    limits = limits or _limits.current()
    origin = str(path)
    head, _ = _archive.read_head(path, origin, limits.report_size, "report_size", _archive.DOCUMENT)
    if head.startswith(_archive.OLE_MAGIC):
        if _archive.ole_has_stream(path, "EncryptedPackage"):
            raise InputError(
                f"{origin}: 文档设有打开密码（已加密），无法读取；请在 Word 中取消密码后另存为 .docx",
                f"{origin}: the document is password-protected (encrypted) and cannot be read; remove the password in Word and save it as .docx",
            )
        raise InputError(f"{origin}: 旧版 Word 文件（.doc），请另存为 .docx", f"{origin}: an old Word file (.doc); save it as .docx")
    if not head.startswith(b"PK"):
        raise InputError(
            f"{origin}: 不是有效的 .docx 文档（可能是改了扩展名的其他文件）",
            f"{origin}: not a valid .docx document (perhaps another kind of file renamed to .docx)",
        )
    _archive.open_checked(path, origin, limits, _archive.DOCUMENT).close()

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        if "workbook" in str(exc).lower() or "spreadsheetml" in str(exc).lower():
            raise InputError(f"{origin}: 文件是工作簿，不是 Word 文档；请把扩展名改为 .xlsx",
                             f"{origin}: the file is a workbook, not a Word document; rename it to .xlsx") from None
        raise InputError(
            f"{origin}: 不是有效的 .docx 文档（缺少文档内容：{_short(exc)}）",
            f"{origin}: not a valid .docx document (document parts missing: {_short(exc)})",
        ) from None
    except Exception as exc:  # malformed XML and the like: the file, not the reader, is broken
        raise _archive.corrupt(origin, f"{type(exc).__name__}: {exc}", _archive.DOCUMENT) from None
    try:
        return _read(document, origin, CharBudget(origin, limits))
    except InputError:
        raise
    except Exception as exc:  # a part python-docx could not make sense of
        raise _archive.corrupt(origin, f"{type(exc).__name__}: {exc}", _archive.DOCUMENT) from None


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:199] + "…"


def _read(document, origin: str, budget: CharBudget) -> TextDocument:
    from docx.text.paragraph import Paragraph as DocxParagraph

    out = TextDocument(origin=origin)
    levels: dict[str, int | None] = {}  # style id → outline level its style gives

    def walk(container) -> None:
        for child in container.iterchildren():
            tag = child.tag
            if tag == f"{W}p":
                paragraph = DocxParagraph(child, document.part)
                text = paragraph.text
                if not text.strip():
                    continue
                budget.take(text)
                out.paragraphs.append(Paragraph(text=text, index=len(out.paragraphs) + 1, page=None,
                                                heading=_heading(child, paragraph, text, document, levels)))
            elif tag == f"{W}tbl":
                out.tables.append(_table(child, f"表{len(out.tables) + 1}", document, budget))
                out.table_after.append(len(out.paragraphs))
            elif tag == f"{W}sdt":  # a content control: its content is body text like any other
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    walk(content)

    walk(document.element.body)
    return out


def _heading(p, paragraph, text: str, document, levels: dict) -> int | None:
    """The outline level of a heading paragraph (1 for 一级), 0 for the document's
    title, None for body text: from the paragraph's own outline level, its style's (or
    the style it is based on), a Word list level, or the numbering written in the text."""
    ppr = p.find(f"{W}pPr")
    level = _outline(ppr)
    if level is not None:
        return level
    style_id = ppr.find(f"{W}pStyle").get(f"{W}val") if ppr is not None and ppr.find(f"{W}pStyle") is not None else None
    if style_id is not None:
        if style_id not in levels:
            levels[style_id] = _style_level(document, style_id)
        if levels[style_id] is not None:
            return levels[style_id]
    short = len(text.strip()) <= _HEADING_MAX and not text.rstrip().endswith(_SENTENCE_END)
    if not short:
        return None
    numbering = ppr.find(f"{W}numPr") if ppr is not None else None
    if numbering is not None and numbering.find(f"{W}ilvl") is not None:
        try:
            return int(numbering.find(f"{W}ilvl").get(f"{W}val", "0")) + 1
        except ValueError:
            return None
    stripped = text.strip()
    for pattern, number in _NUMBERED:
        if pattern.match(stripped):
            return number
    return None


def _outline(ppr) -> int | None:
    if ppr is None:
        return None
    node = ppr.find(f"{W}outlineLvl")
    if node is None:
        return None
    try:
        value = int(node.get(f"{W}val", "9"))
    except ValueError:
        return None
    return value + 1 if 0 <= value < 9 else None  # 9 is body text


def _style_level(document, style_id: str) -> int | None:
    seen = set()
    styles = document.styles.element
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = next((s for s in styles.iterchildren(f"{W}style") if s.get(f"{W}styleId") == style_id), None)
        if style is None:
            return None
        name_node = style.find(f"{W}name")
        name = (name_node.get(f"{W}val") if name_node is not None else "") or ""
        if name.strip().lower() == "title" or name.strip() == "标题":
            return 0
        m = _HEADING_STYLE.match(name.strip())
        if m:
            return int(m[1])
        level = _outline(style.find(f"{W}pPr"))
        if level is not None:
            return level
        based = style.find(f"{W}basedOn")
        style_id = based.get(f"{W}val") if based is not None else None
    return None


def _table(tbl, name: str, document, budget: CharBudget) -> Grid:
    """A Word table as a grid: each cell's text at its first grid column, horizontal
    spans (gridSpan) and vertical ones (vMerge restart … continue) as merges."""
    from docx.text.paragraph import Paragraph as DocxParagraph

    texts: dict[tuple[int, int], str] = {}
    merges: list[Merge] = []
    open_down: dict[int, list[int]] = {}  # first column → [first row, last column, last row] of a vMerge
    for r, tr in enumerate(tbl.iterchildren(f"{W}tr"), start=1):
        col = 1 + _int_val(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        seen_cols = set()
        for tc in tr.iterchildren(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = max(1, _int_val(tcpr.find(f"{W}gridSpan") if tcpr is not None else None, 1))
            vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            state = None if vmerge is None else (vmerge.get(f"{W}val") or "continue")
            if state == "continue" and col in open_down:
                open_down[col][2] = r
            else:
                if col in open_down:
                    _close(open_down.pop(col), col, merges)
                text = "\n".join(DocxParagraph(p, document.part).text for p in tc.iterchildren(f"{W}p"))
                budget.take(text)
                shown = text_value(text)
                if shown is not None:
                    texts[(r, col)] = shown
                if state == "restart":
                    open_down[col] = [r, col + span - 1, r]
                elif span > 1:
                    merges.append(Merge(r, col, r, col + span - 1))
            seen_cols.add(col)
            col += span
        for start in [c for c in open_down if c not in seen_cols]:
            _close(open_down.pop(start), start, merges)  # a row too short to continue it
    for start, merge in sorted(open_down.items()):
        _close(merge, start, merges)
    merges.sort(key=lambda m: (m.min_row, m.min_col))
    return Grid.build(name, texts, merges)


def _close(merge: list[int], col: int, merges: list[Merge]) -> None:
    first_row, last_col, last_row = merge
    if last_row > first_row or last_col > col:
        merges.append(Merge(first_row, col, last_row, last_col))


def _int_val(node, default: int) -> int:
    if node is None:
        return default
    try:
        return int(node.get(f"{W}val", default))
    except ValueError:
        return default
