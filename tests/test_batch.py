"""Batch checking: jsonl streams one object per file in input order whatever --jobs is,
Ctrl-C (or SIGTERM) stops at a file boundary and never cuts a line, one bad file never
sinks a batch, and a dead worker costs one file, not the run.

Every interruption is triggered deterministically — after a given number of lines has
been read from the pipe, or once a given number of files has been counted — never after
a sleep."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, run_cli

HOOKED = Path(__file__).resolve().parent / "hooked_cli.py"
# A hang guard only: every run here ends in seconds; this is never what a test measures.
HANG_GUARD = 600


def make_folder(tmp_path, copies: int, name: str = "batch"):
    folder = tmp_path / name
    folder.mkdir()
    for i in range(copies):
        shutil.copy(SAMPLES / "county-2024-project-defects.yaml", folder / f"c{i:04d}.yaml")
    shutil.copy(SAMPLES / "anshan-2024-transfer-clean.yaml", folder / "clean.yaml")
    return folder


def env(**extra) -> dict:
    e = dict(os.environ, PYTHONPATH=str(ROOT), **extra)
    e.pop("COLUMNS", None)
    return e


def start(args, **extra_env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "validator", *args], cwd=ROOT, env=env(**extra_env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def assert_whole_lines(out: bytes) -> list[dict]:
    """Every line complete, valid JSON; the output ends at a line's end."""
    assert out == b"" or out.endswith(b"\n"), f"output ends inside a line: …{out[-80:]!r}"
    rows = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    assert all(r["version"] == 1 and "path" in r for r in rows)
    return rows


def interrupt_after_lines(args, lines: int, signals=(signal.SIGINT,), partial: int = 0, **extra_env):
    """Run, read `lines` whole lines (and then `partial` bytes of the next one) from the
    pipe, send `signals`, then read to the end. (exit code, stdout bytes, stderr text)."""
    proc = start(args, **extra_env)
    got = b""
    try:
        for _ in range(lines):
            line = proc.stdout.readline()
            assert line, "the run ended before the interrupt"
            got += line
        if partial:
            got += proc.stdout.read(partial)
        for signum in signals:
            proc.send_signal(signum)
        got += proc.stdout.read()
        err = proc.stderr.read().decode("utf-8")
        proc.wait(timeout=HANG_GUARD)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, got, err


def checked_count(err: str) -> int:
    import re

    m = re.search(r"已中断，已检查 (\d+) 个文件", err)
    assert m, err
    return int(m.group(1))


# --- order and agreement ----------------------------------------------------------------

def test_jsonl_one_object_per_file_in_input_order_whatever_the_jobs(tmp_path):
    folder = make_folder(tmp_path, 12)
    one = run_cli("check", str(folder), "--format", "jsonl", "--jobs", "1")
    two = run_cli("check", str(folder), "--format", "jsonl", "--jobs", "2")
    assert one.returncode == two.returncode == 1
    rows = [json.loads(line) for line in one.stdout.splitlines()]
    assert len(rows) == 13
    assert [r["path"] for r in rows] == sorted(r["path"] for r in rows), "folder order"
    assert one.stdout == two.stdout, "the same bytes, in the same order, with --jobs 2"
    clean = [r for r in rows if r["path"].endswith("clean.yaml")][0]
    assert clean["findings"] == [] and clean["status"] == "checked"
    assert "13 个文件" in one.stderr


@pytest.mark.parametrize("fmt", ["json", "html", "rich"])
def test_every_format_keeps_input_order_with_jobs(tmp_path, fmt):
    folder = make_folder(tmp_path, 9)
    one = run_cli("check", str(folder), "--format", fmt, "--jobs", "1", "--color", "never")
    two = run_cli("check", str(folder), "--format", fmt, "--jobs", "2", "--color", "never")
    # The HTML page says when each run was made; everything else is the same.
    when = re.compile(r"<dt>检查时间</dt><dd>[^<]*</dd>")
    assert one.stdout.count("<dt>检查时间</dt>") == (fmt == "html")
    assert when.sub("", one.stdout) == when.sub("", two.stdout)


def test_jobs_window_keeps_order_when_one_file_is_slow(tmp_path):
    # A big file first: the small ones finish long before it and must wait for their turn.
    from validator import Validator
    from validator.check.batch import check_many

    big = tmp_path / "a-big.yaml"
    rows = "\n".join(f"  - {{level1: 产出指标, level2: 数量指标, name: 指标{i}, target: ≥{i}个, actual: {i}个}}" for i in range(3000))
    big.write_text(f"kind: transfer\nindicators:\n{rows}\n", encoding="utf-8")
    small = make_folder(tmp_path, 30, "small")
    paths = [big, *sorted(small.iterdir())]
    got = [fr.path for reports in check_many(Validator(), paths, jobs=2, window=4) for fr in reports]
    assert got == [str(p) for p in paths]


# --- Ctrl-C and SIGTERM -----------------------------------------------------------------

# (lines read before the signal, --jobs): early, late, and in between, in both modes.
MOMENTS = [(1, "1"), (2, "2"), (3, "1"), (5, "2"), (8, "1"), (13, "2"), (21, "1"), (34, "2")]


def _check_interrupted(code, out, err, expect_code=130):
    assert code == expect_code, err
    assert "Traceback" not in err
    rows = assert_whole_lines(out)
    assert checked_count(err) == len(rows), "the count said is the count written"
    return rows


def test_ctrl_c_at_many_moments_never_cuts_a_line(tmp_path):
    folder = make_folder(tmp_path, 45)
    for lines, jobs in MOMENTS:
        code, out, err = interrupt_after_lines(["check", str(folder), "--format", "jsonl", "--jobs", jobs], lines)
        rows = _check_interrupted(code, out, err)
        # Stopped after the file(s) in hand: at least what was read, never the whole folder.
        assert lines <= len(rows) < 46, (lines, jobs, len(rows))
        assert [r["path"] for r in rows] == sorted(r["path"] for r in rows)


def test_ctrl_c_under_cpu_load(tmp_path):
    """The failure this guards against showed on a loaded machine: busy processes of the
    test's own keep both cores occupied while the batch is interrupted."""
    folder = make_folder(tmp_path, 45)
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        for lines, jobs in MOMENTS[::2]:
            code, out, err = interrupt_after_lines(["check", str(folder), "--format", "jsonl", "--jobs", jobs], lines)
            _check_interrupted(code, out, err)
    finally:
        for b in burners:
            b.kill()
            b.wait()


def test_sigterm_stops_like_ctrl_c(tmp_path):
    folder = make_folder(tmp_path, 30)
    code, out, err = interrupt_after_lines(["check", str(folder), "--format", "jsonl", "--jobs", "2"], 3, signals=(signal.SIGTERM,))
    _check_interrupted(code, out, err, expect_code=143)


def _long_lines_folder(tmp_path) -> Path:
    """Files whose jsonl line is far longer than a pipe holds (64 KiB), so the writer is
    certainly in the middle of a line while the test holds off reading."""
    folder = tmp_path / "long"
    folder.mkdir()
    # Unmet targets without a reason, full marks anyway: two findings per row.
    rows = "\n".join(f"  - {{level1: 产出指标, level2: 数量指标, name: 指标{i}, target: ≥10个, actual: 5个, weight: 5, score: 5}}"
                     for i in range(150))
    text = f"kind: transfer\nindicators:\n{rows}\n"
    for i in range(6):
        (folder / f"f{i}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_second_signal_during_a_write_finishes_the_line_then_stops(tmp_path, jobs):
    folder = _long_lines_folder(tmp_path)
    # Two lines read, then 100 bytes of the third: its writer is blocked on the full pipe.
    # SIGINT asks to stop; SIGTERM (a second signal) lands inside the write.
    code, out, err = interrupt_after_lines(["check", str(folder), "--format", "jsonl", "--jobs", jobs], 2,
                                           signals=(signal.SIGINT, signal.SIGTERM), partial=100)
    rows = _check_interrupted(code, out, err)
    assert len(rows) == 3, "the line in hand is finished, and nothing follows it"
    assert len(out.splitlines()[2]) > 64 * 1024


def _hooked(args, cwd=ROOT, **hooks) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HOOKED), *args], cwd=cwd, env=env(**hooks),
                          capture_output=True, timeout=HANG_GUARD)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "html"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupted_output_file_is_whole_or_absent(tmp_path, fmt, jobs):
    folder = make_folder(tmp_path, 20)
    for after, sigs in ((4, "INT"), (4, "INT,TERM")):
        out = tmp_path / f"report-{after}-{sigs}.{fmt}"
        proc = _hooked(["check", str(folder), "--format", fmt, "--jobs", jobs, "-o", str(out)],
                       HOOK_SIGNALS_AFTER=f"{after}:{sigs}")
        err = proc.stderr.decode()
        assert proc.returncode == 130 and "Traceback" not in err, err
        n = checked_count(err)
        assert after <= n < 21
        if "," in sigs and fmt != "jsonl":
            assert not out.exists(), "a second signal stops at once: no report, and no half of one"
            continue
        text = out.read_text(encoding="utf-8")
        if fmt == "jsonl":
            assert len(assert_whole_lines(text.encode())) == n
        elif fmt == "json":
            assert len(json.loads(text)["files"]) == n
        else:
            assert text.rstrip().endswith("</html>")
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "no temporary file left"


# --- one bad file, one dead worker ------------------------------------------------------

EXPLODING_PACK = """\
rules:
  - id: ZX001
    title: 测试：遇到标记值时出错
    title_en: "Test: fails on a marker value"
    category: form
    severity: error
    for_each: indicators
    assert: explode(item.name)
    message: 不会出现
    message_en: never shown
    rationale: 只用于测试
"""


def _exploding_batch(tmp_path) -> tuple[Path, Path]:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "rules.yaml").write_text(EXPLODING_PACK, encoding="utf-8")
    folder = make_folder(tmp_path, 6)
    text = (folder / "c0003.yaml").read_text(encoding="utf-8")
    (folder / "c0003.yaml").write_text(text.replace("    name: ", "    name: BOOM", 1), encoding="utf-8")
    return pack, folder


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_a_file_that_breaks_a_rule_is_reported_and_the_batch_goes_on(tmp_path, jobs, fmt):
    pack, folder = _exploding_batch(tmp_path)
    proc = _hooked(["check", str(folder), "--rules", str(pack), "--format", fmt, "--jobs", jobs], HOOK_EXPLODE="1")
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    out = proc.stdout.decode()
    rows = [json.loads(line) for line in out.splitlines()] if fmt == "jsonl" else json.loads(out)["files"]
    assert len(rows) == 7, "every other file is reported"
    bad = [r for r in rows if r["status"] == "failed"]
    assert [Path(r["path"]).name for r in bad] == ["c0003.yaml"]
    assert "内部错误" in bad[0]["error"] and "ZX001" in bad[0]["error"] and "RuntimeError" in bad[0]["error"]
    assert "ZX001" in bad[0]["error_en"] and "internal error" in bad[0]["error_en"]
    assert all(r["findings"] for r in rows if r["status"] == "checked" and not r["path"].endswith("clean.yaml"))
    problem_lines = [line for line in err.splitlines() if "内部错误" in line]
    assert len(problem_lines) == 1 and "c0003.yaml" in problem_lines[0] and "Traceback" not in err


def test_debug_shows_the_traceback_of_a_failed_file(tmp_path):
    pack, folder = _exploding_batch(tmp_path)
    proc = _hooked(["check", str(folder / "c0003.yaml"), "--rules", str(pack), "--format", "json", "--debug"], HOOK_EXPLODE="1")
    err = proc.stderr.decode()
    assert proc.returncode == 2
    assert "Traceback" in err and "RuntimeError: exploded on a marker value" in err


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_a_killed_worker_costs_one_file_not_the_batch(tmp_path, fmt):
    folder = make_folder(tmp_path, 8)
    proc = _hooked(["check", str(folder), "--format", fmt, "--jobs", "2"], HOOK_KILL_WORKER_ON="c0004.yaml")
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    out = proc.stdout.decode()
    rows = [json.loads(line) for line in out.splitlines()] if fmt == "jsonl" else json.loads(out)["files"]
    assert [Path(r["path"]).name for r in rows] == sorted(p.name for p in folder.iterdir())
    dead = [r for r in rows if r["status"] == "failed"]
    assert [Path(r["path"]).name for r in dead] == ["c0004.yaml"]
    assert "工作进程意外终止" in dead[0]["error"] and "SIGKILL" in dead[0]["error"]
    assert all(r["status"] == "checked" for r in rows if r is not dead[0])
    assert "Traceback" not in err


def test_a_killed_worker_through_the_api(tmp_path):
    from validator import Validator
    from validator.check.batch import check_many

    class Killer(Validator):
        def check_file(self, path):
            if Path(path).name == "c0002.yaml":
                os.kill(os.getpid(), signal.SIGKILL)
            return super().check_file(path)

    folder = make_folder(tmp_path, 5)
    paths = sorted(folder.iterdir())
    reports = [fr for batch in check_many(Killer(), paths, jobs=2) for fr in batch]
    assert [fr.path for fr in reports] == [str(p) for p in paths]
    assert [fr.status for fr in reports] == ["checked", "checked", "failed", "checked", "checked", "checked"]


@pytest.mark.parametrize("deadly", [{"c0002.yaml", "c0003.yaml"}, {"c0000.yaml", "c0001.yaml", "c0002.yaml", "c0003.yaml"}])
def test_several_killed_workers_cost_their_own_files_only(tmp_path, deadly):
    from validator import Validator
    from validator.check.batch import check_many

    class Killer(Validator):
        def check_file(self, path):
            if Path(path).name in deadly:
                os.kill(os.getpid(), signal.SIGKILL)
            return super().check_file(path)

    folder = make_folder(tmp_path, 8)
    paths = sorted(folder.iterdir())
    reports = [fr for batch in check_many(Killer(), paths, jobs=2) for fr in batch]
    assert [fr.path for fr in reports] == [str(p) for p in paths]
    assert {Path(fr.path).name for fr in reports if fr.status == "failed"} == deadly
    assert all(fr.status == "checked" for fr in reports if Path(fr.path).name not in deadly)


@pytest.mark.parametrize("fmt", ["rich", "json"])
def test_signals_during_the_report_write_leave_it_whole(tmp_path, fmt):
    # The report is written after the batch; once 100 bytes of it are read, its writer is
    # blocked on the full pipe, and both signals land inside that one write.
    folder = _long_lines_folder(tmp_path)
    code, out, err = interrupt_after_lines(["check", str(folder), "--format", fmt, "--color", "never"], 0,
                                           signals=(signal.SIGINT, signal.SIGTERM), partial=100)
    assert code == 130 and "Traceback" not in err
    text = out.decode("utf-8")
    assert len(out) > 64 * 1024
    if fmt == "json":
        assert len(json.loads(text)["files"]) == 6
    else:
        assert text.rstrip().splitlines()[-1].startswith("结论：未通过")
    assert checked_count(err) == 6 and "结果见上" in err


def _names_and_status(reports):
    return [(Path(fr.path).name, fr.status) for fr in reports]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_digest_is_what_comes_back_in_order_killed_worker_included(tmp_path, jobs):
    from validator import Validator
    from validator.check.batch import check_many

    class Killer(Validator):
        def check_file(self, path):
            if Path(path).name == "c0002.yaml" and jobs == 2:
                os.kill(os.getpid(), signal.SIGKILL)
            return super().check_file(path)

    folder = make_folder(tmp_path, 5)
    paths = sorted(folder.iterdir())
    got = [row for digest in check_many(Killer(), paths, jobs=jobs, digest=_names_and_status) for row in digest]
    assert [name for name, _ in got] == [p.name for p in paths]
    assert [status for _, status in got] == ["checked", "checked", "failed" if jobs == 2 else "checked", "checked",
                                             "checked", "checked"]


def test_tallies_merged_are_the_tally_of_all_files(tmp_path):
    from validator import Validator
    from validator.report.report import Tally

    folder = make_folder(tmp_path, 6)
    reports = [fr for p in sorted(folder.iterdir()) for fr in Validator().check_file(p)]
    merged = Tally()
    for fr in reports:
        merged.merge(Tally([fr]))
    whole = Tally(reports)
    assert {k: getattr(merged, k) for k in Tally.__slots__} == {k: getattr(whole, k) for k in Tally.__slots__}
    assert sum(whole.severities.values()) > 0 and whole.by_rule
