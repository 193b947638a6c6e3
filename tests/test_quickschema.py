"""The fast structural check agrees with jsonschema on valid and broken submissions."""

from __future__ import annotations

import copy
from decimal import Decimal
import json
from pathlib import Path
import random

import jsonschema
import pytest
import yaml

from conftest import SAMPLES
from validator.quickschema import Unsupported, compile_schema, validator_for
from validator.read.text import DecimalSafeLoader
from validator.resources import schema_path


def load_schema(name):
    return json.loads(schema_path(name).read_text(encoding="utf-8"))


SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "validator" / "kinds" / "self_eval" / "schema.json").read_text(encoding="utf-8"))
QUICK = compile_schema(SCHEMA)
FULL = jsonschema.Draft202012Validator(SCHEMA)
DOCS = [yaml.load(p.read_text(encoding="utf-8"), Loader=DecimalSafeLoader) for p in sorted(SAMPLES.glob("*.yaml"))]
JUNK = [1, "x", None, [], {}, True, {"zz": 1}, [1], 1.5]


def _mutate(rnd: random.Random, doc):
    doc = copy.deepcopy(doc)
    node = doc
    for _ in range(rnd.randint(1, 5)):
        if isinstance(node, dict) and node:
            key = rnd.choice(list(node))
            if rnd.random() < 0.3:
                node[key] = rnd.choice(JUNK)
                return doc
            node = node[key]
        elif isinstance(node, list) and node:
            i = rnd.randrange(len(node))
            if rnd.random() < 0.3:
                node[i] = rnd.choice(JUNK)
                return doc
            node = node[i]
    if isinstance(node, dict):
        node[rnd.choice(["extra", "kind", "name", "budget", "rule", "reason"])] = rnd.choice(JUNK)
    return doc


def test_samples_are_valid_for_both():
    assert all(QUICK(d) for d in DOCS)
    assert all(FULL.is_valid(d) for d in DOCS)


@pytest.mark.parametrize("seed", range(5))
def test_agrees_with_jsonschema_on_mutations(seed):
    rnd = random.Random(seed)
    for _ in range(400):
        doc = _mutate(rnd, rnd.choice(DOCS))
        assert QUICK(doc) == FULL.is_valid(doc), list(FULL.iter_errors(doc))[:1]


@pytest.mark.parametrize("name", ["rule.schema.json", "pack.schema.json"])
def test_compiles_every_shipped_schema(name):
    compile_schema(load_schema(name))


def test_rule_schema_quick_check_agrees():
    full = jsonschema.Draft202012Validator(load_schema("rule.schema.json"))
    quick = compile_schema(load_schema("rule.schema.json"))
    good = {"rules": [{"id": "AR001", "title": "t", "category": "form", "severity": "error", "assert": "true",
                       "message": "m", "message_en": "m", "rationale": "r", "tolerance": {"absolute": "0.01 万元"}}]}
    assert quick(good) and full.is_valid(good)
    for change in ({"tolerance": "loose"}, {"severity": "fatal"}, {"id": "ar1"}, {"asert": "x"}, {"tolerance": {"absolute": 1}}):
        bad = copy.deepcopy(good)
        bad["rules"][0].update(change)
        assert not quick(bad) and not full.is_valid(bad), change


def test_unknown_keyword_is_refused():
    with pytest.raises(Unsupported):
        compile_schema({"type": "object", "patternProperties": {}})


# Scalars where the keyword semantics differ by Python type: bool is an int, a Decimal may
# be whole, a str subclass is a str.
class _Text(str):
    pass


VALUES = [None, True, False, 0, 1, -3, 2.5, Decimal("3"), Decimal("3.0"), Decimal("3.5"), Decimal("NaN"),
          Decimal("Infinity"), "", "a", "万元", _Text("万元"), [], [1], ["a", None], {}, {"a": 1}]
TYPE_SETS = [["integer"], ["number"], ["string"], ["boolean"], ["null"], ["object"], ["array"],
             ["integer", "null"], ["number", "string"], ["number", "boolean"], ["integer", "boolean"],
             ["string", "null"], ["array", "object"], ["number", "string", "null"]]


@pytest.mark.parametrize("types", TYPE_SETS, ids=["+".join(t) for t in TYPE_SETS])
def test_type_keyword_agrees_on_every_python_type(types):
    for schema in ({"type": types}, {"type": types[0]} if len(types) == 1 else {"type": types}):
        quick, full = compile_schema(schema), validator_for(schema)
        for value in VALUES:
            assert quick(value) == full.is_valid(value), (types, value)
    # Not jsonschema's own reading: a whole Decimal is an integer to both of selfeval's checks.
    if types == ["integer"]:
        assert compile_schema({"type": "integer"})(Decimal("3.0")) and validator_for({"type": "integer"}).is_valid(Decimal("3.0"))
        assert not jsonschema.Draft202012Validator({"type": "integer"}).is_valid(Decimal("3.0"))


@pytest.mark.parametrize("allowed", [["万元", "元"], [1, 2], [1, "a", None], [True], [0]])
def test_enum_agrees_on_every_python_type(allowed):
    quick, full = compile_schema({"enum": allowed}), validator_for({"enum": allowed})
    for value in VALUES:
        assert quick(value) == full.is_valid(value), (allowed, value)


@pytest.mark.parametrize("const", ["万元", 1, True, False, 0, None])
def test_const_agrees_on_every_python_type(const):
    quick, full = compile_schema({"const": const}), validator_for({"const": const})
    for value in VALUES:
        assert quick(value) == full.is_valid(value), (const, value)


def test_items_and_all_of_several_keywords_agree():
    schema = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1, "maxLength": 3, "pattern": "^[a-z]"}}
    quick, full = compile_schema(schema), validator_for(schema)
    for value in ([], ["a"], ["abc", "b"], ["abcd"], ["A"], [""], ["a", 1], "abc", None, [None]):
        assert quick(value) == full.is_valid(value), value


def test_objects_with_required_keys_and_refs_agree():
    """`type: object`, `required` and the properties are one check for the quick checker;
    a $ref to a definition compiled earlier is that check itself, a later one is looked up."""
    schema = {
        "$defs": {
            "cell": {"type": ["number", "string", "null"]},
            "row": {"type": "object", "additionalProperties": False, "required": ["name"],
                    "properties": {"name": {"type": "string"}, "v": {"$ref": "#/$defs/cell"}, "sub": {"$ref": "#/$defs/later"}}},
            "later": {"type": "object", "required": ["k"], "properties": {"k": {"type": "integer"}}},
            "loose": {"required": ["a"], "properties": {"a": {"type": "string"}}},
        },
        "type": "object",
        "properties": {"rows": {"type": "array", "items": {"$ref": "#/$defs/row"}}, "loose": {"$ref": "#/$defs/loose"},
                       "any": {"type": "object"}, "or": {"type": ["object", "null"], "required": ["x"]}},
    }
    quick, full = compile_schema(schema), validator_for(schema)
    row = {"name": "a", "v": 1}
    cases = [{}, {"rows": []}, {"rows": [row]}, {"rows": [{"v": 1}]}, {"rows": [dict(row, extra=1)]},
             {"rows": [dict(row, v=[1])]}, {"rows": [dict(row, sub={"k": 1})]}, {"rows": [dict(row, sub={"k": "1"})]},
             {"rows": [dict(row, sub={})]}, {"rows": [dict(row, sub=[])]}, {"rows": ["x"]}, {"rows": [None]},
             {"loose": {}}, {"loose": {"a": "x"}}, {"loose": "text"}, {"loose": {"a": 1}}, {"any": {}}, {"any": []},
             {"any": None}, {"or": None}, {"or": {}}, {"or": {"x": 1}}, {"or": 1}, [], "x", None]
    for value in cases:
        assert quick(value) == full.is_valid(value), value
