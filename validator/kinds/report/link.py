"""What the report states, tied to the table it reports on.

The report is compared with one self-evaluation table of its submission: the one it is
written in (the 项目绩效分析 block of a 自评表), else the only one, else the one whose
project the report names. Each figure the extractor tied to a funds field is paired with
that field's cell (or, where the template has no such cell, with what the cells imply:
执行率 = B / A, 结余 = A − B); each figure whose subject names an indicator is paired with
the indicator's actual (or its target, when the sentence says 指标值). Where the table
also has a 年初预算数, the value on that base travels with the claim, so a rate computed
on 年初预算 is recognized for what it is (GUIDE §1h). Everything here is data for the
rules in rules/report/: whether a pair disagrees is for them to say."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from validator.domain import measure
from validator.domain import notation
from validator.domain.notation import Notation
from validator.kinds.report.extract import WINDOW, Extracted, Figure, says_nothing
from validator.kinds.report.words import fold, vocabulary

# Kinds a report is compared with: the self-evaluation tables.
TABLE_KINDS = ("transfer", "project")
# An indicator is named in a subject when this share of its name (the longest run the two
# have in common) is there; below it the figure is not tied to the indicator.
NAME_SHARE = Decimal("0.6")
# A quoted sentence is cut here: the location names it, the paragraph number finds it.
QUOTE_WIDTH = 60

FIELD_LABELS = {
    "budget": ("全年预算数", "budget"),
    "executed": ("全年执行数", "executed"),
    "initial_budget": ("年初预算数", "initial budget"),
    "balance": ("资金结余", "balance"),
    "rate": ("预算执行率", "execution rate"),
    "actual": ("实际完成值", "actual"),
    "target": ("指标值", "target"),
}
_NOISE = re.compile(r"[\s\W_]+")
_ENUMERATOR = re.compile(r"^\s*(?:[（(]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[.．、]|[a-zA-Z]\s*[.．、]|[一二三四五六七八九十]+\s*、)")


def printable(text: str) -> str:
    """A report's words as a finding may show them: a control character (an escape
    sequence typed into a .txt, say) becomes its visible picture (␛) and can never act on
    a terminal."""
    return "".join(ch if unicodedata.category(ch) != "Cc" or ch in "\n\t" else
                   (chr(0x2400 + ord(ch)) if ord(ch) < 0x20 else "\u2421" if ord(ch) == 0x7F else f"\\x{ord(ch):02x}")
                   for ch in text)


def quote(sentence: str) -> str:
    text = " ".join(printable(sentence[: QUOTE_WIDTH * 2]).split())
    if len(text) > QUOTE_WIDTH:
        text = text[:QUOTE_WIDTH - 1] + "…"
    return f"“{text}”"


def key(text: Any) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", str(text or ""))).casefold()


def project_key(text: Any) -> str:
    """A project's name without the words every project's name ends with."""
    return vocabulary().project_tail.sub("", key(text))


def _common_run(a: str, b: str) -> int:
    """The length of the longest run of characters `a` and `b` have in common."""
    best = 0
    previous = [0] * (len(b) + 1)
    for ca in a:
        current = [0] * (len(b) + 1)
        for j, cb in enumerate(b, start=1):
            if ca == cb:
                current[j] = previous[j - 1] + 1
                if current[j] > best:
                    best = current[j]
        previous = current
    return best


def clean_subject(subject: str) -> str:
    words = vocabulary()
    text = _ENUMERATOR.sub("", fold(subject))
    text = key(text)
    changed = True
    while changed:
        changed = False
        for word in words.subject_noise:
            if text.startswith(word) and len(text) > len(word):
                text = text[len(word):]
                changed = True
        for word in words.subject_noise:
            if text.endswith(word) and len(text) > len(word):
                text = text[:-len(word)]
                changed = True
    return text


def _name_share(subject: str, name: str) -> Decimal:
    a, b = clean_subject(subject), key(name)
    b = re.sub(r"指标$", "", b)
    if not a or not b:
        return Decimal(0)
    if b in a:
        return Decimal(1)
    return Decimal(_common_run(a, b)) / Decimal(len(b))


# --- the table the report is about ----------------------------------------------------------

def choose_table(report: dict, others) -> tuple[Any | None, list]:
    """(the table the report is compared with or None, the self-evaluation tables there are):
    the table whose text it is (`about`); else the one whose project the report names;
    else the only one; else the only complete one (funds and indicators: a Word report's
    own copy of the table is often split in two), or the first of several complete ones
    that are one project's (the workbook and the report's attached copy of one table)."""
    tables = [o for o in others or () if o.kind in TABLE_KINDS and isinstance(o.data, dict)]
    about = report.get("about")
    if about:
        mine = [o for o in tables if o.origin == about]
        if mine:
            return mine[0], tables
    text = key(report.get("name")) + "".join(key(p.get("text")) for p in _paragraphs(report)[:30])
    named = [(len(k), o) for o in tables if len(k := project_key(o.data.get("name"))) >= 4 and k in text]
    if named:
        named.sort(key=lambda t: -t[0])
        if len(named) == 1 or named[0][0] > named[1][0]:
            return named[0][1], tables
    if len(tables) == 1:
        return tables[0], tables
    complete = [o for o in tables if o.data.get("funds") and o.data.get("indicators")]
    if len(complete) == 1 or (complete and len({project_key(o.data.get("name")) for o in complete}) == 1):
        return complete[0], tables
    return None, tables


def _paragraphs(report: dict) -> list[dict]:
    out = []
    for p in report.get("paragraphs") or []:
        out.append({"text": p} if isinstance(p, str) else dict(p))
    return out


def table_tree(table) -> dict:
    from validator.kinds import kind_named

    kind = kind_named(table.kind)
    return kind.derive(table.data, ()) if kind is not None and kind.derive is not None else dict(table.data)


def ref(table, path: str, label: str | None) -> dict:
    where = (table.data.get("source") or {}).get(path) or {}
    return {"origin": table.origin, "path": path, "sheet": where.get("sheet"), "cell": where.get("cell"), "label": label}


def year_of(value: Any) -> int | None:
    m = re.search(r"(?:19|20)\d{2}", str(value or ""))
    return int(m[0]) if m else None


# --- values ----------------------------------------------------------------------------------

def stated_value(fig: Figure) -> Notation:
    unit = "万元" if fig.unit == "万" else fig.unit
    return notation.parse_text(f"{fig.number:f}{unit}")


def _measure(value) -> measure.Measure | None:
    if isinstance(value, measure.Measure):
        return value
    if isinstance(value, Notation) and value.kind == notation.QUANTITY:
        return value.measure
    return None


def _usable(value) -> bool:
    return _measure(value) is not None


def scale(stated, table) -> Decimal | None:
    """The power of ten the stated figure is of the table's (10000: 元 written for 万元,
    100: a fraction for a percent, 10: a zero dropped), when it is one."""
    a, b = _measure(stated), _measure(table)
    if a is None or b is None or a.dimension != b.dimension or a.value == 0 or b.value == 0:
        return None
    for exponent in (4, -4, 2, -2, 1, -1, 3, -3, 5, -5, 6, -6, 8, -8):
        factor = Decimal(10) ** exponent
        lo, hi = sorted((b.lo * factor, b.hi * factor))
        if a.lo <= hi and lo <= a.hi:
            return factor
    return None


def _fund_row(tree: dict, source: str | None) -> tuple[dict | None, str]:
    funds = tree.get("funds") or {}
    if source is None:
        return funds.get("total"), "funds.total"
    for i, row in enumerate(funds.get("sources") or []):
        if row.get("source") == source:
            return row, f"funds.sources[{i}]"
        for j, part in enumerate(row.get("parts") or []):
            if part.get("source") == source:
                return part, f"funds.sources[{i}].parts[{j}]"
    return None, ""


def _cell(row: dict, name: str):
    value = row.get(name)
    return value if isinstance(value, Notation) and value.kind != notation.BLANK else None


def _initial(row: dict) -> tuple[Notation | None, str | None]:
    for name in ("initial_budget", "initial_planned", "initial_declared"):
        value = _cell(row, name)
        if value is not None and _usable(value) and _measure(value).value != 0:
            return value, name
    return None, None


def _fund_claim(fig: Figure, tree: dict, table) -> dict | None:
    row, path = _fund_row(tree, fig.source)
    if row is None:
        return None
    label = (str(row.get("label") or "").strip().rstrip(":：").strip() or None) if row.get("label") else None
    label = label or ("资金总额" if fig.source is None else None)
    budget, executed = _cell(row, "budget"), _cell(row, "executed")
    initial, initial_name = _initial(row)
    claim: dict[str, Any] = {"other": None, "other_at": None}
    field = fig.field
    if field == "initial_budget":
        if initial is None:
            return None
        value, at = initial, ref(table, f"{path}.{initial_name}", label)
    elif field in ("budget", "executed"):
        value = _cell(row, field)
        if value is None:
            return None
        at = ref(table, f"{path}.{field}", label)
        if field == "budget" and not fig.full_year and initial is not None:
            claim.update(other=initial, other_at=ref(table, f"{path}.{initial_name}", label))
    elif field in ("rate", "balance") and any(_cell(row, n) is not None and not _usable(_cell(row, n)) for n in ("budget", "executed")):
        # A rate or balance whose amounts the table cannot give (#DIV/0!, text) is not
        # compared: the cell is reported as it is (FM001), and which base the report used
        # cannot be told.
        return None
    elif field == "rate":
        value = _cell(row, "rate")
        at = ref(table, f"{path}.rate", label)
        if (value is None or not _usable(value)) and _usable(budget) and _usable(executed):
            value = measure.ratio(_measure(executed), _measure(budget))
            at = ref(table, f"{path}.executed", label)
        if _usable(executed) and initial is not None and not _same(initial, budget):
            claim.update(other=measure.ratio(_measure(executed), _measure(initial)),
                         other_at=ref(table, f"{path}.{initial_name}", label))
    elif field == "balance":
        value = _cell(row, "balance")
        at = ref(table, f"{path}.balance", label)
        if (value is None or not _usable(value)) and _usable(budget) and _usable(executed):
            value = measure.sub(_measure(budget), _measure(executed))
            at = ref(table, f"{path}.executed", label)
        if _usable(executed) and initial is not None and not _same(initial, budget):
            claim.update(other=measure.sub(_measure(initial), _measure(executed)),
                         other_at=ref(table, f"{path}.{initial_name}", label))
    else:
        return None
    if field in ("rate", "balance") and fig.initial_base and claim["other"] is not None:
        # The report names its base (按年初预算数计算): it is compared on that base only.
        value, at = claim["other"], claim["other_at"]
        claim.update(other=None, other_at=None)
    if value is None or not _usable(value):
        return None
    claim.update(type="funds", field=field, table=value, table_at=at, row_label=label)
    return claim


def _same(a, b) -> bool:
    """The two cells hold the same amount (as printed: 150 and 150.00 are one amount,
    9 and 8.92 are not, though 9 printed whole could stand for 8.92)."""
    ma, mb = _measure(a), _measure(b)
    return ma is not None and mb is not None and ma.value == mb.value


def _indicator_for(subject: str, indicators: list[dict]) -> int | None:
    scored = sorted(((_name_share(subject, ind.get("name")), i) for i, ind in enumerate(indicators)), reverse=True)
    if not scored or scored[0][0] < NAME_SHARE:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two indicators as likely: not guessed
    return scored[0][1]


def _mentioned(text: str, indicators: list[dict]) -> int | None:
    """The indicator whose whole name the text mentions last."""
    plain = key(text)
    best = None
    for i, ind in enumerate(indicators):
        name = re.sub(r"指标$", "", key(ind.get("name")))
        if len(name) >= 2:
            at = plain.rfind(name)
            if at >= 0 and (best is None or at + len(name) > best[0]):
                best = (at + len(name), i)
    return best[1] if best else None


def _indicator_claim(fig: Figure, index: int, tree: dict, table) -> dict | None:
    ind = (tree.get("indicators") or [])[index]
    field = "target" if fig.target else "actual"
    value = ind.get(field)
    stated = stated_value(fig)
    if not isinstance(value, Notation) or value.kind != notation.QUANTITY or value.dimension != stated.dimension:
        return None
    path = ind.get("_path") or f"indicators[{index}]"
    return {"type": "indicator", "field": field, "table": value, "table_at": ref(table, f"{path}.{field}", ind.get("name")),
            "row_label": ind.get("name"), "other": None, "other_at": None}


def stated_phrase(fig: Figure) -> str:
    """The words that state the figure, as written: 预算执行率为47.22%."""
    phrase = _ENUMERATOR.sub("", fig.written[fig.start:fig.end]).strip(" ,，、:：")
    return printable(phrase or fig.text)


def as_shown(table, stated: Notation) -> tuple[str, str | None]:
    """The table's value as a reader sees it, with the unit its column prints in the
    header (15万元), and in the report's unit when that is another (150000元)."""
    m, s = _measure(table), stated.measure
    if isinstance(table, Notation):
        shown = table.raw.strip()
        if table.unit is not None and not table.unit_written:
            shown += table.unit.symbol
    else:
        shown = measure.fmt(m)
    converted = None
    if m is not None and s is not None and m.unit is not None and s.unit is not None and m.unit.symbol != s.unit.symbol:
        places = s.decimals if s.decimals is not None else 2
        converted = measure.fmt(m, s, max(places, 0))
    return shown, converted


def claims(extracted: Extracted, tree: dict, table) -> list[dict]:
    indicators = tree.get("indicators") or []
    words = vocabulary()
    out: list[dict] = []
    context: dict[tuple, int | None] = {}  # sentence → the indicator it is about so far
    for fig in extracted.figures:
        if fig.bound or fig.per_unit or fig.dimension == "score" or fig.listed:
            continue
        if fig.dimension == "count" and fig.counted and not fig.counted.startswith(("的", "和", "及", "与")):
            continue
        claim = None
        if fig.field is not None:
            claim = _fund_claim(fig, tree, table)
        elif fig.dimension in ("count", "ratio", "money") and indicators:
            index = _indicator_for(fig.subject, indicators)
            sentence_key = (fig.paragraph, id(fig.sentence))
            if index is not None:
                context[sentence_key] = index
            elif any(clean_subject(fig.subject).endswith(key(w)) or key(w) in key(fig.subject) for w in words.context_words):
                index = context.get(sentence_key)
                if index is None:
                    index = _mentioned(fig.sentence[max(0, fig.start - WINDOW):fig.start], indicators)
            if index is not None:
                claim = _indicator_claim(fig, index, tree, table)
        if claim is None:
            continue
        stated = stated_value(fig)
        label_zh, label_en = FIELD_LABELS[claim["field"]]
        shown, converted = as_shown(claim["table"], stated)
        claim.update(
            _path=f"paragraphs[{fig.paragraph}]", _label=quote(fig.written), sentence=fig.written,
            subject=stated_phrase(fig), field_label=label_zh, field_label_en=label_en,
            stated=stated, scale=scale(stated, claim["table"]), year=fig.year,
            table_shown=shown, table_stated_unit=converted or shown, converted=f"（即 {converted}）" if converted else "",
            converted_en=f" ({converted})" if converted else "",
        )
        out.append(claim)
    return out


# --- the rest of what a report states ---------------------------------------------------------

def score_items(extracted: Extracted) -> list[dict]:
    out = []
    for e in extracted.entries:
        if e.score is None:
            continue
        out.append({
            "name": e.name, "group": e.group,
            "weight": notation.parse_text(f"{e.weight:f}分"), "score": notation.parse_text(f"{e.score:f}分"),
            "rate": notation.parse_text(f"{e.rate:f}%") if e.rate is not None else None,
            "_path": f"paragraphs[{e.score_paragraph}]", "_label": e.name,
        })
    return out


def score_groups(extracted: Extracted) -> list[dict]:
    return [{"name": e.name, "weight": notation.parse_text(f"{e.weight:f}分"), "_path": f"paragraphs[{e.paragraph}]", "_label": e.name}
            for e in extracted.entries if e.score is None]


def _table_total(tree: dict | None) -> Notation | None:
    total = ((tree or {}).get("total") or {}).get("score")
    return total if isinstance(total, Notation) and total.kind == notation.QUANTITY else None


def stated_totals(extracted: Extracted, tree: dict | None, table=None) -> list[dict]:
    table_total = _table_total(tree)
    at = ref(table, "total.score", "合计") if table is not None and table_total is not None else None
    return [{"stated": notation.parse_text(f"{score:f}分"), "table_total": table_total, "table_total_at": at,
             "_path": f"paragraphs[{p}]", "_label": quote(sentence)} for p, score, sentence in extracted.totals]


def stated_grades(extracted: Extracted, tree: dict | None) -> list[dict]:
    totals = stated_totals(extracted, tree)
    out = []
    for p, grade, sentence in extracted.grades:
        total = totals[0]["stated"] if totals else None
        if total is None:
            total = _table_total(tree)
        out.append({"grade": grade, "total": total, "_path": f"paragraphs[{p}]", "_label": quote(sentence)})
    return out


def budget_years(claim_list: list[dict]) -> list[dict]:
    """The years printed beside the report's figures of the funds, once per sentence."""
    seen = set()
    out = []
    for c in claim_list:
        if c["type"] != "funds" or c["field"] == "balance" or c.get("year") is None:
            continue
        k = (c["_path"], c["sentence"], c["year"])
        if k in seen:
            continue
        seen.add(k)
        out.append({"year": Decimal(c["year"]), "_path": c["_path"], "_label": c["_label"], "subject": c["subject"]})
    return out


def deviations(extracted: Extracted) -> list[dict]:
    words = vocabulary()
    out = []
    for s in extracted.sections:
        if not any(w in key(s.title) for w in map(key, words.deviation_headings)):
            continue
        body = "\n".join(text for _, text in s.body)
        out.append({"said": printable(body.strip()), "says_nothing": says_nothing(body), "title": printable(s.title),
                    "_path": f"paragraphs[{s.paragraph}]", "_label": quote(s.title)})
    return out


def missed(tree: dict | None, table) -> list[dict]:
    out = []
    for i, ind in enumerate((tree or {}).get("indicators") or []):
        if ind.get("status") == "not_met":
            out.append(ref(table, f"{ind.get('_path') or f'indicators[{i}]'}.actual", ind.get("name")))
    return out


def said_missed(extracted: Extracted, tree: dict | None, table) -> list[dict]:
    """Indicators a sentence says were missed (X指标未完成), named in full, with what the
    table says of them."""
    indicators = (tree or {}).get("indicators") or []
    out = []
    for p, sentence, quoted in extracted.not_met:
        plain = key(sentence)
        for i, ind in enumerate(indicators):
            name = re.sub(r"指标$", "", key(ind.get("name")))
            if len(name) >= 3 and name in plain:
                out.append({"name": ind.get("name"), "status": ind.get("status"), "actual": ind.get("actual"),
                            "at": ref(table, f"indicators[{i}].actual", ind.get("name")),
                            "_path": f"paragraphs[{p}]", "_label": quote(quoted)})
    return out


def all_met(extracted: Extracted) -> list[dict]:
    return [{"_path": f"paragraphs[{p}]", "_label": quote(sentence)} for p, sentence in extracted.all_met]


def projects(extracted: Extracted, report: dict, table, tables: list) -> list[dict]:
    """Projects the text names that are not the table's: another table's of the submission,
    or one named as the subject of what was done (2024年，X项目完成了…)."""
    own = project_key(table.data.get("name")) if table is not None else ""
    if not own:
        return []
    out = []
    seen = set()
    for p, name, sentence in extracted.projects:
        k = project_key(name)
        if not k or k in own or own in k or k in seen:
            continue
        seen.add(k)
        other = next((o for o in tables if o is not table and (ok := project_key(o.data.get("name"))) and (ok in k or k in ok)), None)
        out.append({"name": printable(name), "own": table.data.get("name"), "other": other.origin if other is not None else None,
                    "other_at": ref(other, "name", other.data.get("name")) if other is not None else None,
                    "_path": f"paragraphs[{p}]", "_label": quote(sentence)})
    paragraphs = _paragraphs(report)
    for o in tables:
        if o is table:
            continue
        k = project_key(o.data.get("name"))
        if len(k) < 4 or k in own or own in k or k in seen:
            continue
        for i, para in enumerate(paragraphs):
            if k in key(para.get("text")):
                seen.add(k)
                sentence = next((s for s in re.split(r"(?<=[。！？])", fold(para.get("text") or "")) if k in key(s)), para.get("text") or "")
                out.append({"name": o.data.get("name"), "own": table.data.get("name"), "other": o.origin,
                            "other_at": ref(o, "name", o.data.get("name")), "_path": f"paragraphs[{i}]", "_label": quote(sentence)})
                break
    return out
