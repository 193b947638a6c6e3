"""Reports are files too: .docx, .pdf, .txt and .md read into paragraphs (with their
number, page and heading level) and tables (as grids with merges), within the limits;
each is a report document (kind report), and the tables inside it the documents the
kinds recognize."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from validator import Validator
from validator.errors import InputError
from validator.limits import Limits
from validator.read import SUPPORTED_SUFFIXES, TextDocument, read_file

FIXTURES = ROOT / "tests" / "fixtures"
DOCX = FIXTURES / "report.docx"
PDF = FIXTURES / "report.pdf"


def box(grid, row, col):
    merge = grid.merge_at(row, col)
    return None if merge is None else (merge.min_row, merge.min_col, merge.max_row, merge.max_col)


def test_the_one_list_of_what_selfeval_reads():
    assert SUPPORTED_SUFFIXES == {".yaml", ".yml", ".json", ".xlsx", ".xlsm", ".xls", ".docx", ".pdf", ".txt", ".md"}


# --- .docx ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docx_report() -> TextDocument:
    return read_file(DOCX)


def test_docx_paragraphs_in_order_with_heading_levels(docx_report):
    paragraphs = docx_report.paragraphs
    assert [p.index for p in paragraphs] == list(range(1, len(paragraphs) + 1))
    assert all(p.page is None for p in paragraphs)
    assert paragraphs[0].text.startswith("关于鞍山市2024年度") and paragraphs[0].heading == 0  # the title
    by_text = {p.text: p.heading for p in paragraphs}
    assert by_text["一、绩效目标分解下达情况"] == 1  # 标题 1
    assert by_text["（一）中央财政下达转移支付预算和绩效目标情况"] == 2  # 标题 2
    assert by_text["（二）其他资金和绩效目标情况"] == 2  # Normal style, numbered 二级
    assert by_text["二、绩效情况分析"] == 1  # Normal style, numbered 一级
    assert by_text["辽宁省应急管理厅、辽宁省财政厅："] is None
    # a numbered sentence that runs on is body text
    assert by_text["1. 数量指标：建设重点非煤矿山在线监控子系统0个，视频监控点位0个，移动式摄像机0个。"] is None
    assert all(p.text.strip() for p in paragraphs)  # the empty paragraph of the page break is not one


def test_docx_tables_are_grids_with_their_merges_once(docx_report):
    funds, indicators = docx_report.tables
    assert (funds.sheet, indicators.sheet) == ("表1", "表2")
    # each table sits after the paragraph it follows
    assert docx_report.paragraphs[docx_report.table_after[0] - 1].text.startswith("7月省财政厅下达")
    assert docx_report.paragraphs[docx_report.table_after[1] - 1].text == "三、绩效指标完成情况"
    # python-docx repeats a merged cell's text in every cell it covers; the grid holds it once
    assert funds.text(1, 1) == "资金投入情况（万元）" and funds.text(1, 2) is None
    assert box(funds, 1, 2) == (1, 1, 1, 2)  # gridSpan
    assert box(funds, 3, 1) == (2, 1, 4, 1)  # vMerge down three rows
    assert funds.row_cells(2) == [(2, "年度资金总额"), (3, "157"), (4, "0"), (5, "0%")]
    assert indicators.text(2, 1) == "产出指标" and indicators.text(3, 1) is None
    assert box(indicators, 4, 1) == (2, 1, 4, 1) and box(indicators, 3, 2) == (2, 2, 3, 2)
    assert indicators.row_cells(5)[-1] == (5, "95%")


def _docx_with_body(tmp_path: Path, body: str, styles: str = "") -> Path:
    """The fixture report with its body (and optionally extra styles) replaced."""
    out = tmp_path / "custom.docx"
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                start = data.index(b"<w:body>") + len(b"<w:body>")
                end = data.index(b"<w:sectPr")
                data = data[:start] + body.encode() + data[end:]
            elif info.filename == "word/styles.xml" and styles:
                data = data.replace(b"</w:styles>", styles.encode() + b"</w:styles>")
            dst.writestr(info, data)
    return out


def _p(text: str, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _tc(text: str, tcpr: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{tcpr}</w:tcPr>' if tcpr else ''}{_p(text) if text else '<w:p/>'}</w:tc>"


def test_docx_outline_levels_styles_content_controls_and_rows_with_grid_before(tmp_path):
    styles = ('<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="My Heading"/>'
              '<w:basedOn w:val="Heading3"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Outline2"><w:name w:val="节"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>')
    body = (
        _p("用大纲级别标注的标题", '<w:outlineLvl w:val="0"/>')
        + _p("继承标题 3 的样式", '<w:pStyle w:val="MyHeading"/>')
        + _p("样式带大纲级别", '<w:pStyle w:val="Outline2"/>')
        + _p("正文大纲级别 9 不是标题", '<w:outlineLvl w:val="9"/>')
        + _p("自动编号的短标题", '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>')
        + "<w:sdt><w:sdtContent>" + _p("内容控件中的段落") + "</w:sdtContent></w:sdt>"
        + "<w:tbl><w:tr>" + _tc("A") + _tc("B", '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>') + "</w:tr>"
        + '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + _tc("", '<w:gridSpan w:val="2"/><w:vMerge/>') + "</w:tr>"
        + "<w:tr>" + _tc("C") + _tc("D") + _tc("E") + "</w:tr></w:tbl>"
        + _p("表后")
    )
    doc = read_file(_docx_with_body(tmp_path, body, styles))
    assert [(p.text, p.heading) for p in doc.paragraphs] == [
        ("用大纲级别标注的标题", 1), ("继承标题 3 的样式", 3), ("样式带大纲级别", 2), ("正文大纲级别 9 不是标题", None),
        ("自动编号的短标题", 2), ("内容控件中的段落", None), ("表后", None),
    ]
    [grid] = doc.tables
    assert doc.table_after == [6]
    assert grid.texts == {(1, 1): "A", (1, 2): "B", (3, 1): "C", (3, 2): "D", (3, 3): "E"}
    assert box(grid, 2, 3) == (1, 2, 2, 3)  # across two columns and down two rows
    assert box(grid, 3, 2) is None


def test_docx_limits_and_bombs(tmp_path):
    with pytest.raises(InputError, match="text_chars=100"):
        read_file(DOCX, Limits(text_chars=100))
    with pytest.raises(InputError, match="report_size=1 KiB"):
        read_file(DOCX, Limits(report_size=1024))
    padded = tmp_path / "bomb.docx"
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data += b" " * (4 * 2**20)
            dst.writestr(info, data)
    with pytest.raises(InputError) as caught:
        read_file(padded)
    assert "超过限制 xlsx_ratio=100" in caught.value.message and "文档成员 word/document.xml" in caught.value.message
    dtd = tmp_path / "dtd.docx"
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(dtd, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY a "aaaa">]>', 1)
            dst.writestr(info, data)
    with pytest.raises(InputError, match="DTD/实体声明"):
        read_file(dtd)


@pytest.mark.parametrize("name, content, needle", [
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Word 文件（.doc），请另存为 .docx"),
    ("text.docx", "自评报告\n".encode(), "不是有效的 .docx"),
    ("book.docx", (ROOT / "samples" / "anshan-2024-transfer.xlsx").read_bytes(), "文件是工作簿"),
    ("empty.docx", b"", "文件为空"),
    ("cut.docx", DOCX.read_bytes()[:5000], "已损坏或不完整"),
])
def test_docx_that_cannot_be_read_is_one_line(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert needle in caught.value.message and str(path) in caught.value.message
    assert "\n" not in caught.value.message and "\n" not in caught.value.message_en


# --- .pdf -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf_report() -> TextDocument:
    return read_file(PDF)


def test_pdf_paragraphs_are_the_reports_with_their_pages(pdf_report, docx_report):
    got = [p.text for p in pdf_report.paragraphs]
    wanted = [p.text for p in docx_report.paragraphs]
    # every paragraph character for character, no space between 2024 and 年, none split
    # at a line end; only the title, set in a large font with wide spacing, differs
    assert got[1:] == wanted[1:]
    assert got[0].replace(" ", "") == wanted[0]
    pages = {p.text: p.page for p in pdf_report.paragraphs}
    assert pages["辽宁省应急管理厅、辽宁省财政厅："] == 1
    assert pages["三、绩效指标完成情况"] == 4
    assert all(p.heading is None for p in pdf_report.paragraphs)
    assert pdf_report.notices == []


def test_pdf_tables_with_merged_cells(pdf_report):
    funds, indicators = pdf_report.tables
    assert (funds.sheet, indicators.sheet) == ("第1页表1", "第4页表1")
    assert pdf_report.paragraphs[pdf_report.table_after[0] - 1].text.startswith("7月省财政厅下达")
    assert funds.text(1, 1) == "资金投入情况（万元）" and box(funds, 1, 2) == (1, 1, 1, 2)
    assert box(funds, 4, 1) == (2, 1, 4, 1)
    assert funds.row_cells(3) == [(2, "其中：中央补助"), (3, "94"), (4, "0"), (5, "0%")]
    assert box(indicators, 3, 1) == (2, 1, 4, 1) and indicators.text(2, 4) == "≥1个"
    # the table's text is not also read as paragraphs
    assert not any("年度资金总额" in p.text for p in pdf_report.paragraphs)


def test_scanned_pdf_is_a_notice_not_an_error():
    doc = read_file(FIXTURES / "scanned.pdf")
    assert doc.paragraphs == [] and doc.tables == []
    [notice] = doc.notices
    assert (notice.code, notice.severity) == ("RD001", "info")
    assert "没有文字层" in notice.message and "不进行 OCR" in notice.message
    assert "no text layer" in notice.message_en and "OCR" in notice.message_en


def test_password_protected_pdf_is_one_line():
    with pytest.raises(InputError) as caught:
        read_file(FIXTURES / "locked.pdf")
    assert "PDF 设有打开密码" in caught.value.message and "password-protected" in caught.value.message_en


def minimal_pdf(content: bytes, pages: int = 1, count: int | None = None,
                font: bytes = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>") -> bytes:
    """A small valid PDF whose pages all show `content` (a FlateDecode stream)."""
    stream = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
               + b"] /Count %d >>" % (pages if count is None else count),
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    font_id = 4 + pages
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 %d 0 R >> >> >>" % font_id
                for _ in range(pages)]
    objects.append(font)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def test_minimal_pdf_reads(tmp_path):
    path = tmp_path / "hello.pdf"
    path.write_bytes(minimal_pdf(b"BT /F1 12 Tf 72 700 Td (Self evaluation report) Tj ET"))
    doc = read_file(path)
    assert [(p.text, p.page) for p in doc.paragraphs] == [("Self evaluation report", 1)]


def test_what_pdfminer_repairs_is_not_printed(tmp_path):
    # a font without its bounding box: pdfminer logs a warning and reads on
    path = tmp_path / "font.pdf"
    path.write_bytes(minimal_pdf(b"BT /F1 12 Tf 72 700 Td (Self evaluation) Tj ET", font=(
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Foo /FontDescriptor << /Type /FontDescriptor /FontName /Foo >> >>")))
    proc = run_cli("check", str(path), "--format", "json")
    assert proc.returncode == 0 and proc.stderr == ""
    # read, and alone: nothing to compare it with
    assert [f["rule"] for f in json.loads(proc.stdout)["files"][0]["findings"]] == ["RP011"]


def test_pdf_page_and_character_limits(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(minimal_pdf(b"BT /F1 12 Tf 72 700 Td (page) Tj ET", pages=4))
    assert len(read_file(path).paragraphs) == 4
    with pytest.raises(InputError, match="超过限制 pdf_pages=3"):
        read_file(path, Limits(pdf_pages=3))
    # a page tree that declares a false count is walked, no further than the limit
    lying = tmp_path / "lying.pdf"
    lying.write_bytes(minimal_pdf(b"BT /F1 12 Tf 72 700 Td (page) Tj ET", pages=4, count=-1))
    with pytest.raises(InputError, match="pdf_pages=3"):
        read_file(lying, Limits(pdf_pages=3))
    with pytest.raises(InputError, match="text_chars=50"):
        read_file(PDF, Limits(text_chars=50))


def test_pdf_stream_bomb_is_refused_within_its_budget(tmp_path):
    path = tmp_path / "bomb.pdf"
    # 64 MiB of spaces in a few dozen KiB: pdfminer alone would inflate all of it
    path.write_bytes(minimal_pdf(b"BT /F1 12 Tf 72 700 Td (x) Tj ET" + b" " * (64 * 2**20)))
    assert path.stat().st_size < 200_000
    with pytest.raises(InputError) as caught:
        read_file(path, Limits(xlsx_uncompressed=8 * 2**20))
    assert "超过限制 xlsx_uncompressed=8 MiB" in caught.value.message


@pytest.mark.parametrize("content, needle", [
    (b"", "文件为空"), (b"not a pdf at all", "不是有效的 PDF"), (PDF.read_bytes()[:3000], "已损坏或不完整"),
])
def test_pdf_that_cannot_be_read_is_one_line(tmp_path, content, needle):
    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert needle in caught.value.message and "\n" not in caught.value.message


# --- .txt / .md -----------------------------------------------------------------------------

TEXT = "一、绩效目标\n\n2024年预算157万元，\n执行0万元。\n\n\n二、偏离原因\n设备交付缓慢。\n"


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("gbk", b""), ("gb18030", b"")])
def test_txt_paragraphs_in_any_encoding_yaml_accepts(tmp_path, encoding, prefix):
    path = tmp_path / "报告.txt"
    path.write_bytes(prefix + TEXT.encode(encoding))
    doc = read_file(path)
    assert [(p.text, p.index, p.page, p.heading) for p in doc.paragraphs] == [
        ("一、绩效目标", 1, None, None), ("2024年预算157万元，\n执行0万元。", 2, None, None), ("二、偏离原因\n设备交付缓慢。", 3, None, None)]


def test_markdown_headings(tmp_path):
    path = tmp_path / "报告.md"
    path.write_text("# 绩效自评报告\n前言\n## 一、目标 ##\n正文一\n正文二\n\n```\n# 不是标题\n```\n####### 七个井号是正文\n", "utf-8")
    doc = read_file(path)
    assert [(p.text, p.heading) for p in doc.paragraphs] == [
        ("绩效自评报告", 1), ("前言", None), ("一、目标", 2), ("正文一\n正文二", None),
        ("```\n# 不是标题\n```\n####### 七个井号是正文", None)]


def test_text_report_limits_and_encodings(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("字" * 200, "utf-8")
    with pytest.raises(InputError, match="text_chars=100"):
        read_file(path, Limits(text_chars=100))
    with pytest.raises(InputError, match="file_size=100"):
        read_file(path, Limits(file_size=100))
    path.write_bytes("自评报告 report".encode("utf-16-le"))
    with pytest.raises(InputError, match="不带 BOM 的 UTF-16"):
        read_file(path)


# --- a report in a run ------------------------------------------------------------------------

def test_report_is_a_document_and_its_tables_are_recognized(tmp_path):
    report = Validator().check(DOCX)
    by_path = {fr.path: fr for fr in report.files}
    assert list(by_path) == [str(DOCX), f"{DOCX}#表2"]
    text, table = by_path[str(DOCX)], by_path[f"{DOCX}#表2"]
    assert (text.kind, text.error, table.kind) == ("report", None, "transfer")
    # the indicator table inside the report is the report's only table: figures compared,
    # and they agree (0个, 0%); the funds table is too small to be sure of (KD003)
    assert [f.rule for f in text.findings] == ["KD003"]
    assert {f.rule for f in table.findings} == {"TA001", "FM009"}
    scanned = Validator().check(FIXTURES / "scanned.pdf")
    assert [f.rule for f in scanned.findings] == ["RD001"]  # no text: nothing else to say
    assert Validator(ignore=["RD", "KD"]).check(DOCX).files[0].findings == []


def test_cli_checks_a_folder_of_tables_and_reports(tmp_path):
    for src in (ROOT / "samples" / "anshan-2024-transfer.xlsx", DOCX, PDF):
        (tmp_path / src.name).write_bytes(src.read_bytes())
    proc = run_cli("check", str(tmp_path), "--format", "json", "--lang", "en")
    assert proc.returncode == 1, proc.stderr  # the workbook's defects
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert set(files) == {"anshan-2024-transfer.xlsx", "report.docx", "report.docx#表2", "report.pdf", "report.pdf#第4页表1"}
    # report.docx and report.pdf are one unit's (the same name) and the workbook another's:
    # the two reports see each other's table, two tables of which neither is named
    for name in ("report.docx", "report.pdf"):
        assert [f["rule"] for f in files[name]["findings"]] == ["KD003", "RP011"]
        assert "several tables" in files[name]["findings"][1]["message_en"]
    doc = run_cli("check", str(tmp_path / "x.doc"))
    (tmp_path / "x.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    doc = run_cli("check", str(tmp_path / "x.doc"))
    assert doc.returncode == 2 and "旧版 Word 文档（.doc）" in doc.stderr and doc.stderr.strip().endswith("请另存为 .docx")


def test_convert_writes_what_a_report_was_read_as():
    import yaml

    proc = run_cli("convert", str(DOCX))
    assert proc.returncode == 0, proc.stderr
    report, table = list(yaml.safe_load_all(proc.stdout))
    assert report["kind"] == "report" and report["name"].startswith("关于鞍山市2024年度")
    assert report["year"] == 2024
    assert report["paragraphs"][3] == {"text": "一、绩效目标分解下达情况", "heading": 1}
    assert report["source"]["paragraphs[3]"] == {"paragraph": 4}
    assert table["kind"] == "transfer" and table["indicators"][0]["name"] == "重点非煤矿山在线监控系统"
    # what the reader could not be sure of is said on stderr, one line each
    assert "表1!A1" in proc.stderr
