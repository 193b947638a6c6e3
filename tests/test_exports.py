"""Exports for spreadsheets (xlsx, csv) that no cell can turn into a formula, and the
views of the terminal report (--summary, --quiet, --statistics) and --fail-on."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "county-2024-project-defects.yaml"
# What a spreadsheet would run, or split into another cell.
INJECTIONS = ["=HYPERLINK(\"http://evil.invalid\",\"点我\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


def injecting_submission(tmp_path):
    indicators = [{"level1": "产出指标", "level2": "数量指标", "name": text, "target": "≥15个", "actual": "10个"} for text in INJECTIONS]
    doc = {"kind": "transfer", "name": "=1+2", "unit": "@单位", "indicators": indicators}
    path = tmp_path / "inject.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_xlsx_has_a_summary_and_a_filtered_findings_sheet(tmp_path):
    out = tmp_path / "r.xlsx"
    proc = run_cli("check", str(SAMPLES), "--format", "xlsx", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["汇总", "发现"]
    summary, found = book["汇总"], book["发现"]
    heads = [c.value for c in summary[1]]
    assert heads[:5] == ["文件", "单位", "项目", "类型", "结论"] and heads[5:8] == ["错误", "警告", "提示"]
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    assert rows[str(SAMPLE)][4] == "未通过" and rows[str(SAMPLE)][5] == 18
    script = str(SAMPLES / "make_workbooks.py")
    assert rows[script][4] == "未检查" and "不支持的文件类型" in rows[script][9]
    assert summary.auto_filter.ref.startswith("A1:") and found.auto_filter.ref.startswith("A1:")
    fheads = [c.value for c in found[1]]
    assert fheads[:10] == ["文件", "单位", "项目", "规则", "标题", "级别", "类别", "位置", "名称", "问题"]
    assert fheads[10:12] == ["应为", "实际"]
    ar007 = next(r for r in found.iter_rows(min_row=2, values_only=True) if r[3] == "AR007" and r[0] == str(SAMPLE))
    assert (ar007[7], ar007[10], ar007[11]) == ("funds.sources[2].rate", "95.14%", "4.33%")
    summary_counts = json.loads(run_cli("check", str(SAMPLES), "--format", "json").stdout)["summary"]
    assert found.max_row - 1 == summary_counts["error"] + summary_counts["warning"] + summary_counts["info"]


def test_xlsx_links_findings_to_the_workbook_cell(tmp_path):
    out = tmp_path / "r.xlsx"
    run_cli("check", str(SAMPLES / "anshan-2024-transfer.xlsx"), "--format", "xlsx", "-o", str(out))
    found = load_workbook(out)["发现"]
    linked = [row[7] for row in found.iter_rows(min_row=2) if row[7].hyperlink is not None]
    assert linked and linked[0].hyperlink.target.endswith(f"anshan-2024-transfer.xlsx#'自评表'!{linked[0].value.split('!')[1]}")


def test_xlsx_never_holds_a_formula(tmp_path):
    out = tmp_path / "r.xlsx"
    run_cli("check", str(injecting_submission(tmp_path)), "--format", "xlsx", "-o", str(out))
    book = load_workbook(out)
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no formula cell"
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "=1+2" in texts and "@单位" in texts, "the text itself, as written"
    for c in cells:
        if isinstance(c.value, str) and c.value[:1] in "=+-@":
            assert c.quotePrefix, (c.coordinate, c.value)


def _report_with(texts):
    from validator.check.findings import Finding, Location
    from validator.report.report import FileReport, Report

    findings = [Finding(rule="TA001", category="target_actual", severity="error", title=t, message=t, message_en=t,
                        location=Location("indicators[0].actual", t, t, "B2"), expected=t, actual=t, hint=t, hint_en=t)
                for t in texts]
    return Report([FileReport(texts[0] + ".yaml", "transfer", ["standard"], findings, unit=texts[1], project=texts[2])])


def test_every_text_cell_of_the_workbook_is_text():
    from validator.report.xlsx_report import to_xlsx

    book = load_workbook(io.BytesIO(to_xlsx(_report_with(INJECTIONS))))
    cells = [c for ws in book for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert not [c for c in cells if c.data_type != "s"]
    assert all(c.quotePrefix for c in cells if c.value[:1] in "=+-@\t")
    shown = {c.value for c in cells}
    assert "\t=1" in shown and "\\x0d=1" in shown, "tab kept (as text); CR, which a workbook cannot hold, shown as an escape"


def test_every_cell_of_the_csv_is_inert():
    from validator.report.csv_report import to_csv

    rows = list(csv.reader(io.StringIO(to_csv(_report_with(INJECTIONS))[1:])))
    cells = [c for row in rows[1:] for c in row if c]
    assert cells and not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'\t=1" in cells and "\\x0d=1" in cells


def test_csv_opens_in_excel_and_runs_nothing(tmp_path):
    proc = run_cli("check", str(injecting_submission(tmp_path)), "--format", "csv")
    raw = proc.stdout
    assert raw.startswith("\ufeff"), "UTF-8 with a byte-order mark, for Excel"
    rows = list(csv.reader(io.StringIO(raw[1:])))
    assert rows[0][:4] == ["文件", "单位", "项目", "结论"]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    cells = {c for row in rows for c in row}
    assert "'=1+2" in cells and "'@单位" in cells and "'+1+1" in cells and "'-2+3" in cells


def test_csv_file_has_one_row_per_finding_and_per_file_without_any(tmp_path):
    out = tmp_path / "r.csv"
    assert run_cli("check", str(SAMPLES), "--format", "csv", "-o", str(out), "--lang", "en").returncode == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    doc = json.loads(run_cli("check", str(SAMPLES), "--format", "json").stdout)
    expected = sum(max(1, len(f["findings"])) for f in doc["files"])
    assert len(rows) == expected
    clean = [r for r in rows if r["File"].endswith("anshan-2024-transfer-clean.yaml")]
    assert len(clean) == 1 and clean[0]["Result"] == "PASSED" and clean[0]["Rule"] == ""
    assert any(r["Title"] == "Execution rate equals executed ÷ budget" for r in rows)


def test_xlsx_to_a_terminal_is_refused():
    import os
    import pty
    import subprocess
    import sys

    from conftest import ROOT

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "validator", "check", str(SAMPLE), "--format", "xlsx"], cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=follower, stderr=subprocess.PIPE, timeout=600)
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2 and "-o" in proc.stderr.decode()


# --- views and exit policy ---------------------------------------------------------------

def test_summary_view_lists_files_not_findings():
    out = run_cli("check", "samples", "--summary", "--color", "never").stdout
    assert "samples/county-2024-project-defects.yaml" in out and "AR007" not in out and "结论：未通过" in out


def test_quiet_view_is_the_totals_only():
    full = json.loads(run_cli("check", str(SAMPLES), "--format", "json").stdout)["summary"]
    proc = run_cli("check", str(SAMPLES), "--quiet", "--color", "never")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"错误 {full['error']} · 警告 {full['warning']} · 提示 {full['info']}",
        f"结论：未通过  (已检查 {full['files']} 个文件；{full['not_checked']} 个未检查)"]
    doc = json.loads(run_cli("check", str(SAMPLES), "--quiet", "--format", "json").stdout)
    assert doc["summary"] == full and doc["exit_code"] == 1 and "files" not in doc


def test_statistics_count_by_rule():
    proc = run_cli("check", str(SAMPLES), "--statistics", "--color", "never")
    lines = proc.stdout.splitlines()
    ar021 = next(line for line in lines if "AR021" in line)
    assert ar021.split()[0] == "4" and "自评报告各项得分之和应等于所述总分" in ar021
    doc = json.loads(run_cli("check", str(SAMPLES), "--statistics", "--format", "json").stdout)
    stats = {s["rule"]: s for s in doc["statistics"]}
    assert stats["AR021"]["count"] == 4 and stats["AR021"]["title_en"]
    assert sum(s["count"] for s in doc["statistics"]) == doc["summary"]["error"] + doc["summary"]["warning"] + doc["summary"]["info"]
    counts = [s["count"] + s["waived"] for s in doc["statistics"]]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("args", [["--summary", "--format", "json"], ["--quiet", "--format", "html"], ["--statistics", "--format", "jsonl"]])
def test_views_refuse_formats_they_do_not_shape(args):
    proc = run_cli("check", str(SAMPLE), *args)
    assert proc.returncode == 2 and "只适用于" in proc.stderr


def test_fail_on_warning(tmp_path):
    # A clean submission whose one finding is a warning: a waiver that matches nothing.
    sub = tmp_path / "x.yaml"
    sub.write_bytes((SAMPLES / "anshan-2024-transfer-clean.yaml").read_bytes())
    (tmp_path / "x.waivers.yaml").write_text("waivers:\n  - {rule: AR007, path: nowhere, reason: 测试用}\n", encoding="utf-8")
    default = run_cli("check", str(sub), "--quiet", "--color", "never")
    strict = run_cli("check", str(sub), "--quiet", "--color", "never", "--fail-on", "warning")
    assert (default.returncode, strict.returncode) == (0, 1)
    assert "结论：通过" in default.stdout and "结论：未通过" in strict.stdout
    page = run_cli("check", str(sub), "--format", "html", "--fail-on", "warning").stdout
    assert '<span class="fail">未通过</span>' in page


def test_csv_names_the_other_table_a_finding_concerns():
    proc = run_cli("check", str(SAMPLES / "xinjiang-2023-tailings.xlsx"), "--format", "csv")
    rows = list(csv.reader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    assert rows[0][-1] == "另见"
    related = {(r[4], r[8]): r[-1] for r in rows[1:] if r[-1]}
    # The renamed indicator points back at the issued target table, in the same workbook.
    assert related[("IS003", "自评表!D22")] == "绩效目标表!E10 隐患治理率"
