"""The report kind's vocabulary (vocabulary.yaml), loaded once and compiled."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

_FILE = Path(__file__).resolve().parent / "vocabulary.yaml"


def fold(text: str) -> str:
    """NFKC (全角 → 半角, ％ → %) with the characters people confuse made one: the
    vocabulary and the text are compared in this form."""
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ")


@dataclass(frozen=True)
class Vocabulary:
    money: dict[str, Decimal]
    units: dict[str, str]  # symbol → dimension
    figure: re.Pattern
    bounds_before: tuple[str, ...]
    bounds_after: tuple[str, ...]
    masked: re.Pattern
    fund_fields: dict[str, dict[str, tuple[str, ...]]]  # dimension → field → words
    full_year_words: tuple[str, ...]
    fund_sources: dict[str, tuple[str, ...]]
    target_words: tuple[str, ...]
    context_words: tuple[str, ...]
    subject_noise: tuple[str, ...]
    score_entry: re.Pattern
    item_score: re.Pattern
    stated_total: re.Pattern
    score_rate: re.Pattern
    not_met: re.Pattern
    stated_grade: re.Pattern
    grades: dict[str, str]
    year: re.Pattern
    headings: tuple[re.Pattern, ...]
    heading_max: int
    deviation_headings: tuple[str, ...]
    all_met: re.Pattern
    project_subject: re.Pattern
    project_generic: re.Pattern
    project_tail: re.Pattern


def _words(values) -> tuple[str, ...]:
    # Longest first, so 年初预算数 is tried before 预算数.
    return tuple(sorted((fold(str(v)) for v in values or ()), key=len, reverse=True))


@cache
def vocabulary() -> Vocabulary:
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    units = data["units"]
    money = {fold(k): Decimal(str(v)) for k, v in units["money"].items()}
    by_symbol: dict[str, str] = {}
    for dimension, symbols in units.items():
        for symbol in symbols:
            by_symbol[fold(str(symbol))] = dimension
    alternatives = []
    for symbol in sorted(by_symbol, key=len, reverse=True):
        escaped = re.escape(symbol)
        # 万 alone is money only where nothing CJK follows (50万人 is not 50万元 and 人).
        alternatives.append(escaped + "(?![\\u4e00-\\u9fff])" if symbol == "万" else escaped)
    number = r"(?<![\d.,])(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    figure = re.compile(number + r"\s*(?P<unit>" + "|".join(alternatives) + ")")
    fields = {
        dimension: {name: _words(words) for name, words in spec.items()}
        for dimension, spec in data["fund_fields"].items()
    }
    return Vocabulary(
        money=money,
        units=by_symbol,
        figure=figure,
        bounds_before=_words(data["bounds_before"]),
        bounds_after=_words(data["bounds_after"]),
        masked=re.compile("|".join(data["masked_spans"])),
        fund_fields=fields,
        full_year_words=_words(data["full_year_words"]),
        fund_sources={k: _words(v) for k, v in data["fund_sources"].items()},
        target_words=_words(data["target_words"]),
        context_words=_words(data["context_words"]),
        subject_noise=_words(data["subject_noise"]),
        score_entry=re.compile(data["score_entry"]),
        item_score=re.compile(data["item_score"]),
        stated_total=re.compile(data["stated_total"]),
        score_rate=re.compile(data["score_rate"]),
        not_met=re.compile(data["not_met"]),
        stated_grade=re.compile(data["stated_grade"]),
        grades={fold(k): v for k, v in data["grades"].items()},
        year=re.compile(data["year"]),
        headings=tuple(re.compile(p) for p in data["headings"]),
        heading_max=int(data["heading_max"]),
        deviation_headings=_words(data["deviation_headings"]),
        all_met=re.compile(data["all_met"]),
        project_subject=re.compile(data["project_subject"]),
        project_generic=re.compile(data["project_generic"]),
        project_tail=re.compile(data["project_tail"]),
    )
