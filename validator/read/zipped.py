"""A .zip of one unit's files (its 自评表 workbooks, the issued target table, the money
tables, the report) is one submission.

The readers read files from disk, so the members to check are written into a private
temporary folder, each under its own name (a report pairs with its tables by name, and a
waiver side file sits beside its table), and the folder is removed however the check
ends. Nothing from the archive decides where a file is written: a name that climbs out
(`../`, `/etc`, `C:`), a symbolic link and an encrypted member refuse the whole archive,
and the sizes the members declare are held to the limits before anything is inflated
(zipfile never inflates a member beyond the size it declares).

Every place a finding names is said as the member inside the archive
(`某县应急局.zip/自评表.xlsx`), never as the temporary folder: `Unpacked.relocate`."""

from __future__ import annotations

import copy
import dataclasses
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator import limits as _limits
from validator.errors import InputError
from validator.read import ARCHIVE_SUFFIXES, SUPPORTED_SUFFIXES, is_archive
from validator.read import archive as _archive

# Set in a member's flags when its name is UTF-8; without it zipfile decodes the name as cp437.
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
_DRIVE = re.compile(r"^[A-Za-z]:")


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it. Zip tools on Chinese Windows write GBK
    names without the UTF-8 flag, which zipfile then reads as cp437 mojibake: those bytes
    are read as UTF-8 when they are (macOS writes UTF-8 without the flag too), else as
    GB18030 when they are, else left as cp437."""
    if info.flag_bits & _UTF8_FLAG:
        return info.orig_filename
    try:
        raw = info.orig_filename.encode("cp437")
    except UnicodeEncodeError:  # not decoded by zipfile as cp437 after all
        return info.orig_filename
    if raw.isascii():
        return info.orig_filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.orig_filename


@dataclass(slots=True)
class Plan:
    """What an archive holds, read from its central directory alone: the members to
    check (name → ZipInfo), those listed without being checked (name, reason zh, en),
    and those skipped without a line (Excel lock files, hidden files, __MACOSX)."""

    to_check: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    not_checked: list[tuple[str, str, str]] = field(default_factory=list)
    lock_files: int = 0
    hidden: int = 0


def plan(archive: zipfile.ZipFile, origin: str, limits: _limits.Limits) -> Plan:
    """Sort the members, refusing the archive (InputError) when a member is unsafe to
    write or the archive is beyond the limits."""
    from validator.read.unsupported import readme_reason
    from validator.read.unsupported import reason as unsupported_reason

    infos = archive.infolist()
    if len(infos) > limits.archive_members:
        raise _archive.limit_error(origin, "archive_members", limits.archive_members,
                                   f"压缩包有 {len(infos):,} 个成员", f"the archive has {len(infos):,} members")
    _archive.check_sizes(archive, origin, limits, _archive.ARCHIVE, total_name="archive_uncompressed")
    out = Plan()
    named: list[tuple[str, zipfile.ZipInfo]] = []
    for info in infos:
        name = member_name(info)
        parts = _safe_parts(name, origin)
        mode = info.external_attr >> 16
        if not parts or info.is_dir() or name.replace("\\", "/").endswith("/") or stat.S_ISDIR(mode):
            continue  # a folder: made when a file inside it is written
        if stat.S_ISLNK(mode):
            raise InputError(f"{origin}: 压缩包成员 {name} 是符号链接，已拒绝整个压缩包",
                             f"{origin}: the archive member {name} is a symbolic link; the archive is refused")
        if info.flag_bits & _ENCRYPTED_FLAG:
            raise InputError(f"{origin}: 压缩包设有密码（成员 {name} 已加密），无法读取；请去掉密码后重新压缩",
                             f"{origin}: the archive is password-protected (member {name} is encrypted) and cannot be read; "
                             "zip the files again without a password")
        named.append(("/".join(parts), info))
    _refuse_renamed_package({n for n, _ in named}, origin)
    for name, info in sorted(named, key=lambda item: item[0]):
        parts = name.split("/")
        if parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts):
            out.hidden += 1
            continue
        if parts[-1].startswith("~$"):
            out.lock_files += 1
            continue
        suffix = Path(parts[-1]).suffix.lower()
        if name in out.to_check:
            out.not_checked.append((name, "压缩包中有同名成员，只检查第一个", "the archive holds another member of this name; only the first is checked"))
        elif suffix in ARCHIVE_SUFFIXES:
            out.not_checked.append((name, "压缩包中的压缩包，不展开（请解压后单独检查）",
                                    "an archive inside the archive; not opened (extract it and check it on its own)"))
        elif readme_reason(parts[-1]) is not None:
            out.not_checked.append((name, *readme_reason(parts[-1])))
        elif suffix in SUPPORTED_SUFFIXES:
            out.to_check[name] = info
        else:
            out.not_checked.append((name, *unsupported_reason(Path(parts[-1]))))
    return out


def _safe_parts(name: str, origin: str) -> list[str]:
    """The folders and file name of a member, or InputError when the name would write
    outside the folder it is extracted into."""
    text = name.replace("\\", "/")  # Windows tools may separate folders with backslashes
    if "\x00" in text or text.startswith("/") or _DRIVE.match(text) or ".." in text.split("/"):
        raise InputError(f"{origin}: 压缩包成员名 {name!r} 指向压缩包之外（绝对路径或“..”），已拒绝整个压缩包",
                         f"{origin}: the archive member name {name!r} points outside the archive (an absolute path or '..'); "
                         "the archive is refused")
    return [p for p in text.split("/") if p not in ("", ".")]


def _refuse_renamed_package(names: set[str], origin: str) -> None:
    """A workbook or Word document is itself a zip: one renamed to .zip is said as such."""
    if "[Content_Types].xml" not in names:
        return
    if "xl/workbook.xml" in names:
        raise InputError(f"{origin}: 文件是 Excel 工作簿，不是压缩包；请把扩展名改为 .xlsx",
                         f"{origin}: the file is an Excel workbook, not an archive; rename it to .xlsx")
    if "word/document.xml" in names:
        raise InputError(f"{origin}: 文件是 Word 文档，不是压缩包；请把扩展名改为 .docx",
                         f"{origin}: the file is a Word document, not an archive; rename it to .docx")


def open_archive(path: Path, origin: str) -> zipfile.ZipFile:
    try:
        info = path.stat()
    except OSError as exc:
        raise _archive.cannot_read(origin, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{origin}: 不是普通文件（目录、设备、管道等），不予读取",
                         f"{origin}: not a regular file (a folder, a device or a pipe); not read")
    if info.st_size == 0:
        raise InputError(f"{origin}: 文件为空", f"{origin}: the file is empty")
    try:
        return zipfile.ZipFile(path)
    except OSError as exc:
        raise _archive.cannot_read(origin, exc) from None
    except _archive.ZIP_ERRORS as exc:
        raise _archive.corrupt(origin, str(exc) or type(exc).__name__, _archive.ARCHIVE) from None


def skipped_members(path: Path, limits: _limits.Limits | None = None) -> tuple[int, int]:
    """(Excel lock files, hidden members) of an archive, for the counts a folder walk
    keeps; (0, 0) for an archive that cannot be used (checking it says why)."""
    origin = str(path)
    try:
        with open_archive(path, origin) as archive:
            found = plan(archive, origin, limits or _limits.current())
    except (InputError, *_archive.ZIP_ERRORS):
        return 0, 0
    return found.lock_files, found.hidden


@dataclass(slots=True)
class Unpacked:
    """Files given to check, with every archive among them replaced by its members,
    written into `folder`: `files` to check together as one submission, archive members
    listed without being checked (`not_checked`: where, zh, en) and archives that
    cannot be used (`unusable`: origin, zh, en)."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    not_checked: list[tuple[str, str, str]] = field(default_factory=list)
    unusable: list[tuple[str, str, str]] = field(default_factory=list)
    lock_files: int = 0
    hidden: int = 0
    # (the folder an archive was written into + "/", the archive as given + "/")
    moves: list[tuple[str, str]] = field(default_factory=list)

    def relocate(self, obj: Any) -> Any:
        """`obj` (a report, findings, text …) with every path inside the temporary
        folder said as the member of its archive. The folder's name is random and
        private, so no text of a submission can hold it by chance."""
        for old, new in self.moves:
            obj = _replaced(obj, old, new)
        return obj


@contextmanager
def unpacked(paths: list[Path], limits: _limits.Limits | None = None) -> Iterator[Unpacked]:
    """The files `paths` name, each archive among them written into a private temporary
    folder that is removed when the block ends, whatever ends it."""
    limits = limits or _limits.current()
    try:
        folder = Path(tempfile.mkdtemp(prefix="selfeval-zip-"))
    except OSError as exc:
        what = exc.strerror or type(exc).__name__
        origin = next(str(p) for p in paths if is_archive(p))
        raise InputError(f"{origin}: 无法创建解压用的临时目录：{what}",
                         f"{origin}: cannot make a temporary folder to extract into: {what}") from None
    try:
        out = Unpacked(folder)
        for index, path in enumerate(paths):
            if not is_archive(path):
                out.files.append(path)
                continue
            origin = str(path)
            into = folder / str(index)
            try:
                _extract(path, origin, into, limits, out)
            except InputError as exc:
                out.unusable.append((origin, exc.message, exc.message_en))
        yield out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _extract(path: Path, origin: str, into: Path, limits: _limits.Limits, out: Unpacked) -> None:
    with open_archive(path, origin) as archive:
        found = plan(archive, origin, limits)
        into.mkdir()
        written: list[Path] = []
        not_checked = [(f"{origin}/{name}", zh, en) for name, zh, en in found.not_checked]
        for name, info in found.to_check.items():
            target = into.joinpath(*name.split("/"))
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                # O_EXCL: a file is only ever created here, never written through an existing name.
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except OSError as exc:  # a name too long for this file system, a file and a folder of one name
                what = exc.strerror or type(exc).__name__
                not_checked.append((f"{origin}/{name}", f"无法解压：{what}", f"cannot be extracted: {what}"))
                continue
            try:
                with os.fdopen(fd, "wb") as sink, archive.open(info) as member:
                    shutil.copyfileobj(member, sink, 1024 * 1024)
            except OSError as exc:
                raise InputError(f"{origin}: 无法解压到临时目录：{exc.strerror or exc}",
                                 f"{origin}: cannot extract into a temporary folder: {exc.strerror or exc}") from None
            except _archive.ZIP_ERRORS as exc:
                raise _archive.corrupt(origin, f"{name}: {type(exc).__name__}: {exc}", _archive.ARCHIVE) from None
            written.append(target)
    # Waiver side files are read with the table they belong to, as in a folder.
    from validator.check.waivers import waiver_file_reason

    files = []
    for target in written:
        waiver = waiver_file_reason(target.name, target.parent)
        if waiver is None:
            files.append(target)
        else:
            not_checked.append((f"{origin}/{target.relative_to(into).as_posix()}", *waiver))
    if not files:
        listed = f"（有 {len(not_checked)} 个文件未检查）" if not_checked else ""
        listed_en = f" ({len(not_checked)} file(s) not checked)" if not_checked else ""
        out.not_checked.extend(not_checked)
        raise InputError(f"{origin}: 压缩包中没有可检查的文件{listed}",
                         f"{origin}: the archive holds no file to check{listed_en}")
    out.files.extend(files)
    out.not_checked.extend(not_checked)
    out.lock_files += found.lock_files
    out.hidden += found.hidden
    out.moves.append((str(into) + os.sep, origin + "/"))


def _replaced(obj: Any, old: str, new: str) -> Any:
    """`obj` with `old` replaced by `new` in every text it holds (strings, lists, tuples,
    dicts, dataclasses such as FileReport, Finding and Location); the same object when
    nothing changed."""
    if isinstance(obj, str):
        return obj.replace(old, new) if old in obj else obj
    if isinstance(obj, list):
        items = [_replaced(v, old, new) for v in obj]
        return items if any(a is not b for a, b in zip(items, obj)) else obj
    if isinstance(obj, tuple) and not hasattr(obj, "_fields"):
        items = tuple(_replaced(v, old, new) for v in obj)
        return items if any(a is not b for a, b in zip(items, obj)) else obj
    if isinstance(obj, dict):
        moved = {_replaced(k, old, new): _replaced(v, old, new) for k, v in obj.items()}
        return moved if any(a is not b for a, b in zip(moved.values(), obj.values())) or list(moved) != list(obj) else obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            moved = _replaced(value, old, new)
            if moved is not value:
                changes[f.name] = moved
        if not changes:
            return obj
        # copy and set rather than dataclasses.replace: frozen records and fields
        # outside __init__ alike
        clone = copy.copy(obj)
        for name, value in changes.items():
            object.__setattr__(clone, name, value)
        return clone
    return obj
