"""What a rule reports: a finding, with where it is and what the value should be."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from validator.expression.runtime import Comparison

SEVERITIES = ("error", "warning", "info")
CATEGORIES = ("arithmetic", "target_actual", "unit", "explanation", "form")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is: the canonical field path, the row's own label, and for
    workbooks the sheet and cell the value was read from; in a report's text, the
    paragraph (numbered from 1, as the reader counts them) and for a PDF its page."""

    path: str
    label: str | None = None
    sheet: str | None = None
    cell: str | None = None
    # The document the place is in, when it is not the finding's own (a related place).
    origin: str | None = None
    paragraph: int | None = None
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "label": self.label}
        if self.sheet is not None:
            out["sheet"] = self.sheet
            out["cell"] = self.cell
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
            if self.page is not None:
                out["page"] = self.page
        if self.origin is not None:
            out["origin"] = self.origin
        return out

    def describe(self, lang: str = "zh") -> str:
        """The short form people read: `自评表!G24 视频监控点位`, `indicators[4] 视频监控点位`,
        or in a report `第3页第12段 “……”` (`page 3, paragraph 12 “……”`)."""
        if self.sheet and self.cell:
            where = f"{self.sheet}!{self.cell}"
        elif self.paragraph is not None:
            if lang == "en":
                where = (f"page {self.page}, " if self.page is not None else "") + f"paragraph {self.paragraph}"
            else:
                where = (f"第{self.page}页" if self.page is not None else "") + f"第{self.paragraph}段"
        else:
            where = self.path
        if self.origin is not None and not (self.sheet and self.cell):
            where = f"{self.origin} {where}"
        return f"{where} {self.label}" if self.label else where


@dataclass(frozen=True, slots=True)
class Finding:
    """One defect found: which rule, how severe, where, what was expected and found, and why."""
    rule: str
    category: str
    severity: str
    title: str
    message: str
    message_en: str
    location: Location
    expected: str | None = None
    actual: str | None = None
    computed: str | None = None
    margin: str | None = None
    hint: str | None = None
    hint_en: str | None = None
    pack: str | None = None
    version: int | None = None  # the rule's version, so a finding can be traced to the rule text
    waiver: dict[str, Any] | None = None  # set when a waiver covers the finding
    # Other places the finding concerns, in other documents of the submission (the issued
    # target a reported one was changed from).
    related: tuple[Location, ...] = ()
    # The rule's short name in English (a pack rule's title_en, or a built-in code's).
    title_en: str | None = None
    # The comparisons the rule made (operands with their intervals, margin): what `explain`
    # and a renderer may show; never needed to understand the finding.
    evidence: tuple[Comparison, ...] = field(default=(), compare=False)

    def text(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message

    def hint_text(self, lang: str = "zh") -> str | None:
        return (self.hint_en or self.hint) if lang == "en" else self.hint

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "title": self.title,
            **({"title_en": self.title_en} if self.title_en else {}),
            "message": self.message,
            "message_en": self.message_en,
            "location": self.location.to_dict(),
            "expected": self.expected,
            "actual": self.actual,
            "hint": self.hint,
        }
        if self.computed is not None:
            out["computed"] = self.computed
        if self.margin is not None:
            out["margin"] = self.margin
        if self.hint_en is not None:
            out["hint_en"] = self.hint_en
        if self.pack is not None:
            out["pack"] = self.pack
        if self.version is not None:
            out["rule_version"] = self.version
        if self.waiver is not None:
            out["waived"] = dict(self.waiver)
        if self.related:
            out["related"] = [loc.to_dict() for loc in self.related]
        return out


def count_by_severity(findings) -> dict[str, int]:
    """Counts by severity of the findings in force; waived ones are counted apart."""
    counts = dict.fromkeys(SEVERITIES, 0)
    waived = 0
    for f in findings:
        if f.waiver is not None:
            waived += 1
        else:
            counts[f.severity] += 1
    if waived:
        counts["waived"] = waived
    return counts
