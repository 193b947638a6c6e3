"""Evaluate compiled rules on a canonical submission; this is where a finding is built."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from validator.domain import measure
from validator.errors import SelfevalError
from validator.expression.runtime import Comparison, Context, display, truth
from validator.check.findings import Finding, Location
from validator.check.locate import LABEL_WIDTH, Locator, make, shorten, steps
from validator.packs.rule import PLACEHOLDER, Rule

class EngineError(SelfevalError):
    """A rule failed while running: the run fails, it is neither a pass nor a finding."""


def describe_exception(exc: BaseException, width: int = 300) -> str:
    """`Type: message` on one line, cut to `width` characters (the CLI prints one line)."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= width else text[: width - 1] + "…"


def resolve(root: Any, path: str) -> Any:
    node = root
    for step in steps(path):
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def iter_items(root: dict, for_each: str) -> Iterator[tuple[str, Any]]:
    """Each element of a collection path with its concrete path
    (`funds.sources[*].parts` → funds.sources[1].parts[0], …)."""
    parts = for_each.replace("[*]", "").split(".")
    frontier: list[tuple[str, Any]] = [("", root)]
    for i, name in enumerate(parts):
        nxt = []
        for prefix, node in frontier:
            value = node.get(name) if isinstance(node, dict) else None
            path = f"{prefix}.{name}" if prefix else name
            if i == len(parts) - 1:
                if isinstance(value, list):
                    nxt.extend((f"{path}[{j}]", v) for j, v in enumerate(value))
            elif isinstance(value, list):
                nxt.extend((f"{path}[{j}]", v) for j, v in enumerate(value))
            elif value is not None:
                nxt.append((path, value))
        frontier = nxt
    for path, item in frontier:
        yield (item.get("_path", path) if isinstance(item, dict) else path), item


def _expected_text(ev: Comparison) -> tuple[str, str, str, str]:
    """(actual, computed, expected, margin) for the comparison that failed."""
    left, right, op = ev.left, ev.right, ev.op
    decimals = [d for d in (left.decimals, right.decimals) if d is not None]
    whole = all(m.value == m.value.to_integral_value() for m in (left, right))
    places = max(decimals) if decimals else (0 if whole else 2)
    if left.dimension == "ratio" or right.dimension == "ratio":
        places = max(places, 2)
    computed = measure.fmt(right, left, places)
    prefix = {"≈": "", "==": "", "<=": "≤ ", ">=": "≥ ", "<": "< ", ">": "> ", "!=": "≠ "}[op]
    margin = measure.fmt_margin(ev.margin, measure.display_unit(left)) if ev.margin is not None else ""
    return display(left), computed, prefix + computed, margin


def _fill(template: str | None, values: dict[str, str]) -> str | None:
    if template is None:
        return None
    return PLACEHOLDER.sub(lambda m: values.get(m[1], ""), template)


def _finding(rule: Rule, ctx: Context, locator: Locator, item_path: str | None, item: Any) -> Finding:
    if rule.at:
        at = rule.at
        path = (item_path or "") + at[len("item"):] if at.startswith("item.") or at == "item" else at
    elif item_path is not None:
        path = item_path
    else:
        path = next((p for p in rule.assert_.paths if "[*]" not in p), rule.assert_.paths[0] if rule.assert_.paths else "")
    root = locator.root
    location = locator.location(path, item if path == item_path else None)
    failed = next((e for e in ctx.evidence if e.passed is False), None)
    values: dict[str, Any] = {"label": location.label or "", "path": path}
    actual = expected = computed = margin = None
    if failed is not None:
        actual, computed, expected, margin = _expected_text(failed)
        left, right = failed.left, failed.right
        diff = measure.sub(left, right) if left.dimension == right.dimension or None in (left.dimension, right.dimension) else None
        values.update(actual=actual, computed=computed, expected=expected, margin=margin,
                      difference=measure.fmt(measure.absolute(diff), left) if diff is not None else "")
    values_en = dict(values)
    for name, compiled in rule.values.items():
        v = compiled.fn(Context(root, item, rule.params))
        values[name] = shorten(display(v, "zh"))
        values_en[name] = shorten(display(v, "en"))
    related = _related(rule.see.fn(Context(root, item, rule.params))) if rule.see is not None else ()
    actual = values.get("actual") if "actual" in rule.values else actual
    expected = values.get("expected") if "expected" in rule.values else expected
    return make(
        rule.id, rule.category, rule.severity, rule.title,
        _fill(rule.message, values), _fill(rule.message_en, values_en), location,
        expected=expected or None,
        actual=actual or None,
        computed=computed,
        margin=margin or None,
        hint=_fill(rule.hint, values),
        hint_en=_fill(rule.hint_en, values_en),
        pack=rule.overridden_by or rule.pack,
        version=rule.version,
        title_en=rule.title_en,
        related=related,
        evidence=tuple(ctx.evidence),
    )


def _related(value) -> tuple:
    """Locations of the references a rule's `see` gives (a dict with origin, path, sheet,
    cell and label, or a list of them)."""
    refs = value if isinstance(value, list) else [value]
    return tuple(
        Location(path=str(r.get("path") or ""), label=shorten(r.get("label"), LABEL_WIDTH), sheet=r.get("sheet"),
                 cell=r.get("cell"), origin=r.get("origin"))
        for r in refs if isinstance(r, dict)
    )


def _collection(root: dict, for_each: str) -> tuple[str, list] | None:
    """The common shapes (`indicators`, `funds.rows`, `scorecard.items`): a list reached
    by plain field names, with the path its elements share."""
    if "[*]" in for_each.rstrip("[*]"):
        return None
    node: Any = root
    for name in for_each.replace("[*]", "").split("."):
        node = node.get(name) if isinstance(node, dict) else None
    return for_each.replace("[*]", ""), (node if isinstance(node, list) else [])


def run_rule(rule: Rule, root: dict, kind: str, locator: Locator | None = None,
             only: list | None = None) -> Iterator[Finding]:
    """The rule's findings. `only`: the items (indexes; [None] for a rule without
    for_each) where generated code found that the rule fires; the rest are not looked at."""
    if kind not in rule.applies_to or only == []:
        return
    locator = locator or locator_for(root, kind)
    ctx = Context(root, None, rule.params)
    when = rule.when.fn if rule.when is not None else None
    check = rule.assert_.fn
    evidence = ctx.evidence
    if not rule.for_each:
        if when is None or truth(when(ctx)) is True:
            evidence.clear()
            if truth(check(ctx)) is False:
                yield _finding(rule, ctx, locator, None, None)
        return
    simple = _collection(root, rule.for_each)
    if simple is None:
        for item_path, item in iter_items(root, rule.for_each):
            ctx.item = item
            if when is not None and truth(when(ctx)) is not True:
                continue
            evidence.clear()
            if truth(check(ctx)) is False:
                yield _finding(rule, ctx, locator, item_path, item)
        return
    base, items = simple
    field, allowed = rule.item_filter or (None, None)
    for j in range(len(items)) if only is None else only:
        item = items[j]
        # A `when` that opens with item.type == "…" is decided here, without evaluating it.
        if allowed is not None and (not isinstance(item, dict) or item.get(field) not in allowed):
            continue
        ctx.item = item
        if when is not None and truth(when(ctx)) is not True:
            continue
        evidence.clear()
        if truth(check(ctx)) is False:
            path = item.get("_path", f"{base}[{j}]") if isinstance(item, dict) else f"{base}[{j}]"
            yield _finding(rule, ctx, locator, path, item)


def locator_for(root: dict, kind: str) -> Locator:
    """The locator of a document of `kind`: the labels its kind gives its sections."""
    from validator.kinds import kind_named

    spec = kind_named(kind)
    return Locator(root, spec.section_labels if spec is not None else None)


def evaluate(rules: Iterable[Rule], root: dict, kind: str, generated: bool = True) -> list[Finding]:
    """Findings of `rules`, in rule order. Generated code (packs/program.py) finds where
    rules fire; the closures build those findings. generated=False runs the closures
    alone (the reference the generated code is tested against)."""
    rules = rules if isinstance(rules, list) else list(rules)
    hits = None
    if generated:
        from validator.packs.program import program_for

        try:
            program = program_for(rules, kind)
            hits = program.run(root) if program is not None else None
        except Exception:  # the closures below run every rule and report what failed
            hits = None
    findings: list[Finding] = []
    locator = locator_for(root, kind)
    for i, rule in enumerate(rules):
        try:
            findings.extend(run_rule(rule, root, kind, locator, hits.get(i) if hits is not None else None))
        except SelfevalError:
            raise
        except Exception as exc:  # a defect in a rule or in selfeval: fail loudly, never pass
            what = describe_exception(exc)
            raise EngineError(
                f"规则 {rule.id}（{rule.source}）执行出错：{what}",
                f"rule {rule.id} ({rule.source}) failed while running: {what}",
            ) from exc
    return findings


__all__ = ["EngineError", "evaluate", "iter_items", "resolve", "run_rule"]
