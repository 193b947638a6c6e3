"""The benchmark rule set in a peer rules engine: `rule-engine` (PyPI, pip install
'.[bench]'), a general-purpose expression language for matching Python objects.

Cells are read the same way as in baseline.py (validator.domain.notation.parse_value and
validator.domain.completion.judge), and each cell becomes a plain fact mapping: blank `b`,
quantity `q`, kind `k`, value `v` and its printed-precision interval `lo`..`hi` in the base
unit, dimension `d`, operator `op`, unit `u` (written: `uw`), normalized text `t`. Everything
a rule decides — conditions, sums, ratios and their interval corners, rounding,
tolerances, grade bands, the text checks — is a rule-engine expression, compiled once and
evaluated on the submission (root rules) or on each row/indicator/cell (`Rule.filter`).
A rule's expression is true where the rule reports a finding. The pack's policies the rules
read (budget_weight, the grade bands) and the rules' own parameters (TA006's max_len and
reason-like words, TA008's near_full) are baseline.py's, written into the rule text as literals.

The benchmark rules that read the other documents of a submission have no version here
(WITHOUT_PEER): the facts are those of one document.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, localcontext

import rule_engine
from baseline import (
    BENCH_RULES,
    BUDGET_WEIGHT,
    GRADE_BANDS,
    MAX_LEN,
    NEAR_FULL,
    REASON_LIKE,
    WEIGHTS_WITHOUT_BUDGET,
    _fund_row,
    _groups,
    _indicator,
    measure,
    raw_filled,
    text_of,
)

from validator.domain.notation import BLANK, normalize, parse_value

BLANK_FACT = {"b": True, "q": False, "k": "blank", "v": None, "lo": None, "hi": None, "d": None,
              "op": None, "u": None, "uw": False, "t": None}


def fact(n) -> dict:
    if n is None or n.kind == BLANK:
        return BLANK_FACT
    m = measure(n)
    unit = n.unit
    if m is None:
        return {"b": False, "q": False, "k": n.kind, "v": None, "lo": None, "hi": None, "d": None, "op": n.op,
                "u": unit.symbol if unit is not None else None, "uw": n.unit_written, "t": normalize(n.raw)}
    return {"b": False, "q": True, "k": n.kind, "v": m[0], "lo": m[1], "hi": m[2], "d": m[3], "op": n.op,
            "u": unit.symbol if unit is not None else None, "uw": n.unit_written, "t": normalize(n.raw)}


def _reason_text(v):
    text = text_of(v)
    if text is None:
        return None
    return unicodedata.normalize("NFKC", text).strip().rstrip("。.")


# --- expression building blocks (macros expanded into rule text) ---------------------------

def overlap(alo, ahi, blo, bhi) -> str:
    return f"({alo} <= {bhi} and {blo} <= {ahi})"


def compat(a, b) -> str:
    return f"({a}.d == {b}.d or {a}.d == null or {b}.d == null)"


def summable(xs) -> str:
    """Some cell filled, and every filled cell a number: otherwise sum() is unknown."""
    return f"([c for c in {xs} if not c.b].length > 0 and $all([c.q or c.b for c in {xs}]))"


def s_lo(xs) -> str:
    return f"$sum([c.lo for c in {xs} if c.q])"


def s_hi(xs) -> str:
    return f"$sum([c.hi for c in {xs} if c.q])"


def ratio_bounds(e, b) -> tuple[str, str, str]:
    """(guard, lo, hi) of e ÷ b with b's interval away from zero."""
    corners = f"[{e}.lo / {b}.lo, {e}.lo / {b}.hi, {e}.hi / {b}.lo, {e}.hi / {b}.hi]"
    guard = f"({e}.q and ({e}.d == {b}.d) and not ({b}.lo <= 0 and 0 <= {b}.hi))"
    return guard, f"$min({corners})", f"$max({corners})"


def nonzero_money(b) -> str:
    return f"({b}.q and ({b}.d == 'money' or {b}.d == null) and {b}.v != 0)"


def product_bounds(w, lo, hi) -> tuple[str, str]:
    corners = f"[{w}.lo * ({lo}), {w}.lo * ({hi}), {w}.hi * ({lo}), {w}.hi * ({hi})]"
    return f"$min({corners})", f"$max({corners})"


# Policy budget_weight: the 预算执行 weight where the funds block prints only 得分.
BW = f"{BUDGET_WEIGHT[0]}"


def budget_weight(part: str) -> str:
    """coalesce(funds.total.weight, param.budget_weight), one of value/lo/hi; the weight is
    exact when it is the policy's."""
    return f"(ft.weight.b ? {BW} : ft.weight.{part})"


NOTHING = "['', '无', '没有', '暂无', '无。', '无问题', '/', '-', '—', '不存在', '未发现问题', '无偏差', '已完成']"


def _rate_mismatch(b: str) -> str:
    guard, lo, hi = ratio_bounds("executed", b)
    return (f"(rate.q and not executed.b and {nonzero_money(b)} and {guard} "
            f"and (rate.d == 'ratio' or rate.d == null) and not {overlap('rate.lo', 'rate.hi', lo, hi)})")


def _weighted_bounds(lo, hi) -> tuple[str, str]:
    """The corners of the budget weight (as printed, or budget_weight) × [lo, hi]."""
    wlo, whi = budget_weight("lo"), budget_weight("hi")
    corners = f"[{wlo} * ({lo}), {wlo} * ({hi}), {whi} * ({lo}), {whi} * ({hi})]"
    return f"$min({corners})", f"$max({corners})"


def _ar011() -> str:
    ft = "ft"
    guard, rlo, rhi = ratio_bounds(f"{ft}.executed", f"{ft}.budget")
    rv = f"({ft}.executed.v / {ft}.budget.v)"
    use_r = f"({guard} and {rv} <= 1)"
    cap_lo, cap_hi, cap_v = f"({use_r} ? {rlo} : 1)", f"({use_r} ? {rhi} : 1)", f"({use_r} ? {rv} : 1)"
    plo, phi = _weighted_bounds(cap_lo, cap_hi)
    pv = f"({budget_weight('v')} * {cap_v})"
    rounded = f"(({pv} + 0.5) // 1)"
    use_rate = f"({ft}.rate.v <= 1)"
    qlo, qhi = _weighted_bounds(f"({use_rate} ? {ft}.rate.lo : 1)", f"({use_rate} ? {ft}.rate.hi : 1)")
    s = f"{ft}.score"
    third_known_false = (f"(not {ft}.rate.q or (({ft}.rate.d == 'ratio' or {ft}.rate.d == null) "
                         f"and not {overlap(f'{s}.lo', f'{s}.hi', qlo, qhi)}))")
    return (f"kind == 'project' and not {s}.b and not {ft}.executed.b and {nonzero_money(f'{ft}.budget')} "
            f"and {s}.q and ({ft}.weight.b or {ft}.weight.q) and not {overlap(f'{s}.lo', f'{s}.hi', plo, phi)} "
            f"and not {overlap(f'{s}.lo', f'{s}.hi', rounded, rounded)} and {third_known_false}")


def _sum_rule(cell: str, cells: str) -> str:
    return (f"not {cell}.b and {summable(cells)} and {cell}.q "
            f"and not {overlap(f'{cell}.lo', f'{cell}.hi', s_lo(cells), s_hi(cells))}")


# Benchmark rules with no rule-engine version, and why. The peer's facts are those of one
# document; these rules compare it with the other documents of its submission (the issued
# target tables, the execution tables), which a lone submission does not have.
WITHOUT_PEER = {
    "FL002": "reads the execution tables of the submission (funds_across.yaml)",
    "IS001": "reads the issued target tables of the submission (issued.yaml)",
}


# (rule, scope, expression, path suffix). Scope "root" runs once on the submission's facts;
# the others run on each element of that list (`Rule.matches(element)`), whose `path` plus
# the suffix is the finding's. Elements carry the few submission-level facts their rule
# needs (tb: the total budget, fte: the total executed, items: the scorecard items).
def _rules() -> list[tuple[str, str, str, str]]:
    out = []
    for rid, key in (("AR001", "initial_budget"), ("AR002", "budget"), ("AR003", "executed"), ("AR004", "balance")):
        out.append((rid, "root", _sum_rule(f"ft.{key}", f"[s.{key} for s in sources]"), f"funds.total.{key}"))
    for rid, key in (("AR005", "budget"), ("AR006", "executed")):
        out.append((rid, "sources", _sum_rule(key, f"[p.{key} for p in parts]"), f".{key}"))
    out.append(("AR007", "rows", _rate_mismatch("budget"), ".rate"))
    guard, lo, hi = ratio_bounds("executed", "tb")
    out.append(("AR008", "sources", f"{_rate_mismatch('budget')} and {nonzero_money('tb')} and {guard} "
                                    f"and {overlap('rate.lo', 'rate.hi', lo, hi)}", ".rate"))
    out.append(("AR009", "rows", "balance.q and budget.q and executed.q and budget.d == executed.d "
                                 "and " + compat("balance", "budget") + " and not "
                + overlap("balance.lo", "balance.hi", "budget.lo - executed.hi", "budget.hi - executed.lo"), ".balance"))
    out.append(("AR011", "root", _ar011(), "funds.total.score"))
    base_lo, base_hi = "(ft.score.b ? 0 : ft.score.lo)", "(ft.score.b ? 0 : ft.score.hi)"
    out.append(("AR012", "root", f"not ts.b and {summable('scores')} and ts.q and (ft.score.b or ft.score.q) and not "
                + overlap("ts.lo", "ts.hi", f"{base_lo} + {s_lo('scores')}", f"{base_hi} + {s_hi('scores')}"), "total.score"))
    # the 预算执行 weight: as printed; budget_weight where only its 得分 is printed; else 0
    implied = f"(ft.score.b ? 0 : {BW})"
    left_lo = f"(ft.weight.b ? {implied} : ft.weight.lo) + {s_lo('weights')}"
    left_hi = f"(ft.weight.b ? {implied} : ft.weight.hi) + {s_hi('weights')}"
    right_lo, right_hi = "(tw.b ? 100 : tw.lo)", "(tw.b ? 100 : tw.hi)"
    rest = f"{WEIGHTS_WITHOUT_BUDGET[0]}"  # 100 分 - budget_weight
    out.append(("AR013", "root", f"{summable('weights')} and (ft.weight.b or ft.weight.q) and (tw.b or tw.q) and not "
                + overlap(left_lo, left_hi, right_lo, right_hi)
                + f" and (not (ft.weight.b and tw.b) or not {overlap(s_lo('weights'), s_hi('weights'), rest, rest)})", "total.weight"))
    out.append(("AR014", "groups", _sum_rule("weight", "[m.weight for m in members]"), ""))
    out.append(("AR015", "groups", _sum_rule("score", "[m.score for m in members]"), ""))
    out.append(("AR016", "inds", "score.q and weight.q and " + compat("score", "weight") + " and score.v > weight.v", ".score"))
    out.append(("AR017", "root", "ft.score.q and (ft.weight.b ? (ft.score.d == 'score' or ft.score.d == null) : "
                f"(ft.weight.q and {compat('ft.score', 'ft.weight')})) and ft.score.v > {budget_weight('v')}", "funds.total.score"))
    out.append(("AR018", "score_cells", "value.q and value.v < 0", ""))
    out.append(("AR019", "money_cells", "value.q and (value.d == 'money' or value.d == null) and value.v < 0", ""))
    out.append(("AR021", "root", _sum_rule("stated_total", "card_scores"), "scorecard.stated_total"))
    out.append(("AR022", "card_groups", _sum_rule("weight", "[it.weight for it in items if it.level1 != null and it.level1 == name]"), ".weight"))
    out.append(("AR023", "card_items", "score.q and weight.q and " + compat("score", "weight") + " and score.v > weight.v", ".score"))
    # A report may state the total in whole points (96 for 96.38): round half up, away from 0.
    whole = "(ts.v >= 0 ? (ts.v + 0.5) // 1 : -((0.5 - ts.v) // 1))"
    out.append(("AR024", "root", "not stated.b and not ts.b and stated.q and ts.q and " + compat("stated", "ts") + " and not "
                + overlap("stated.lo", "stated.hi", "ts.lo", "ts.hi") + f" and stated.v != {whole}", "report.stated_score"))
    excellent, good, passing = GRADE_BANDS  # policies grade_excellent, grade_good, grade_pass
    band = f"(ts.v >= {excellent} ? '优' : (ts.v >= {good} ? '良' : (ts.v >= {passing} ? '中' : '差')))"
    out.append(("AR025", "root", f"not grade.b and ts.q and not (grade.t == {band} or (grade.t == '优秀' and {band} == '优') "
                f"or (grade.t == '良好' and {band} == '良') or (grade.t == '中等' and {band} == '中') "
                f"or (grade.t == '较差' and {band} == '差'))", "total.grade"))
    out.append(("AR026", "inds", "cost and actual.q and actual.d == 'money' and fte.q "
                "and (fte.d == 'money' or fte.d == null) and fte.v > 0 and actual.v > fte.v", ".actual"))
    out.append(("TA001", "inds", f"(status == 'not_met' or status == 'partly') and (reason == null "
                f"or reason in {NOTHING} or (reason + '。') in {NOTHING})", ".reason"))
    out.append(("TA003", "inds", "not target.b and target.k != 'not_set' and actual.b", ".actual"))
    out.append(("TA004", "inds", "actual.q and actual.op != null and actual.op != '' and actual.op != '='", ".actual"))
    out.append(("TA005", "inds", "target.k == 'malformed'", ".target"))
    out.append(("TA006", "inds", f"target.q and actual.k == 'text' and actual.t.length > {MAX_LEN} and actual.t =~~ {REASON_LIKE.pattern!r}",
                ".actual"))
    cap = "(((weight.v * completion * 100) + 0.5) // 1) / 100"
    out.append(("TA008", "inds", f"status == 'not_met' and target.q and score.q and weight.q and completion != null "
                f"and completion < {NEAR_FULL} and not (score.v < weight.v * {NEAR_FULL}) and score.v > {cap}", ".score"))
    out.append(("UN001", "inds", "target.q and actual.q and target.d != null and actual.d != null "
                "and target.d != actual.d", ".actual"))
    out.append(("UN002", "inds", "target.k == 'qualitative' and actual.q", ".actual"))
    out.append(("UN006", "inds", "mu != null and written.q and written.uw and written.u != null "
                "and written.u != mu", ".target"))
    return out


_FIELD = re.compile(r"(?<=[\w\]\)])\.(?!length\b)([A-Za-z_]\w*)")


def mapping_syntax(expr: str) -> str:
    """Rules are written `score.q` for legibility; rule-engine 5 deprecates dot access on
    mappings (removed in 6), so they are compiled as `score['q']`."""
    return _FIELD.sub(r"['\1']", expr)


def _context():
    try:
        return rule_engine.Context(default_value=None, mapping_attribute_lookup=False)
    except TypeError:  # rule-engine before 5.1 has no such option
        return rule_engine.Context(default_value=None)


class PeerChecker:
    """Compile the rule set once; `check(data)` gives [(rule, path), …]."""

    def __init__(self):
        ctx = _context()
        self.rules = [(rid, scope, rule_engine.Rule(mapping_syntax(expr), context=ctx), suffix)
                      for rid, scope, expr, suffix in _rules()]
        missing = set(BENCH_RULES) - {r[0] for r in self.rules} - set(WITHOUT_PEER)
        if missing:
            raise RuntimeError(f"peer rule set lacks {sorted(missing)}")

    @staticmethod
    def facts(data: dict) -> dict:
        root: dict = {"kind": data.get("kind")}
        funds = data.get("funds")
        rows, sources, money_cells, score_cells = [], [], [], []

        def fund_facts(path, parsed):
            f = {k: fact(parsed.get(k)) for k in ("initial_budget", "budget", "executed", "balance", "rate", "weight", "score")}
            f["path"] = path
            for key in ("initial_budget", "initial_declared", "initial_planned", "budget", "executed"):
                if key in parsed:
                    money_cells.append({"path": f"{path}.{key}", "value": f.get(key) or fact(parsed[key])})
            for key in ("weight", "score"):
                if key in parsed:
                    score_cells.append({"path": f"{path}.{key}", "value": f[key]})
            return f

        ft = {k: BLANK_FACT for k in ("initial_budget", "budget", "executed", "balance", "rate", "weight", "score")}
        if funds is not None:
            unit = funds.get("unit") or "万元"
            if "total" in funds:
                ft = fund_facts("funds.total", _fund_row(funds["total"] or {}, unit))
                rows.append(ft)
            for i, raw in enumerate(funds.get("sources") or []):
                s = fund_facts(f"funds.sources[{i}]", _fund_row(raw, unit))
                s["parts"] = []
                sources.append(s)
                rows.append(s)
                for j, p in enumerate(raw.get("parts") or [] if "parts" in raw else []):
                    pf = fund_facts(f"funds.sources[{i}].parts[{j}]", _fund_row(p, unit))
                    s["parts"].append(pf)
                    rows.append(pf)
        for s in sources:
            s["tb"] = ft["budget"]
        root.update(ft=ft, sources=sources, rows=rows)
        rows_in = data.get("indicators") or []
        parsed = [_indicator(r) for r in rows_in]
        inds = []
        for i, ind in enumerate(parsed):
            c = ind["completion"]
            f = {"path": f"indicators[{i}]", "target": fact(ind["target"]), "written": fact(ind["written"]),
                 "actual": fact(ind["actual"]), "weight": fact(ind["weight"]), "score": fact(ind["score"]),
                 "status": ind["status"], "completion": c.value if c is not None else None, "cost": ind["cost_like"],
                 "reason": _reason_text(ind["reason"]), "mu": text_of(ind["mu"]) if raw_filled(ind["mu"]) else None,
                 "fte": ft["executed"]}
            inds.append(f)
            score_cells.append({"path": f"indicators[{i}].weight", "value": f["weight"]})
            score_cells.append({"path": f"indicators[{i}].score", "value": f["score"]})
        root["inds"] = inds
        root["scores"] = [f["score"] for f in inds]
        root["weights"] = [f["weight"] for f in inds]
        groups = []
        if rows_in:
            for g in _groups(rows_in, parsed, data.get("indicator_groups") or []):
                groups.append({"path": g["path"], "weight": fact(g["weight"]), "score": fact(g["score"]),
                               "members": [{"weight": fact(m["weight"]), "score": fact(m["score"])} for m in g["members"]]})
        root["groups"] = groups
        for j, g in enumerate(data.get("indicator_groups") or []):
            for key in ("weight", "score"):
                score_cells.append({"path": f"indicator_groups[{j}].{key}", "value": fact(parse_value(g.get(key), "分"))})
        total = data.get("total")
        if total is not None:
            total = total or {}
            root["ts"], root["tw"] = fact(parse_value(total.get("score"), "分")), fact(parse_value(total.get("weight"), "分"))
            root["grade"] = fact(parse_value(total.get("grade")))
            score_cells.append({"path": "total.weight", "value": root["tw"]})
            score_cells.append({"path": "total.score", "value": root["ts"]})
        else:
            root["ts"] = root["tw"] = root["grade"] = BLANK_FACT
        report = data.get("report")
        root["stated"] = fact(parse_value((report or {}).get("stated_score"), "分")) if report is not None else BLANK_FACT
        if report is not None:
            score_cells.append({"path": "report.stated_score", "value": root["stated"]})
        card = data.get("scorecard")
        card_items, card_groups = [], []
        root["stated_total"] = BLANK_FACT
        if card is not None:
            card = card or {}
            for i, it in enumerate(card.get("items") or []):
                f = {"path": f"scorecard.items[{i}]", "weight": fact(parse_value(it.get("weight"), "分")),
                     "score": fact(parse_value(it.get("score"), "分")), "level1": text_of(it.get("level1"))}
                card_items.append(f)
                score_cells.append({"path": f"scorecard.items[{i}].weight", "value": f["weight"]})
                score_cells.append({"path": f"scorecard.items[{i}].score", "value": f["score"]})
            for j, g in enumerate(card.get("groups") or []):
                card_groups.append({"path": f"scorecard.groups[{j}]", "weight": fact(parse_value(g.get("weight"), "分")),
                                    "name": text_of(g.get("name")), "items": card_items})
            root["stated_total"] = fact(parse_value(card.get("stated_total"), "分"))
            score_cells.append({"path": "scorecard.stated_total", "value": root["stated_total"]})
        root.update(card_items=card_items, card_groups=card_groups, card_scores=[f["score"] for f in card_items],
                    score_cells=score_cells, money_cells=money_cells)
        return root

    def check(self, data: dict) -> list[tuple[str, str]]:
        # Cells are read in the ambient decimal context, as selfeval reads them; the
        # rules' arithmetic runs at 34 digits, as selfeval's interval arithmetic does.
        root = self.facts(data)
        with localcontext() as ctx:
            ctx.prec = 34
            out: list[tuple[str, str]] = []
            for rid, scope, rule, suffix in self.rules:
                if scope == "root":
                    if rule.matches(root):
                        out.append((rid, suffix))
                    continue
                for row in root[scope]:
                    if rule.matches(row):
                        out.append((rid, row["path"] + suffix))
            return out

    def passes(self, data: dict) -> bool:
        return not self.check(data)


def available() -> bool:
    return True


__all__ = ["BENCH_RULES", "Decimal", "PeerChecker", "WITHOUT_PEER"]
