"""No shipped rule does more than linear work in the size of a table.

Work is counted, not timed: every Python and builtin call made while a rule runs
(sys.setprofile), on the same synthetic table with 100 and with 1,000 indicators. A
linear rule does about ten times the work on the larger table; one that recomputes a
whole-table value for every indicator (count(indicators[*].weight) in a per-indicator
rule) does about a hundred times."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest
import yaml

from validator import Validator
from validator.check import engine
from validator.kinds.self_eval import model
from validator.packs.program import Program
from validator.read.text import DecimalSafeLoader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate as synth  # noqa: E402

# Ten times the indicators; linear work grows about tenfold (the rest of the table, funds
# and groups, grows less). Quadratic work would grow a hundredfold.
LIMIT = 20.0


def _tables(kind: str) -> tuple[dict, dict]:
    """A table of 100 indicators, and the same table with each indicator ten times (as
    ten differently named indicators of the same groups): only the size differs."""
    _, sub, _ = next(synth.generate(1, 11, (100, 100), defect_share=0.0, kind=kind))
    data = yaml.load(synth.to_yaml(sub), Loader=DecimalSafeLoader)
    large = copy.deepcopy(data)
    large["indicators"] = [dict(row, name=f"{row.get('name')}（{k}）") for k in range(10) for row in data["indicators"]]
    return model.build(data), model.build(large)


def _work(fn) -> int:
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call" or event == "c_call":
            calls += 1

    sys.setprofile(count)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls


@pytest.fixture(scope="module")
def every_rule():
    v = Validator()
    rules = [r for p in v.packs for r in p.rules]
    rules += [r for p in v.packs for r in p.overridden.values() if r is not None]
    return rules


@pytest.mark.parametrize("kind", ["transfer", "project"])
def test_no_rule_is_superlinear(every_rule, kind):
    small, large = _tables(kind)
    assert len(large["indicators"]) == 10 * len(small["indicators"]) == 1000
    worst = {}
    for rule in every_rule:
        if kind not in rule.applies_to:
            continue
        a = _work(lambda: list(engine.run_rule(rule, small, kind)))
        b = _work(lambda: list(engine.run_rule(rule, large, kind)))
        worst[rule.id] = b / max(a, 1)
    over = {rid: round(r, 1) for rid, r in worst.items() if r > LIMIT}
    assert not over, f"work grows faster than the table: {over}"
    assert len(worst) > 40


@pytest.mark.parametrize("kind", ["transfer", "project"])
def test_generated_passes_are_linear(every_rule, kind):
    small, large = _tables(kind)
    program = Program(every_rule, kind)
    for fn in program.functions:
        a = _work(lambda: fn(small, {i: [] for i in program.covered}))
        b = _work(lambda: fn(large, {i: [] for i in program.covered}))
        assert b <= LIMIT * max(a, 1), f"{fn.__name__}: {a} calls at 100 indicators, {b} at 1,000"


def test_the_instrument_sees_a_quadratic_rule(every_rule):
    """A rule that recounts the table for every indicator is caught (hoisting off)."""
    from validator.expression import compiler

    small, large = _tables("project")
    saved = compiler._worth_hoisting
    compiler._worth_hoisting = lambda node: False
    try:
        v = Validator(packs=["standard"], select=["FM012"])
        rule = v.rules[0]
        rule.when.fn, rule.assert_.fn  # compiled now, whether or not the packs came from the cache
    finally:
        compiler._worth_hoisting = saved
    a = _work(lambda: list(engine.run_rule(rule, small, "project")))
    b = _work(lambda: list(engine.run_rule(rule, large, "project")))
    assert b / a > 50
