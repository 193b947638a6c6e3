"""`selfeval rules lint`: everything wrong with rule packs at once — file format,
unknown fields (with did-you-mean), expressions, duplicate ids, conditions that can
never hold, and rules without fixtures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from validator.errors import RuleError
from validator.expression.runtime import Context, truth
from validator.packs.fixtures import fixture_files, load_fixture
from validator.packs.pack import inside, load_pack, pack_folders
from validator.packs.rule import compile_rule_file
from validator.packs.yamlfile import load_yaml


@dataclass
class Problem:
    where: str
    message: str
    message_en: str

    def text(self, lang: str) -> str:
        return f"{self.where}: {self.message_en if lang == 'en' else self.message}"


def _split(exc: RuleError) -> Problem:
    where, sep, rest = exc.message.partition(": ")
    _, _, rest_en = exc.message_en.partition(": ")
    if not sep:
        return Problem("", exc.message, exc.message_en)
    return Problem(where, rest, rest_en)


def _unreachable(rule) -> bool:
    """A `when` that reads nothing but the document kind and is false for every kind the
    rule applies to can never let the rule run."""
    if rule.when is None or any(p != "kind" for p in rule.when.paths):
        return False
    return all(truth(rule.when.fn(Context({"kind": k}, None, rule.params))) is False for k in rule.applies_to)


def _inherited(folder: Path, dirs: list[Path] | None) -> dict:
    """The policies the pack in `folder` inherits from the packs it extends, read from the
    packs installed and given, as `check` would load them side by side."""
    from validator.packs.pack import inherited_policies, pack_index, read_pack_meta

    try:
        name = read_pack_meta(folder).name
        index = pack_index(dirs or [], include_builtin=True)
        return inherited_policies(name, index) if name in index else {}
    except RuleError:
        return {}  # reported where the pack itself is loaded


def lint(dirs: list[Path] | None = None, include_builtin: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    folders = pack_folders(dirs or [], include_builtin=include_builtin and not dirs)
    seen: dict[str, str] = {}
    for folder in folders:
        meta = folder / "pack.yaml"
        pack_name = folder.name
        try:
            inherited = _inherited(folder, dirs)
            pack = load_pack(folder, inherited)
            pack_name = pack.name
        except RuleError as exc:
            pack = None
            if str(meta) in exc.message:
                problems.append(_split(exc))
                continue
        if meta.is_file():
            doc = load_yaml(meta) if pack is None else None
            if isinstance(doc, dict) and "name" in doc:
                pack_name = str(doc["name"])
        rules = []
        for file in sorted(p for p in folder.glob("*.y*ml") if p.name != "pack.yaml"):
            try:
                inside(file, folder)
            except RuleError as exc:
                problems.append(_split(exc))
                continue
            good, bad = (compile_rule_file(file, pack_name, pack.applies_to, {**inherited, **pack.policies})
                         if pack is not None else compile_rule_file(file, pack_name))
            rules.extend(good)
            problems.extend(_split(e) for e in bad)
        kinds = set(pack.applies_to) if pack is not None else None
        for rule in rules:
            if rule.id in seen:
                problems.append(Problem(rule.source, f"规则编号 {rule.id} 重复（已在 {seen[rule.id]} 定义）",
                                        f"duplicate rule id {rule.id} (already defined at {seen[rule.id]})"))
            seen.setdefault(rule.id, rule.source)
            if _unreachable(rule):
                problems.append(Problem(rule.source, f"规则 {rule.id} 的 when 对适用的文档类型永远不成立，规则不会运行",
                                        f"rule {rule.id}: its when can never hold for the kinds it applies to, so it never runs"))
            if kinds is not None and not kinds & set(rule.applies_to):
                problems.append(Problem(rule.source, f"规则 {rule.id} 的 applies_to 与规则包的 applies_to 没有交集，规则不会运行",
                                        f"rule {rule.id}: its applies_to shares no kind with its pack's, so it never runs"))
        try:
            files = fixture_files(folder)
        except RuleError as exc:
            problems.append(_split(exc))
            files = {}
        ids = {r.id for r in rules}
        for rule in rules:
            path = files.get(rule.id)
            if path is None:
                problems.append(Problem(rule.source, f"规则 {rule.id} 没有夹具文件 fixtures/{rule.id}.yaml",
                                        f"rule {rule.id} has no fixture file fixtures/{rule.id}.yaml"))
                continue
            try:
                cases = load_fixture(path)["cases"]
            except RuleError as exc:
                problems.append(_split(exc))
                continue
            if not any(not c.get("expect") for c in cases) or not any(c.get("expect") for c in cases):
                problems.append(Problem(str(path), f"规则 {rule.id} 的夹具需要至少一个通过（expect: []）和一个不通过的例子",
                                        f"rule {rule.id} needs at least one passing (expect: []) and one failing case"))
        for stem, path in files.items():
            if stem not in ids:
                problems.append(Problem(str(path), f"夹具文件对应的规则 {stem} 不存在", f"fixture file for unknown rule {stem}"))
    if not problems:
        # How the packs fit together (extends, overrides, ids shared with the installed
        # packs) shows only when they are loaded side by side, as `check` will.
        from validator.packs.pack import load_packs

        try:
            load_packs(dirs or [], include_builtin=True)
        except RuleError as exc:
            problems.append(_split(exc))
    return problems
