"""The HTML report in a real browser: headless Chromium loads a report of a bundled sample
from a file:// address, and what it builds (its DOM, a screenshot, a printed PDF) holds the
flagged cell, the picture is not blank, and the printout unfolds every file."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest

from conftest import SAMPLES, run_cli
from test_html_report import by_id, dom

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"))
                 if p is not None), None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no headless browser: install Debian's chromium (apt-get install chromium fonts-noto-cjk); .ci/run does")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    # A profile of its own, so that nothing of the machine's browser is read or changed;
    # no sandbox, which needs privileges a test run (often root in a container) lacks; no
    # /dev/shm, which a container may keep too small for a page.
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=180,  # a hang guard, not a measure
    )


def html_report(tmp_path: Path, *paths: str) -> Path:
    out = tmp_path / "报告.html"
    proc = run_cli("check", *paths, "--format", "html", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    return out


def test_browser_dom_holds_the_highlighted_cell(tmp_path):
    page = html_report(tmp_path, str(SAMPLES / "anshan-2024-transfer.xlsx"))
    proc = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert proc.returncode == 0, proc.stderr
    root = dom(proc.stdout)
    ids = by_id(root)
    flagged = [td for td in root.find_all("td") if "flag" in td.classes]
    cell = next(td for td in flagged if [a.text() for a in td.find_all("a")] == ["EX007"])
    assert cell.classes == {"num", "flag", "warning"} and cell.text() == "0EX007"
    assert cell.parent.children[0].text() == "8"
    finding = ids[cell.find_all("a")[0].attrs["href"].removeprefix("#")]
    assert "自评表!D8" in finding.text() and "预算执行率仅 0.00%" in finding.text()
    # The browser built no element from submission text: no script, no image, nothing loaded.
    assert not root.find_all("script") and not root.find_all("img")


def _png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) scanlines of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def test_browser_screenshot_is_not_blank(tmp_path):
    page = html_report(tmp_path, str(SAMPLES / "anshan-2024-transfer.xlsx"))
    shot = tmp_path / "shot.png"
    proc = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2400", page.as_uri())
    assert proc.returncode == 0 and shot.is_file(), proc.stderr
    width, height, raw = _png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 2400)
    # A blank page compresses to a handful of distinct bytes; text, tables and the
    # highlighted cells give many.
    assert len(set(raw)) > 64


def test_printing_unfolds_every_file_and_starts_each_on_a_page(tmp_path):
    import pdfplumber

    folder = tmp_path / "batch"
    folder.mkdir()
    for n in range(11):  # more than FOLD_AFTER: every file is folded on screen
        shutil.copy(SAMPLES / "anshan-2024-transfer.xlsx", folder / f"单位{n:02d}.xlsx")
    page = html_report(tmp_path, str(folder))
    assert page.read_text(encoding="utf-8").count('<details class="file" id=') == 11
    assert "<details class=\"file\" id=\"file-1\" open>" not in page.read_text(encoding="utf-8")
    pdf = tmp_path / "printed.pdf"
    proc = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert proc.returncode == 0 and pdf.is_file(), proc.stderr
    with pdfplumber.open(pdf) as doc:
        # NFKC: the CJK font maps some characters to their Kangxi radical forms (⾃ for 自).
        pages = [unicodedata.normalize("NFKC", p.extract_text() or "") for p in doc.pages]

    def heading(n: int) -> re.Pattern:
        return re.compile(rf"单位{n:02d}\.xlsx \S 未通过")

    firsts = [next((i for i, text in enumerate(pages) if heading(n).search(text)), None) for n in range(11)]
    # Each file starts on a page of its own, after the summary's.
    assert None not in firsts and len(set(firsts)) == 11 and min(firsts) >= 1, firsts
    assert all(heading(n).match(pages[firsts[n]].split("\n")[0].split("/")[-1]) for n in range(11))
    # What is folded on screen is printed: the last file's findings and its grid.
    last = "\n".join(pages[firsts[10]:])
    assert "自评表!D8" in last and "预算执行率仅 0.00%" in last and "年度资金总额" in last
