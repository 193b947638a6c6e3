"""Checking many files: worker processes, results in input order, memory flat in the
number of files, and no file that can take the batch down.

Each worker is a process with a pipe of its own. It is given two files at a time (so it
never waits for the parent between files) and answers in the order given, so the parent
always knows which file a worker has in hand: a worker that dies (killed, out of memory,
a crash in a C library) costs that one file, reported as failed; the file queued behind
it goes to another worker, and a fresh worker takes the dead one's place. Results are handed on in the order the files were given,
whatever order they finish in; finished files wait for their turn in a window of bounded
size, so memory stays flat however many files there are.

With the fork start method the workers inherit the parent's compiled rules, so a batch
compiles once; elsewhere each worker compiles once when it starts.

A caller that only passes results on (a jsonl stream, running totals) gives a `digest`:
each file's reports are digested where they were checked, in the worker, and only the
digest crosses the pipe, so the parent neither unpickles nor renders the reports while
the workers use every core."""

from __future__ import annotations

import os
import signal
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from validator.report.report import FileReport

_worker_validator = None
_worker_digest = None


def _slim(reports: list[FileReport]) -> list[FileReport]:
    # Evidence (measures, intervals) is for explain; it only weighs on the pipe.
    for fr in reports:
        fr.findings = [replace(f, evidence=()) for f in fr.findings]
    return reports


def _entry_reports(entry) -> list[FileReport] | None:
    """The reports of an entry that needs no checking (listed only, or a path that could
    not be walked); None when it is a file to check."""
    if entry.reason is not None:
        return [FileReport.not_checked(str(entry.path), *entry.reason)]
    if entry.error is not None:
        return [FileReport(path=str(entry.path), error=entry.error[0], error_en=entry.error[1])]
    return None


def _as_entry(item):
    from validator.api import Entry

    return item if isinstance(item, Entry) else Entry(Path(item))


def check_many(validator, entries: Iterable, jobs: int, factory: Callable | None = None,
               stop: Callable[[], bool] = lambda: False, window: int | None = None,
               digest: Callable[[list[FileReport]], Any] | None = None) -> Iterator:
    """Each entry's reports (validator.api.Entry, or a path), in the order given, or
    `digest(reports)` when a digest is given (a module-level function or a partial of
    one: it may have to reach a spawned worker). Once `stop()` is true no new file is
    started: the files in hand are finished and handed on, then the iteration ends.
    `factory` builds a Validator in a worker when processes cannot be forked; `window`
    bounds how many finished files may wait for their turn."""
    entries = map(_as_entry, entries)
    finish = digest or _same
    if jobs <= 1:
        for entry in entries:
            if stop():
                return
            ready = _entry_reports(entry)
            yield finish(ready if ready is not None else _slim(validator.check_file(entry.target)))
        return
    pool = _Pool(validator, jobs, factory, digest)
    try:
        yield from pool.run(entries, stop, window or max(16, 4 * jobs))
    finally:
        pool.shutdown()


# Files given to a worker at a time: the one in hand and the next.
_QUEUE = 2


class _Worker:
    __slots__ = ("process", "conn", "tasks")

    def __init__(self, process, conn):
        from collections import deque

        self.process, self.conn = process, conn
        self.tasks: deque[tuple[int, Path]] = deque()  # in the order sent; the first is in hand


def _same(reports: list[FileReport]) -> list[FileReport]:
    return reports


def _worker_main(conn, inherited, factory, digest) -> None:
    global _worker_validator, _worker_digest
    # The parent decides what Ctrl-C and a service manager's SIGTERM mean; a worker only
    # stops when its pipe closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # Ends of other workers' pipes inherited by fork: closed, so that when the parent
    # dies every worker reads end-of-file and leaves rather than lingering.
    for other in inherited:
        other.close()
    if factory is not None:
        _worker_validator, _worker_digest = factory(), digest
    finish = _worker_digest or _same
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, target = task  # a file, or the files of one submission (a report and its tables)
        path = target[0] if isinstance(target, list) else target
        try:
            reports = _slim(_worker_validator.check_file(target))
        except MemoryError:
            reports = [FileReport(path=str(path), error=f"{path}: 内存不足，无法检查（文件内容过大）",
                                  error_en=f"{path}: out of memory while checking (the file is too large)")]
        try:
            conn.send((index, finish(reports)))
        except (BrokenPipeError, EOFError):
            return
        except Exception as exc:  # a report that cannot be pickled is a defect; say so for this file
            from validator.check.engine import describe_exception

            what = describe_exception(exc)
            conn.send((index, finish([FileReport(path=str(path), failed=True,
                                                 error=f"{path}: 内部错误：无法传回检查结果：{what}",
                                                 error_en=f"{path}: internal error: the result could not be passed back: {what}")])))


class _Pool:
    def __init__(self, validator, jobs: int, factory: Callable | None, digest: Callable | None = None):
        global _worker_validator, _worker_digest
        import multiprocessing as mp  # only a batch with --jobs needs it; a one-file check starts without

        self.digest = digest
        self.finish = digest or _same
        if "fork" in mp.get_all_start_methods():
            self.ctx = mp.get_context("fork")
            _worker_validator, _worker_digest = validator, digest  # inherited by the forked workers
            self.factory = None
        else:  # pragma: no cover - not on Linux
            self.ctx = mp.get_context("spawn")
            self.factory = factory
        self.jobs = jobs
        self.workers: list[_Worker] = []

    def _start(self) -> _Worker:
        parent_end, child_end = self.ctx.Pipe(duplex=True)
        inherited = [w.conn for w in self.workers] + [parent_end] if self.factory is None else []
        process = self.ctx.Process(target=_worker_main, args=(child_end, inherited, self.factory,
                                                              self.digest if self.factory is not None else None), daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self.workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.conn.close()
        worker.process.join(timeout=5)

    def run(self, entries: Iterator, stop: Callable[[], bool], window: int) -> Iterator:
        from collections import deque
        from multiprocessing.connection import wait

        results: dict[int, Any] = {}
        retry: deque[tuple[int, Path]] = deque()  # queued behind a file whose worker died
        next_out = 0  # the index of the next result to hand on
        next_in = 0  # the index the next entry will get
        exhausted = False
        for _ in range(self.jobs):
            self._start()
        while True:
            # Hand out work, within the window; entries that need no checking take their
            # place in the order without a worker.
            for worker in list(self.workers):
                while len(worker.tasks) < _QUEUE:
                    if retry:
                        task = retry.popleft()
                        sent = self._send(worker, task)
                        if sent is None:
                            retry.appendleft(task)
                            break
                        worker = sent
                        continue
                    if exhausted or next_in - next_out >= window:
                        break
                    if stop():
                        exhausted = True
                        break
                    entry = next(entries, None)
                    if entry is None:
                        exhausted = True
                        break
                    index, next_in = next_in, next_in + 1
                    ready = _entry_reports(entry)
                    if ready is not None:
                        results[index] = self.finish(ready)
                        continue
                    sent = self._send(worker, (index, entry.target))
                    if sent is None:
                        retry.append((index, entry.target))
                        break
                    worker = sent
            while next_out in results:
                yield results.pop(next_out)
                next_out += 1
            busy = [w for w in self.workers if w.tasks]
            if not busy:
                if (exhausted or stop()) and not retry:
                    # Anything still held is contiguous from next_out (nothing is in hand).
                    while next_out in results:
                        yield results.pop(next_out)
                        next_out += 1
                    return
                continue
            ready_objects = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
            for worker in busy:
                if worker.conn in ready_objects:
                    try:
                        index, reports = worker.conn.recv()
                    except Exception:  # noqa: BLE001 - died mid-message: EOF, or a torn pickle
                        self._lost(worker, results, retry)
                        continue
                    worker.tasks.popleft()
                    results[index] = reports
                elif worker.process.sentinel in ready_objects:
                    self._lost(worker, results, retry)

    def _send(self, worker: _Worker, task: tuple[int, Path]) -> _Worker | None:
        """Give `task` to `worker`, or to a fresh worker if this one died while idle; None
        if it died with work in hand (its end is noticed, and that work accounted for,
        when the parent next waits)."""
        try:
            worker.conn.send(task)
        except OSError:
            if worker.tasks:
                return None
            self._retire(worker)
            worker = self._start()
            worker.conn.send(task)
        worker.tasks.append(task)
        return worker

    def _lost(self, worker: _Worker, results: dict[int, Any], retry) -> None:
        """A worker died: the file in hand is reported as failed, the one queued behind it
        goes to another worker, and a new worker takes the dead one's place."""
        index, target = worker.tasks.popleft()
        path = target[0] if isinstance(target, list) else target
        retry.extend(worker.tasks)
        worker.tasks.clear()
        worker.process.join(timeout=5)
        code = worker.process.exitcode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            how_zh, how_en = f"被信号 {name} 终止", f"killed by signal {name}"
            if -code == signal.SIGKILL:
                how_zh += "，可能是内存不足或被强制结束"
                how_en += ", perhaps out of memory or killed by hand"
        else:
            how_zh, how_en = f"退出码 {code}", f"exit code {code}"
        results[index] = self.finish([FileReport(
            path=str(path), failed=True,
            error=f"{path}: 检查该文件的工作进程意外终止（{how_zh}），此文件未检查完",
            error_en=f"{path}: the worker process checking this file ended unexpectedly ({how_en}); the file was not checked",
        )])
        self._retire(worker)
        self._start()

    def shutdown(self) -> None:
        """Finished: workers leave when their pipe says so. Stopped early (Ctrl-C, an
        error): workers in the middle of a file are killed, since nobody awaits it."""
        for worker in self.workers:
            if worker.tasks:
                worker.process.kill()
            else:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in self.workers:
            worker.conn.close()
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        self.workers = []


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover
        return max(1, os.cpu_count() or 1)
