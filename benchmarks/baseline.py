"""The standard pack hand-written in plain Python: the floor selfeval is measured against.

`check(data)` takes a canonical submission (a mapping as read from YAML/JSON, numbers as
Decimal) and returns the findings of every rule here as (rule id, field path) pairs, the
same pairs `Validator(packs=["standard"])` reports; `check(data, BENCH_RULES)` those of
the error rules in arithmetic/target_actual/unit. `prepare()` reads the submission once
(as selfeval's model.build does), then each rule is one function in RULES, named by its
id: a rule added to the pack is one function added here, and the harness lists the
pack's rules that have none. Each restates one rule of rules/standard/*.yaml with the
same semantics:
printed-precision intervals (a value with d decimals stands for v ± ½·10⁻ᵈ, whole scores
and counts are exact), units converted to their base (元, fractions for %), and
"unknown" (a blank, text or a unit clash where a number is needed) never reporting.

What it borrows from selfeval, so that the comparison measures rule evaluation and not
notation parsing: `validator.domain.notation.parse_value` / `parse_text` / `unit_in_name` to
read a cell (`157`, `71.07%`, `≥15个`, `提升`) and `same_value` to say whether two written
targets state the same thing, `validator.domain.completion.judge` to decide whether an
indicator met its target and its completion rate, `validator.domain.vocabulary` to classify
an indicator's 一级/二级 labels, and `validator.kinds.self_eval.links` to pair a table with the
other documents of its submission (which issued indicator is which reported one). Everything
else — sums, ratios, tolerances, group roll-ups, the rules' conditions, the pack's policies,
the cell walk — is here, in straight-line code with no interpretation. It does not validate
the schema (selfeval does, on every check).

The rules that read the other documents of a submission (ACROSS_DOCUMENTS: the issued
target tables, the allocation and execution tables) report only when `check` is given
those documents (`others`); on a lone submission, as the benchmarks generate them, they
have nothing to read and report nothing, as in selfeval.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal
from types import SimpleNamespace

from validator.domain import vocabulary
from validator.domain.completion import judge
from validator.domain.notation import (
    BLANK,
    MALFORMED,
    NOT_SET,
    QUALITATIVE,
    QUANTITY,
    SHEET_ERROR,
    TEXT,
    Notation,
    normalize,
    parse_text,
    parse_value,
    same_value,
    unit_in_name,
)

# The standard pack's error rules in arithmetic/target_actual/unit (run.py checks this).
# FL002 and IS001 read other documents of the submission: on a lone one they never report.
BENCH_RULES = (
    "AR001", "AR002", "AR003", "AR004", "AR005", "AR006", "AR007", "AR008", "AR009", "AR011", "AR012",
    "AR013", "AR014", "AR015", "AR016", "AR017", "AR018", "AR019", "AR021", "AR022", "AR023", "AR024",
    "AR025", "AR026", "FL002", "IS001", "TA001", "TA003", "TA004", "TA005", "TA006", "TA008", "UN001",
    "UN002", "UN006",
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
    # policy lower_completion: inverse, judge's default, so j.rate is
    # completion(target, actual, cost_like, param.lower_completion)
    j = judge(target, actual, cost_like=cost_like)
    return {
        "target": target, "written": written, "actual": actual, "mu": mu, "hint": hint,
        "weight": parse_value(row.get("weight"), "分"), "score": parse_value(row.get("score"), "分"),
        "initial_target": parse_value(row.get("initial_target"), hint),
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



# --- reading the submission once -------------------------------------------------------------

_TYPES = {**{k: "money" for k in MONEY_FIELDS}, "rate": "percent", "weight": "score", "score": "score",
          "stated_score": "score", "stated_total": "score"}


def prepare(data: dict, others=None):
    """Every cell parsed once, and what several rules share. `others` are the other
    documents of the same submission (mappings, each with its `kind`: the issued target
    tables, allocation and execution tables), for the rules that read across documents."""
    s = SimpleNamespace(data=data, kind=data.get("kind"), total_row=None, sources=[], rows=[])
    funds = data.get("funds")
    s.funds = funds
    if funds is not None:
        unit = funds.get("unit") or "万元"
        if "total" in funds:
            s.total_row = _fund_row(funds["total"] or {}, unit)
            s.rows.append(("funds.total", s.total_row, funds["total"] or {}))
        for i, raw in enumerate(funds.get("sources") or []):
            src = _fund_row(raw, unit)
            src["parts"] = [_fund_row(p, unit) for p in raw.get("parts") or []] if "parts" in raw else []
            s.sources.append(src)
            s.rows.append((f"funds.sources[{i}]", src, raw))
            for j, part in enumerate(src["parts"]):
                s.rows.append((f"funds.sources[{i}].parts[{j}]", part, raw["parts"][j]))
    s.t = s.total_row or {}
    s.rows_in = data.get("indicators") or []
    s.inds = [_indicator(r) for r in s.rows_in]
    total = data.get("total")
    s.total = total if "total" in data else None
    if "total" in data:
        total = total or {}
        s.t_weight, s.t_score = parse_value(total.get("weight"), "分"), parse_value(total.get("score"), "分")
        s.t_grade = parse_value(total.get("grade"))
    else:
        s.t_weight = s.t_score = s.t_grade = None
    s.report = (data.get("report") or {}) if "report" in data else None
    s.stated = parse_value(s.report.get("stated_score"), "分") if s.report is not None else None
    card = data.get("scorecard")
    s.card = (card or {}) if "scorecard" in data else None
    if s.card is not None:
        s.items = [(it, parse_value(it.get("weight"), "分"), parse_value(it.get("score"), "分")) for it in s.card.get("items") or []]
        s.stated_total = parse_value(s.card.get("stated_total"), "分")
    s.not_met = sum(1 for i in s.inds if i["status"] == "not_met")
    _link(s, data, others)
    s.budget_m = measure(s.t.get("budget"))
    s.executed_m = measure(s.t.get("executed"))
    return s


def _link(s, data, others) -> None:
    """What the other documents of the submission say, as selfeval links them: the issued
    counterpart of each indicator (`s.issued`, aligned with `s.inds`), the issued
    indicators none matched, the funds issued (`s.targets_linked`, `s.issued_unreported`,
    `s.issued_total`), and each fund row's allocation and execution totals (`s.row_links`,
    aligned with `s.rows`). Which issued indicator is which reported one (same name, else the
    closest) and which total row speaks for which source is
    validator.kinds.self_eval.links's matching, borrowed like notation parsing; what the
    facts mean is the IS and FL rules below. A lone document has none of them."""
    s.targets_linked, s.issued_unreported, s.issued_total = False, [], []
    s.issued = [None] * len(s.inds)
    s.row_links = [None] * len(s.rows)
    if not others:
        return
    from validator.kinds import Other
    from validator.kinds.self_eval import links

    docs = [Other(o.get("kind"), o, f"others[{i}]") for i, o in enumerate(others)]
    funds = s.funds or {}
    tree = {
        "indicators": [{"name": raw.get("name"), "unit_hint": ind["hint"]} for raw, ind in zip(s.rows_in, s.inds)],
        "funds": {"unit": funds.get("unit") or "万元",
                  "rows": [{"source": raw.get("source"), "_path": path} for path, _, raw in s.rows]},
    }
    links.link_issued(tree, data, docs)
    links.link_funds(tree, docs)
    s.targets_linked = tree["targets_linked"]
    s.issued_unreported = tree["issued_unreported"]
    s.issued_total = tree.get("issued_total") or []
    s.issued = tree["indicators"]
    s.row_links = tree["funds"]["rows"]


def _cells(s):
    """(path, type, value) of every cell, as selfeval's cell list has them."""
    out = []
    d = s.data

    def add(path, field, value, kind=None):
        if value is not None:
            out.append((path, kind or _TYPES.get(field, "text"), value))

    for path, parsed, raw in s.rows:
        for key in (*MONEY_FIELDS, "rate", "weight", "score", "reason"):
            if key in raw:
                add(f"{path}.{key}", key, parsed[key] if key != "reason" else raw[key])
    if s.funds is not None:
        add("funds.reason", "reason", s.funds.get("reason"))
    for i, m in enumerate(d.get("management") or []):
        for key in ("description", "issues"):
            if key in m:
                add(f"management[{i}].{key}", key, m[key])
    goal = d.get("goal") or {}
    add("goal.target", "target", goal.get("target"), "text")
    add("goal.actual", "actual", goal.get("actual"), "text")
    for i, (raw, ind) in enumerate(zip(s.rows_in, s.inds)):
        p = f"indicators[{i}]"
        add(f"{p}.target", "target", ind["written"], "notation")
        add(f"{p}.actual", "actual", ind["actual"], "notation")
        add(f"{p}.initial_target", "initial_target", ind["initial_target"], "notation")
        add(f"{p}.weight", "weight", ind["weight"])
        add(f"{p}.score", "score", ind["score"])
        if "reason" in raw:
            add(f"{p}.reason", "reason", raw["reason"])
    for j, g in enumerate(d.get("indicator_groups") or []):
        add(f"indicator_groups[{j}].weight", "weight", parse_value(g.get("weight"), "分"))
        add(f"indicator_groups[{j}].score", "score", parse_value(g.get("score"), "分"))
    if "total" in d:
        add("total.weight", "weight", s.t_weight)
        add("total.score", "score", s.t_score)
        add("total.grade", "grade", s.t_grade)
    add("notes", "notes", d.get("notes"))
    if s.report is not None:
        r = s.report
        if "deviation_reasons" in r:
            add("report.deviation_reasons", "deviation_reasons", r["deviation_reasons"])
        add("report.stated_score", "stated_score", s.stated)
        add("report.stated_grade", "stated_grade", parse_value(r.get("stated_grade")))
        for key, text in (r.get("sections") or {}).items():
            add(f"report.sections.{key}", "section", text)
    if s.card is not None:
        for i, (_, w, sc) in enumerate(s.items):
            add(f"scorecard.items[{i}].weight", "weight", w)
            add(f"scorecard.items[{i}].score", "score", sc)
        add("scorecard.stated_total", "stated_total", s.stated_total)
    return out


def cells(s):
    if not hasattr(s, "cells"):
        s.cells = _cells(s)
    return s.cells


def kind_of(v) -> str:
    if v is None:
        return BLANK
    if isinstance(v, Notation):
        return v.kind
    if isinstance(v, str):
        return parse_text(v).kind
    return "other"


def cell_text(v):
    if isinstance(v, Notation):
        return normalize(v.raw) if v.kind != BLANK else None
    return text_of(v)


def search(pattern, v) -> bool:
    text = cell_text(v)
    return text is not None and pattern.search(text, 0, 10_000) is not None


def nothing_said(v) -> bool:
    return says_nothing(cell_text(v) if isinstance(v, Notation) else v)


def lt(a, b):
    if a is None or b is None or not compatible(a, b):
        return None
    return a[0] < b[0]


def exact(value, dim=None, scale=ONE):
    """A value already in the base unit (元, a fraction for %)."""
    v = Decimal(value)
    return (v, v, v, dim, scale)


WAN = Decimal(10000)
GRADES = re.compile("^(优|良|中|差|优秀|良好|合格|不合格|及格|不及格)$")
TEMPLATE = re.compile("请在此|请填写|请简要|请根据|请按照|请说明|在此处|此处填写|如没有请填|填写说明|XXX|xxx|×××|（示例）|\\(示例\\)")
SHORTFALL = re.compile("未(完成|达|实现|到位|验收|接入|建成)|缓慢|滞后|延期|延迟|推迟|偏低|不足|尚未|正在")
DONE = re.compile("^(已|全部|圆满)?(完成|达成|实现)(年度)?(绩效)?(目标)?[。.]?$")
CEILING = exact(100_000_000_000, "money", WAN)  # 1,000 亿元, in 元 like every measure here
ZERO_MONEY = (ZERO, ZERO, ZERO, "money", ONE)
# TA006/TA012 (params max_len, reason_like); EX001/EX007 (param explains)
REASON_LIKE = re.compile("原因|由于|因为|缓慢|滞后|延期|延迟|推迟|尚未|暂未|未|正在")
EXPLAINS = re.compile("原因|由于|因为|导致|滞后|缓慢|延迟|推迟|未及时|尚未|暂未|未到位|未完成|未拨付|未支付|未发放|未开工|未验收")
MAX_LEN = 6
NEAR_FULL = Decimal("0.95")  # TA008/TA011 param near_full: 95%

# The standard pack's policies as rules/standard/pack.yaml ships them (rules read them as
# param.NAME); tests/test_benchmark_harness.py holds this to the pack's file. The baseline
# restates the rules under these values only: lower_completion is judge()'s default
# (inverse), ≈ is approx() (printed precision), repeats are compared under the same 二级.
POLICIES = {
    "low_execution": "80%",
    "budget_weight": "10 分",
    "grade_excellent": 90,
    "grade_good": 80,
    "grade_pass": 60,
    "lower_completion": "inverse",
    "duplicate_scope": "level2",
    "cost_classes": ["cost", "economic_cost", "social_cost", "ecological_cost"],
    "cost_level1": ["output", "cost"],
    "tolerance": "printed",
}
LOW = measure(parse_value(POLICIES["low_execution"]))
BUDGET_WEIGHT = measure(parse_value(POLICIES["budget_weight"]))
WEIGHTS_WITHOUT_BUDGET = sub(HUNDRED_SCORE, BUDGET_WEIGHT)  # 100 分 - param.budget_weight
GRADE_BANDS = (POLICIES["grade_excellent"], POLICIES["grade_good"], POLICIES["grade_pass"])
COST_CLASSES = frozenset(POLICIES["cost_classes"])
COST_LEVEL1 = frozenset(POLICIES["cost_level1"])


def _positive_budget(s) -> bool:
    """exists(budget) and exists(executed) and budget > 0 万元"""
    t = s.t
    if not (filled(t.get("budget")) and filled(t.get("executed"))):
        return False
    b = s.budget_m
    return b is not None and compatible(b, ZERO_MONEY) and b[0] > 0


# --- the rules, one function each ------------------------------------------------------------

RULES = {}


def rule(fn):
    RULES[fn.__name__] = fn
    return fn


def _total_is_sum(s, key):
    tv = s.t.get(key)
    cells_ = [src.get(key) for src in s.sources]
    if filled(tv) and any(filled(c) for c in cells_) and approx(measure(tv), total_of(cells_)) is False:
        return [f"funds.total.{key}"]
    return []


@rule
def AR001(s):
    return _total_is_sum(s, "initial_budget")


@rule
def AR002(s):
    return _total_is_sum(s, "budget")


@rule
def AR003(s):
    return _total_is_sum(s, "executed")


@rule
def AR004(s):
    return _total_is_sum(s, "balance")


def _local_is_sum(s, key):
    out = []
    for i, src in enumerate(s.sources):
        cells_ = [p.get(key) for p in src["parts"]]
        if filled(src.get(key)) and any(filled(c) for c in cells_) and approx(measure(src[key]), total_of(cells_)) is False:
            out.append(f"funds.sources[{i}].{key}")
    return out


@rule
def AR005(s):
    return _local_is_sum(s, "budget")


@rule
def AR006(s):
    return _local_is_sum(s, "executed")


def _rate_ok(r):
    rate, budget, executed = r.get("rate"), r.get("budget"), r.get("executed")
    b = measure(budget)
    if rate is not None and rate.kind == QUANTITY and filled(executed) and b is not None and compatible(b, ZERO_MONEY) and b[0] != 0:
        return approx(measure(rate), ratio(measure(executed), b))
    return None


@rule
def AR007(s):
    return [f"{path}.rate" for path, r, _ in s.rows if _rate_ok(r) is False]


@rule
def AR008(s):
    out = []
    tb = s.budget_m
    for path, r, _ in s.rows:
        if path.count("[") == 1 and _rate_ok(r) is False and tb is not None and compatible(tb, ZERO_MONEY) and tb[0] != 0 \
                and approx(measure(r["rate"]), ratio(measure(r.get("executed")), tb)) is True:
            out.append(f"{path}.rate")
    return out


@rule
def AR009(s):
    out = []
    for path, r, _ in s.rows:
        balance, budget, executed = r.get("balance"), r.get("budget"), r.get("executed")
        if filled(balance) and filled(budget) and filled(executed):
            if approx(measure(balance), sub(measure(budget), measure(executed))) is False:
                out.append(f"{path}.balance")
    return out


@rule
def AR010(s):
    out = []
    for path, r, _ in s.rows:
        if filled(r.get("budget")) and filled(r.get("executed")) and le(measure(r["executed"]), measure(r["budget"])) is False:
            out.append(f"{path}.executed")
    return out


def _budget_weight(t):
    """coalesce(funds.total.weight, param.budget_weight): a funds block that prints only
    得分 scores budget execution out of budget_weight."""
    return measure(t["weight"]) if filled(t.get("weight")) else BUDGET_WEIGHT


@rule
def AR011(s):
    t = s.t
    score_cell = t.get("score")
    if s.kind == "project" and filled(score_cell) and score_cell.kind == QUANTITY and filled(t.get("executed")):
        b = s.budget_m
        if b is not None and compatible(b, ZERO_MONEY) and b[0] != 0:
            score, weight = measure(score_cell), _budget_weight(t)
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
                return ["funds.total.score"]
    return []


@rule
def AR012(s):
    if filled(s.t_score) and any(filled(i["score"]) for i in s.inds):
        base = s.t.get("score")
        base_m = measure(base) if filled(base) else ZERO_SCORE
        if approx(measure(s.t_score), add(base_m, total_of([i["score"] for i in s.inds]))) is False:
            return ["total.score"]
    return []


@rule
def AR013(s):
    if any(filled(i["weight"]) for i in s.inds):
        fw = s.t.get("weight")
        weights = total_of([i["weight"] for i in s.inds])
        # the 预算执行 weight: as printed; budget_weight where only its 得分 is printed; else 0
        budget_part = measure(fw) if filled(fw) else BUDGET_WEIGHT if filled(s.t.get("score")) else ZERO_SCORE
        left = add(budget_part, weights)
        if approx(left, measure(s.t_weight) if filled(s.t_weight) else HUNDRED_SCORE) is False:
            second = False if (filled(fw) or filled(s.t_weight)) else approx(weights, WEIGHTS_WITHOUT_BUDGET)
            if second is False:
                return ["total.weight"]
    return []


def _group_sums(s, key):
    if not s.rows_in:
        return []
    if not hasattr(s, "groups"):
        s.groups = _groups(s.rows_in, s.inds, s.data.get("indicator_groups") or [])
    out = []
    for g in s.groups:
        cells_ = [m[key] for m in g["members"]]
        if filled(g[key]) and any(filled(c) for c in cells_) and approx(measure(g[key]), total_of(cells_)) is False:
            out.append(g["path"])
    return out


@rule
def AR014(s):
    return _group_sums(s, "weight")


@rule
def AR015(s):
    return _group_sums(s, "score")


@rule
def AR016(s):
    return [f"indicators[{i}].score" for i, ind in enumerate(s.inds)
            if filled(ind["score"]) and filled(ind["weight"]) and le(measure(ind["score"]), measure(ind["weight"])) is False]


@rule
def AR017(s):
    t = s.t
    if filled(t.get("score")) and le(measure(t["score"]), _budget_weight(t)) is False:
        return ["funds.total.score"]
    return []


@rule
def AR018(s):
    out = []
    for path, kind, v in cells(s):
        if kind == "score" and isinstance(v, Notation) and v.kind == QUANTITY:
            m = measure(v)
            if m is not None and m[0] < 0:
                out.append(path)
    return out


@rule
def AR019(s):
    out = []
    for path, kind, v in cells(s):
        if kind == "money" and not path.endswith(".balance") and isinstance(v, Notation) and v.kind == QUANTITY:
            m = measure(v)
            if m is not None and m[3] in (None, "money") and m[0] < 0:
                out.append(path)
    return out


@rule
def AR020(s):
    out = []
    for path, kind, v in cells(s):
        if kind == "money" and isinstance(v, Notation) and v.kind == QUANTITY and lt(measure(v), CEILING) is False:
            out.append(path)
    return out


@rule
def AR021(s):
    if s.card is not None and filled(s.stated_total) and any(filled(sc) for _, _, sc in s.items):
        if approx(measure(s.stated_total), total_of([sc for _, _, sc in s.items])) is False:
            return ["scorecard.stated_total"]
    return []


@rule
def AR022(s):
    if s.card is None:
        return []
    out = []
    for j, grp in enumerate(s.card.get("groups") or []):
        gw = parse_value(grp.get("weight"), "分")
        want = text_of(grp.get("name"))
        members = [w for it, w, _ in s.items if it.get("level1") is not None and text_of(it.get("level1")) == want]
        if filled(gw) and members and approx(measure(gw), total_of(members)) is False:
            out.append(f"scorecard.groups[{j}].weight")
    return out


@rule
def AR023(s):
    if s.card is None:
        return []
    return [f"scorecard.items[{i}].score" for i, (_, w, sc) in enumerate(s.items)
            if filled(sc) and filled(w) and le(measure(sc), measure(w)) is False]


@rule
def AR024(s):
    # The stated score agrees with the total, or is the total in whole points (96 for 96.38).
    if filled(s.stated) and filled(s.t_score):
        m, t = measure(s.stated), measure(s.t_score)
        whole = round_to(t, 0)
        same_whole = None if m is None or whole is None or not compatible(m, whole) else m[0] == whole[0]
        if approx(m, t) is False and same_whole is False:
            return ["report.stated_score"]
    return []


@rule
def AR025(s):
    if s.total is not None and filled(s.t_score) and s.t_score.kind == QUANTITY and filled(s.t_grade):
        value = measure(s.t_score)[0]
        excellent, good, passing = GRADE_BANDS
        band = "优" if value >= excellent else "良" if value >= good else "中" if value >= passing else "差"
        written_grade = normalize(s.t_grade.raw)
        if written_grade != band and {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}.get(written_grade) != band:
            return ["total.grade"]
    return []


@rule
def AR026(s):
    e = s.executed_m if filled(s.t.get("executed")) else None
    if e is None or e[3] not in (None, "money") or e[0] <= 0:
        return []
    out = []
    for i, ind in enumerate(s.inds):
        actual = ind["actual"]
        if ind["cost_like"] and actual.kind == QUANTITY and actual.unit is not None and actual.unit.dimension == "money":
            if le(measure(actual), e) is False:
                out.append(f"indicators[{i}].actual")
    return out


@rule
def AR027(s):
    b = s.budget_m if filled(s.t.get("budget")) else None
    if b is None or b[3] not in (None, "money") or b[0] <= 0:
        return []
    out = []
    for i, ind in enumerate(s.inds):
        target = ind["target"]
        if ind["cost_like"] and target.kind == QUANTITY and target.unit is not None and target.unit.dimension == "money":
            if le(measure(target), b) is False:
                out.append(f"indicators[{i}].target")
    return out


@rule
def TA001(s):
    return [f"indicators[{i}].reason" for i, ind in enumerate(s.inds)
            if ind["status"] in ("not_met", "partly") and says_nothing(ind["reason"])]


@rule
def TA002(s):
    return [f"indicators[{i}].reason" for i, ind in enumerate(s.inds)
            if ind["status"] == "met" and not says_nothing(ind["reason"]) and search(SHORTFALL, ind["reason"])]


@rule
def TA003(s):
    return [f"indicators[{i}].actual" for i, ind in enumerate(s.inds)
            if ind["target"].kind not in (BLANK, NOT_SET) and ind["actual"].kind == BLANK]


@rule
def TA004(s):
    # `=63套` states the figure reached; only ≥ ≤ > < ≠ hide it
    return [f"indicators[{i}].actual" for i, ind in enumerate(s.inds)
            if ind["actual"].kind == QUANTITY and ind["actual"].op and ind["actual"].op.strip() not in ("", "=")]


@rule
def TA005(s):
    return [f"indicators[{i}].target" for i, ind in enumerate(s.inds) if ind["target"].kind == MALFORMED]


def _text_actuals(s):
    """Indicators with a number for a target and a text of more than max_len characters
    for an actual: a reason (TA006) or a description (TA012)."""
    return [(i, ind["actual"]) for i, ind in enumerate(s.inds)
            if ind["target"].kind == QUANTITY and ind["actual"].kind == TEXT and len(normalize(ind["actual"].raw)) > MAX_LEN]


@rule
def TA006(s):
    return [f"indicators[{i}].actual" for i, actual in _text_actuals(s) if search(REASON_LIKE, actual)]


@rule
def TA012(s):
    return [f"indicators[{i}].actual" for i, actual in _text_actuals(s) if not search(REASON_LIKE, actual)]


@rule
def TA007(s):
    return [f"indicators[{i}].target" for i, ind in enumerate(s.inds) if ind["target"].kind == BLANK]


def _unmet_scores(s):
    """(index, score, weight, completion, the score weight × completion allows) of each
    unmet quantitative indicator with a score, a weight and a completion rate."""
    out = []
    for i, ind in enumerate(s.inds):
        score, weight, c = ind["score"], ind["weight"], ind["completion"]
        if ind["status"] == "not_met" and ind["target"].kind == QUANTITY and filled(score) and filled(weight) and c is not None:
            rate = (c.value, c.lo, c.hi, "ratio", CENT)
            sm, wm = measure(score), measure(weight)
            out.append((i, sm, wm, rate, round_to(mul(wm, rate), 2)))
    return out


def _below_near_full(score, weight):
    """item.score < item.weight × near_full; None when unknown."""
    return lt(score, mul(weight, (NEAR_FULL, NEAR_FULL, NEAR_FULL, "ratio", CENT)))


@rule
def TA008(s):
    out = []
    for i, score, weight, rate, cap in _unmet_scores(s):
        if rate[0] < NEAR_FULL and _below_near_full(score, weight) is False and le(score, cap) is False:
            out.append(f"indicators[{i}].score")
    return out


@rule
def TA011(s):
    return [f"indicators[{i}].score" for i, score, weight, _, cap in _unmet_scores(s)
            if _below_near_full(score, weight) is True and le(score, cap) is False]


@rule
def TA009(s):
    return [f"indicators[{i}].score" for i, ind in enumerate(s.inds)
            if ind["status"] == "met" and ind["target"].kind == QUANTITY and filled(ind["score"]) and filled(ind["weight"])
            and approx(measure(ind["score"]), measure(ind["weight"])) is False]


MET, PARTLY = Decimal("0.8"), Decimal("0.6")


@rule
def TA010(s):
    out = []
    for i, ind in enumerate(s.inds):
        if ind["target"].kind != QUALITATIVE or ind["status"] is None or not (filled(ind["score"]) and filled(ind["weight"])):
            continue
        score, weight = measure(ind["score"]), measure(ind["weight"])
        if score is None or weight is None or not compatible(score, weight):
            continue
        sv, wv, status = score[0], weight[0], ind["status"]
        ok = (status == "met" and sv >= wv * MET) or (status == "partly" and wv * PARTLY <= sv < wv * MET) \
            or (status == "not_met" and sv < wv * PARTLY)
        if not ok:
            out.append(f"indicators[{i}].score")
    return out


@rule
def UN001(s):
    out = []
    for i, ind in enumerate(s.inds):
        target, actual = ind["target"], ind["actual"]
        if target.kind == QUANTITY and actual.kind == QUANTITY and target.unit is not None and actual.unit is not None \
                and target.unit.dimension and actual.unit.dimension and target.unit.dimension != actual.unit.dimension:
            out.append(f"indicators[{i}].actual")
    return out


@rule
def UN002(s):
    return [f"indicators[{i}].actual" for i, ind in enumerate(s.inds)
            if ind["target"].kind == QUALITATIVE and ind["actual"].kind == QUANTITY]


HUNDRED = Decimal(100)


@rule
def UN003(s):
    out = []
    for i, ind in enumerate(s.inds):
        target, actual = ind["target"], ind["actual"]
        if target.kind == QUANTITY and (target.unit is None or target.unit.dimension != "ratio") and actual.kind == QUANTITY \
                and not actual.unit_written and actual.number == HUNDRED and target.number is not None and target.number < HUNDRED:
            out.append(f"indicators[{i}].actual")
    return out


@rule
def UN004(s):
    return [f"indicators[{i}].actual" for i, ind in enumerate(s.inds)
            if ind["target"].kind == QUANTITY and ind["actual"].kind == QUALITATIVE]


THOUSAND = Decimal(1000)


@rule
def UN005(s):
    out = []
    for i, ind in enumerate(s.inds):
        target, actual = ind["target"], ind["actual"]
        if target.kind == QUANTITY and actual.kind == QUANTITY and target.unit is not None and actual.unit is not None \
                and target.unit.dimension == "money" and actual.unit.dimension == "money":
            a, t = measure(actual)[0], measure(target)[0]
            if not (a < t * THOUSAND) or not (a * THOUSAND > t):
                out.append(f"indicators[{i}].actual")
    return out


@rule
def UN006(s):
    out = []
    for i, ind in enumerate(s.inds):
        written = ind["written"]
        if raw_filled(ind["mu"]) and written.kind == QUANTITY and written.unit_written and written.unit is not None:
            if written.unit.symbol.strip() != text_of(ind["mu"]):
                out.append(f"indicators[{i}].target")
    return out


def _low_rate(s):
    if not _positive_budget(s):
        return None
    r = ratio(s.executed_m, s.budget_m)
    if r is None or not compatible(r, LOW):
        return None
    return r[0]


def _low_and_silent_in_funds(s) -> bool:
    """Execution below low_execution, and the deviation column, the total row's reason
    and every 资金管理 issue say nothing (无, blank)."""
    r = _low_rate(s)
    if r is None or not r < LOW[0]:
        return False
    d = s.data
    issues = [m.get("issues") if isinstance(m, dict) else None for m in d.get("management") or []]
    return says_nothing(d["funds"].get("reason")) and says_nothing((d["funds"].get("total") or {}).get("reason")) \
        and all(says_nothing(x) for x in issues)


def _silent_elsewhere(s) -> bool:
    """Neither the report (its deviation reasons, any section explaining) nor any
    indicator's reason says anything."""
    reasons = s.report.get("deviation_reasons") if s.report is not None else None
    if not says_nothing(reasons) or not all(says_nothing(i["reason"]) for i in s.inds):
        return False
    sections = (s.report.get("sections") or {}) if s.report is not None else {}
    text = "\n".join(str(t) for t in sections.values() if t).strip()
    return EXPLAINS.search(text, 0, 10_000) is None


@rule
def EX001(s):
    if _low_and_silent_in_funds(s) and _silent_elsewhere(s):
        return ["funds.total.executed"]
    return []


@rule
def EX007(s):
    if _low_and_silent_in_funds(s) and not _silent_elsewhere(s):
        return ["funds.total.executed"]
    return []


@rule
def EX002(s):
    # only a report with a deviation-reasons section (blank or 无) claims there was none
    if s.report is not None and "deviation_reasons" in s.report and s.not_met > 0 \
            and says_nothing(s.report.get("deviation_reasons")):
        return ["report.deviation_reasons"]
    return []


@rule
def EX003(s):
    if s.kind != "project":
        return []
    r = _low_rate(s)
    if r is None or not (r < ONE and r >= LOW[0]):
        return []
    d = s.data
    if says_nothing(d["funds"].get("reason")) and says_nothing((d["funds"].get("total") or {}).get("reason")):
        return ["funds.reason"]
    return []


@rule
def EX004(s):
    # a table without a 说明 row at all has nothing to fill in
    return ["notes"] if s.kind == "transfer" and "notes" in s.data and not raw_filled(_stripped(s.data.get("notes"))) else []


def _stripped(v):
    return v.strip() if isinstance(v, str) else v


@rule
def EX005(s):
    goal = s.data.get("goal") or {}
    if s.kind == "transfer" and raw_filled(_stripped(goal.get("target"))) and not raw_filled(_stripped(goal.get("actual"))):
        return ["goal.actual"]
    return []


@rule
def EX006(s):
    actual = (s.data.get("goal") or {}).get("actual")
    if raw_filled(_stripped(actual)) and s.not_met > 0 and search(DONE, actual):
        return ["goal.actual"]
    return []


@rule
def FM001(s):
    return [path for path, _, v in cells(s) if kind_of(v) == SHEET_ERROR]


@rule
def FM002(s):
    return [path for path, _, v in cells(s) if search(TEMPLATE, v)]


@rule
def FM003(s):
    if any(filled(src.get("budget")) for src in s.sources) and not filled(s.t.get("budget")):
        return ["funds.total.budget"]
    return []


@rule
def FM004(s):
    return [path for path, kind, v in cells(s) if kind == "score" and search(GRADES, v)]


@rule
def FM005(s):
    return [path for path, kind, v in cells(s) if kind in ("money", "percent", "score") and not search(GRADES, v)
            and kind_of(v) not in (QUANTITY, BLANK, NOT_SET, SHEET_ERROR)]


@rule
def FM006(s):
    # policy duplicate_scope: level2, a repeat is the same name under the same 二级
    seen, out = set(), []
    for i, raw in enumerate(s.rows_in):
        key = f"{vocabulary.clean_label(raw.get('level2'))}/{vocabulary.clean_label(raw.get('name'))}"
        if key in seen:
            out.append(f"indicators[{i}]")
        seen.add(key)
    return out


@rule
def FM007(s):
    # A 二级 class sits under the 一级 class it belongs to; the cost classes may also sit
    # where policy cost_level1 allows.
    out = []
    for i, raw in enumerate(s.rows_in):
        class1 = vocabulary.level1_class(raw.get("level1"))
        class2, parent = vocabulary.level2_class(raw.get("level2"))
        if class1 and class2 and class1 != parent and not (class2 in COST_CLASSES and class1 in COST_LEVEL1):
            out.append(f"indicators[{i}]")
    return out


@rule
def FM008(s):
    return [f"indicators[{i}]" for i, raw in enumerate(s.rows_in)
            if not (raw_filled(_stripped(raw.get("level1"))) and raw_filled(_stripped(raw.get("level2"))))]


@rule
def FM009(s):
    funds = s.funds
    has_total = funds is not None and bool(funds.get("total"))
    if not has_total and not any(filled(src.get("budget")) for src in s.sources):
        return ["funds"]
    return []


@rule
def FM010(s):
    return [] if s.inds else ["indicators"]


@rule
def FM011(s):
    management = s.data.get("management")
    if s.kind == "transfer" and isinstance(management, list) and 0 < len(management) < 7:
        return ["management"]
    return []


@rule
def FM012(s):
    if s.kind != "project" or not any(filled(i["weight"]) for i in s.inds):
        return []
    return [f"indicators[{i}].weight" for i, ind in enumerate(s.inds) if not filled(ind["weight"])]


# --- rules that read the other documents of the submission (rules/standard/issued.yaml,
# funds_across.yaml): on a lone document they have nothing to read and never report.


@rule
def IS001(s):
    out = []
    for i, (ind, link) in enumerate(zip(s.inds, s.issued)):
        if link is None or not link["issued_match"] or link["issued_varies"]:
            continue
        if filled(link["issued_target"]) and filled(ind["target"]) and same_value(ind["target"], link["issued_target"]) is False:
            out.append(f"indicators[{i}].target")
    return out


@rule
def IS002(s):
    out = []
    for i, (raw, link) in enumerate(zip(s.rows_in, s.issued)):
        if link is None or link["issued_match"] != "same":
            continue
        class2, issued2 = vocabulary.level2_class(raw.get("level2"))[0], link["issued_class2"]
        if not class2 or not issued2:
            continue
        class1, issued1 = vocabulary.level1_class(raw.get("level1")), link["issued_class1"]
        if class2 != issued2 or (class1 and issued1 and class1 != issued1):
            out.append(f"indicators[{i}].level2")
    return out


@rule
def IS003(s):
    return [f"indicators[{i}].name" for i, link in enumerate(s.issued) if link is not None and link["issued_match"] == "renamed"]


@rule
def IS004(s):
    return ["indicators" for _ in s.issued_unreported]


@rule
def IS005(s):
    if not s.targets_linked:
        return []
    return [f"indicators[{i}].name" for i, link in enumerate(s.issued) if link["issued_match"] == ""]


@rule
def IS006(s):
    budget = s.t.get("budget")
    if s.targets_linked and any(filled(v) for v in s.issued_total) and filled(budget):
        if approx(measure(budget), total_of(s.issued_total)) is False:
            return ["funds.total.budget"]
    return []


def _disagrees_with_linked(s, field, linked):
    """Fund rows whose `field` is not ≈ what the linked table's total says of it."""
    out = []
    for (path, row, _), link in zip(s.rows, s.row_links):
        other = link.get(linked) if link is not None else None
        if filled(other) and filled(row.get(field)) and approx(measure(row[field]), measure(other)) is False:
            out.append(f"{path}.{field}")
    return out


@rule
def FL001(s):
    return _disagrees_with_linked(s, "budget", "allocated")


@rule
def FL002(s):
    return _disagrees_with_linked(s, "executed", "execution_executed")


@rule
def FL003(s):
    return _disagrees_with_linked(s, "budget", "execution_budget")


@rule
def FM013(s):
    return [f"indicators[{i}].initial_target" for i, ind in enumerate(s.inds)
            if filled(ind["initial_target"]) and ind["target"].kind == QUANTITY and ind["initial_target"].kind == MALFORMED]


STANDARD_RULES = tuple(RULES)
# The rules above that read the other documents of a submission: compared with selfeval
# only where those documents are given (the fixture cases with `others:`).
ACROSS_DOCUMENTS = ("FL001", "FL002", "FL003", "IS001", "IS002", "IS003", "IS004", "IS005", "IS006")


def check(data: dict, rules=None, others=None) -> list[tuple[str, str]]:
    """Findings of `rules` (ids; default every rule here) as [(rule, path), …]. `others`:
    the other documents of the same submission, if any (see prepare)."""
    s = prepare(data, others)
    out = []
    for rid in rules or STANDARD_RULES:
        out.extend((rid, path) for path in RULES[rid](s))
    return out


def check_bench(data: dict) -> list[tuple[str, str]]:
    """The benchmark rule set (error rules of arithmetic/target_actual/unit) alone."""
    return check(data, BENCH_RULES)


def passes(data: dict) -> bool:
    """No finding of the benchmark rule set (all of its rules are errors)."""
    return not check_bench(data)
