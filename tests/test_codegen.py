"""Generated rule code against the closures it is generated beside.

The closures (expression/compiler.py) are the reference implementation; the generated
passes (packs/program.py) must fire on exactly the same rules and items, on every
fixture case of every shipped pack, every sample and hypothesis-generated submissions,
and the findings a check reports must be identical whichever decides."""

from __future__ import annotations

import ast
import copy
import re
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator import Validator
from validator.check import engine
from validator.check import schema as schema_check
from validator.expression.runtime import Context, truth
from validator.kinds import Other, kind_named
from validator.packs.fixtures import fixture_files, load_fixture
from validator.packs.program import Program, generate, simple_collection
from validator.read.text import DecimalSafeLoader

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PACKS = sorted(p.name for p in (ROOT / "rules").iterdir() if (p / "pack.yaml").is_file())
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate as synth  # noqa: E402


@pytest.fixture(scope="module")
def validators():
    return {name: Validator(packs=[name]) for name in PACKS}


def _stripped(data):
    """The document as check_documents keeps it (unknown parts stripped), or None."""
    kind = data.get("kind") if isinstance(data.get("kind"), str) else None
    problems = schema_check.check(data, kind)
    return schema_check.strip_unknown(data, problems, kind) if problems else data


def _prepared(data, others=()):
    """The tree rules see, as check_documents derives it: the kind's model, linked to the
    submission's other documents (a fixture's `others`)."""
    kind = kind_named(data.get("kind")) if isinstance(data.get("kind"), str) else None
    data = _stripped(data)
    if data is None or kind is None:
        return None
    linked = [Other(o["kind"], _stripped(o), f"others[{i}]") for i, o in enumerate(others)
              if isinstance(o, dict) and kind_named(o.get("kind")) is not None]
    return kind.derive(dict(data), [o for o in linked if o.data is not None])


def _closure_hits(rule, root, kind) -> list:
    """Where the reference closures say the rule fires, as the engine decides it."""
    if kind not in rule.applies_to:
        return []
    ctx = Context(root, None, rule.params)

    def fires() -> bool:
        if rule.when is not None and truth(rule.when.fn(ctx)) is not True:
            return False
        ctx.evidence.clear()
        return truth(rule.assert_.fn(ctx)) is False

    if not rule.for_each:
        return [None] if fires() else []
    node = root
    for name in simple_collection(rule.for_each):
        node = node.get(name) if isinstance(node, dict) else None
    out = []
    field, allowed = rule.item_filter or (None, None)
    for j, item in enumerate(node if isinstance(node, list) else []):
        if allowed is not None and (not isinstance(item, dict) or item.get(field) not in allowed):
            continue
        ctx.item = item
        if fires():
            out.append(j)
    return out


def assert_same(v: Validator, data, others=()) -> int:
    """Generated passes and closures agree on `data`; returns how many findings."""
    root = _prepared(copy.deepcopy(data), copy.deepcopy(list(others)))
    if root is None:
        return 0
    kind = data.get("kind")
    _, rules = v.rules_for(data)
    program = Program(rules, kind)
    hits = program.run(root)  # must not raise: the engine would fall back silently
    for i in program.covered:
        assert hits[i] == _closure_hits(rules[i], root, kind), f"{rules[i].id} on {data.get('name')}"
    from validator.packs.program import program_for

    while program_for(rules, kind) is None:  # without a cache the first request defers to the closures
        pass
    fast = [f.to_dict() for f in engine.evaluate(rules, root, kind)]
    reference = [f.to_dict() for f in engine.evaluate(rules, _prepared(copy.deepcopy(data), copy.deepcopy(list(others))),
                                                     kind, generated=False)]
    assert fast == reference
    return len(fast)


def _fixture_cases():
    for pack in PACKS:
        for rule_id, path in fixture_files(ROOT / "rules" / pack).items():
            for case in load_fixture(path)["cases"]:
                if isinstance(case.get("submission"), dict):
                    yield pytest.param(pack, case["submission"], case.get("others") or [],
                                       id=f"{pack}-{rule_id}-{case.get('name', '?')}")


@pytest.mark.parametrize(("pack", "submission", "others"), list(_fixture_cases()))
def test_generated_code_agrees_on_every_fixture(validators, pack, submission, others):
    assert_same(validators[pack], submission, others)


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=DecimalSafeLoader)


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.yaml")))
def test_generated_code_agrees_on_every_sample(name):
    v = Validator()
    assert assert_same(v, _load(SAMPLES / name)) >= 0


def test_generated_code_agrees_on_synthetic_submissions(validators):
    found = 0
    for _, sub, _ in synth.generate(25, 7, (5, 60), defect_share=0.8):
        data = yaml.load(synth.to_yaml(sub), Loader=DecimalSafeLoader)
        found += assert_same(validators["standard"], data)
    assert found > 10  # the defects were seen, so firing was compared, not only silence


CELL_VALUES = st.one_of(
    st.none(), st.integers(-10**6, 10**6).map(Decimal),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**5, max_value=10**5),
    st.sampled_from(["", " ", "0", "100", "100%", "95.5%", "≥15个", "＝5家", "≤3天", "提升", "满意", "无", "/", "-",
                     "#DIV/0!", "优", "良好", "2024年12月31日前", "请填写", "XXX", "1,234.5", "１００", "未完成，原因是资金不足",
                     "5万元", "5000元", "3个", "12分", "abc", "已完成"]),
    st.text(max_size=12),
)
FIELDS = ("target", "actual", "weight", "score", "reason", "budget", "executed", "rate", "balance", "issues",
          "initial_budget", "measure_unit", "nature", "name", "level1", "level2")
BASES = [_load(SAMPLES / n) for n in ("anshan-2024-transfer.yaml", "county-2024-project-defects.yaml",
                                       "disaster-relief-2024-county.yaml", "quxian-2024-experts.yaml")]


@st.composite
def submissions(draw):
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    rows = list(data.get("indicators") or []) + [data["funds"]["total"]] + list(data["funds"].get("sources") or [])
    rows += list(data.get("management") or [])
    for _ in range(draw(st.integers(0, 8))):
        row = draw(st.sampled_from(rows))
        key = draw(st.sampled_from(FIELDS))
        value = draw(CELL_VALUES)
        if value is None and draw(st.booleans()):
            row.pop(key, None)
        else:
            row[key] = value
    if draw(st.booleans()):
        data["indicators"] = draw(st.lists(st.sampled_from(data.get("indicators") or [{}]), max_size=6))
    if draw(st.booleans()):
        for key in ("total", "report", "scorecard", "notes", "goal"):
            if draw(st.booleans()):
                data.pop(key, None)
    return data


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(submissions())
def test_generated_code_agrees_on_generated_submissions(data):
    assert_same(_every_pack(), data)


_SHARED: dict = {}


def _every_pack() -> Validator:
    if "v" not in _SHARED:
        _SHARED["v"] = Validator()
    return _SHARED["v"]


# --- what the generated module is made of ----------------------------------------------------------

OUR_NAMES = re.compile(r"^(k\d+|t\d+|s\d+|h\d+|p\d+|root|H|K|item|d|j|make|isinstance|dict|str|enumerate|UNSET|EMPTY|"
                       r"truth|lt|le|gt|ge|eq|ne|approx|eq_literal|eq_text|contains|arith|neg|call1|call1e|call2|map1|"
                       r"map2|exists|blank|matches|says_nothing|Notation)$")


@pytest.mark.parametrize("kind", ["transfer", "project"])
def test_generated_source_holds_no_rule_text(kind):
    """Every name in the module is one of ours and every constant a number, True, False or
    None: what rules say reaches the module only as data (the constants K)."""
    v = Validator()
    every = [r for p in v.packs for r in p.rules + [x for x in p.overridden.values() if x is not None]]
    for rules in (every, v.rules):
        source = generate(rules, kind)
        names, constants = set(), set()
        for node in ast.walk(source.module):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Constant):
                constants.add(type(node.value))
            elif isinstance(node, ast.alias):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Attribute):
                assert node.attr in ("get", "strip", "append", "__class__", "kind"), node.attr
        assert not {n for n in names if not OUR_NAMES.match(n)}
        assert constants <= {bool, int, type(None)}
        # …and the rules' names and strings are in the data instead.
        assert ["coll", ["indicators"]] in source.specs and ["s", "actual"] in source.specs
        assert len(source.covered) > 0.8 * len([r for r in rules if kind in r.applies_to])
