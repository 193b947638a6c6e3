"""Broken input never gives a traceback: a finding, or one line on stderr and exit 2,
and the input file is left as it was."""

from __future__ import annotations

import hashlib
import json

import pytest

from conftest import run_cli

UNUSABLE = {
    "empty.yaml": (b"", "文件为空"),
    "spaces.yaml": (b"  \n\n", "文件为空"),
    "broken.yaml": ("kind: [transfer\n".encode(), "YAML 格式错误（第 2 行"),
    "broken.json": (b'{"kind": "transfer",', "JSON 格式错误"),
    "list.yaml": (b"- 1\n- 2\n", "顶层应为映射"),
    "scalar.json": (b"42", "顶层应为映射"),
    "binary.yaml": (bytes(range(256)) * 4, "不是 UTF-8 或 GBK/GB18030"),
    "python-tag.yaml": (b'!!python/object/apply:os.system ["echo pwned"]\n', "YAML 格式错误"),
    "notes.csv": (b"kind: transfer\n", "不支持的文件类型"),
}


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_unusable_input_is_one_line_and_exit_2(tmp_path, name):
    content, message = UNUSABLE[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    proc = run_cli("check", str(path))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and message in lines[0] and name in lines[0]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_unusable_file_in_json_has_error_and_exit_2(tmp_path):
    (tmp_path / "a.yaml").write_text("kind: [x\n", encoding="utf-8")
    proc = run_cli("check", str(tmp_path / "a.yaml"), "--format", "json", "--lang", "en")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert doc["files"][0]["findings"] == []
    assert "malformed YAML" in doc["files"][0]["error_en"]
    assert "malformed YAML" in proc.stderr


def test_missing_path(tmp_path):
    proc = run_cli("check", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2 and "不存在" in proc.stderr


def test_wrong_types_are_findings_with_paths(tmp_path):
    path = tmp_path / "types.yaml"
    path.write_text("kind: transfer\nfunds: 5\nindicators: {a: 1}\n", encoding="utf-8")
    proc = run_cli("check", str(path), "--format", "json")
    assert proc.returncode == 1
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    by_path = {f["location"]["path"]: f for f in findings if f["rule"] == "SC001"}
    assert "应为映射" in by_path["funds"]["message"]
    assert "应为列表" in by_path["indicators"]["message"]
    assert any(f["rule"] == "SC900" for f in findings)


def test_unknown_field_suggests_and_rules_still_run(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text(
        "kind: transfer\nfunds:\n  total: {label: 年度资金总额, budget: 157, executd: 0}\n"
        "  sources: [{label: 中央补助, source: central, budget: 90}]\n",
        encoding="utf-8",
    )
    proc = run_cli("check", str(path), "--format", "json")
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    sc = [f for f in findings if f["rule"] == "SC002"]
    assert sc and "executed" in sc[0]["message"] and sc[0]["location"]["path"] == "funds.total"
    assert [f for f in findings if f["rule"] == "AR002"], "rules still run once unknown fields are dropped"


def test_text_and_negative_amounts_are_findings(tmp_path):
    path = tmp_path / "text.yaml"
    path.write_text(
        "kind: transfer\nfunds:\n  total: {label: 合计, budget: 约157, executed: -5}\n"
        "  sources: [{source: central, budget: 94}]\n",
        encoding="utf-8",
    )
    proc = run_cli("check", str(path), "--format", "json")
    assert proc.returncode == 1
    findings = {(f["rule"], f["location"]["path"]) for f in json.loads(proc.stdout)["files"][0]["findings"]}
    assert ("FM005", "funds.total.budget") in findings
    assert ("AR019", "funds.total.executed") in findings


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_chinese_encodings(tmp_path, encoding):
    path = tmp_path / "gbk.yaml"
    text = "kind: transfer\nfunds:\n  total: {label: 年度资金总额, budget: 157}\n  sources: [{label: 中央补助, source: central, budget: 90}]\n"
    path.write_bytes(text.encode(encoding))
    proc = run_cli("check", str(path), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    f = [f for f in findings if f["rule"] == "AR002"][0]
    assert f["location"]["label"] == "年度资金总额"


def test_broken_rule_pack_is_reported_with_file_and_line(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "r.yaml").write_text(
        "rules:\n  - id: XX001\n    title: t\n    category: arithmetic\n    severity: error\n"
        "    assert: funds.total.budget + funds.total.rate > 0\n    message: m\n    message_en: m\n    rationale: r\n",
        encoding="utf-8",
    )
    proc = run_cli("check", "samples/anshan-2024-transfer.yaml", "--rules", str(pack))
    assert proc.returncode == 2
    first = proc.stderr.splitlines()[0]
    assert f"{pack / 'r.yaml'}:6:" in first and "单位不一致" in first
    assert "^" in proc.stderr and "Traceback" not in proc.stderr


def test_rule_file_schema_error_names_the_line(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "r.yaml").write_text(
        "rules:\n  - id: XX001\n    title: t\n    category: arithmetic\n    severity: fatal\n"
        "    assert: 'true'\n    message: m\n    message_en: m\n    rationale: r\n",
        encoding="utf-8",
    )
    proc = run_cli("check", "samples/anshan-2024-transfer.yaml", "--rules", str(pack))
    assert proc.returncode == 2
    assert f"{pack / 'r.yaml'}:5:" in proc.stderr and "severity" in proc.stderr


def test_duplicate_rule_id_across_packs(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "r.yaml").write_text(
        "rules:\n  - id: AR001\n    title: t\n    category: arithmetic\n    severity: error\n"
        "    assert: 'true'\n    message: m\n    message_en: m\n    rationale: r\n",
        encoding="utf-8",
    )
    proc = run_cli("check", "samples/anshan-2024-transfer.yaml", "--rules", str(pack))
    assert proc.returncode == 2 and "AR001" in proc.stderr and "重复" in proc.stderr
