"""部门决算公开 (GUIDE §1f): the ten tables 公开01–10 of a department's published final
accounts, read table by table (read.py) and checked as one set: the tables of one workbook
are assembled into one document, so the identities across tables (the same code in 公开02,
03 and 05, 公开01's 类 lines and 公开03's 类 rows, 三公 in 公开09 and 公开06 …) are rules
within a document (model.py derives them as data)."""

from __future__ import annotations

from pathlib import Path

from validator.kinds import Built, Kind, Match
from validator.kinds.final_accounts import model

_FOLDER = Path(__file__).resolve().parent
NAME = "final_accounts"
TITLE = "部门决算公开"


def _score(read) -> tuple[float, list[str], list[str]]:
    zh: list[str] = []
    en: list[str] = []
    value = 0.0
    if read.titled:
        value += 0.5
        zh.append(f"标题为“{read.spec.title}”")
        en.append(f"its title is that of the {read.spec.title_en} table ({read.spec.title})")
    if read.marked:
        value += 0.15
        zh.append(f"有{read.data.get('mark')}标记")
        en.append(f"it is marked {read.data.get('mark')}")
    if read.header:
        value += 0.35 if read.titled else 0.4
        zh.append("表头栏目可以识别" if not read.data.get("empty") else "注明本表无数据")
        en.append("its header columns are those of the table" if not read.data.get("empty") else "it says 本表无数据 (no data)")
    else:
        value = min(value, 0.3)
        zh.append("表头栏目无法识别")
        en.append("its header columns are not recognized")
    return min(1.0, value), zh, en


def recognize(grid) -> list[Match]:
    from validator.kinds.final_accounts.read import find

    out = []
    for read in find(grid):
        confidence, zh, en = _score(read)
        out.append(Match(
            kind=NAME, confidence=confidence, first_row=read.first_row, last_row=read.last_row,
            anchor=read.anchor, reason="；".join(zh), reason_en="; ".join(en), detail=read,
        ))
    return out


def _clean(node):
    if isinstance(node, dict):
        return {k: _clean(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node


def build(grid, match: Match) -> Built:
    """One table as a set of one; assemble() joins the tables of a workbook."""
    read = match.detail
    key = f"t{read.spec.number}"
    table = _clean(read.data)
    data: dict = {"kind": NAME}
    for field in ("department", "year", "unit"):
        if table.get(field):
            data[field] = table[field]
    data["tables"] = {key: table}
    data["source"] = {f"tables.{key}.{path}": where for path, where in read.source.items()}
    data["source"][f"tables.{key}"] = {"sheet": grid.sheet, "cell": read.anchor}
    return Built(data, list(read.notices))


def assemble(parts: list[Built]) -> list[Built]:
    """The tables of one workbook, in sheet order, as sets: a table met a second time
    starts the next set (a workbook may hold the sets of several units)."""
    sets: list[Built] = []
    current: Built | None = None
    for part in parts:
        (key, table), = part.data["tables"].items()
        if current is None or key in current.data["tables"]:
            current = Built({"kind": NAME, "tables": {}, "source": {}}, [])
            sets.append(current)
        current.data["tables"][key] = table
        current.data["source"].update(part.data.get("source") or {})
        current.notices.extend(part.notices)
        for field in ("department", "year", "unit"):
            if field not in current.data and part.data.get(field):
                current.data[field] = part.data[field]
    for i, built in enumerate(sets):
        tables = built.data.pop("tables")
        source = built.data.pop("source")
        built.data["tables"] = {k: tables[k] for k in sorted(tables)}
        built.data["source"] = source
        name = built.data.get("department") or TITLE
        built.name = name if sum(1 for b in sets if (b.data.get("department") or TITLE) == name) == 1 else f"{name}({i + 1})"
    return sets


def derive(document: dict, others=None) -> dict:
    return model.derive(document, others)


def quotable(tree: dict) -> list[dict]:
    from validator.kinds.final_accounts.quotable import figures

    return figures(tree)


KINDS = [Kind(
    name=NAME, title=TITLE, title_en="department final accounts", folder=_FOLDER,
    recognize=recognize, build=build, derive=derive, derived=model.DERIVED, assemble=assemble,
    section_labels=model.SECTION_LABELS, quotable=quotable,
)]
