"""The report as JSON, for programs; its shape is fixed by schemas/report.schema.json."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from validator.report.report import Report
from validator.report.safe import json_text


def _default(value: Any) -> Any:
    # Decimals keep the printed precision (`15.00` is not `15`); a JSON number would lose it.
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(report: Report) -> str:
    return json_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=_default))


def dumps_line(obj: Any) -> str:
    """One object on one line (jsonl): JSON escapes newlines inside strings, so a cell
    holding line breaks never splits a record."""
    return json_text(json.dumps(obj, ensure_ascii=False, default=_default))


def totals_json(tally, view: str, fail_on: str = "error", lang: str = "zh", titles_en: dict | None = None) -> str:
    """--quiet and --statistics as JSON: the summary, and for statistics the findings
    counted by rule (`count` in force, `waived` apart), most frequent first."""
    from validator.report.labels import rule_title

    out: dict[str, Any] = {"version": 1}
    if view == "statistics":
        out["statistics"] = [
            {"rule": rule, "severity": sev, "title": title, "title_en": rule_title(rule, title, "en", titles_en),
             "count": n, "waived": w}
            for rule, sev, title, n, w in tally.statistics()
        ]
    out["summary"] = tally.summary
    out["exit_code"] = tally.exit_code(fail_on)
    return json_text(json.dumps(out, ensure_ascii=False, indent=2, default=_default))
