"""selfeval's own codes: findings that come from reading, recognizing and waiving rather
than from a rule in a pack. Their titles in both languages live here, once, so a report
in English never shows a Chinese title and a waiver may name any of them."""

from __future__ import annotations

CORE_TITLES: dict[str, tuple[str, str]] = {
    "SC001": ("不符合提交格式", "Does not match the submission format"),
    "SC002": ("未知字段", "Unknown field"),
    "SC003": ("数值超出可计算的范围", "Number beyond the range that can be computed"),
    "SC900": ("格式错误，未执行内容检查", "Format errors: content checks skipped"),
    "XL001": ("工作表中没有可识别的表格", "Sheet without a recognizable table"),
    "XL002": ("公式没有缓存值", "Formula without a cached value"),
    "XL003": ("资金表没有列标题", "Funds block without column headers"),
    "XL004": ("旧版工作簿未保留数字格式", "Old workbook without number formats"),
    "XL007": ("表格中的一块无法读取", "A block of the table could not be read"),
    "KD001": ("表格种类不在检查范围内", "Table of a kind not checked"),
    "KD002": ("表格种类不明确", "Table kind ambiguous"),
    "KD003": ("表格种类识别依据不足", "Table kind weakly recognized"),
    "RD001": ("PDF 页面没有文字层", "PDF pages without a text layer"),
    "RD002": ("报告文字未检查", "Report text not checked"),
    "WV001": ("豁免未匹配任何发现", "Waiver matched no finding"),
    "WV002": ("豁免已过期", "Waiver expired"),
    "WV003": ("豁免所列规则不存在", "Waiver names a rule that does not exist"),
    "WV004": ("豁免文件未按规定命名", "Waiver file not named as one"),
}


def core_title(code: str, lang: str = "zh") -> str | None:
    pair = CORE_TITLES.get(code)
    if pair is None:
        return None
    return pair[0] if lang == "zh" else pair[1]
