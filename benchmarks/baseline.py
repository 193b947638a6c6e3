"""The benchmark rule set hand-written in plain Python: the floor selfeval is measured against.

`check(data)` takes a canonical submission (a mapping as read from YAML/JSON, numbers as
Decimal) and returns the findings of the benchmark rule set as (rule id, field path)
pairs, the same pairs `Validator(select=BENCH_RULES, packs=["standard"])` reports.
Each function below restates one rule of rules/standard/*.yaml with the same semantics:
printed-precision intervals (a value with d decimals stands for v ± ½·10⁻ᵈ, whole scores
and counts are exact), units converted to their base (元, fractions for %), and
"unknown" (a blank, text or a unit clash where a number is needed) never reporting.

What it borrows from selfeval, so that the comparison measures rule evaluation and not
notation parsing: `validator.domain.notation.parse_value` / `parse_text` / `unit_in_name` to
read a cell (`157`, `71.07%`, `≥15个`, `提升`) and `validator.domain.completion.judge` to decide
whether an indicator met its target. Everything else — sums, ratios, tolerances, group
roll-ups, the rules' conditions — is here, in straight-line code with no interpretation.
It does not validate the schema (selfeval does, on every check).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal

from validator.domain.completion import judge
from validator.domain.notation import (
    BLANK,
    MALFORMED,
    NOT_SET,
    QUALITATIVE,
    QUANTITY,
    TEXT,
    Notation,
    normalize,
    parse_text,
    parse_value,
    unit_in_name,
)

BENCH_RULES = (
    "AR001", "AR002", "AR003", "AR004", "AR005", "AR006", "AR007", "AR008", "AR009", "AR011", "AR012",
    "AR013", "AR014", "AR015", "AR016", "AR017", "AR018", "AR019", "AR021", "AR022", "AR023", "AR024",
    "AR025", "AR026", "TA001", "TA003", "TA004", "TA005", "TA006", "TA008", "UN001", "UN002", "UN006",
)

ZERO = Decimal(0)
ONE = Decimal(1)
HALF = Decimal("0.5")
INF = Decimal("Infinity")
NINF = Decimal("-Infinity")
CENT = Decimal("0.01")
EXACT_WHEN_WHOLE = ("score", "count")
DIMENSIONLESS = (None, "ratio")
MONEY_FIELDS = ("initial_budget", "initial_declared", "initial_planned", "budget", "executed", "balance")
BLANK_CELL = Notation(BLANK, "")

# selfeval reads cells and judges indicators in the ambient decimal context and does
# interval arithmetic (sums, differences, products, ratios) at 34 digits; so does this.
C34 = Context(prec=34)
_add, _sub, _mul, _div = C34.add, C34.subtract, C34.multiply, C34.divide

# A measure is a tuple (value, lo, hi, dimension, scale) in the dimension's base unit.
ZERO_SCORE = (ZERO, ZERO, ZERO, "score", ONE)
HUNDRED_SCORE = (Decimal(100), Decimal(100), Decimal(100), "score", ONE)
NINETY_SCORE = (Decimal(90), Decimal(90), Decimal(90), "score", ONE)
FULL_RATE = (ONE, ONE, ONE, "ratio", CENT)


def measure(n: Notation | None):
    """The interval a written quantity stands for; None for anything else."""
    if n is None or n.kind != QUANTITY or n.number is None:
        return None
    number, unit = n.number, n.unit
    if unit is None:
        scale, dim = ONE, None
    else:
        scale, dim = unit.scale, unit.dimension
    value = number * scale
    exp = number.as_tuple().exponent
    decimals = -exp if isinstance(exp, int) and exp < 0 else 0
    if decimals == 0 and dim in EXACT_WHEN_WHOLE:
        return (value, value, value, dim, scale)
    half = HALF * Decimal(10) ** -decimals * scale
    return (value, value - half, value + half, dim, scale)


def compatible(a, b) -> bool:
    return a[3] == b[3] or a[3] is None or b[3] is None


def approx(a, b):
    """≈: the two intervals overlap. None when either is unknown or the units clash."""
    if a is None or b is None:
        return None
    if a[2] == INF or b[2] == INF:
        return True
    if not compatible(a, b):
        return None
    return a[1] <= b[2] and b[1] <= a[2]


def le(a, b):
    if a is None or b is None or not compatible(a, b):
        return None
    return a[0] <= b[0]


def add(a, b):
    if a is None or b is None or not compatible(a, b):
        return None
    dim, scale = (a[3], a[4]) if a[3] is not None else (b[3], b[4])
    return (_add(a[0], b[0]), _add(a[1], b[1]), _add(a[2], b[2]), dim, scale)


def sub(a, b):
    if a is None or b is None or not compatible(a, b):
        return None
    dim, scale = (a[3], a[4]) if a[3] is not None else (b[3], b[4])
    return (_sub(a[0], b[0]), _sub(a[1], b[2]), _sub(a[2], b[1]), dim, scale)


def mul(a, b):
    if a is None or b is None:
        return None
    da, db = a[3], b[3]
    if da not in DIMENSIONLESS and db not in DIMENSIONLESS:
        return None
    if da in DIMENSIONLESS and db not in DIMENSIONLESS:
        dim, scale = db, b[4]
    elif da not in DIMENSIONLESS:
        dim, scale = da, a[4]
    else:
        dim, scale = (da, a[4]) if da is not None else (db, b[4])
    c = (_mul(a[1], b[1]), _mul(a[1], b[2]), _mul(a[2], b[1]), _mul(a[2], b[2]))
    return (_mul(a[0], b[0]), min(c), max(c), dim, scale)


def ratio(a, b):
    """a ÷ b as a rate; None when unknown, b is 0 or the units do not divide to a rate."""
    if a is None or b is None or b[0] == 0:
        return None
    if not (a[3] == b[3] or (b[3] in DIMENSIONLESS and a[3] in DIMENSIONLESS)):
        return None
    value = _div(a[0], b[0])
    if b[1] <= 0 <= b[2]:
        return (value, NINF, INF, "ratio", CENT)
    c = (_div(a[1], b[1]), _div(a[1], b[2]), _div(a[2], b[1]), _div(a[2], b[2]))
    return (value, min(c), max(c), "ratio", CENT)


def round_to(m, places: int):
    """round(x, n): half up in the value's own unit, then read back as printed."""
    if m is None:
        return None
    scale = m[4]
    shown = (m[0] / scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    value = shown * scale
    if places == 0 and m[3] in EXACT_WHEN_WHOLE:
        return (value, value, value, m[3], scale)
    half = HALF * Decimal(10) ** -places * scale
    return (value, value - half, value + half, m[3], scale)


def total_of(cells):
    """sum(): blanks count as 0; unknown if any cell is text, an error or clashes."""
    total = None
    for c in cells:
        if c is None or c.kind == BLANK:
            continue
        m = measure(c)
        if m is None:
            return None
        total = m if total is None else add(total, m)
        if total is None:
            return None
    return total


def filled(c) -> bool:
    return c is not None and c.kind != BLANK


def text_of(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return f"{v:f}"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v).strip()


def raw_filled(v) -> bool:
    if v is None:
        return False
    if isinstance(v, str):
        return bool(v.strip())
    if isinstance(v, (list, dict)):
        return bool(v)
    return True


NOTHING = {"", "无", "没有", "暂无", "无。", "无问题", "/", "-", "—", "不存在", "未发现问题", "无偏差", "已完成"}


def says_nothing(v) -> bool:
    text = text_of(v)
    if text is None:
        return True
    value = unicodedata.normalize("NFKC", text).strip().rstrip("。.")
    return value in NOTHING or value + "。" in NOTHING


_STRIP = re.compile(r"[\s（(][^（）()]*[分][）)]|[\s:：]")
_DECLARED = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]")
_OPS = {"＝": "=", "=": "=", "≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", ">": ">", "<": "<", "＞": ">", "＜": "<"}


def clean(label) -> str:
    return _STRIP.sub("", unicodedata.normalize("NFKC", label)) if label else ""


def is_cost(label) -> bool:
    text = clean(label)
    return "成本" in text and "满意度" not in text


# --- the rules -------------------------------------------------------------------------------


def _fund_row(row: dict, unit: str) -> dict:
    out = {}
    for key in MONEY_FIELDS:
        if key in row:
            out[key] = parse_value(row[key], unit)
    if "rate" in row:
        out["rate"] = parse_value(row["rate"], "%")
    for key in ("weight", "score"):
        if key in row:
            out[key] = parse_value(row[key], "分")
    return out


def _indicator(row: dict) -> dict:
    mu = row.get("measure_unit")
    mu_text = None if mu is None else (f"{mu:f}" if isinstance(mu, Decimal) else str(mu))
    hint = (mu_text or "").strip() or unit_in_name(row.get("name"))
    raw = row.get("target")
    written = parse_value(raw, hint)
    target = written
    nature = row.get("nature")
    nature_text = None if nature is None else (f"{nature:f}" if isinstance(nature, Decimal) else str(nature))
    if nature_text and nature_text.strip() != "定性":
        op = _OPS.get(nature_text.strip())
        if op is not None and written.kind in (QUANTITY, BLANK) and not written.op:
            number = "" if raw is None else (f"{raw:f}" if isinstance(raw, Decimal) else str(raw))
            target = parse_text(f"{op}{number}{'' if written.unit_written else (hint or '')}", hint)
    actual = parse_value(row.get("actual"), hint or (target.unit.symbol if target.unit is not None else None))
    cost_like = is_cost(row.get("level1")) or is_cost(row.get("level2"))
    j = judge(target, actual, cost_like=cost_like)
    return {
        "target": target, "written": written, "actual": actual, "mu": mu,
        "weight": parse_value(row.get("weight"), "分"), "score": parse_value(row.get("score"), "分"),
        "status": j.status, "completion": j.rate, "cost_like": cost_like, "reason": row.get("reason"),
    }


def _groups(rows: list[dict], inds: list[dict], declared: list[dict]) -> list[dict]:
    groups: dict[tuple, dict] = {}
    for i, row in enumerate(rows):
        l1 = row.get("level1") or ""
        l2 = row.get("level2") or ""
        for key, name in (((l1,), l1), ((l1, l2), l2)):
            if not name:
                continue
            g = groups.get(key)
            if g is None:
                m = _DECLARED.search(unicodedata.normalize("NFKC", name))
                g = groups[key] = {"weight": parse_value(m[1], "分") if m else BLANK_CELL, "score": BLANK_CELL,
                                   "members": [], "path": f"indicators[{i}]"}
            g["members"].append(inds[i])
    for j, decl in enumerate(declared):
        l1, l2 = decl.get("level1") or "", decl.get("level2") or ""
        key = (l1, l2) if l2 else (l1,)
        g = groups.get(key)
        if g is None:
            want = clean(key[-1])
            g = next((g for k, g in groups.items() if len(k) == len(key) and clean(k[-1]) == want), None)
        if g is None:
            g = groups[key] = {"members": []}
        g["weight"] = parse_value(decl.get("weight"), "分")
        g["score"] = parse_value(decl.get("score"), "分")
        g["path"] = f"indicator_groups[{j}]"
    return list(groups.values())


def check(data: dict) -> list[tuple[str, str]]:
    """The benchmark rule set on one submission: [(rule, path), …]."""
    out: list[tuple[str, str]] = []
    kind = data.get("kind")
    funds = data.get("funds")
    total_row: dict | None = None
    sources: list[dict] = []
    if funds is not None:
        unit = funds.get("unit") or "万元"
        rows: list[tuple[str, dict]] = []
        if "total" in funds:
            total_row = _fund_row(funds["total"] or {}, unit)
            rows.append(("funds.total", total_row))
        for i, raw in enumerate(funds.get("sources") or []):
            src = _fund_row(raw, unit)
            parts = [_fund_row(p, unit) for p in raw.get("parts") or []] if "parts" in raw else []
            src["parts"] = parts
            sources.append(src)
            rows.append((f"funds.sources[{i}]", src))
            for j, part in enumerate(parts):
                rows.append((f"funds.sources[{i}].parts[{j}]", part))
        t = total_row or {}
        # AR001–AR004: the total row is the sum of the sources.
        for rid, key in (("AR001", "initial_budget"), ("AR002", "budget"), ("AR003", "executed"), ("AR004", "balance")):
            tv = t.get(key)
            cells = [s.get(key) for s in sources]
            if filled(tv) and any(filled(c) for c in cells) and approx(measure(tv), total_of(cells)) is False:
                out.append((rid, f"funds.total.{key}"))
        # AR005/AR006: a local row is the sum of its provincial/city/county parts.
        for i, s in enumerate(sources):
            for rid, key in (("AR005", "budget"), ("AR006", "executed")):
                cells = [p.get(key) for p in s["parts"]]
                if filled(s.get(key)) and any(filled(c) for c in cells) and approx(measure(s[key]), total_of(cells)) is False:
                    out.append((rid, f"funds.sources[{i}].{key}"))
        total_budget = measure(t.get("budget"))
        zero_money = (ZERO, ZERO, ZERO, "money", ONE)
        for path, r in rows:
            rate, budget, executed, balance = r.get("rate"), r.get("budget"), r.get("executed"), r.get("balance")
            b = measure(budget)
            # AR007: rate = executed ÷ budget.
            rate_ok = None
            if rate is not None and rate.kind == QUANTITY and filled(executed) and b is not None and compatible(b, zero_money) and b[0] != 0:
                rate_ok = approx(measure(rate), ratio(measure(executed), b))
                if rate_ok is False:
                    out.append(("AR007", f"{path}.rate"))
                # AR008: a source's rate worked out on the total's budget.
                if rate_ok is False and path.count("[") == 1 and total_budget is not None and compatible(total_budget, zero_money) \
                        and total_budget[0] != 0 and approx(measure(rate), ratio(measure(executed), total_budget)) is True:
                    out.append(("AR008", f"{path}.rate"))
            # AR009: balance = budget − executed.
            if filled(balance) and filled(budget) and filled(executed):
                if approx(measure(balance), sub(b, measure(executed))) is False:
                    out.append(("AR009", f"{path}.balance"))
            # AR018/AR019: no negative scores or amounts.
            for key in ("weight", "score"):
                m = measure(r.get(key))
                if m is not None and m[0] < 0:
                    out.append(("AR018", f"{path}.{key}"))
            for key in MONEY_FIELDS:
                if key != "balance":
                    m = measure(r.get(key))
                    if m is not None and m[3] in (None, "money") and m[0] < 0:
                        out.append(("AR019", f"{path}.{key}"))
        # AR011 (project tables): budget execution score = weight × min(rate, 100%).
        if kind == "project" and filled(t.get("score")) and filled(t.get("weight")) and filled(t.get("executed")):
            b = total_budget
            if b is not None and compatible(b, zero_money) and b[0] != 0:
                score, weight = measure(t["score"]), measure(t["weight"])
                r = ratio(measure(t["executed"]), b)
                capped = FULL_RATE if r is None or r[0] > 1 else r
                product = mul(weight, capped)
                first = approx(score, product)
                second = approx(score, round_to(product, 0))
                rate = t.get("rate")
                if rate is not None and rate.kind == QUANTITY:
                    rm = measure(rate)
                    third = approx(score, mul(weight, FULL_RATE if rm[0] > 1 else rm)) if rm[3] in DIMENSIONLESS else None
                else:
                    third = False
                if first is False and second is False and third is False:
                    out.append(("AR011", "funds.total.score"))
        # AR017: the budget execution score is not above its weight.
        if filled(t.get("score")) and filled(t.get("weight")) and le(measure(t["score"]), measure(t["weight"])) is False:
            out.append(("AR017", "funds.total.score"))

    rows_in = data.get("indicators") or []
    inds = [_indicator(r) for r in rows_in]
    total = data.get("total")
    if total is not None:
        total = total or {}
        t_weight, t_score = parse_value(total.get("weight"), "分"), parse_value(total.get("score"), "分")
    else:
        t_weight = t_score = None
    ft = total_row or {}
    # AR012: total score = budget score + Σ indicator scores.
    if filled(t_score) and any(filled(i["score"]) for i in inds):
        base = ft.get("score")
        base_m = measure(base) if filled(base) else ZERO_SCORE
        if approx(measure(t_score), add(base_m, total_of([i["score"] for i in inds]))) is False:
            out.append(("AR012", "total.score"))
    # AR013: the weights add up to 100 (or 90 when budget execution is scored outside).
    if any(filled(i["weight"]) for i in inds):
        fw = ft.get("weight")
        weights = total_of([i["weight"] for i in inds])
        left = add(measure(fw) if filled(fw) else ZERO_SCORE, weights)
        first = approx(left, measure(t_weight) if filled(t_weight) else HUNDRED_SCORE)
        if first is False:
            if filled(fw) or filled(t_weight):
                second = False
            else:
                second = approx(weights, NINETY_SCORE)
            if second is False:
                out.append(("AR013", "total.weight"))
    # AR014/AR015: declared group weights and scores roll up.
    if rows_in:
        declared = data.get("indicator_groups") or []
        for g in _groups(rows_in, inds, declared):
            for rid, key in (("AR014", "weight"), ("AR015", "score")):
                cells = [m[key] for m in g["members"]]
                if filled(g[key]) and any(filled(c) for c in cells) and approx(measure(g[key]), total_of(cells)) is False:
                    out.append((rid, g["path"]))
    elif data.get("indicator_groups"):
        pass  # declared groups with no indicators have nothing to add up
    executed_total = measure(ft.get("executed")) if filled(ft.get("executed")) else None
    executed_positive = executed_total is not None and executed_total[3] in (None, "money") and executed_total[0] > 0
    for i, ind in enumerate(inds):
        p = f"indicators[{i}]"
        target, actual, score, weight, status = ind["target"], ind["actual"], ind["score"], ind["weight"], ind["status"]
        tk, ak = target.kind, actual.kind
        # AR016: score ≤ weight.
        if filled(score) and filled(weight) and le(measure(score), measure(weight)) is False:
            out.append(("AR016", f"{p}.score"))
        # AR018: no negative scores.
        for key, c in (("weight", weight), ("score", score)):
            m = measure(c)
            if m is not None and m[0] < 0:
                out.append(("AR018", f"{p}.{key}"))
        # AR026: a cost indicator's actual is not above the executed funds.
        if ind["cost_like"] and ak == QUANTITY and actual.unit is not None and actual.unit.dimension == "money" and executed_positive:
            if le(measure(actual), executed_total) is False:
                out.append(("AR026", f"{p}.actual"))
        # TA001: an unmet indicator gives a reason.
        if status in ("not_met", "partly") and says_nothing(ind["reason"]):
            out.append(("TA001", f"{p}.reason"))
        # TA003: a target needs an actual.
        if tk != BLANK and tk != NOT_SET and ak == BLANK:
            out.append(("TA003", f"{p}.actual"))
        # TA004: the actual is not a comparison.
        if ak == QUANTITY and actual.op and actual.op.strip():
            out.append(("TA004", f"{p}.actual"))
        # TA005: the target has its number.
        if tk == MALFORMED:
            out.append(("TA005", f"{p}.target"))
        # TA006: no explanatory text in the actual cell.
        if tk == QUANTITY and ak == TEXT and len(normalize(actual.raw)) > 6:
            out.append(("TA006", f"{p}.actual"))
        # TA008: an unmet quantity scores at most weight × completion.
        if status == "not_met" and tk == QUANTITY and filled(score) and filled(weight) and ind["completion"] is not None:
            c = ind["completion"]
            cap = round_to(mul(measure(weight), (c.value, c.lo, c.hi, "ratio", CENT)), 2)
            if le(measure(score), cap) is False:
                out.append(("TA008", f"{p}.score"))
        if tk == QUANTITY:
            # UN001: target and actual measure the same thing.
            if ak == QUANTITY and target.unit is not None and actual.unit is not None \
                    and target.unit.dimension and actual.unit.dimension and target.unit.dimension != actual.unit.dimension:
                out.append(("UN001", f"{p}.actual"))
        elif tk == QUALITATIVE and ak == QUANTITY:
            # UN002: a qualitative target has no numeric actual.
            out.append(("UN002", f"{p}.actual"))
        # UN006: the 度量单位 column agrees with the unit written in the target.
        written = ind["written"]
        if raw_filled(ind["mu"]) and written.kind == QUANTITY and written.unit_written and written.unit is not None:
            if written.unit.symbol.strip() != text_of(ind["mu"]):
                out.append(("UN006", f"{p}.target"))

    # AR018 on the remaining score cells.
    for j, g in enumerate(data.get("indicator_groups") or []):
        for key in ("weight", "score"):
            m = measure(parse_value(g.get(key), "分"))
            if m is not None and m[0] < 0:
                out.append(("AR018", f"indicator_groups[{j}].{key}"))
    for path, c in (("total.weight", t_weight), ("total.score", t_score)):
        m = measure(c)
        if m is not None and m[0] < 0:
            out.append(("AR018", path))
    report = data.get("report")
    stated = parse_value((report or {}).get("stated_score"), "分") if report is not None else None
    m = measure(stated)
    if m is not None and m[0] < 0:
        out.append(("AR018", "report.stated_score"))
    # AR024: the report's stated score is the table's total.
    if filled(stated) and filled(t_score) and approx(m, measure(t_score)) is False:
        out.append(("AR024", "report.stated_score"))
    # AR025: the grade matches the score band.
    if total is not None and filled(t_score) and t_score.kind == QUANTITY:
        grade = parse_value(total.get("grade"))
        if filled(grade):
            value = measure(t_score)[0]
            band = "优" if value >= 90 else "良" if value >= 80 else "中" if value >= 60 else "差"
            written_grade = normalize(grade.raw)
            if written_grade != band and {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}.get(written_grade) != band:
                out.append(("AR025", "total.grade"))
    card = data.get("scorecard")
    if card is not None:
        card = card or {}
        items = [(it, parse_value(it.get("weight"), "分"), parse_value(it.get("score"), "分")) for it in card.get("items") or []]
        stated_total = parse_value(card.get("stated_total"), "分")
        # AR021: the evaluation's item scores add up to its stated total.
        if filled(stated_total) and any(filled(s) for _, _, s in items):
            if approx(measure(stated_total), total_of([s for _, _, s in items])) is False:
                out.append(("AR021", "scorecard.stated_total"))
        # AR022: each part weighs the sum of its items.
        for j, grp in enumerate(card.get("groups") or []):
            gw = parse_value(grp.get("weight"), "分")
            want = text_of(grp.get("name"))
            members = [w for it, w, _ in items if it.get("level1") is not None and text_of(it.get("level1")) == want]
            if filled(gw) and members and approx(measure(gw), total_of(members)) is False:
                out.append(("AR022", f"scorecard.groups[{j}].weight"))
        for i, (_, w, s) in enumerate(items):
            # AR023: an item's score is not above its weight.
            if filled(s) and filled(w) and le(measure(s), measure(w)) is False:
                out.append(("AR023", f"scorecard.items[{i}].score"))
            for key, c in (("weight", w), ("score", s)):
                m = measure(c)
                if m is not None and m[0] < 0:
                    out.append(("AR018", f"scorecard.items[{i}].{key}"))
        m = measure(stated_total)
        if m is not None and m[0] < 0:
            out.append(("AR018", "scorecard.stated_total"))
    return out


def passes(data: dict) -> bool:
    """No finding of the benchmark rule set (all of its rules are errors)."""
    return not check(data)
