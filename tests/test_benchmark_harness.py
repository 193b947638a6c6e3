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


def test_benchmark_rule_set_is_the_standard_packs_error_rules():
    from validator import Validator

    v = Validator(packs=["standard"])
    # Rules that read another document of the submission (the issued targets) have
    # nothing to read in a one-document benchmark.
    ids = sorted(r.id for r in v.rules if r.pack == "standard" and r.severity == "error"
                 and r.category in ("arithmetic", "target_actual", "unit")
                 and not any(word in p for p in r.assert_.paths + (r.when.paths if r.when else [])
                             for word in ("issued", "allocated", "execution_")))
    assert ids == sorted(baseline.BENCH_RULES)


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


def test_baseline_has_every_rule_of_the_standard_pack_and_agrees_on_its_fixtures():
    """One function per rule: a rule added to the pack without one is named here (and by
    the harness), never silently left out of the comparison."""
    import copy

    from validator.packs.fixtures import fixture_files, load_fixture

    v = Validator(packs=["standard"])
    ids = sorted(r.id for r in v.rules if r.pack == "standard")
    assert sorted(baseline.RULES) == ids
    compared = 0
    for rid, path in fixture_files(ROOT / "rules" / "standard").items():
        for case in load_fixture(path)["cases"]:
            report = v.check_mapping(copy.deepcopy(case["submission"]))
            if any(f.rule.startswith("SC") for f in report.findings):
                continue
            ours = Counter((f.rule, f.location.path) for f in report.findings if f.rule in baseline.RULES)
            assert Counter(baseline.check(case["submission"])) == ours, f"{rid}: {case.get('name')}"
            compared += 1
    assert compared > 200


def test_full_baseline_agrees_with_selfeval_on_generated_submissions():
    v = Validator(packs=["standard"])
    for _, sub, _ in generate.generate(30, 5, (5, 80), defect_share=0.7):
        data = json.loads(generate.to_json(sub), parse_float=Decimal)
        ours = Counter((f.rule, f.location.path) for f in v.check_mapping(data).findings if f.rule in baseline.RULES)
        assert Counter(baseline.check(data)) == ours


def test_interleaved_timing_gives_every_checker_a_sample_each_repetition():
    import run

    order = []
    out = run.interleaved([(name, (lambda n: lambda x: order.append(n))(name), [1]) for name in "abc"], 4)
    assert {k: len(v["samples"]) for k, v in out.items()} == {"a": 4, "b": 4, "c": 4}
    assert order[:3] == ["a", "b", "c"] and order[3:6] == ["b", "c", "a"]
