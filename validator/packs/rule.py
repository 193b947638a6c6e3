"""Where a rule is compiled: a rule file's YAML → `Rule` with closures.

Each file is validated against schemas/rule.schema.json and each expression compiled
against the canonical schema of the kinds it applies to; any problem is a RuleError naming file:line:col, and
nothing runs until every pack is clean. Packs (folders of rule files) are in packs.py."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from validator import limits as _limits
from validator.domain import measure
from validator.domain import units
from validator.errors import RuleError
from validator.expression.runtime import Tolerance
from validator.expression.prefilter import item_filter
from validator.kinds import DEFAULT_KINDS, kind_named

if TYPE_CHECKING:
    from validator.expression.compiler import Compiled

# The compiler is imported where a rule is compiled: a check served by the pack cache
# and generated code needs it only when a finding is built.

# Derived fields that are plain strings, so `item.type == "score"` is exact equality.
_PLAIN_STRING_FIELDS = frozenset({"type", "field", "status", "op", "class1", "class2", "source"})
PLACEHOLDER = re.compile(r"\{(\w+)\}")
BUILTIN_PLACEHOLDERS = {"label", "path", "actual", "computed", "expected", "margin", "difference"}


@dataclass(eq=False)
class Rule:
    """One rule of a pack, compiled: its conditions, message, policy parameters and where it was written."""
    id: str
    title: str
    title_en: str
    category: str
    severity: str
    applies_to: tuple[str, ...]
    assert_: "Compiled"
    message: str
    message_en: str
    rationale: str
    pack: str
    source: str  # file:line
    for_each: str | None = None
    when: "Compiled | None" = None
    at: str | None = None
    see: "Compiled | None" = None  # a reference to a second place, in another document
    values: "dict[str, Compiled]" = field(default_factory=dict)
    hint: str | None = None
    hint_en: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    status: str = "stable"
    version: int = 1
    node: Any = field(default=None, repr=False, compare=False)
    file: Path | None = None
    overridden_by: str | None = None
    # (field, values) when `when` opens with item.field == "…" (or an or of such): the
    # engine skips other items without evaluating anything.
    item_filter: tuple[str, frozenset] | None = None
    # The type of the documents the rule reads (expression.types), to compile it again.
    root: Any = field(default=None, repr=False, compare=False)
    # The pack policies the rule was compiled with, and those of them it reads.
    policies: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    policies_used: frozenset[str] = frozenset()
    # The parameters a pack override set (None: the rule's own), and the key of the
    # cached pack load the rule came from (packs/cache.py).
    param_overrides: dict | None = None
    cache_key: str | None = None

    def root_type(self):
        """The type of the documents the rule reads (a rule from the pack cache works it
        out when first asked)."""
        if self.root is None:
            from validator.expression import types as T

            self.root = T.kinds_type(self.applies_to)
        return self.root

    @property
    def reads(self) -> frozenset[str]:
        """The top-level fields of the document the rule reads (funds, indicators …): a rule
        does not run on a block the reader could not read."""
        paths = list(self.assert_.paths)
        for compiled in (self.when, self.see, *self.values.values()):
            if compiled is not None:
                paths.extend(compiled.paths)
        if self.at:
            paths.append(self.at)
        base = (self.for_each or "").replace("[*]", "")
        out = set()
        for path in paths:
            if path == "item" or path.startswith(("item.", "item[")):
                path = base
            head = re.split(r"[.\[]", path, maxsplit=1)[0]
            if head:
                out.add(head)
        if base:
            out.add(re.split(r"[.\[]", base, maxsplit=1)[0])
        return frozenset(out)


class LazyCompiled:
    """A rule expression from the pack cache, compiled the first time anything but its
    text is asked for (a finding, explain): a check that finds nothing compiles
    nothing. It compiles under the limits in force when its pack was loaded."""

    __slots__ = ("source", "_make", "_compiled", "_lock")

    def __init__(self, source: str, make):
        self.source = source
        self._make = make
        self._compiled = None
        self._lock = threading.Lock()

    def compiled(self):
        c = self._compiled
        if c is None:
            with self._lock:
                if self._compiled is None:
                    made = self._make()
                    # What findings need is the closures: the parse tree and the types
                    # found in it are for writing the rule as Python (with_tree), and a
                    # batch that keeps them for every rule that ever fired grows with it.
                    made.tree = made.info = None
                    self._compiled = made
                c = self._compiled
        return c

    def with_tree(self):
        """A compile that keeps its parse tree and the types found in it, for writing
        the rule as Python (packs/program.py); made afresh each time, not kept."""
        return self._make()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)


_PARAM = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*(.*?)\s*", re.S)


def _param_value(value: Any) -> Any:
    """Parameters written as numbers or as `60%`, `10 万元` become exact measures."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)):
        return measure.exact(Decimal(str(value)))
    if isinstance(value, str):
        # `%` or a unit in Chinese characters (万元, 个/人); the character class is checked
        # here rather than in the pattern, whose compiling cost a millisecond of each start.
        m = _PARAM.fullmatch(value)
        if m:
            unit = m[2]
            if not unit:
                return measure.exact(Decimal(m[1]))
            if unit == "%" or all("\u4e00" <= c <= "\u9fff" or c == "/" for c in unit):
                return measure.exact(Decimal(m[1]), units.lookup(unit))
        return value
    if isinstance(value, list):
        return [_param_value(v) for v in value]
    return value


def _tolerance(spec: Any, where: str) -> Tolerance:
    if spec is None or spec == "printed":
        return Tolerance()
    if spec == "exact":
        return Tolerance("exact")
    value = _param_value(spec["absolute"])
    if not isinstance(value, measure.Measure):
        raise RuleError(f"{where}: tolerance.absolute 应为带单位的数值，如 0.01 万元", f"{where}: tolerance.absolute must be a number with a unit, e.g. 0.01 万元")
    return Tolerance("printed", value)


def _compile(rule_node, key: str, file: Path, rule_id: str, **kw):
    from validator.expression.compiler import compile_expression
    from validator.expression.diagnostics import ExpressionError
    from validator.packs.yamlfile import column_of, line_of

    source = rule_node[key]
    try:
        return compile_expression(source, **kw)
    except ExpressionError as exc:
        line = line_of(rule_node, key) or 0
        col0 = column_of(rule_node, key)
        col = (col0 + (exc.column or 1) - 1) if col0 and "\n" not in source else (exc.column or 1)
        where = f"{file}:{line}:{col}"
        raise RuleError(
            f"{where}: 规则 {rule_id} 的 {key}：{exc.text('zh')}\n{_indent(exc.caret(source))}",
            f"{where}: rule {rule_id} {key}: {exc.text('en')}\n{_indent(exc.caret(source))}",
        ) from None


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.split("\n"))


def _root_type(node: dict, file: Path, rid: str, applies_to: tuple[str, ...]):
    from validator.expression import types as T
    from validator.packs.yamlfile import line_of

    unknown = [k for k in applies_to if kind_named(k) is None]
    if unknown:
        from difflib import get_close_matches

        from validator.kinds import registry

        guess = get_close_matches(unknown[0], list(registry()), n=1)
        raise RuleError(
            f"{file}:{line_of(node, 'applies_to') or line_of(node)}: 规则 {rid} 的 applies_to 中的文档类型“{unknown[0]}”不存在"
            + (f"（是否应为“{guess[0]}”？）" if guess else f"（可用：{'、'.join(registry())}）"),
            f"{file}:{line_of(node, 'applies_to') or line_of(node)}: rule {rid} applies_to names an unknown document kind '{unknown[0]}'"
            + (f" (did you mean '{guess[0]}'?)" if guess else f" (known: {', '.join(registry())})"),
        )
    try:
        return T.kinds_type(applies_to)
    except ValueError:
        raise RuleError(
            f"{file}:{line_of(node, 'applies_to') or line_of(node)}: 规则 {rid} 适用于结构不同的文档（{'、'.join(applies_to)}），请拆分为多条规则",
            f"{file}:{line_of(node, 'applies_to') or line_of(node)}: rule {rid} applies to documents of different shapes ({', '.join(applies_to)}); split it",
        ) from None


_PARAM_USE = re.compile(r"\bparams?\.(\w+)")


def _policies_read(node: dict, policies: dict) -> frozenset[str]:
    """The pack policies a rule reads: param.NAME in its expressions, for a NAME the rule
    does not define itself."""
    own = set(node.get("params") or {})
    texts = [node.get(k) or "" for k in ("when", "assert")] + [str(v) for v in (node.get("values") or {}).values()]
    used = {n for t in texts for n in _PARAM_USE.findall(t) if n in policies and n not in own}
    if "tolerance" in policies and "tolerance" not in node:
        used.add("tolerance")
    return frozenset(used)


def _compile_rule(node: dict, file: Path, pack: str, param_overrides: dict | None = None,
                  default_applies_to: tuple[str, ...] = DEFAULT_KINDS, policies: dict | None = None) -> Rule:
    from validator.expression.compiler import collection_type, compile_expression
    from validator.expression.diagnostics import ExpressionError
    from validator.packs.yamlfile import line_of

    rid = node["id"]
    where = f"{file}:{line_of(node)}"
    applies_to = tuple(node.get("applies_to") or default_applies_to)
    root = _root_type(node, file, rid, applies_to)
    policies = dict(policies or {})
    raw_params = {**policies, **dict(node.get("params") or {})}
    for name in param_overrides or {}:
        if name not in raw_params:
            from difflib import get_close_matches

            guess = get_close_matches(str(name), list(raw_params), n=1)
            raise RuleError(
                f"规则 {rid} 没有参数“{name}”" + (f"（是否应为“{guess[0]}”？）" if guess else ""),
                f"rule {rid} has no parameter '{name}'" + (f" (did you mean '{guess[0]}'?)" if guess else ""),
            )
    raw_params.update(param_overrides or {})
    params = {k: _param_value(v) for k, v in raw_params.items()}
    item_type = None
    if "for_each" in node:
        try:
            item_type = collection_type(node["for_each"], root)
        except ExpressionError as exc:
            raise RuleError(
                f"{file}:{line_of(node, 'for_each')}: 规则 {rid} 的 for_each：{exc.text('zh')}",
                f"{file}:{line_of(node, 'for_each')}: rule {rid} for_each: {exc.text('en')}",
            ) from None
    # A rule without a tolerance of its own takes the pack's policy (printed, when none).
    tolerance = _tolerance(node.get("tolerance", policies.get("tolerance")), where)
    common = {"item": item_type, "params": params, "root": root}
    when = _compile(node, "when", file, rid, expect_bool=True, **common) if "when" in node else None
    assert_ = _compile(node, "assert", file, rid, expect_bool=True, tolerance=tolerance, **common)
    values = {}
    for name, expr in (node.get("values") or {}).items():
        holder = {name: expr}
        holder_lines = getattr(node.get("values"), "lines", {})
        try:
            values[name] = compile_expression(expr, **common)
        except ExpressionError as exc:
            line = holder_lines.get(name, line_of(node, "values"))
            raise RuleError(
                f"{file}:{line}: 规则 {rid} 的 values.{name}：{exc.text('zh')}\n{_indent(exc.caret(holder[name]))}",
                f"{file}:{line}: rule {rid} values.{name}: {exc.text('en')}\n{_indent(exc.caret(holder[name]))}",
            ) from None
    at = node.get("at")
    if at is not None:
        compiled_at = _compile(node, "at", file, rid, **common)
        if "[*]" in at or len(compiled_at.paths) != 1 or compiled_at.paths[0] != at.strip():
            raise RuleError(
                f"{file}:{line_of(node, 'at')}: 规则 {rid} 的 at 必须是单个字段路径（不含 [*]）",
                f"{file}:{line_of(node, 'at')}: rule {rid} at must be a single field path (no [*])",
            )
    see = _compile(node, "see", file, rid, **common) if "see" in node else None
    allowed = BUILTIN_PLACEHOLDERS | set(values)
    for key in ("message", "message_en", "hint", "hint_en"):
        for name in PLACEHOLDER.findall(node.get(key) or ""):
            if name not in allowed:
                raise RuleError(
                    f"{file}:{line_of(node, key)}: 规则 {rid} 的 {key} 使用了未定义的占位符 {{{name}}}（可用：{', '.join(sorted(allowed))}）",
                    f"{file}:{line_of(node, key)}: rule {rid} {key} uses undefined placeholder {{{name}}} (available: {', '.join(sorted(allowed))})",
                )
    return Rule(
        id=rid,
        title=node["title"],
        title_en=node.get("title_en", node["title"]),
        category=node["category"],
        severity=node["severity"],
        applies_to=applies_to,
        assert_=assert_,
        message=node["message"],
        message_en=node["message_en"],
        rationale=node["rationale"],
        pack=pack,
        source=where,
        for_each=node.get("for_each"),
        when=when,
        at=at.strip() if at else None,
        see=see,
        values=values,
        hint=node.get("hint"),
        hint_en=node.get("hint_en"),
        params=params,
        status=node.get("status", "stable"),
        version=node.get("version", 1),
        node=node,
        file=file,
        item_filter=item_filter(when.source, _PLAIN_STRING_FIELDS) if when is not None and item_type is not None else None,
        root=root,
        policies=policies,
        policies_used=_policies_read(node, policies),
    )


def policy_params(policies: dict) -> dict:
    """Pack policies as the parameters rules read them (param.NAME)."""
    return {k: _param_value(v) for k, v in policies.items()}


def lazy_rule(node: dict, file: Path, pack: str, where: str, param_overrides: dict | None, item_filter,
              applies_to: tuple[str, ...], policies: dict, converted: dict | None = None,
              policies_used: frozenset[str] | None = None) -> Rule:
    """A rule the pack cache vouches for (it compiled when the cache was written): the
    same Rule as _compile_rule gives, with its expressions compiled on first use.
    `converted`: policy_params(policies), shared by the rules of a load; `policies_used`:
    what _policies_read found when the rule was first compiled."""
    rid = node["id"]
    own = dict(node.get("params") or {})
    own.update(param_overrides or {})
    raw_params = {**policies, **own}
    if converted is None:
        params = {k: _param_value(v) for k, v in raw_params.items()}
    else:
        params = {k: (_param_value(v) if k in own else converted[k]) for k, v in raw_params.items()}
    tolerance = _tolerance(node.get("tolerance", policies.get("tolerance")), where)
    in_force = _limits.current()
    rule: list[Rule] = []
    item_type: list = []

    def item() -> Any:
        from validator.expression.compiler import collection_type

        if not item_type:
            item_type.append(collection_type(node["for_each"], rule[0].root_type()) if "for_each" in node else None)
        return item_type[0]

    def lazy(source: str, **kw) -> LazyCompiled:
        def make():
            from validator.expression.compiler import compile_expression

            with _limits.active(in_force):
                return compile_expression(source, item=item(), params=params, patterns_checked=True,
                                          root=rule[0].root_type(), **kw)

        return LazyCompiled(source, make)

    rule.append(Rule(
        id=rid,
        title=node["title"],
        title_en=node.get("title_en", node["title"]),
        category=node["category"],
        severity=node["severity"],
        applies_to=applies_to,
        assert_=lazy(node["assert"], expect_bool=True, tolerance=tolerance),  # type: ignore[arg-type]
        message=node["message"],
        message_en=node["message_en"],
        rationale=node["rationale"],
        pack=pack,
        source=where,
        for_each=node.get("for_each"),
        when=lazy(node["when"], expect_bool=True) if "when" in node else None,  # type: ignore[arg-type]
        at=node["at"].strip() if node.get("at") else None,
        see=lazy(node["see"]) if "see" in node else None,  # type: ignore[arg-type]
        values={name: lazy(expr) for name, expr in (node.get("values") or {}).items()},  # type: ignore[misc]
        hint=node.get("hint"),
        hint_en=node.get("hint_en"),
        params=params,
        status=node.get("status", "stable"),
        version=node.get("version", 1),
        node=node,
        file=file,
        item_filter=item_filter,
        policies=dict(policies),
        policies_used=_policies_read(node, policies) if policies_used is None else policies_used,
        param_overrides=param_overrides,
    ))
    return rule[0]


def recompile(rule: Rule, params: dict, policies: dict | None = None) -> Rule:
    """The same rule with other parameter values (a pack override), or under other pack
    policies (a pack that extends the rule's pack and sets them again)."""
    rule = _compile_rule(rule.node, rule.file, rule.pack, params, rule.applies_to,
                         rule.policies if policies is None else policies)
    rule.param_overrides = dict(params) or None
    return rule


def _schema_error(file: Path, doc: Any, error) -> RuleError:
    from validator.packs.yamlfile import line_of

    node = doc
    line = line_of(doc)
    for part in error.absolute_path:
        try:
            parent, node = node, node[part]
        except (KeyError, IndexError, TypeError):
            break
        line = line_of(parent, part) if isinstance(part, str) else line_of(node) or line
    where = "/".join(str(p) for p in error.absolute_path) or "(file)"
    message, message_en = error.message, error.message
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        from difflib import get_close_matches

        known = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in known:
                line = line_of(error.instance, key) or line
                guess = get_close_matches(str(key), known, n=1)
                message = f"未知字段“{key}”" + (f"（是否应为“{guess[0]}”？）" if guess else f"（可用：{', '.join(known)}）")
                message_en = f"unknown field '{key}'" + (f" (did you mean '{guess[0]}'?)" if guess else f" (known: {', '.join(known)})")
                break
    return RuleError(
        f"{file}:{line or 1}: 规则文件不符合格式（{where}）：{message}",
        f"{file}:{line or 1}: rule file does not match the rule format ({where}): {message_en}",
    )


def compile_rule_file(file: Path, pack: str, applies_to: tuple[str, ...] = DEFAULT_KINDS,
                      policies: dict | None = None) -> tuple[list[Rule], list[RuleError]]:
    """Every rule of a file that compiles, and a RuleError for each one that does not
    (the whole file's schema errors first), so a linter can report them all."""
    from validator.packs.yamlfile import load_yaml
    from validator.quickschema import errors as schema_errors

    doc = load_yaml(file)
    if doc is None:
        return [], [RuleError(f"{file}: 规则文件为空", f"{file}: the rule file is empty")]
    errors = schema_errors("rule.schema.json", doc)
    if errors:
        return [], [_schema_error(file, doc, e) for e in errors]
    rules, problems = [], []
    for node in doc["rules"]:
        try:
            rules.append(_compile_rule(node, file, pack, None, applies_to, policies))
        except RuleError as exc:
            problems.append(exc)
    return rules, problems


def load_rule_file(file: Path, pack: str, applies_to: tuple[str, ...] = DEFAULT_KINDS,
                   policies: dict | None = None) -> list[Rule]:
    rules, problems = compile_rule_file(file, pack, applies_to, policies)
    if problems:
        raise problems[0]
    return rules
