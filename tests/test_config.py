"""Project settings: selfeval.toml or [tool.selfeval], found upward from the path
checked; the command line wins; an unknown key is an error that says what was meant."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "county-2024-project-defects.yaml"


def project(tmp_path, settings: str, name: str = "selfeval.toml"):
    """A project folder with its settings at the top and a submission two folders down."""
    root = tmp_path / "project"
    sub = root / "2024" / "县区"
    sub.mkdir(parents=True)
    shutil.copy(SAMPLE, sub / "x.yaml")
    (root / name).write_text(settings, encoding="utf-8")
    return root, sub / "x.yaml"


def rules_of(proc) -> set[str]:
    return {f["rule"] for f in json.loads(proc.stdout)["files"][0]["findings"]}


def test_settings_are_found_upward_and_applied(tmp_path):
    root, sub = project(tmp_path, 'select = ["AR"]\nignore = "AR007"\nformat = "json"\n')
    proc = run_cli("check", str(sub))
    assert proc.returncode == 1, proc.stderr
    rules = rules_of(proc)
    assert rules and all(r.startswith("AR") for r in rules) and "AR007" not in rules


def test_pyproject_table_is_read(tmp_path):
    root, sub = project(tmp_path, '[project]\nname = "x"\n\n[tool.selfeval]\nselect = ["TA"]\nformat = "json"\n'
                                  '\n[tool.selfeval.limits]\nindicators = 2\n', name="pyproject.toml")
    proc = run_cli("check", str(sub))
    assert proc.returncode == 2 and "超过限制 indicators=2" in proc.stderr, "the limit from the settings"
    proc = run_cli("check", str(sub), "--limit", "indicators=1000")
    assert proc.returncode == 1 and all(r.startswith("TA") for r in rules_of(proc)), "--limit wins, limit by limit"


def test_pyproject_without_the_table_is_passed_over(tmp_path):
    root, sub = project(tmp_path, 'select = ["UN"]\nformat = "json"\n')
    (root / "2024" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    proc = run_cli("check", str(sub))
    assert all(r.startswith("UN") for r in rules_of(proc))


def test_nearest_settings_win(tmp_path):
    root, sub = project(tmp_path, 'select = ["UN"]\nformat = "json"\n')
    (sub.parent / "selfeval.toml").write_text('select = ["TA"]\nformat = "json"\n', encoding="utf-8")
    assert all(r.startswith("TA") for r in rules_of(run_cli("check", str(sub))))


def test_command_line_overrides_settings(tmp_path):
    root, sub = project(tmp_path, 'select = ["UN"]\nformat = "html"\nlang = "en"\nfail-on = "warning"\n')
    proc = run_cli("check", str(sub), "--select", "TA", "--format", "json", "--lang", "zh", "--fail-on", "error")
    assert proc.returncode == 1
    assert all(r.startswith("TA") for r in rules_of(proc))
    proc = run_cli("check", str(sub), "--select", "TA", "--format", "rich", "--color", "never")
    assert "Result:" in proc.stdout, "the settings' language when --lang is not given"


def test_fail_on_warning_from_settings(tmp_path):
    root, sub = project(tmp_path, 'select = ["WV"]\nfail-on = "warning"\nformat = "json"\n')
    (sub.parent / "x.waivers.yaml").write_text("waivers:\n  - {rule: AR007, path: nowhere, reason: 测试用}\n", encoding="utf-8")
    assert run_cli("check", str(sub)).returncode == 1, "a WV001 warning fails the run"
    assert run_cli("check", str(sub), "--fail-on", "error").returncode == 0


def test_rules_folders_are_relative_to_the_settings_file(tmp_path):
    root, sub = project(tmp_path, 'rules = ["规则/本地"]\nselect = ["MY"]\nformat = "json"\n')
    pack = root / "规则" / "本地"
    pack.mkdir(parents=True)
    (pack / "r.yaml").write_text(
        "rules:\n  - id: MY001\n    title: 总有一条\n    category: form\n    severity: warning\n    assert: 'false'\n"
        "    message: m\n    message_en: m\n    rationale: r\n", encoding="utf-8")
    proc = run_cli("check", str(sub))
    assert rules_of(proc) == {"MY001"}


@pytest.mark.parametrize("settings, words", [
    ('ignroe = ["AR"]\n', ["未知配置项“ignroe”", "是否应为“ignore”"]),
    ('fail_on = "warning"\n', ["未知配置项“fail_on”", "是否应为“fail-on”"]),
    ('format = "jsn"\n', ["format", "是否应为“json”"]),
    ('jobs = -1\n', ["jobs", "非负整数"]),
    ('select = 5\n', ["select", "文本列表"]),
    ('[limits]\ndepht = 5\n', ["depht"]),
    ('select = [\n', ["配置文件格式错误"]),
])
def test_bad_settings_exit_2_and_say_what(tmp_path, settings, words):
    root, sub = project(tmp_path, settings)
    proc = run_cli("check", str(sub))
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and str(root / "selfeval.toml") in lines[0], proc.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


def test_explicit_config_file(tmp_path):
    settings = tmp_path / "elsewhere.toml"
    settings.write_text('select = ["UN"]\nformat = "json"\n', encoding="utf-8")
    proc = run_cli("check", str(SAMPLE), "--config", str(settings))
    assert all(r.startswith("UN") for r in rules_of(proc))
    proc = run_cli("check", str(SAMPLE), "--config", str(tmp_path / "missing.toml"))
    assert proc.returncode == 2 and "配置文件不存在" in proc.stderr


def test_settings_language_for_convert(tmp_path):
    root, sub = project(tmp_path, 'lang = "en"\n')
    proc = run_cli("convert", str(sub), "-o", str(sub))
    assert proc.returncode == 2 and "already exists" in proc.stderr
