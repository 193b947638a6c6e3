"""Which library reads a report's PDF: speed, the quality of its Chinese text, tables.

    python benchmarks/pdf_libraries.py [PDF] [--reps N]

Candidates (each only if installed): pdfplumber, pdfminer.six, pypdf, pymupdf. For the
fixture report (tests/fixtures/report.pdf, printed by LibreOffice from report.docx) the
text each extracts is compared with the text the .docx holds:

  * exact: the report's paragraphs found character for character in the extracted text
    (line breaks removed);
  * spaced: paragraphs found only once spaces are ignored: a space the report does not
    have was put in (between "2024" and "年", say);
  * tables: tables found, and the funds table's first rows (merged cells as None);
  * text ms: the time for the text alone, where tables cost extra.

Figures go to stdout; the choice and its reasons are in validator/read/pdf.py."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURES = ROOT / "tests" / "fixtures"


def paragraphs() -> list[str]:
    import docx

    document = docx.Document(FIXTURES / "report.docx")
    return [p.text for p in document.paragraphs if p.text.strip()]


def _pdfplumber(path, tables=True):
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
        found = [t for page in pdf.pages for t in page.extract_tables()] if tables else None
    return pages, found


def _pdfminer(path, tables=True):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    pages = ["".join(el.get_text() for el in page if isinstance(el, LTTextContainer)) for page in extract_pages(path)]
    return pages, None


def _pypdf(path, tables=True):
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages], None


def _pymupdf(path, tables=True):
    import pymupdf

    with pymupdf.open(path) as doc:
        pages = [page.get_text() for page in doc]
        found = [t.extract() for page in doc for t in page.find_tables().tables] if tables else None
    return pages, found


CANDIDATES = {"pdfplumber": _pdfplumber, "pdfminer.six": _pdfminer, "pypdf": _pypdf, "pymupdf": _pymupdf}


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("pdf", nargs="?", type=Path, default=FIXTURES / "report.pdf")
    p.add_argument("--reps", type=int, default=7)
    args = p.parse_args(argv)
    wanted = paragraphs()
    print(f"{args.pdf.name}: load average {os.getloadavg()[0]:.2f}; {len(wanted)} paragraphs in the .docx")
    print(f"{'library':<14} {'ms':>9} {'text ms':>9} {'exact':>7} {'spaced':>7} {'tables':>7}  funds table")
    for name, read in CANDIDATES.items():
        try:
            read(args.pdf)
        except ImportError:
            print(f"{name:<14} not installed")
            continue
        samples, text_only = [], []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            pages, tables = read(args.pdf)
            samples.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            read(args.pdf, tables=False)
            text_only.append(time.perf_counter() - t0)
        text = "".join(pages).replace("\n", "")
        exact = sum(w in text for w in wanted)
        loose = sum(w.replace(" ", "") in text.replace(" ", "") for w in wanted)
        funds = next((t for t in tables or [] if t and t[0] and "资金投入情况（万元）" in (t[0][0] or "")), None)
        print(f"{name:<14} {statistics.median(samples) * 1000:9.1f} {statistics.median(text_only) * 1000:9.1f} "
              f"{exact:>3}/{len(wanted):<3} {loose - exact:>7} {'-' if tables is None else len(tables):>7}  {funds[:2] if funds else '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
