"""Checking a province's filings on a Dask cluster: files in, JSONL out.

    pip install 'selfeval[dask]'

    from dask.distributed import Client
    from validator.distributed import check_files

    client = Client("tcp://scheduler:8786")          # or Client() for a local cluster
    lines = check_files(client, paths, options={"packs": ["standard"]})
    lines.to_textfiles("out/*.jsonl")                # one JSON object per file, as `--format jsonl`

Each worker process builds its Validator once, the first time it checks a file, with the
same options (and so the same compiled packs) as every other worker; after that a file
costs only its check. Results are the lines `selfeval check --format jsonl` writes, so
whatever reads one reads the other. The paths must be readable from the workers (a
shared file system, or a mount at the same place). docs/distributed.md has the recipe and
figures."""

from __future__ import annotations

import json
import os
import threading
from decimal import Decimal
from typing import Any, Iterable

_LOCK = threading.Lock()
# One Validator per worker process and set of options.
_VALIDATORS: dict[str, Any] = {}
BUILT: list[int] = []  # pids that built a Validator, for the tests' "once per worker"


def _key(options: dict) -> str:
    return json.dumps(options, sort_keys=True, default=str)


def worker_validator(options: dict):
    key = _key(options)
    v = _VALIDATORS.get(key)
    if v is None:
        with _LOCK:
            v = _VALIDATORS.get(key)
            if v is None:
                from validator.api import Validator

                v = _VALIDATORS[key] = Validator(**options)
                BUILT.append(os.getpid())
    return v


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def check_partition(paths: Iterable[str], options: dict) -> list[str]:
    """The JSONL lines of one partition of files (one or more per file: a workbook may
    hold several tables). A file selfeval cannot use gives a line with `error`, as in the
    CLI; a failure inside selfeval fails the task, and Dask reports it."""
    v = worker_validator(options)
    out = []
    for path in paths:
        for fr in v.check_file(path):
            out.append(json.dumps({"version": 1, **fr.to_dict()}, ensure_ascii=False, default=_default))
    return out


def check_files(client, paths: Iterable[str], options: dict | None = None, npartitions: int | None = None):
    """A dask.bag of JSONL lines, one per checked table, computed on `client`'s cluster.
    `options` are Validator's keyword arguments (packs, select, ignore, rules, limits…);
    they travel to the workers as data and each worker compiles them once."""
    import dask.bag as db

    paths = [str(p) for p in paths]
    options = dict(options or {})
    if npartitions is None:
        workers = max(1, sum(client.nthreads().values()))
        npartitions = max(1, min(len(paths), workers * 4))
    return db.from_sequence(paths, npartitions=npartitions).map_partitions(check_partition, options)
