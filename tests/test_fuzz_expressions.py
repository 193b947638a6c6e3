"""Fuzzing the expression compiler and both evaluators (closures and generated code).

Random expressions — grammatical ones built from the language's paths, literals,
operators and functions, and plain noise — on random submissions must end in a compile
error (ExpressionError) or a value: never another exception, from either evaluator,
and the two evaluators must give the same value. Bounded for CI by example counts
(SELFEVAL_PROPERTY_SCALE raises them); tests/fuzz_expressions_atheris.py runs the same target
under atheris, coverage-guided, when it is installed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from decimal import Decimal

from test_properties import INDICATOR, SCALE, _expressions, submissions

from validator.domain import measure, units
from validator.expression.compiler import compile_expression
from validator.expression.diagnostics import ExpressionError
from validator.expression.runtime import Context
from validator.kinds.self_eval import model
from validator.packs.program import expression_function

# Parameters as rules have them (packs/rule.py _param_value): measures and strings.
PARAMS = {"n": measure.exact(Decimal(5), units.lookup("个")), "pattern": "监控"}
FUZZ = settings(max_examples=200 * SCALE, deadline=None, derandomize=SCALE == 1,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _same(a, b) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b and type(a) is type(b)


def run_one(source: str, submission: dict) -> int:
    """Compile `source` with and without an item; evaluate what compiles with both
    evaluators on the submission. Returns how many evaluations ran."""
    ran = 0
    root = model.build(submission)
    for item_type in (None, INDICATOR):
        try:
            compiled = compile_expression(source, item_type, params=PARAMS)
        except ExpressionError:
            continue
        generated = expression_function(compiled, PARAMS, item=item_type is not None)
        items = root["indicators"][:3] if item_type is not None else [None]
        for item in items:
            expected = compiled.fn(Context(root, item, PARAMS))
            got = generated(root, item)
            assert _same(got, expected), (source, got, expected)
            ran += 1
    return ran


@FUZZ
@given(_expressions(), submissions())
def test_random_expressions_end_in_a_compile_error_or_the_same_value(source, submission):
    run_one(source, submission)


def test_the_fuzzer_reaches_the_evaluators():
    """Guard against a strategy that only ever produces compile errors."""
    from test_properties import BASES

    assert run_one("sum(indicators[*].weight) + 1 > 0 and not blank(item.target)", BASES[0]) > 0
    assert run_one("matches(item.name, param.pattern) or item.actual ≈ item.target", BASES[1]) > 0


def test_atheris_session_when_installed(tmp_path):
    """A short coverage-guided session (tests/fuzz_expressions_atheris.py), bounded by its run count."""
    import importlib.util
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    if importlib.util.find_spec("atheris") is None:
        pytest.skip("atheris is not installed (pip install '.[fuzz]')")
    script = Path(__file__).resolve().parent / "fuzz_expressions_atheris.py"
    proc = subprocess.run([sys.executable, str(script), "-runs=300", "-seed=1", f"-artifact_prefix={tmp_path}/"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Done 300 runs" in proc.stderr
