"""Reports checked from the command line, as a bureau runs it: Word, PDF and Markdown reports
beside their tables (samples/reports/), paired by name or by --report; every contradiction
with both places; a scan, an old .doc and a huge report handled as the readers promise."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT, SAMPLES, run_cli

REPORTS = SAMPLES / "reports"
FIXTURES = ROOT / "tests" / "fixtures"


def check_json(*args: str, cwd: Path | None = None) -> tuple[int, dict]:
    proc = run_cli("check", *args, "--format", "json", cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def by_name(doc: dict) -> dict[str, dict]:
    return {Path(f["path"]).name: f for f in doc["files"]}


def report_rules(entry: dict) -> list[tuple]:
    return sorted((f["rule"], f["severity"], f["location"].get("paragraph"), f["location"].get("page"))
                  for f in entry["findings"] if f["rule"].startswith("RP"))


@pytest.fixture(scope="module")
def folder():
    code, doc = check_json(str(REPORTS))
    assert code == 1
    return doc


def test_each_report_is_paired_with_its_own_table_in_a_folder_of_several_units(folder):
    files = by_name(folder)
    # no report of the folder lacks its table (RP011), none was given another unit's
    assert not [f for f in folder["files"] for x in f["findings"] if x["rule"] == "RP011"]
    rp = {name: report_rules(f) for name, f in files.items() if name.endswith((".docx", ".pdf", ".md"))}
    assert rp == {
        "anshan-2024-transfer-自评报告.docx": [("RP008", "error", 39, None)],
        "quxian-2024-monitoring-center-绩效评价报告.pdf": [("RP004", "error", 48, 3)],
        "xinjiang-2023-tailings-自评报告.md": [],
        "yunxi-2024-emergency-platform-自评报告.docx": [
            ("RP001", "error", 5, None), ("RP001", "error", 5, None), ("RP001", "error", 6, None),
            ("RP003", "error", 9, None), ("RP005", "error", 15, None), ("RP006", "error", 15, None),
            ("RP007", "warning", 7, None), ("RP008", "error", 12, None), ("RP009", "warning", 11, None),
            ("RP010", "warning", 10, None)],
        # A 决算 情况说明 beside its set: amounts against the tables, and its own rates.
        "yunxi-2024-final-accounts-情况说明.docx": [
            ("RP014", "error", 11, None), ("RP014", "error", 13, None), ("RP015", "error", 3, None),
            ("RP016", "error", 7, None), ("RP017", "error", 13, None)],
    }
    for name in rp:
        assert files[name]["kind"] == "report" and files[name]["packs"] == ["report"]


def test_the_json_names_the_paragraph_the_page_and_the_related_cell(folder):
    from validator.resources import schema_path

    jsonschema.Draft202012Validator(json.loads(schema_path("report.schema.json").read_text(encoding="utf-8"))).validate(folder)
    [rp4] = [f for f in by_name(folder)["quxian-2024-monitoring-center-绩效评价报告.pdf"]["findings"] if f["rule"] == "RP004"]
    assert rp4["location"] == {"path": "paragraphs[47]", "label": "“针对本次专项预算项目绩效自评，我单位自评结果为96分。”",
                               "paragraph": 48, "page": 3}
    [rp8] = [f for f in by_name(folder)["anshan-2024-transfer-自评报告.docx"]["findings"] if f["rule"] == "RP008"]
    assert rp8["related"][0] == {"path": "indicators[0].actual", "label": "重点非煤矿山在线监控系统", "sheet": "自评表", "cell": "F23",
                                 "origin": str(REPORTS / "anshan-2024-transfer.xlsx")}


def test_the_in_sheet_analysis_is_found_at_its_cell_in_the_tables_report(folder):
    files = by_name(folder)
    fire = files["yangcheng-2024-project-self-evals.xlsx#阳东一级消防站"]
    [rp10] = [f for f in fire["findings"] if f["rule"] == "RP010"]
    assert (rp10["location"]["sheet"], rp10["location"]["cell"]) == ("阳东一级消防站", "D23")
    assert fire["kind"] == "project" and fire["packs"] == ["standard", "report"]
    assert not [name for name in files if "项目绩效分析" in name]  # no entry of its own


def test_terminal_report_says_where_in_words_of_its_language():
    zh = run_cli("check", "quxian-2024-monitoring-center-绩效评价报告.pdf", "quxian-2024-monitoring-center.xlsx",
                 "--color", "never", cwd=REPORTS)
    assert zh.returncode == 1, zh.stderr
    assert "第3页第48段 “针对本次专项预算项目绩效自评，我单位自评结果为96分。”" in zh.stdout
    en = run_cli("check", "anshan-2024-transfer-自评报告.docx", "anshan-2024-transfer.xlsx", "--color", "never", "--lang", "en",
                 cwd=REPORTS)
    assert "paragraph 39 “三、偏离绩效目标的原因和下一步改进措施”" in en.stdout
    see_also = " ".join(en.stdout.split("See also:")[1].split("The report's section")[0].split())
    assert see_also.startswith("anshan-2024-transfer.xlsx 自评表!F23 重点非煤矿山在线监控系统; anshan-2024-transfer.xlsx 自评表!F24")


def _unit(tmp_path: Path, report: str, table: str, report_name: str, table_name: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPORTS / report, tmp_path / report_name)
    shutil.copyfile(REPORTS / table, tmp_path / table_name)
    return tmp_path


def test_a_report_and_a_table_given_together_pair_whatever_their_names(tmp_path):
    unit = _unit(tmp_path, "anshan-2024-transfer-自评报告.docx", "anshan-2024-transfer.xlsx", "关于2024年度绩效自评情况的报告.docx", "附件1.xlsx")
    _, doc = check_json(str(unit / "关于2024年度绩效自评情况的报告.docx"), str(unit / "附件1.xlsx"))
    assert report_rules(by_name(doc)["关于2024年度绩效自评情况的报告.docx"]) == [("RP008", "error", 39, None)]
    # a folder of one unit's files: one report, one table
    _, doc = check_json(str(unit))
    assert report_rules(by_name(doc)["关于2024年度绩效自评情况的报告.docx"]) == [("RP008", "error", 39, None)]


def test_a_folder_of_units_whose_names_do_not_match_is_not_merged(tmp_path):
    _unit(tmp_path, "anshan-2024-transfer-自评报告.docx", "anshan-2024-transfer.xlsx", "甲单位报告.docx", "乙单位自评表.xlsx")
    _unit(tmp_path, "yunxi-2024-emergency-platform-自评报告.docx", "yunxi-2024-emergency-platform.yaml", "丙单位报告.docx", "丁单位.yaml")
    _, doc = check_json(str(tmp_path))
    files = by_name(doc)
    # said, not guessed; what a report says of itself is still checked (98分 is 优, not 良)
    assert [f["rule"] for f in files["甲单位报告.docx"]["findings"]] == ["RP011"]
    assert sorted(f["rule"] for f in files["丙单位报告.docx"]["findings"]) == ["RP006", "RP011"]
    assert "--report" in files["甲单位报告.docx"]["findings"][0]["message_en"]
    # --report pairs them by hand
    _, doc = check_json(str(tmp_path / "乙单位自评表.xlsx"), "--report", str(tmp_path / "甲单位报告.docx"))
    assert report_rules(by_name(doc)["甲单位报告.docx"]) == [("RP008", "error", 39, None)]


def test_workers_check_a_units_files_together(folder):
    _, doc = check_json(str(REPORTS), "--jobs", "2")
    key = lambda d: sorted((f["path"], x["rule"], json.dumps(x["location"], ensure_ascii=False)) for f in d["files"] for x in f["findings"])  # noqa: E731
    assert key(doc) == key(folder)


def test_a_scan_is_one_notice_and_its_tables_are_still_checked(tmp_path):
    shutil.copyfile(FIXTURES / "scanned.pdf", tmp_path / "yunxi-2024-emergency-platform-自评报告.pdf")
    shutil.copyfile(REPORTS / "yunxi-2024-emergency-platform.yaml", tmp_path / "yunxi-2024-emergency-platform.yaml")
    code, doc = check_json(str(tmp_path))
    files = by_name(doc)
    assert [f["rule"] for f in files["yunxi-2024-emergency-platform-自评报告.pdf"]["findings"]] == ["RD001"]
    assert "OCR" in files["yunxi-2024-emergency-platform-自评报告.pdf"]["findings"][0]["message"]
    assert files["yunxi-2024-emergency-platform.yaml"]["findings"] == [] and code == 0


def test_an_old_word_report_is_refused_in_one_line(tmp_path):
    (tmp_path / "报告.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    shutil.copyfile(REPORTS / "yunxi-2024-emergency-platform.yaml", tmp_path / "表.yaml")
    proc = run_cli("check", str(tmp_path / "表.yaml"), "--report", str(tmp_path / "报告.doc"))
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert "旧版 Word 文档（.doc）" in line and line.endswith("请另存为 .docx")
    assert "自评表" in proc.stdout or "表.yaml" in proc.stdout  # the table is still checked


def test_a_huge_report_is_bounded_by_the_limits(tmp_path):
    proc = run_cli("check", str(REPORTS / "anshan-2024-transfer-自评报告.docx"), "--limit", "text_chars=2000")
    assert proc.returncode == 2
    assert "text_chars" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_report_finding_can_be_waived_by_its_paragraph(tmp_path):
    unit = _unit(tmp_path, "anshan-2024-transfer-自评报告.docx", "anshan-2024-transfer.xlsx", "anshan-自评报告.docx", "anshan.xlsx")
    (unit / "anshan-自评报告.waivers.yaml").write_text(
        "waivers:\n  - rule: RP008\n    path: paragraphs[38]\n    reason: 偏离原因见自评表未完成原因栏\n", encoding="utf-8")
    _, doc = check_json(str(unit))
    [rp8] = [f for f in by_name(doc)["anshan-自评报告.docx"]["findings"] if f["rule"] == "RP008"]
    assert rp8["waived"]["reason"] == "偏离原因见自评表未完成原因栏"
    assert by_name(doc)["anshan-自评报告.docx"]["summary"]["error"] == 0
