"""Resource limits (validator/limits.py) and the hardening around them: every input ends
in findings or one clear line, never a hang, a traceback or output claiming success
after an internal failure; rules cannot escape their pack or run code."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, run_cli

from validator import Validator, limits
from validator.cli import main as cli
from validator.errors import InputError, RuleError
from validator.expression import functions
from validator.expression.compiler import compile_expression
from validator.expression.diagnostics import ExpressionError
from validator.expression.safe_regex import UnsafePattern
from validator.expression.safe_regex import check as check_pattern
from validator.limits import Limits
from validator.read.text import parse_text
from validator.submission import load_documents as read_workbook

SAMPLE = SAMPLES / "anshan-2024-transfer.yaml"
SAMPLE_XLSX = SAMPLES / "anshan-2024-transfer.xlsx"
RULE = """rules:
  - id: {rid}
    title: t
    category: form
    severity: error
    assert: {expr}
    message: m
    message_en: m
    rationale: r
"""


def _pack(folder: Path, expr: str = "exists(kind)", rid: str = "ZZ001") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "r.yaml").write_text(RULE.format(rid=rid, expr=expr), encoding="utf-8")
    return folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def selfeval(capsys):
    """Run the command line in this process (faster than a subprocess): (exit code, stdout, stderr)."""

    def run(*args: str):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


# --- the Limits object and --limit ------------------------------------------------------

def test_defaults_are_documented_values():
    d = Limits()
    assert (d.file_size, d.xlsx_size, d.yaml_nodes, d.depth) == (20 * 2**20, 50 * 2**20, 1_000_000, 64)
    assert (d.indicators, d.fund_rows, d.digits, d.exponent) == (5_000, 500, 30, 20)
    assert (d.xlsx_uncompressed, d.xlsx_ratio, d.sheets, d.cells) == (200 * 2**20, 100, 100, 2_000_000)
    assert (d.expression_length, d.expression_depth, d.pattern_length, d.match_input) == (2_000, 50, 500, 10_000)
    assert set(limits.DESCRIPTIONS) == set(limits.NAMES)


def test_every_limit_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in limits.NAMES:
        assert f"`{name}`" in readme, name


def test_parse_overrides():
    assert limits.parse_overrides(["depth=128", "file_size=100MiB", "cells=3_000_000", "xlsx-size=1,024"]) == {
        "depth": 128, "file_size": 100 * 2**20, "cells": 3_000_000, "xlsx_size": 1024}
    with pytest.raises(limits.LimitSpecError, match="did you mean 'depth'"):
        limits.parse_overrides(["dept=3"])
    with pytest.raises(limits.LimitSpecError, match="not a positive integer"):
        limits.parse_overrides(["depth=lots"])
    with pytest.raises(limits.LimitSpecError, match="not a positive integer"):
        limits.parse_overrides(["depth=3MiB"])  # units only for sizes
    with pytest.raises(limits.LimitSpecError, match="greater than 0"):
        limits.parse_overrides(["depth=0"])
    with pytest.raises(limits.LimitSpecError, match="NAME=VALUE"):
        limits.parse_overrides(["depth"])
    with pytest.raises(ValueError):
        Limits(depth=0)


@pytest.mark.parametrize("command", ["check", "convert"])
def test_unknown_limit_on_the_command_line_is_one_line_with_a_guess(selfeval, command):
    code, _, err = selfeval(command, str(SAMPLE), "--limit", "indicator=3", "--lang", "en")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "no limit named 'indicator'" in lines[0] and "did you mean 'indicators'" in lines[0]


def test_limit_from_the_command_line_applies(selfeval):
    code, _, err = selfeval("check", str(SAMPLE), "--limit", "indicators=2")
    assert code == 2 and "超过限制 indicators=2" in err
    code, out, err = selfeval("convert", str(SAMPLE), "--limit", "indicators=2")
    assert code == 0 and out  # convert reads, it does not check
    code, _, err = selfeval("convert", str(SAMPLE), "--limit", "file_size=1KiB")
    assert code == 2 and "file_size=1 KiB" in err


def test_lowered_limits_never_break_the_builtin_packs():
    v = Validator(limits=Limits(file_size=1024, expression_length=10, expression_depth=2, pattern_length=3, depth=4))
    assert v.rules
    assert v.check(SAMPLE).files[0].error is not None  # but the submission is held to them


def test_validator_limits_parameter():
    data = {"kind": "transfer", "indicators": [{"name": f"指标{i}", "target": "≥1个", "actual": "1个"} for i in range(3)]}
    report = Validator(limits=Limits(indicators=2)).check_mapping(data, origin="x.yaml")
    assert report.error and "x.yaml" in report.error and "indicators=2" in report.error and "--limit indicators" in report.error
    assert "raise it with --limit indicators=N" in report.error_en
    assert Validator().check_mapping(data).error is None


# --- shape: aliases, cycles, depth --------------------------------------------------------

def test_check_shape_counts_shared_nodes_without_walking_them():
    level = ["lol"] * 10
    for _ in range(8):
        level = [level] * 10  # 10^8 leaves, 9 distinct lists
    with pytest.raises(limits.ShapeError) as info:
        limits.check_shape({"notes": level})
    assert info.value.kind == "nodes"
    assert limits.check_shape({"a": [1, 2], "b": {"c": None}}) == 1 + 2 + 3 + 3


def test_check_shape_cycle_and_depth():
    loop: list = []
    loop.append(loop)
    with pytest.raises(limits.ShapeError) as info:
        limits.check_shape({"a": loop})
    assert info.value.kind == "cycle"
    deep: list = []
    node = deep
    for _ in range(70):
        node.append([])
        node = node[0]
    with pytest.raises(limits.ShapeError) as info:
        limits.check_shape(deep)
    assert info.value.kind == "depth"


def test_depth_of_a_shared_subtree_counts_where_it_is_used():
    chain: list = []
    node = chain
    for _ in range(40):
        node.append([])
        node = node[0]
    shallow = {"a": chain}
    limits.check_shape(shallow)  # 41 levels: fine
    wrapped: list = [chain]
    for _ in range(30):
        wrapped = [wrapped]
    with pytest.raises(limits.ShapeError):
        limits.check_shape({"a": chain, "b": wrapped})  # the same chain 30 levels deeper


def test_yaml_loader_limits():
    laughs = 'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 8))
    with pytest.raises(InputError, match="yaml_nodes"):
        parse_text(laughs, "yaml", "l.yaml")
    assert parse_text(laughs, "yaml", "l.yaml", Limits(yaml_nodes=10**9))["a0"][0] == "x"
    with pytest.raises(InputError, match="depth=64"):
        parse_text("a: " + "[" * 300_000 + "]" * 300_000, "yaml", "d.yaml")
    with pytest.raises(InputError, match="depth=64"):
        parse_text('{"a": ' + "[" * 300_000 + "]" * 300_000 + "}", "json", "d.json")
    with pytest.raises(InputError, match="depth=5"):
        parse_text("a: [[[[[[1]]]]]]", "yaml", "d.yaml", Limits(depth=5))


def test_merge_keys_cannot_explode():
    lines = ["m0: &m0 {k0: 1, k1: 2}"] + [f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 4) + "]}" for i in range(1, 30)]
    doc = parse_text("\n".join(lines), "yaml", "m.yaml")
    assert doc["m29"] == {"k0": 1, "k1": 2}
    assert parse_text("a: &a {x: 1, y: 2}\nb: {<<: *a, y: 3}\n", "yaml", "m.yaml")["b"] == {"x": 1, "y": 3}


def test_api_mapping_too_deep_or_recursive_is_an_error_report():
    deep: dict = {}
    node = deep
    for _ in range(100):
        node["notes"] = {}
        node = node["notes"]
    report = Validator().check_mapping({"kind": "transfer", "x": deep}, origin="api")
    assert report.error and "depth=64" in report.error


# --- numbers ----------------------------------------------------------------------------

def test_number_problem():
    assert limits.number_problem(Decimal("123456.78")) is None
    assert "digits=30" in limits.number_problem(Decimal("1" * 31))[0]
    assert "exponent=20" in limits.number_problem(Decimal("1E+21"))[0]
    assert "exponent=20" in limits.number_problem(Decimal("1E-21"))[0]
    assert limits.number_problem(Decimal("1E+21"), Limits(exponent=30)) is None


def test_out_of_range_numbers_are_one_finding_on_the_cell():
    data = {"kind": "transfer", "funds": {
        "total": {"label": "年度资金总额", "budget": Decimal("1E+400"), "executed": "9" * 5000},
        "sources": [{"label": "中央补助", "source": "central", "budget": 90}]}, "year": 10**40}
    report = Validator().check_mapping(data)
    sc = {f.location.path: f for f in report.findings if f.rule == "SC003"}
    assert set(sc) == {"funds.total.budget", "funds.total.executed", "year"}
    assert sc["funds.total.budget"].location.label == "年度资金总额"
    assert "exponent=20" in sc["funds.total.budget"].message and "digits=30" in sc["funds.total.executed"].message
    assert len(sc["funds.total.executed"].actual) <= 40
    other = [f for f in report.findings if f.location.path in sc and f.rule != "SC003"]
    assert other == [], "the cell is reported once"
    relaxed = Validator(limits=Limits(digits=6000, exponent=6000)).check_mapping(data)
    assert not [f for f in relaxed.findings if f.rule == "SC003"]


def test_a_cell_in_range_under_one_limit_is_checked_again_under_another():
    """The model remembers on each (shared, memoised) Notation the limits it was found
    within: a stricter Validator in the same process must still see the cell as out of range."""
    data = {"kind": "transfer", "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "完成项目数",
                                                "target": "≥123456个", "actual": "123457个"}]}
    assert not [f for f in Validator().check_mapping(data).findings if f.rule == "SC003"]
    strict = Validator(limits=Limits(digits=4)).check_mapping(data)
    assert {f.location.path for f in strict.findings if f.rule == "SC003"} == {"indicators[0].target", "indicators[0].actual"}
    assert not [f for f in Validator().check_mapping(data).findings if f.rule == "SC003"]


def test_out_of_range_cell_in_a_workbook_names_its_cell(tmp_path):
    from tests.xlsx import build

    spec = build.anshan()
    for row in spec["sheets"][0]["rows"]:
        for i, cell in enumerate(row):
            if cell == 157:
                row[i] = 1e300
    path = build.write(tmp_path, "big.xlsx", spec)
    report = Validator().check(path)
    sc = [f for f in report.findings if f.rule == "SC003"]
    assert sc and sc[0].location.cell and sc[0].location.sheet


# --- expressions and matches -------------------------------------------------------------

def test_expression_length_and_depth_limits():
    with limits.active(Limits(expression_length=20)):
        with pytest.raises(ExpressionError) as info:
            compile_expression("funds.total.budget > 0 and exists(notes)")
    assert "expression_length=20" in info.value.text("en") and info.value.column == 21
    with pytest.raises(ExpressionError) as info:
        compile_expression("not " * 60 + "exists(notes)")
    assert "expression_depth=50" in info.value.text("en")
    assert "^" in info.value.caret("not " * 60 + "exists(notes)")
    with limits.active(Limits(expression_depth=100)):
        compile_expression("not " * 60 + "exists(notes)")
    compile_expression("(" * 200 + "exists(notes)" + ")" * 200)  # parentheses are not nesting


@pytest.mark.parametrize(("pattern", "says"), [(r"(ab)\1", "反向引用"), (r"(a)(?(1)b|c)", "反向引用"), (r"(?=a)b", "前后查找"),
                                               (r"(?<!a)b", "前后查找"), (r"[", "无效"), (r"\u4e00", "不受支持"), ("a" * 501, "pattern_length")])
def test_patterns_no_linear_engine_runs_are_refused(pattern, says):
    with pytest.raises(UnsafePattern) as info:
        check_pattern(pattern, 500)
    assert says in info.value.message


# Each of these takes seconds to minutes in Python's re on a 10,000-character text.
CATASTROPHIC = [r"(a+)+b", r"(a|ab)*c", r"(\d+,)*x", r".*a.*b", r"\d+\d+", r"a?" * 20 + "a" * 20, r"(a?)*", r"(x+x+)+y",
                r"(?:aa|a)" * 30 + "b", r"(\w|\d)+$", r"(\d|1)+x", r"(?i)(a|A)+b", r"([aa])+b"]


@pytest.mark.parametrize("pattern", CATASTROPHIC + [r"请填写.*说明", r"\d+\.\d+", r"^\d{1,3}(,\d{3})*$", r"(?i)abc+"])
def test_patterns_are_accepted_and_run_on_the_linear_engine(pattern):
    from validator.expression import safe_regex

    check_pattern(pattern, 500)
    assert safe_regex.engine(pattern) == "re2"


@pytest.mark.parametrize("pattern", [r"请填写|XXX|（示例）|\(示例\)", r"^(优|良|中|差)$", r"[天日]$", r"未(完成|达|实现)|缓慢",
                                     r"(?:aa|a)(?:aa|a)(?:aa|a)b"])
def test_patterns_without_repetition_run_on_re(pattern):
    """At most 64 ways to match at one place: bounded work per position (more, like
    (?:aa|a) thirty times over, goes to RE2)."""
    from validator.expression import safe_regex

    assert safe_regex.engine(pattern) == "re"


@pytest.mark.parametrize(("pattern", "engine"), [
    (r"^(已|全部|圆满)?(完成|达成|实现)(年度)?(绩效)?(目标)?[。.]?$", "re"),  # 192 ways, tried at the start only
    (r"(已|全部)?(完成|达成|实现)(年度)?(目标)?$", "re"),  # 36 ways at each position
    (r"(已|全部|圆满)?(完成|达成|实现)(年度)?(绩效)?(目标)?[。.]?$", "re2"),  # 192 ways at each position
    (r"(?m)^(已|全部|圆满)?(完成|达成|实现)(年度)?(绩效)?(目标)?$", "re2"),  # ^ is every line's start
    (r"^" + "a?" * 20, "re2"),  # 2^20 ways even at one position
    (r"^(ab){0,1}c", "re"), (r"^(ab){0,2}c", "re2"), (r"^(ab)??c", "re"),
])
def test_optional_parts_count_as_choices(pattern, engine):
    from validator.expression import safe_regex

    check_pattern(pattern, 500)
    assert safe_regex.engine(pattern) == engine


def test_anchored_patterns_with_many_choices_finish_on_long_text():
    """What runs on re because it is anchored, on 10,000 characters that keep it guessing:
    in a child process, so a regression cannot hang the suite."""
    import subprocess
    import sys

    script = (
        "import time\n"
        "from validator.expression import functions\n"
        "fn = functions.FUNCTIONS['matches']\n"
        "pattern = '^(已|全部|圆满)?(完成|达成|实现)(年度)?(绩效)?(目标)?[。.]?$'\n"
        "start = time.perf_counter()\n"
        "for text in ('完成' * 5000, '已完成年度' * 2000, '全部' + '实现' * 5000):\n"
        "    functions.apply(fn, [text, pattern])\n"
        "print(time.perf_counter() - start)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert float(proc.stdout) < 5


def test_catastrophic_patterns_finish_on_long_text(tmp_path):
    """Every pattern above on the text that defeats it, 10,000 characters (what matches
    searches at most): in a child process, so a regression cannot hang the suite."""
    import subprocess
    import sys

    script = (
        "from validator.expression import functions\n"
        f"patterns = {CATASTROPHIC!r}\n"
        "texts = ['a' * 10_000, '1' * 10_000 + ',', 'x' * 10_000]\n"
        "fn = functions.FUNCTIONS['matches']\n"
        "print(sum(functions.apply(fn, [text, p]) is not None for p in patterns for text in texts))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert int(proc.stdout) == 3 * len(CATASTROPHIC)


def test_refused_pattern_in_a_rule_is_a_compile_error_with_file_line_and_caret(tmp_path):
    pack = _pack(tmp_path / "p", "not matches(notes, \"(x+)\\\\1\")")
    with pytest.raises(RuleError) as info:
        Validator(rules=[pack])
    first, _, rest = info.value.message.partition("\n")
    assert f"{pack / 'r.yaml'}:6:" in first and "反向引用" in first
    assert "^" in rest


def test_matches_searches_at_most_match_input_characters():
    fn = functions.FUNCTIONS["matches"]
    text = "x" * 15_000 + "监控"
    assert functions.apply(fn, [text, "监控"]) is False
    with limits.active(Limits(match_input=20_000)):
        assert functions.apply(fn, [text, "监控"]) is True


def test_rule_text_never_reaches_python():
    for source in ["__import__('os').system('true')", "eval(\"1\")", "exec(notes)", "notes.__class__"]:
        with pytest.raises(ExpressionError):
            compile_expression(source)


# --- rule packs: symbolic links ---------------------------------------------------------

def _symlink_or_skip(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not available")


def test_rule_file_linking_outside_its_pack_is_refused(tmp_path):
    outside = _pack(tmp_path / "elsewhere") / "r.yaml"
    pack = tmp_path / "pack"
    pack.mkdir()
    _symlink_or_skip(pack / "r.yaml", outside)
    with pytest.raises(RuleError) as info:
        Validator(rules=[pack])
    assert "points outside its rule pack folder" in info.value.message_en
    assert str(pack / "r.yaml") in info.value.message_en
    proc = run_cli("check", str(SAMPLE), "--rules", str(pack))
    assert proc.returncode == 2 and "规则包目录之外" in proc.stderr and "Traceback" not in proc.stderr


def test_link_inside_the_pack_is_fine(tmp_path):
    pack = _pack(tmp_path / "pack")
    (pack / "sub").mkdir()
    (pack / "sub" / "real.yaml").write_text(RULE.format(rid="ZZ002", expr="exists(kind)"), encoding="utf-8")
    _symlink_or_skip(pack / "second.yaml", pack / "sub" / "real.yaml")
    assert {r.id for r in Validator(rules=[pack], builtin=False).rules} == {"ZZ001", "ZZ002"}


def test_fixture_linking_outside_its_pack_is_refused(tmp_path):
    pack = _pack(tmp_path / "pack")
    (pack / "fixtures").mkdir()
    secret = tmp_path / "secret.yaml"
    secret.write_text("rule: ZZ001\ncases: []\n", encoding="utf-8")
    _symlink_or_skip(pack / "fixtures" / "ZZ001.yaml", secret)
    proc = run_cli("rules", "test", "--rules", str(pack), "--lang", "en")
    assert proc.returncode == 2 and "points outside its rule pack folder" in proc.stderr
    assert "Traceback" not in proc.stderr


# --- engine errors fail the run ---------------------------------------------------------

@pytest.fixture
def exploding_len(monkeypatch):
    import dataclasses

    def boom(*_args):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(functions.FUNCTIONS, "len", dataclasses.replace(functions.FUNCTIONS["len"], impl=boom))


CLEAN = SAMPLES / "anshan-2024-transfer-clean.yaml"


@pytest.mark.parametrize("fmt", ["rich", "json", "jsonl", "html"])
def test_a_rule_that_raises_fails_that_file_only(tmp_path, capsys, exploding_len, fmt):
    # The rule raises on every submission with a `kind`; the broken-encoding file never
    # gets that far, so the batch holds one failed, one unusable and one failed file.
    pack = _pack(tmp_path / "pack", "len(kind) >= 0")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00")
    code = cli.main(["check", str(SAMPLE), str(bad), str(CLEAN), "--rules", str(pack), "--select", "ZZ001",
                     "--format", fmt, "--color", "never"])
    out, err = capsys.readouterr()
    assert code == 2
    problems = [line for line in err.splitlines() if "内部错误" in line]
    assert len(problems) == 2, err
    for line, path in zip(problems, (SAMPLE, CLEAN)):
        assert line.startswith(f"selfeval: {path}: 内部错误：") and "ZZ001" in line and "ZeroDivisionError" in line
    assert "Traceback" not in err
    assert str(CLEAN) in out and str(SAMPLE) in out, "every file is in the report"
    if fmt == "json":
        files = json.loads(out)["files"]
        assert [f["status"] for f in files] == ["failed", "unusable", "failed"]
        assert json.loads(out)["summary"]["failed"] == 2
    if fmt == "jsonl":
        assert [json.loads(line)["status"] for line in out.splitlines()] == ["failed", "unusable", "failed"]


def test_a_rule_that_raises_still_writes_the_whole_output_file(tmp_path, capsys, exploding_len):
    pack = _pack(tmp_path / "pack", "len(kind) >= 0")
    for fmt in ("json", "jsonl"):
        out = tmp_path / f"report.{fmt}"
        assert cli.main(["check", str(SAMPLE), "--rules", str(pack), "--select", "ZZ001", "--format", fmt, "-o", str(out)]) == 2
        text = out.read_text(encoding="utf-8")
        status = json.loads(text)["files"][0]["status"] if fmt == "json" else json.loads(text.splitlines()[0])["status"]
        assert status == "failed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack", "report.json", "report.jsonl"], "no temporary file left behind"
    capsys.readouterr()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_rule_that_raises_with_jobs_reports_every_file(tmp_path, capsys, exploding_len, jobs):
    pack = _pack(tmp_path / "pack", "len(kind) >= 0")
    code = cli.main(["check", str(SAMPLE), str(CLEAN), "--rules", str(pack), "--select", "ZZ001",
                     "--format", "json", "--jobs", jobs, "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 2
    files = json.loads(out)["files"]
    assert [f["path"] for f in files] == [str(SAMPLE), str(CLEAN)]
    assert all("rule ZZ001" in f["error_en"] and "failed while running" in f["error_en"] for f in files)
    assert err.count("internal error") == 2


def test_engine_error_from_the_api(tmp_path, exploding_len):
    from validator.check.engine import EngineError

    v = Validator(rules=[_pack(tmp_path / "pack", "len(kind) >= 0")], select=["ZZ001"])
    # A file: reported as failed, naming the rule; a mapping: the exception itself.
    [report] = v.check(SAMPLE).files
    assert report.status == "failed" and "ZZ001" in report.error and "ZeroDivisionError" in report.error
    assert "ZeroDivisionError" in report.traceback
    with pytest.raises(EngineError, match="ZZ001"):
        v.check_mapping({"kind": "transfer"})


# --- nothing lost ------------------------------------------------------------------------

def test_output_never_overwrites_an_input(tmp_path, selfeval):
    sub = tmp_path / "a.yaml"
    sub.write_bytes(SAMPLE.read_bytes())
    side = tmp_path / "a.waivers.yaml"
    side.write_text("waivers: []\n", encoding="utf-8")
    before = {p: _digest(p) for p in (sub, side)}
    for target in (sub, side):
        code, _, err = selfeval("check", str(tmp_path), "-o", str(target), "--force")
        assert code == 2 and "被检查的输入文件" in err
    code, _, err = selfeval("convert", str(sub), "-o", str(sub), "--force")
    assert code == 2
    assert {p: _digest(p) for p in (sub, side)} == before


def test_output_file_is_never_overwritten_without_force_and_temporary_names_are_unique(tmp_path, selfeval):
    out = tmp_path / "report.json"
    out.write_text("keep", encoding="utf-8")
    squatter = tmp_path / ".report.json.tmp"
    squatter.write_text("mine", encoding="utf-8")
    for args in (["check", str(SAMPLE), "-o", str(out)], ["convert", str(SAMPLE), "-o", str(out)]):
        code, _, err = selfeval(*args)
        assert code == 2 and "--force" in err
    assert out.read_text(encoding="utf-8") == "keep"
    code, _, _ = selfeval("check", str(SAMPLE), "-o", str(out), "--force", "--format", "jsonl")
    assert code == 1
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["path"] == str(SAMPLE)
    code, _, _ = selfeval("convert", str(SAMPLE), "-o", str(out), "--force", "--format", "json")
    assert code == 0 and json.loads(out.read_text(encoding="utf-8"))["kind"] == "transfer"
    assert squatter.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".report.json.tmp", "report.json"]


def test_convert_writes_huge_exponents_compactly(tmp_path, selfeval):
    src = tmp_path / "x.json"
    src.write_text('{"kind": "transfer", "notes": null, "funds": {"total": {"budget": 1e999999}}}', encoding="utf-8")
    code, out, _ = selfeval("convert", str(src))
    assert code == 0 and "1E+999999" in out and len(out) < 500


# --- command line ------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["check"], ["check", "x.yaml", "--format", "pdf"], ["bogus"], ["check", "x.yaml", "--jobs", "many"],
                                  ["convert"], ["rules", "nothing"]])
def test_unparsable_command_lines_are_one_line(selfeval, args):
    code, _, err = selfeval(*args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err


def test_absurd_job_count_is_refused(selfeval):
    code, _, err = selfeval("check", str(SAMPLE), "--jobs", "100000")
    assert code == 2 and "--jobs" in err


# --- workbooks ---------------------------------------------------------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _sample_members() -> dict[str, bytes]:
    with zipfile.ZipFile(SAMPLE_XLSX) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_workbook_limits(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(SAMPLE_XLSX.read_bytes())
    assert read_workbook(path)
    for name, value, needle in [("xlsx_size", 1024, "xlsx_size=1 KiB"), ("cells", 10, "cells=10"), ("sheets", 1, None),
                                ("xlsx_uncompressed", 10_000, "xlsx_uncompressed=10,000")]:
        lim = Limits(**{name: value})
        if needle is None:
            read_workbook(path, lim)  # one sheet is within sheets=1
            continue
        with pytest.raises(InputError, match=needle.replace("(", r"\(")):
            read_workbook(path, lim)


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    members = _sample_members()
    members["xl/worksheets/sheet1.xml"] += b" " * (4 * 2**20)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_zip(members))
    with pytest.raises(InputError, match="xlsx_ratio=100") as info:
        read_workbook(path)
    assert "sheet1.xml" in info.value.message_en
    read_workbook(path, Limits(xlsx_ratio=10_000))  # raised: it is an ordinary workbook with padding


def test_input_files_are_not_modified_by_any_command(tmp_path, selfeval):
    files = [tmp_path / p.name for p in (SAMPLE, SAMPLE_XLSX)]
    for src, dst in zip((SAMPLE, SAMPLE_XLSX), files):
        dst.write_bytes(src.read_bytes())
    before = [_digest(p) for p in files]
    for f in files:
        selfeval("check", str(f), "--format", "json")
        selfeval("convert", str(f))
        selfeval("check", str(f), "--explain", "AR002")
    assert [_digest(p) for p in files] == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in files)


def test_lint_reports_a_rule_file_linking_outside(tmp_path):
    outside = _pack(tmp_path / "elsewhere") / "r.yaml"
    pack = _pack(tmp_path / "pack", rid="ZZ002")
    _symlink_or_skip(pack / "linked.yaml", outside)
    proc = run_cli("rules", "lint", str(pack), "--lang", "en")
    assert proc.returncode == 1 and "points outside its rule pack folder" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_fifo_is_not_read(tmp_path, selfeval):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    code, _, err = selfeval("check", str(fifo), "--format", "json")
    assert code == 2 and "不是普通文件" in err
    xlsx = tmp_path / "pipe.xlsx"
    os.mkfifo(xlsx)
    code, _, err = selfeval("check", str(xlsx), "--format", "json")
    assert code == 2 and "不是普通文件" in err


def test_long_cells_are_quoted_not_copied_into_findings():
    data = {"kind": "transfer", "funds": {"total": {"label": "合计", "budget": "约" + "1" * 20_000}},
            "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "名" * 5_000, "target": "≥1个", "actual": "请填写" + "字" * 50_000}]}
    report = Validator().check_mapping(data)
    assert report.findings
    assert all(len(f.message) < 1_000 and len(f.location.label or "") <= 100 for f in report.findings)


def test_no_unsafe_loading_or_evaluation_in_the_code():
    """Rule text and file content never reach eval/exec/import or an unsafe YAML loader:
    the code (strings and comments aside) calls none of them."""
    import re
    import tokenize

    bad = re.compile(r"\b(eval|exec|__import__|unsafe_load|full_load|FullLoader|UnsafeLoader|pickle|marshal)\b|\byaml\.Loader\b")
    safe_load = re.compile(r"yaml\.load\(\w+,Loader=(DecimalSafeLoader|DecimalPureLoader|_SafeLineLoader|_PureLineLoader)\)")
    # The one exception: packs/program.py runs the rule code selfeval generates from ast
    # nodes (and keeps compiled in its cache); tests/test_codegen.py checks what it holds.
    generated = ROOT / "validator" / "packs" / "program.py"
    for path in sorted((ROOT / "validator").rglob("*.py")):
        lines: dict[int, str] = {}
        with path.open("rb") as handle:
            for tok in tokenize.tokenize(handle.readline):
                if tok.type in (tokenize.NAME, tokenize.OP, tokenize.NUMBER):
                    lines[tok.start[0]] = lines.get(tok.start[0], "") + " " + tok.string
        for n, spaced in lines.items():
            code = spaced.replace(" ", "")
            hit = bad.search(spaced)
            if hit and path == generated and hit[1] in ("exec", "marshal"):
                continue
            assert not hit, f"{path}:{n}: {code}"
            if "yaml.load(" in code:
                assert safe_load.search(code), f"{path}:{n}: {code}"


class _LibyamlWithALowLimit:
    """Stands in for a libyaml whose own nesting limit is far below ours, and whose
    scanner refuses a document long before the events reach that depth (as libyaml
    0.2.5+ does at 1,000 levels)."""

    @staticmethod
    def make(limit: int):
        import yaml

        class Refusing(yaml.SafeLoader):
            def check_event(self, *choices):
                if self.flow_level > limit or len(self.indents) > limit:
                    raise yaml.scanner.ScannerError(None, None, "exceeded maximum nesting depth", self.get_mark())
                return super().check_event(*choices)

        return Refusing


@pytest.mark.parametrize("libyaml_limit", [8, 40, 70])
def test_depth_message_does_not_depend_on_libyamls_own_limit(monkeypatch, libyaml_limit):
    from validator.read import yamltext as reader
    from validator.read.yamltext import read_as_written

    refusing = _LibyamlWithALowLimit.make(libyaml_limit)

    class FastLoader(refusing):
        flatten_mapping = reader.flatten_mapping

    read_as_written(FastLoader)
    monkeypatch.setattr(reader, "BaseSafeLoader", refusing)
    monkeypatch.setattr(reader, "DecimalSafeLoader", FastLoader)
    # Deep enough to need the event scan, and shallow ones the refusing loader rejects.
    with pytest.raises(InputError, match="depth=64"):
        parse_text("a: " + "[" * 3000 + "]" * 3000, "yaml", "d.yaml")
    with pytest.raises(InputError, match="depth=64"):
        parse_text("a: " + "[" * 100 + "]" * 100, "yaml", "d.yaml")
    with pytest.raises(InputError, match="YAML 嵌套超过 1,000 层"):
        parse_text("a: " + "[" * 3000 + "]" * 3000, "yaml", "d.yaml", Limits(depth=10**6))
    # Within our limits, what libyaml refuses is still read.
    doc = parse_text("a: " + "[" * 30 + "1.50" + "]" * 30, "yaml", "d.yaml")
    inner = doc["a"]
    for _ in range(29):
        inner = inner[0]
    assert inner == [Decimal("1.50")]


def _expanded_size(node) -> int:
    """The size check_shape answers, by plain recursion (shared parts counted each time)."""
    if isinstance(node, dict):
        return 1 + len(node) + sum(_expanded_size(v) for v in node.values())
    if isinstance(node, list):
        return 1 + sum(_expanded_size(v) for v in node)
    return 1


def _random_tree(rnd, depth=0, shared=None):
    roll = rnd.random()
    if depth > 5 or roll < 0.35:
        return rnd.choice([1, "x", None, Decimal("2.5"), True])
    if shared is not None and roll < 0.45:
        return shared
    if roll < 0.7:
        return {f"k{i}": _random_tree(rnd, depth + 1, shared) for i in range(rnd.randint(0, 4))}
    return [_random_tree(rnd, depth + 1, shared) for _ in range(rnd.randint(0, 4))]


@pytest.mark.parametrize("seed", range(4))
def test_check_shape_size_of_trees_with_and_without_shared_parts(seed):
    rnd = random.Random(seed)
    for _ in range(300):
        plain = _random_tree(rnd)
        assert limits.check_shape(plain) == _expanded_size(plain)
        shared = {"s": [1, {"t": "x"}]}
        aliased = {"a": _random_tree(rnd, shared=shared), "b": shared}
        assert limits.check_shape(aliased) == _expanded_size(aliased)


def _any_number_out_of_range(node, lim) -> bool:
    """By plain recursion: a number (not a bool) beyond the digits or exponent limit."""
    if isinstance(node, dict):
        return any(_any_number_out_of_range(v, lim) for v in node.values())
    if isinstance(node, list):
        return any(_any_number_out_of_range(v, lim) for v in node)
    if isinstance(node, (int, float, Decimal)) and not isinstance(node, bool):
        number = Decimal(repr(node)) if isinstance(node, float) else Decimal(node)
        return limits.number_problem(number, lim) is not None
    return False


@pytest.mark.parametrize("seed", range(4))
def test_survey_is_check_shape_and_numbers_in_range_in_one(seed):
    """check_mapping measures a document and looks at its numbers in one walk (survey);
    it must answer what the two separate walks answer, with shared parts or without."""
    rnd = random.Random(seed)
    lim = Limits(digits=6, exponent=5)
    odd = [10**6, -10**6, 999999, Decimal("1.23456"), Decimal("1.234567"), Decimal("1E+6"), Decimal("1E-6"),
           1.5, 1e300, False, "1" * 40]
    for _ in range(300):
        tree = _random_tree(rnd)
        for doc in (tree, {"a": tree, "n": rnd.choice(odd)}, {"a": [tree, rnd.choice(odd)], "b": {"s": tree}},
                    {"s": (shared := [rnd.choice(odd)]), "t": shared}):
            expected = (_expanded_size(doc), not _any_number_out_of_range(doc, lim))
            assert limits.survey(doc, lim) == expected, doc
            assert (limits.check_shape(doc, lim), limits.numbers_in_range(doc, lim)) == expected


def test_check_shape_node_limit_is_the_same_for_a_plain_tree():
    doc = {"indicators": [{"name": "x", "target": 1} for _ in range(10)]}
    size = _expanded_size(doc)
    assert limits.check_shape(doc, Limits(yaml_nodes=size)) == size
    with pytest.raises(limits.ShapeError) as info:
        limits.check_shape(doc, Limits(yaml_nodes=size - 1))
    assert info.value.kind == "nodes"


def _yaml_depth(text: str) -> int:
    import yaml

    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


def _nested(rnd, depth):
    if depth == 0 or rnd.random() < 0.2:
        return rnd.choice(["x", 1, "a b", None, "多行\n文本", 1.5, ""])
    if rnd.random() < 0.5:
        return [_nested(rnd, depth - 1) for _ in range(rnd.randint(1, 3))]
    return {f"k{i}": _nested(rnd, depth - 1) for i in range(rnd.randint(1, 3))}


@pytest.mark.parametrize("seed", range(3))
def test_yaml_nesting_bound_is_never_below_the_depth(seed):
    """The YAML reader skips its event-by-event depth scan when nesting_bound says the
    text cannot nest beyond the limit; the bound must hold for every layout YAML allows."""
    import yaml

    from validator.read.yamltext import nesting_bound

    rnd = random.Random(seed)
    texts = ["? - a\n: - b\n", "a:\n- b:\n  - c:\n    - d\n", "- !!seq\n  - a\n", "- - - - a\n",
             "a: [\n                    [1,\n [2]]]\n", "- |\n      text\n- >\n  folded\n", "a: &x\n  - 1\nb: *x\n",
             "{a: [b, {c: [d]}]}\n", "- a: [b]\n  c: {d: [e]}\n", "--- \n- a\n"]
    for _ in range(150):
        doc = _nested(rnd, rnd.randint(1, 9))
        for flow in (False, True, None):
            texts.append(yaml.safe_dump(doc, default_flow_style=flow, indent=rnd.randint(2, 6),
                                        width=rnd.choice([20, 80, 10**6]), allow_unicode=True))
    for text in texts:
        assert nesting_bound(text) >= _yaml_depth(text), text
