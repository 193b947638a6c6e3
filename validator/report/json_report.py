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
