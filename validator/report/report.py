"""The result of checking one or more submissions, independent of how it is shown."""

from __future__ import annotations

import re
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

# How much of a sheet a report may carry: a table is a few dozen rows, and a 50,000-row
# sheet must not become a page of hundreds of megabytes. Beyond these the grid is cut
# and says so.
GRID_MAX_ROWS = 500
GRID_MAX_COLS = 40
GRID_MAX_TEXT = 300


@dataclass(frozen=True, slots=True)
class SheetGrid:
    """The part of a sheet a table occupies, as the reader saw it: the text each cell
    shows, keyed by (row, column) from 1, and the merged ranges (min_row, min_col,
    max_row, max_col) inside the range shown. For renderers that draw the table around
    its findings; it names no file format and no renderer. `rows_cut` and `cols_cut` say
    how many rows and columns of the table lie beyond the range shown (the caps above)."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: tuple[tuple[int, int, int, int], ...] = ()
    rows_cut: int = 0
    cols_cut: int = 0

    @classmethod
    def capture(cls, grid: Any, rows: tuple[int, int] | None = None, include: Iterable[tuple[int, int]] = (),
                max_rows: int | None = None, max_cols: int | None = None, max_text: int | None = None) -> "SheetGrid | None":
        """The cells of `grid` (a reader's sheet: `sheet`, `rows`, `row_cells(row)`,
        `merges`) in `rows` (first, last; default: every row it uses) and the columns
        they use, widened to hold each (row, column) of `include` (the cells findings
        name, even empty ones), then cut to the caps (default: GRID_MAX_ROWS, GRID_MAX_COLS,
        GRID_MAX_TEXT characters a cell). None when nothing is left to show."""
        max_rows = GRID_MAX_ROWS if max_rows is None else max_rows
        max_cols = GRID_MAX_COLS if max_cols is None else max_cols
        max_text = GRID_MAX_TEXT if max_text is None else max_text
        include = list(include)
        used = [r for r in grid.rows if rows is None or rows[0] <= r <= rows[1]]
        row_marks = [r for r, _ in include] + ([rows[0], rows[1]] if rows is not None else used[:1] + used[-1:])
        col_marks = [c for r in used for c, _ in grid.row_cells(r)] + [c for _, c in include]
        if not used and not include or not row_marks or not col_marks:
            return None
        first_row, last_row = min(row_marks), max(row_marks)
        first_col, last_col = min(col_marks), max(col_marks)
        shown_rows = min(last_row, first_row + max_rows - 1)
        shown_cols = min(last_col, first_col + max_cols - 1)
        cells: dict[tuple[int, int], str] = {}
        for r in grid.rows:
            if r < first_row:
                continue
            if r > shown_rows:
                break
            for c, text in grid.row_cells(r):
                if first_col <= c <= shown_cols and text != "":
                    cells[(r, c)] = text if len(text) <= max_text else text[:max_text] + "…"
        merges = []
        for m in grid.merges:
            if m.min_row > shown_rows or m.max_row < first_row or m.min_col > shown_cols or m.max_col < first_col:
                continue
            clipped = (max(m.min_row, first_row), max(m.min_col, first_col), min(m.max_row, shown_rows), min(m.max_col, shown_cols))
            if clipped[2] > clipped[0] or clipped[3] > clipped[1]:
                merges.append(clipped)
        return cls(grid.sheet, first_row, first_col, shown_rows, shown_cols, cells, tuple(merges),
                   rows_cut=last_row - shown_rows, cols_cut=last_col - shown_cols)


_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")


def cell_position(cell: str | None) -> tuple[int, int] | None:
    """(row, column) of an A1-style reference (`D8` → (8, 4)); None for anything else."""
    m = _CELL.fullmatch(cell or "")
    if m is None:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


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
    # The year the submission states, and the sheets its table was read from (SheetGrid),
    # kept only when asked for (Validator(keep_grids=True)): what the HTML report draws.
    # Neither is part of the JSON contract.
    year: str | None = field(default=None, repr=False, compare=False)
    grids: list["SheetGrid"] = field(default_factory=list, repr=False, compare=False)

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

    def merge(self, other: "Tally") -> None:
        """Add the counts of another tally (of other files) to these."""
        for severity, n in other.severities.items():
            self.severities[severity] = self.severities.get(severity, 0) + n
        self.waived += other.waived
        self.files += other.files
        self.unusable += other.unusable
        self.failed += other.failed
        self.not_checked += other.not_checked
        for rule, (severity, title, count, waived) in other.by_rule.items():
            row = self.by_rule.get(rule)
            if row is None:
                self.by_rule[rule] = [severity, title, count, waived]
            else:
                row[2] += count
                row[3] += waived
        self.lock_files += other.lock_files
        self.hidden += other.hidden

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


@dataclass(slots=True, eq=False)
class Report:
    """The reports of a whole run, with what the walk skipped and how the run was made."""
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
    # When the check ran (ISO 8601, with its offset) and each rule pack in use with a
    # version of its text (name → version), for a report read away from the run; filled
    # by whoever ran the check (the command line).
    checked_at: str | None = None
    pack_versions: dict[str, str] = field(default_factory=dict, repr=False)

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
