"""Every rule of every built-in pack has a fixture file with a passing and a failing
case, and each case produces exactly the findings it names."""

from __future__ import annotations

import pytest

from validator import Validator
from validator.packs.fixtures import fixture_files, load_fixture, run_case

VALIDATOR = Validator()
CASES = []
for _pack in VALIDATOR.packs:
    _files = fixture_files(_pack.path)
    for _rule in _pack.rules:
        if _rule.id in _files:
            for _case in load_fixture(_files[_rule.id])["cases"]:
                CASES.append(pytest.param(_rule.id, _case, id=f"{_rule.id}-{_case.get('name', '?')}"))


@pytest.mark.parametrize("rule_id,case", CASES)
def test_fixture_case(rule_id, case):
    result = run_case(VALIDATOR, rule_id, case)
    assert result.ok, "\n".join(result.problems)


@pytest.mark.parametrize("pack", VALIDATOR.packs, ids=lambda p: p.name)
def test_every_rule_has_passing_and_failing_cases(pack):
    files = fixture_files(pack.path)
    lacking = []
    for rule in pack.rules:
        if rule.id not in files:
            lacking.append(f"{rule.id}: no fixture")
            continue
        cases = load_fixture(files[rule.id])["cases"]
        if not any(not c.get("expect") for c in cases) or not any(c.get("expect") for c in cases):
            lacking.append(f"{rule.id}: needs a passing and a failing case")
    assert not lacking, lacking
