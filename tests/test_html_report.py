"""The HTML report's table grids: the flagged cells drawn where the reader found them,
tied to their findings both ways, submission text escaped, the size capped, and nothing of
it reaching the JSON report."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from conftest import SAMPLES, run_cli
from validator.api import Validator
from validator.check.findings import Finding, Location
from validator.read.grid import Grid, Merge
from validator.report import report as report_module
from validator.report.html_report import to_html
from validator.report.json_report import to_json
from validator.report.report import FileReport, Report, SheetGrid

ANSHAN = SAMPLES / "anshan-2024-transfer.xlsx"
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str) -> list["Node"]:
        return [n for n in self.iter() if n.tag == tag]


class _Dom(HTMLParser):
    """The page as a tree, built the way the HTML parser of a browser sees the markup (no
    guessing from substrings: an escaped `<td>` in text stays text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def dom(page: str) -> Node:
    parser = _Dom()
    parser.feed(page)
    parser.close()
    return parser.root


def by_id(root: Node) -> dict[str, Node]:
    return {n.attrs["id"]: n for n in root.iter() if n.attrs.get("id")}


def checked(path, **kwargs) -> Report:
    return Report(Validator(keep_grids=True).check_file(path, **kwargs))


def test_sample_grid_marks_the_flagged_cell_and_links_both_ways():
    report = checked(ANSHAN)
    fr = report.files[0]
    ex007 = next(f for f in fr.findings if f.rule == "EX007")
    assert (ex007.location.sheet, ex007.location.cell) == ("自评表", "D8")
    root = dom(to_html(report))
    ids = by_id(root)
    flagged = [n for n in root.find_all("td") if "flag" in n.classes]
    # One outlined cell per flagged cell of the sample: D8, F27, C32.
    assert len(flagged) == 3
    cell = next(n for n in flagged if any(a.text() == "EX007" for a in n.find_all("a")))
    assert cell.classes == {"num", "flag", "warning"}
    assert cell.text().startswith("0")  # the text the sheet shows in D8
    # The cell sits in row 8 under column D of its grid.
    row = cell.parent
    assert row.children[0].text() == "8"
    mark = next(a for a in cell.find_all("a") if a.text() == "EX007")
    assert mark.classes == {"mark", "warning"}
    assert "预算执行率仅 0.00%" in mark.attrs["title"]
    finding_row = ids[mark.attrs["href"].removeprefix("#")]
    assert finding_row.tag == "tr" and "自评表!D8" in finding_row.text()
    back = next(a for a in finding_row.find_all("a") if "to-cell" in a.classes)
    assert ids[back.attrs["href"].removeprefix("#")] is cell
    # The error is drawn as an error.
    sp005 = next(n for n in flagged if any(a.text() == "SP005" for a in n.find_all("a")))
    assert "error" in sp005.classes and sp005.text().startswith("90.00%")


def test_merged_cells_are_drawn_merged():
    root = dom(to_html(checked(ANSHAN)))
    grid = next(t for t in root.find_all("table") if "grid" in t.classes)
    title = next(td for td in grid.find_all("td") if td.text().startswith("中央对地方转移支付"))
    assert title.attrs.get("colspan") == "7"  # row 1 spans A:G in the workbook
    first_row = grid.find_all("tr")[1]
    assert [c.tag for c in first_row.children] == ["th", "td"]


def test_english_report_speaks_english_around_the_grid():
    page = to_html(checked(ANSHAN), lang="en")
    assert "The table as read" in page and "show the cell" in page and "Sheet: 自评表" in page
    assert "表格（按读取所见）" not in page and "查看单元格" not in page


def _hostile_workbook(tmp_path, text: str):
    from openpyxl import load_workbook

    book = load_workbook(ANSHAN)
    sheet = book["自评表"]
    sheet["D8"] = text  # a flagged cell (EX007 and more, once it is no number)
    sheet["C10"] = text
    path = tmp_path / "hostile.xlsx"
    book.save(path)
    return path


def test_hostile_cell_text_is_escaped(tmp_path):
    hostile = '<script>alert("x")</script>"\u202e<img src=x onerror=1>&amp;'
    report = checked(_hostile_workbook(tmp_path, hostile))
    page = to_html(report)
    assert "<script" not in page and "<img" not in page and "\u202e" not in page
    root = dom(page)
    assert not root.find_all("script") and not root.find_all("img")
    grid = next(t for t in root.find_all("table") if "grid" in t.classes)
    cells = [td for td in grid.find_all("td") if "alert" in td.text()]
    assert len(cells) == 2  # D8 and C10
    # Quoted in findings too, as text.
    assert any("填写的是“<script>" in tr.text() for tr in root.find_all("tr"))
    for td in cells:
        # The browser shows the text as written, the override as an escape.
        assert td.text().startswith('<script>alert("x")</script>"\\u202e<img src=x onerror=1>&amp;')
    # A mark's title quotes the text too, and its quote cannot end the attribute.
    for a in root.find_all("a"):
        assert set(a.attrs) <= {"class", "href", "title"}


def test_control_characters_in_a_cell_are_shown_as_escapes():
    evil = "a\x00b\x1b[31mc\x07\u2066d\"<e>"
    grid = SheetGrid.capture(Grid.build("表\x1b", {(1, 1): evil, (1, 2): "12"}))
    f = Finding(rule="TA001", category="form", severity="error", title="t", message=evil, message_en=evil,
                location=Location("x", evil, "表\x1b", "A1"))
    page = to_html(Report([FileReport("a.xlsx", "project", ["standard"], [f], grids=[grid])]))
    for raw in ("\x00", "\x1b", "\x07", "\u2066", "<e>"):
        assert raw not in page
    root = dom(page)
    cell = next(td for td in root.find_all("td") if "flag" in td.classes)
    assert cell.text().startswith('a\\x00b\\x1b[31mc\\x07\\u2066d"<e>')
    assert "工作表：表\\x1b" in page


def test_the_grid_is_capped_and_says_so():
    texts = {(r, c): f"{r}-{c}" for r in range(1, 50_001) for c in (1, 2, 3)}
    texts.update({(1, c): "x" * 5_000 for c in range(4, 61)})
    grid = Grid.build("大表", texts)
    snap = SheetGrid.capture(grid, include=[(40_000, 2)])
    assert (snap.first_row, snap.last_row) == (1, report_module.GRID_MAX_ROWS)
    assert (snap.first_col, snap.last_col) == (1, report_module.GRID_MAX_COLS)
    assert snap.rows_cut == 50_000 - report_module.GRID_MAX_ROWS
    assert snap.cols_cut == 60 - report_module.GRID_MAX_COLS
    assert max(len(t) for t in snap.cells.values()) == report_module.GRID_MAX_TEXT + 1  # and an ellipsis
    far = Finding(rule="AR001", category="arithmetic", severity="error", title="t", message="m", message_en="m",
                  location=Location("p", "l", "大表", "B40000"))
    page = to_html(Report([FileReport("big.xlsx", "project", [], [far], grids=[snap])]))
    # 50,000 rows of three cells and a row of 5,000-character cells: a page of a few MB at most.
    assert len(page.encode()) < 8_000_000
    assert f"另有 {50_000 - report_module.GRID_MAX_ROWS} 行未显示" in page
    assert f"另有 {60 - report_module.GRID_MAX_COLS} 列未显示" in page
    root = dom(page)
    grid_table = next(t for t in root.find_all("table") if "grid" in t.classes)
    assert len(grid_table.find_all("tr")) == report_module.GRID_MAX_ROWS + 1
    # The finding beyond the cut is listed, with no link to a cell that is not drawn.
    row = next(tr for tr in root.find_all("tr") if "大表!B40000" in tr.text())
    assert not [a for a in row.find_all("a") if "to-cell" in a.classes]


def test_the_cap_applies_when_checking_a_file(monkeypatch):
    monkeypatch.setattr(report_module, "GRID_MAX_ROWS", 10)
    report = checked(ANSHAN)
    (snap,) = report.files[0].grids
    assert (snap.first_row, snap.last_row, snap.rows_cut) == (1, 10, 22)
    root = dom(to_html(report))
    marks = [a.text() for a in root.find_all("a") if "mark" in a.classes]
    assert marks == ["EX007"]  # D8 is drawn; F27 and C32 are cut
    assert "另有 22 行未显示" in root.text()


def test_json_is_the_same_whether_grids_are_kept():
    kept = Report(Validator(keep_grids=True).check_file(ANSHAN))
    plain = Report(Validator().check_file(ANSHAN))
    assert kept.files[0].grids and not plain.files[0].grids
    assert to_json(kept) == to_json(plain)
    assert "cells" not in json.loads(to_json(kept))["files"][0]


def test_cli_json_run_keeps_no_grids(monkeypatch, capsys):
    from validator.cli.main import main

    def refuse(*args, **kwargs):
        raise AssertionError("a json run must not keep grids")

    monkeypatch.setattr(SheetGrid, "capture", refuse)
    code = main(["check", str(ANSHAN), "--format", "json"])
    assert code == 1
    doc = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in doc["files"][0]["findings"]] == ["EX007", "EX004", "SP005"]


def test_cli_html_draws_the_grid_and_states_the_run():
    proc = run_cli("check", str(ANSHAN), "--format", "html", "--jobs", "2")
    assert proc.returncode == 1
    root = dom(proc.stdout)
    marks = sorted(a.text() for a in root.find_all("a") if "mark" in a.classes)
    assert marks == ["EX004", "EX007", "SP005"]
    about = next(n for n in root.iter() if "about" in n.classes).text()
    from validator import __version__

    assert "鞍钢集团矿业有限公司" in about and "2024" in about and __version__ in about
    assert re.search(r"检查时间\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", about)
    assert re.search(r"standard [0-9a-f]{10}", about) and re.search(r"safety-production [0-9a-f]{10}", about)


def test_reports_and_mappings_have_no_grid():
    report = Report(Validator(keep_grids=True).check_file(SAMPLES / "anshan-2024-transfer.yaml"))
    report.files += Validator(keep_grids=True).check_file(next((SAMPLES / "reports").glob("*.docx")))
    assert all(not fr.grids for fr in report.files)
    page = to_html(report)
    assert 'class="grid"' not in page and "表格（按读取所见）" not in page


def test_a_large_batch_folds_its_files_and_a_small_one_does_not():
    fr = Validator().check_file(SAMPLES / "anshan-2024-transfer.yaml")[0]
    small = dom(to_html(Report([fr] * 3)))
    assert all("open" in d.attrs for d in small.find_all("details"))
    large = dom(to_html(Report([fr] * 11)))
    assert large.find_all("details") and all("open" not in d.attrs for d in large.find_all("details"))
    # The summary comes first, outside every fold.
    first = next(n for n in large.iter() if n.tag in ("section", "details"))
    assert "summary" in first.classes


@pytest.mark.parametrize("text, wrapped", [
    ("应为 15个，实际填写 ≥ 12个", ['<span class="n">15个</span>', '<span class="n">≥ 12个</span>']),
    ("年度资金总额应为 157.00，实际填写 150.00。", []),
    ("执行率 71.07%", ['<span class="n">71.07%</span>']),
    ("资金 1,234.5 万元", ['<span class="n">1,234.5 万元</span>']),
])
def test_numbers_with_units_stay_on_one_line(text, wrapped):
    f = Finding(rule="AR001", category="arithmetic", severity="error", title="t", message=text, message_en=text,
                location=Location("p"))
    page = to_html(Report([FileReport("a.yaml", "project", [], [f])]))
    assert re.findall(r'<span class="n">[^<]*</span>', page.split("</header>")[1]) == wrapped


def test_source_date_epoch_makes_two_pages_the_same(tmp_path, monkeypatch):
    """SOURCE_DATE_EPOCH (reproducible-builds.org) stands for the check time: two runs on the
    same files write the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735603200")  # 2024-12-31 00:00 UTC
    pages = [run_cli("check", str(ANSHAN), "--format", "html").stdout for _ in range(2)]
    assert pages[0] == pages[1]
    assert "2024-12-31 00:00:00+00:00" in pages[0]
