"""Properties of reading a report (hypothesis): the extractor and the linking never raise,
whatever the text; and a consistent sentence, reworded (another subject word, the amount in
元 instead of 万元, thousands separators, full-width digits, spaces, a clause before or
after), never becomes a finding. SELFEVAL_PROPERTY_SCALE multiplies the examples."""

from __future__ import annotations

import os
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator import Validator
from validator.kinds import Other, kind_named
from validator.kinds.report.extract import extract
from validator.read.text import read_text_file
from validator.submission import Document

from conftest import SAMPLES

SCALE = int(os.environ.get("SELFEVAL_PROPERTY_SCALE", "1"))
VALIDATOR = Validator()
TABLE = read_text_file(SAMPLES / "reports" / "yunxi-2024-emergency-platform.yaml", "yaml").data
FRAGMENTS = [
    "2024年", "年初预算", "全年预算数", "执行数", "执行率", "结余", "为", "达到", "万元", "元", "万", "亿元", "%", "％",
    "个", "次", "分", "得", "该项指标得", "自评结果为", "（", "）", "(", ")", "《", "》", "〔", "〕", "，", "。", "；", "：",
    "、", "\n", " ", "无", "均已完成", "未完成", "偏离绩效目标的原因", "一、", "（一）", "1.", "（1）", "项目完成了",
    "超过", "余", "以上", "约", "中央财政资金", "其他资金", "其中", "使用单位满意度", "评价等级为", "优", "良",
    "0", "1", "5", "9", "12", "72.36", "100", "1,500", "2025", ".", "-", "/", "＝", "≥",
]
text_pieces = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(text_pieces, st.text(max_size=80)), max_size=8),
       st.lists(st.sampled_from([None, 0, 1, 2, 3, 4]), max_size=8))
def test_reading_any_text_never_raises(paragraphs, headings):
    items = [{"text": t, "heading": h} if h is not None else {"text": t} for t, h in zip(paragraphs, headings + [None] * 8)]
    extract(items)
    tree = kind_named("report").derive({"kind": "report", "paragraphs": items}, [Other("project", TABLE, "t.yaml")])
    assert isinstance(tree["claims"], list)


# --- a consistent sentence, reworded ---------------------------------------------------------------

def _digits(number: Decimal, places: int, grouped: bool, wide: bool) -> str:
    text = f"{number:,.{places}f}" if grouped else f"{number:.{places}f}"
    return text.translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，")) if wide else text


@st.composite
def amounts(draw, wan: Decimal, places: int):
    """72.36万元 written as the unit may: 72.36万元, 72.36万, 723600元, 723,600元, ０.７２３６亿元."""
    unit = draw(st.sampled_from(["万元", "万", "元", "亿元"]))
    number = {"万元": wan, "万": wan, "元": wan * 10000, "亿元": wan / 10000}[unit]
    decimals = {"万元": places, "万": places, "元": max(places - 4, 0), "亿元": places + 4}[unit]
    grouped = unit == "元" and draw(st.booleans())
    return _digits(number, decimals, grouped, draw(st.booleans())) + draw(st.sampled_from(["", " "])) + unit


STATEMENTS = {
    "executed": (["全年执行数为", "全年执行", "实际支付", "预算执行数为", "共计支付", "全年实际支出", "执行数"], Decimal("72.36"), 2),
    "budget": (["全年预算数为", "全年预算", "项目资金本年下达", "年度资金总额", "预算资金"], Decimal("80.00"), 2),
    "balance": (["结余", "年底结余", "结转结余"], Decimal("7.64"), 2),
}
BEFORE = ["", "截至2024年12月31日，", "2024年，", "经核实，", "本项目"]
AFTER = ["", "，已按规定使用", "，资金使用合规", "。"]


@st.composite
def consistent_sentences(draw):
    field = draw(st.sampled_from(sorted(STATEMENTS)))
    subjects, wan, places = STATEMENTS[field]
    subject = draw(st.sampled_from(subjects))
    return draw(st.sampled_from(BEFORE)) + subject + draw(amounts(wan, places)) + draw(st.sampled_from(AFTER))


RATES = st.sampled_from(["预算执行率为", "执行率", "资金执行率达到", "预算执行率"]).flatmap(
    lambda s: st.sampled_from(["90.45%", "90.45％", "９０．４５%", "90.45 %"]).map(lambda r: s + r))
INDICATORS = st.sampled_from([
    "维护应急指挥终端120台", "开展应急演练4次", "平台运行正常率达到99.5%", "使用单位满意度为93%", "使用单位满意度达到93%",
    "全年维护应急指挥终端１２０台", "故障响应时间1.5小时",
])


@settings(max_examples=120 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(consistent_sentences(), RATES, INDICATORS), min_size=1, max_size=4),
       st.sampled_from(["，", "；", "。"]))
def test_a_consistent_sentence_reworded_is_never_a_finding(statements, joint):
    text = joint.join(statements) + "。"
    report = Document({"kind": "report", "paragraphs": [text]}, "r.md", kind="report")
    table = Document(TABLE, "t.yaml", kind="project")
    found = [f for f in VALIDATOR.check_documents([report, table])[0].findings if f.pack == "report"]
    assert found == [], (text, [f.message for f in found])


@st.composite
def wrong_sentences(draw):
    """The same sentences with the amount ten times too large or too small: found, every time."""
    field = draw(st.sampled_from(sorted(STATEMENTS)))
    subjects, wan, places = STATEMENTS[field]
    factor = draw(st.sampled_from([Decimal(10), Decimal("0.1")]))
    subject = draw(st.sampled_from(subjects))
    return draw(st.sampled_from(BEFORE)) + subject + draw(amounts(wan * factor, places + 1)) + draw(st.sampled_from(AFTER))


@settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wrong_sentences())
def test_the_same_sentence_ten_times_off_is_found(sentence):
    report = Document({"kind": "report", "paragraphs": [sentence + "。"]}, "r.md", kind="report")
    table = Document(TABLE, "t.yaml", kind="project")
    found = [f for f in VALIDATOR.check_documents([report, table])[0].findings if f.pack == "report"]
    assert [f.rule for f in found] == ["RP001"], sentence
    assert "10 的整数次方倍" in found[0].message
