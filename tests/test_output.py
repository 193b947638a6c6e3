"""What selfeval writes: whole or not at all, never over something that is not a regular
file, with the permissions the umask allows, and a failed write said as what happened."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLES, run_cli

SAMPLE = SAMPLES / "county-2024-project-defects.yaml"


def run_limited(args, *, fsize: int | None = None, umask: int | None = None, stdout=None):
    """The command line in a child with a file size limit (ulimit -f) and/or a umask."""

    def setup():
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        if umask is not None:
            os.umask(umask)

    env = dict(os.environ, PYTHONPATH=str(ROOT), SELFEVAL_NO_CACHE="1")
    return subprocess.run([sys.executable, "-m", "validator", *args], cwd=ROOT, env=env, preexec_fn=setup,
                          stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("fmt", ["jsonl", "json", "html"])
def test_file_size_limit_leaves_nothing_and_says_so(tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    proc = run_limited(["check", str(SAMPLES), "--format", fmt, "-o", str(out)], fsize=20_000)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "写入失败" in err and "文件大小限制" in err and "内部错误" not in err
    assert len([line for line in err.splitlines() if line.strip()]) == 1, err
    assert not out.exists() and leftovers(tmp_path) == []


def test_convert_under_file_size_limit_leaves_nothing(tmp_path):
    out = tmp_path / "x.yaml"
    proc = run_limited(["convert", str(SAMPLES / "anshan-2024-transfer.xlsx"), "-o", str(out), "--lang", "en"], fsize=1_000)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "write failed" in err and "file size limit" in err
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", ["rich", "json", "jsonl"])
def test_full_disk_on_stdout_is_not_an_internal_error(fmt):
    with open("/dev/full", "wb") as full:
        proc = run_limited(["check", str(SAMPLE), "--format", fmt, "--color", "never"], stdout=full)
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "磁盘已满" in err and "标准输出" in err
    assert "内部错误" not in err and "Traceback" not in err


@pytest.mark.parametrize("target", ["/dev/null", "/proc/self/fd/1"])
def test_force_never_replaces_a_device_or_a_descriptor_link(target):
    before = os.lstat(target)
    proc = run_cli("check", str(SAMPLE), "-o", target, "--force")
    assert proc.returncode == 2 and "不是普通文件" in proc.stderr
    after = os.lstat(target)
    assert (stat.S_IFMT(after.st_mode), after.st_ino) == (stat.S_IFMT(before.st_mode), before.st_ino)


def test_force_never_replaces_a_symbolic_link(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    for args in (["check", str(SAMPLE), "-o", str(link), "--force"], ["convert", str(SAMPLE), "-o", str(link), "--force"]):
        proc = run_cli(*args)
        assert proc.returncode == 2 and "符号链接" in proc.stderr
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "keep"


def test_output_into_a_missing_folder_says_so(tmp_path):
    proc = run_cli("check", str(SAMPLE), "-o", str(tmp_path / "no" / "such" / "r.json"), "--format", "json")
    assert proc.returncode == 2 and "写入失败" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_written_files_honour_the_umask(tmp_path, mask, mode):
    report = tmp_path / "r.json"
    converted = tmp_path / "c.yaml"
    assert run_limited(["check", str(SAMPLE), "--format", "json", "-o", str(report)], umask=mask).returncode == 1
    assert run_limited(["convert", str(SAMPLE), "-o", str(converted)], umask=mask).returncode == 0
    assert stat.S_IMODE(report.stat().st_mode) == mode
    assert stat.S_IMODE(converted.stat().st_mode) == mode


def test_pipe_closed_early_is_not_an_error():
    proc = subprocess.Popen([sys.executable, "-m", "validator", "check", str(SAMPLES), "--format", "jsonl"], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    json.loads(proc.stdout.readline())
    proc.stdout.close()  # `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=600) == 0 and "Traceback" not in err
