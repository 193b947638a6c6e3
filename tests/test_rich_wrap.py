"""Chinese messages wrap like Chinese text: at character boundaries, numbers whole, and
no line opening with closing punctuation."""

from __future__ import annotations

from rich.text import Text

from validator.report.rich_report import _wrap_cjk


def lines(text: str, width: int) -> list[str]:
    return [line.plain for line in _wrap_cjk(Text(text), width)]


def test_fills_lines_instead_of_breaking_at_the_space():
    msg = "预算执行率仅 0.00%，但偏差原因、资金管理“存在问题和改进措施”和报告中都没有说明"
    out = lines(msg, 40)
    assert out[0].startswith("预算执行率仅 0.00%，但偏差原因")
    assert "".join(out).replace(" ", "") == msg.replace(" ", "")
    assert all(len(line) <= 40 for line in out)


def test_numbers_and_codes_stay_whole():
    msg = "其他资金执行率填报为 4.33%，按 226.60 ÷ 238.17 计算为 95.14%，应为 95.14%（允许误差 ±0.0091%）"
    for width in range(20, 60):
        out = lines(msg, width)
        for token in ("4.33%", "226.60", "238.17", "95.14%", "±0.0091%"):
            assert any(token in line for line in out), (width, token)


def test_no_line_starts_with_closing_punctuation():
    msg = "建议：尚未建成时联网在线率填“/”或 0%，列为未完成并说明原因和预计完成时间。"
    for width in range(12, 70):
        assert not any(line[:1] in "。，、；：）”" for line in lines(msg, width)), width


def test_a_number_and_its_unit_stay_on_one_line():
    msg = "资金总额年初预算数为 5283.17 万元，各来源合计 5238.17万元，救助标准 20 元/人/天，覆盖 1,200 人次，检查 2 个文件"
    for width in range(12, 60):  # 12: the widest of them
        out = lines(msg, width)
        for token in ("5283.17 万元", "5238.17万元", "20 元/人/天", "1,200 人次", "2 个"):
            assert any(token in line for line in out), (width, token, out)


def test_a_number_before_ordinary_words_may_still_break():
    # 计算 is no unit: the line may break after the number.
    out = lines("合计 157 计算为 160", 8)
    assert "".join(out).replace(" ", "") == "合计157计算为160"
