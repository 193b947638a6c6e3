"""Reading workbooks, side by side in one run (section w of benchmarks/run.py):

  * openpyxl: the reader selfeval used before (benchmarks/xlsx_openpyxl.py: a full
    openpyxl load, then texts and merges);
  * stream: selfeval's reader (validator/read/xlsx.py: expat over the package parts);
  * calamine: python-calamine's values and merged ranges alone — a floor, not an
    alternative: it drops error cells (#DIV/0! reads as ''), number formats (13.6 under
    0.00 reads 13.6) and cannot tell a formula without a cached value.

and then the other files a unit files, through read_file: the sample as .xls, and the
fixture report as .docx and .pdf (tests/fixtures/).

Before timing, the stream reader must read every workbook exactly as openpyxl does
(texts and merges); otherwise the run stops with exit code 3.

    python benchmarks/run.py --workbooks [--quick]     # this section alone
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import xlsx_openpyxl  # noqa: E402

from validator.read.xlsx import read_workbook  # noqa: E402

SAMPLES = sorted((ROOT / "samples").glob("*.xlsx"))
FIXTURES = ROOT / "tests" / "fixtures"
OTHER_FILES = [FIXTURES / "anshan-2024-transfer.xls", FIXTURES / "report.docx", FIXTURES / "report.pdf"]


def _stats(samples: list[float]) -> dict[str, Any]:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "samples": samples}


def time_per_call(fn, reps: int, inner: int) -> dict[str, Any]:
    """Seconds per call: `reps` samples, each the mean of `inner` calls."""
    fn()
    samples = []
    for _ in range(reps):
        gc.collect()
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner)
    return _stats(samples)


def large_workbook(folder: Path, rows: int) -> Path:
    """A 自评表 with `rows` indicator rows: how reading grows with the table."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = "自评表"
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "未完成原因"])
    for i in range(rows):
        ws.append(["产出指标", "数量指标", f"指标{i}", f"≥{i % 50 + 1}个", i % 50 + 1, 1, 0.95, None])
        ws.cell(row=i + 2, column=7).number_format = "0.00"
    for start in range(2, rows + 2, 50):
        ws.merge_cells(start_row=start, start_column=1, end_row=min(start + 49, rows + 1), end_column=1)
    path = folder / f"large-{rows}.xlsx"
    workbook.save(path)
    return path


def _same(path: Path) -> str | None:
    old = xlsx_openpyxl.read_sheets(path)
    new = read_workbook(path).sheets
    if [g.sheet for g in new] != [name for name, _, _ in old]:
        return f"{path.name}: sheet names differ"
    for grid, (name, texts, merges) in zip(new, old):
        if grid.texts != texts:
            diff = sorted(set(grid.texts.items()) ^ set(texts.items()))[:3]
            return f"{path.name}!{name}: texts differ, e.g. {diff}"
        for (row, col), box in merges.items():
            merge = grid.merge_at(row, col)
            if merge is None or (merge.min_row, merge.min_col, merge.max_row, merge.max_col) != box:
                return f"{path.name}!{name}: merge at {row},{col} differs"
    return None


def section(results: dict, quick: bool, problems: list[str]) -> None:
    reps, inner = (5, 20) if quick else (9, 40)
    figures = results.setdefault("figures", {})
    rows = []
    with tempfile.TemporaryDirectory(prefix="selfeval-wb-") as tmp:
        files = list(SAMPLES) + [large_workbook(Path(tmp), 2_000)]
        for path in files:
            problem = _same(path)
            if problem:
                problems.append(problem)
        if problems:
            return
        try:
            import python_calamine
        except ImportError:
            python_calamine = None
            results.setdefault("not_measured", []).append("calamine floor: python-calamine not installed")

        def calamine(path):
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                sheet = book.get_sheet_by_name(name)
                sheet.to_python()
                sheet.merged_cell_ranges
            book.close()

        for path in files:
            large = path.name.startswith("large")
            n = max(2, inner // 20) if large else inner
            key = path.stem
            row = {"file": path.name, "bytes": path.stat().st_size}
            figures[f"wb_openpyxl_{key}"] = time_per_call(lambda: xlsx_openpyxl.read_sheets(path), reps, max(1, n // 4))
            figures[f"wb_stream_{key}"] = time_per_call(lambda: read_workbook(path), reps, n)
            if python_calamine is not None:
                figures[f"wb_calamine_{key}"] = time_per_call(lambda: calamine(path), reps, n)
            row.update({k: figures[f"wb_{k}_{key}"]["median"] for k in ("openpyxl", "stream", "calamine")
                        if f"wb_{k}_{key}" in figures})
            rows.append(row)
    results["workbooks"] = rows
    # the other files a unit files, read by read_file: old Excel, Word and PDF reports
    from validator.read import read_file

    others = []
    for path in OTHER_FILES:
        if path.exists():
            key = f"read_{path.suffix.lstrip('.')}_{path.stem}"
            figures[key] = time_per_call(lambda: read_file(path), reps, max(2, inner // 4))
            others.append({"file": path.name, "bytes": path.stat().st_size, "key": key})
    results["other_files"] = others
    samples = [figures[f"wb_stream_{p.stem}"]["median"] for p in SAMPLES]
    results.setdefault("figures", {})["wb_stream_sample_max"] = _stats([max(samples)])


def print_section(results: dict, say=print) -> None:
    rows = results.get("workbooks")
    if not rows:
        return
    figures = results["figures"]
    say("\n[w] reading a workbook in-process, ms per file: median [min – max]")
    say(f"  {'file':<40} {'KiB':>6} {'openpyxl (old)':>22} {'stream (new)':>22} {'speed-up':>9} {'calamine floor':>22}")
    for row in rows:
        key = Path(row["file"]).stem

        def cell(kind):
            f = figures.get(f"wb_{kind}_{key}")
            return f"{f['median'] * 1000:8.2f} [{f['min'] * 1000:.2f}–{f['max'] * 1000:.2f}]" if f else "-"

        speedup = row["openpyxl"] / row["stream"]
        say(f"  {row['file']:<40} {row['bytes'] / 1024:6.1f} {cell('openpyxl'):>22} {cell('stream'):>22} {speedup:8.1f}× {cell('calamine'):>22}")
    if results.get("other_files"):
        say("  other files a unit files (validator.read.read_file), ms per file:")
        for row in results["other_files"]:
            f = figures[row["key"]]
            say(f"  {row['file']:<40} {row['bytes'] / 1024:6.1f} {f['median'] * 1000:8.2f} [{f['min'] * 1000:.2f}–{f['max'] * 1000:.2f}]")


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import os

    p = argparse.ArgumentParser(description="workbook reading: old and new reader side by side")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--out", type=Path, default=HERE / "results-workbooks.json")
    args = p.parse_args(argv)
    results: dict = {"meta": {"load_average_start": list(os.getloadavg())}, "figures": {}}
    problems: list[str] = []
    section(results, args.quick, problems)
    if problems:
        print("\nDISAGREEMENT — the stream reader does not read as openpyxl did:", file=sys.stderr)
        for line in problems:
            print("  " + line, file=sys.stderr)
        return 3
    results["meta"]["load_average_end"] = list(os.getloadavg())
    print(f"load average (1 min): {results['meta']['load_average_start'][0]:.2f} before, "
          f"{results['meta']['load_average_end'][0]:.2f} after")
    print_section(results)
    args.out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
