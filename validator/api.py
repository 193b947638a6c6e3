"""The Python API: `Validator` loads and compiles rule packs once; `check()` runs them
on files or mappings. A Validator holds no per-check state, so one instance may serve
many threads."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from validator import limits as _limits
from validator.kinds.self_eval import model
from validator.check import schema as schema_check
from validator.check.bounds import check_size, range_finding, range_findings, raw_out_of_range
from validator.check.engine import EngineError, describe_exception, evaluate
from validator.errors import InputError, SelfevalError
from validator.limits import Limits
from validator.check.findings import CATEGORIES, Finding, Location
from validator.read import SUPPORTED_SUFFIXES, ReaderNotice
from validator.submission import LoadedSubmission, load_documents
from validator.report.report import FileReport, Report
from validator.check.waivers import SIDE_SUFFIX as WAIVER_SUFFIX
from validator.check.waivers import apply as apply_waivers
from validator.check.waivers import collect as collect_waivers
from validator.packs.pack import Pack, PackSet, load_packs
from validator.packs.rule import Rule


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


def _notice_finding(n: ReaderNotice) -> Finding:
    return Finding(
        rule=n.code, category="form", severity=n.severity, title=n.message, message=n.message,
        message_en=n.message_en, location=Location(path=n.path or "", label=n.label, sheet=n.sheet, cell=n.cell),
        pack="reader",
    )


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
        """Check one canonical submission given as a mapping. Waivers come from the
        mapping's `waivers` list unless given (check_file adds the side file's). A
        mapping beyond the limits gives a FileReport with `error` set; a rule that fails
        while running raises EngineError (the run fails: it is neither a pass nor a
        finding)."""
        with _limits.active(self.limits):
            try:
                return self._check_mapping(data, origin, notices, waivers, _shape_checked)
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

    def _check_mapping(self, data: Any, origin: str, notices, waivers, shape_checked: bool = False) -> FileReport:
        report = FileReport(path=origin)
        if not isinstance(data, Mapping):
            report.error = f"{origin}: 不是自评表：顶层应为映射（kind、funds、indicators …）"
            report.error_en = f"{origin}: not a self-evaluation table: the top level must be a mapping (kind, funds, indicators …)"
            return report
        check_size(data, origin, self.limits, shape_checked)
        data = dict(data)
        if waivers is None:
            inline = data.get("waivers")
            waivers = [dict(w, _source=f"waivers[{i}]") for i, w in enumerate(inline) if isinstance(w, dict)] if isinstance(inline, list) else []
        kind = data.get("kind")
        report.kind = kind if kind in ("transfer", "project") else None
        findings = [_notice_finding(n) for n in notices]
        out_of_range = raw_out_of_range(data, self.limits)
        problems = schema_check.check(data)
        findings.extend(problems)
        if problems:
            cleaned = schema_check.strip_unknown(data, problems)
            if cleaned is None:
                findings.extend(range_finding(path, value, None, problem) for path, value, problem in out_of_range)
                findings.append(Finding(
                    rule="SC900", category="form", severity="info", title="格式错误，未执行内容检查",
                    message="提交格式有误，已跳过其余规则；请先修正上面的格式问题。",
                    message_en="The submission does not match the format, so the other rules were skipped; fix the problems above first.",
                    location=Location(path="(root)"), pack="core",
                ))
                report.findings = [f for f in findings if self._keep(f.rule, f.category)]
                report.packs = [p.name for p in self.packset.active(data)]
                return report
            data = cleaned
        active, rules = self.rules_for(data)
        report.packs = [p.name for p in active]
        root = model.build(data)
        ranged = range_findings(root, data, out_of_range, self.limits)
        if ranged:
            # The cell is reported once, as out of range; what rules said about it is moot.
            paths = {f.location.path for f in ranged}
            findings = [f for f in findings if f.location.path not in paths]
        findings.extend(ranged)
        findings.extend(f for f in evaluate(rules, root, kind) if not ranged or f.location.path not in paths)
        if waivers:
            findings = apply_waivers(findings, waivers)
        report.findings = [f for f in findings if f.pack not in ("core", "reader") or self._keep(f.rule, f.category)]
        return report

    def _notices_only(self, loaded: LoadedSubmission) -> FileReport:
        """A file read without a document to check (a report): what its reader noticed."""
        return FileReport(path=loaded.origin, findings=[
            f for f in map(_notice_finding, loaded.notices) if self._keep(f.rule, f.category)])

    def check_file(self, path: str | Path) -> list[FileReport]:
        """Check one file; a workbook may hold several tables, one report each. A file
        that cannot be read, or is beyond the limits, gives a FileReport with `error`
        set. A failure inside selfeval raises EngineError naming the file."""
        path = Path(path)
        with _limits.active(self.limits):
            try:
                loaded: list[LoadedSubmission] = load_documents(path, self.limits)
                # The text readers measured each document (limits.check_shape); a workbook
                # table has a fixed shape, bounded by the cells limit.
                return [self._notices_only(s) if s.no_document else
                        self.check_mapping(s.data, s.origin, s.notices, collect_waivers(s.data, str(path)), _shape_checked=True)
                        for s in loaded]
            except InputError as exc:
                return [FileReport(path=str(path), error=exc.message, error_en=exc.message_en)]
            except RecursionError:
                zh, en = _limits.depth_messages(str(path), self.limits)
                return [FileReport(path=str(path), error=zh, error_en=en)]
            except MemoryError:
                return [FileReport(path=str(path), error=f"{path}: 文件内容过大，内存不足，无法检查",
                                   error_en=f"{path}: the file is too large to check (out of memory)")]
            except SelfevalError:
                raise
            except Exception as exc:  # a defect in selfeval: fail the run, naming the file
                what = describe_exception(exc)
                raise EngineError(f"{path}: 内部错误：{what}", f"{path}: internal error: {what}") from exc

    def check(self, target: str | Path | Mapping | Iterable[str | Path]) -> Report:
        """Check a mapping, a file, a folder, or several of them."""
        if isinstance(target, Mapping):
            return Report([self.check_mapping(target)])
        targets = [target] if isinstance(target, (str, Path)) else list(target)
        report = Report()
        for path in expand_paths(targets):
            report.files.extend(self.check_file(path))
        return report
