"""The Python API: `Validator` loads and compiles rule packs once; `check()` runs them
on files or mappings. A Validator holds no per-check state, so one instance may serve
many threads."""

from __future__ import annotations

import copy

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from validator import limits as _limits
from validator.check.bounds import check_size, range_finding, range_findings, raw_out_of_range
from validator.check.engine import EngineError, describe_exception, evaluate
from validator.errors import InputError, SelfevalError
from validator.limits import Limits
from validator.check.findings import CATEGORIES
from validator.check.notices import notice_finding, skipped_finding, unreadable_finding
from validator.check import schema as schema_check
from validator.kinds import Other, kind_named
from validator.read import (ARCHIVE_SUFFIXES, OLD_WORKBOOK_SUFFIXES, SUPPORTED_SUFFIXES, WORKBOOK_SUFFIXES, ReaderNotice,
                            Workbook, is_archive, read_file)
from validator.submission import Document, embedded_documents, group_files, load_documents, workbook_documents
from validator.report.report import FileReport, Report, SheetGrid, cell_position
from validator.check.waivers import apply as apply_waivers
from validator.check.waivers import inline_waivers, near_miss_notices, side_waivers
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


def _snapshots(grids: list, document: Document, report: FileReport) -> list[SheetGrid]:
    """The sheets a table was read from, as its report keeps them: the rows of its region
    widened to the cells its findings name; for a table assembled from several sheets,
    each sheet it was read from or a finding names, whole."""
    flagged: dict[str, list[tuple[int, int]]] = {}
    for f in report.findings:
        at = cell_position(f.location.cell) if f.location.sheet and f.location.origin is None else None
        if at is not None:
            flagged.setdefault(f.location.sheet, []).append(at)
    read_from = {w.get("sheet") for w in ((document.data or {}).get("source") or {}).values() if isinstance(w, Mapping)}
    out = []
    for grid in grids:
        if document.region is not None:
            if grid.sheet == document.region[0]:
                out.append(SheetGrid.capture(grid, document.region[1:], flagged.get(grid.sheet, ())))
        elif grid.sheet in flagged or grid.sheet in read_from:
            out.append(SheetGrid.capture(grid, None, flagged.get(grid.sheet, ())))
    return [g for g in out if g is not None]


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


@dataclass(frozen=True, slots=True)
class Entry:
    """A file to check, or one found in a folder and listed without being checked
    (`reason`: why, in Chinese and English), or a path that could not be walked
    (`error`)."""

    path: Path
    reason: tuple[str, str] | None = None
    error: tuple[str, str] | None = None
    folder: bool = False  # a subfolder met while walking: entered, not listed
    # The other files of its submission (a report and its tables), checked with it.
    with_files: tuple[Path, ...] = ()

    @property
    def to_check(self) -> bool:
        return self.reason is None and self.error is None and not self.folder

    @property
    def target(self) -> Path | list[Path]:
        """What check_file is given: the file, or the files of its submission."""
        return [self.path, *self.with_files] if self.with_files else self.path


@dataclass(slots=True, eq=False)
class WalkCounts:
    """Folder entries skipped without a line of their own: Excel's lock files (~$…) and
    hidden files and folders (names starting with a dot, which are not entered)."""

    lock_files: int = 0
    hidden: int = 0


def iter_entries(paths: Iterable[str | Path], counts: WalkCounts | None = None,
                 reports: Iterable[str | Path] = ()) -> Iterator[Entry]:
    """Every path given, and every file inside the folders given (recursively, each
    folder in name order), yielded lazily so a very large folder is never listed in
    memory at once. A path given by name is always an entry to check, whatever it is.
    The files of one unit (a report and its tables, submission.group_files) are one
    entry, among the files named and within each folder; with `reports` (--report),
    those reports and every file named or found are one entry."""
    counts = counts if counts is not None else WalkCounts()
    paths = [Path(p) for p in paths]
    reports = [Path(r) for r in reports]
    if reports:
        files: list[Path] = []
        for entry in _entries(paths, counts, group=False):
            if entry.to_check:
                files.append(entry.path)
            else:
                yield entry
        files += [r for r in reports if r not in files]
        if files:
            yield Entry(files[0], with_files=tuple(files[1:]))
        return
    for entry in _entries(paths, counts, group=True):
        if entry.to_check and entry.path.suffix.lower() in ARCHIVE_SUFFIXES:
            # Its lock files and hidden members are skipped like a folder's (read.zipped).
            from validator.read.zipped import skipped_members

            lock_files, hidden = skipped_members(entry.path)
            counts.lock_files += lock_files
            counts.hidden += hidden
        yield entry


def _entries(paths: list[Path], counts: WalkCounts, group: bool) -> Iterator[Entry]:
    groups = _grouped([p for p in paths if not p.is_dir()]) if group else {}
    for p in paths:
        if p.is_dir():
            yield from _walk(p, counts, group)
        elif not group:
            yield Entry(p)
        elif p in groups:
            rest = groups.pop(p)
            if rest is not None:
                yield Entry(p, with_files=rest)


def _grouped(files: list[Path]) -> dict[Path, tuple[Path, ...] | None]:
    """Each file's place in its submission: the first file of a group maps to the others,
    the others to None (checked with the first)."""
    out: dict[Path, tuple[Path, ...] | None] = {}
    archives = [f for f in files if f.suffix.lower() in ARCHIVE_SUFFIXES]  # each a submission of its own
    for g in group_files([f for f in files if f not in archives]):
        out[g[0]] = tuple(g[1:])
        out.update((f, None) for f in g[1:])
    out.update((a, ()) for a in archives)
    return out


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files to check: the files given, and the submissions inside folders."""
    for entry in iter_entries(paths):
        if entry.to_check:
            yield entry.path


def _walk(folder: Path, counts: WalkCounts, group: bool = True) -> Iterator[Entry]:
    # Iterative, depth first: a tree thousands of folders deep is walked like any other
    # (recursion would end the whole batch at Python's recursion limit).
    stack: list[Iterator[Entry]] = [_folder_entries(folder, counts, group)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif entry.folder:
            stack.append(_folder_entries(entry.path, counts, group))
        else:
            yield entry


def _folder_groups(folder: Path, names: list[str]) -> dict[Path, tuple[Path, ...] | None]:
    """The submissions among a folder's files when it holds a report (a report and its
    tables, submission.group_files); nothing to work out when it holds none."""
    from validator.check.waivers import waiver_file_reason
    from validator.read import REPORT_SUFFIXES
    from validator.read.unsupported import readme_reason

    if not any(Path(n).suffix.lower() in REPORT_SUFFIXES for n in names):
        return {}
    files = [folder / n for n in names
             if not n.startswith((".", "~$")) and Path(n).suffix.lower() in SUPPORTED_SUFFIXES
             and waiver_file_reason(n, folder) is None and readme_reason(n) is None and (folder / n).is_file()]
    return _grouped(files)


def _folder_entries(folder: Path, counts: WalkCounts, group: bool = True) -> Iterator[Entry]:
    """One folder's entries in name order: its subfolders (to be entered) and files, the
    files of one unit as one entry. Only the names are held while the folder is walked
    (a DirEntry keeps its stat result, which in a folder of 100,000 files is memory the
    batch need not carry)."""
    import stat

    from validator.check.waivers import waiver_file_reason
    from validator.read.unsupported import readme_reason
    from validator.read.unsupported import reason as unsupported_reason

    try:
        # Names as bytes (sorted the same: UTF-8 keeps code point order): a str name would
        # be interned by pathlib and keep Python's intern table as large as the folder.
        with os.scandir(os.fsencode(folder)) as it:
            raw_names = sorted(e.name for e in it)
    except OSError as exc:
        zh, en = _os_problem(exc)
        yield Entry(folder, error=(f"{folder}: 无法读取目录：{zh}", f"{folder}: cannot list the folder: {en}"))
        return
    groups = _folder_groups(folder, [os.fsdecode(raw) for raw in raw_names]) if group else {}
    for raw in raw_names:
        name = os.fsdecode(raw)
        path = folder / name
        if name.startswith("."):
            counts.hidden += 1
            continue
        try:
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                try:
                    mode = os.stat(path).st_mode
                except OSError as exc:
                    yield Entry(path, reason=_broken_link(exc))
                    continue
                if stat.S_ISDIR(mode):
                    # Never followed: a link back up the tree would walk for ever.
                    yield Entry(path, reason=("指向目录的符号链接，不跟随", "a symbolic link to a folder; not followed"))
                    continue
        except OSError as exc:
            zh, en = _os_problem(exc)
            yield Entry(path, error=(f"{path}: 无法读取：{zh}", f"{path}: cannot read: {en}"))
            continue
        if stat.S_ISDIR(mode):
            yield Entry(path, folder=True)
            continue
        if name.startswith("~$"):
            counts.lock_files += 1
            continue
        if not stat.S_ISREG(mode):
            zh, en = _special_file(mode)
            yield Entry(path, reason=(f"{zh}，不是普通文件", f"{en}, not a regular file"))
            continue
        waiver = waiver_file_reason(name, folder)
        if waiver is not None:
            yield Entry(path, reason=waiver)
        elif (readme := readme_reason(name)) is not None:
            yield Entry(path, reason=readme)
        elif Path(name).suffix.lower() in SUPPORTED_SUFFIXES | ARCHIVE_SUFFIXES:
            if path not in groups:
                yield Entry(path)
            elif groups[path] is not None:  # None: checked with the first file of its unit
                yield Entry(path, with_files=groups[path])
        else:
            yield Entry(path, reason=unsupported_reason(path))


def _os_problem(exc: OSError) -> tuple[str, str]:
    import errno

    words = {errno.ENAMETOOLONG: ("路径过长", "the path is too long"), errno.EACCES: ("没有读取权限", "permission denied"),
             errno.ELOOP: ("符号链接形成循环", "a symbolic link loop"), errno.ENOENT: ("不存在", "it no longer exists")}
    what = exc.strerror or type(exc).__name__
    return words.get(exc.errno, (what, what))


def _broken_link(exc: OSError) -> tuple[str, str]:
    import errno

    if exc.errno == errno.ELOOP:
        return ("符号链接形成循环", "a symbolic link loop")
    return ("符号链接指向的文件不存在", "a symbolic link to a file that does not exist")


def _special_file(mode: int) -> tuple[str, str]:
    import stat

    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）", "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "套接字", "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件", "a device"
    return "特殊文件", "a special file"


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    return list(iter_paths(paths))


@dataclass(slots=True, eq=False)
class _Prepared:
    """A document past its own checks, waiting for the others of its submission."""

    report: FileReport
    data: dict
    kind: Any
    findings: list
    out_of_range: list
    waivers: list


def _text_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _file_problem(origin: str, exc: BaseException, limits: Limits) -> FileReport:
    """The report for a file (or one table of it) that ended in an exception: the input's
    fault (unusable) or selfeval's (failed: an internal error, said as such)."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise exc
    if isinstance(exc, InputError):
        return FileReport(path=origin, error=exc.message, error_en=exc.message_en)
    if isinstance(exc, RecursionError):
        zh, en = _limits.depth_messages(origin, limits)
        return FileReport(path=origin, error=zh, error_en=en)
    cause = exc.__cause__ if isinstance(exc, EngineError) else exc
    if isinstance(cause, MemoryError):
        return FileReport(path=origin, error=f"{origin}: 内存不足，无法检查（文件内容过大）",
                          error_en=f"{origin}: out of memory while checking (the file is too large)")
    import traceback

    if isinstance(exc, SelfevalError):
        zh, en = exc.message, exc.message_en
        # check_mapping names the origin already; say it once.
        zh, en = zh.removeprefix(f"{origin}: "), en.removeprefix(f"{origin}: ")
    else:
        zh = en = describe_exception(exc)
    zh, en = zh.removeprefix("内部错误："), en.removeprefix("internal error: ")
    return FileReport(
        path=origin, failed=True,
        error=f"{origin}: 内部错误：{zh}（selfeval 自身的缺陷，不是文件的问题；请附上此文件报告）",
        error_en=f"{origin}: internal error: {en} (a defect in selfeval, not in the file; please report it with this file)",
        traceback="".join(traceback.format_exception(exc)),
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
        keep_grids: bool = False,
    ):
        """Load the built-in packs (unless builtin=False) and any extra pack folders in
        `rules`, and compile them once. Packs apply to a submission by its fund type,
        or only those named in `packs` (with what they extend). Keep only rules matching
        `select` (ids, id prefixes or categories; all when empty) and not `ignore`;
        preview rules run only with preview=True or when selected by id. `limits`
        (validator.limits.Limits) bounds what inputs and rules may cost; defaults when
        None. `keep_grids` keeps, in each workbook table's report, the cells it was read
        from (FileReport.grids), for a report that draws them. Raises RuleError when a
        pack is broken."""
        self.limits = limits or _limits.DEFAULTS
        self.keep_grids = keep_grids
        with _limits.active(self.limits):
            self.packset = PackSet(load_packs([Path(r) for r in rules], include_builtin=builtin), explicit=packs)
        self.packs: list[Pack] = self.packset.packs
        self._select, self._ignore, self._preview = list(select), list(ignore), preview
        self._filtered: dict[tuple[str, ...], list[Rule]] = {}

    def with_options(self, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                     packs: Iterable[str] | None = None) -> "Validator":
        """This validator with another selection (`select`, `ignore`, or the packs named,
        None: as here). The loaded packs and compiled rules are shared, so a service can keep
        one Validator and answer each request's options without compiling anything."""
        other = copy.copy(self)
        if select is not None:
            other._select = list(select)
        if ignore is not None:
            other._ignore = list(ignore)
        other._filtered = {}
        if packs is not None and tuple(packs) != tuple(self.packset.explicit or ()):
            other.packset = PackSet(self.packset.packs, explicit=tuple(packs))
            other.packs = other.packset.packs
        return other

    @property
    def known_rule_ids(self) -> frozenset[str]:
        """Every id a finding may carry: the rules of all packs loaded (selected or not)
        and selfeval's own codes (SC, XL, WV)."""
        known = getattr(self, "_known", None)
        if known is None:
            from validator.check.codes import CORE_TITLES

            known = self._known = frozenset(r.id for r in self.packset.all_rules()) | frozenset(CORE_TITLES)
        return known

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
                        shape_checked: bool = False, contain: bool = False) -> list[FileReport]:
        """Check the documents of one submission together: each is checked against its own
        kind's schema and packs, and rules may read the others (a 自评表 against the targets
        it was issued). One report per document, in order. A failure inside selfeval raises
        EngineError, or with `contain` becomes that document's `failed` report."""
        waivers = waivers or [None] * len(documents)
        with _limits.active(self.limits):
            prepared = [self._guarded(d.origin, contain, self._prepare, d.data, d.origin, d.notices, w, shape_checked)
                        for d, w in zip(documents, waivers)]
            others = [Other(p.kind.name, p.data, p.report.path) for p in prepared if isinstance(p, _Prepared)]
            return [p if isinstance(p, FileReport) else
                    self._guarded(p.report.path, contain, self._finish, p, [o for o in others if o.origin != p.report.path])
                    for p in prepared]

    def _guarded(self, origin: str, contain: bool, step, *args):
        """A step of checking one document: an unusable input becomes that document's
        error; a failure inside selfeval fails the run, naming the document, or with
        `contain` becomes that document's failed report."""
        if contain:
            try:
                return self._guarded(origin, False, step, *args)
            except BaseException as exc:  # noqa: BLE001 - sorted by _file_problem; KeyboardInterrupt re-raised
                return _file_problem(origin, exc, self.limits)
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
        numbers_fine = check_size(data, origin, self.limits, shape_checked)
        data = dict(data)
        if waivers is None:
            inline = data.get("waivers")
            waivers = [dict(w, _source=f"waivers[{i}]") for i, w in enumerate(inline) if isinstance(w, dict)] if isinstance(inline, list) else []
        kind = kind_named(data.get("kind")) if isinstance(data.get("kind"), str) else None
        report.kind = kind.name if kind is not None and kind.checked else None
        findings = [notice_finding(n) for n in notices]
        out_of_range = raw_out_of_range(data, self.limits, numbers_fine)
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
            findings = apply_waivers(findings, p.waivers, known=self.known_rule_ids)
        report.findings = [f for f in findings if f.pack not in ("core", "reader") or self._keep(f.rule, f.category)]
        return report

    def check_file(self, path: str | Path | list, keep_grids: bool | None = None) -> list[FileReport]:
        """Check one file, or the files of one submission together (a list: a report and
        its tables, see submission.group_files). A workbook may hold several tables, one
        report each; what a table's 项目绩效分析 block states is checked as a report about
        that table, its findings in the table's report. Whatever the files hold, this
        returns reports rather than raising: a file that cannot be read, or is beyond the
        limits, gives a FileReport with `error` set and the others are still checked; a
        table that selfeval itself failed on (a rule that raised, a defect) gives one with
        `error` and `failed` set, naming the rule when known. One bad file never sinks a
        batch. A .zip stands for the files in it (read.zipped), each report named as the
        member inside it (`unit.zip/自评表.xlsx`); members not checked are listed.
        `keep_grids` (default: the Validator's) keeps the sheets each table was read from
        in its report."""
        paths = [Path(p) for p in path] if isinstance(path, (list, tuple)) else [Path(path)]
        keep = self.keep_grids if keep_grids is None else keep_grids
        if any(is_archive(p) for p in paths):
            return self._check_unpacked(paths, keep)
        # file → its workbook's sheets as read, when grids are kept
        sheets: dict[Path, list] | None = {} if keep else None
        with _limits.active(self.limits):
            # Per file: its documents (with their waivers, and whether a table carries it as
            # text), or the report saying why the file cannot be used.
            parts = [self._load(p, sheets) for p in paths]
            entries = [e for part in parts if isinstance(part, list) for e in part]
            # The text readers measured each document (limits.check_shape); a workbook
            # table has a fixed shape, bounded by the cells limit.
            checked = iter(self.check_documents([d for d, _, _ in entries], [w for _, w, _ in entries],
                                                shape_checked=True, contain=True) if entries else ())
            out: list[FileReport] = []
            tables: list[tuple[FileReport, Document, list]] = []
            for file, part in zip(paths, parts):
                if isinstance(part, FileReport):
                    out.append(part)
                    continue
                for document, _, carried in part:
                    fr = next(checked)
                    if isinstance(document.data, Mapping):
                        fr.unit, fr.project = _text_or_none(document.data.get("unit")), _text_or_none(document.data.get("name"))
                        year = document.data.get("year")
                        fr.year = str(year).strip() or None if isinstance(year, (str, int)) and not isinstance(year, bool) else None
                    if carried and out:
                        _merge_carried(out[-1], fr)
                    else:
                        out.append(fr)
                        if sheets and sheets.get(file):
                            tables.append((fr, document, sheets[file]))
            for fr, document, grids in tables:  # after merging: a carried text's findings are on the table too
                fr.grids = _snapshots(grids, document, fr)
            return out

    def _check_unpacked(self, paths: list[Path], keep_grids: bool = False) -> list[FileReport]:
        """check_file of files among which are archives: each archive's members are checked
        with the other files as one submission, and named as members of their archive."""
        from validator.read.zipped import unpacked

        try:
            with _limits.active(self.limits), unpacked(paths, self.limits) as found:
                out = [FileReport(path=origin, error=zh, error_en=en) for origin, zh, en in found.unusable]
                if found.files:
                    out += found.relocate(self.check_file(found.files, keep_grids))
                out += [FileReport.not_checked(where, zh, en) for where, zh, en in found.not_checked]
                return out
        except BaseException as exc:  # noqa: BLE001 - no temporary folder (disk full …); KeyboardInterrupt re-raised
            return [_file_problem(str(paths[0]), exc, self.limits)]

    def _load(self, path: Path, sheets: dict[Path, list] | None = None):
        """The documents of one file, each with its waivers and whether a table of the file
        carries it as text; or the FileReport saying why the file cannot be used. With
        `sheets`, a workbook's sheets as read are kept there."""
        origin = str(path)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES and not path.is_dir():
            from validator.read.unsupported import reason

            zh, en = reason(path)
            return FileReport(path=origin, error=f"{origin}: {zh}", error_en=f"{origin}: {en}")
        try:
            source = None
            if sheets is not None and path.suffix.lower() in WORKBOOK_SUFFIXES | OLD_WORKBOOK_SUFFIXES:
                # Read here rather than in load_documents, which does the same, so that the
                # sheets as read can be kept: never read twice.
                source = read_file(path, self.limits)
            if isinstance(source, Workbook):
                loaded: list[Document] = workbook_documents(source)
                sheets[path] = source.sheets
            else:
                loaded = load_documents(path, self.limits)
            side = side_waivers(path)
            near = near_miss_notices(path)
            if near and loaded:
                loaded[0].notices.extend(near)
            entries: list[tuple[Document, list | None, bool]] = []
            for d in loaded:
                waivers = inline_waivers(d.data) + side if isinstance(d.data, Mapping) else None
                entries.append((d, waivers, False))
                # The table's waivers cover its 项目绩效分析 block too (merged in check_file).
                entries.extend((e, waivers or [], True) for e in embedded_documents([d]))
            return entries
        except BaseException as exc:  # noqa: BLE001 - sorted by _file_problem; KeyboardInterrupt re-raised
            return _file_problem(origin, exc, self.limits)

    def check(self, target: str | Path | Mapping | Iterable[str | Path], reports: Iterable[str | Path] = ()) -> Report:
        """Check a mapping, a file, a folder, or several of them. Files of one unit are
        checked together (a report with its tables, see submission.group_files); `reports`
        (--report) makes one submission of those reports and everything else given."""
        if isinstance(target, Mapping):
            return Report([self.check_mapping(target)])
        targets = [target] if isinstance(target, (str, Path)) else list(target)
        report = Report()
        for entry in iter_entries(targets, reports=reports):
            if entry.to_check:
                report.files.extend(self.check_file(entry.target))
        return report
