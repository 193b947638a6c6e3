"""The renderers: JSON against its schema, the Rich text report, the standalone HTML page."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from rich.cells import cell_len

from validator.check.findings import Finding, Location
from validator.report.render import render
from validator.report.html_report import to_html
from validator.report.json_report import to_json
from validator.report.report import FileReport, Report

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "validator/schemas/report.schema.json").read_text(encoding="utf-8"))

# A message carrying both HTML and Rich markup: both must come out as written.
HOSTILE = "完成值低于目标值 <script>alert(1)</script> [bold]x[/bold]"


def cell_finding() -> Finding:
    return Finding(
        rule="arith.funds-total",
        category="arithmetic",
        severity="error",
        title="资金总额等于各来源之和",
        message="年度资金总额应为 157.00，实际填写 150.00。",
        message_en="Total funds should be 157.00 but 150.00 is written.",
        location=Location("indicators[4].actual", "视频监控点位", "自评表", "G24"),
        expected="157.00",
        actual="150.00",
        # A Decimal where a string is expected: the JSON must still carry it as a string.
        computed=Decimal("157.004"),
        margin="±0.005",
        hint="核对各资金来源的金额后重新合计。",
        hint_en="Re-add the fund sources.",
        pack="standard",
    )


def path_finding() -> Finding:
    return Finding(
        rule="explain.deviation",
        category="explanation",
        severity="warning",
        title="偏差需说明",
        message=HOSTILE,
        message_en="Result below target without a reason.",
        location=Location("indicators[2].actual", "群众满意度"),
        expected="≥90%",
        actual="85%",
        hint="在偏差原因分析中写明原因。",
    )


def info_finding() -> Finding:
    return Finding(
        rule="form.blank-cell",
        category="form",
        severity="info",
        title="空白单元格",
        message="联系电话为空。",
        message_en="The phone number is blank.",
        location=Location("contact.phone"),
    )


@pytest.fixture
def report() -> Report:
    return Report([
        FileReport("samples/区县A.xlsx", "transfer", ["standard", "fund.education"],
                   [path_finding(), info_finding(), cell_finding()]),
        FileReport("samples/broken.xlsx", error="不是自评表：找不到绩效指标表头。"),
    ])


def rich_text(report: Report, lang: str = "zh", **kw) -> str:
    out = io.StringIO()
    kw.setdefault("color", False)
    assert render(report, "rich", lang=lang, stream=out, width=100, **kw) is None
    return out.getvalue()


# --- JSON -------------------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(SCHEMA)


def test_json_validates_against_schema(report):
    data = json.loads(to_json(report))
    errors = list(Draft202012Validator(SCHEMA).iter_errors(data))
    assert not errors, [e.message for e in errors]


def test_json_round_trips_values(report):
    out = to_json(report)
    assert "视频监控点位" in out  # ensure_ascii=False: readable, not \\u escapes
    data = json.loads(out)
    assert data["version"] == 1
    assert data["summary"] == {"error": 1, "warning": 1, "info": 1, "files": 2, "unusable": 1, "failed": 0,
                               "not_checked": 0, "ignored": {"lock_files": 0, "hidden": 0}}

    good, broken = data["files"]
    assert (good["path"], good["kind"], good["packs"]) == (
        "samples/区县A.xlsx", "transfer", ["standard", "fund.education"])
    assert good["summary"] == {"error": 1, "warning": 1, "info": 1}
    assert "error" not in good
    assert broken["error"] == "不是自评表：找不到绩效指标表头。"
    assert broken["findings"] == [] and broken["kind"] is None

    by_rule = {f["rule"]: f for f in good["findings"]}
    assert by_rule["arith.funds-total"] == {
        "rule": "arith.funds-total",
        "category": "arithmetic",
        "severity": "error",
        "title": "资金总额等于各来源之和",
        "message": "年度资金总额应为 157.00，实际填写 150.00。",
        "message_en": "Total funds should be 157.00 but 150.00 is written.",
        "location": {"path": "indicators[4].actual", "label": "视频监控点位",
                     "sheet": "自评表", "cell": "G24"},
        "expected": "157.00",
        "actual": "150.00",
        "computed": "157.004",
        "margin": "±0.005",
        "hint": "核对各资金来源的金额后重新合计。",
        "hint_en": "Re-add the fund sources.",
        "pack": "standard",
    }
    warning = by_rule["explain.deviation"]
    assert warning["location"] == {"path": "indicators[2].actual", "label": "群众满意度"}
    assert warning["message"] == HOSTILE
    assert (warning["expected"], warning["actual"]) == ("≥90%", "85%")
    assert not {"computed", "margin", "hint_en", "pack"} & warning.keys()
    assert by_rule["form.blank-cell"]["hint"] is None


@pytest.mark.parametrize("mutate", [
    lambda d: d["files"][0]["findings"][0].update(severity="fatal"),
    lambda d: d["files"][0]["findings"][0].update(category="style"),
    lambda d: d["files"][0]["findings"][0].pop("message_en"),
    lambda d: d["files"][0]["findings"][0].update(expected=157),
    lambda d: d["files"][0]["findings"][0]["location"].update(row=24),
    lambda d: d["files"][0]["summary"].pop("info"),
    lambda d: d["files"][0].update(extra=True),
    lambda d: d["summary"].pop("unusable"),
    lambda d: d["summary"].update(other=1),
    lambda d: d.update(version=2),
], ids=["severity", "category", "message_en", "number", "location-key", "file-summary",
        "file-key", "unusable", "summary-key", "version"])
def test_schema_rejects_contract_violations(report, mutate):
    data = json.loads(to_json(report))
    mutate(data)
    assert not Draft202012Validator(SCHEMA).is_valid(data)


@pytest.mark.parametrize("category", ["engine", "reader"])
def test_schema_allows_engine_and_reader_findings(category):
    f = Finding(rule="x", category=category, severity="error", title="t", message="m",
                message_en="m", location=Location("name"))
    data = json.loads(to_json(Report([FileReport("a.yaml", "project", [], [f])])))
    assert Draft202012Validator(SCHEMA).is_valid(data)


def test_render_json_returns_and_writes(report):
    out = io.StringIO()
    text = render(report, "json", stream=out)
    assert text == to_json(report)
    assert out.getvalue() == text + "\n"


def test_json_does_not_import_rich():
    code = ("import sys; from validator.report.report import Report; from validator.report.render import render;"
            "render(Report(), 'json'); render(Report(), 'html'); assert 'rich' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_unknown_format_and_language(report):
    with pytest.raises(ValueError):
        render(report, "pdf")
    with pytest.raises(ValueError):
        render(report, "json", lang="fr")


# --- Rich -------------------------------------------------------------------------------


def test_rich_chinese(report):
    out = rich_text(report)
    for rule in ("arith.funds-total", "explain.deviation", "form.blank-cell"):
        assert rule in out
    assert "自评表!G24 视频监控点位" in out
    assert "indicators[2].actual 群众满意度" in out
    for heading in ("错误", "警告", "提示", "算术一致性", "说明与解释", "表单规范"):
        assert heading in out
    assert "年度资金总额应为 157.00，实际填写 150.00。" in out
    assert HOSTILE in out  # Rich markup in a message is shown, not interpreted
    assert "建议：核对各资金来源的金额后重新合计。" in out
    assert "建议：在偏差原因分析中写明原因。" in out
    for value in ("157.00", "150.00", "157.004", "±0.005", "≥90%", "85%"):
        assert value in out
    assert "资金总额等于各来源之和" in out
    assert "转移支付自评表" in out and "standard, fund.education" in out
    # The unusable file shows its error; the verdict is a fail.
    assert "不是自评表：找不到绩效指标表头。" in out and "无法读取" in out
    assert "未通过" in out


def test_rich_groups_by_severity_then_section(report):
    out = rich_text(report)
    # The findings were given warning, info, error; they are shown error, warning, info.
    positions = [out.index(r) for r in ("arith.funds-total", "explain.deviation",
                                        "form.blank-cell")]
    assert positions == sorted(positions)
    assert out.index("算术一致性") < out.index("arith.funds-total")


def test_rich_english(report):
    out = rich_text(report, lang="en")
    for heading in ("Errors", "Warnings", "Notes", "Arithmetic consistency", "Explanations",
                    "Form conventions", "Summary", "transfer payment"):
        assert heading in out
    assert "Total funds should be 157.00 but 150.00 is written." in out
    assert "Hint: Re-add the fund sources." in out
    assert "自评表!G24 视频监控点位" in out
    assert "年度资金总额应为" not in out  # the Chinese message is replaced, not added
    assert "FAILED" in out


def test_rich_plain_output_fits_100_columns(report):
    long = Finding(rule="unit.mismatch", category="unit", severity="error", title="单位不一致",
                   message="单位不一致：" + "很长的说明" * 40, message_en="x",
                   location=Location("indicators[5].target", "培训人次", "自评表", "F30"))
    report.files[0].findings.append(long)
    out = rich_text(report)
    assert "\x1b[" not in out
    assert max(cell_len(line) for line in out.splitlines()) <= 100
    # A wrapped message stays indented under its finding.
    wrapped = [line for line in out.splitlines() if "很长的说明" in line]
    assert len(wrapped) > 1 and all(line.startswith("        ") for line in wrapped)


def test_rich_colour_switch(report, monkeypatch):
    for var in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(var, raising=False)
    assert "\x1b[" in rich_text(report, color=True)
    assert "\x1b[" not in rich_text(report, color=None)  # a StringIO is not a terminal


def test_rich_verdict_pass_and_counts():
    report = Report([FileReport("ok.yaml", "project", ["standard"], [path_finding()])])
    out = rich_text(report)
    assert "通过" in out and "未通过" not in out
    summary_row = next(line for line in out.splitlines()
                       if "ok.yaml" in line and "通过" in line)
    assert re.search(r"0\s+1\s+0\s+通过", summary_row)


# --- HTML -------------------------------------------------------------------------------


def test_html_page(report):
    page = to_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page and '<html lang="zh-CN">' in page
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "自评表!G24 视频监控点位" in page
    assert "indicators[2].actual 群众满意度" in page
    assert "年度资金总额应为 157.00，实际填写 150.00。" in page
    assert "<td>157.00</td><td>150.00</td>" in page
    assert "157.004" in page and "±0.005" in page
    assert "核对各资金来源的金额后重新合计。" in page
    assert "arith.funds-total" in page and "form.blank-cell" in page
    assert "不是自评表：找不到绩效指标表头。" in page
    for heading in ("错误", "警告", "提示", "算术一致性", "说明与解释", "未通过"):
        assert heading in page
    # Standalone: nothing loaded from elsewhere.
    assert not re.search(r"<link|<img|src=|url\(|@import", page)


def test_html_escapes_every_field():
    evil = "<x>&"
    f = Finding(rule=evil, category="form", severity="error", title=evil, message=evil,
                message_en=evil, location=Location(evil, evil, evil, evil), expected=evil,
                actual=evil, computed=evil, margin=evil, hint=evil, hint_en=evil)
    report = Report([FileReport(evil, "project", [evil], [f]),
                     FileReport("b.xlsx", error=evil)])
    for lang in ("zh", "en"):
        page = to_html(report, lang=lang)
        assert "<x>" not in page
        # rule, location, message, expected, actual, computed, margin, hint, the error, paths
        assert page.count("&lt;x&gt;&amp;") >= 10


def test_html_english(report):
    page = render(report, "html", lang="en")
    assert '<html lang="en">' in page
    for heading in ("Errors", "Rule", "Location", "Expected", "Actual", "Hint",
                    "Arithmetic consistency", "FAILED"):
        assert heading in page
    assert "Total funds should be 157.00 but 150.00 is written." in page
    assert "Re-add the fund sources." in page
