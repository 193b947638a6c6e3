"""Label normalization shared by every kind: labels are reduced to a key first and then
matched by keywords, never by exact spelling or position (全年执行数 / 执行数; 产出指标（50分）;
"绩效 指标" with a stray space or a line break; full-width and half-width forms)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# NFKC already maps full-width ASCII (（）：，％１２３) to half-width; these are the CJK
# punctuation marks it leaves alone but templates use interchangeably.
_PUNCT = str.maketrans({
    "【": "[", "】": "]", "〔": "[", "〕": "]", "［": "[", "］": "]",
    "—": "-", "－": "-", "–": "-", "、": ",", "；": ";", "“": '"', "”": '"', "‘": "'", "’": "'",
})
_SPACE = re.compile(r"\s+")
_PAREN = re.compile(r"\([^()]*\)")
_NUMBERING = re.compile(r"^(?:\d+[.,]|[一二三四五六七八九十]+[,.]|\([一二三四五六七八九十\d]+\))")
_WEIGHT = re.compile(r"\((\d+(?:\.\d+)?)分\)")
_MONEY_UNIT = re.compile(r"(亿元|万元|元)")
_YEAR = re.compile(r"(20\d{2})\s*年")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Full/half-width unified, every kind of whitespace (newlines inside cells, U+3000,
    NBSP) removed, ASCII lower-cased."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCT)
    return _SPACE.sub("", text).lower()


@lru_cache(maxsize=4096)
def label_key(text: str) -> str:
    """The matching key of a label: normalized, numbering and every parenthesized
    decoration ((A), (万元), (50分), (B/A×100%)) dropped, `其中:` and trailing colons dropped.
    Inner parentheses go too, so 转移支付(项目)名称 → 转移支付名称 and 资金结(转)余 → 资金结余."""
    key = normalize(text)
    key = _NUMBERING.sub("", key)
    previous = None
    while previous != key:  # nested parentheses
        previous = key
        key = _PAREN.sub("", key)
    key = key.replace("(", "").replace(")", "")
    if key.startswith("其中"):
        key = key[2:]
    return key.strip(":.,;。")


def declared_weight(text: str) -> str | None:
    """`产出指标(50分)` → "50"."""
    match = _WEIGHT.search(normalize(text))
    return match.group(1) if match else None


_TRAILING_WEIGHT = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")


def level_label(text: str) -> str:
    """A 一级/二级 cell as the group name: line breaks and spaces dropped (满意度\\n指标),
    the declared weight dropped, the rest as printed."""
    return _TRAILING_WEIGHT.sub("", _SPACE.sub("", text))


def money_unit(text: str) -> str | None:
    match = _MONEY_UNIT.search(normalize(text))
    return match.group(1) if match else None


def year_in(text: str) -> int | None:
    match = _YEAR.search(normalize(text))
    return int(match.group(1)) if match else None
