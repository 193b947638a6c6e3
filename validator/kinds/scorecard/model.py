"""The canonical scorecard and the facts rules read from it.

A document lists the scored items (一级 / 二级 / 三级, 权重, 得分, 得分率, 扣分原因), the
groups their 小计 rows close (with each group's own weight, score and rate), and the
合计. Each item names its group by position: the group a 小计 row closes is the rows above
it since the previous one, whatever 一级 label a page break printed on them."""

from __future__ import annotations

from collections import Counter

from validator.domain.notation import parse_value
from validator.kinds.scorecard.table import Card, group_label, year_of
from validator.read.grid import coordinate

SCORE, PERCENT, TEXT = "score", "percent", "text"

DERIVED = {
    "group": {"item_weights": "score[]", "item_scores": "score[]"},
    "root": {
        "group_weights": "score[]",
        "group_scores": "score[]",
        "item_weights": "score[]",
        "item_scores": "score[]",
        # Every 得分率 with the score and weight of its own line.
        "rates": {"value": PERCENT, "score": SCORE, "weight": SCORE, "line": TEXT},
    },
}

SECTION_LABELS = {"items": "评分表", "groups": "小计", "total": "合计", "title": "标题"}


def document(card: Card) -> dict:
    sheet = card.grid.sheet
    source: dict[str, dict] = {}

    def at(path: str, row: int, col: int) -> None:
        source[path] = {"sheet": sheet, "cell": coordinate(row, col)}

    doc: dict = {"selfeval": 1, "kind": "scorecard"}
    if card.title:
        doc["title"] = card.title.strip()
        at("title", card.title_row, card.grid.row_cells(card.title_row)[0][0])
    year = year_of(card)
    if year:
        doc["year"] = year
    items, groups = [], []
    pending: list[int] = []  # items not yet closed by a 小计
    for line in card.lines:
        values = {k: t for k, (_, t) in line.values.items()}
        if line.role == "total":
            doc["total"] = {k: values.get(k) for k in ("weight", "score", "rate") if k in values}
            label_col = min((c for c, _ in line.levels.values()), default=card.grid.row_cells(line.row)[0][0])
            at("total", line.row, label_col)
            for k, (col, _) in line.values.items():
                if k in ("weight", "score", "rate"):
                    at(f"total.{k}", line.row, col)
            continue
        if line.role == "subtotal":
            printed = [t for f, (_, t) in sorted(line.levels.items())]
            names = [group_label(t) for t in printed if group_label(t) and group_label(t) != "小计"]
            members = [items[i] for i in pending]
            name = names[0] if names else _majority(members)
            index = len(groups)
            group = {"name": name, **{k: values.get(k) for k in ("weight", "score", "rate") if k in values},
                     "items": list(pending)}
            groups.append(group)
            col = min((c for c, _ in line.levels.values()), default=card.grid.row_cells(line.row)[0][0])
            at(f"groups[{index}]", line.row, col)
            for k, (c, _) in line.values.items():
                if k in ("weight", "score", "rate"):
                    at(f"groups[{index}].{k}", line.row, c)
            for i in pending:
                items[i]["group"] = index
                if name:
                    items[i]["level1"] = name  # the group the sums put it in
            pending = []
            continue
        deepest = max(line.levels) if line.levels else None
        name_col, name = line.levels[deepest] if deepest else (line.values.get("weight", (1, None))[0], "")
        item = {"name": name}
        for level in ("level1", "level2", "level3"):
            if level in line.levels and level != deepest:
                item[level] = group_label(line.levels[level][1]) if level == "level1" else line.levels[level][1]
        for k in ("weight", "score", "rate", "reason"):
            if k in values:
                item[k] = values[k]
        index = len(items)
        items.append(item)
        pending.append(index)
        at(f"items[{index}]", line.row, name_col)
        at(f"items[{index}].name", line.row, name_col)
        for k, (col, _) in line.values.items():
            if k in item:
                at(f"items[{index}].{k}", line.row, col)
    doc["items"] = items
    if groups:
        doc["groups"] = groups
    if card.grade:
        row, col, text = card.grade
        doc.setdefault("total", {})["grade"] = text
        at("total.grade", row, col)
    doc["source"] = source
    return doc


def _majority(items: list[dict]) -> str | None:
    labels = [i.get("level1") for i in items if i.get("level1")]
    return Counter(labels).most_common(1)[0][0] if labels else None


def derive(document: dict) -> dict:
    tree = dict(document)

    def score(v):
        return parse_value(v, "分")

    items = [dict(it, weight=score(it.get("weight")), score=score(it.get("score")), rate=parse_value(it.get("rate"), "%"))
             for it in document.get("items") or []]
    groups = []
    for g in document.get("groups") or []:
        members = [items[i] for i in g.get("items") or [] if 0 <= i < len(items)]
        groups.append(dict(g, weight=score(g.get("weight")), score=score(g.get("score")), rate=parse_value(g.get("rate"), "%"),
                           item_weights=[m["weight"] for m in members], item_scores=[m["score"] for m in members]))
    total = document.get("total")
    if total is not None:
        total = dict(total, weight=score(total.get("weight")), score=score(total.get("score")),
                     rate=parse_value(total.get("rate"), "%"), grade=parse_value(total.get("grade")))
        tree["total"] = total
    tree["items"], tree["groups"] = items, groups
    tree["group_weights"] = [g["weight"] for g in groups]
    tree["group_scores"] = [g["score"] for g in groups]
    tree["item_weights"] = [it["weight"] for it in items]
    tree["item_scores"] = [it["score"] for it in items]
    rates = []
    for prefix, lines in (("items", items), ("groups", groups)):
        for i, line in enumerate(lines):
            if line["rate"].number is not None:
                rates.append({"_path": f"{prefix}[{i}].rate", "_label": line.get("name"), "value": line["rate"],
                              "score": line["score"], "weight": line["weight"], "line": line.get("name")})
    if total is not None and total["rate"].number is not None:
        rates.append({"_path": "total.rate", "_label": "合计", "value": total["rate"], "score": total["score"],
                      "weight": total["weight"], "line": "合计"})
    tree["rates"] = rates
    return tree
