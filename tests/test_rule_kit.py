"""The rule-authoring kit: packs that extend and override, automatic pack selection,
rules list/show/test/docs/lint, compile-time diagnostics and --explain."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import run_cli
from validator import Validator
from validator.errors import RuleError

RULE = textwrap.dedent("""\
    rules:
      - id: {id}
        title: 满意度不低于下限
        title_en: Satisfaction floor
        category: target_actual
        severity: warning
        status: {status}
        version: 3
        for_each: indicators
        when: item.class1 == "satisfaction" and dimension(item.actual) == "ratio"
        assert: item.actual >= param.floor
        params:
          floor: 90%
        at: item.actual
        values:
          actual: item.actual
        message: "{{label}}满意度 {{actual}} 低于下限"
        message_en: "{{label}} satisfaction {{actual}} is below the floor"
        rationale: 本地区要求。
    """)

FIXTURE = textwrap.dedent("""\
    rule: {id}
    cases:
      - name: 98% 高于 90%
        submission:
          kind: transfer
          indicators:
            - {{level1: 满意度指标, level2: 服务对象满意度指标, name: 服务对象满意度, target: "≥90%", actual: "98%"}}
        expect: []
      - name: 85% 低于 90%
        submission:
          kind: transfer
          indicators:
            - {{level1: 满意度指标, level2: 服务对象满意度指标, name: 服务对象满意度, target: "≥80%", actual: "85%"}}
        expect:
          - path: indicators[0].actual
            actual: 85%
    """)

SUBMISSION = {
    "kind": "transfer",
    "fund_type": "测试专项资金",
    "indicators": [{"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "服务对象满意度", "target": "≥80%", "actual": "85%"}],
    "notes": None,  # a 说明 row left blank: EX004
}


def make_pack(root: Path, name="local", rid="LC001", status="stable", meta_extra="", fixture=True) -> Path:
    folder = root / name
    (folder / "fixtures").mkdir(parents=True)
    (folder / "pack.yaml").write_text(f"name: {name}\ntitle: 本地规则\n{meta_extra}", encoding="utf-8")
    (folder / "rules.yaml").write_text(RULE.format(id=rid, status=status), encoding="utf-8")
    if fixture:
        (folder / "fixtures" / f"{rid}.yaml").write_text(FIXTURE.format(id=rid), encoding="utf-8")
    return folder


def ids(report):
    return [f.rule for f in report.findings]


def test_fund_type_pack_applies_only_to_its_fund(tmp_path):
    make_pack(tmp_path, meta_extra="fund_types: [测试专项资金]\nextends: [standard]\n")
    v = Validator(rules=[tmp_path])
    assert "LC001" in ids(v.check(SUBMISSION))
    other = dict(SUBMISSION, fund_type="其他资金")
    assert "LC001" not in ids(v.check(other))
    report = v.check(SUBMISSION)
    assert report.files[0].packs == ["standard", "local"]
    f = [f for f in report.findings if f.rule == "LC001"][0]
    assert f.version == 3 and f.pack == "local"
    assert f.to_dict()["rule_version"] == 3


def test_explicit_pack_selection(tmp_path):
    make_pack(tmp_path, meta_extra="fund_types: [测试专项资金]\n")
    v = Validator(rules=[tmp_path], packs=["local"])
    report = v.check(dict(SUBMISSION, fund_type="别的"))
    assert set(ids(report)) == {"LC001"}
    with pytest.raises(RuleError, match="locl"):
        Validator(rules=[tmp_path], packs=["locl"])


def test_override_changes_severity_and_params_only_where_the_pack_applies(tmp_path):
    make_pack(tmp_path, meta_extra=(
        "fund_types: [测试专项资金]\nextends: [standard]\n"
        "overrides:\n  EX004: {severity: error}\n  TA010: {params: {met: 0.9}}\n"
    ))
    v = Validator(rules=[tmp_path])
    mine = [f for f in v.check(SUBMISSION).findings if f.rule == "EX004"][0]
    assert mine.severity == "error" and mine.pack == "local"
    theirs = [f for f in v.check(dict(SUBMISSION, fund_type="x")).findings if f.rule == "EX004"][0]
    assert theirs.severity == "info" and theirs.pack == "standard"


def test_override_of_unknown_rule_or_param_is_an_error(tmp_path):
    make_pack(tmp_path, meta_extra="extends: [standard]\noverrides:\n  EX04: {severity: error}\n")
    with pytest.raises(RuleError, match="EX004"):
        Validator(rules=[tmp_path])
    other = tmp_path / "b"
    other.mkdir()
    make_pack(other, name="b", rid="LC002", meta_extra="extends: [standard]\noverrides:\n  EX001: {params: {lowe: 90%}}\n")
    with pytest.raises(RuleError, match="low"):
        Validator(rules=[other])


def test_extends_unknown_pack_suggests(tmp_path):
    make_pack(tmp_path, meta_extra="extends: [standrd]\n")
    with pytest.raises(RuleError, match="standard"):
        Validator(rules=[tmp_path])


def test_preview_rules_run_only_when_asked(tmp_path):
    make_pack(tmp_path, status="preview")
    assert "LC001" not in ids(Validator(rules=[tmp_path]).check(SUBMISSION))
    assert "LC001" in ids(Validator(rules=[tmp_path], preview=True).check(SUBMISSION))
    assert "LC001" in ids(Validator(rules=[tmp_path], select=["LC001"]).check(SUBMISSION))


def test_rules_list_json(tmp_path):
    make_pack(tmp_path)
    proc = run_cli("rules", "list", "--rules", str(tmp_path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    mine = [r for r in rows if r["id"] == "LC001"][0]
    assert mine == {**mine, "pack": "local", "category": "target_actual", "severity": "warning", "status": "stable", "version": 3}
    assert {r["id"] for r in rows} >= {"AR001", "TA001", "LC001"}
    only = json.loads(run_cli("rules", "list", "--rules", str(tmp_path), "--pack", "local", "--format", "json").stdout)
    assert [r["id"] for r in only] == ["LC001"]


def test_rules_show_has_examples():
    proc = run_cli("rules", "show", "AR007", "--format", "markdown")
    assert proc.returncode == 0
    out = proc.stdout
    assert out.startswith("# AR007")
    assert "通过的例子" in out and "不通过的例子" in out
    assert "assert:   item.rate ≈ ratio(item.executed, item.budget)" in out
    assert "应为" in out
    bad = run_cli("rules", "show", "AR07")
    assert bad.returncode == 2 and "AR07" in bad.stderr and "是否应为 AR0" in bad.stderr


def test_rules_test_passes_and_fails(tmp_path):
    make_pack(tmp_path)
    proc = run_cli("rules", "test", "local", "--rules", str(tmp_path))
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "2 passed, 0 failed"
    fixture = tmp_path / "local" / "fixtures" / "LC001.yaml"
    fixture.write_text(fixture.read_text(encoding="utf-8").replace("actual: 85%", "actual: 86%"), encoding="utf-8")
    proc = run_cli("rules", "test", "local", "--rules", str(tmp_path))
    assert proc.returncode == 1
    assert "FAIL local LC001 85% 低于 90%" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "1 passed, 1 failed"


def test_rules_test_fails_without_fixture(tmp_path):
    make_pack(tmp_path, fixture=False)
    proc = run_cli("rules", "test", "local", "--rules", str(tmp_path))
    assert proc.returncode == 1 and "LC001: no fixture" in proc.stdout


def test_builtin_packs_pass_their_fixtures():
    proc = run_cli("rules", "test")
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert proc.stdout.strip().splitlines()[-1].endswith(" 0 failed")


def test_rules_docs(tmp_path):
    out = tmp_path / "docs"
    proc = run_cli("rules", "docs", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "[AR007](standard/AR007.md)" in index
    page = (out / "standard" / "AR007.md").read_text(encoding="utf-8")
    assert "不通过的例子" in page and "`rules/standard/arithmetic.yaml:" in page
    again = run_cli("rules", "docs", "-o", str(out))
    assert again.returncode == 2 and "--force" in again.stderr


def test_rules_lint_reports_every_problem(tmp_path):
    folder = make_pack(tmp_path)
    (folder / "more.yaml").write_text(textwrap.dedent("""\
        rules:
          - id: LC001
            title: 重复编号
            category: form
            severity: warning
            assert: exists(notes)
            message: m
            message_en: m
            rationale: r
          - id: LC003
            title: 拼错字段
            category: form
            severity: warning
            assert: exists(item.acutal)
            for_each: indicators
            message: m
            message_en: m
            rationale: r
          - id: LC004
            title: 永不运行
            category: form
            severity: info
            applies_to: [transfer]
            when: kind == "project"
            assert: exists(notes)
            message: m
            message_en: m
            rationale: r
          - id: LC005
            title: 多余字段
            category: form
            severity: info
            asert: exists(notes)
            assert: exists(notes)
            message: m
            message_en: m
            rationale: r
        """), encoding="utf-8")
    proc = run_cli("rules", "lint", str(folder))
    assert proc.returncode == 1
    out = proc.stdout
    assert "more.yaml:33:" in out and "asert" in out and "assert" in out  # schema error with did-you-mean
    proc2 = run_cli("rules", "lint", str(folder))
    assert proc2.stdout == out  # deterministic
    (folder / "more.yaml").write_text((folder / "more.yaml").read_text(encoding="utf-8").replace("    asert: exists(notes)\n", ""), encoding="utf-8")
    out = run_cli("rules", "lint", str(folder)).stdout
    assert "重复" in out and "LC001" in out
    assert "item.acutal" in out and "item.actual" in out
    assert "LC004" in out and "永远不成立" in out
    assert "LC005 没有夹具文件" in out


def test_builtin_packs_lint_clean():
    proc = run_cli("rules", "lint")
    assert proc.returncode == 0, proc.stdout
    assert "没有问题" in proc.stdout


def test_compile_error_file_line_col_caret(tmp_path):
    folder = make_pack(tmp_path)
    text = (folder / "rules.yaml").read_text(encoding="utf-8").replace("item.actual >= param.floor", "item.weight >= 90 万元")
    (folder / "rules.yaml").write_text(text, encoding="utf-8")
    proc = run_cli("check", "samples/anshan-2024-transfer.yaml", "--rules", str(tmp_path))
    assert proc.returncode == 2
    first, second, third = proc.stderr.splitlines()[:3]
    assert first.startswith(f"selfeval: {folder / 'rules.yaml'}:11:25:")
    assert "单位不一致" in first
    assert second.strip() == "item.weight >= 90 万元"
    assert "^" in third


def test_explain_shows_values_intervals_and_result():
    proc = run_cli("check", "samples/county-2024-project-defects.yaml", "--explain", "AR007@funds.sources[2].rate")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "item.executed = 226.60" in out and "(funds.sources[2].executed)" in out
    assert "[4.32500%, 4.33500%]" in out
    assert "允许误差 ±0.0091%" in out
    assert "不成立：产生发现" in out
    assert "funds.sources[0]" not in out  # only the finding asked for


def test_explain_workbook_names_cells():
    proc = run_cli("check", "samples/quxian-2024-experts.xlsx", "--explain", "AR002", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "← 自评表!" in proc.stdout and "holds: no finding" in proc.stdout


def test_explain_unknown_rule():
    proc = run_cli("check", "samples/anshan-2024-transfer.yaml", "--explain", "ZZ999")
    assert proc.returncode == 2 and "ZZ999" in proc.stderr


def test_explain_reads_the_other_tables_of_the_workbook():
    """IS003 compares the 自评表 with the issued target table in the same workbook: the
    explanation is of the table the rule runs on, with the link it found, and the
    workbook's other tables (where IS003 does not run) do not stop it."""
    proc = run_cli("check", "samples/xinjiang-2023-tailings.xlsx", "--explain", "IS003@indicators[0].name")
    assert proc.returncode == 0, proc.stderr
    assert [line for line in proc.stdout.splitlines() if line.startswith("== ")] == ["== samples/xinjiang-2023-tailings.xlsx#自评表"]
    assert "item.issued_match = renamed  ← 自评表!D22" in proc.stdout
    assert "不成立：产生发现" in proc.stdout and "隐患治理率" in proc.stdout


def test_explain_a_report_finding_against_its_table():
    """RP008 runs on the report and reads its 自评表: given together, as check takes them,
    the explanation counts the table's unmet indicators."""
    proc = run_cli("check", "samples/reports/anshan-2024-transfer.xlsx", "samples/reports/anshan-2024-transfer-自评报告.docx",
                   "--explain", "RP008@paragraphs[38]", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "== samples/reports/anshan-2024-transfer-自评报告.docx" in proc.stdout
    assert "missed = 5" in proc.stdout and "fails: a finding" in proc.stdout


def test_explain_a_folder_skips_the_submissions_the_rule_does_not_run_on():
    doc = json.loads(run_cli("check", "samples/reports", "--explain", "RP008", "--format", "json").stdout)
    paths = [e["path"] for e in doc["explanations"]]
    assert "samples/reports/anshan-2024-transfer-自评报告.docx" in paths
    assert not [p for p in paths if p.endswith(".xlsx")], "RP008 runs on reports only"
    proc = run_cli("check", "samples/reports/yangcheng-2024-project-self-evals.xlsx", "--explain", "RP008")
    assert proc.returncode == 2 and "RP008" in proc.stderr


# --- pack policies -------------------------------------------------------------------------

LOW_EXECUTION = {
    "kind": "transfer", "fund_type": "测试专项资金",
    "funds": {"total": {"label": "年度资金总额", "budget": 100, "executed": 82}},
    "management": [{"item": "执行准确性", "issues": "无"}],
}


def test_a_policy_set_by_an_extending_pack_reaches_every_rule_that_reads_it(tmp_path):
    """low_execution is read by EX001 and EX007: raising it in a fund pack changes both where
    that pack is in use, and nowhere else."""
    make_pack(tmp_path, meta_extra="fund_types: [测试专项资金]\nextends: [standard]\npolicies:\n  low_execution: 85%\n")
    v = Validator(rules=[tmp_path])
    assert "EX001" in ids(v.check(LOW_EXECUTION))  # 82% < 85%, nothing explains it
    with_reason = {**LOW_EXECUTION, "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "建设数量", "target": "≥5个", "actual": "3个", "reason": "工程延期"}]}
    found = [f for f in v.check(with_reason).findings if f.rule in ("EX001", "EX007")]
    assert [(f.rule, f.severity, f.pack) for f in found] == [("EX007", "warning", "local")]
    other = dict(LOW_EXECUTION, fund_type="别的资金")
    assert not [f for f in v.check(other).findings if f.rule in ("EX001", "EX007")]  # 82% ≥ 80%


def test_an_unknown_policy_is_refused_with_a_suggestion(tmp_path):
    make_pack(tmp_path, meta_extra="extends: [standard]\npolicies:\n  low_executon: 85%\n")
    with pytest.raises(RuleError) as caught:
        Validator(rules=[tmp_path])
    assert "low_executon" in caught.value.message and "low_execution" in caught.value.message


def test_a_rule_reads_an_inherited_policy(tmp_path):
    folder = make_pack(tmp_path, meta_extra="extends: [standard]\n")
    (folder / "rules.yaml").write_text(RULE.format(id="LC001", status="stable").replace(
        "assert: item.actual >= param.floor", "assert: item.actual >= param.floor and param.budget_weight == 10 分"), encoding="utf-8")
    v = Validator(rules=[tmp_path])
    rule = next(r for r in v.rules if r.id == "LC001")
    assert rule.policies_used == {"budget_weight", "tolerance"}  # no tolerance of its own


def test_the_completion_policy_for_lower_targets_is_the_packs(tmp_path):
    """≤ 80万元 reached with 100万元: inverse gives 80.00%, deviation 1 − 20/80 = 75.00%."""
    sub = {"kind": "project", "fund_type": "测试专项资金", "indicators": [
        {"level1": "产出指标", "level2": "成本指标", "name": "设备采购成本", "target": "≤80万元", "actual": "100万元",
         "weight": 10, "score": 9.5, "reason": "设备涨价"}]}
    plain = [f for f in Validator().check(sub).findings if f.rule == "TA008"]
    assert [f.expected for f in plain] == ["8.00"]
    make_pack(tmp_path, meta_extra="fund_types: [测试专项资金]\nextends: [standard]\npolicies:\n  lower_completion: deviation\n")
    mine = [f for f in Validator(rules=[tmp_path]).check(sub).findings if f.rule == "TA008"]
    assert [(f.expected, f.pack) for f in mine] == [("7.50", "local")]


def test_what_counts_as_a_repeat_is_the_packs(tmp_path):
    sub = {"kind": "project", "fund_type": "测试专项资金", "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": "≥500人次", "actual": "520人次"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "培训人次", "target": "≥500人次", "actual": "520人次"}]}
    assert not [f for f in Validator().check(sub).findings if f.rule == "FM006"]
    make_pack(tmp_path, meta_extra="fund_types: [测试专项资金]\nextends: [standard]\npolicies:\n  duplicate_scope: table\n")
    mine = [f for f in Validator(rules=[tmp_path]).check(sub).findings if f.rule == "FM006"]
    assert [f.location.path for f in mine] == ["indicators[1]"]


def test_a_pack_tolerance_policy_widens_every_check_that_has_no_tolerance_of_its_own(tmp_path):
    sub = {"kind": "transfer", "fund_type": "测试专项资金", "funds": {
        "total": {"label": "年度资金总额", "budget": "157.02", "executed": 0},
        "sources": [{"label": "其中:中央补助", "source": "central", "budget": "94.00", "executed": 0},
                    {"label": "其他资金", "source": "other", "budget": "63.00", "executed": 0}]}}
    assert [f.rule for f in Validator().check(sub).findings if f.rule == "AR002"] == ["AR002"]
    make_pack(tmp_path, meta_extra="fund_types: [测试专项资金]\nextends: [standard]\npolicies:\n  tolerance: {absolute: 0.01 万元}\n")
    assert not [f for f in Validator(rules=[tmp_path]).check(sub).findings if f.rule == "AR002"]


def test_a_fixture_date_without_quotes_is_the_text_written(tmp_path):
    """Fixture submissions in a pack are read as submissions are: `2024-12-30` is a cell's
    text, not a datetime the submission schema would refuse."""
    from validator.packs.yamlfile import load_yaml

    fixture = tmp_path / "case.yaml"
    fixture.write_text("cases:\n  - input: {indicators: [{name: 完成时间, target: 2024-12-30, actual: 2024-12-30 17:00}]}\n",
                       encoding="utf-8")
    [row] = load_yaml(fixture)["cases"][0]["input"]["indicators"]
    assert row["target"] == "2024-12-30" and row["actual"] == "2024-12-30 17:00"
