"""The README's "write your first rule" works as printed, and the error it shows is the
one selfeval prints."""

from __future__ import annotations

import json
import re

from conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def write_pack(tmp_path):
    blocks = re.findall(r"```yaml\n# 我的规则包/(\S+)\n(.*?)```", README, re.S)
    assert [name for name, _ in blocks] == ["pack.yaml", "rules.yaml"]
    folder = tmp_path / "我的规则包"
    folder.mkdir()
    for name, body in blocks:
        (folder / name).write_text(body, encoding="utf-8")
    return folder


def test_first_rule_runs(tmp_path):
    folder = write_pack(tmp_path)
    sub = tmp_path / "s.yaml"
    sub.write_text(
        "kind: transfer\nindicators:\n  - {level1: 满意度指标, level2: 服务对象满意度指标, name: 服务对象满意度, target: \"≥80%\", actual: \"85%\"}\n",
        encoding="utf-8",
    )
    proc = run_cli("check", str(sub), "--rules", str(folder), "--select", "MY", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert [(f["rule"], f["location"]["path"], f["severity"]) for f in findings] == [("MY001", "indicators[0].actual", "warning")]
    assert "85%" in findings[0]["message"]


def test_readme_error_example_is_what_selfeval_prints(tmp_path):
    folder = write_pack(tmp_path)
    rules = folder / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("item.actual >= param.floor", "item.actul >= param.floor"), encoding="utf-8")
    proc = run_cli("check", "samples/anshan-2024-transfer.yaml", "--rules", str(folder))
    assert proc.returncode == 2
    shown = re.search(r"```\n(我的规则包/rules.yaml:.*?)```", README, re.S).group(1).rstrip("\n").splitlines()
    printed = proc.stderr.rstrip("\n").splitlines()
    assert printed[0] == "selfeval: " + str(folder.parent / shown[0])
    assert printed[1:] == shown[1:]
