"""The 绩效自评报告 (self-evaluation report): the narrative around the tables, checked
against them (GUIDE §1g: "report figures vs table figures … are where the most
embarrassing defects hide").

A report is read from its own file (.docx, .pdf, .txt, .md: `from_text`) or from the
项目绩效分析 block at the foot of a 自评表 (`from_embedded`). Its canonical document is
its text: paragraphs, headings, where each was read. `derive` reads what the text states
(extract.py: figures with what they are about, the prose scorecard, totals, grades,
sections, conclusions; the vocabulary is data, vocabulary.yaml) and ties it to the
self-evaluation table of the same submission (link.py). The rules that compare the two
are in rules/report/."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from validator.kinds import Built, Kind, Match

_FOLDER = Path(__file__).resolve().parent
_YEAR_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度")
# The title of a report is a short line, printed first.
_TITLE_MAX = 100
# A narrative written into a sheet starts at its title (…部门决算情况说明, …绩效自评报告),
# or at the first line of a sheet so named.
# Instructions to the filer (填表说明, 编制说明) are not a narrative of the submission.
_PROSE_TITLE = re.compile(r"(情况说明|决算说明|自评报告|评价报告|绩效报告)$")
_PROSE_SHEET = re.compile(r"^(?!.*(?:填表|填报|编制)).*(?:情况说明|决算说明|报告)")
# A paragraph of prose: a sentence, not a cell label.
_SENTENCE = re.compile(r"[。；;]")
_PROSE_MIN = 20


def _line(grid, row: int) -> tuple[int, str] | None:
    """The one text of a row that holds one (a paragraph, merged across the sheet or not)."""
    cells = [(c, t) for c, t in grid.row_cells(row) if t.strip()]
    return (cells[0][0], " ".join(cells[0][1].split())) if len(cells) == 1 else None


def _is_title(text: str) -> bool:
    """A narrative's title: a line that names one (…部门决算情况说明), not a numbered sentence
    that ends with the words (2. …须附情况说明。)."""
    text = text.strip()
    return (len(text) <= _TITLE_MAX and bool(_PROSE_TITLE.search(text)) and not re.search(r"[，。；,;:：]", text)
            and not re.match(r"\d{1,2}\s*[.．、]|[（(]|[一二三四五六七八九十]+\s*、", text))


def recognize(grid) -> list[Match]:
    """Narratives written into a sheet: below a 决算 set's tables, or on a sheet of their own.
    A run of one-text rows from a title to the first row that is not one, holding at least
    one paragraph of sentences; the tables around it are other kinds' to claim."""
    from validator.read.grid import coordinate

    out = []
    rows = grid.rows
    i = 0
    while i < len(rows):
        first = _line(grid, rows[i])
        titled = first is not None and _is_title(first[1])
        named = first is not None and i == 0 and bool(_PROSE_SHEET.search(grid.sheet or ""))
        if not (titled or named):
            i += 1
            continue
        lines = []
        j = i
        while j < len(rows) and (line := _line(grid, rows[j])) is not None:
            lines.append((rows[j], *line))
            j += 1
        if any(len(t) >= _PROSE_MIN and _SENTENCE.search(t) for _, _, t in lines):
            out.append(Match(
                kind="report", confidence=0.8 if titled else 0.6, first_row=lines[0][0], last_row=lines[-1][0],
                anchor=coordinate(lines[0][0], lines[0][1]),
                reason=("以“" + lines[0][2][:20] + "”为题的文字说明") if titled else "工作表名称表明是文字说明，各行为成段文字",
                reason_en="a narrative under its own title" if titled else "the sheet's name says it is a narrative, and its rows are paragraphs",
                detail={"lines": lines, "titled": titled}))
        i = max(j, i + 1)
    return out


def build(grid, match: Match) -> Built:
    """The narrative of a sheet as a report: one paragraph per row, located at its cell."""
    from validator.read.grid import coordinate

    lines = match.detail["lines"]
    paragraphs, source = [], {}
    for i, (row, col, text) in enumerate(lines):
        heading = 0 if i == 0 and match.detail["titled"] else None
        paragraphs.append({"text": text, "heading": heading} if heading is not None else {"text": text})
        source[f"paragraphs[{i}]"] = {"sheet": grid.sheet, "cell": coordinate(row, col)}
    name = lines[0][2] if match.detail["titled"] else None
    year = None
    for _, _, text in lines[:6]:
        m = _YEAR_TITLE.search(text)
        if m:
            year = int(m[1])
            break
    return Built({"kind": "report", "name": name, "year": year, "paragraphs": paragraphs, "source": source}, [])


def from_text(document) -> Built:
    """A report file's text (validator.read.TextDocument) as the canonical report."""
    paragraphs = []
    source = {}
    for i, p in enumerate(document.paragraphs):
        paragraphs.append({"text": p.text, "heading": p.heading} if p.heading is not None else {"text": p.text})
        where = {"paragraph": p.index}
        if p.page is not None:
            where["page"] = p.page
        source[f"paragraphs[{i}]"] = where
    name = _title(document.paragraphs)
    data = {"kind": "report", "name": name, "year": _year(name, document.paragraphs), "paragraphs": paragraphs, "source": source}
    return Built(data, list(document.notices))


def _title(paragraphs) -> str | None:
    for p in paragraphs[:5]:
        if p.heading == 0:
            return p.text.strip()
    for p in paragraphs[:3]:
        text = p.text.strip()
        if text and len(text) <= _TITLE_MAX and not text.endswith(("。", "：", ":")):
            return " ".join(text.split())
    return None


def _year(name: str | None, paragraphs) -> int | None:
    for text in [name or "", *(p.text for p in paragraphs[:6])]:
        m = _YEAR_TITLE.search(text)
        if m:
            return int(m[1])
    m = re.search(r"(?:19|20)\d{2}", name or "")
    return int(m[0]) if m else None


def from_embedded(data: dict, origin: str) -> list[Built]:
    """The report a self-evaluation table carries in its 项目绩效分析 block (read into its
    `report.sections`): one heading and one paragraph per section, located at the section's
    cell."""
    report = data.get("report") if isinstance(data, dict) else None
    sections = report.get("sections") if isinstance(report, dict) else None
    if not isinstance(sections, dict) or not sections:
        return []
    table_source = data.get("source") if isinstance(data.get("source"), dict) else {}
    paragraphs: list[dict] = []
    source: dict = {}
    in_sheet = False
    for title, text in sections.items():
        where = table_source.get(f"report.sections.{title}")
        for entry in ({"text": str(title), "heading": 1}, {"text": str(text or "")}):
            # A block whose text only repeats its label says nothing.
            if entry.get("heading") is None and (not entry["text"].strip() or entry["text"].strip() == str(title).strip()):
                continue
            if isinstance(where, dict) and where.get("sheet"):
                source[f"paragraphs[{len(paragraphs)}]"] = {"sheet": where["sheet"], "cell": where.get("cell")}
                in_sheet = True
            paragraphs.append(entry)
    if not any(p.get("heading") is None for p in paragraphs):
        return []
    name = data.get("name")
    doc = {"kind": "report", "name": name if isinstance(name, str) else None, "year": data.get("year"),
           "about": origin, "paragraphs": paragraphs}
    if source:
        doc["source"] = source
    return [Built(doc, name="项目绩效分析" if in_sheet else "自评报告")]


def derive(document: dict, others=None) -> dict:
    from validator.kinds.report import link, quotes
    from validator.kinds.report.extract import extract

    tree = dict(document)
    extracted = extract(link._paragraphs(document))
    table, tables = link.choose_table(document, others)
    # The tables the text quotes that are not a self-evaluation table (a 决算公开 set). A text
    # that names several of their figures is their narrative, even beside a 自评表 of the same
    # unit; a block written in a 自评表 is always that table's.
    quoted = quotes.source(document, others) if not document.get("about") else None
    reading = quotes.Reading(extracted, quoted[2] if quoted else None)
    if quoted is not None and table is not None and len(reading.named_figures()) < quotes.NARRATIVE_FIGURES:
        quoted = None
        reading = quotes.Reading(extracted, None)
    elif quoted is not None:
        table = None
    table_data = table.data if table is not None else {}
    table_tree = link.table_tree(table) if table is not None else None
    claims = link.claims(extracted, table_tree, table) if table is not None else []
    written = table_data.get("report") if isinstance(table_data.get("report"), dict) else {}
    card = table_data.get("scorecard") if isinstance(table_data.get("scorecard"), dict) else {}
    missed = link.missed(table_tree, table) if table is not None else []
    table_year = link.year_of(table_data.get("year"))
    report_year = link.year_of(document.get("year"))
    tree.update(
        linked=table is not None or quoted is not None,
        tables=Decimal(len(tables)),
        table_name=table_data.get("name") if table is not None else None,
        table_year=Decimal(table_year) if table_year is not None else None,
        report_year=Decimal(report_year) if report_year is not None else None,
        claims=claims,
        score_items=link.score_items(extracted),
        score_groups=link.score_groups(extracted),
        totals=link.stated_totals(extracted, table_tree, table),
        grades=link.stated_grades(extracted, table_tree),
        budget_years=link.budget_years(claims),
        deviations=link.deviations(extracted),
        missed=Decimal(len(missed)),
        missed_at=missed,
        all_met=link.all_met(extracted),
        said_missed=link.said_missed(extracted, table_tree, table) if table is not None else [],
        projects=link.projects(extracted, document, table, tables),
        quotes=quotes.claims(extracted, quoted, reading) if quoted is not None else [],
        stated_sums=quotes.arithmetic(extracted, found=quoted, reading=reading),
        # What the table already says about its own report (AR021, AR024, EX002 check
        # those fields): the same fact is then reported once, there.
        scorecard_in_table=card.get("stated_total") is not None,
        score_in_table=written.get("stated_score") is not None,
        deviation_in_table="deviation_reasons" in written,
    )
    return tree


_TEXT, _NOTATION, _SCORE = "text", "notation", "score"
DERIVED = {
    "root": {
        "linked": "boolean",
        "tables": "integer",
        "table_name": _TEXT,
        "table_year": "integer",
        "report_year": "integer",
        "claims": {
            "type": "string", "field": "string", "field_label": _TEXT, "field_label_en": _TEXT, "row_label": _TEXT,
            "subject": _TEXT, "sentence": _TEXT, "stated": _NOTATION, "table": _NOTATION, "table_at": "any",
            "other": _NOTATION, "other_at": "any", "scale": "integer", "year": "integer",
            # The table's value with its unit (15万元), the same in the report's unit
            # (150000元), and that in words when the units differ, for messages.
            "table_shown": _TEXT, "table_stated_unit": _TEXT, "converted": _TEXT, "converted_en": _TEXT,
        },
        "score_items": {"name": _TEXT, "group": _TEXT, "weight": _SCORE, "score": _SCORE, "rate": "percent"},
        "score_groups": {"name": _TEXT, "weight": _SCORE},
        "totals": {"stated": _SCORE, "table_total": _SCORE, "table_total_at": "any"},
        "grades": {"grade": "string", "total": _SCORE},
        "budget_years": {"year": "integer", "subject": _TEXT},
        "deviations": {"said": _TEXT, "says_nothing": "boolean", "title": _TEXT},
        "missed": "integer",
        "missed_at": "any",
        "all_met": {"_label": _TEXT},
        "said_missed": {"name": _TEXT, "status": "string", "actual": _NOTATION, "at": "any"},
        "projects": {"name": _TEXT, "own": _TEXT, "other": _TEXT, "other_at": "any"},
        "quotes": {
            "type": "string", "field": "string", "field_label": _TEXT, "field_label_en": _TEXT, "table_name": _TEXT, "table_name_en": _TEXT,
            "table": _NOTATION, "table_at": "any", "stated": _NOTATION, "scale": "integer", "subject": _TEXT,
            "sentence": _TEXT, "table_shown": _TEXT, "converted": _TEXT, "converted_en": _TEXT,
        },
        "stated_sums": {
            "type": "string", "subject": _TEXT, "rate": "percent", "rate_text": _TEXT, "direction": "string",
            "change": _NOTATION, "current": _NOTATION, "change_text": _TEXT, "current_text": _TEXT,
            "part": _NOTATION, "base": _NOTATION, "part_text": _TEXT, "base_text": _TEXT, "base_at": "any",
            "other_base": _NOTATION, "other_base_text": _TEXT,
            "budget": _NOTATION, "actual": _NOTATION, "budget_text": _TEXT, "actual_text": _TEXT,
        },
        "scorecard_in_table": "boolean",
        "score_in_table": "boolean",
        "deviation_in_table": "boolean",
    },
}

KINDS = [Kind(
    name="report", title="报告（绩效自评报告、决算情况说明）", title_en="report (self-evaluation report, final-accounts narrative)",
    label="报告", label_en="report",
    folder=_FOLDER, recognize=recognize, build=build, derive=derive, derived=DERIVED,
    section_labels={"paragraphs": "正文"},
    from_text=from_text, from_embedded=from_embedded,
)]
