"""The limit check counts sheets, cells and the cells merged ranges cover while the
archive streams. Its counting is written for speed; it must count exactly what the plain
patterns (xlsx._CELL_TAG, _SHEET_TAG, _MERGE_REF over the whole piece) count."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from validator.limits import Limits
from validator.read import archive
from validator.read import xlsx

ROOT = Path(__file__).resolve().parents[2]


def _reference(chunk: bytes) -> tuple[int, int]:
    sheets = len(xlsx._SHEET_TAG.findall(chunk))
    cells = len(xlsx._CELL_TAG.findall(chunk))
    for ref in xlsx._MERGE_REF.findall(chunk):
        merge = xlsx.parse_range(ref.decode("ascii", "replace"))
        cells += merge.size if merge else 1
    return sheets, cells


def _counted(chunk: bytes) -> tuple[int, int]:
    counter = xlsx._Counter("x.xlsx", Limits())
    counter("part.xml", chunk)
    return counter.sheets, counter.cells


# Pieces of sheet and workbook XML, with and without namespace prefixes, and near misses.
_PIECES = [b"<c r=\"A1\" s=\"1\"/>", b"<c>", b"<c\t", b"<c\n", b"<c/>", b"<x:c r=\"B2\">", b"<ns1.a-b:c ", b"<col ",
           b"<cols>", b"<cfRule ", b"<sheet name=\"a\"/>", b"<x:sheet ", b"<sheetData>", b"<sheets>", b"<c:c ",
           b"<mergeCells count=\"2\">", b"<mergeCell ref=\"A1:B2\"/>", b"<x:mergeCell ref='C3:D9'/>",
           b"<mergeCell  ref = \"E5\"/>", b"<mergeCell ref=\"junk\"/>", b"<v>1</v>", b"</c>", b"xmlns:c=\"u\"", b":c ",
           b"<", b"c ", b"mergeCell", b"<a:clr>", b" ", b"<row r=\"3\">"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_the_fast_count_is_the_plain_count(pieces):
    chunk = b"".join(pieces)
    assert _counted(chunk) == _reference(chunk)


def test_the_fast_count_is_the_plain_count_on_every_sample_workbook():
    books = sorted((ROOT / "samples").rglob("*.xlsx"))
    assert books
    for book in books:
        with zipfile.ZipFile(book) as z:
            for info in z.infolist():
                with z.open(info) as member:
                    for chunk in archive.tag_chunks(member):
                        assert _counted(chunk) == _reference(chunk), (book.name, info.filename)
