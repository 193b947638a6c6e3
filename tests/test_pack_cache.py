"""The cache of loaded packs and generated rule code: same answers, never trusted blindly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from validator import Validator
from validator.errors import RuleError
from validator.limits import Limits
from validator.packs import program as program_module

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("SELFEVAL_CACHE_DIR", str(folder))
    monkeypatch.delenv("SELFEVAL_NO_CACHE", raising=False)
    # Programs are also kept in memory per rule list; a new Validator has new lists.
    program_module._PROGRAMS.clear()
    return folder


def _findings(v: Validator) -> list[dict]:
    return [f.to_dict() for f in v.check(SAMPLES).findings]


def _no_yaml_rules(monkeypatch):
    """Loading a rule file from here on fails the test: the cache must serve."""
    from validator.packs import yamlfile

    def refuse(*a, **k):
        raise AssertionError("a rule file was read although the cache holds the packs")

    monkeypatch.setattr(yamlfile, "load_yaml", refuse)


def _settings(v: Validator) -> dict:
    """What a load decides beyond the rule text: policies, kinds, parameters, overrides."""
    out = {}
    for p in v.packs:
        out[p.name] = (p.policies, p.applies_to, {
            r.id: (r.applies_to, sorted(r.params), r.policies, r.policies_used, r.severity)
            for r in p.rules + [x for x in p.overridden.values() if x is not None]})
    return out


def test_a_cached_load_gives_the_same_findings(cache_dir, monkeypatch):
    first = Validator()
    fresh = _findings(first)
    assert any(cache_dir.glob("packs-*.json")) and any(cache_dir.glob("program-*.pyc"))
    assert any(cache_dir.glob("program-*.py"))
    _no_yaml_rules(monkeypatch)
    program_module._PROGRAMS.clear()
    v = Validator()
    assert _findings(v) == fresh
    assert len(fresh) > 20
    # Pack policies (a fund pack's stricter execution rate) survive the cache.
    assert _settings(v) == _settings(first)
    assert any(p.policies.get("low_execution") for p in v.packs if p.name != "standard")
    # What is shown of a rule does not depend on where it came from.
    rule = next(r for r in v.rules if r.id == "AR007")
    assert rule.assert_.source.startswith("item.rate") and rule.assert_.paths


def test_no_cache_writes_nothing(cache_dir, monkeypatch):
    monkeypatch.setenv("SELFEVAL_NO_CACHE", "1")
    Validator().check(SAMPLES / "anshan-2024-transfer.yaml")
    assert not cache_dir.exists() or not any(cache_dir.iterdir())


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "garbage"])
def test_a_damaged_pack_entry_is_rebuilt(cache_dir, monkeypatch, damage):
    fresh = _findings(Validator())
    (entry,) = cache_dir.glob("packs-*.json")
    raw = entry.read_bytes()
    damaged = {
        "flip": raw[:-40] + bytes([raw[-40] ^ 0x20]) + raw[-39:],
        "truncate": raw[: len(raw) // 2],
        "empty": b"",
        "garbage": b"\x00\xff not json",
    }[damage]
    entry.write_bytes(damaged)
    program_module._PROGRAMS.clear()
    calls = []
    from validator.packs import pack as pack_module

    real = pack_module.load_pack
    monkeypatch.setattr(pack_module, "load_pack", lambda folder, *rest: calls.append(folder) or real(folder, *rest))
    assert _findings(Validator()) == fresh
    assert calls, "the damaged entry was used instead of loading the packs again"
    assert entry.read_bytes() == raw  # rebuilt as it was


def test_a_foreign_pack_entry_is_ignored(cache_dir, monkeypatch):
    """An entry copied under another key (another selfeval, other pack files) is not used."""
    fresh = _findings(Validator())
    (entry,) = cache_dir.glob("packs-*.json")
    other = Validator(rules=[SAMPLES.parent / "rules" / "standard"], builtin=False)
    (other_entry,) = [p for p in cache_dir.glob("packs-*.json") if p != entry]
    shutil.copyfile(other_entry, entry)  # right hash, wrong key
    program_module._PROGRAMS.clear()
    assert _findings(Validator()) == fresh
    assert len(other.packs) == 1


@pytest.mark.parametrize("part", ["pyc", "json"])
def test_a_damaged_program_is_rebuilt(cache_dir, part):
    fresh = _findings(Validator())
    for path in cache_dir.glob(f"program-*.{part}"):
        raw = path.read_bytes()
        path.write_bytes(raw[:20] + b"\x00" * 8 + raw[28:])
    program_module._PROGRAMS.clear()
    assert _findings(Validator()) == fresh


def test_changing_a_rule_file_changes_the_key(cache_dir, tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("name: mine\ntitle: 我的\n", encoding="utf-8")
    rule = """rules:
  - id: MY001
    title: 指标不多于上限
    category: form
    severity: error
    assert: len(indicators) < {n}
    message: 指标过多
    message_en: too many indicators
    rationale: 测试
"""
    (pack / "rules.yaml").write_text(rule.format(n=1000), encoding="utf-8")
    target = SAMPLES / "anshan-2024-transfer.yaml"
    first = [f.rule for f in Validator(rules=[pack], select=["MY001"]).check(target).findings]
    (pack / "rules.yaml").write_text(rule.format(n=1), encoding="utf-8")
    second = [f.rule for f in Validator(rules=[pack], select=["MY001"]).check(target).findings]
    assert first == [] and second == ["MY001"]
    # A broken rule file is reported, not served from the cache.
    (pack / "rules.yaml").write_text(rule.format(n="nosuch.field"), encoding="utf-8")
    with pytest.raises(RuleError):
        Validator(rules=[pack])


def test_built_in_rules_compile_from_the_cache_under_lowered_limits(cache_dir):
    fresh = _findings(Validator())
    program_module._PROGRAMS.clear()
    low = Limits(expression_length=10, expression_depth=2, pattern_length=3)
    assert [f for f in _findings(Validator(limits=low))] == fresh


def test_without_a_cache_the_first_submission_runs_on_the_closures(cache_dir, monkeypatch):
    """Generating a module costs more than checking one file: a run that cannot keep it
    (SELFEVAL_NO_CACHE) generates it for the second submission, not the first."""
    from validator.packs.program import _ASKED, program_for

    monkeypatch.setenv("SELFEVAL_NO_CACHE", "1")
    _ASKED.clear()
    v = Validator(packs=["standard"])
    sample = SAMPLES / "county-2024-project-defects.yaml"
    first = v.check(sample).to_dict()
    rules = v.rules_for({"kind": "project"})[1]
    assert len(_ASKED) == 1
    second = v.check(sample).to_dict()
    assert first == second and first["files"][0]["findings"]
    assert program_for(rules, "project") is not None  # generated by the second check


def test_with_a_cache_the_first_submission_generates_and_keeps_the_module(cache_dir):
    from validator.packs.program import program_for

    v = Validator(packs=["standard"])
    rules = v.rules_for({"kind": "project"})[1]
    assert program_for(rules, "project") is not None
    assert any(cache_dir.glob("program-*.pyc"))


@pytest.mark.parametrize("env", [{}, {"SELFEVAL_CACHE_DIR": "/some/where"}, {"XDG_CACHE_HOME": "/xdg"},
                                 {"SELFEVAL_NO_CACHE": "1", "SELFEVAL_CACHE_DIR": "/some/where"}])
def test_the_pack_cache_and_the_tree_cache_share_one_folder(monkeypatch, env):
    from validator.expression.treecache import TreeCache
    from validator.packs import cache

    for name in ("SELFEVAL_CACHE_DIR", "SELFEVAL_NO_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    tree_file = TreeCache("a grammar no cache holds").path
    assert (tree_file.parent if tree_file is not None else None) == cache.folder()


def test_prune_keeps_the_most_recently_used_entries_whole(tmp_path):
    import os

    from validator.cachefolder import prune

    for i in range(6):
        for suffix in (".json", ".py", ".pyc"):
            path = tmp_path / f"program-{i:04d}{suffix}"
            path.write_text("x")
            os.utime(path, ns=(10**18 + i, 10**18 + i))
    (tmp_path / "packs-0001.json").write_text("x")  # another sort: untouched
    prune(tmp_path, "program", 2, (".json", ".py", ".pyc"))
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["packs-0001.json"] + [f"program-{i:04d}{s}" for i in (4, 5) for s in (".json", ".py", ".pyc")]


def test_the_cache_folder_is_bounded_and_keeps_what_is_in_use(cache_dir, monkeypatch):
    from validator.packs import cache

    monkeypatch.setitem(cache.KEEP, "program", 2)
    sample = SAMPLES / "county-2024-project-defects.yaml"
    selections = (["AR"], ["TA"], ["UN"], ["EX"])
    for select in selections:
        program_module._PROGRAMS.clear()
        Validator(select=select).check_file(sample)
        Validator(select=select).check_file(sample)  # the second from the cache
    programs = sorted(cache_dir.glob("program-*.json"))
    assert len(programs) == 2
    # The last rule set run is served from the cache, and an older one is made afresh.
    program_module._PROGRAMS.clear()
    before = {p.name for p in cache_dir.glob("program-*")}
    Validator(select=["EX"]).check_file(sample)
    assert {p.name for p in cache_dir.glob("program-*")} == before
    assert len(list(cache_dir.glob("program-*.json"))) == 2


def test_a_rule_from_the_cache_keeps_its_closures_not_its_parse_tree(cache_dir):
    """A batch compiles each rule that fires; holding every parse tree for that made its
    memory grow with the rules it had met. The tree is compiled again when the rule is
    to be written as Python, so generated code still covers it."""
    from validator.packs.program import generate, program_for

    Validator(packs=["standard"])  # fills the pack cache
    program_module._PROGRAMS.clear()
    v = Validator(packs=["standard"])
    sample = SAMPLES / "county-2024-project-defects.yaml"
    findings = v.check(sample).findings
    fired = {f.rule for f in findings}
    rules = v.rules_for({"kind": "project"})[1]
    compiled = [r for r in rules if r.id in fired and type(r.assert_).__name__ == "LazyCompiled"]
    assert compiled, "the rules come from the pack cache and compile when they fire"
    assert all(r.assert_.compiled().tree is None and r.assert_.fn is not None for r in compiled)
    # Written as Python afresh: every rule the closures ran is still in the generated passes.
    source = generate(rules, "project")
    indexes = {i for i, r in enumerate(rules) if r in compiled}
    assert indexes <= source.covered
    program_module._PROGRAMS.clear()
    assert program_for(rules, "project") is not None
    assert [f.to_dict() for f in v.check(sample).findings] == [f.to_dict() for f in findings]


def _parse_in_a_new_process(folder: Path) -> str:
    """A fresh interpreter parses a cell only the value grammar reads, with `folder` as
    the cache folder: what it printed (kind, operator, number, unit)."""
    import os
    import subprocess
    import sys

    code = ("from validator.domain import notation\n"
            "n = notation.parse_text('2024年12月底前')\n"
            "assert notation._parser is not None, 'the grammar read it'\n"
            "print(n.kind, n.op, n.start, n.end)\n")
    env = {k: v for k, v in os.environ.items() if k != "SELFEVAL_NO_CACHE"}
    env["SELFEVAL_CACHE_DIR"] = str(folder)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout


def test_the_value_parser_is_kept_and_a_damaged_copy_is_built_again(tmp_path):
    folder = tmp_path / "cache"
    first = _parse_in_a_new_process(folder)
    kept = folder / "grammar-value.lark"
    assert kept.is_file() and first == "deadline ≤ 2024-12-31 2024-12-31\n"
    assert _parse_in_a_new_process(folder) == first  # served from the file
    kept.write_bytes(b"not a parser\n\x80\x04garbage")
    assert _parse_in_a_new_process(folder) == first
    assert kept.read_bytes() != b"not a parser\n\x80\x04garbage", "rewritten"
    readonly = tmp_path / "readonly"
    readonly.write_text("a file where the folder should be", encoding="utf-8")
    assert _parse_in_a_new_process(readonly) == first  # no folder to keep it in: built, not kept
