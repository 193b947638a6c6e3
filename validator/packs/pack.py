"""Rule packs: folders of rule files with a pack.yaml, how they extend and override
each other, and which packs apply to a submission.

A pack with `fund_types` is chosen for a submission whose fund_type (or name) names
one of them; a pack without is always in use. `--pack NAME` picks packs explicitly.
When a pack is in use, its `overrides` change the severity or parameters of rules it
extends, and its own rules are added."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from validator.errors import RuleError
from validator.resources import builtin_rules_dir
from validator.kinds import DEFAULT_KINDS, kind_named
from validator.packs.rule import Rule, load_rule_file, recompile

# Extra places packs are installed, like --rules but for every run.
RULES_PATH_ENV = "SELFEVAL_RULES_PATH"


@dataclass(eq=False)
class Pack:
    """A rule pack as loaded: its rules, parameters, version and the documents it applies to."""
    name: str
    title: str
    path: Path
    title_en: str = ""
    description: str = ""
    applies_to: tuple[str, ...] = DEFAULT_KINDS
    fund_types: tuple[str, ...] = ()
    extends: tuple[str, ...] = ()
    overrides: dict[str, dict] = field(default_factory=dict)
    # Policies set in this pack's pack.yaml (not those it inherits): see effective_policies.
    policies: dict[str, Any] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    # Rules of extended packs as this pack changes them (severity, parameters).
    overridden: dict[str, Rule | None] = field(default_factory=dict)

    def matches(self, submission: dict) -> bool:
        """Whether the pack is in use for a document: one of the kinds it is for, and, for a
        pack with fund_types, a document whose fund_type or name names one of them."""
        kind = submission.get("kind")
        if isinstance(kind, str) and kind not in self.applies_to:
            return False
        if not self.fund_types:
            return True
        haystack = " ".join(str(submission.get(k) or "") for k in ("fund_type", "name"))
        return any(ft in haystack for ft in self.fund_types)


def inside(file: Path, folder: Path) -> Path:
    """`file`, refused (RuleError) when it resolves outside `folder`: a rule, pack.yaml
    or fixture file that is a symbolic link to somewhere else is never read."""
    try:
        resolved = file.resolve()
        root = folder.resolve()
    except (OSError, RuntimeError) as exc:  # a link loop
        raise RuleError(f"{file}: 无法解析路径：{exc}", f"{file}: cannot resolve the path: {exc}") from None
    if not resolved.is_relative_to(root):
        raise RuleError(
            f"{file}: 指向规则包目录之外（{resolved}），已拒绝读取",
            f"{file}: points outside its rule pack folder ({resolved}); refused",
        )
    return file


def rule_files(folder: Path) -> list[Path]:
    """The rule files of a pack folder (every .yaml/.yml but pack.yaml), each checked
    to stay inside the folder."""
    files = sorted(p for p in folder.glob("*.yaml") if p.name != "pack.yaml") + sorted(folder.glob("*.yml"))
    return [inside(f, folder) for f in files]


def load_pack(folder: Path, inherited: dict[str, Any] | None = None) -> Pack:
    """A pack folder, its rules compiled under the policies it inherits (from the packs it
    extends) and its own."""
    pack = read_pack_meta(folder)
    policies = {**(inherited or {}), **pack.policies}
    for file in rule_files(folder):
        pack.rules.extend(load_rule_file(file, pack.name, pack.applies_to, policies))
    if not pack.rules and not pack.extends:
        raise RuleError(f"{folder}: 规则包中没有规则文件", f"{folder}: the rule pack has no rule files")
    return pack


def read_pack_meta(folder: Path) -> Pack:
    """A pack's pack.yaml, without its rules."""
    from validator.packs.yamlfile import line_of, load_yaml
    from validator.quickschema import errors as schema_errors

    meta: Any = {}
    meta_file = folder / "pack.yaml"
    if meta_file.is_file():
        inside(meta_file, folder)
        meta = load_yaml(meta_file) or {}
        errors = schema_errors("pack.schema.json", meta)
        if errors:
            e = errors[0]
            key = e.absolute_path[0] if e.absolute_path else None
            line = line_of(meta, key) if isinstance(meta, dict) else 1
            where = "/".join(map(str, e.absolute_path)) or "(file)"
            raise RuleError(
                f"{meta_file}:{line or 1}: pack.yaml 不符合格式（{where}）：{e.message}",
                f"{meta_file}:{line or 1}: pack.yaml does not match the pack format ({where}): {e.message}",
            )
    else:
        meta = {"name": folder.name, "title": folder.name}
    pack = Pack(
        name=meta["name"],
        title=meta["title"],
        title_en=meta.get("title_en", meta["title"]),
        path=folder,
        description=str(meta.get("description") or "").strip(),
        applies_to=tuple(meta.get("applies_to") or DEFAULT_KINDS),
        fund_types=tuple(meta.get("fund_types") or ()),
        extends=tuple(meta.get("extends") or ()),
        overrides=dict(meta.get("overrides") or {}),
        policies=dict(meta.get("policies") or {}),
    )
    return pack


def _is_pack(folder: Path) -> bool:
    return (folder / "pack.yaml").is_file() or any(p.name != "pack.yaml" for p in folder.glob("*.y*ml"))


def discover(folder: Path) -> list[Path]:
    """Pack folders: `folder` itself if it is a pack, else its sub-folders that are."""
    if not folder.is_dir():
        raise RuleError(f"{folder}: 规则目录不存在", f"{folder}: rule folder does not exist")
    if _is_pack(folder):
        return [folder]
    packs = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")) and _is_pack(p))
    if not packs:
        raise RuleError(f"{folder}: 没有找到规则包", f"{folder}: no rule packs found")
    return packs


def pack_folders(extra_dirs: Iterable[Path] = (), include_builtin: bool = True) -> list[Path]:
    folders: list[Path] = []
    if include_builtin:
        folders.extend(discover(builtin_rules_dir()))
    for d in os.environ.get(RULES_PATH_ENV, "").split(os.pathsep):
        if d.strip():
            folders.extend(discover(Path(d.strip())))
    for d in extra_dirs:
        folders.extend(discover(Path(d)))
    return folders


def _chain(name: str, by_name: dict[str, Pack], seen: tuple[str, ...] = ()) -> list[Pack]:
    """The pack and everything it extends, dependencies first."""
    if name in seen:
        raise RuleError(f"规则包 extends 形成循环：{' → '.join(seen + (name,))}", f"rule packs extend each other in a cycle: {' → '.join(seen + (name,))}")
    pack = by_name[name]
    out: list[Pack] = []
    for parent in pack.extends:
        for p in _chain(parent, by_name, seen + (name,)):
            if p not in out:
                out.append(p)
    out.append(pack)
    return out


def effective_policies(name: str, by_name: dict[str, Pack]) -> dict[str, Any]:
    """The policies in force when pack `name` is in use: those of the packs it extends,
    then its own."""
    out: dict[str, Any] = {}
    for p in _chain(name, by_name):
        out.update(p.policies)
    return out


def _resolve_overrides(pack: Pack, by_name: dict[str, Pack]) -> None:
    """The inherited rules as this pack runs them: with its overrides (severity, parameters,
    disabled) and with its policies where they differ from those a rule was compiled with."""
    inherited = {r.id: r for p in _chain(pack.name, by_name)[:-1] for r in p.rules}
    where = f"{pack.path / 'pack.yaml'}"
    for rid in pack.overrides:
        if rid not in inherited:
            guess = _close(rid, list(inherited), n=1)
            raise RuleError(
                f"{where}: overrides 中的规则 {rid} 不在所扩展的规则包中" + (f"（是否应为 {guess[0]}？）" if guess else ""),
                f"{where}: overrides names {rid}, which no extended pack has" + (f" (did you mean {guess[0]}?)" if guess else ""),
            )
    policies = effective_policies(pack.name, by_name)
    known = {n for p in _chain(pack.name, by_name)[:-1] for n in p.policies}
    for name in pack.policies:
        if pack.extends and name not in known:
            guess = _close(name, sorted(known), n=1)
            raise RuleError(
                f"{where}: policies 中的“{name}”不是所扩展规则包的策略" + (f"（是否应为“{guess[0]}”？）" if guess else ""),
                f"{where}: policies sets '{name}', which is no policy of the extended packs" + (f" (did you mean '{guess[0]}'?)" if guess else ""),
            )
    for rid, base in inherited.items():
        change = pack.overrides.get(rid)
        stale = any(policies.get(n) != base.policies.get(n) for n in base.policies_used)
        if change is None and not stale:
            continue
        if change and change.get("disabled"):
            pack.overridden[rid] = None
            continue
        try:
            rule = recompile(base, (change or {}).get("params") or {}, {**base.policies, **policies})
        except RuleError as exc:
            raise RuleError(f"{where}: {exc.message}", f"{where}: {exc.message_en}") from None
        if change and "severity" in change:
            rule.severity = change["severity"]
        rule.overridden_by = pack.name
        pack.overridden[rid] = rule


def _with_defaults(folder: Path, builtin: set[Path], fn, *args):
    from validator import limits

    if folder in builtin:
        # Lowered limits are for inputs; selfeval's own packs always load.
        with limits.active(limits.current().at_least_defaults()):
            return fn(folder, *args)
    return fn(folder, *args)


def inherited_policies(name: str, by_name: dict[str, Pack]) -> dict[str, Any]:
    """The policies a pack's own rules run under, less its own: those of the packs it
    extends."""
    out: dict[str, Any] = {}
    for p in _chain(name, by_name)[:-1]:
        out.update(p.policies)
    return out


def _index(packs: list[Pack]) -> dict[str, Pack]:
    """Packs by name, with every extends checked (known, no cycle)."""
    by_name: dict[str, Pack] = {}
    for pack in packs:
        if pack.name in by_name:
            raise RuleError(
                f"{pack.path}: 规则包名称“{pack.name}”与 {by_name[pack.name].path} 重复",
                f"{pack.path}: pack name '{pack.name}' is also used by {by_name[pack.name].path}",
            )
        by_name[pack.name] = pack
    for pack in packs:
        for parent in pack.extends:
            if parent not in by_name:
                guess = _close(parent, list(by_name), n=1)
                raise RuleError(
                    f"{pack.path / 'pack.yaml'}: extends 的规则包“{parent}”不存在" + (f"（是否应为“{guess[0]}”？）" if guess else ""),
                    f"{pack.path / 'pack.yaml'}: extends unknown pack '{parent}'" + (f" (did you mean '{guess[0]}'?)" if guess else ""),
                )
        _chain(pack.name, by_name)
    return by_name


def pack_index(extra_dirs: Iterable[Path] = (), include_builtin: bool = True) -> dict[str, Pack]:
    """Every pack's pack.yaml by name, without compiling rules (to work out inherited
    policies)."""
    builtin = set(discover(builtin_rules_dir())) if include_builtin else set()
    return _index([_with_defaults(f, builtin, read_pack_meta) for f in pack_folders(list(extra_dirs), include_builtin)])


def load_packs(extra_dirs: Iterable[Path] = (), include_builtin: bool = True) -> list[Pack]:
    from validator import limits
    from validator.packs import cache

    builtin = set(discover(builtin_rules_dir())) if include_builtin else set()
    folders = pack_folders(list(extra_dirs), include_builtin)
    key = cache.packset_key(folders, builtin, repr(limits.current()))
    if key is not None:
        cached = _from_cache(cache, key, builtin)
        if cached is not None:
            return cached
    metas = _index([_with_defaults(f, builtin, read_pack_meta) for f in folders])
    packs = [_with_defaults(f, builtin, load_pack, inherited_policies(m.name, metas))
             for f, m in zip(folders, metas.values())]
    by_name = _index(packs)
    seen: dict[str, str] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                raise RuleError(
                    f"{rule.source}: 规则编号 {rule.id} 重复（已在 {seen[rule.id]} 定义）",
                    f"{rule.source}: duplicate rule id {rule.id} (already defined at {seen[rule.id]})",
                )
            seen[rule.id] = rule.source
    for pack in packs:
        if pack.path in builtin:
            with limits.active(limits.current().at_least_defaults()):
                _resolve_overrides(pack, by_name)
        else:
            _resolve_overrides(pack, by_name)
    from validator.expression.parser import tree_cache

    tree_cache().save()
    if key is not None:
        for pack in packs:
            for rule in pack.rules + [r for r in pack.overridden.values() if r is not None]:
                rule.cache_key = key
        cache.store_packs(key, packs)
    return packs


def _from_cache(cache, key: str, builtin: set[Path]) -> list[Pack] | None:
    """The packs of a cached load, or None when there is none or it does not read back."""
    from validator import limits

    reader = cache.load_packs(key)
    if reader is None:
        return None
    packs = []
    try:
        for entry in reader.packs:
            if Path(entry["path"]) in builtin:
                with limits.active(limits.current().at_least_defaults()):
                    packs.append(cache.pack_from_entry(entry, reader))
            else:
                packs.append(cache.pack_from_entry(entry, reader))
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ArithmeticError):
        return None
    return packs


class PackSet:
    """All loaded packs and the rule list for each combination of packs in use, worked
    out once per combination and shared by every thread."""

    def __init__(self, packs: list[Pack], explicit: Iterable[str] = ()):
        self.packs = packs
        self.by_name = {p.name: p for p in packs}
        self.explicit = list(explicit)
        for name in self.explicit:
            if name not in self.by_name:
                guess = _close(name, list(self.by_name), n=1)
                raise RuleError(
                    f"没有名为“{name}”的规则包" + (f"（是否应为“{guess[0]}”？）" if guess else "") + f"；可用：{'、'.join(self.by_name)}",
                    f"no rule pack named '{name}'" + (f" (did you mean '{guess[0]}'?)" if guess else "") + f"; available: {', '.join(self.by_name)}",
                )
        self._rules: dict[tuple[str, ...], list[Rule]] = {}
        self._lock = threading.Lock()

    def active(self, submission: dict) -> list[Pack]:
        if self.explicit:
            names = self.explicit
        else:
            names = [p.name for p in self.packs if p.matches(submission)]
        out: list[Pack] = []
        for name in names:
            for p in _chain(name, self.by_name):
                if p not in out:
                    out.append(p)
        # A pack for other kinds of document is not in use here (the report pack on a 自评表).
        kind = submission.get("kind") if isinstance(submission, dict) else None
        if isinstance(kind, str) and kind_named(kind) is not None:
            out = [p for p in out if kind in p.applies_to]
        return out

    def rules_for(self, active: list[Pack]) -> list[Rule]:
        key = tuple(p.name for p in active)
        rules = self._rules.get(key)
        if rules is None:
            overridden: dict[str, Rule | None] = {}
            for p in active:  # later (more specific) packs win
                overridden.update(p.overridden)
            rules = []
            for p in active:
                for r in p.rules:
                    r = overridden.get(r.id, r) if r.id in overridden else r
                    if r is not None:
                        rules.append(r)
            with self._lock:
                rules = self._rules.setdefault(key, rules)
        return rules

    def all_rules(self) -> list[Rule]:
        return [r for p in self.packs for r in p.rules]


def _close(word: str, candidates: list, n: int = 1) -> list:
    """difflib's suggestion for a mistyped name, imported only when a pack has one."""
    from difflib import get_close_matches

    return get_close_matches(word, candidates, n=n)
