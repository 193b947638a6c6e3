"""The benchmark harness's own parts (benchmarks/): the generator is deterministic and
writes valid submissions, and the hand-written baseline agrees with selfeval. No timings
here: figures belong to `python benchmarks/run.py`."""

from __future__ import annotations

import json
import sys
from collections import Counter
from decimal import Decimal

import jsonschema
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import baseline
import generate

from validator import Validator

SCHEMA = json.loads((ROOT / "validator" / "kinds" / "self_eval" / "schema.json").read_text(encoding="utf-8"))


def _set(seed: int, count: int = 20, indicators=(10, 40)):
    return [(sub, applied) for _, sub, applied in generate.generate(count, seed, indicators)]


def test_generator_is_deterministic_for_a_seed():
    a = [generate.to_json(s) for s, _ in _set(7, 8)]
    b = [generate.to_json(s) for s, _ in _set(7, 8)]
    c = [generate.to_json(s) for s, _ in _set(8, 8)]
    assert a == b
    assert a != c
    # Submission i depends only on (seed, i): a longer run starts with the shorter one.
    assert [generate.to_json(s) for s, _ in _set(7, 12)][:8] == a


def test_generated_submissions_are_schema_valid_in_both_formats():
    from validator.read.text import parse_text

    check = jsonschema.Draft202012Validator(SCHEMA)
    kinds = Counter()
    for sub, _ in _set(3, 20):
        kinds[sub["kind"]] += 1
        for fmt in ("json", "yaml"):
            data = parse_text(generate.dump(sub, fmt), fmt, "<test>")
            errors = [e.message for e in check.iter_errors(data)]
            assert not errors, (fmt, errors[:3])
        assert 10 <= len(sub["indicators"]) <= 40
    assert kinds["transfer"] and kinds["project"]


def test_written_numbers_keep_their_decimals():
    sub = {"kind": "project", "funds": {"total": {"budget": Decimal("5000.00"), "executed": Decimal("4950.10")}}}
    from validator.read.text import parse_text

    for fmt in ("json", "yaml"):
        data = parse_text(generate.dump(sub, fmt), fmt, "<test>")
        assert str(data["funds"]["total"]["budget"]) == "5000.00"


def test_defects_are_applied_to_about_the_requested_share():
    applied = [a for _, a in _set(11, 200, (10, 20))]
    share = sum(bool(a) for a in applied) / len(applied)
    assert 0.15 <= share <= 0.45
    assert not any(applied for _, _, applied in generate.generate(30, 11, (10, 20), defect_share=0.0))


def test_baseline_agrees_with_selfeval_on_generated_submissions():
    from validator import Validator
    from validator.read.text import parse_text

    v = Validator(select=list(baseline.BENCH_RULES), packs=["standard"])
    failing = 0
    for seed in (5, 6):
        for sub, _ in _set(seed, 10, (10, 60)):
            data = parse_text(generate.to_json(sub), "json", "<test>")
            report = v.check_mapping(data)
            ours = Counter((f.rule, f.location.path) for f in report.findings)
            theirs = Counter(baseline.check_bench(data))
            assert report.ok == (not theirs)
            assert ours == theirs
            failing += not report.ok
    assert failing  # the set does exercise failing submissions


# What the links to the other documents of a submission give a 自评表 (kinds/self_eval/links.py).
_LINKED = ("issued", "allocated", "execution_", "targets_linked")


def _reads_other_documents(rule) -> bool:
    paths = [*rule.assert_.paths, *(rule.when.paths if rule.when else []), rule.for_each or ""]
    return any(word in p for p in paths for word in _LINKED)


def test_benchmark_rule_set_is_the_standard_packs_error_rules():
    """The same definition as run.py's start-up check."""
    v = Validator(packs=["standard"])
    ids = sorted(r.id for r in v.rules if r.pack == "standard" and r.severity == "error"
                 and r.category in ("arithmetic", "target_actual", "unit"))
    assert ids == sorted(baseline.BENCH_RULES)


def test_baseline_names_the_rules_that_read_other_documents():
    """The harness says which rules have nothing to read on a lone submission: exactly the
    pack's rules that read what the links give."""
    v = Validator(packs=["standard"])
    ids = sorted(r.id for r in v.rules if r.pack == "standard" and _reads_other_documents(r))
    assert ids == sorted(baseline.ACROSS_DOCUMENTS)


def test_baseline_policies_are_the_packs():
    """The baseline restates the rules under the policies the standard pack ships."""
    import yaml

    pack = yaml.safe_load((ROOT / "rules" / "standard" / "pack.yaml").read_text(encoding="utf-8"))
    assert pack["policies"] == baseline.POLICIES


def test_peer_agrees_on_pass_fail_when_installed():
    pytest.importorskip("rule_engine")
    import peer

    checker = peer.PeerChecker()
    from validator import Validator
    from validator.read.text import parse_text

    v = Validator(select=list(baseline.BENCH_RULES), packs=["standard"])
    for sub, _ in _set(9, 6, (10, 20)):
        data = parse_text(generate.to_json(sub), "json", "<test>")
        assert checker.passes(data) == v.check_mapping(data).ok


def test_peer_has_every_benchmark_rule_but_those_that_read_other_documents():
    pytest.importorskip("rule_engine")
    import peer

    have = {rid for rid, *_ in peer.PeerChecker().rules}
    assert have == set(baseline.BENCH_RULES) - set(peer.WITHOUT_PEER)
    assert set(peer.WITHOUT_PEER) <= set(baseline.ACROSS_DOCUMENTS)


def test_peer_gives_selfevals_findings_on_the_fixtures_when_installed():
    """Every fixture case of the standard pack, benchmark rules: the same (rule, path)
    findings, not only the same pass/fail."""
    pytest.importorskip("rule_engine")
    import copy

    import peer

    from validator.packs.fixtures import fixture_files, load_fixture

    checker = peer.PeerChecker()
    v = Validator(select=list(baseline.BENCH_RULES), packs=["standard"])
    compared = 0
    for rid, path in fixture_files(ROOT / "rules" / "standard").items():
        for case in load_fixture(path)["cases"]:
            report = v.check_mapping(copy.deepcopy(case["submission"]))
            if any(f.rule.startswith("SC") for f in report.findings):
                continue
            ours = Counter((f.rule, f.location.path) for f in report.findings)
            assert Counter(checker.check(case["submission"])) == ours, f"{rid}: {case.get('name')}"
            compared += 1
    assert compared > 200


def test_baseline_has_every_rule_of_the_standard_pack_and_agrees_on_its_fixtures():
    """One function per rule: a rule added to the pack without one is named here (and by
    the harness), never silently left out of the comparison. A case that gives the other
    documents of its submission is checked with them, alone too: the rules that read across
    documents report there, and only there."""
    import copy

    from validator.packs.fixtures import fixture_files, load_fixture
    from validator.submission import Document

    v = Validator(packs=["standard"])
    ids = sorted(r.id for r in v.rules if r.pack == "standard")
    assert sorted(baseline.RULES) == ids
    compared, reported = 0, Counter()
    for rid, path in fixture_files(ROOT / "rules" / "standard").items():
        for case in load_fixture(path)["cases"]:
            sub, others = case["submission"], case.get("others") or []
            for given in ([[], others] if others else [[]]):
                if given:
                    documents = [Document(copy.deepcopy(sub), rid)]
                    documents += [Document(copy.deepcopy(o), f"others[{i}]") for i, o in enumerate(given)]
                    report = v.check_documents(documents)[0]
                else:
                    report = v.check_mapping(copy.deepcopy(sub))
                if any(f.rule.startswith("SC") for f in report.findings):
                    continue
                ours = Counter((f.rule, f.location.path) for f in report.findings if f.rule in baseline.RULES)
                assert Counter(baseline.check(sub, others=given)) == ours, f"{rid}: {case.get('name')} (others: {len(given)})"
                compared += 1
                reported.update(r for r, _ in ours.elements())
    assert compared > 200
    # Every rule was compared where it reports, not only where it is silent: the
    # cross-document ones too, on the cases that give the other documents.
    assert not set(baseline.RULES) - set(reported)


def _indicator_row(level1, level2, name, target, actual, **more):
    return {"level1": level1, "level2": level2, "name": name, "target": target, "actual": actual, **more}


# Corners of the policies that neither the pack's fixtures nor the generator reach.
CORNERS = [
    # cost_classes / cost_level1: a cost 二级 under 成本 or 产出 is in place, elsewhere not
    ({"kind": "project", "indicators": [
        _indicator_row("成本指标", "成本指标", "项目总成本", "≤50万元", "48万元"),
        _indicator_row("产出指标", "经济成本指标", "单位成本", "≤2万元", "1.9万元"),
        _indicator_row("效益指标", "经济成本指标", "运行成本", "≤3万元", "2.5万元"),
        _indicator_row("满意度指标", "成本指标", "满意度成本", "≤1万元", "1万元"),
    ]}, []),
    # near_full: an unmet indicator scored near full marks (TA008), or above weight ×
    # completion but below near_full (TA011), and one whose completion is past near_full
    ({"kind": "project", "indicators": [
        _indicator_row("产出指标", "数量指标", "改造数量", "≥100个", "90个", weight=10, score=Decimal("9.6"), reason="资金未到位"),
        _indicator_row("产出指标", "数量指标", "培训人次", "≥100个", "90个", weight=10, score=Decimal("9.2"), reason="资金未到位"),
        _indicator_row("产出指标", "数量指标", "巡查次数", "≥100个", "96个", weight=10, score=Decimal("9.7"), reason="资金未到位"),
    ]}, []),
    # an indicator issued under another 一级 with the same 二级 class
    ({"kind": "project", "indicators": [_indicator_row("产出指标", "数量指标", "监控点位", "≥5个", "6个")]},
     [{"kind": "target_table", "indicators": [{"level1": "效益指标", "level2": "数量指标", "name": "监控点位", "target": "≥5个"}]}]),
]


def test_baseline_agrees_with_selfeval_where_the_policies_decide():
    import copy

    from validator.submission import Document

    v = Validator(packs=["standard"])
    reported = Counter()
    for sub, others in CORNERS:
        documents = [Document(copy.deepcopy(sub), "corner")] + [Document(copy.deepcopy(o), f"others[{i}]") for i, o in enumerate(others)]
        report = v.check_documents(documents)[0]
        assert not any(f.rule.startswith("SC") for f in report.findings)
        ours = Counter((f.rule, f.location.path) for f in report.findings if f.rule in baseline.RULES)
        assert Counter(baseline.check(sub, others=others)) == ours
        reported.update(r for r, _ in ours.elements())
    # the corners are reached: each of these reports somewhere above
    assert {"FM007", "TA008", "TA011", "IS002"} <= set(reported)


def test_full_baseline_agrees_with_selfeval_on_generated_submissions():
    v = Validator(packs=["standard"])
    reported = set()
    for _, sub, _ in generate.generate(30, 5, (5, 80), defect_share=0.7):
        data = json.loads(generate.to_json(sub), parse_float=Decimal)
        ours = Counter((f.rule, f.location.path) for f in v.check_mapping(data).findings if f.rule in baseline.RULES)
        assert Counter(baseline.check(data)) == ours
        reported.update(r for r, _ in ours)
    # the defects reach rules of every category, so the comparison is not of empty lists
    assert {"AR", "EX", "FM", "TA", "UN"} <= {r[:2] for r in reported}


def test_interleaved_timing_gives_every_checker_a_sample_each_repetition():
    import run

    order = []
    out = run.interleaved([(name, (lambda n: lambda x: order.append(n))(name), [1]) for name in "abc"], 4)
    assert {k: len(v["samples"]) for k, v in out.items()} == {"a": 4, "b": 4, "c": 4}
    assert order[:3] == ["a", "b", "c"] and order[3:6] == ["b", "c", "a"]
