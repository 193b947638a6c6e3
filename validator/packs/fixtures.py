"""Rule fixtures: one YAML file per rule (rules/<pack>/fixtures/<ID>.yaml) with named
cases, each a small submission and the findings of that rule it must produce.

    rule: AR002
    cases:
      - name: total equals the sources
        submission: {kind: transfer, funds: {...}}
        expect: []
      - name: total off by a transposition
        submission: {...}
        expect:
          - path: funds.total.budget
            expected: 5238.17万元      # optional: any finding field may be checked
            message_contains: 颠倒     # optional

A case may add `others:`, a list of other documents of the same submission (the issued
target tables of a 自评表, say), for the rules that read across documents; only the
`submission`'s findings are compared.

A rule passes when every case yields exactly the expected findings of that rule, and
it has at least one passing case (expect: []) and one failing case."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.errors import RuleError
from validator.packs.yamlfile import load_yaml

CHECKED_FIELDS = ("expected", "actual", "severity", "label", "sheet", "cell", "related")


@dataclass
class CaseResult:
    rule: str
    case: str
    ok: bool
    problems: list[str] = field(default_factory=list)


def fixture_files(pack_dir: Path) -> dict[str, Path]:
    """Fixture files by rule id; the folder and every file must stay inside the pack
    folder (a symbolic link to elsewhere is refused with a RuleError)."""
    from validator.packs.pack import inside

    folder = pack_dir / "fixtures"
    if not folder.is_dir():
        return {}
    inside(folder, pack_dir)
    return {p.stem: inside(p, pack_dir) for p in sorted(folder.glob("*.yaml"))}


def _finding_field(f, key: str) -> Any:
    if key in ("label", "sheet", "cell"):
        return getattr(f.location, key)
    if key == "related":  # the related places as origin:path
        return ", ".join(f"{loc.origin}:{loc.path}" for loc in f.related)
    return getattr(f, key)


def _plain(value: Any) -> Any:
    """Fixture YAML turns numbers into int/float/Decimal; compare as text."""
    if value is None:
        return None
    from decimal import Decimal

    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def run_case(validator, rule_id: str, case: dict) -> CaseResult:
    from validator.submission import Document

    name = str(case.get("name", "?"))
    others = case.get("others") or []
    if others:
        documents = [Document(case.get("submission"), f"{rule_id}:{name}")]
        documents += [Document(d, f"others[{i}]") for i, d in enumerate(others)]
        reports = validator.check_documents(documents)
        report = reports[0]
        for extra in reports[1:]:
            if extra.error or any(f.rule.startswith("SC") for f in extra.findings):
                return CaseResult(rule_id, name, False, [f"{extra.path} does not match its schema: "
                                                         + (extra.error or "; ".join(f.message for f in extra.findings if f.rule.startswith("SC")))])
    else:
        report = validator.check_mapping(case.get("submission"), origin=f"{rule_id}:{name}")
    if report.error:
        return CaseResult(rule_id, name, False, [report.error])
    got = [f for f in report.findings if f.rule == rule_id]
    schema_problems = [f.message for f in report.findings if f.rule.startswith("SC")]
    want = case.get("expect") or []
    problems: list[str] = []
    if schema_problems:
        problems.append("submission does not match the schema: " + "; ".join(schema_problems))
    if len(got) != len(want):
        problems.append(
            f"expected {len(want)} finding(s) of {rule_id}, got {len(got)}: "
            + "; ".join(f"{f.location.path}: {f.message}" for f in got)
        )
    else:
        remaining = list(got)
        for w in want:
            match = next((f for f in remaining if f.location.path == w.get("path", f.location.path)), None)
            if match is None:
                problems.append(f"no finding at {w.get('path')}; got {[f.location.path for f in remaining]}")
                continue
            remaining.remove(match)
            for key in CHECKED_FIELDS:
                if key in w and _plain(_finding_field(match, key)) != _plain(w[key]):
                    problems.append(f"{w.get('path')}: {key} is {_finding_field(match, key)!r}, expected {w[key]!r}")
            for needle in [w["message_contains"]] if "message_contains" in w else []:
                if str(needle) not in match.message:
                    problems.append(f"{w.get('path')}: message {match.message!r} lacks {needle!r}")
    return CaseResult(rule_id, name, not problems, problems)


def load_fixture(path: Path) -> dict:
    doc = load_yaml(path)
    if not isinstance(doc, dict) or "cases" not in doc or not isinstance(doc["cases"], list):
        raise RuleError(f"{path}: 夹具文件应包含 rule 和 cases 列表", f"{path}: a fixture file needs rule and a list of cases")
    return doc


def run_pack_fixtures(validator, pack) -> tuple[list[CaseResult], list[str]]:
    """Results of every case, and the rules lacking a passing or a failing case."""
    files = fixture_files(pack.path)
    results: list[CaseResult] = []
    missing: list[str] = []
    for rule in pack.rules:
        path = files.get(rule.id)
        if path is None:
            missing.append(f"{rule.id}: no fixture file")
            continue
        doc = load_fixture(path)
        cases = doc["cases"]
        if not any(not c.get("expect") for c in cases) or not any(c.get("expect") for c in cases):
            missing.append(f"{rule.id}: needs both a passing (expect: []) and a failing case")
        for case in cases:
            results.append(run_case(validator, rule.id, case))
    return results, missing
