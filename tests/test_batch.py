"""Batch checking: jsonl streams one object per file, --jobs gives the same results as
one process, and Ctrl-C stops cleanly with what was done reported."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

from conftest import ROOT, SAMPLES, run_cli


def make_folder(tmp_path, copies: int):
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(copies):
        shutil.copy(SAMPLES / "county-2024-project-defects.yaml", folder / f"c{i:04d}.yaml")
    shutil.copy(SAMPLES / "anshan-2024-transfer-clean.yaml", folder / "clean.yaml")
    return folder


def test_jsonl_one_object_per_file_and_jobs_agree(tmp_path):
    folder = make_folder(tmp_path, 12)
    one = run_cli("check", str(folder), "--format", "jsonl", "--jobs", "1")
    two = run_cli("check", str(folder), "--format", "jsonl", "--jobs", "2")
    assert one.returncode == two.returncode == 1
    rows1 = [json.loads(line) for line in one.stdout.splitlines()]
    rows2 = [json.loads(line) for line in two.stdout.splitlines()]
    assert len(rows1) == len(rows2) == 13
    assert all(r["version"] == 1 and "findings" in r for r in rows1)
    key = lambda r: (r["path"], [(f["rule"], f["location"]["path"]) for f in r["findings"]])  # noqa: E731
    assert sorted(map(key, rows1)) == sorted(map(key, rows2))
    clean = [r for r in rows1 if r["path"].endswith("clean.yaml")][0]
    assert clean["findings"] == []
    assert "13 个文件" in one.stderr


def test_ctrl_c_stops_cleanly(tmp_path):
    folder = make_folder(tmp_path, 400)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "validator", "check", str(folder), "--format", "jsonl", "--jobs", "2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    first = proc.stdout.readline()  # some work is done before the interrupt
    assert json.loads(first)["version"] == 1
    proc.send_signal(signal.SIGINT)
    # Read through the same buffered streams (communicate() would bypass what readline
    # already buffered).
    out = proc.stdout.read()
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode == 130
    for line in out.splitlines():
        assert json.loads(line)["version"] == 1  # no line cut in half
    assert "已中断" in err and "Traceback" not in err
    done = 1 + len(out.splitlines())
    assert f"已检查 {done} 个文件" in err
    assert done < 401
