"""The Python API: `Validator` loads and compiles rule packs once; `check()` runs them
on files or mappings. A Validator holds no per-check state, so one instance may serve
many threads."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from validator import limits as _limits
from validator.check.bounds import check_size, range_finding, range_findings, raw_out_of_range
from validator.check.engine import EngineError, describe_exception, evaluate
from validator.errors import InputError, SelfevalError
from validator.limits import Limits
from validator.check.findings import CATEGORIES, Finding
from validator.check.notices import notice_finding, skipped_finding, unreadable_finding
from validator.check import schema as schema_check
from validator.kinds import Other, kind_named
from validator.read import SUPPORTED_SUFFIXES, ReaderNotice
from validator.submission import Document, embedded_documents, iter_submissions, load_documents
from validator.report.report import FileReport, Report
from validator.check.waivers import SIDE_SUFFIX as WAIVER_SUFFIX
from validator.check.waivers import apply as apply_waivers
from validator.check.waivers import collect as collect_waivers
from validator.packs.pack import Pack, PackSet, load_packs
from validator.packs.rule import Rule


def _merge_carried(table: FileReport, text: FileReport) -> None:
    """The findings on the text a table carries (its 项目绩效分析 block), in the table's
    report. Both were checked against the table's waivers: a waiver used by either is
    used, and one that matched neither is reported once."""
    used = {f.waiver.get("source") for f in text.findings if f.waiver is not None}
    table.findings = [f for f in table.findings if not (f.rule == "WV001" and f.location.path in used)]
    table.findings.extend(f for f in text.findings if f.rule not in ("WV001", "WV002"))
    table.packs = table.packs + [p for p in text.packs if p not in table.packs]
    if text.error and not table.error:
        table.error, table.error_en = text.error, text.error_en


def _matches(rule: Rule, selectors: Iterable[str]) -> bool:
    for s in selectors:
        s = s.strip()
        if not s:
            continue
        if s in CATEGORIES and rule.category == s:
            return True
        if rule.id == s.upper() or (s.isalpha() and rule.id.startswith(s.upper())):
            return True
    return False


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, and the submissions inside folders (recursively, each folder in
    name order), yielded lazily so a very large folder is never listed in memory."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from _walk(p)
        else:
            yield p


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name.startswith("~$"):  # hidden files, Excel's lock files
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif Path(name).suffix.lower() in SUPPORTED_SUFFIXES and not name.endswith(WAIVER_SUFFIX):
            yield Path(entry.path)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    return list(iter_paths(paths))


@dataclass(slots=True)
class _Prepared:
    """A document past its own checks, waiting for the others of its submission."""

    report: FileReport
    data: dict
    kind: Any
    findings: list
    out_of_range: list
    waivers: list


class Validator:
    def __init__(
        self,
        rules: Iterable[str | Path] = (),
        select: Iterable[str] = (),
        ignore: Iterable[str] = (),
        builtin: bool = True,
        packs: Iterable[str] = (),
        preview: bool = False,
        limits: Limits | None = None,
    ):
        """Load the built-in packs (unless builtin=False) and any extra pack folders in
        `rules`, and compile them once. Packs apply to a submission by its fund type,
        or only those named in `packs` (with what they extend). Keep only rules matching
        `select` (ids, id prefixes or categories; all when empty) and not `ignore`;
        preview rules run only with preview=True or when selected by id. `limits`
        (validator.limits.Limits) bounds what inputs and rules may cost; defaults when
        None. Raises RuleError when a pack is broken."""
        self.limits = limits or _limits.DEFAULTS
        with _limits.active(self.limits):
            self.packset = PackSet(load_packs([Path(r) for r in rules], include_builtin=builtin), explicit=packs)
        self.packs: list[Pack] = self.packset.packs
        self._select, self._ignore, self._preview = list(select), list(ignore), preview
        self._filtered: dict[tuple[str, ...], list[Rule]] = {}

    @property
    def rules(self) -> list[Rule]:
        """Every rule that may run, whichever packs a submission selects."""
        return [r for r in self.packset.all_rules() if self._wanted(r)]

    def _wanted(self, rule: Rule) -> bool:
        if self._select and not _matches(rule, self._select):
            return False
        if _matches(rule, self._ignore):
            return False
        if rule.status == "preview" and not self._preview:
            return any(s.strip().upper() == rule.id for s in self._select)
        return True

    def _keep(self, code: str, category: str) -> bool:
        """select/ignore also apply to the built-in codes (SC schema, XL reader)."""
        probe = Rule.__new__(Rule)
        probe.id, probe.category = code, category
        return (not self._select or _matches(probe, self._select)) and not _matches(probe, self._ignore)

    def rules_for(self, data: Mapping) -> tuple[list[Pack], list[Rule]]:
        """The packs in use for this submission and the rules they run."""
        active = self.packset.active(data)
        key = tuple(p.name for p in active)
        rules = self._filtered.get(key)
        if rules is None:
            rules = self._filtered.setdefault(key, [r for r in self.packset.rules_for(active) if self._wanted(r)])
        return active, rules

    def check_mapping(self, data: Any, origin: str = "<submission>", notices: list[ReaderNotice] = (),
                      waivers: list[dict] | None = None, *, _shape_checked: bool = False) -> FileReport:
        """Check one canonical document given as a mapping. Waivers come from the
        mapping's `waivers` list unless given (check_file adds the side file's). A
        mapping beyond the limits gives a FileReport with `error` set; a rule that fails
        while running raises EngineError (the run fails: it is neither a pass nor a
        finding)."""
        return self.check_documents([Document(data, origin, list(notices))], waivers=[waivers], shape_checked=_shape_checked)[0]

    def check_documents(self, documents: list[Document], waivers: list | None = None,
                        shape_checked: bool = False) -> list[FileReport]:
        """Check the documents of one submission together: each is checked against its own
        kind's schema and packs, and rules may read the others (a 自评表 against the targets
        it was issued). One report per document, in order."""
        waivers = waivers or [None] * len(documents)
        with _limits.active(self.limits):
            prepared = [self._guarded(d.origin, self._prepare, d.data, d.origin, d.notices, w, shape_checked)
                        for d, w in zip(documents, waivers)]
            others = [Other(p.kind.name, p.data, p.report.path) for p in prepared if isinstance(p, _Prepared)]
            return [p if isinstance(p, FileReport) else
                    self._guarded(p.report.path, self._finish, p, [o for o in others if o.origin != p.report.path])
                    for p in prepared]

    def _guarded(self, origin: str, step, *args):
        """A step of checking one document: an unusable input becomes that document's
        error; a failure inside selfeval fails the run, naming the document."""
        try:
            return step(*args)
        except InputError as exc:
            return FileReport(path=origin, error=exc.message, error_en=exc.message_en)
        except RecursionError:
            zh, en = _limits.depth_messages(origin, self.limits)
            return FileReport(path=origin, error=zh, error_en=en)
        except EngineError as exc:
            raise EngineError(f"{origin}: {exc.message}", f"{origin}: {exc.message_en}") from exc
        except SelfevalError:
            raise
        except Exception as exc:  # a defect in selfeval: fail the run, naming the submission
            what = describe_exception(exc)
            raise EngineError(f"{origin}: 内部错误：{what}", f"{origin}: internal error: {what}") from exc

    def _prepare(self, data: Any, origin: str, notices, waivers, shape_checked: bool = False):
        """Everything about one document that needs no other: its size, its schema. A
        FileReport when that is all there is to say (not a mapping, format errors)."""
        report = FileReport(path=origin)
        if data is None and notices:  # only notices: tables of kinds that are not checked
            report.findings = [f for f in map(notice_finding, notices) if self._keep(f.rule, f.category)]
            return report
        if not isinstance(data, Mapping):
            report.error = f"{origin}: 不是自评表：顶层应为映射（kind、funds、indicators …）"
            report.error_en = f"{origin}: not a self-evaluation table: the top level must be a mapping (kind, funds, indicators …)"
            return report
        check_size(data, origin, self.limits, shape_checked)
        data = dict(data)
        if waivers is None:
            inline = data.get("waivers")
            waivers = [dict(w, _source=f"waivers[{i}]") for i, w in enumerate(inline) if isinstance(w, dict)] if isinstance(inline, list) else []
        kind = kind_named(data.get("kind")) if isinstance(data.get("kind"), str) else None
        report.kind = kind.name if kind is not None and kind.checked else None
        findings = [notice_finding(n) for n in notices]
        out_of_range = raw_out_of_range(data, self.limits)
        problems = schema_check.check(data, report.kind)
        findings.extend(problems)
        if problems:
            cleaned = schema_check.strip_unknown(data, problems, report.kind)
            if cleaned is None:
                findings.extend(range_finding(path, value, None, problem) for path, value, problem in out_of_range)
                findings.append(skipped_finding())
                report.findings = [f for f in findings if self._keep(f.rule, f.category)]
                report.packs = [p.name for p in self.packset.active(data)]
                return report
            data = cleaned
        return _Prepared(report, data, kind, findings, out_of_range, waivers)

    def _finish(self, p: "_Prepared", others: list["Other"]) -> FileReport:
        report, data, kind, findings = p.report, p.data, p.kind, p.findings
        active, rules = self.rules_for(data)
        report.packs = [pack.name for pack in active]
        unreadable = [u for u in data.get("unreadable") or [] if isinstance(u, Mapping)]
        if unreadable:
            blocks = {u.get("block") for u in unreadable}
            skipped = [r for r in rules if r.reads & blocks]
            rules = [r for r in rules if not r.reads & blocks]
            findings.extend(unreadable_finding(u, [r for r in skipped if u.get("block") in r.reads]) for u in unreadable)
        root = kind.derive(data, others)
        ranged = range_findings(root, data, p.out_of_range, self.limits)
        if ranged:
            # The cell is reported once, as out of range; what rules said about it is moot.
            paths = {f.location.path for f in ranged}
            findings = [f for f in findings if f.location.path not in paths]
        findings.extend(ranged)
        findings.extend(f for f in evaluate(rules, root, kind.name) if not ranged or f.location.path not in paths)
        if p.waivers:
            findings = apply_waivers(findings, p.waivers)
        report.findings = [f for f in findings if f.pack not in ("core", "reader") or self._keep(f.rule, f.category)]
        return report

    def check_file(self, path: str | Path | list) -> list[FileReport]:
        """Check one file, or the files of one submission together (a list: a report and
        its tables, see submission.group_files). A workbook may hold several tables, one
        report each; what a table's 项目绩效分析 block states is checked as a report about
        that table, its findings in the table's report. A file that cannot be read, or is
        beyond the limits, gives a FileReport with `error` set and the others are still
        checked. A failure inside selfeval raises EngineError naming the file."""
        paths = [Path(p) for p in path] if isinstance(path, (list, tuple)) else [Path(path)]
        with _limits.active(self.limits):
            # Per file: its documents (with their waivers, and whether a table carries it as
            # text), or the report saying why the file cannot be used.
            parts = [self._load(p) for p in paths]
            entries = [e for part in parts if isinstance(part, list) for e in part]
            checked = iter(self._checked([d for d, _, _ in entries], [w for _, w, _ in entries], paths[0]))
            out: list[FileReport] = []
            for part in parts:
                if isinstance(part, FileReport):
                    out.append(part)
                    continue
                for _, _, carried in part:
                    fr = next(checked)
                    if carried and out:
                        _merge_carried(out[-1], fr)
                    else:
                        out.append(fr)
            return out

    def _load(self, path: Path):
        """The documents of one file, each with its waivers and whether a table of the file
        carries it as text; or the FileReport saying why the file cannot be used."""
        try:
            loaded: list[Document] = load_documents(path, self.limits)
            entries: list[tuple[Document, list | None, bool]] = []
            for d in loaded:
                waivers = collect_waivers(d.data, str(path)) if d.data is not None else None
                entries.append((d, waivers, False))
                # The table's waivers cover its 项目绩效分析 block too (merged below).
                entries.extend((e, waivers or [], True) for e in embedded_documents([d]))
            return entries
        except InputError as exc:
            return FileReport(path=str(path), error=exc.message, error_en=exc.message_en)
        except RecursionError:
            zh, en = _limits.depth_messages(str(path), self.limits)
            return FileReport(path=str(path), error=zh, error_en=en)
        except MemoryError:
            return FileReport(path=str(path), error=f"{path}: 文件内容过大，内存不足，无法检查",
                              error_en=f"{path}: the file is too large to check (out of memory)")
        except SelfevalError:
            raise
        except Exception as exc:  # a defect in selfeval: fail the run, naming the file
            what = describe_exception(exc)
            raise EngineError(f"{path}: 内部错误：{what}", f"{path}: internal error: {what}") from exc

    def _checked(self, documents: list[Document], waivers: list, first: Path) -> list[FileReport]:
        """The documents of one submission checked together; the text readers measured each
        (limits.check_shape), and a workbook table has a fixed shape, bounded by the cells
        limit."""
        if not documents:
            return []
        try:
            return self.check_documents(documents, waivers, shape_checked=True)
        except MemoryError:
            return [FileReport(path=d.origin, error=f"{first}: 文件内容过大，内存不足，无法检查",
                               error_en=f"{first}: the file is too large to check (out of memory)") for d in documents]
        except SelfevalError:
            raise
        except Exception as exc:  # a defect in selfeval: fail the run, naming the file
            what = describe_exception(exc)
            raise EngineError(f"{first}: 内部错误：{what}", f"{first}: internal error: {what}") from exc

    def check(self, target: str | Path | Mapping | Iterable[str | Path], reports: Iterable[str | Path] = ()) -> Report:
        """Check a mapping, a file, a folder, or several of them. Files of one unit are
        checked together (a report with its tables, see submission.group_files); `reports`
        (--report) makes one submission of those reports and everything else given."""
        if isinstance(target, Mapping):
            return Report([self.check_mapping(target)])
        targets = [target] if isinstance(target, (str, Path)) else list(target)
        report = Report()
        for group in iter_submissions(targets, reports):
            report.files.extend(self.check_file(group if len(group) > 1 else group[0]))
        return report
