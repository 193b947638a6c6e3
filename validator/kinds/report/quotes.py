"""What a narrative quotes from tables that are not a self-evaluation table (the 情况说明 of a
决算公开 set), and the arithmetic a narrative states on its own figures.

Quotes: a document kind offers the figures a text may quote (Kind.quotable: a label, the
words a text names it by, its values by phase). A figure of the text whose subject names
one of them, by the word ending nearest the figure (the longest among those ending there),
is paired with that value: 基本支出537.98万元 with 公开03's 基本支出 合计. A subject that
names nothing quotable is never guessed at, except right after a named figure of the same
sentence when it only says which phase it is (“三公”经费预算为45.00万元，支出决算为41.86万元).

Arithmetic: three shapes official narratives state in one breath, each checked on the
text's own figures so a rate computed on the wrong total is found even where no table says
what the figures should be:
- a change and its rate (与上年相比，增加56.78万元，增长7.7%): the rate is of last year's
  figure, this year's minus the increase (plus the decrease);
- a share (基本支出537.98万元，占67.65%): of the total the sentence opened with, or of the
  one named after 占;
- completion (预算为45.00万元，支出决算为41.86万元，完成预算的93.02%).
Everything here is data for the rules in rules/report/accounts.yaml."""

from __future__ import annotations

import re
from typing import Any

from validator.kinds.report.extract import Extracted, Figure, year_in
from validator.kinds.report.link import as_shown, key, quote, ref, scale, stated_phrase, stated_value
from validator.kinds.report.words import vocabulary

ACTUAL, BUDGET = "actual", "budget"
# A text beside both a 自评表 and a set of tables it may quote is the set's narrative when it
# names at least this many of the set's figures (基本支出, 人员经费, “三公”经费 …): a 自评报告
# names one or two at most.
NARRATIVE_FIGURES = 3
# A subject with one of these words states a change or a comparison, not a level.
_CHANGE_WORDS = ("增加", "减少", "增长", "下降", "上年", "同比", "较", "比", "增减", "持平", "节约", "超支", "压减")
_CHANGE = re.compile(r"(?P<dir>增加|减少|增长|下降|上升|降低)了?$")
_CHANGE_RATE = re.compile(r"^(?:同比)?(?P<dir>增长|下降|上升|降低|增幅|降幅|增长率|下降率)(?:了|为|是)?$")
# 占67.65%, 占本年支出合计的67.65%, 占比67.65%: of the total named, or of the sentence's first.
_SHARE = re.compile(r"^占(?:比(?:为|是|达)?$|(?P<base>.*?)(?:的)?(?:比重|比例)?(?:为|是|达)?$)")
_COMPLETION = re.compile(r"(?:完成(?:了)?|为|占)(?:年初)?预算(?:数)?的?$|预算完成率(?:为)?$")
_UP = ("增加", "增长", "上升", "增幅", "增长率")
# A subject that only says which phase a figure is (支出决算为, 预算为): it is about what the
# sentence named last.
_PHASE_ONLY = re.compile(r"^(?:其中)?(?:财政拨款)?(?:支出)?(?:年初)?(?:预算|决算)(?:数|支出)?(?:为|是|了)?$")


def source(report: dict, others) -> tuple[Any, dict, list[dict]] | None:
    """(document, derived tree, its quotable figures) for the document of the submission the
    narrative is about: the only one whose kind offers figures, or the one whose
    department the text names."""
    from validator.kinds import kind_named

    offered = []
    for other in others or ():
        kind = kind_named(other.kind)
        if kind is None or kind.quotable is None or not isinstance(other.data, dict):
            continue
        offered.append((other, kind))
    if not offered:
        return None
    if len(offered) > 1:
        text = key(report.get("name")) + "".join(key(p.get("text") if isinstance(p, dict) else p)
                                                 for p in (report.get("paragraphs") or [])[:10])
        named = [(o, k) for o, k in offered if len(dep := key(o.data.get("department"))) >= 4 and dep in text]
        if len(named) != 1:
            return None
        offered = named
    other, kind = offered[0]
    tree = kind.derive(other.data, ()) if kind.derive is not None else dict(other.data)
    return other, tree, kind.quotable(tree)


def _words(figures: list[dict]) -> list[tuple[str, dict]]:
    return [(k, f) for f in figures for w in f["words"] if (k := key(w))]


# What may stand right before a figure's name: the start, a year, a list's 其中/中, a verb or
# a conjunction. Anything else makes the name part of a longer one the words do not know:
# 政府性基金预算财政拨款收入 is not the 财政拨款收入 of 公开04.
_NAME_START = re.compile(r"(?:^|(?:年|度|中|的|是|为|了|共|和|及|与|全年|当年|单位|部门|局|委|办|院|中心|站|队|其中))$")


def _named(subject: str, words: list[tuple[str, dict]]) -> tuple[dict, int, int] | None:
    """(figure, start, end) of the quotable word ending last in the keyed subject (the
    longest among those ending there), or None when that word is the tail of a longer name."""
    best = None
    for word, fig in words:
        at = subject.rfind(word)
        if at < 0:
            continue
        end = at + len(word)
        if best is None or end > best[2] or (end == best[2] and end - at > best[2] - best[1]):
            best = (fig, at, end)
    if best is not None and not _NAME_START.search(subject[:best[1]]):
        return None
    return best


def _phase(rest: str) -> str:
    return BUDGET if "预算" in rest and "决算" not in rest else ACTUAL


def _level(fig: Figure) -> bool:
    return not (fig.bound or fig.per_unit or fig.listed) and fig.dimension in ("money", "count")


def _is_change(fig: Figure) -> bool:
    return bool(_CHANGE.search(key(fig.subject)))


class Reading:
    """The figures of the text with what each names, shared by quotes and arithmetic."""

    def __init__(self, extracted: Extracted, figures: list[dict] | None):
        self.figures = list(extracted.figures)
        self.words = _words(figures or [])
        self.names: dict[int, tuple[dict, str]] = {}  # id(figure) → (quotable, phase)
        topic: dict[tuple, dict] = {}
        for fig in self.figures:
            if fig.dimension != "money" or not _level(fig):
                continue
            subject = key(fig.subject)
            hit = _named(subject, self.words)
            sentence = (fig.paragraph, id(fig.sentence))
            if hit is not None:
                named, at, end = hit
                rest = subject[:at] + subject[end:]
                topic[sentence] = named
            elif sentence in topic and _PHASE_ONLY.match(subject):
                named, rest = topic[sentence], subject
            else:
                continue
            if any(w in rest for w in _CHANGE_WORDS):
                continue
            self.names[id(fig)] = (named, _phase(rest))

    def named(self, fig: Figure) -> tuple[dict, str] | None:
        return self.names.get(id(fig))

    def named_figures(self) -> set[str]:
        """The quotable figures the text names (each once)."""
        return {named["key"] for named, _ in self.names.values()}


def claims(extracted: Extracted, found: tuple[Any, dict, list[dict]], reading: Reading | None = None) -> list[dict]:
    """The money figures of the text that name a quotable figure, each with the table's value."""
    document, tree, figures = found
    reading = reading or Reading(extracted, figures)
    year = _year(tree)
    out = []
    for fig in reading.figures:
        hit = reading.named(fig)
        if hit is None:
            continue
        named, phase = hit
        # The year a sentence names holds for its figures until another is named
        # (2023年度公用经费90.00万元，机关运行经费100.00万元: both last year's).
        said = _year_said(fig.sentence[:fig.end])
        if phase not in named["values"] or (said is not None and year is not None and said != year):
            continue
        value, path = named["values"][phase]
        stated = stated_value(fig)
        label = named["label"] + ("预算数" if phase == BUDGET else "")
        label_en = named["label_en"] + (", budget" if phase == BUDGET else "")
        shown, converted = as_shown(value, stated)
        out.append({
            "type": "accounts", "field": named["key"], "field_label": label, "field_label_en": label_en,
            "table_name": named["table"], "table_name_en": named["table"].rstrip("表"), "table": value, "table_at": ref(document, path, named["label"]),
            "stated": stated, "scale": scale(stated, value), "subject": stated_phrase(fig), "sentence": fig.written,
            "table_shown": shown, "converted": f"（即 {converted}）" if converted else "",
            "converted_en": f" ({converted})" if converted else "",
            "_path": f"paragraphs[{fig.paragraph}]", "_label": quote(fig.written),
        })
    return out


def _year_said(text: str) -> int | None:
    return year_in(text, vocabulary())


def _year(tree: dict) -> int | None:
    m = re.search(r"(?:19|20)\d{2}", str(tree.get("year") or ""))
    return int(m[0]) if m else None


# --- the text's own arithmetic ----------------------------------------------------------------

def _entry(kind: str, fig: Figure, **values) -> dict:
    return {"type": kind, "subject": stated_phrase(fig), "_path": f"paragraphs[{fig.paragraph}]", "_label": quote(fig.written), **values}


def arithmetic(extracted: Extracted, figures: list[dict] | None = None, found=None, reading: Reading | None = None) -> list[dict]:
    """The changes, shares and completions the text states, with the figures each is of."""
    reading = reading or Reading(extracted, figures)
    out: list[dict] = []
    figs = reading.figures
    for i, fig in enumerate(figs):
        if fig.dimension != "ratio" or fig.bound or fig.per_unit:
            continue
        subject = key(fig.subject)
        same = [f for f in figs[:i] if f.paragraph == fig.paragraph and f.sentence is fig.sentence]
        before = same[-1] if same else None
        m = _CHANGE_RATE.match(subject)
        if m and before is not None and _level(before) and (cm := _CHANGE.search(key(before.subject))):
            if (cm["dir"] in _UP) != (m["dir"] in _UP):
                continue  # 增加…下降: which one the text meant cannot be told
            current = _current(before, figs[:figs.index(before)], reading)
            if current is not None:
                out.append(_entry("change", fig, rate=stated_value(fig), change=stated_value(before), current=stated_value(current),
                                  direction="up" if cm["dir"] in _UP else "down", current_text=stated_phrase(current),
                                  change_text=stated_phrase(before), rate_text=fig.text))
            continue
        m = _SHARE.match(subject)
        if m and before is not None and _level(before) and not _is_change(before) and before.dimension == "money":
            base = _share_base(m["base"] or "", before, same, figs[:i], reading, found)
            if base is not None:
                value, text, at, other = base
                out.append(_entry("share", fig, rate=stated_value(fig), part=stated_value(before), base=value, base_text=text,
                                  base_at=at, part_text=stated_phrase(before), rate_text=fig.text,
                                  other_base=other[0] if other else None, other_base_text=other[1] if other else None))
            continue
        if _COMPLETION.search(subject):
            budget = actual = None
            for f in reversed(same):
                named = reading.named(f)
                if f.dimension != "money" or not _level(f) or _is_change(f):
                    continue
                rest = key(f.subject)
                if named is not None:
                    phase = named[1]
                elif "预算" in rest and "决算" not in rest:
                    phase = BUDGET
                elif any(w in rest for w in ("决算", "支出", "执行")):
                    phase = ACTUAL
                else:
                    continue
                if phase == BUDGET and budget is None:
                    budget = f
                elif phase == ACTUAL and actual is None:
                    actual = f
            if budget is not None and actual is not None:
                out.append(_entry("completion", fig, rate=stated_value(fig), budget=stated_value(budget), actual=stated_value(actual),
                                  budget_text=stated_phrase(budget), actual_text=stated_phrase(actual), rate_text=fig.text))
    return out


def _current(change: Figure, earlier: list[Figure], reading: Reading) -> Figure | None:
    """This year's figure a change is of: the last one of the paragraph that names what the
    change names, else the one level figure of its sentence or paragraph."""
    candidates = [f for f in earlier if f.paragraph == change.paragraph and f.dimension == change.dimension
                  and _level(f) and not _is_change(f)]
    if not candidates:
        return None
    hit = _named(key(change.subject), reading.words)
    if hit is not None:
        named = [f for f in candidates if (n := reading.named(f)) is not None and n[0] is hit[0] and n[1] == ACTUAL]
        return named[-1] if named else None
    in_sentence = [f for f in candidates if f.sentence is change.sentence]
    if len(in_sentence) == 1:
        return in_sentence[0]
    return candidates[0] if len(candidates) == 1 and not in_sentence else None


# Words that open a breakdown of the figure before them: a share written after one is of that
# figure (项目支出257.25万元，其中应急救援72.40万元，占28.14%).
_BREAKDOWN = ("其中", "主要用于", "主要包括", "包括")


def _share_base(base_words: str, part: Figure, same: list[Figure], earlier: list[Figure], reading: Reading, found):
    """(value, what it is, where the table prints it or None, another total the share may be
    of or None) of the total a share is of."""
    if base_words:
        hit = _named(base_words, reading.words)
        if hit is None:
            return None
        named = hit[0]
        stated = [f for f in earlier if f.paragraph == part.paragraph and f is not part
                  and (n := reading.named(f)) is not None and n[0] is named and n[1] == ACTUAL]
        if stated:
            return stated_value(stated[-1]), stated_phrase(stated[-1]), None, None
        if found is not None and ACTUAL in named["values"]:
            value, path = named["values"][ACTUAL]
            return value, f"{named['table']}{named['label']} {value.raw}", ref(found[0], path, named["label"]), None
        return None
    totals = [f for f in same if f is not part and f.dimension == "money" and _level(f) and not _is_change(f)
              and f.end <= part.start]
    if not totals:
        return None
    # The figure a breakdown before the part opens on, else the sentence's first; the other
    # is kept too: "占" without its total may mean either, and only a rate that is neither
    # is wrong.
    opened = [f for f in totals if any(w in part.sentence[f.end:part.end] for w in _BREAKDOWN)]
    primary = opened[-1] if opened else totals[0]
    other = totals[0] if primary is not totals[0] else (totals[-1] if totals[-1] is not primary else None)
    return (stated_value(primary), stated_phrase(primary), None,
            (stated_value(other), stated_phrase(other)) if other is not None else None)
