"""Throughput of selfeval on a local Dask cluster, next to `selfeval check --jobs N`.

    pip install '.[dask]'
    python benchmarks/dask_throughput.py [--files 2000] [--workers 2]

Generates the files (small tables, 10–30 indicators, as benchmarks/run.py's batch runs),
starts a LocalCluster of worker processes, and times: the CLI with --jobs 1 and --jobs N
writing JSONL, and check_files on the cluster writing JSONL, each run once after a
warm-up, plus the CPU-bound control of run.py (how much of the other cores this machine
had to give). Prints files/s and writes nothing else."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402
from run import _loadavg, child_env, cpu_control  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--files", type=int, default=2000)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = p.parse_args(argv)
    from dask.distributed import Client, LocalCluster

    from validator.api import iter_paths
    from validator.distributed import check_files

    with tempfile.TemporaryDirectory(prefix="selfeval-dask-") as tmp:
        folder = Path(tmp) / "filings"
        generate.write_dir(folder, args.files, 7, (10, 30), 0.3, "json")
        paths = [str(x) for x in iter_paths([folder])]
        out = {"files": len(paths), "workers": args.workers, "load_average_start": _loadavg()}
        out["cpu_control"] = cpu_control()["speedup"]
        env = child_env()
        for jobs in (1, args.workers):
            cmd = [sys.executable, "-m", "validator", "check", str(folder), "--format", "jsonl", "--jobs", str(jobs),
                   "-o", str(Path(tmp) / f"cli-{jobs}.jsonl"), "--force"]
            subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=3600)  # warm caches
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=3600)
            out[f"cli_jobs{jobs}_files_per_s"] = len(paths) / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        out["cluster_start_s"] = time.perf_counter() - t0
        check_files(client, paths[:50], options={}).compute()  # each worker builds its Validator
        t0 = time.perf_counter()
        lines = check_files(client, paths, options={})
        lines.to_textfiles(str(Path(tmp) / "dask" / "*.jsonl"))
        wall = time.perf_counter() - t0
        written = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in (Path(tmp) / "dask").glob("*.jsonl"))
        out["dask_files_per_s"] = len(paths) / wall
        out["dask_lines"] = written
        client.close()
        cluster.close()
        out["load_average_end"] = _loadavg()
    print(json.dumps(out, indent=1))
    return 0 if out["dask_lines"] == out["files"] else 1


if __name__ == "__main__":
    sys.exit(main())
