"""Zip packages (.xlsx, .docx) checked before anything is inflated: the file itself, the
sizes its members declare (a "zip bomb"), and DTDs or entities in its XML (an "XML bomb").
zipfile never inflates a member beyond the size it declares, so checking the declared
sizes first bounds everything read afterwards."""

from __future__ import annotations

import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from validator import limits as _limits
from validator.errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# Members smaller than this may compress as well as they like: the ratio limit is for
# members that would be large once inflated.
RATIO_FLOOR = 1024 * 1024
_CHUNK = 1024 * 1024
# Damaged archives and XML raise these from zipfile, zlib and the parsers.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)


class Kind:
    """How messages name the file: 工作簿 / workbook, 文档 / document."""

    def __init__(self, zh: str, en: str, suffix: str):
        self.zh, self.en, self.suffix = zh, en, suffix


WORKBOOK = Kind("工作簿", "workbook", ".xlsx")
DOCUMENT = Kind("文档", "document", ".docx")
ARCHIVE = Kind("压缩包", "archive", ".zip")


def limit_error(origin: str, name: str, value: int, what_zh: str, what_en: str) -> InputError:
    zh, en = _limits.message(name, value, what_zh, what_en)
    return InputError(f"{origin}: {zh}", f"{origin}: {en}")


def cannot_read(origin: str, exc: OSError) -> InputError:
    return InputError(f"{origin}: 无法读取文件：{exc.strerror or exc}", f"{origin}: cannot read file: {exc.strerror or exc}")


def corrupt(origin: str, detail: str, kind: Kind = WORKBOOK) -> InputError:
    detail = " ".join(detail.split())
    if len(detail) > 300:
        detail = detail[:299] + "…"
    return InputError(
        f"{origin}: {kind.suffix} 文件已损坏或不完整，无法读取（{detail}）",
        f"{origin}: the {kind.suffix} file is damaged or incomplete and cannot be read ({detail})",
    )


def read_head(path: Path, origin: str, size_limit: int, size_name: str, kind: Kind, probe: int = 8) -> tuple[bytes, int]:
    """The file's first `probe` bytes and its size, refusing what is not a regular file,
    too large or empty."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{origin}: 不是普通文件（目录、设备、管道等），不予读取",
                             f"{origin}: not a regular file (a folder, a device or a pipe); not read")
        size = info.st_size
        if size > size_limit:
            zh, en = _limits.message(size_name, size_limit, f"{kind.zh}文件大小为 {size:,} 字节", f"the {kind.en} is {size:,} bytes")
            raise InputError(f"{origin}: {zh}", f"{origin}: {en}")
        with path.open("rb") as handle:
            head = handle.read(probe)
    except OSError as exc:
        raise cannot_read(origin, exc) from None
    if size == 0:
        raise InputError(f"{origin}: 文件为空", f"{origin}: the file is empty")
    return head, size


def ole_has_stream(path: Path, name: str) -> bool:
    """Whether an OLE compound file names a stream `name` in its first 8 MiB (Office
    saves a password-protected .xlsx/.docx as an OLE file holding EncryptedPackage)."""
    with path.open("rb") as handle:
        return name.encode("utf-16-le") in handle.read(8 * 1024 * 1024)


def open_checked(path: Path, origin: str, limits: _limits.Limits, kind: Kind,
                 count: Callable[[str, bytes], None] | None = None) -> zipfile.ZipFile:
    """The archive, once its declared sizes, ratios and XML have passed the limits.
    `count(member, chunk)` sees every XML member as it streams (to count sheets, cells).
    The caller closes the archive."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        # NotImplementedError: a zip version or compression zipfile does not know
        raise corrupt(origin, str(exc) or type(exc).__name__, kind) from None
    except OSError as exc:
        raise cannot_read(origin, exc) from None
    try:
        check_sizes(archive, origin, limits, kind)
        _scan_xml(archive, origin, kind, count)
    except BaseException:
        archive.close()
        raise
    return archive


def check_sizes(archive: zipfile.ZipFile, origin: str, limits: _limits.Limits, kind: Kind,
                total_name: str = "xlsx_uncompressed") -> None:
    """The sizes the members declare, against the total limit `total_name` and the ratio
    limit, before any member is inflated."""
    total, total_limit = 0, getattr(limits, total_name)
    for info in archive.infolist():
        total += info.file_size
        if total > total_limit:
            raise limit_error(origin, total_name, total_limit,
                              f"{kind.zh}解压后超过 {total:,} 字节（可能是“压缩炸弹”）",
                              f"the {kind.en} inflates to more than {total:,} bytes (a zip bomb?)")
        if info.file_size > RATIO_FLOOR and info.file_size > limits.xlsx_ratio * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise limit_error(origin, "xlsx_ratio", limits.xlsx_ratio,
                              f"{kind.zh}成员 {info.filename} 的压缩比为 {ratio:,}:1（可能是“压缩炸弹”）",
                              f"the {kind.en} member {info.filename} is compressed {ratio:,}:1 (a zip bomb?)")


def _scan_xml(archive: zipfile.ZipFile, origin: str, kind: Kind, count) -> None:
    try:
        for info in archive.infolist():
            name = info.filename.lower()
            # (an empty name first: ZipInfo.is_dir fails on one)
            if not (name.endswith(".xml") or name.endswith(".rels")) or info.is_dir():
                continue
            with archive.open(info) as member:
                for chunk in tag_chunks(member):
                    if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                        # Office never writes a DTD; entities are how an XML bomb expands.
                        raise InputError(
                            f"{origin}: {kind.zh}成员 {info.filename} 含有 DTD/实体声明（{kind.suffix} 中不应出现，可能是 XML 炸弹），已拒绝",
                            f"{origin}: the {kind.en} member {info.filename} declares a DTD or entities (never in a real {kind.suffix}; an XML bomb?); refused",
                        )
                    if count is not None:
                        count(info.filename, chunk)
    except ZIP_ERRORS as exc:
        raise corrupt(origin, f"{type(exc).__name__}: {exc}", kind) from None


def tag_chunks(stream) -> Iterator[bytes]:
    """The stream in pieces that never split an XML tag: each piece ends just before
    its last '<', which starts the next one."""
    carry = b""
    while True:
        block = stream.read(_CHUNK)
        if not block:
            if carry:
                yield carry
            return
        buffer = carry + block
        cut = buffer.rfind(b"<")
        if cut <= 0:  # at most one tag, at the start: long enough to be whole by now
            if len(buffer) > 4096:
                yield buffer
                carry = b""
            else:
                carry = buffer
            continue
        yield buffer[:cut]
        carry = buffer[cut:]
