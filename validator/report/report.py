"""The result of checking one or more submissions, independent of how it is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.check.findings import SEVERITIES, Finding, count_by_severity

REPORT_VERSION = 1


@dataclass(slots=True)
class FileReport:
    """Findings for one submission. `error` is set instead when the input could not be
    read at all (not a submission, broken encoding): then there are no findings."""

    path: str
    kind: str | None = None
    packs: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    error_en: str | None = None

    def error_text(self, lang: str = "zh") -> str | None:
        return (self.error_en or self.error) if lang == "en" else self.error

    @property
    def summary(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def ok(self) -> bool:
        return self.error is None and not any(f.severity == "error" and f.waiver is None for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "kind": self.kind,
            "packs": list(self.packs),
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary,
        }
        if self.error is not None:
            out["error"] = self.error
            out["error_en"] = self.error_en or self.error
        return out


@dataclass(slots=True)
class Report:
    files: list[FileReport] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for fr in self.files for f in fr.findings]

    @property
    def ok(self) -> bool:
        return all(fr.ok for fr in self.files)

    @property
    def unusable(self) -> list[FileReport]:
        return [fr for fr in self.files if fr.error is not None]

    @property
    def summary(self) -> dict[str, int]:
        totals = dict.fromkeys(SEVERITIES, 0)
        for fr in self.files:
            for sev, n in fr.summary.items():
                totals[sev] = totals.get(sev, 0) + n
        totals["files"] = len(self.files)
        totals["unusable"] = len(self.unusable)
        return totals

    @property
    def exit_code(self) -> int:
        if self.unusable:
            return 2
        return 0 if self.ok else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "files": [fr.to_dict() for fr in self.files],
            "summary": self.summary,
        }
