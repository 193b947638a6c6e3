"""docs/tutorial-rule-pack.md can be followed word for word: its files (each marked
`<!-- file: PATH -->` before its code block) are extracted into a fresh folder, and
`rules lint`, `rules test` and `check` give what the tutorial shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

TUTORIAL = ROOT / "docs" / "tutorial-rule-pack.md"
PACK = "教育薄弱环节/"
SAMPLE = "示例/云溪县-2024-薄弱环节.yaml"
FILE_BLOCK = re.compile(r"^<!-- file: (?P<path>[^>]+?) -->\n```[a-z]*\n(?P<body>.*?)^```$", re.S | re.M)
OUTPUT_BLOCK = r"^<!-- output: {name} -->\n```[a-z]*\n(?P<body>.*?)^```$"


def tutorial_text() -> str:
    return TUTORIAL.read_text(encoding="utf-8")


def shown_output(name: str) -> str:
    m = re.search(OUTPUT_BLOCK.format(name=re.escape(name)), tutorial_text(), re.S | re.M)
    assert m, f"no <!-- output: {name} --> block in the tutorial"
    return m["body"].rstrip("\n")


@pytest.fixture()
def workdir(tmp_path: Path) -> Path:
    files = {m["path"]: m["body"] for m in FILE_BLOCK.finditer(tutorial_text())}
    assert {"教育薄弱环节/pack.yaml", "教育薄弱环节/01-阈值.yaml", SAMPLE} <= set(files)
    assert len([p for p in files if p.startswith(PACK + "fixtures/")]) == 3
    for rel, body in files.items():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    return tmp_path


def test_rules_lint_is_clean(workdir):
    proc = run_cli("rules", "lint", PACK, cwd=workdir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "规则包没有问题"


def test_rules_test_passes(workdir):
    proc = run_cli("rules", "test", "--rules", PACK, "weak-schools", cwd=workdir)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    m = re.fullmatch(r"(\d+) passed, 0 failed", last)
    assert m, last
    cases = sum(len(re.findall(r"^  - name:", p.read_text(encoding="utf-8"), re.M))
                for p in (workdir / PACK / "fixtures").glob("*.yaml"))
    assert int(m[1]) == cases == 7


def test_check_sample_finds_what_the_tutorial_says(workdir):
    proc = run_cli("check", SAMPLE, "--rules", PACK, "--format", "json", cwd=workdir)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)["files"][0]
    assert doc["packs"] == ["standard", "weak-schools"]
    assert sorted((f["rule"], f["location"]["path"]) for f in doc["findings"]) == [
        ("ED001", "indicators[3].actual"), ("ED002", "indicators[1].actual"), ("EX007", "funds.total.executed")]


def test_the_deliberate_typo_gives_the_error_shown(workdir):
    rule_file = workdir / PACK / "01-阈值.yaml"
    text = rule_file.read_text(encoding="utf-8")
    assert 'matches(item.name, "校舍' in text
    rule_file.write_text(text.replace('matches(item.name, "校舍', 'matches(item.nmae, "校舍'), encoding="utf-8")
    proc = run_cli("rules", "lint", PACK, cwd=workdir)
    assert proc.returncode == 1
    assert proc.stdout.rstrip("\n") == shown_output("typo")
