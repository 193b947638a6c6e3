"""The regular-expression fast path for quantities gives exactly what the grammar gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lark.exceptions import LarkError

from validator.domain import notation
CORPUS = [
    "≥15个", "≥90%", "=5家", "=63套", "≤1年", ">6次/年", "<2小时", "≥100年一遇", "K≥1.25", "2.0三级",
    "24小时", "964万元", "=1950元/套", "95.00%", "0个", "1,234.5万元", "-5万元", "2024年", "≥2024年",
    "2024年底", "12月", "K1.25", "≥.5", "5..5%", "1,23", "5km", "≥5 km", "2024年12月30日", "=元/项", "≥%",
]

ALPHABET = list("0123456789.,-%‰≥≤><=≠KxA") + ["年", "月", "日", "个", "万元", "元/人", "次/年", "底", "前", "小时", "/"]


def _grammar(text: str):
    try:
        return notation._get_parser().parse(text)
    except LarkError:
        return None


def _same(text: str) -> None:
    quick = notation._quick_quantity(text)
    if quick is None:
        return
    tree = _grammar(text)
    assert tree is not None and tree.data == "quantity", text
    expected = [str(c) if c is not None else None for c in tree.children]
    assert quick.children == expected, text


def _same_other(text: str) -> None:
    quick = notation._quick_other(text)
    if quick is None:
        return
    tree = _grammar(text)
    assert tree is not None and tree.data == quick.data, text
    assert quick.children == [str(c) if c is not None else None for c in tree.children], text


OTHER = ["/", "-", "—", "//", "#DIV/0!", "#div/0!", "#N/A", "#REF!", "2024年12月30日前", "≤2024年12月30日",
         "2024年6月1日", "2024年12月31日之前", "2024年1月1日以后", "2024年12月30日止", "2024年12月底前",
         "=套", "≥%", "=元/项", "≤次/年", "=", "≥‰", ">万元", "=套套", "K≥", "≥%个"]


def test_corpus():
    for text in CORPUS:
        _same(text)
    for text in OTHER:
        _same_other(text)
    assert notation._quick_other("2024年12月30日前").data == "deadline"
    assert notation._quick_other("=套").data == "malformed" and notation._quick_other("=套").children == [None, "=", "套"]
    assert notation._quick_quantity("≥15个") is not None
    assert notation._quick_quantity("2024年") is None


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=8).map("".join))
def test_random_strings(text):
    _same(text)
    _same_other(text)


DATE_PARTS = list("0123456789年月日前后内之以止为/-—#≤≥") + ["2024年", "12月", "30日", "DIV/0!", "N/A"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(DATE_PARTS), min_size=1, max_size=6).map("".join))
def test_random_dates_and_marks(text):
    _same_other(text)


WORDS = list("提升满意及时完成未部分KxA ,.%‰") + ["达到", "指南", "要求", "年", "月", "元"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map("".join))
def test_text_without_digits_or_operators_never_parses(text):
    """What lets words skip the parser: the grammar needs a digit, an operator, a dash or '#'."""
    if notation._GRAMMAR_NEEDS.search(text) is None or notation._GRAMMAR_START.match(text) is None:
        assert _grammar(text) is None, text


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(list("提预未年月满")), st.lists(st.sampled_from(ALPHABET), min_size=0, max_size=8).map("".join))
def test_text_starting_with_a_word_never_parses(first, rest):
    assert _grammar(first + rest) is None
