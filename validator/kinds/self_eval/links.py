"""A self-evaluation table against the other documents of its submission (GUIDE §1c, §1g):
the targets it was issued, and the allocation and execution tables of its money.

The issued target tables of the same submission are merged into one view: those whose
project name matches the table's when there are such, else all of them (a regional table
reports on the projects of its region together). Each reported indicator is linked to the
issued indicator of the same name, or failing that to the closest name; what was issued
and not reported stays in the view. All of it is data: whether a target was changed, an
indicator dropped or moved is for the rules (rules/standard/issued.yaml) to say."""

from __future__ import annotations

import re
import unicodedata

from validator.domain import vocabulary
from validator.kinds.self_eval import model

# Below this similarity two names are different indicators, not one renamed.
RENAME_SIMILARITY = 0.6
_NOISE = re.compile(r"[\s\W_]+")
_PROJECT_WORDS = re.compile(r"(风险隐患治理|项目|经费|资金|支出|补助|治理)+$")


def _key(text) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", str(text or ""))).casefold()


def _project_key(text) -> str:
    return _PROJECT_WORDS.sub("", _key(text))


def _issued_docs(document: dict, others) -> list:
    targets = [o for o in others or () if o.kind == "target_table"]
    mine = _project_key(document.get("name"))
    if mine:
        named = [o for o in targets if (k := _project_key(o.data.get("name"))) and (k in mine or mine in k)]
        if named:
            return named
    return targets


def _reference(doc, path: str, label: str | None) -> dict:
    where = (doc.data.get("source") or {}).get(path) or {}
    return {"origin": doc.origin, "path": path, "sheet": where.get("sheet"), "cell": where.get("cell"), "label": label}


def issued_view(document: dict, others) -> dict | None:
    """The indicators and funds the table was issued, merged over its target tables; None
    when the submission holds no target table."""
    docs = _issued_docs(document, others)
    if not docs:
        return None
    indicators: dict[str, dict] = {}
    for doc in docs:
        for i, ind in enumerate(doc.data.get("indicators") or []):
            key = _key(ind.get("name"))
            if not key:
                continue
            entry = indicators.setdefault(key, {"name": ind.get("name"), "level1": ind.get("level1"),
                                                "level2": ind.get("level2"), "targets": [], "at": []})
            entry["targets"].append(ind.get("target"))
            entry["at"].append(_reference(doc, f"indicators[{i}].target", ind.get("name")))
    for entry in indicators.values():
        written = {_key(t) for t in entry["targets"]}
        entry["varies"] = len(written) > 1
        entry["target"] = entry["targets"][0] if not entry["varies"] else None
    totals = {"total": [], "central": [], "local": []}
    for doc in docs:
        funds = doc.data.get("funds") or {}
        totals["total"].append((funds.get("total") or {}).get("budget"))
        for row in funds.get("sources") or []:
            if row.get("source") in ("central", "local"):
                totals[row["source"]].append(row.get("budget"))
    return {"indicators": indicators, "docs": docs, "funds": totals, "origins": [d.origin for d in docs]}


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    from difflib import SequenceMatcher  # only a submission with issued targets gets here

    if a in b or b in a:
        return max(0.8, SequenceMatcher(None, a, b).ratio())
    return SequenceMatcher(None, a, b).ratio()


def link_issued(sub: dict, document: dict, others) -> None:
    """Add the issued facts to `sub` (the tree model.build made): on each indicator the
    issued name, target, 一级/二级, how it was matched and where the issued target is; at
    the root the issued funds and the issued indicators no reported one matched."""
    view = issued_view(document, others)
    sub["targets_linked"] = view is not None
    sub["issued_unreported"] = []
    if view is None:
        return
    issued = view["indicators"]
    free = dict(issued)
    rows = sub.get("indicators") or []
    pending = []
    for row in rows:
        key = _key(row.get("name"))
        if key in free:
            _attach(row, free.pop(key), "same")
        else:
            pending.append((row, key))
    for row, key in pending:
        best = max(free.items(), key=lambda kv: _similarity(key, kv[0]), default=None)
        if best is not None and _similarity(key, best[0]) >= RENAME_SIMILARITY:
            _attach(row, free.pop(best[0]), "renamed")
        else:
            _attach(row, None, "")
    for entry in free.values():
        sub["issued_unreported"].append({
            "name": entry["name"], "level1": entry["level1"], "level2": entry["level2"],
            "target": model.parse_value(entry["target"]), "_path": "indicators", "_label": entry["name"],
            "at": entry["at"][0],
        })
    for field, values in view["funds"].items():
        parsed = [model.parse_value(v, "万元") for v in values]
        sub[f"issued_{field}"] = parsed if len(parsed) == len(view["docs"]) and all(v.number is not None for v in parsed) else []


def _attach(row: dict, entry: dict | None, how: str) -> None:
    row["issued_match"] = how
    if entry is None:
        row.update(issued_name=None, issued_level1=None, issued_level2=None, issued_class1=None, issued_class2=None,
                   issued_varies=False, issued_target=model.parse_value(None), issued_at=None)
        return
    row.update(
        issued_name=entry["name"], issued_level1=entry["level1"], issued_level2=entry["level2"],
        issued_class1=vocabulary.level1_class(entry["level1"]), issued_class2=vocabulary.level2_class(entry["level2"])[0],
        issued_varies=entry["varies"], issued_target=model.parse_value(entry["target"], row.get("unit_hint")),
        issued_at=entry["at"][0],
    )


# --- funds: the allocation and execution tables of the same submission -------------------------

def _totals(doc) -> dict[str, tuple]:
    """The 合计 row of an allocation or execution table, by source and measure:
    {(source, measure): (written value, reference)}."""
    columns = {c["key"]: c for c in doc.data.get("columns") or []}
    rows = doc.data.get("rows") or []
    total = next((i for i, r in enumerate(rows) if r.get("role") == "total"), None)
    if total is None:
        return {}
    out = {}
    for key, value in (rows[total].get("values") or {}).items():
        column = columns.get(key) or {}
        source = column.get("source")
        measure = column.get("measure") or ("budget" if doc.kind == "allocation" else None)
        if source and measure in ("budget", "executed") and value not in (None, ""):
            out[(source, measure)] = (value, _reference(doc, f"rows[{total}].values.{key}", column.get("label")))
    return out


def link_funds(sub: dict, others) -> None:
    """On each fund row of the table (资金总额, 中央, 地方 …), what the allocation tables and
    the execution tables of the same submission say of the same source, where they agree:
    `allocated` and `execution_executed`, with where it was read."""
    funds = sub.get("funds") or {}
    rows = funds.get("rows") or []
    unit = funds.get("unit") or "万元"
    for kind, measure, field in (("allocation", "budget", "allocated"), ("execution", "budget", "execution_budget"),
                                 ("execution", "executed", "execution_executed")):
        said: dict[str, list] = {}
        for doc in (o for o in others or () if o.kind == kind):
            for (source, m), (value, ref) in _totals(doc).items():
                if m == measure:
                    said.setdefault(source, []).append((value, ref))
        for row in rows:
            source = row.get("source") or ("total" if row.get("_path") == "funds.total" else None)
            found = said.get(source) or []
            if found and len({_key(v) for v, _ in found}) == 1:
                row[field] = model.parse_value(found[0][0], unit)
                row[f"{field}_at"] = found[0][1]
