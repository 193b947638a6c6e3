"""The bundled samples, checked through the command line: the defects documented in
samples/README.md are found at their place with the value they should have, and the
clean sample raises nothing."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import run_cli


def findings_of(path: str, *extra: str) -> tuple[int, list[dict], dict]:
    proc = run_cli("check", path, "--format", "json", *extra)
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    return proc.returncode, doc["files"][0]["findings"], doc


def find(findings: list[dict], rule: str, path: str) -> dict:
    hits = [f for f in findings if f["rule"] == rule and f["location"]["path"] == path]
    assert len(hits) == 1, f"{rule} at {path}: {[(f['rule'], f['location']['path']) for f in findings]}"
    return hits[0]


def test_clean_sample_has_no_findings():
    code, findings, _ = findings_of("samples/anshan-2024-transfer-clean.yaml")
    assert code == 0
    assert findings == []


def test_anshan_real_defects():
    code, findings, doc = findings_of("samples/anshan-2024-transfer.yaml")
    assert code == 1
    ex2 = find(findings, "EX002", "report.deviation_reasons")
    assert "5 个指标未完成" in ex2["message"]
    assert ex2["actual"] == "无"
    # 0% execution, explained only by the indicator reasons: 资金管理 says nothing (GUIDE §1h).
    ex7 = find(findings, "EX007", "funds.total.executed")
    assert ex7["severity"] == "warning"
    assert ex7["location"]["label"] == "年度资金总额"
    assert "0.00%" in ex7["message"]
    find(findings, "EX004", "notes")
    # The unmet indicators carry their reasons in the table: no TA001 there.
    assert not [f for f in findings if f["rule"] == "TA001"]
    # 157 = 94 + 63 with 地方资金 blank, and 0% = 0/157: no arithmetic finding.
    assert not [f for f in findings if f["category"] == "arithmetic"]
    # fund_type selects the safety-production pack: 联网在线率 90.00% with nothing built.
    assert doc["files"][0]["packs"] == ["standard", "safety-production"]
    sp5 = find(findings, "SP005", "indicators[4].actual")
    assert sp5["actual"] == "90.00%" and sp5["pack"] == "safety-production"
    assert ex7["pack"] == "safety-production"  # run under the pack's low_execution policy (90%)
    assert {f["rule"] for f in findings} == {"EX007", "EX002", "EX004", "SP005"}


DISASTER_RELIEF_DEFECTS = [
    ("EX007", "funds.total.executed", "warning"),
    ("DR008", "indicators[2].actual", "error"),
    ("DR005", "indicators[4].actual", "error"),
    ("DR001", "indicators[5].actual", "error"),
    ("DR003", "indicators[6].actual", "warning"),
    ("DR004", "indicators[7].actual", "warning"),
]


def test_disaster_relief_sample_defects():
    code, findings, doc = findings_of("samples/disaster-relief-2024-county.yaml")
    assert code == 1
    assert doc["files"][0]["packs"] == ["standard", "disaster-relief"]
    for rule, path, severity in DISASTER_RELIEF_DEFECTS:
        assert find(findings, rule, path)["severity"] == severity
    # 87.51% is above the standard 80% threshold: EX007 fires only under the pack's policy.
    assert find(findings, "EX007", "funds.total.executed")["pack"] == "disaster-relief"
    assert sorted((f["rule"], f["location"]["path"]) for f in findings) == sorted((r, p) for r, p, _ in DISASTER_RELIEF_DEFECTS)
    _, plain, _ = findings_of("samples/disaster-relief-2024-county.yaml", "--pack", "standard")
    assert plain == []


@pytest.mark.parametrize(
    "name,stated,items",
    [
        ("quxian-2024-monitoring-center.yaml", "96", "93"),
        ("quxian-2024-coal-integration.yaml", "95", "92"),
        ("quxian-2024-experts.yaml", "96", "93"),
        ("quxian-2024-coal-supervision.yaml", "95", "92"),
    ],
)
def test_quxian_stated_total_disagrees_with_item_scores(name, stated, items):
    code, findings, _ = findings_of(f"samples/{name}")
    assert code == 1
    f = find(findings, "AR021", "scorecard.stated_total")
    assert f["actual"] == stated
    assert f["expected"] == items
    assert f["severity"] == "error"
    assert [x["rule"] for x in findings if x["severity"] == "error"] == ["AR021"]


COUNTY_DEFECTS = [
    ("AR001", "funds.total.initial_budget", "5238.17万元"),
    ("AR004", "funds.total.balance", "61.57万元"),
    ("AR009", "funds.total.balance", "61.57万元"),
    ("AR007", "funds.sources[2].rate", "95.14%"),
    ("AR008", "funds.sources[2].rate", "95.14%"),
    ("FM001", "funds.sources[1].rate", None),
    ("FM002", "funds.reason", None),
    ("AR014", "indicator_groups[0]", "40"),
    ("TA008", "indicators[0].score", "8.00"),
    ("UN001", "indicators[1].actual", None),
    ("TA005", "indicators[2].target", None),
    ("TA002", "indicators[3].reason", None),
    ("TA004", "indicators[4].actual", None),
    ("FM006", "indicators[6]", None),
    ("FM007", "indicators[8]", None),
    ("UN002", "indicators[9].actual", None),
    ("TA001", "indicators[10].reason", None),
    ("AR016", "indicators[12].score", "≤ 10"),
    ("AR012", "total.score", "97.38"),
    ("AR025", "total.grade", "优"),
]


@pytest.fixture(scope="module")
def county():
    return findings_of("samples/county-2024-project-defects.yaml")


@pytest.mark.parametrize("rule,path,expected", COUNTY_DEFECTS)
def test_county_sample_defect(county, rule, path, expected):
    code, findings, _ = county
    assert code == 1
    f = find(findings, rule, path)
    if expected is not None:
        assert f["expected"] == expected


def test_county_transposition_is_named(county):
    f = find(county[1], "AR001", "funds.total.initial_budget")
    assert "数字互换" in f["message"]
    assert f["actual"] == "5283.17万元"


def test_county_rows_carry_their_labels(county):
    f = find(county[1], "TA001", "indicators[10].reason")
    assert f["location"]["label"] == "隐患整改率"
    f = find(county[1], "AR007", "funds.sources[2].rate")
    assert f["location"]["label"] == "其他资金"
    assert f["margin"].startswith("±")


def test_county_no_false_alarms(county):
    """Every error-severity finding is one of the documented defects."""
    documented = {(r, p) for r, p, _ in COUNTY_DEFECTS}
    extra = [(f["rule"], f["location"]["path"]) for f in county[1] if f["severity"] == "error"
             and (f["rule"], f["location"]["path"]) not in documented]
    assert extra == []


def test_json_output_matches_the_published_schema():
    from validator.resources import schema_path

    schema = json.loads(schema_path("report.schema.json").read_text(encoding="utf-8"))
    proc = run_cli("check", "samples/", "--format", "json")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc["version"] == 1
    assert doc["summary"]["files"] + doc["summary"]["not_checked"] == len(doc["files"]) >= 7
    # The folder's generator scripts and its README are listed as not checked, with the reason.
    skipped = {f["path"]: f["reason"] for f in doc["files"] if f["status"] == "not_checked"}
    assert set(skipped) == {"samples/make_workbooks.py", "samples/make_final_accounts.py", "samples/make_reports.py",
                            "samples/README.md"}
    assert "README" in skipped.pop("samples/README.md")
    assert all("不支持的文件类型" in r for r in skipped.values())


def test_english_messages():
    _, findings, _ = findings_of("samples/anshan-2024-transfer.yaml", "--lang", "en")
    f = find(findings, "EX002", "report.deviation_reasons")
    assert "indicator(s) were not met" in f["message_en"]
    proc = run_cli("check", "samples/anshan-2024-transfer.yaml", "--lang", "en", "--color", "never")
    assert "Errors" in proc.stdout and "EX002" in proc.stdout


def test_select_and_ignore(county):
    _, findings, _ = findings_of("samples/county-2024-project-defects.yaml", "--select", "AR")
    assert findings and all(f["rule"].startswith("AR") for f in findings)
    _, findings, _ = findings_of("samples/county-2024-project-defects.yaml", "--select", "unit")
    assert {f["rule"] for f in findings} == {"UN001", "UN002"}
    _, findings, _ = findings_of("samples/county-2024-project-defects.yaml", "--ignore", "AR,FM001")
    assert not [f for f in findings if f["rule"].startswith("AR") or f["rule"] == "FM001"]
    assert [f for f in findings if f["rule"] == "TA001"]


def test_rich_report_shows_location_value_and_hint():
    proc = run_cli("check", "samples/county-2024-project-defects.yaml", "--color", "never")
    assert proc.returncode == 1
    out = proc.stdout
    assert "AR007" in out and "funds.sources[2].rate 其他资金" in out
    assert "应为 95.14%" in out
    assert "建议" in out
    assert "未通过" in out


def test_html_report_written_to_file(tmp_path):
    out = tmp_path / "报告.html"
    proc = run_cli("check", "samples/county-2024-project-defects.yaml", "--format", "html", "-o", str(out))
    assert proc.returncode == 1
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "AR007" in html and "95.14%" in html
    again = run_cli("check", "samples/county-2024-project-defects.yaml", "--format", "html", "-o", str(out))
    assert again.returncode == 2 and "--force" in again.stderr
    assert out.read_text(encoding="utf-8") == html


@pytest.mark.parametrize("name", ["anshan-2024-transfer", "quxian-2024-monitoring-center", "quxian-2024-experts"])
def test_workbook_gives_the_same_findings_as_its_yaml(name):
    """The hand-built workbooks mirror the YAML samples cell for cell; only findings on
    the narrative report (not part of a workbook) differ."""
    narrative = {"report.deviation_reasons", "scorecard.stated_total", "report.stated_score"}
    _, from_yaml, _ = findings_of(f"samples/{name}.yaml")
    _, from_xlsx, _ = findings_of(f"samples/{name}.xlsx")
    key = lambda f: (f["rule"], f["location"]["path"], f["expected"])  # noqa: E731
    assert sorted(map(key, from_xlsx)) == sorted(key(f) for f in from_yaml if f["location"]["path"] not in narrative)
    for f in from_xlsx:
        assert f["location"]["sheet"] == "自评表" and f["location"]["cell"], f


def test_workbook_findings_name_sheet_and_cell():
    _, findings, _ = findings_of("samples/anshan-2024-transfer.xlsx")
    f = find(findings, "EX004", "notes")
    assert (f["location"]["sheet"], f["location"]["cell"]) == ("自评表", "C32")
    proc = run_cli("check", "samples/anshan-2024-transfer.xlsx", "--color", "never")
    assert "自评表!D8 年度资金总额" in proc.stdout
