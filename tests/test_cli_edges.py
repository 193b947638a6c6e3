"""Sharp edges a new user hit: typos that used to check nothing and pass, files skipped
without a word, half-English reports, options that were silently ignored."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "county-2024-project-defects.yaml"
CLEAN = SAMPLES / "anshan-2024-transfer-clean.yaml"


# --- --select / --ignore / --pack: a typo is an error, with what was meant --------------

@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("value, guess", [("XX999", None), ("AR07", "AR007"), ("AR7", "AR007"), ("arithmetc", "arithmetic"),
                                          ("targetactual", "target_actual"), ("AR001,TA1", "TA001")])
def test_unknown_selector_exits_2_with_did_you_mean(option, value, guess):
    proc = run_cli("check", str(SAMPLE), option, value)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "不是已知的规则编号、编号前缀或类别" in lines[0]
    if guess:
        assert f"是否应为 {guess}？" in lines[0]
    else:
        assert "arithmetic" in lines[0], "lists what may be given"


@pytest.mark.parametrize("value", ["AR", "ar007", "target_actual", "WV", "SC003", "AR001,UN"])
def test_known_selectors_are_accepted(value):
    proc = run_cli("check", str(SAMPLE), "--select", value, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr


def test_unknown_selector_in_english():
    proc = run_cli("check", str(SAMPLE), "--ignore", "AR07", "--lang", "en")
    assert proc.returncode == 2 and "did you mean AR007?" in proc.stderr


def test_misspelled_pack_says_did_you_mean():
    proc = run_cli("check", str(SAMPLE), "--pack", "standrd")
    assert proc.returncode == 2 and "是否应为“standard”" in proc.stderr


def test_waiver_naming_an_unknown_rule_is_a_warning_with_did_you_mean(tmp_path):
    sub = tmp_path / "x.yaml"
    sub.write_bytes(CLEAN.read_bytes())
    (tmp_path / "x.waivers.yaml").write_text("waivers:\n  - {rule: MF005, path: funds.total.rate, reason: 财政局同意}\n", encoding="utf-8")
    proc = run_cli("check", str(sub), "--format", "json")
    assert proc.returncode == 0, "a waiver is data: a warning, not a failure"
    [wv] = [f for f in json.loads(proc.stdout)["files"][0]["findings"] if f["rule"] == "WV003"]
    assert wv["severity"] == "warning" and "MF005" in wv["message"] and "是否应为 FM005" in wv["message"]
    assert "did you mean FM005" in wv["message_en"]


# --- every file of a folder appears --------------------------------------------------------

def folder_with_everything(tmp_path):
    folder = tmp_path / "报送"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(CLEAN, folder / "a.yaml")
    (folder / "a.yaml.waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    (folder / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "c.csv").write_text("a,b\n", encoding="utf-8")
    (folder / "photo.png").write_bytes(b"\x89PNG")
    (folder / "sub" / "old.xlsb").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "~$a.xlsx").write_bytes(b"lock")
    (folder / "~$b.xlsx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"x")
    (folder / ".git").mkdir()
    (folder / ".git" / "config.yaml").write_text("x: 1\n", encoding="utf-8")
    return folder


def test_every_file_of_a_folder_is_listed_with_the_reason(tmp_path):
    folder = folder_with_everything(tmp_path)
    proc = run_cli("check", str(folder), "--format", "json")
    assert proc.returncode == 0, "files not checked never change the exit code"
    doc = json.loads(proc.stdout)
    by_name = {os.path.relpath(f["path"], folder): f for f in doc["files"]}
    assert sorted(by_name) == ["a.yaml", "a.yaml.waivers.yaml", "b.doc", "c.csv", "photo.png", "sub/old.xlsb"]
    assert by_name["a.yaml"]["status"] == "checked"
    reasons = {name: f["reason"] for name, f in by_name.items() if f["status"] == "not_checked"}
    assert "随 a.yaml 一起读取" in reasons["a.yaml.waivers.yaml"]
    assert "旧版 Word 文档（.doc）" in reasons["b.doc"] and "请另存为 .docx" in reasons["b.doc"]
    assert "请另存为 .xlsx" in reasons["c.csv"] and "请另存为 .xlsx" in reasons["sub/old.xlsb"]
    assert "图片" in reasons["photo.png"] and "请另存为" not in reasons["photo.png"]
    assert doc["summary"]["not_checked"] == 5 and doc["summary"]["files"] == 1
    assert doc["summary"]["ignored"] == {"lock_files": 2, "hidden": 2}


def test_save_as_advice_only_names_a_type_that_is_read(monkeypatch, tmp_path):
    from validator.read import SUPPORTED_SUFFIXES
    from validator.read.unsupported import reason

    zh, en = reason(tmp_path / "x.doc")
    assert "请另存为 .docx" in zh and "save it as .docx" in en
    monkeypatch.setattr("validator.read.unsupported.SUPPORTED_SUFFIXES", SUPPORTED_SUFFIXES - {".docx"})
    assert "请另存为" not in reason(tmp_path / "x.doc")[0], "no advice to save as a type that is not read either"


@pytest.mark.parametrize("lang, words", [("zh", ["未检查的文件 (5)", "2 个 Excel 锁定文件已忽略", "2 个隐藏文件或目录已忽略", "5 个未检查"]),
                                         ("en", ["Files not checked (5)", "2 Excel lock file(s) ignored", "5 not checked"])])
def test_terminal_report_lists_what_was_not_checked(tmp_path, lang, words):
    folder = folder_with_everything(tmp_path)
    proc = run_cli("check", str(folder), "--lang", lang, "--color", "never")
    assert proc.returncode == 0
    flat = proc.stdout.replace("\n", "")  # a long verdict wraps
    for w in words:
        assert w in flat, w
    assert "b.doc" in proc.stdout


def test_html_and_jsonl_list_what_was_not_checked(tmp_path):
    folder = folder_with_everything(tmp_path)
    page = run_cli("check", str(folder), "--format", "html").stdout
    assert "未检查的文件 (5)" in page and "b.doc" in page and "2 个 Excel 锁定文件已忽略" in page
    rows = [json.loads(line) for line in run_cli("check", str(folder), "--format", "jsonl").stdout.splitlines()]
    assert [r["status"] for r in rows].count("not_checked") == 5 and all("reason_en" in r for r in rows if r["status"] == "not_checked")


def test_a_folder_with_nothing_to_check_says_what_it_holds(tmp_path):
    (tmp_path / "a.doc").write_bytes(b"x")
    (tmp_path / "b.doc").write_bytes(b"x")
    proc = run_cli("check", str(tmp_path))
    assert proc.returncode == 2
    assert "没有找到可检查的文件" in proc.stderr and ".doc 2 个" in proc.stderr


def test_a_file_named_on_the_command_line_is_tried_whatever_its_type(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(b"x")
    proc = run_cli("check", str(path))
    assert proc.returncode == 2 and "旧版 Word 文档" in proc.stderr


# --- waiver side file names ------------------------------------------------------------

def _with_finding(tmp_path):
    """A copy of the defects sample and the path of its AR007 finding."""
    sub = tmp_path / "x.yaml"
    sub.write_bytes(SAMPLE.read_bytes())
    return sub, "funds.sources[2].rate"


@pytest.mark.parametrize("side", ["x.waivers.yaml", "x.yaml.waivers.yaml"])
def test_both_side_file_names_are_read(tmp_path, side):
    sub, path = _with_finding(tmp_path)
    (tmp_path / side).write_text(f"waivers:\n  - {{rule: AR007, path: '{path}', reason: 按财政局口径}}\n", encoding="utf-8")
    findings = json.loads(run_cli("check", str(sub), "--format", "json").stdout)["files"][0]["findings"]
    [ar007] = [f for f in findings if f["rule"] == "AR007" and f["location"]["path"] == path]
    assert ar007["waived"]["source"].startswith(str(tmp_path / side))


@pytest.mark.parametrize("near", ["x.waiver.yaml", "x.waivers.yml", "X.Waivers.yaml", "x_waivers.yaml", "x.yaml.waiver.yaml"])
def test_near_miss_side_file_gives_a_notice(tmp_path, near):
    sub, path = _with_finding(tmp_path)
    (tmp_path / near).write_text(f"waivers:\n  - {{rule: AR007, path: '{path}', reason: 按财政局口径}}\n", encoding="utf-8")
    doc = json.loads(run_cli("check", str(tmp_path), "--format", "json").stdout)
    by_name = {os.path.basename(f["path"]): f for f in doc["files"]}
    [notice] = [f for f in by_name["x.yaml"]["findings"] if f["rule"] == "WV004"]
    assert near in notice["message"] and "x.waivers.yaml" in notice["message"] and notice["severity"] == "warning"
    assert by_name[near]["status"] == "not_checked" and "未按规定命名" in by_name[near]["reason"]
    assert not any(f.get("waived") for f in by_name["x.yaml"]["findings"]), "its waivers are not read"


def test_an_unrelated_waiver_file_is_no_near_miss(tmp_path):
    sub, _ = _with_finding(tmp_path)
    (tmp_path / "xy.waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    findings = json.loads(run_cli("check", str(sub), "--format", "json").stdout)["files"][0]["findings"]
    assert not [f for f in findings if f["rule"] == "WV004"]


def test_dates_written_without_quotes_are_read_as_written(tmp_path):
    """YAML reads `2025-12-31` as a date object unless quoted; selfeval reads it as the
    text written, as a cell is. A waiver's expiry and a deadline cell both work unquoted:
    neither the file nor the table is refused over quotes."""
    sub, path = _with_finding(tmp_path)
    (tmp_path / "x.waivers.yaml").write_text(
        f"waivers:\n  - rule: AR007\n    path: '{path}'\n    reason: 按财政局口径\n    expires: 2099-12-31\n"
        f"  - rule: AR007\n    path: '{path}'\n    reason: 旧的\n    expires: 2001-01-01\n", encoding="utf-8")
    findings = json.loads(run_cli("check", str(sub), "--format", "json").stdout)["files"][0]["findings"]
    [ar007] = [f for f in findings if f["rule"] == "AR007" and f["location"]["path"] == path]
    assert ar007["waived"]["expires"] == "2099-12-31"
    assert [f for f in findings if f["rule"] == "WV002" and "2001-01-01" in f["message"]]
    from validator.read.text import parse_text

    assert parse_text("a: 2024-12-30\nb: 2024-12-30 10:00:00\n", "yaml", "x.yaml") == {"a": "2024-12-30", "b": "2024-12-30 10:00:00"}
    text = SAMPLE.read_text(encoding="utf-8")
    block = re.search(r'    initial_target: "＝5家"\n    target: "＝5家"\n    actual: 4家\n(?:.*\n){3}    reason: .*\n', text)[0]

    def first_indicator(actual: str) -> list:
        written = tmp_path / f"deadline-{actual}.yaml"
        written.write_text(text.replace(block, f"    initial_target: 2024-12-30\n    target: 2024-12-30\n    actual: {actual}\n"
                                               "    weight: 10\n    score: 10\n"), encoding="utf-8")
        findings = json.loads(run_cli("check", str(written), "--format", "json").stdout)["files"][0]["findings"]
        assert not [f for f in findings if f["rule"].startswith("SC")], "a date cell is a cell"
        return sorted((f["rule"], f["location"]["path"]) for f in findings if f["location"]["path"].startswith("indicators[0]"))

    # Done after the deadline and no reason given: reported; done before it: nothing to say.
    assert first_indicator("2025-03-01") == [("TA001", "indicators[0].reason")]
    assert first_indicator("2024-12-01") == []


def test_numbers_yaml_1_1_would_change_are_read_as_written():
    """YAML 1.1 reads 1:30 as 90 (base 60) and 010 as 8 (octal): a table never means
    that. They stay the text written; 010 is then the number ten to the value notation."""
    from validator.domain.notation import parse_value
    from validator.read.text import parse_text

    doc = parse_text("a: 1:30\nb: 010\nc: 0x1F\nd: 0o17\ne: 12\nf: -0\ng: +5\nh: 1_000\n", "yaml", "x.yaml")
    assert doc == {"a": "1:30", "b": "010", "c": "0x1F", "d": "0o17", "e": 12, "f": 0, "g": 5, "h": 1000}
    assert parse_value(doc["b"]).number == 10 and parse_value(doc["a"]).number is None


# --- English throughout ------------------------------------------------------------------

def test_english_report_shows_rule_titles_and_english_values():
    proc = run_cli("check", str(SAMPLES), "--lang", "en", "--color", "never")
    out = proc.stdout
    assert "AR007  Execution rate equals executed ÷ budget" in out
    assert "/ or 0%" in out and "/ 或 0%" not in out
    for zh in ("结论", "汇总", "错误 (", "建议：", "位置：", "应为：", "未通过", "算术一致性"):
        assert zh not in out, zh
    page = run_cli("check", str(SAMPLES), "--lang", "en", "--format", "html").stdout
    assert "Execution rate equals executed ÷ budget" in page and "/ or 0%" in page and "/ 或 0%" not in page


def test_chinese_report_keeps_chinese_titles():
    out = run_cli("check", str(SAMPLE), "--color", "never").stdout
    assert "AR007  预算执行率应等于全年执行数除以全年预算数" in out


# --- --explain honours --format and -o ---------------------------------------------------

def test_explain_writes_json_and_html_and_files(tmp_path):
    target = "AR007@funds.sources[2].rate"
    doc = json.loads(run_cli("check", str(SAMPLE), "--explain", target, "--format", "json").stdout)
    [e] = doc["explanations"]
    assert e["path"] == str(SAMPLE) and e["target"] == target and "ratio(item.executed, item.budget)" in e["text"]
    out = tmp_path / "why.html"
    proc = run_cli("check", str(SAMPLE), "--explain", target, "--format", "html", "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "ratio(item.executed, item.budget)" in page
    text = tmp_path / "why.txt"
    assert run_cli("check", str(SAMPLE), "--explain", target, "-o", str(text)).returncode == 0
    assert "== " + str(SAMPLE) in text.read_text(encoding="utf-8")


# --- rules list / show -------------------------------------------------------------------

@pytest.mark.parametrize("columns", [50, 80, 160])
def test_rules_list_never_cuts_a_title(columns):
    import subprocess
    import sys

    from conftest import ROOT
    from validator import Validator

    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS=str(columns))
    out = subprocess.run([sys.executable, "-m", "validator", "rules", "list"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=600).stdout
    flat = re.sub(r"\s+", "", out)
    for rule in Validator(preview=True).packset.all_rules():
        assert re.sub(r"\s+", "", rule.title) in flat, rule.id
    assert "…" not in out
    assert "算术一致性" in out and "错误" in out and "稳定" in out
    assert "arithmetic" not in out and "stable" not in out


def test_rules_show_renders_markdown():
    out = run_cli("rules", "show", "AR007").stdout
    assert "AR007 预算执行率应等于全年执行数除以全年预算数" in out
    assert not re.search(r"^#", out, re.M) and "|---|" not in out and "**" not in out
    raw = run_cli("rules", "show", "AR007", "--format", "markdown").stdout
    assert raw.startswith("# AR007")


# --- argparse, said in the user's language ---------------------------------------------

@pytest.mark.parametrize("args, words", [
    (["chek", "x"], ["未知命令“chek”", "是否应为 check？"]),
    (["check", "x", "--formt", "json"], ["未知选项 --formt", "是否应为 --format？"]),
    (["check", "x", "--format", "jsn"], ["“jsn”无效", "是否应为 json？"]),
    (["rules"], ["缺少命令（list、show、test、docs、lint）"]),
    (["rules", "lst"], ["未知命令“lst”", "是否应为 list？"]),
    (["check"], ["缺少要检查的文件或目录"]),
    (["check", "x", "--jobs", "many"], ["-j/--jobs 需要整数"]),
    (["--versoin"], ["未知选项 --versoin", "是否应为 --version？"]),
])
def test_command_line_mistakes_are_said_in_chinese(args, words):
    proc = run_cli(*args)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])
    for internal in ("rules_command", "invalid choice", "the following arguments", "unrecognized"):
        assert internal not in lines[0]


def test_command_line_mistakes_in_english():
    proc = run_cli("--lang", "en", "rules", "lst")
    assert proc.returncode == 2 and "unknown command 'lst'" in proc.stderr and "did you mean list?" in proc.stderr
    assert "rules_command" not in proc.stderr


def test_help_is_chinese():
    out = run_cli("--help").stdout
    assert out.startswith("用法：") and "显示本帮助并退出" in out


def test_a_folders_readme_is_listed_not_read_as_a_report(tmp_path):
    """README.md describes a folder; it is not a unit's report (a report would get RP011, or
    worse, its sentences compared with a table beside it)."""
    shutil.copy(CLEAN, tmp_path / "anshan.yaml")
    (tmp_path / "README.md").write_text("# 样例\n\n本项目自评得分98分，评价等级为良。\n", encoding="utf-8")
    proc = run_cli("check", str(tmp_path), "--format", "json")
    doc = json.loads(proc.stdout)
    by = {os.path.basename(f["path"]): f for f in doc["files"]}
    assert by["README.md"]["status"] == "not_checked" and "README" in by["README.md"]["reason"]
    assert by["anshan.yaml"]["status"] == "checked"
    # Named on the command line, it is read as asked.
    named = json.loads(run_cli("check", str(tmp_path / "README.md"), "--format", "json").stdout)
    assert named["files"][0]["kind"] == "report"
