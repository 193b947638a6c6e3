"""Domain vocabulary: the indicator classification of GUIDE §1 and §5.

Labels vary by province (产出指标 / 产出 / 产出类指标), so classes are found by keyword,
and each 二级 class names the 一级 class it belongs under."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# (class, keywords) in match order: more specific first.
_LEVEL1 = [
    ("satisfaction", ("满意度",)),
    ("cost", ("成本",)),
    ("output", ("产出",)),
    ("outcome", ("效益", "效果")),
    ("decision", ("决策",)),
    ("process", ("过程", "管理")),
]
_LEVEL2 = [
    ("satisfaction", ("满意度",), "satisfaction"),
    ("economic_cost", ("经济成本",), "cost"),
    ("social_cost", ("社会成本",), "cost"),
    ("ecological_cost", ("生态环境成本", "生态成本", "环境成本"), "cost"),
    ("cost", ("成本",), "output"),
    ("quantity", ("数量",), "output"),
    ("quality", ("质量",), "output"),
    ("timeliness", ("时效", "进度"), "output"),
    ("economic", ("经济效益",), "outcome"),
    ("social", ("社会效益",), "outcome"),
    ("ecological", ("生态效益", "环境效益"), "outcome"),
    ("sustainability", ("可持续",), "outcome"),
]
_STRIP = re.compile(r"[\s（(][^（）()]*[分][）)]|[\s:：]")

LEVEL1_NAMES = {
    "output": "产出指标", "outcome": "效益指标", "satisfaction": "满意度指标", "cost": "成本指标",
    "decision": "决策", "process": "过程",
}


@lru_cache(maxsize=1024)  # as the cell memos: batch memory stays flat
def clean_label(label: str | None) -> str:
    """A label without spaces, colons and a stated score: 数量指标（20分） → 数量指标."""
    if not label:
        return ""
    return _STRIP.sub("", unicodedata.normalize("NFKC", label))


# Labels repeat on every row of a table and across tables: classify each spelling once.
@lru_cache(maxsize=1024)
def level1_class(label: str | None) -> str | None:
    text = clean_label(label)
    for cls, words in _LEVEL1:
        if any(w in text for w in words):
            return cls
    return None


@lru_cache(maxsize=1024)
def level2_class(label: str | None) -> tuple[str | None, str | None]:
    """(class, the 一级 class it belongs under)."""
    text = clean_label(label)
    for cls, words, parent in _LEVEL2:
        if any(w in text for w in words):
            return cls, parent
    return None, None


_DECLARED = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]")


@lru_cache(maxsize=1024)
def declared_points(label: str | None) -> str | None:
    """`产出指标(50分)` → "50"."""
    if not label:
        return None
    m = _DECLARED.search(unicodedata.normalize("NFKC", label))
    return m[1] if m else None


_NOTHING = {"", "无", "没有", "暂无", "无。", "无问题", "/", "-", "—", "不存在", "未发现问题", "无偏差", "已完成"}


def says_nothing(text) -> bool:
    """Blank, or one of the words that fill a cell without explaining anything (无)."""
    if text is None:
        return True
    value = unicodedata.normalize("NFKC", str(text)).strip().rstrip("。.")
    return value in _NOTHING or value + "。" in _NOTHING
