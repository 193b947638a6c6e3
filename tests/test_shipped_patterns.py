"""Every `matches` pattern of the shipped packs, on long text built to defeat it.

Each pattern runs on texts of `limits.match_input` characters made of its own literal
pieces and the brackets its classes stop at (the shape that made DR008's pattern
quadratic in Python's re). They run in a child process with a generous time limit, so
a pattern that backtracks fails the test instead of hanging the suite; nothing here is
timed in-process."""

from __future__ import annotations

import json
import re._constants as C  # type: ignore[import-not-found]
import re._parser as P  # type: ignore[import-not-found]
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from validator import Validator
from validator.expression import safe_regex
from validator.read.text import DecimalSafeLoader

ROOT = Path(__file__).resolve().parent.parent
LENGTH = 10_000  # limits.match_input: matches searches no further


def _patterns() -> list[str]:
    v = Validator()
    rules = [r for p in v.packs for r in p.rules + [x for x in p.overridden.values() if x is not None]]
    found = set()
    for rule in rules:
        for expr in [rule.when, rule.assert_, *rule.values.values()]:
            if expr is None:
                continue
            # A rule from the pack cache keeps its closures only; its tree is compiled anew.
            expr = expr.with_tree() if hasattr(type(expr), "with_tree") else expr
            stack = [expr.tree]
            while stack:
                node = stack.pop()
                children = [c for c in getattr(node, "children", []) if hasattr(c, "data")]
                if getattr(node, "data", None) == "call" and str(node.children[0]) == "matches":
                    found.add(expr.info[id(node.children[1].children[1])][1])
                stack.extend(children)
    return sorted(found)


PATTERNS = _patterns()


def _pieces(pattern: str) -> list[str]:
    """The literal runs of a pattern (人次, 监控系统 …)."""
    out, run = [], []

    def walk(items):
        for op, av in items:
            if op is C.LITERAL:
                run.append(chr(av))
                continue
            if run:
                out.append("".join(run))
                run.clear()
            if op is C.SUBPATTERN:
                walk(av[-1])
            elif op is C.BRANCH:
                for b in av[1]:
                    walk(b)
                    if run:
                        out.append("".join(run))
                        run.clear()
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
                walk(av[2])

    walk(P.parse(pattern))
    if run:
        out.append("".join(run))
    return sorted(set(out)) or ["a"]


def _texts(pattern: str) -> list[str]:
    texts = []
    for piece in _pieces(pattern):
        for tail in ("（", "(", "", "（x", "监控"):
            unit = piece + tail
            texts.append((unit * (LENGTH // len(unit) + 1))[:LENGTH])
    return texts


@pytest.fixture(scope="module")
def runs():
    cases = {p: _texts(p) for p in PATTERNS}
    script = (
        "import json, sys\n"
        "from validator.expression import functions\n"
        "cases = json.load(sys.stdin)\n"
        "fn = functions.FUNCTIONS['matches']\n"
        "done = {p: sum(functions.apply(fn, [t, p]) in (True, False) for t in texts) for p, texts in cases.items()}\n"
        "print(json.dumps(done))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, input=json.dumps(cases), capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-800:]
    return cases, json.loads(proc.stdout)


def test_the_shipped_packs_have_patterns():
    assert len(PATTERNS) >= 20
    assert "(人次|人数|户数|人口|间数)([（(][^）)]*[）)])?$|受灾群众|救助对象" in PATTERNS


@pytest.mark.parametrize("pattern", PATTERNS)
def test_shipped_pattern_on_long_adversarial_text(runs, pattern):
    cases, done = runs
    assert done[pattern] == len(cases[pattern]) > 0
    # A pattern that can repeat runs on RE2; the rest (an optional part is a choice, not a
    # repetition) cannot backtrack beyond a bounded number of ways at each position.
    if any(op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[1] > 1 for op, av in _flatten(P.parse(pattern))):
        assert safe_regex.engine(pattern) == "re2"


def _flatten(items):
    for op, av in items:
        yield op, av
        if op is C.SUBPATTERN:
            yield from _flatten(av[-1])
        elif op is C.BRANCH:
            for b in av[1]:
                yield from _flatten(b)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            yield from _flatten(av[2])


def test_dr008_on_200_long_indicator_names(tmp_path):
    """DR008's pattern is quadratic in Python's re on a long name that opens brackets it
    never closes: about half a second a name, 200 names well over a minute. RE2 takes
    a fraction of a millisecond each."""
    data = yaml.load((ROOT / "samples" / "disaster-relief-2024-county.yaml").read_text(encoding="utf-8"),
                     Loader=DecimalSafeLoader)
    base = data["indicators"][0]
    data["indicators"] = [dict(base, name="人次（" * 3_333 + f"{i}") for i in range(200)]
    path = tmp_path / "long-names.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "validator", "check", str(path), "--format", "json", "--select", "DR008"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr[-800:]
    doc = json.loads(proc.stdout)
    assert doc["files"][0]["packs"] == ["standard", "disaster-relief"]
