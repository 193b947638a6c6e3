"""Output that is never cut: a line or a file is written whole or not at all.

- Ctrl-C (SIGINT) and a service manager's SIGTERM only ask the run to stop; the batch
  stops at the next file boundary. A second signal stops at once, but never inside a
  write: a line being written is finished first, so stdout and `-o` files hold whole
  lines only.
- Every write is one loop of `os.write` on the full bytes (retried where the kernel
  wrote part of them), not a trip through Python's text buffers, which an exception can
  leave half flushed.
- A file named with `-o` is written to a temporary file beside it and renamed over it
  when complete; on any failure (an exception, a signal, a full disk, the file size
  limit) the temporary file is removed and nothing is left behind. Files are created
  with the permissions the umask allows, like any other tool's."""

from __future__ import annotations

import errno
import os
import select
import signal
import stat
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from validator.cli.common import UsageError, say


class Signals:
    """SIGINT and SIGTERM set `requested`; the run stops at the next file boundary.
    A second one raises KeyboardInterrupt at once, except inside `writing()`, where it
    is held until the write is complete."""

    HANDLED = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.requested: int | None = None
        self._writing = False
        self._held = False
        self._stopping = False
        self._previous: dict[int, object] = {}
        if threading.current_thread() is threading.main_thread():
            for signum in self.HANDLED:
                self._previous[signum] = signal.signal(signum, self._handle)

    def _handle(self, signum, frame):
        if self.requested is None:
            self.requested = signum
            return
        if self._stopping:
            return  # stopping already: clean-up is never cut short
        if self._writing:
            self._held = True
            return
        self._stopping = True
        raise KeyboardInterrupt

    @contextmanager
    def writing(self):
        self._writing = True
        try:
            yield
        finally:
            self._writing = False
        # Only reached when the write completed: a held second signal takes effect now.
        if self._held and not self._stopping:
            self._stopping = True
            raise KeyboardInterrupt

    @property
    def exit_code(self) -> int:
        """128 + the signal number, as shells report it: 130 for Ctrl-C, 143 for SIGTERM."""
        return 128 + int(self.requested or signal.SIGINT)

    def restore(self) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous = {}


def write_all(fd: int, data: bytes) -> None:
    """All of `data` to `fd`: a pipe or a terminal may take part of it at a time, and a
    non-blocking descriptor (left so by the program that started us) may take none yet."""
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)  # retried on EINTR by Python itself (PEP 475)
        except BlockingIOError:
            select.select([], [fd], [])
            continue
        view = view[n:]


def write_problem(exc: OSError, target: str, lang: str) -> UsageError:
    """A failed write said as what happened: a full disk is not an internal error."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        zh, en = "磁盘已满", "the disk is full"
    elif code == errno.EFBIG:
        zh, en = "文件超过允许的大小（文件大小限制）", "the file exceeds the allowed size (file size limit)"
    elif code == errno.EROFS:
        zh, en = "文件系统为只读", "the file system is read-only"
    elif code in (errno.EACCES, errno.EPERM):
        zh, en = "没有写入权限", "permission denied"
    elif code == errno.EIO:
        zh, en = "输入输出错误", "input/output error"
    else:
        zh = en = exc.strerror or type(exc).__name__
    return UsageError(f"写入失败：{target}：{zh}", f"write failed: {target}: {en}")


def check_output_path(out: Path, force: bool) -> None:
    """Refuse what `-o` must never replace: an existing file without --force, and
    anything existing that is not a regular file (a device, a pipe, a /proc/self/fd
    link, a symbolic link, a folder), with --force or not."""
    try:
        info = out.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"无法使用输出路径 {out}：{exc.strerror}", f"cannot use the output path {out}: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"输出路径是目录：{out}", f"the output path is a folder: {out}")
    if not stat.S_ISREG(info.st_mode):
        what = ("符号链接", "a symbolic link") if stat.S_ISLNK(info.st_mode) else ("设备、管道或其他特殊文件", "a device, a pipe or another special file")
        raise UsageError(f"输出路径已存在且不是普通文件（{what[0]}），不予覆盖：{out}",
                         f"the output path exists and is not a regular file ({what[1]}); not replaced: {out}")
    if not force:
        raise UsageError(f"输出文件已存在（使用 --force 覆盖）：{out}", f"the output file already exists (use --force to overwrite): {out}")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Sink:
    """Where the output goes: standard output, or a file written whole (see module)."""

    def __init__(self, signals: Signals | None, lang: str):
        self.signals = signals
        self.lang = lang
        self.fd = -1
        self.target = say(lang, "标准输出", "standard output")
        self.lines = 0  # whole lines written
        self.written = 0  # bytes written

    def write(self, data: bytes, lines: int = 0) -> None:
        """Write `data` whole; `lines` (the number of whole lines in it) is counted only
        once they are all out."""
        if self.signals is None:
            self._write(data)
            self.lines += lines
            self.written += len(data)
            return
        with self.signals.writing():
            self._write(data)
            self.lines += lines
            self.written += len(data)

    def _write(self, data: bytes) -> None:
        try:
            write_all(self.fd, data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise write_problem(exc, self.target, self.lang) from None

    def commit(self) -> None:
        """The output is complete."""

    def abort(self) -> None:
        """The output is not to be kept."""


class StdoutSink(Sink):
    """Standard output: its file descriptor when it has one; a replaced sys.stdout (an
    embedding program's buffer, a test's capture) is honoured and written through."""

    def __init__(self, signals: Signals | None, lang: str):
        super().__init__(signals, lang)
        sys.stdout.flush()  # what Python's buffer holds goes first
        try:
            self.fd = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):
            self.fd = -1

    def _write(self, data: bytes) -> None:
        if self.fd >= 0:
            return super()._write(data)
        try:
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is not None:
                buffer.write(data)
                buffer.flush()
            else:
                sys.stdout.write(data.decode("utf-8"))
                sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise write_problem(exc, self.target, self.lang) from None


class FileSink(Sink):
    """A temporary file beside `out`, renamed over it by commit() and removed by abort()
    (and on every failure to write)."""

    def __init__(self, out: Path, signals: Signals | None, lang: str, announce: bool = True):
        super().__init__(signals, lang)
        self.out = out
        self.target = str(out)
        self.announce = announce
        folder = out.parent if str(out.parent) else Path(".")
        try:
            import tempfile  # here: a run writing to standard output need not import it (nor shutil, random)

            self.fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise write_problem(exc, str(out), lang) from None
        self.tmp = Path(name)
        try:
            # mkstemp makes the file private (0600); the result should read like any other file.
            os.fchmod(self.fd, 0o666 & ~_umask())
        except OSError:
            pass

    def _write(self, data: bytes) -> None:
        try:
            super()._write(data)
        except BaseException:
            self.abort()
            raise

    def commit(self) -> None:
        if self.fd < 0:
            return
        try:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = -1
            os.replace(self.tmp, self.out)
        except OSError as exc:
            self.abort()
            raise write_problem(exc, self.target, self.lang) from None
        except BaseException:
            self.abort()
            raise
        if self.announce:
            print(say(self.lang, f"已写入 {self.out}", f"written to {self.out}"), file=sys.stderr)

    def abort(self) -> None:
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1
        try:
            self.tmp.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass


def open_sink(out: Path | None, signals: Signals | None, lang: str, announce: bool = True) -> Sink:
    return StdoutSink(signals, lang) if out is None else FileSink(out, signals, lang, announce)


def write_whole(out: Path | None, data: bytes, signals: Signals | None, lang: str, announce: bool = True) -> None:
    """`data` to standard output, or to `out` whole or not at all."""
    sink = open_sink(out, signals, lang, announce)
    try:
        sink.write(data)
    except KeyboardInterrupt:
        # A second signal held until the write was complete: the output is whole, and
        # there is nothing left to stop. The caller sees the signal in `signals`.
        if sink.written != len(data):
            sink.abort()
            raise
    except BaseException:
        sink.abort()
        raise
    sink.commit()
