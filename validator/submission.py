"""The documents of a submission: what a file holds (validator/read), with every table of a
workbook recognized by the document kinds (validator/kinds) and built into a canonical
document by its kind.

A YAML or JSON file is one canonical document as written. A workbook gives one document
per table found; origins are the path when the workbook holds one table, `path#sheet` when
the sheet holds one, `path#sheet!A10` (the table's first cell) when it holds several.

Every region of every sheet is offered to every kind's recognizer; the best match at or
above kinds.MIN_CONFIDENCE claims the region. A close second of another kind is named in a
notice, and so is a table of a kind that is recognized but not checked yet. A sheet where
nothing is recognized gets a notice too: nothing is skipped without a word.

A report file (.docx, .pdf, .txt, .md) is read as a report document, and the tables
inside it as the documents the kinds recognize. The files of one unit (a report and its
tables) are one submission: see group_files for how they are paired."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from validator.kinds import AMBIGUOUS_MARGIN, MIN_CONFIDENCE, Match, embedded_kinds, kind_named, registry, text_kinds
from validator.read import REPORT_SUFFIXES, MappingFile, ReaderNotice, TextDocument, Workbook, read_file


@dataclass(slots=True, eq=False)
class Document:
    """One document of a submission. `data` is None for an entry that only carries
    notices (a workbook whose tables are all of kinds that are not checked)."""

    data: Any
    origin: str
    notices: list[ReaderNotice] = field(default_factory=list)
    kind: str | None = None
    # Where a workbook table sits: (sheet, first row, last row).
    region: tuple[str, int, int] | None = None


def load_documents(path: Path, limits=None) -> list[Document]:
    """The documents in a file, under `limits` (default: the limits in force)."""
    source = read_file(path, limits)
    if isinstance(source, MappingFile):
        kind = source.data.get("kind") if isinstance(source.data, dict) else None
        return [Document(source.data, source.origin, kind=kind if isinstance(kind, str) else None)]
    if isinstance(source, TextDocument):
        return text_documents(source)
    return workbook_documents(source)


def text_documents(doc: TextDocument) -> list[Document]:
    """A report file: the document its text is read as (the report), then the tables
    inside it (a Word report often holds the 自评表 itself), each recognized like a sheet
    and named `path#表1`. A table too unlike any kind is said in a notice on the report;
    a report's small tables that look like nothing are not."""
    documents = []
    for kind in text_kinds():
        built = kind.from_text(doc)
        documents.append(Document(built.data, doc.origin, list(built.notices), kind=kind.name))
    tables: list[Document] = []
    for grid in doc.tables:
        claimed, notices = recognize_grid(grid)
        documents[0].notices.extend(notices)
        for match in claimed:
            kind = kind_named(match.kind)
            if kind is None or not kind.checked:
                documents[0].notices.append(_not_checked(grid.sheet, match))
                continue
            built = kind.build(grid, match)
            where = f"{doc.origin}#{grid.sheet}" if len(claimed) == 1 else f"{doc.origin}#{grid.sheet}!{match.anchor}"
            tables.append(Document(built.data, where, list(built.notices), kind=kind.name,
                                   region=(grid.sheet, match.first_row, match.last_row)))
    return documents + tables


def embedded_documents(documents: list[Document]) -> list[Document]:
    """The documents others carry as text (the 项目绩效分析 block of a 自评表, read as a
    report about that table), named `origin#项目绩效分析`."""
    out: list[Document] = []
    for document in documents:
        if not isinstance(document.data, dict):
            continue
        for kind in embedded_kinds():
            if document.kind == kind.name:
                continue
            for built in kind.from_embedded(document.data, document.origin):
                out.append(Document(built.data, f"{document.origin}#{built.name}", list(built.notices), kind=kind.name))
    return out


def _recognizers() -> list:
    seen: list = []
    for kind in registry().values():
        if kind.recognize not in seen:
            seen.append(kind.recognize)
    return seen


def recognize_grid(grid) -> tuple[list[Match], list[ReaderNotice]]:
    """The regions of a grid claimed by a kind, top to bottom, and the notices about the
    choice (a close second kind, a table too unlike any kind to be checked)."""
    # Confidences are sums of tenths: round them, so 0.3 + 0.4 - 0.4 + 0.2 is the 0.5 it means.
    matches = [replace(m, confidence=round(m.confidence, 2)) for recognize in _recognizers() for m in recognize(grid)]
    notices: list[ReaderNotice] = []
    claimed: list[Match] = []
    for match in sorted(matches, key=lambda m: (-m.confidence, m.first_row)):
        if match.confidence < MIN_CONFIDENCE or any(match.overlaps(c) for c in claimed):
            continue
        claimed.append(match)
        rivals = [o for o in matches if o.kind != match.kind and o.overlaps(match)
                  and o.confidence >= MIN_CONFIDENCE and round(match.confidence - o.confidence, 2) < AMBIGUOUS_MARGIN]
        if rivals:
            notices.append(_ambiguous(grid.sheet, match, rivals))
    for match in matches:
        if match.confidence < MIN_CONFIDENCE and match.confidence > 0 and not any(match.overlaps(c) for c in claimed):
            notices.append(_weak(grid.sheet, match))
    claimed.sort(key=lambda m: m.first_row)
    return claimed, notices


def _title(name: str, lang: str) -> str:
    kind = kind_named(name)
    if kind is None:
        return name
    return kind.title if lang == "zh" else kind.title_en


def _about_table(code: str, sheet: str, match: Match, message: str, message_en: str) -> ReaderNotice:
    return ReaderNotice(code=code, severity="info", message=message, message_en=message_en, sheet=sheet, cell=match.anchor)


def _ambiguous(sheet: str, match: Match, rivals: list[Match]) -> ReaderNotice:
    others_zh = "、".join(f"{_title(r.kind, 'zh')}（{r.reason or '—'}）" for r in rivals)
    others_en = "; ".join(f"{_title(r.kind, 'en')} ({r.reason_en or '-'})" for r in rivals)
    return _about_table(
        "KD002", sheet, match,
        f"工作表“{sheet}”{match.anchor} 处的表格也可能是{others_zh}；按{_title(match.kind, 'zh')}检查，因为{match.reason}",
        f"the table at {sheet}!{match.anchor} could also be a {others_en}; checked as a {_title(match.kind, 'en')} because {match.reason_en}",
    )


def _weak(sheet: str, match: Match) -> ReaderNotice:
    return _about_table(
        "KD003", sheet, match,
        f"工作表“{sheet}”{match.anchor} 处的表格有些像{_title(match.kind, 'zh')}（{match.reason}），但不足以确认，未检查",
        f"the table at {sheet}!{match.anchor} looks a little like a {_title(match.kind, 'en')} ({match.reason_en}) but not enough to be sure; not checked",
    )


def _not_checked(sheet: str, match: Match) -> ReaderNotice:
    return _about_table(
        "KD001", sheet, match,
        f"工作表“{sheet}”{match.anchor} 处是{_title(match.kind, 'zh')}（{match.reason}），selfeval 尚不检查这类表格，未按自评表检查",
        f"the table at {sheet}!{match.anchor} is a {_title(match.kind, 'en')} ({match.reason_en}); selfeval does not check this kind of table yet, and did not check it as a self-evaluation table",
    )


def workbook_documents(workbook: Workbook) -> list[Document]:
    from validator.read.grid import coordinate

    origin = workbook.origin
    # (sheet, match, built) of every table of a checked kind, in sheet order
    tables: list[tuple[str, Match, Any]] = []
    sheet_notices = list(workbook.notices)
    sheets_with_tables: set[str] = set()
    for grid in workbook.sheets:
        claimed, notices = recognize_grid(grid)
        sheet_notices.extend(notices)
        if claimed or notices:
            sheets_with_tables.add(grid.sheet)
        for match in claimed:
            kind = kind_named(match.kind)
            if kind is None or not kind.checked:
                sheet_notices.append(_not_checked(grid.sheet, match))
                continue
            tables.append((grid.sheet, match, kind.build(grid, match)))
    for grid in workbook.sheets:
        if grid.sheet not in sheets_with_tables:
            sheet_notices.append(ReaderNotice(
                code="XL001", severity="info",
                message=f"工作表“{grid.sheet}”中没有可识别的表格，已跳过",
                message_en=f"sheet '{grid.sheet}' has no recognizable table; skipped",
                sheet=grid.sheet,
            ))
    # (name or None, sheet, match, built, kind): assembled sets have a name and no region
    entries: list[tuple[str | None, str | None, Match | None, Any, str]] = []
    assembled: set[str] = set()
    for sheet, match, built in tables:
        kind = kind_named(match.kind)
        if kind.assemble is None:
            entries.append((None, sheet, match, built, kind.name))
        elif kind.name not in assembled:
            assembled.add(kind.name)
            parts = [b for _, m, b in tables if m.kind == kind.name]
            entries.extend((b.name or kind.title, None, None, b, kind.name) for b in kind.assemble(parts))
    per_sheet = {sheet: sum(1 for _, s, _, _, _ in entries if s == sheet) for sheet in sheets_with_tables}
    documents: list[Document] = []
    for name, sheet, match, built, kind_name in entries:
        if len(entries) == 1:
            where = origin
        elif name is not None:
            where = f"{origin}#{name}"
        elif per_sheet.get(sheet, 0) == 1:
            where = f"{origin}#{sheet}"
        else:
            where = f"{origin}#{sheet}!{match.anchor}"
        region = (sheet, match.first_row, match.last_row) if match is not None else None
        documents.append(Document(built.data, where, list(built.notices), kind=kind_name, region=region))
    if not documents:
        # A workbook of tables selfeval does not know is not a user mistake: each sheet says
        # what it looks like (or that nothing there is a table), and nothing is checked.
        return [Document(None, origin, sheet_notices)]
    documents[0].notices.extend(sheet_notices)
    for sheet, row, col in workbook.uncached_formulas:
        _attach_formula_notice(documents, sheet, row, col, coordinate(row, col))
    return documents


def _read_from(document: Document, sheet: str, cell: str) -> str | None:
    """The most specific field read from a cell: indicators[3].name rather than indicators[3]."""
    found = None
    for field_path, where in sorted(((document.data or {}).get("source") or {}).items(), key=lambda kv: len(kv[0])):
        if where.get("sheet") == sheet and where.get("cell") == cell:
            found = field_path
    return found


def _attach_formula_notice(documents: list[Document], sheet: str, row: int, col: int, cell: str) -> None:
    target = next((d for d in documents if _read_from(d, sheet, cell) is not None), None)
    if target is None:
        target = next((d for d in documents if d.region and d.region[0] == sheet and d.region[1] <= row <= d.region[2]), None)
    if target is None:
        target = next((d for d in documents if d.region and d.region[0] == sheet), documents[0])
    path = _read_from(target, sheet, cell) or ""
    target.notices.append(ReaderNotice(
        code="XL002", severity="warning",
        message=f"公式没有缓存值：{sheet}!{cell}（工作簿保存时未计算公式，读作空白；请在 Excel 中打开并保存后再检查）",
        message_en=f"formula has no cached value: {sheet}!{cell} (the workbook was saved without calculating; read as blank; open and save it in Excel, then check again)",
        path=path, sheet=sheet, cell=cell,
    ))


# --- the files of one submission ----------------------------------------------------------------

# Words a unit adds to its files' names to say which of its documents each is; set aside,
# what remains of the name names the unit: 鞍山市2024年度绩效自评报告.docx and
# 鞍山市2024年度绩效自评表.xlsx are both 鞍山市2024年度, as 云溪县应急管理局2024年度部门决算公开.xlsx
# and its …部门决算情况说明.docx are both 云溪县应急管理局2024年度.
DOCUMENT_WORDS = (
    "绩效自评报告", "绩效评价报告", "自评报告", "评价报告", "绩效报告", "报告",
    "绩效自评表", "绩效目标自评表", "自评表", "绩效目标表", "目标表", "分配表", "明细表",
    "绩效", "自评", "附件", "附表", "report", "table",
    "部门决算情况说明", "决算情况说明", "情况说明", "部门决算公开", "决算公开", "部门决算", "公开表",
)
_NOT_NAME = re.compile(r"[\W_]+")


def unit_key(path: Path) -> str:
    """What a file's name says about the unit it is of, once the document words are set aside."""
    stem = unicodedata.normalize("NFKC", path.stem).casefold()
    for word in sorted(DOCUMENT_WORDS, key=len, reverse=True):
        stem = stem.replace(word, "")
    return _NOT_NAME.sub("", stem)


def _is_report(path: Path) -> bool:
    return path.suffix.lower() in REPORT_SUFFIXES


def group_files(files: list[Path]) -> list[list[Path]]:
    """The submissions among the files of one folder (or the files named together on the
    command line), in name order:
    - a report and the files whose names are its own once the document words are set
      aside (unit_key) are one submission;
    - a report whose name matches none is one submission with the folder's only other
      file, when the folder holds exactly one such report and one such file (a folder of
      one unit's files);
    - every other file is a submission of its own, as a file without a report always is.
    So a folder of many units is never merged into one."""
    if not any(_is_report(f) for f in files):
        return [[f] for f in files]
    keys = {f: unit_key(f) for f in files}
    groups: dict[str, list[Path]] = {keys[f]: [] for f in files if _is_report(f)}
    for f in files:
        if keys[f] in groups:
            groups[keys[f]].append(f)
    alone = [f for f in files if keys[f] not in groups]
    unmatched = [k for k, g in groups.items() if all(_is_report(f) for f in g)]
    if len(unmatched) == 1 and len(groups[unmatched[0]]) == 1 and len(alone) == 1:
        groups[unmatched[0]].extend(alone)
        alone = []
    order = {f: i for i, f in enumerate(files)}
    out = [sorted(g, key=order.__getitem__) for g in groups.values()] + [[f] for f in alone]
    return sorted(out, key=lambda g: order[g[0]])
