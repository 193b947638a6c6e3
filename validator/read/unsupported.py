"""Why a file found in a folder is not checked: said in words a filing clerk can act on
("save it as .xlsx"), never a silent skip. Only files whose suffix is not in
SUPPORTED_SUFFIXES are ever asked about, so a reader added there wins over this table."""

from __future__ import annotations

from pathlib import Path

from validator.read import ARCHIVE_SUFFIXES, SUPPORTED_SUFFIXES

# suffix → (what it is, in Chinese and English; the format to save it as, if any)
_KNOWN: dict[str, tuple[str, str, str | None]] = {
    ".doc": ("旧版 Word 文档", "an old Word document", ".docx"),
    ".docx": ("Word 文档", "a Word document", None),
    ".wps": ("WPS 文字文档", "a WPS Writer document", ".docx"),
    ".rtf": ("RTF 文档", "an RTF document", ".docx"),
    ".odt": ("OpenDocument 文字文档", "an OpenDocument text", ".docx"),
    ".xls": ("旧版 Excel 工作簿", "an old Excel workbook", ".xlsx"),
    ".xlsb": ("Excel 二进制工作簿", "an Excel binary workbook", ".xlsx"),
    ".xltx": ("Excel 模板", "an Excel template", ".xlsx"),
    ".xltm": ("Excel 模板", "an Excel template", ".xlsx"),
    ".et": ("WPS 表格", "a WPS Spreadsheets file", ".xlsx"),
    ".ett": ("WPS 表格模板", "a WPS Spreadsheets template", ".xlsx"),
    ".ods": ("OpenDocument 表格", "an OpenDocument spreadsheet", ".xlsx"),
    ".numbers": ("Numbers 表格", "a Numbers spreadsheet", ".xlsx"),
    ".csv": ("CSV 文件（没有合并单元格和表头结构）", "a CSV file (no merged cells or header structure)", ".xlsx"),
    ".tsv": ("制表符分隔的文本", "a tab-separated text", ".xlsx"),
    ".pdf": ("PDF 文档", "a PDF document", None),
    ".ofd": ("OFD 版式文档", "an OFD document", None),
    ".txt": ("纯文本文件", "a plain text file", None),
    ".md": ("Markdown 文本", "a Markdown text", None),
    ".rar": ("压缩包（请先解压）", "an archive (extract it first)", None),
    ".7z": ("压缩包（请先解压）", "an archive (extract it first)", None),
    ".png": ("图片", "an image", None),
    ".jpg": ("图片", "an image", None),
    ".jpeg": ("图片", "an image", None),
}


def supported_list() -> str:
    return " ".join(sorted(SUPPORTED_SUFFIXES | ARCHIVE_SUFFIXES))


def reason(path: Path) -> tuple[str, str]:
    """(Chinese, English) reason a file of this type is not checked."""
    suffix = path.suffix.lower()
    known = _KNOWN.get(suffix)
    if known is not None:
        what_zh, what_en, save_as = known
        if save_as is not None and save_as in SUPPORTED_SUFFIXES:
            return (f"不支持的文件类型：{what_zh}（{suffix}），请另存为 {save_as}",
                    f"unsupported file type: {what_en} ({suffix}); save it as {save_as}")
        return (f"不支持的文件类型：{what_zh}（{suffix}）（支持 {supported_list()}）",
                f"unsupported file type: {what_en} ({suffix}) (supported: {supported_list()})")
    if not suffix:
        return (f"不支持的文件类型：没有扩展名（支持 {supported_list()}）",
                f"unsupported file type: no file extension (supported: {supported_list()})")
    return (f"不支持的文件类型“{suffix}”（支持 {supported_list()}）",
            f"unsupported file type '{suffix}' (supported: {supported_list()})")


def readme_reason(name: str) -> tuple[str, str] | None:
    """Why a folder's README (README.md, readme.txt) is listed and not read: it describes the
    folder, it is not a filed document. None for any other name."""
    if Path(name).stem.casefold() != "readme":
        return None
    return ("目录的说明文件（README），不是报送材料", "the folder's README, not a filed document")
