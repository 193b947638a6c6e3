"""Old Excel (.xls): the sample workbooks as LibreOffice saves them read exactly as the
.xlsx do; number formats, error cells, dates and merges survive; a renamed or
password-protected file is one line; the limits hold before xlrd builds anything."""

from __future__ import annotations

import datetime as dt
import struct

import pytest

from validator import Validator
from validator.errors import InputError
from validator.limits import Limits
from validator.read import Workbook, read_file
from validator.submission import load_documents

from . import build

FIXTURES = build.ROOT / "tests" / "fixtures"
SAMPLES = build.ROOT / "samples"


@pytest.mark.parametrize("stem", ["anshan-2024-transfer", "quxian-2024-monitoring-center", "quxian-2024-experts"])
def test_libreoffice_xls_reads_as_the_xlsx(stem):
    [old] = load_documents(FIXTURES / f"{stem}.xls")
    [new] = load_documents(SAMPLES / f"{stem}.xlsx")
    assert old.data == new.data  # values, printed precision and sheet!cell sources
    assert old.notices == []


def test_xls_findings_match_the_xlsx():
    v = Validator()
    key = lambda r: sorted((f.rule, f.location.path, f.location.cell, f.message) for f in r.findings)  # noqa: E731
    assert key(v.check(FIXTURES / "anshan-2024-transfer.xls")) == key(v.check(SAMPLES / "anshan-2024-transfer.xlsx"))


def test_formats_errors_dates_and_merges(tmp_path):
    spec = {"sheets": [{"name": "自评表", "rows": [
        ["标题", None, None],
        [(13.6, "0.00"), (0.9, "0.00%"), (0.37649, "0.00%")],
        ["#DIV/0!", "#N/A", (dt.date(2024, 12, 30), "yyyy-mm-dd")],
        [157, True, "  满意 "],
        [(1234.5, "#,##0.00"), (5, '0"家"'), (dt.date(2024, 12, 1), 'yyyy"年"m"月"')],
    ], "merges": ["A1:C1"]}]}
    path = build.write_xls(tmp_path, "t.xls", spec)
    book = read_file(path)
    assert isinstance(book, Workbook) and book.notices == []
    [grid] = book.sheets
    assert grid.sheet == "自评表"
    assert grid.texts == {
        (1, 1): "标题",
        (2, 1): "13.60", (2, 2): "90.00%", (2, 3): "37.65%",
        (3, 1): "#DIV/0!", (3, 2): "#N/A", (3, 3): "2024年12月30日",
        (4, 1): "157", (4, 2): "TRUE", (4, 3): "满意",
        (5, 1): "1234.50", (5, 2): "5家", (5, 3): "2024年12月",
    }
    merge = grid.merge_at(1, 3)
    assert (merge.min_row, merge.min_col, merge.max_row, merge.max_col) == (1, 1, 1, 3)
    assert grid.merge_at(2, 1) is None


def test_error_cell_in_an_xls_is_reported_as_an_error_value(tmp_path):
    spec = build.anshan()
    build.set_cell(build.sheet(spec), "F9", "#DIV/0!")
    report = Validator().check(build.write_xls(tmp_path, "div.xls", spec))
    hits = [f for f in report.findings if f.rule == "FM001"]
    assert hits and hits[0].location.cell == "F9" and hits[0].location.sheet == "自评表"


def test_xlsx_renamed_xls_is_one_line(tmp_path):
    path = tmp_path / "renamed.xls"
    path.write_bytes((SAMPLES / "anshan-2024-transfer.xlsx").read_bytes())
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert "请把扩展名改为 .xlsx" in caught.value.message and "rename it to .xlsx" in caught.value.message_en


def test_xls_renamed_xlsx_is_one_line(tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes((FIXTURES / "anshan-2024-transfer.xls").read_bytes())
    with pytest.raises(InputError) as caught:
        load_documents(path)
    assert "旧版 Excel（.xls）" in caught.value.message and "rename it to .xls" in caught.value.message_en
    assert "\n" not in caught.value.message


def test_text_renamed_xls_is_one_line(tmp_path):
    path = tmp_path / "notes.xls"
    path.write_text("项目名称\t监测监控中心\n", "utf-8")
    with pytest.raises(InputError, match="不是有效的 .xls"):
        read_file(path)


def _with_filepass(data: bytes) -> bytes:
    """The workbook with a FILEPASS record after its BOF, as Excel writes a password-
    protected .xls (RC4: the record only has to be there for a reader to refuse)."""
    from xlrd.compdoc import CompDoc

    stream = bytes(CompDoc(data).get_named_stream("Workbook"))
    kind, size = struct.unpack_from("<HH", stream, 0)
    assert kind == 0x0809  # BOF
    filepass = struct.pack("<HHHHH", 0x002F, 6, 1, 1, 1)
    patched = stream[:4 + size] + filepass + stream[4 + size:]
    # the stream keeps its length in the container: write it back over the same sectors
    return data.replace(stream, patched[:len(stream)], 1)


def test_password_protected_xls_is_one_line(tmp_path):
    path = tmp_path / "locked.xls"
    path.write_bytes(_with_filepass((FIXTURES / "anshan-2024-transfer.xls").read_bytes()))
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert "设有打开密码" in caught.value.message and "password-protected" in caught.value.message_en


def test_truncated_xls_is_damaged(tmp_path):
    data = (FIXTURES / "anshan-2024-transfer.xls").read_bytes()
    path = tmp_path / "cut.xls"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="已损坏|不是 Excel 工作簿"):
        read_file(path)


def test_xls_limits_hold_before_reading(tmp_path):
    path = FIXTURES / "anshan-2024-transfer.xls"
    with pytest.raises(InputError, match="cells=10"):
        read_file(path, Limits(cells=10))
    with pytest.raises(InputError, match="xlsx_size=1 KiB"):
        read_file(path, Limits(xlsx_size=1024))
    spec = {"sheets": [{"name": f"S{i}", "rows": [["x"]], "merges": []} for i in range(3)]}
    with pytest.raises(InputError, match="sheets=2"):
        read_file(build.write_xls(tmp_path, "three.xls", spec), Limits(sheets=2))
    # a merged range counts every cell it covers
    big = {"sheets": [{"name": "S", "rows": [["x"]], "merges": ["A1:IV60000"]}]}
    with pytest.raises(InputError, match="cells=2,000,000"):
        read_file(build.write_xls(tmp_path, "merge.xls", big))


def test_doc_is_refused_with_one_line(tmp_path):
    path = tmp_path / "报告.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputError) as caught:
        read_file(path)
    assert caught.value.message == f"{path}: 旧版 Word 文件（.doc），请另存为 .docx"


def test_formats_that_cannot_be_read_fall_back_to_the_digits_stored(tmp_path, monkeypatch):
    from validator.read import xls

    spec = {"sheets": [{"name": "S", "rows": [[(13.6, "0.00"), (0.9, "0.00%"), "#DIV/0!"]], "merges": []}]}
    path = build.write_xls(tmp_path, "f.xls", spec)
    opened = xls._open

    def format_table_broken(data, formats):
        if formats:  # as xlrd fails on a format table it cannot parse
            raise IndexError("format table")
        return opened(data, formats)

    monkeypatch.setattr(xls, "_open", format_table_broken)
    book = read_file(path)
    assert book.sheets[0].texts == {(1, 1): "13.6", (1, 2): "0.9", (1, 3): "#DIV/0!"}
    [notice] = book.notices
    assert (notice.code, notice.severity) == ("XL004", "info")
    assert "数字格式无法读取" in notice.message and "number formats" in notice.message_en
    # the notice reaches the report as a finding
    [loaded] = load_documents(build.write_xls(tmp_path, "a.xls", build.anshan()))
    assert loaded.notices and loaded.notices[0].code == "XL004"
