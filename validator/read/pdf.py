"""PDF reports: the text of each page grouped into paragraphs, with page numbers, and the
tables the PDF draws with ruled lines, as grids.

pdfplumber (on pdfminer.six) reads them. It was chosen by measurement on a four-page
report printed by LibreOffice (benchmarks/pdf_libraries.py): it alone gives the report's
Chinese text character for character (39 of 40 paragraphs; pypdf, pdfminer.six's own
layout and PyMuPDF put a space between "2024" and "年" in 8 of them), and it finds the
ruled tables with their merged cells. It is MIT-licensed. PyMuPDF is faster but AGPL:
anyone who embeds selfeval and distributes it or serves it over a network would have to
publish their whole program under the AGPL or buy Artifex's licence; its current release
also pulls in onnxruntime (112 MB installed).

A PDF is not a text format: paragraphs are recovered from the lines' positions. A line
that stops more than two characters short of the right margin ends its paragraph; so does a larger gap above the
next line, or an indented first line. Lines inside a table belong to the table, and page
numbers in the margins to no paragraph. A page with pictures but no text layer (a scan)
is noted once for the document (RD001): there is no OCR.

Limits: report_size before opening, pdf_pages from the page tree before any page is
read, text_chars while the text is extracted, and the inflated size of the file's
compressed streams (xlsx_uncompressed), which pdfminer would otherwise inflate without
bound."""

from __future__ import annotations

import contextvars
import re
import zlib
from pathlib import Path

from validator import limits as _limits
from validator.errors import InputError
from validator.read import Paragraph, ReaderNotice, TextDocument
from validator.read import archive as _archive
from validator.read.cells import text_value
from validator.read.grid import Grid, Merge
from validator.read.plain import CharBudget

PDF = _archive.Kind("PDF ", "PDF file", ".pdf")  # "PDF 文件大小为 …"
_PAGE_NUMBER = re.compile(r"^[-—－–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[-—－–\s]*$")
_LATIN_END = re.compile(r"[A-Za-z0-9,.;:!?%)]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9(]")


def read_pdf(path: Path, limits: _limits.Limits | None = None) -> TextDocument:
    limits = limits or _limits.current()
    origin = str(path)
    head, _ = _archive.read_head(path, origin, limits.report_size, "report_size", PDF, probe=1024)
    if b"%PDF-" not in head:
        raise InputError(
            f"{origin}: 不是有效的 PDF 文件（可能是改了扩展名的其他文件）",
            f"{origin}: not a valid PDF file (perhaps another kind of file renamed to .pdf)",
        )
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    _install_inflate_bound()
    _quiet_loggers()
    token = _INFLATE_BUDGET.set(_Budget(origin, limits.xlsx_uncompressed))
    try:
        with pdfplumber.open(str(path)) as pdf:
            _check_pages(pdf, origin, limits)
            return _read(pdf, origin, CharBudget(origin, limits))
    except InputError:
        raise
    except MemoryError:
        raise InputError(f"{origin}: PDF 内容过大，内存不足，无法读取", f"{origin}: the PDF is too large to read (out of memory)") from None
    except Exception as exc:  # pdfminer's errors on a damaged file have no common base class
        # pdfplumber wraps pdfminer's errors in its own: the cause says what happened
        cause = _cause(exc)
        if isinstance(cause, InputError):  # a limit hit inside pdfminer (the inflate budget)
            raise cause from None
        if isinstance(cause, PDFPasswordIncorrect) or "encrypt" in type(cause).__name__.lower():
            raise InputError(f"{origin}: PDF 设有打开密码（已加密），无法读取；请取消密码后再检查",
                             f"{origin}: the PDF is password-protected (encrypted) and cannot be read; remove the password, then check it again") from None
        if isinstance(cause, MemoryError):
            raise InputError(f"{origin}: PDF 内容过大，内存不足，无法读取", f"{origin}: the PDF is too large to read (out of memory)") from None
        raise _archive.corrupt(origin, f"{type(cause).__name__}: {cause}", PDF) from None
    finally:
        _INFLATE_BUDGET.reset(token)


def _quiet_loggers() -> None:
    """pdfminer logs what it repairs in a damaged PDF ("Could not get FontBBox …") as
    warnings; with no handler configured Python would print them on stderr, and a command
    says one line or nothing. A NullHandler keeps them from the terminal while a program
    that configures logging still receives them."""
    import logging

    for name in ("pdfminer", "pdfplumber"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def _cause(exc: BaseException) -> BaseException:
    """The innermost cause of an error (at most ten links down)."""
    for _ in range(10):
        inner = exc.__cause__ or exc.__context__
        if inner is None:
            break
        exc = inner
    return exc


def _check_pages(pdf, origin: str, limits: _limits.Limits) -> None:
    """The pages of the page tree, walked no further than one past the limit before a
    page is built (the count a PDF declares may be absent or false)."""
    from itertools import islice

    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    walked = sum(1 for _ in islice(PDFPage.create_pages(pdf.doc), limits.pdf_pages + 1))
    if walked <= limits.pdf_pages:
        return
    try:
        declared = int(resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count")))
    except (AttributeError, TypeError, ValueError):
        declared = 0
    if declared > limits.pdf_pages:
        what = (f"PDF 有 {declared:,} 页", f"the PDF has {declared:,} pages")
    else:
        what = (f"PDF 超过 {limits.pdf_pages:,} 页", f"the PDF has more than {limits.pdf_pages:,} pages")
    raise _archive.limit_error(origin, "pdf_pages", limits.pdf_pages, *what)


def _read(pdf, origin: str, budget: CharBudget) -> TextDocument:
    out = TextDocument(origin=origin)
    scanned: list[int] = []
    lines: list[str] = []  # the paragraph being gathered
    state = {"page": None, "last": None}  # the page it started on; the line before

    def flush() -> None:
        if lines:
            text = lines[0]
            for line in lines[1:]:
                text += (" " if _LATIN_END.search(text) and _LATIN_START.match(line) else "") + line
            lines.clear()
            if text.strip():
                out.paragraphs.append(Paragraph(text=text, index=len(out.paragraphs) + 1, page=state["page"], heading=None))
        state["last"] = None

    # First the lines and tables of every page, for the text's margins over the whole
    # document; then the paragraphs.
    pages = []
    for number, page in enumerate(pdf.pages, start=1):
        if not page.chars:
            if page.images:
                scanned.append(number)
            continue
        tables = page.find_tables()
        boxes = [t.bbox for t in tables]
        page_lines = [ln for ln in page.extract_text_lines(return_chars=False)
                      if ln["text"].strip() and not _inside(ln, boxes) and not _furniture(ln, page.height)]
        pages.append((number, page.width, page_lines, tables))
    every = [ln for _, _, page_lines, _ in pages for ln in page_lines]
    left = min((ln["x0"] for ln in every), default=0)
    widest = max((ln["x1"] for ln in every), default=0)
    for number, width, page_lines, tables in pages:
        # The right margin mirrors the left unless lines reach further: a document of
        # short lines only is not one long paragraph.
        right = max(widest, width - left)
        events = [(ln["top"], 0, ln) for ln in page_lines] + [(t.bbox[1], 1, t) for t in tables]
        on_page = 0
        for _, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
            if kind == 1:
                flush()
                on_page += 1
                out.tables.append(_table(item, f"第{number}页表{on_page}", budget))
                out.table_after.append(len(out.paragraphs))
                continue
            line = item
            budget.take(line["text"])
            if _starts_paragraph(state["last"], line, left, right):
                flush()
            if not lines:
                state["page"] = number
            lines.append(line["text"].strip())
            state["last"] = line
        if state["last"] is not None:
            # a paragraph runs on to the next page only if it filled its last line here
            last = state["last"]
            state["last"] = {**last, "_full": last["x1"] >= right - 2 * _em(last)}
    flush()
    if scanned:
        pages = "、".join(map(str, scanned))
        whole = len(scanned) == len(pdf.pages)
        out.notices.append(ReaderNotice(
            code="RD001", severity="info",
            message=("PDF 没有文字层（可能是扫描件），不进行 OCR；报告的文字未读取" if whole
                     else f"PDF 第 {pages} 页没有文字层（可能是扫描件），不进行 OCR；这些页的文字未读取"),
            message_en=("the PDF has no text layer (a scan?); there is no OCR, so the report's text was not read" if whole
                        else f"page {', '.join(map(str, scanned))} of the PDF has no text layer (a scan?); there is no OCR, so its text was not read"),
        ))
    return out


def _em(line: dict) -> float:
    return max(line["bottom"] - line["top"], 1.0)


def _starts_paragraph(last: dict | None, line: dict, left: float, right: float) -> bool:
    if last is None:
        return True
    em = _em(line)
    if "_full" in last:  # the line before ended the previous page
        return not last["_full"] or line["x0"] > left + 0.9 * em
    if last["x1"] < right - 2 * _em(last):
        # The line before stopped short: its paragraph ended there. (Up to two characters
        # short is still a full line: a line may not begin with 。or ，, so the character
        # before one moves down with it.)
        return True
    if line["top"] - last["bottom"] > 0.75 * max(em, _em(last)):
        return True  # a gap wider than the lines' spacing
    return line["x0"] > left + 0.9 * em  # an indented first line


def _inside(line: dict, boxes: list[tuple]) -> bool:
    mid_y = (line["top"] + line["bottom"]) / 2
    mid_x = (line["x0"] + line["x1"]) / 2
    return any(x0 <= mid_x <= x1 and top <= mid_y <= bottom for x0, top, x1, bottom in boxes)


def _furniture(line: dict, height: float) -> bool:
    """A page number in the top or bottom margin."""
    margin = 0.08 * height
    return (line["top"] < margin or line["bottom"] > height - margin) and bool(_PAGE_NUMBER.match(line["text"].strip()))


def _table(table, name: str, budget: CharBudget) -> Grid:
    """A ruled table as a grid: rows and columns from the cells' edges; a cell spanning
    several becomes a merge, its text at the first."""
    cells = [bbox for row in table.rows for bbox in row.cells if bbox is not None]
    ys = _edges([c[1] for c in cells] + [c[3] for c in cells])
    xs = _edges([c[0] for c in cells] + [c[2] for c in cells])
    texts: dict[tuple[int, int], str] = {}
    merges: list[Merge] = []
    extracted = table.extract()
    for row, values in zip(table.rows, extracted):
        for bbox, value in zip(row.cells, values):
            if bbox is None:
                continue
            r0, r1 = _index(ys, bbox[1]) + 1, _index(ys, bbox[3])
            c0, c1 = _index(xs, bbox[0]) + 1, _index(xs, bbox[2])
            r1, c1 = max(r0, r1), max(c0, c1)
            if value:
                budget.take(value)
                shown = text_value(value.replace("\n", ""))
                if shown is not None:
                    texts[(r0, c0)] = shown
            if r1 > r0 or c1 > c0:
                merges.append(Merge(r0, c0, r1, c1))
    return Grid.build(name, texts, merges)


def _edges(values: list[float]) -> list[float]:
    """Distinct positions, those within a point of each other taken as one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.0:
            out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


# --- compressed streams, inflated within a budget ------------------------------------------------

class _Budget:
    def __init__(self, origin: str, limit: int):
        self.origin, self.limit, self.used = origin, limit, 0

    def take(self, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            raise _archive.limit_error(self.origin, "xlsx_uncompressed", self.limit,
                                       f"PDF 的压缩内容解压后超过 {self.limit:,} 字节（可能是“压缩炸弹”）",
                                       f"the PDF's compressed streams inflate to more than {self.limit:,} bytes (a zip bomb?)")


_INFLATE_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("selfeval_pdf_inflate", default=None)


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes: while selfeval reads a PDF,
    every stream is inflated in pieces against the budget; anyone else using pdfminer in
    the same process gets zlib's own behaviour."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data, *args, **kwargs):
        budget = _INFLATE_BUDGET.get()
        if budget is None:
            return zlib.decompress(data, *args, **kwargs)
        inflater = zlib.decompressobj()
        room = budget.limit - budget.used
        out = inflater.decompress(data, room + 1)
        budget.take(len(out))
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return out


def _bounded_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a stream with a bad checksum, within the budget (its own
    adds one byte at a time to a growing string, without bound)."""
    budget = _INFLATE_BUDGET.get()
    if budget is None:
        return _ORIGINAL_CORRUPTED(data)
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, budget.limit - budget.used + 1)
    except zlib.error:
        out = b""
    budget.take(len(out))
    return out


_ORIGINAL_CORRUPTED = None


def _install_inflate_bound() -> None:
    global _ORIGINAL_CORRUPTED
    from pdfminer import pdftypes

    if pdftypes.zlib is not _BoundedZlib:
        _ORIGINAL_CORRUPTED = pdftypes.decompress_corrupted
        pdftypes.zlib = _BoundedZlib
        pdftypes.decompress_corrupted = _bounded_corrupted
