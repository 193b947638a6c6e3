"""What a report's text states: its figures and what each is about, its prose scorecard,
the totals and grades it claims, its sections and conclusions.

Rule-based and deterministic: the words and patterns are data (vocabulary.yaml). A figure
records the phrase before it (its subject) and, where the vocabulary ties that phrase to
a field of the funds block, the field and the row; which table value it is compared with
is decided later, against the table (link.py). A figure the vocabulary cannot tie to
anything is kept with no field and is never guessed at."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from validator.domain import vocabulary as domain_words
from validator.kinds.report.words import Vocabulary, fold, vocabulary

# Where a sentence ends; where a clause ends inside it; where the row named holds.
_SENTENCE_END = re.compile(r"[。！？!?\n]+")
_CLAUSE_END = "，,；;：:"
_GROUP_END = "；;"
_MASK = "#"
# How far back from a figure the row it is about is looked for: a clause, not a page (and
# a long run of text without a ； costs no more than a short one).
WINDOW = 200
# A parenthesis inside a subject names the fund (…资金（尾矿库风险隐患治理支出）): its words
# are not the subject's field words.
_PARENTHESIS = re.compile(r"[（(][^（）()]*[)）]")


@dataclass(slots=True)
class Figure:
    """A number with its unit, as the text states it."""

    paragraph: int  # index into the document's paragraphs
    sentence: str  # the sentence it is in, folded (全角 → 半角): what is matched
    written: str  # the same sentence as written: what a finding quotes
    start: int  # where its subject starts in the sentence
    end: int  # where the figure ends
    text: str  # the figure as written: 1500000元, 47.22%, 4个
    number: Decimal
    unit: str  # the unit as written (万 for 万元 written as 万)
    dimension: str  # money, ratio, count, score
    subject: str  # the phrase before it, back to the previous figure or clause
    clause: str  # the text from the previous figure (or the sentence start) to it
    bound: bool = False  # 超过10次, 800余条, ≥90%: a bound or an estimate, not a value
    per_unit: bool = False  # 25元/人/次
    year: int | None = None  # the year printed with it (2025年年初预算)
    field: str | None = None  # the funds field the subject names
    ignored: bool = False  # the subject names something that is not a funds field
    source: str | None = None  # the funds row (central, local …); None: the total
    full_year: bool = False  # the subject says 全年 / 调整后
    head_field: str | None = None  # the field of the sentence's first funds figure
    target: bool = False  # the subject says 指标值: an indicator's target
    # What a count counts when the text names it right after the unit (6个指标, 4座煤矿):
    # such a figure counts that, not what its subject names.
    counted: str = ""
    listed: bool = False  # …监控煤矿数量、成本控制等6个: the figure counts a list
    initial_base: bool = False  # the clause names 年初 (按年初预算数计算，执行率为…)


@dataclass(slots=True)
class ScoreEntry:
    """One entry of a prose scorecard: 资金投向（6分）…该项指标得3分."""

    paragraph: int
    name: str
    weight: Decimal
    depth: int  # 1 for 1. / 一、, 2 for （1）: how the entry is numbered
    score: Decimal | None = None
    score_paragraph: int | None = None
    score_text: str | None = None
    group: str | None = None
    rate: Decimal | None = None  # 得分率 as the report gives it


@dataclass(slots=True)
class Section:
    paragraph: int
    level: int
    title: str
    body: list[tuple[int, str]] = field(default_factory=list)  # (paragraph, text)


@dataclass(slots=True)
class Extracted:
    figures: list[Figure] = field(default_factory=list)
    entries: list[ScoreEntry] = field(default_factory=list)
    totals: list[tuple[int, Decimal, str]] = field(default_factory=list)  # (paragraph, score, sentence)
    grades: list[tuple[int, str, str]] = field(default_factory=list)  # (paragraph, grade 优/良/中/差, sentence)
    sections: list[Section] = field(default_factory=list)
    all_met: list[tuple[int, str]] = field(default_factory=list)  # (paragraph, sentence)
    projects: list[tuple[int, str, str]] = field(default_factory=list)  # (paragraph, name, sentence)
    # (paragraph, folded sentence, sentence as written): sentences that say something was missed
    not_met: list[tuple[int, str, str]] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, each with its closing mark."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start:m.end()].strip()
        if piece.strip("。！？!?\n "):
            out.append(piece.rstrip("\n"))
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _mask(text: str, words: Vocabulary) -> str:
    """The text with document titles and file numbers blanked out, same length."""
    return words.masked.sub(lambda m: _MASK * len(m[0]), text)


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _last_word(text: str, words: tuple[str, ...]) -> tuple[str, int] | None:
    """The word of `words` ending last in `text` (the longest among those ending there)."""
    best: tuple[str, int] | None = None
    for word in words:
        at = text.rfind(word)
        if at < 0:
            continue
        end = at + len(word)
        if best is None or end > best[1] or (end == best[1] and len(word) > len(best[0])):
            best = (word, end)
    return best


def _field(subject: str, spec: dict[str, tuple[str, ...]]) -> tuple[str | None, bool]:
    """(field, ignored): the funds field the subject's nearest field word names."""
    best: tuple[str, str, int] | None = None  # (field, word, end)
    for name, words in spec.items():
        hit = _last_word(subject, words)
        if hit is None:
            continue
        word, end = hit
        if best is None or end > best[2] or (end == best[2] and len(word) > len(best[1])):
            best = (name, word, end)
    if best is None:
        return None, False
    if best[0] == "ignore":
        return None, True
    return best[0], False


def _source(text: str, words: Vocabulary) -> str | None:
    best: tuple[str, int, int] | None = None  # (source, end, length)
    for name, names in words.fund_sources.items():
        hit = _last_word(text, names)
        if hit is None:
            continue
        word, end = hit
        if best is None or end > best[1] or (end == best[1] and len(word) > best[2]):
            best = (name, end, len(word))
    return best[0] if best else None


def year_in(text: str, words: Vocabulary) -> int | None:
    """The last year printed in `text` that is not the year of a date (2024年6月: an event
    in that year, which may well be another year's money)."""
    found = None
    for m in words.year.finditer(text):
        after = text[m.end():m.end() + 4]
        if re.match(r"\s*\d{1,2}\s*月", after):
            continue
        found = int(m["year"])
    return found


def _bounded_before(subject: str, words: Vocabulary) -> bool:
    tail = subject.rstrip()
    return any(tail.endswith(w) for w in words.bounds_before)


def _bounded_after(rest: str, words: Vocabulary) -> bool:
    rest = rest.lstrip()
    return any(rest.startswith(w) for w in words.bounds_after)


def figures_of(sentence: str, paragraph: int, words: Vocabulary | None = None, written: str | None = None) -> list[Figure]:
    """The figures a (folded) sentence states, with what each is about; `written` is the
    sentence as written, quoted where it folds character for character."""
    words = words or vocabulary()
    written = written if written is not None and len(written) == len(sentence) else sentence
    masked = _mask(sentence, words)
    out: list[Figure] = []
    previous_end = 0
    group_start = 0
    head_field: str | None = None
    for m in words.figure.finditer(masked):
        number = _number(m["number"])
        if number is None:
            continue
        unit = m["unit"]
        dimension = words.units[unit]
        start = m.start()
        clause = masked[previous_end:start]
        cut = max((clause.rfind(c) for c in _CLAUSE_END), default=-1)
        subject = clause[cut + 1:].strip(" 、#")
        subject_start = start - len(clause[cut + 1:].lstrip(" 、#"))
        # The row named holds until ； — looked for since the previous figure only, so the
        # sentence is scanned once however many figures it holds.
        group_start = max(group_start, max((masked.rfind(c, previous_end, start) for c in _GROUP_END), default=-1) + 1)
        rest = masked[m.end():m.end() + 4]
        fig = Figure(
            paragraph=paragraph, sentence=sentence, written=written, start=subject_start, end=m.end(),
            text=written[m.start():m.end()].replace(" ", ""),
            number=number, unit=unit, dimension=dimension, subject=subject, clause=clause,
            bound=_bounded_before(clause, words) or _bounded_after(rest, words),
            per_unit=rest.lstrip().startswith("/"),
            year=year_in(clause, words),
            full_year=any(w in subject for w in words.full_year_words),
            target=any(subject.endswith(w) or w in subject for w in words.target_words),
            listed=subject.endswith("等"),
            initial_base="年初" in clause,
        )
        if dimension == "count":
            fig.counted = (re.match(r"[\u4e00-\u9fff]{1,4}", masked[m.end():]) or [""])[0]
        spec = words.fund_fields.get(dimension)
        if spec is not None and not fig.per_unit:
            plain = _PARENTHESIS.sub(lambda p: _MASK * len(p[0]), subject)
            fig.field, fig.ignored = _field(plain, spec)
            window = masked[max(group_start, start - WINDOW):start]
            fig.source = _source(_PARENTHESIS.sub(lambda p: _MASK * len(p[0]), window), words)
            if dimension == "money" and fig.field is None and not fig.ignored and fig.source is not None:
                # 项目总投资157万元，其中：中央财政下达资金94万元，其他资金63万元: a row named
                # without its field is the field the sentence opened with.
                fig.field = head_field
            if dimension == "money" and head_field is None and fig.field is not None:
                head_field = fig.field
        fig.head_field = head_field
        out.append(fig)
        previous_end = m.end()
    return out


def heading_level(text: str, words: Vocabulary | None = None) -> int | None:
    """The outline level a paragraph's numbering opens (一、 → 1, （一） → 2, 1. → 3,
    （1） → 4), or None for an unnumbered one."""
    words = words or vocabulary()
    for level, pattern in enumerate(words.headings, start=1):
        if pattern.match(text):
            return level
    return None


def _title(text: str) -> tuple[str, str]:
    """A numbered paragraph's title and the text that runs on after it:
    "（一）资金投入情况分析。煤矿及…" → ("（一）资金投入情况分析", "煤矿及…")."""
    m = re.search(r"[。:：]", text)
    if m is None:
        return text.strip(), ""
    return text[:m.start()].strip(), text[m.end():].strip()


def extract(paragraphs: list[dict]) -> Extracted:
    """Everything the text states. `paragraphs` are the document's paragraphs (text and,
    where the reader knew it, the outline level of a heading)."""
    words = vocabulary()
    out = Extracted()
    open_sections: list[Section] = []
    for index, paragraph in enumerate(paragraphs):
        raw = paragraph.get("text") or ""
        text = fold(raw)
        level = paragraph.get("heading")
        numbered = heading_level(text, words)
        short = len(text.strip()) <= words.heading_max and not text.rstrip().endswith(("。", "；", ";"))
        if level is None and numbered is not None:
            level = numbered
        body = text
        if level is not None:
            title, body = _title(text) if numbered is not None or not short else (text.strip(), "")
            while open_sections and open_sections[-1].level >= max(level, 1):
                open_sections.pop()
            open_sections.append(Section(index, max(level, 1), title))
            out.sections.append(open_sections[-1])
        if body:
            for section in open_sections:
                section.body.append((index, body))
        _scorecard(text, index, out, words)
        for written in sentences(raw):
            sentence = fold(written)
            quoted = written if len(written) == len(sentence) else sentence
            out.figures.extend(figures_of(sentence, index, words, written))
            for m in words.stated_total.finditer(sentence):
                score = _number(m["score"])
                if score is not None:
                    out.totals.append((index, score, quoted))
            for m in words.stated_grade.finditer(sentence):
                out.grades.append((index, words.grades[m["grade"]], quoted))
            if words.all_met.search(sentence) and not re.search(r"未|没有|尚未|不能", sentence):
                out.all_met.append((index, quoted))
            if words.not_met.search(sentence):
                out.not_met.append((index, sentence, quoted))
            for m in words.project_subject.finditer(_mask(sentence, words)):
                name = m["name"].strip()
                if not words.project_generic.search(name):
                    out.projects.append((index, quoted[m.start("name"):m.end("name")], quoted))
    _close_scorecard(out)
    return out


def _scorecard(text: str, index: int, out: Extracted, words: Vocabulary) -> None:
    entry = words.score_entry.match(text)
    scores = list(words.item_score.finditer(text))
    if entry is not None:
        weight = _number(entry["weight"])
        if weight is not None:
            depth = 2 if text.lstrip().startswith(("（", "(")) else 1
            out.entries.append(ScoreEntry(index, entry["name"].strip(), weight, depth))
    for m in scores:
        # The score belongs to the last entry still without one, found before it.
        target = next((e for e in reversed(out.entries) if e.score is None), None)
        if target is None or (target.paragraph == index and entry is not None and m.start() < entry.end()):
            continue
        target.score = _number(m["score"])
        target.score_paragraph = index
        target.score_text = m[0]
    for m in words.score_rate.finditer(text):
        # 得分率 goes with the score given last, in this paragraph or before.
        scored = next((e for e in reversed(out.entries) if e.score is not None), None)
        if scored is not None and scored.rate is None:
            scored.rate = _number(m["rate"])


def _close_scorecard(out: Extracted) -> None:
    """Entries that got no score of their own are groups (项目决策（18分）); each scored
    entry belongs to the group before it numbered less deeply."""
    group: ScoreEntry | None = None
    for entry in out.entries:
        if entry.score is None:
            group = entry
            continue
        if group is not None and group.depth < entry.depth:
            entry.group = group.name
        elif group is not None and group.depth >= entry.depth:
            group = None


def says_nothing(text: str) -> bool:
    """A section body that explains nothing (无。, 无偏离)."""
    value = fold(text).strip().rstrip("。.；;")
    if domain_words.says_nothing(value):
        return True
    return bool(re.fullmatch(r"(?:无|没有|不存在|未发生)(?:偏离|偏差)?(?:情况|问题)?", value))
