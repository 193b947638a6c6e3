"""Checking many files: worker processes, results as they finish, memory flat in the
number of files.

With the fork start method the workers inherit the parent's compiled rules, so a batch
compiles once; elsewhere each worker compiles once when it starts. Results come back
as plain FileReports (without the evaluation details) in completion order."""

from __future__ import annotations

import multiprocessing as mp
import os
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from validator.report.report import FileReport

_worker_validator = None


def _slim(reports: list[FileReport]) -> list[FileReport]:
    # Evidence (measures, intervals) is for explain; it only weighs on the pipe.
    for fr in reports:
        fr.findings = [replace(f, details={}) for f in fr.findings]
    return reports


def _init_worker(factory: Callable | None) -> None:
    global _worker_validator
    if factory is not None:
        _worker_validator = factory()
    # The parent decides what Ctrl-C means; workers just stop when told to.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _check_one(path: str | tuple[str, ...]) -> list[FileReport]:
    # check_file turns an unusable file into a FileReport with `error`; anything it
    # raises (EngineError: a rule failed while running) fails the whole run, as it does
    # without --jobs, and reaches the parent with both its messages.
    return _slim(_worker_validator.check_file(list(path) if isinstance(path, tuple) else path))


def _task(path) -> str | tuple[str, ...]:
    """What a worker is sent: a file, or the files of one submission (a report and its tables)."""
    return tuple(str(p) for p in path) if isinstance(path, (list, tuple)) else str(path)


def check_many(validator, paths: Iterable, jobs: int, factory: Callable | None = None) -> Iterator[list[FileReport]]:
    """Yield each file's reports as soon as they are ready; an item of `paths` may be a
    list, the files of one submission, checked together. `factory` builds a Validator
    in a worker when processes cannot be forked."""
    global _worker_validator
    if jobs <= 1:
        for path in paths:
            yield _slim(validator.check_file(path))
        return
    methods = mp.get_all_start_methods()
    if "fork" in methods:
        ctx = mp.get_context("fork")
        _worker_validator = validator  # inherited by the forked workers
        init_arg = None
    else:  # pragma: no cover - not on Linux
        ctx = mp.get_context("spawn")
        init_arg = factory
    pool = ctx.Pool(processes=jobs, initializer=_init_worker, initargs=(init_arg,))
    try:
        # Small chunks keep the progress honest; imap_unordered streams in finish order
        # and pulls paths lazily, so a million-file folder is never held in memory twice.
        for reports in pool.imap_unordered(_check_one, (_task(p) for p in paths), chunksize=4):
            yield reports
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover
        return max(1, os.cpu_count() or 1)
