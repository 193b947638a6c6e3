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

from validator.kinds import Built, Kind

_FOLDER = Path(__file__).resolve().parent
_YEAR_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度")
# The title of a report is a short line, printed first.
_TITLE_MAX = 100


def _no_tables(grid) -> list:
    # A report is text: no table of a sheet is a report.
    return []


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
    from validator.kinds.report import link
    from validator.kinds.report.extract import extract

    tree = dict(document)
    extracted = extract(link._paragraphs(document))
    table, tables = link.choose_table(document, others)
    table_data = table.data if table is not None else {}
    table_tree = link.table_tree(table) if table is not None else None
    claims = link.claims(extracted, table_tree, table) if table is not None else []
    written = table_data.get("report") if isinstance(table_data.get("report"), dict) else {}
    card = table_data.get("scorecard") if isinstance(table_data.get("scorecard"), dict) else {}
    missed = link.missed(table_tree, table) if table is not None else []
    table_year = link.year_of(table_data.get("year"))
    report_year = link.year_of(document.get("year"))
    tree.update(
        linked=table is not None,
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
        "scorecard_in_table": "boolean",
        "score_in_table": "boolean",
        "deviation_in_table": "boolean",
    },
}

KINDS = [Kind(
    name="report", title="绩效自评报告", title_en="self-evaluation report", label="自评报告", label_en="report",
    folder=_FOLDER, recognize=_no_tables, derive=derive, derived=DERIVED,
    section_labels={"paragraphs": "正文"},
    from_text=from_text, from_embedded=from_embedded,
)]
