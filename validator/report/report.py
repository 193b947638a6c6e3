"""The result of checking one or more submissions, independent of how it is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from validator.check.findings import SEVERITIES, Finding, count_by_severity

REPORT_VERSION = 1

# What happened to a file: its findings were computed (checked); it could not be used as a
# submission (unusable: the input's fault); selfeval failed on it (failed: an internal
# error or a worker process that ended); or it was listed but not checked (a folder entry
# of a type selfeval does not read).
STATUSES = ("checked", "unusable", "failed", "not_checked")
FAIL_ON = ("error", "warning")


@dataclass(slots=True)
class FileReport:
    """Findings for one submission. `error` is set instead when the input could not be
    used (`failed` too when selfeval itself failed on it); `reason` when a file found in a
    folder was not checked at all. Either way there are no findings."""

    path: str
    kind: str | None = None
    packs: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    error_en: str | None = None
    failed: bool = False
    reason: str | None = None
    reason_en: str | None = None
    # As the submission names them (its `unit` and `name`), for exports people filter.
    unit: str | None = None
    project: str | None = None
    # The Python traceback of a failure, for --debug; never part of the report's contract.
    traceback: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def not_checked(cls, path: str, reason: str, reason_en: str) -> "FileReport":
        return cls(path=path, reason=reason, reason_en=reason_en)

    @property
    def status(self) -> str:
        if self.reason is not None:
            return "not_checked"
        if self.error is not None:
            return "failed" if self.failed else "unusable"
        return "checked"

    def error_text(self, lang: str = "zh") -> str | None:
        return (self.error_en or self.error) if lang == "en" else self.error

    def reason_text(self, lang: str = "zh") -> str | None:
        return (self.reason_en or self.reason) if lang == "en" else self.reason

    @property
    def summary(self) -> dict[str, int]:
        return count_by_severity(self.findings)

    @property
    def ok(self) -> bool:
        """Nothing here fails the run: no error-severity finding in force, and the file
        was either checked or deliberately not checked."""
        return self.error is None and not any(f.severity == "error" and f.waiver is None for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "status": self.status,
            "kind": self.kind,
            "packs": list(self.packs),
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary,
        }
        if self.error is not None:
            out["error"] = self.error
            out["error_en"] = self.error_en or self.error
        if self.reason is not None:
            out["reason"] = self.reason
            out["reason_en"] = self.reason_en or self.reason
        if self.unit is not None:
            out["unit"] = self.unit
        if self.project is not None:
            out["project"] = self.project
        return out

    def passes(self, fail_on: str = "error") -> bool:
        """Nothing here fails the run under `fail_on` (error: errors only; warning:
        errors and warnings)."""
        failing = ("error",) if fail_on == "error" else ("error", "warning")
        return self.error is None and not any(f.severity in failing and f.waiver is None for f in self.findings)


class Tally:
    """Running totals over file reports: the summary, the exit code and the counts by
    rule, in memory that does not grow with the number of files (a jsonl batch of a
    million files keeps one of these, not a million summaries)."""

    __slots__ = ("severities", "waived", "files", "unusable", "failed", "not_checked", "by_rule",
                 "lock_files", "hidden")

    def __init__(self, reports: Iterable[FileReport] = ()):
        self.severities = dict.fromkeys(SEVERITIES, 0)
        self.waived = 0
        self.files = self.unusable = self.failed = self.not_checked = 0
        # rule → (severity, title, count in force, count waived): bounded by the rules that exist
        self.by_rule: dict[str, list] = {}
        self.lock_files = self.hidden = 0
        for fr in reports:
            self.add(fr)

    def add(self, fr: FileReport) -> None:
        status = fr.status
        if status == "not_checked":
            self.not_checked += 1
            return
        self.files += 1
        if status == "unusable":
            self.unusable += 1
        elif status == "failed":
            self.failed += 1
        for f in fr.findings:
            row = self.by_rule.get(f.rule)
            if row is None:
                row = self.by_rule[f.rule] = [f.severity, f.title, 0, 0]
            if f.waiver is not None:
                self.waived += 1
                row[3] += 1
            else:
                self.severities[f.severity] = self.severities.get(f.severity, 0) + 1
                row[2] += 1

    @property
    def summary(self) -> dict[str, Any]:
        totals: dict[str, Any] = dict(self.severities)
        if self.waived:
            totals["waived"] = self.waived
        totals["files"] = self.files
        totals["unusable"] = self.unusable
        totals["failed"] = self.failed
        totals["not_checked"] = self.not_checked
        totals["ignored"] = {"lock_files": self.lock_files, "hidden": self.hidden}
        return totals

    def exit_code(self, fail_on: str = "error") -> int:
        """2 when a file could not be used or selfeval failed on one; 1 when a finding in
        force reaches `fail_on` (error, or warning and above); else 0. Files listed as not
        checked never change it."""
        if self.unusable or self.failed:
            return 2
        failing = ("error",) if fail_on == "error" else ("error", "warning")
        return 1 if any(self.severities.get(s, 0) for s in failing) else 0

    def statistics(self) -> list[tuple[str, str, str, int, int]]:
        """(rule, severity, title, count in force, count waived), most frequent first."""
        rows = [(rule, sev, title, n, w) for rule, (sev, title, n, w) in self.by_rule.items()]
        rows.sort(key=lambda r: (-(r[3] + r[4]), r[0]))
        return rows


@dataclass(slots=True)
class Report:
    files: list[FileReport] = field(default_factory=list)
    # Folder entries skipped without being listed: Excel's lock files (~$…) and hidden
    # files and folders. Counted, so nothing vanishes without a word.
    lock_files: int = 0
    hidden: int = 0
    # English titles by rule id, for renderers in English (findings carry the Chinese
    # title only). Filled by whoever knows the rules (the command line).
    titles_en: dict[str, str] = field(default_factory=dict, repr=False)
    # What fails the run (--fail-on): errors, or warnings too. Verdicts follow it.
    fail_on: str = "error"

    def passes(self) -> bool:
        return all(fr.passes(self.fail_on) for fr in self.files)

    @property
    def findings(self) -> list[Finding]:
        return [f for fr in self.files for f in fr.findings]

    @property
    def ok(self) -> bool:
        return all(fr.ok for fr in self.files)

    @property
    def unusable(self) -> list[FileReport]:
        """Files with an error: unusable input, or a file selfeval failed on."""
        return [fr for fr in self.files if fr.error is not None]

    @property
    def not_checked(self) -> list[FileReport]:
        return [fr for fr in self.files if fr.reason is not None]

    def tally(self) -> Tally:
        t = Tally(self.files)
        t.lock_files, t.hidden = self.lock_files, self.hidden
        return t

    @property
    def summary(self) -> dict[str, Any]:
        return self.tally().summary

    @property
    def exit_code(self) -> int:
        return self.tally().exit_code(self.fail_on)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "files": [fr.to_dict() for fr in self.files],
            "summary": self.summary,
        }
