"""selfeval benchmark harness: one command, all figures.

    python benchmarks/run.py [--quick] [--out benchmarks/results.json] [--seed 1]

Generates seeded synthetic submissions (benchmarks/generate.py), checks that the
hand-written baseline (benchmarks/baseline.py) and the peer engine (benchmarks/peer.py,
rule-engine) agree with selfeval on every one of them (it stops with exit code 3 and the
differences when they do not), then measures:

  a. in-process per-submission time of the full standard pack and of the benchmark rule
     set, next to the same rules hand-written (floor), every checker timed in turn in
     each repetition (interleaved, so a busy spell hits them all alike)
  b. the benchmark rule set in rule-engine (peer), which has no version of the other rules
  c. end to end from JSON and YAML text, next to json.loads / CSafeLoader alone
  d. CLI wall time for one file next to `python -c pass`
  e. batch throughput with --jobs 1 / --jobs 2, next to a CPU-bound control (one process
     vs two) that says how much of a second core the machine had to give, and peak RSS
     for 100 vs 10,000 files (--quick: 100 vs 1,000)
  f. growth from 10 to 1,000 indicators
  g. 部门决算公开 workbooks: reading, assembling and checking the ten tables as one set
  w. reading workbooks: the old openpyxl reader and the streaming reader side by side
     (benchmarks/workbooks.py; `--workbooks` runs this section alone)

and writes every figure, the targets and a profile of the in-process check to a JSON
file. See benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import baseline
import generate
import workbooks
import yaml

from validator import __version__ as SELFEVAL_VERSION
from validator.api import Validator
from validator.read.text import parse_text

try:
    import peer as peer_module

    PEER_ERROR = None
except ImportError as exc:  # rule-engine not installed
    peer_module = None
    PEER_ERROR = f"{exc} (install the bench extra: pip install '.[bench]')"

SETTINGS = {
    "default": dict(main=200, reps=7, peer_subset=40, peer_reps=3, e2e_reps=5, cli_reps=15,
                    mem_files=(100, 1000, 10000), throughput_files=1000, throughput_reps=2,
                    growth_sizes=(10, 25, 50, 100, 200, 500, 1000), growth_n=8, growth_reps=3, growth_peer_n=2),
    "quick": dict(main=60, reps=5, peer_subset=15, peer_reps=3, e2e_reps=3, cli_reps=9,
                  mem_files=(100, 1000), throughput_files=1000, throughput_reps=1,
                  growth_sizes=(10, 100, 1000), growth_n=4, growth_reps=2, growth_peer_n=1),
}

TARGETS = [
    # (key, description, comparison, threshold)
    ("pack_vs_baseline", "full standard pack ≤ 1.5× hand-written baseline", "<=", 1.5),
    ("bench_vs_baseline", "benchmark rule set ≤ 1.5× its hand-written baseline", "<=", 1.5),
    ("peer_vs_pack", "≥ 100× faster than the peer engine (rule-engine)", ">=", 100.0),
    ("json_e2e_vs_floor", "JSON text → findings ≤ 3× (json.loads + baseline), full pack", "<=", 3.0),
    ("yaml_e2e_vs_loader", "YAML text → findings ≤ 1.3× CSafeLoader alone", "<=", 1.3),
    ("jobs2_speedup", "--jobs 2 ≥ 1.8× --jobs 1 (throughput)", ">=", 1.8),
    ("memory_growth", "peak RSS, large batch ≤ 1.1× 100 files", "<=", 1.1),
    ("cli_one_json_ms", "check one.json --format json ≤ 120 ms wall", "<=", 120.0),
    ("cli_vs_python", "check one.json --format json ≤ 10× python -c pass", "<=", 10.0),
    ("workbook_read_ms", "read a sample workbook ≤ 10 ms in-process (slowest of the samples)", "<=", 10.0),
]


class Disagreement(Exception):
    pass


# --- small helpers ---------------------------------------------------------------------------


def stats(samples: list[float]) -> dict[str, Any]:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "samples": samples}


def interleaved(checkers: list[tuple[str, Callable[[Any], Any], list]], reps: int) -> dict[str, dict[str, Any]]:
    """Per-item time of each checker, one sample per checker per repetition; within a
    repetition every checker runs once, in an order that rotates, so a busy spell of the
    machine falls on all of them rather than on whichever was timed then."""
    samples: dict[str, list[float]] = {name: [] for name, _, _ in checkers}
    for rep in range(reps):
        order = checkers[rep % len(checkers):] + checkers[:rep % len(checkers)]
        for name, fn, items in order:
            gc.collect()
            t0 = time.perf_counter()
            for x in items:
                fn(x)
            samples[name].append((time.perf_counter() - t0) / len(items))
    return {name: stats(v) for name, v in samples.items()}


def _loadavg():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def say(*parts):
    print(*parts, flush=True)


# CLI runs keep their bytecode in a private cache (PYTHONPYCACHEPREFIX), so that they time
# an installed tool (pip writes .pyc files) rather than recompiling every module on each
# start when the environment sets PYTHONDONTWRITEBYTECODE; nothing is written into the
# repository. `cli_one_json_no_pyc` times the recompiling case too.
PYCACHE: dict[str, str] = {}


def child_env(bytecode: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("COLUMNS", None)
    env.setdefault("PYTHONHASHSEED", "0")
    if PYCACHE:
        # The rule-pack cache too is the run's own (the first run fills it, as a user's
        # first check does); `cli_one_json_no_cache` times a start without it.
        env["SELFEVAL_CACHE_DIR"] = PYCACHE["selfeval"]
        env.pop("SELFEVAL_NO_CACHE", None)
        if bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = PYCACHE["warm"]
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            env["PYTHONPYCACHEPREFIX"] = PYCACHE["cold"]
    return env


def cli_help() -> str:
    r = subprocess.run([sys.executable, "-m", "validator", "check", "--help"], cwd=ROOT, env=child_env(),
                       capture_output=True, text=True, timeout=120)
    return r.stdout + r.stderr


def findings_key(findings) -> Counter:
    return Counter((f.rule, f.location.path) for f in findings)


# --- verification ----------------------------------------------------------------------------


def verify(datas: list[dict], names: list[str], v_bench: Validator, peer, problems: list[str], label: str,
           peer_limit: int | None = None, v_full: Validator | None = None) -> dict[str, Any]:
    """selfeval vs baseline (same (rule, path) findings, benchmark set and full pack) and
    vs the peer (same pass/fail) on each submission; the peer's time is returned too."""
    out = {"submissions": len(datas), "baseline_same_findings": 0, "baseline_full_same_findings": 0,
           "peer_checked": 0, "peer_same_pass_fail": 0, "peer_same_findings": 0, "selfeval_fail": 0}
    peer_time = []
    for i, (data, name) in enumerate(zip(datas, names)):
        report = v_bench.check_mapping(data)
        ours = findings_key(report.findings)
        if report.ok != (not ours):
            problems.append(f"{label} {name}: selfeval ok={report.ok} but findings {sorted(ours)}")
        out["selfeval_fail"] += not report.ok
        theirs = Counter(baseline.check_bench(data))
        if theirs == ours:
            out["baseline_same_findings"] += 1
        else:
            problems.append(f"{label} {name}: baseline differs: selfeval only {sorted(ours - theirs)}, "
                            f"baseline only {sorted(theirs - ours)}")
        if v_full is not None:
            full = Counter((f.rule, f.location.path) for f in v_full.check_mapping(data).findings if f.rule in baseline.RULES)
            theirs_full = Counter(baseline.check(data))
            if full == theirs_full:
                out["baseline_full_same_findings"] += 1
            else:
                problems.append(f"{label} {name}: full-pack baseline differs: selfeval only {sorted(full - theirs_full)}, "
                                f"baseline only {sorted(theirs_full - full)}")
        if peer is not None and (peer_limit is None or i < peer_limit):
            t0 = time.perf_counter()
            p = Counter(peer.check(data))
            peer_time.append(time.perf_counter() - t0)
            out["peer_checked"] += 1
            if (not p) == report.ok:
                out["peer_same_pass_fail"] += 1
            else:
                problems.append(f"{label} {name}: peer pass={not p} but selfeval pass={report.ok} "
                                f"(selfeval {sorted(ours)}, peer {sorted(p)})")
            out["peer_same_findings"] += p == ours
    out["peer_seconds"] = peer_time
    return out


def verify_fixtures(v_full: Validator, problems: list[str]) -> dict[str, Any]:
    """The baseline on every fixture case of the standard pack: the same findings of every
    rule it has as selfeval (cases that do not match the schema are selfeval's alone). A
    case that gives the other documents of its submission (`others:`) is checked with them,
    by both: the only place the rules that read across documents have anything to read."""
    import copy

    from validator.packs.fixtures import fixture_files, load_fixture
    from validator.submission import Document

    across = set(baseline.ACROSS_DOCUMENTS)
    out = {"cases": 0, "same": 0, "schema_only": 0, "with_others": 0, "across_findings": 0}
    for rid, path in fixture_files(ROOT / "rules" / "standard").items():
        for case in load_fixture(path)["cases"]:
            data = case.get("submission")
            if not isinstance(data, dict):
                continue
            others = [o for o in case.get("others") or [] if isinstance(o, dict)]
            if others:
                documents = [Document(copy.deepcopy(data), f"{rid}:{case.get('name')}")]
                documents += [Document(copy.deepcopy(o), f"others[{i}]") for i, o in enumerate(others)]
                report = v_full.check_documents(documents)[0]
            else:
                report = v_full.check_mapping(copy.deepcopy(data))
            if any(f.rule.startswith("SC") for f in report.findings):
                out["schema_only"] += 1
                continue
            out["cases"] += 1
            out["with_others"] += bool(others)
            ours = Counter((f.rule, f.location.path) for f in report.findings if f.rule in baseline.RULES)
            theirs = Counter(baseline.check(data, others=others))
            out["across_findings"] += sum(n for (r, _), n in ours.items() if r in across)
            if ours == theirs:
                out["same"] += 1
            else:
                problems.append(f"fixture {rid} '{case.get('name')}': selfeval only {sorted(ours - theirs)}, "
                                f"baseline only {sorted(theirs - ours)}")
    return out


# --- sections --------------------------------------------------------------------------------


def make_set(count: int, seed: int, indicators, kind=None) -> tuple[list[dict], list[list[str]], list[str], list[str]]:
    subs, defects, js, ys = [], [], [], []
    for _, sub, applied in generate.generate(count, seed, indicators):
        subs.append(sub)
        defects.append(applied)
        js.append(generate.to_json(sub))
        ys.append(generate.to_yaml(sub))
    return subs, defects, js, ys


def section_inprocess(cfg, datas, v_bench, v_full, peer, results):
    figs = results["figures"]
    say("\n[a/b] in-process, per submission (interleaved) …")
    for d in datas:  # warm caches (notation parse cache, compiled packs) before timing
        v_bench.check_mapping(d)
        v_full.check_mapping(d)
        baseline.check(d)
    figs.update(interleaved([
        ("pack_full", v_full.check_mapping, datas),
        ("baseline_full", baseline.check, datas),
        ("pack_bench_set", v_bench.check_mapping, datas),
        ("baseline", baseline.check_bench, datas),
    ], cfg["reps"]))
    # The same with notation.parse_text's memo cleared before each submission: what a
    # first check of new cells costs (Lark parses each distinct cell text once per process).
    try:
        from validator.domain.notation import parse_text as cell_parser

        clear = cell_parser.cache_clear
        subset = datas[: cfg["peer_subset"]]
        figs.update(interleaved([
            ("cold_cells_pack_full", lambda d: (clear(), v_full.check_mapping(d)), subset),
            ("cold_cells_baseline_full", lambda d: (clear(), baseline.check(d)), subset),
        ], cfg["peer_reps"]))
        for d in datas:  # warm again for what follows
            baseline.check(d)
            v_full.check_mapping(d)
    except AttributeError:
        results["not_measured"].append("cold-cell figures: validator.domain.notation.parse_text is no longer memoised")
    if peer is not None:
        subset = datas[: cfg["peer_subset"]]
        figs.update(interleaved([
            ("peer_subset_peer", peer.check, subset),
            ("peer_subset_pack_bench_set", v_bench.check_mapping, subset),
            ("peer_subset_baseline", baseline.check_bench, subset),
        ], cfg["peer_reps"]))


def section_breakdown(datas, v_full, v_bench, results):
    """Where selfeval's in-process time goes: schema check, model build, rule evaluation,
    and the most expensive rules; plus a cProfile of check_mapping."""
    say("\n[profile] breakdown and cProfile of Validator.check_mapping (full pack) …")
    out: dict[str, Any] = {}
    try:
        from validator.check import engine
        from validator.kinds.self_eval import model
        from validator.check import schema as schema_check
        n = len(datas)
        t0 = time.perf_counter()
        for d in datas:
            schema_check.check(d, d.get("kind"))
        out["schema_check_ms"] = (time.perf_counter() - t0) / n * 1000
        t0 = time.perf_counter()
        roots = [model.build(dict(d)) for d in datas]
        out["model_build_ms"] = (time.perf_counter() - t0) / n * 1000
        per_rule: Counter = Counter()
        for label, v in (("evaluate_full_ms", v_full), ("evaluate_bench_set_ms", v_bench)):
            t0 = time.perf_counter()
            for d, root in zip(datas, roots):
                engine.evaluate(v.rules_for(d)[1], root, d.get("kind"))
            out[label] = (time.perf_counter() - t0) / n * 1000
        # The closures alone: the reference implementation the generated code replaces.
        t0 = time.perf_counter()
        for d, root in zip(datas, roots):
            engine.evaluate(v_full.rules_for(d)[1], root, d.get("kind"), generated=False)
        out["evaluate_full_closures_ms"] = (time.perf_counter() - t0) / n * 1000
        # Generated passes, by collection (one pass tests every rule with that for_each).
        from validator.packs.program import program_for

        per_pass: Counter = Counter()
        for d, root in zip(datas, roots):
            rules = v_full.rules_for(d)[1]
            program = program_for(rules, d.get("kind"))
            if program is None:
                continue
            for fn, (_, ids) in zip(program.functions, program.source.passes):
                hits = {i: [] for i in program.covered}
                t0 = time.perf_counter()
                fn(root, hits)
                per_pass[rules[ids[0]].for_each or "(submission)"] += time.perf_counter() - t0
        out["passes_ms"] = {k: round(sec / n * 1000, 4) for k, sec in per_pass.most_common()}
        for d, root in zip(datas, roots):
            for rule in v_full.rules_for(d)[1]:
                t0 = time.perf_counter()
                list(engine.run_rule(rule, root, d.get("kind")))
                per_rule[rule.id] += time.perf_counter() - t0
        total = sum(per_rule.values())
        out["rules_closures_ms"] = {rid: round(sec / n * 1000, 4) for rid, sec in per_rule.most_common(12)}
        out["rules_share_of_closures"] = {rid: round(sec / total, 3) for rid, sec in per_rule.most_common(12)}
    except Exception as exc:  # internal APIs moved: report, do not fail the run
        out["breakdown_error"] = f"{type(exc).__name__}: {exc}"
    prof = cProfile.Profile()
    prof.enable()
    for d in datas:
        v_full.check_mapping(d)
    prof.disable()
    st = pstats.Stats(prof)
    total_tt = sum(v[2] for v in st.stats.values())
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _) in st.stats.items():
        rows.append({"function": f"{_short(file)}:{line}({func})", "calls": nc, "tottime_s": round(tt, 4),
                     "cumtime_s": round(ct, 4), "own_share": round(tt / total_tt, 3) if total_tt else 0})
    out["profile_total_s"] = round(total_tt, 4)
    out["profile_by_own_time"] = sorted(rows, key=lambda r: -r["tottime_s"])[:15]
    out["profile_by_cumulative"] = [r for r in sorted(rows, key=lambda r: -r["cumtime_s"]) if "validator/" in r["function"]][:15]
    results["profile"] = out


def _short(file: str) -> str:
    for marker in ("/validator/", "/benchmarks/", "/site-packages/"):
        if marker in file:
            return marker.strip("/") + "/" + file.split(marker, 1)[1]
    return file


def section_e2e(cfg, json_texts, yaml_texts, v_bench, v_full, results):
    say("\n[c] end to end from text …")
    figs = results["figures"]
    reps = cfg["e2e_reps"]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if loader is yaml.SafeLoader:
        results["notes"].append("PyYAML has no libyaml here: 'CSafeLoader alone' is the pure-Python SafeLoader")

    def json_e2e(text):
        return v_bench.check_mapping(parse_text(text, "json", "<bench>"))

    def json_e2e_full(text):
        return v_full.check_mapping(parse_text(text, "json", "<bench>"))

    def yaml_e2e(text):
        return v_bench.check_mapping(parse_text(text, "yaml", "<bench>"))

    def yaml_e2e_full(text):
        return v_full.check_mapping(parse_text(text, "yaml", "<bench>"))

    def json_floor(text):
        return baseline.check_bench(json.loads(text, parse_float=Decimal))

    def json_floor_full(text):
        return baseline.check(json.loads(text, parse_float=Decimal))

    def yaml_floor(text):
        # The hand-written baseline on what libyaml's loader builds (floats, not Decimal):
        # the least a Python checker of YAML text could cost, next to the 1.3× target.
        return baseline.check_bench(yaml.load(text, Loader=loader))

    for t in json_texts[:3]:
        json_e2e(t), yaml_e2e(t)
    figs.update(interleaved([
        ("json_loads", json.loads, json_texts),
        ("json_read_selfeval", lambda t: parse_text(t, "json", "<bench>"), json_texts),
        ("json_loads_plus_baseline", json_floor, json_texts),
        ("json_loads_plus_baseline_full", json_floor_full, json_texts),
        ("json_to_findings", json_e2e, json_texts),
        ("json_to_findings_full", json_e2e_full, json_texts),
        ("yaml_csafeloader", lambda t: yaml.load(t, Loader=loader), yaml_texts),
        ("yaml_csafeloader_plus_baseline", yaml_floor, yaml_texts),
        ("yaml_read_selfeval", lambda t: parse_text(t, "yaml", "<bench>"), yaml_texts),
        ("yaml_to_findings", yaml_e2e, yaml_texts),
        ("yaml_to_findings_full", yaml_e2e_full, yaml_texts),
    ], reps))


def run_wall(cmd: list[str], reps: int, stdout=subprocess.DEVNULL, bytecode: bool = True, no_cache: bool = False) -> dict[str, Any]:
    samples = []
    env = child_env(bytecode)
    if no_cache:
        env["SELFEVAL_NO_CACHE"] = "1"
    for _ in range(reps):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE, timeout=900)
        samples.append(time.perf_counter() - t0)
        if r.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.decode(errors='replace')[-500:]}")
    return stats(samples)


def section_cli(cfg, one_file: Path, results):
    say("\n[d] CLI wall time, one file …")
    figs = results["figures"]
    py = sys.executable
    reps = cfg["cli_reps"]
    # warm the OS caches and the private bytecode cache
    run_wall([py, "-m", "validator", "check", str(one_file), "--format", "json", "--color", "always"], 1)
    run_wall([py, "-m", "validator", "check", str(one_file)], 1)
    commands = [
        ("cli_python_pass", [py, "-c", "pass"]),
        ("cli_version", [py, "-m", "validator", "--version"]),
        ("cli_import_api", [py, "-c", "import validator.api"]),
        ("cli_import_compile", [py, "-c", "from validator.api import Validator; Validator()"]),
        ("cli_one_json", [py, "-m", "validator", "check", str(one_file), "--format", "json"]),
        ("cli_one_rich", [py, "-m", "validator", "check", str(one_file)]),
        ("cli_one_rich_color", [py, "-m", "validator", "check", str(one_file), "--color", "always"]),
    ]
    # Interleaved like the in-process figures: each repetition runs every command once.
    samples: dict[str, list[float]] = {name: [] for name, _ in commands}
    for rep in range(reps):
        k = rep % len(commands)
        for name, cmd in commands[k:] + commands[:k]:
            samples[name].extend(run_wall(cmd, 1)["samples"])
    figs.update({name: stats(v) for name, v in samples.items()})
    results["cli_profile"] = profile_cli([py, "-m", "validator", "check", str(one_file), "--format", "json"], one_file.parent)
    figs["cli_one_json_no_pyc"] = run_wall([py, "-m", "validator", "check", str(one_file), "--format", "json"],
                                           max(3, reps // 3), bytecode=False)
    figs["cli_one_json_no_cache"] = run_wall([py, "-m", "validator", "check", str(one_file), "--format", "json"],
                                             max(3, reps // 3), no_cache=True)


def section_final_accounts(cfg, results, problems: list[str]):
    """The 部门决算公开 sample workbooks (ten tables read and checked as one set) beside a
    自评表 workbook: reading, recognizing and assembling the tables, checking the set's
    document, and the whole file, in-process and from the command line."""
    from validator.submission import load_documents

    say("\n[g] 部门决算公开 workbooks …")
    figs = results["figures"]
    folder = ROOT / "samples" / "final-accounts"
    sheets = folder / "yunxi-2024-final-accounts.xlsx"
    stacked = folder / "yunxi-2024-final-accounts-stacked.xlsx"
    self_eval = ROOT / "samples" / "anshan-2024-transfer.xlsx"
    v = Validator()
    # The clean set must read as one set with no finding before anything is timed (the
    # stacked one also holds its 情况说明, a report checked against the set, with none either).
    for path, kinds in ((sheets, ["final_accounts"]), (stacked, ["final_accounts", "report"])):
        reports = v.check_file(path)
        if [r.kind for r in reports] != kinds or any(r.findings for r in reports):
            problems.append(f"{path.name}: expected one final_accounts set with no finding, got "
                            f"{[(r.kind, [f.rule for f in r.findings]) for r in reports]}")
            return
    (document,) = load_documents(sheets)
    reps = cfg["cli_reps"]
    figs.update(interleaved([
        ("sa_check_file", v.check_file, [self_eval]),
        ("fa_read", load_documents, [sheets]),
        ("fa_check_mapping", v.check_mapping, [document.data]),
        ("fa_check_file", v.check_file, [sheets]),
        ("fa_check_file_stacked", v.check_file, [stacked]),
    ], reps))
    figs["cli_fa_one"] = run_wall([sys.executable, "-m", "validator", "check", str(sheets), "--format", "json"], reps)


def profile_cli(cmd: list[str], tmp: Path) -> dict[str, Any]:
    """One CLI run under cProfile (`python -m cProfile -o … -m validator …`): where a
    one-file run spends its time (imports, compiling packs, building parsers, checking)."""
    out = tmp / "cli.prof"
    r = subprocess.run([cmd[0], "-m", "cProfile", "-o", str(out), *cmd[1:]], cwd=ROOT, env=child_env(),
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
    if not out.exists():
        return {"error": r.stderr.decode(errors="replace")[-300:]}
    st = pstats.Stats(str(out))
    total = max(v[3] for v in st.stats.values())
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _) in st.stats.items():
        rows.append({"function": f"{_short(file)}:{line}({func})", "calls": nc, "tottime_s": round(tt, 4), "cumtime_s": round(ct, 4)})
    interesting = ("validator/", "lark", "yaml", "jsonschema", "rich")
    by_cum = [r for r in sorted(rows, key=lambda r: -r["cumtime_s"]) if any(k in r["function"] for k in interesting)]
    stages = {}
    for label, file_part, func in CLI_STAGES:
        hits = [r["cumtime_s"] for r in rows if file_part in r["function"] and r["function"].endswith(f"({func})")]
        if hits:
            stages[label] = max(hits)
    return {"total_s": round(total, 4), "stages_s": stages, "by_cumulative": by_cum[:25],
            "by_own_time": sorted(rows, key=lambda r: -r["tottime_s"])[:15]}


# Where a one-file CLI run goes, picked out of its profile by function (cumulative time;
# the stages overlap: imports happen inside the others too).
CLI_STAGES = [
    ("all imports", "_bootstrap>", "_find_and_load"),
    ("Validator(): load and compile rule packs", "validator/api.py", "__init__"),
    ("value-notation parser construction (Lark)", "validator/domain/notation.py", "_get_parser"),
    ("read and parse the file", "validator/submission.py", "load_documents"),
    ("schema check", "validator/check/schema.py", "check"),
    ("model.build (parse cells, judge indicators)", "validator/kinds/self_eval/model.py", "build"),
    ("rule evaluation", "validator/check/engine.py", "evaluate"),
    ("render the report", "validator/report/render.py", "render"),
]


def peak_rss_kb(cmd: list[str], out_path: Path) -> tuple[int, float, int]:
    """(peak RSS of the child in KiB, wall seconds, exit code); output goes to out_path."""
    time_bin = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    with open(out_path, "wb") as out, tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        t0 = time.perf_counter()
        if time_bin:
            r = subprocess.run([time_bin, "-f", "%M", "-o", rss.name, *cmd], cwd=ROOT, env=child_env(), stdout=out,
                               stderr=subprocess.PIPE, timeout=3600)
            wall = time.perf_counter() - t0
            text = Path(rss.name).read_text().strip().splitlines()
            kb = int(text[-1]) if text and text[-1].strip().isdigit() else -1
        else:
            wrapper = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
                       "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)")
            r = subprocess.run([sys.executable, "-c", wrapper, *cmd], cwd=ROOT, env=child_env(), stdout=out,
                               stderr=subprocess.PIPE, timeout=3600)
            wall = time.perf_counter() - t0
            kb = int(r.stderr.decode().strip().splitlines()[-1])
    if r.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.decode(errors='replace')[-800:]}")
    return kb, wall, r.returncode


def read_batch_output(path: Path) -> dict[str, Counter] | None:
    """file name → (rule, path) findings, from --format json or jsonl output."""
    text = path.read_text(encoding="utf-8", errors="replace")
    records = []
    try:
        doc = json.loads(text)
        records = doc.get("files", []) if isinstance(doc, dict) else []
    except json.JSONDecodeError:
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                return None
            if isinstance(obj, dict) and "files" in obj:
                records.extend(obj["files"])
            elif isinstance(obj, dict) and "path" in obj:
                records.append(obj)
    if not records:
        return None
    out: dict[str, Counter] = {}
    for rec in records:
        name = Path(str(rec.get("path", ""))).name
        out[name] = Counter((f["rule"], f["location"]["path"]) for f in rec.get("findings") or [])
    return out


def verify_batch(folder: Path, output: Path, problems: list[str], label: str) -> dict[str, Any]:
    got = read_batch_output(output)
    if got is None:
        return {"verified": False, "why": "output not understood"}
    bench = set(baseline.BENCH_RULES)
    files = sorted(p for p in folder.iterdir() if p.suffix == ".json" and not p.name.startswith("."))
    same = 0
    for p in files:
        data = json.loads(p.read_text(encoding="utf-8"), parse_float=Decimal)
        want = Counter(baseline.check_bench(data))
        have = Counter({k: n for k, n in got.get(p.name, Counter()).items() if k[0] in bench})
        if p.name not in got:
            problems.append(f"{label} {p.name}: missing from the CLI output")
        elif want != have:
            problems.append(f"{label} {p.name}: CLI (benchmark rules) {sorted(have - want)} vs baseline {sorted(want - have)}")
        else:
            same += 1
    return {"verified": True, "files": len(files), "baseline_same_findings": same}


_SPIN = "import sys\nn = int(sys.argv[1])\nx = 0\nfor i in range(n):\n    x += i * i\n"


def cpu_control(reps: int = 3, n: int = 4_000_000) -> dict[str, Any]:
    """A CPU-bound Python loop in one process, then in two at once: 2 × t(one) ÷ t(two) is
    the speed-up the machine had to give a second process during this run (2.0 when a
    second core is free; other work on the machine lowers it, and --jobs 2 with it)."""
    py = sys.executable

    def one_run(k: int) -> float:
        t0 = time.perf_counter()
        procs = [subprocess.Popen([py, "-c", _SPIN, str(n)]) for _ in range(k)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - t0

    one, two = [], []
    for _ in range(reps):
        one.append(one_run(1))
        two.append(one_run(2))
    speedup = 2 * statistics.median(one) / statistics.median(two)
    return {"one_process_s": stats(one), "two_processes_s": stats(two), "speedup": speedup, "load_average": _loadavg()}


def section_batch(cfg, tmp: Path, seed: int, help_text: str, results, problems):
    say("\n[e] batch throughput and peak memory …")
    figs = results["figures"]
    py = sys.executable
    has_jobs = "--jobs" in help_text
    fmt = "jsonl" if "jsonl" in help_text else "json"
    results["meta"]["cli_has_jobs"] = has_jobs
    results["meta"]["batch_format"] = fmt
    small = (10, 30)
    batch: dict[str, Any] = {"format": fmt, "jobs_option": has_jobs, "indicators": list(small)}
    # throughput
    n_tp = cfg["throughput_files"]
    tp_dir = tmp / f"batch-{n_tp}"
    generate.write_dir(tp_dir, n_tp, seed + 101, small, 0.3, "json")
    base = [py, "-m", "validator", "check", str(tp_dir), "--format", fmt]
    out_file = tmp / "batch-out.txt"
    batch["cpu_control_before"] = cpu_control()
    if has_jobs:
        for jobs in (1, 2):
            samples = []
            for _ in range(cfg["throughput_reps"]):
                kb, wall, _ = peak_rss_kb(base + ["--jobs", str(jobs)], out_file)
                samples.append(wall)
            figs[f"batch_jobs{jobs}"] = stats(samples)
            figs[f"batch_jobs{jobs}"]["files_per_s"] = n_tp / figs[f"batch_jobs{jobs}"]["median"]
            batch[f"verify_jobs{jobs}"] = verify_batch(tp_dir, out_file, problems, f"batch --jobs {jobs}")
    else:
        samples = []
        for _ in range(cfg["throughput_reps"]):
            kb, wall, _ = peak_rss_kb(base, out_file)
            samples.append(wall)
        figs["batch_jobs1"] = stats(samples)
        figs["batch_jobs1"]["files_per_s"] = n_tp / figs["batch_jobs1"]["median"]
        batch["verify_jobs1"] = verify_batch(tp_dir, out_file, problems, "batch")
        results["not_measured"].append("--jobs 2 throughput: `python -m validator check --help` does not list --jobs yet; "
                                       "measured the plain (single-process) command only")
    batch["cpu_control_after"] = cpu_control()
    # memory: the largest batch against the smallest (the target) and, with three sizes,
    # against the middle one too (growth once the bounded caches are full)
    mem = {}
    for n in cfg["mem_files"]:
        folder = tmp / f"mem-{n}"
        t0 = time.perf_counter()
        generate.write_dir(folder, n, seed + 202, small, 0.3, "json")
        gen_s = time.perf_counter() - t0
        cmd = [py, "-m", "validator", "check", str(folder), "--format", fmt] + (["--jobs", "1"] if has_jobs else [])
        kb, wall, _ = peak_rss_kb(cmd, out_file)
        mem[n] = {"peak_rss_kib": kb, "wall_s": wall, "files_per_s": n / wall, "generate_s": gen_s,
                  "output_bytes": out_file.stat().st_size}
        batch[f"verify_mem_{n}"] = verify_batch(folder, out_file, problems, f"memory run {n} files")
        shutil.rmtree(folder, ignore_errors=True)
    batch["memory"] = mem
    results["batch"] = batch


def section_growth(cfg, seed, v_bench, v_full, peer, results, problems):
    say("\n[f] growth with the number of indicators …")
    rows = []
    for k in cfg["growth_sizes"]:
        _, _, js, _ = make_set(cfg["growth_n"], seed + 1000 + k, (k, k))
        datas = [parse_text(t, "json", "<bench>") for t in js]
        check = verify(datas, [f"growth-{k}-{i}" for i in range(len(datas))], v_bench, peer, problems, "growth",
                       peer_limit=cfg["growth_peer_n"], v_full=v_full)
        row = {"indicators": k, "submissions": len(datas), "verification": {x: y for x, y in check.items() if x != "peer_seconds"}}
        row.update(interleaved([
            ("pack_bench_set", v_bench.check_mapping, datas),
            ("pack_full", v_full.check_mapping, datas),
            ("baseline", baseline.check_bench, datas),
            ("baseline_full", baseline.check, datas),
        ], cfg["growth_reps"]))
        if check["peer_seconds"]:
            row["peer"] = stats([statistics.mean(check["peer_seconds"])])
        rows.append(row)
    results["growth"] = rows


# --- report ----------------------------------------------------------------------------------


def ms(x: float) -> str:
    v = x * 1000
    return f"{v:10.3f}" if v < 100 else f"{v:10.1f}"


def ratio_of(figs, a, b) -> float | None:
    if a in figs and b in figs and figs[b]["median"]:
        return figs[a]["median"] / figs[b]["median"]
    return None


def compute_targets(results) -> list[dict]:
    figs = results["figures"]
    batch = results.get("batch", {})
    mem = batch.get("memory", {})
    measured: dict[str, tuple[float | None, str]] = {}
    meta = results["meta"]
    covered = f"{meta.get('rules_with_baseline', '?')} of the pack's {meta.get('standard_pack_rules', '?')} rules"
    if meta.get("rules_without_baseline"):
        covered += f"; NOT COMPARED (no baseline): {', '.join(meta['rules_without_baseline'])}"
    r = ratio_of(figs, "pack_full", "baseline_full")
    measured["pack_vs_baseline"] = (r, f"selfeval ÷ baseline, per submission, interleaved; {covered}")
    r = ratio_of(figs, "pack_bench_set", "baseline")
    measured["bench_vs_baseline"] = (r, f"the {len(baseline.BENCH_RULES)} error rules of arithmetic/target_actual/unit")
    r = ratio_of(figs, "peer_subset_peer", "peer_subset_pack_bench_set")
    bench_without = meta.get("bench_rules_without_peer") or {}
    peer_note = (f"rule-engine ÷ selfeval, the {len(baseline.BENCH_RULES) - len(bench_without)} rules the peer has, "
                 f"same submissions; the peer has no version of {len(meta.get('rules_without_peer', []))} rules")
    if bench_without:
        peer_note += (f" (selfeval also runs {', '.join(bench_without)} of the benchmark set, which never report on "
                      f"one document)")
    own = ratio_of(figs, "peer_subset_peer", "peer_subset_baseline")
    if r and own:
        peer_note += f"; the hand-written baseline itself: {own:.1f}×"
    measured["peer_vs_pack"] = (r, peer_note if r else f"peer not run: {PEER_ERROR}")
    measured["json_e2e_vs_floor"] = (ratio_of(figs, "json_to_findings_full", "json_loads_plus_baseline_full"),
                                     "parse_text(json) + check_mapping ÷ (json.loads(parse_float=Decimal) + baseline), full pack")
    floor = ratio_of(figs, "yaml_csafeloader_plus_baseline", "yaml_csafeloader")
    measured["yaml_e2e_vs_loader"] = (ratio_of(figs, "yaml_to_findings", "yaml_csafeloader"),
                                      "parse_text(yaml) + check_mapping ÷ yaml.load(CSafeLoader)"
                                      + (f"; the hand-written baseline on CSafeLoader's output: {floor:.2f}×" if floor else ""))
    if "batch_jobs2" in figs:
        controls = [batch[k]["speedup"] for k in ("cpu_control_before", "cpu_control_after") if k in batch]
        control = f"; CPU-bound control, one process vs two: {min(controls):.2f}× (2.00 on an idle machine)" if controls else ""
        measured["jobs2_speedup"] = (figs["batch_jobs1"]["median"] / figs["batch_jobs2"]["median"],
                                     "wall(--jobs 1) ÷ wall(--jobs 2)" + control)
    else:
        measured["jobs2_speedup"] = (None, "--jobs not available in the CLI")
    if len(mem) >= 2:
        small, large = min(mem), max(mem)
        a, b = mem[small]["peak_rss_kib"], mem[large]["peak_rss_kib"]
        how = f"peak RSS {large} files ÷ {small} files"
        if len(mem) > 2:
            middle = sorted(mem)[1]
            how += f"; ÷ {middle} files (caches full): {b / mem[middle]['peak_rss_kib']:.2f}"
        measured["memory_growth"] = (b / a if a > 0 and b > 0 else None, how)
    else:
        measured["memory_growth"] = (None, "not run")
    measured["cli_one_json_ms"] = ((figs["cli_one_json"]["median"] * 1000) if "cli_one_json" in figs else None,
                                   "median wall time, ms")
    measured["cli_vs_python"] = (ratio_of(figs, "cli_one_json", "cli_python_pass"), "median wall ÷ python -c pass, same run")
    measured["workbook_read_ms"] = ((figs["wb_stream_sample_max"]["median"] * 1000) if "wb_stream_sample_max" in figs else None,
                                    "validator.read.xlsx.read_workbook, ms per file")
    out = []
    for key, desc, cmp, threshold in TARGETS:
        value, note = measured.get(key, (None, "not run"))
        met = None if value is None else (value <= threshold if cmp == "<=" else value >= threshold)
        out.append({"key": key, "target": desc, "threshold": threshold, "comparison": cmp,
                    "measured": None if value is None else round(value, 3), "met": met, "how": note})
    return out


FIG_LABELS = [
    ("[a] in-process per submission (main set, interleaved)", [
        ("pack_full", "selfeval, full standard pack", "baseline_full"),
        ("baseline_full", "hand-written baseline, full pack (floor)", None),
        ("pack_bench_set", "selfeval, benchmark rule set (select)", "baseline"),
        ("baseline", "hand-written baseline, benchmark rule set", None),
        ("cold_cells_pack_full", "selfeval full pack, cell-parse memo cleared each time", "cold_cells_baseline_full"),
        ("cold_cells_baseline_full", "baseline full pack, cell-parse memo cleared each time", None),
    ]),
    ("[b] peer subset (same submissions for all three)", [
        ("peer_subset_peer", "rule-engine (peer)", "peer_subset_pack_bench_set"),
        ("peer_subset_pack_bench_set", "selfeval, benchmark rule set", "peer_subset_baseline"),
        ("peer_subset_baseline", "hand-written baseline", None),
    ]),
    ("[c] end to end from text, per submission", [
        ("json_loads", "json.loads alone", None),
        ("json_read_selfeval", "selfeval reader alone (json, Decimal)", "json_loads"),
        ("json_loads_plus_baseline", "json.loads(Decimal) + baseline, benchmark set", "json_loads"),
        ("json_loads_plus_baseline_full", "json.loads(Decimal) + baseline, full pack", "json_loads"),
        ("json_to_findings", "JSON text → findings (benchmark rule set)", "json_loads_plus_baseline"),
        ("json_to_findings_full", "JSON text → findings (full pack)", "json_loads_plus_baseline_full"),
        ("yaml_csafeloader", "yaml.load CSafeLoader alone", None),
        ("yaml_csafeloader_plus_baseline", "yaml.load CSafeLoader + baseline, benchmark set", "yaml_csafeloader"),
        ("yaml_read_selfeval", "selfeval reader alone (yaml, Decimal)", "yaml_csafeloader"),
        ("yaml_to_findings", "YAML text → findings (benchmark rule set)", "yaml_csafeloader"),
        ("yaml_to_findings_full", "YAML text → findings (full pack)", "yaml_csafeloader"),
    ]),
    ("[d] CLI wall time, one file", [
        ("cli_python_pass", "python -c pass", None),
        ("cli_version", "python -m validator --version", "cli_python_pass"),
        ("cli_import_api", "python -c 'import validator.api'", "cli_python_pass"),
        ("cli_import_compile", "… + Validator() (load and compile packs)", "cli_python_pass"),
        ("cli_one_json", "check one.json --format json", "cli_python_pass"),
        ("cli_one_rich", "check one.json (Rich, to a pipe)", "cli_python_pass"),
        ("cli_one_rich_color", "check one.json --color always", "cli_python_pass"),
        ("cli_one_json_no_pyc", "check one.json --format json, no .pyc (recompiles)", "cli_python_pass"),
        ("cli_one_json_no_cache", "check one.json --format json, SELFEVAL_NO_CACHE=1", "cli_python_pass"),
    ]),
    ("[e] batch wall time (whole folder)", [
        ("batch_jobs1", "check DIR --jobs 1", None),
        ("batch_jobs2", "check DIR --jobs 2", "batch_jobs1"),
    ]),
    ("[g] 部门决算公开 workbook (ten tables as one set), per file", [
        ("sa_check_file", "自评表 workbook (one table): file → findings", None),
        ("fa_read", "决算 workbook, ten sheets: read, recognize, assemble", "sa_check_file"),
        ("fa_check_mapping", "… its set: schema, derive, 25 rules", "sa_check_file"),
        ("fa_check_file", "… file → findings", "sa_check_file"),
        ("fa_check_file_stacked", "… stacked on one sheet: file → findings", "sa_check_file"),
        ("cli_fa_one", "CLI: check the ten-sheet workbook --format json", "cli_python_pass"),
    ]),
    ("[startup] in-process", [
        ("validator_init", "Validator() construction, first in this process", None),
    ]),
]
# Rows whose ratio reads better as a speed-up (reference ÷ this).
SPEEDUP_ROWS = {"batch_jobs2"}


def print_report(results):
    figs = results["figures"]
    say("\n" + "=" * 100)
    say(f"selfeval {results['meta']['selfeval_version']} benchmarks ({results['meta']['mode']}), "
        f"{results['meta']['python']} on {results['meta']['cpus']} CPUs — times in ms: median [min – max]")
    la = results["meta"].get("load_average_start")
    if la:
        say(f"load average (1 min) before the run: {la[0]:.2f}"
            + (" — other processes were using the CPU: expect wider spreads and a lower --jobs 2 speed-up"
               if la[0] > 0.5 else ""))
    s = results["sets"].get("main")
    if s:  # absent with --only batch
        say(f"main set: {s['submissions']} submissions ({s['transfer']} transfer, {s['project']} project), "
            f"{s['indicators_mean']:.1f} indicators on average ({s['indicators_min']}–{s['indicators_max']}), "
            f"{s['with_defects']} with defects, {s['fail_bench_set']} fail the benchmark rule set")
    for title, rows in FIG_LABELS:
        present = [r for r in rows if r[0] in figs]
        if not present:
            continue
        say(f"\n{title}")
        for key, label, vs in present:
            f = figs[key]
            ratio = ratio_of(figs, key, vs) if vs else None
            if ratio is not None and key in SPEEDUP_ROWS:
                rtext = f"{1 / ratio:8.2f}× faster than {vs}"
            else:
                rtext = f"{ratio:8.2f}× {vs}" if ratio is not None else ""
            extra = f"  ({f['files_per_s']:.0f} files/s)" if "files_per_s" in f else ""
            say(f"  {label:<52}{ms(f['median'])} [{ms(f['min']).strip()} – {ms(f['max']).strip()}]  {rtext}{extra}")
    batch = results.get("batch", {})
    if batch.get("memory"):
        say(f"\n[e] peak RSS of `check DIR --format {batch['format']}`{' --jobs 1' if batch.get('jobs_option') else ''}")
        mem = batch["memory"]
        first = mem[min(mem)]["peak_rss_kib"]
        for n in sorted(mem):
            m = mem[n]
            say(f"  {n:>6} files: {m['peak_rss_kib'] / 1024:8.1f} MiB peak  {m['wall_s']:7.1f} s  {m['files_per_s']:6.0f} files/s"
                f"  output {m['output_bytes'] / 1e6:.1f} MB   {m['peak_rss_kib'] / first:5.2f}× {min(mem)} files")
    if results.get("growth"):
        say("\n[f] growth, per submission (ms, median) by indicators")
        say(f"  {'indicators':>10} {'full pack':>10} {'base full':>10} {'bench set':>10} {'baseline':>10} {'peer':>10} "
            f"{'full/base':>10} {'full µs/ind':>11} {'×10-ind':>8}")
        g0 = results["growth"][0]["pack_full"]["median"]
        for row in results["growth"]:
            k = row["indicators"]
            b, f, base = row["pack_bench_set"]["median"], row["pack_full"]["median"], row["baseline"]["median"]
            bf = row["baseline_full"]["median"]
            p = row.get("peer", {}).get("median")
            say(f"  {k:>10} {ms(f)} {ms(bf)} {ms(b)} {ms(base)} {ms(p) if p else '         -'} {f / bf:10.2f} "
                f"{f / k * 1e6:11.1f} {f / g0:8.2f}")
    prof = results.get("profile", {})
    if prof:
        say("\n[profile] selfeval check_mapping, full pack, main set (ms per submission)")
        parts = [f"{k.replace('_ms', '')} {prof[k]:.2f}" for k in
                 ("schema_check_ms", "model_build_ms", "evaluate_full_ms", "evaluate_bench_set_ms",
                  "evaluate_full_closures_ms") if k in prof]
        if parts:
            say("  " + " | ".join(parts))
        if prof.get("passes_ms"):
            say("  generated passes: " + ", ".join(f"{k} {v:.2f}" for k, v in prof["passes_ms"].items()))
        if prof.get("rules_closures_ms"):
            say("  costliest rules as closures: " + ", ".join(f"{k} {v:.2f}" for k, v in list(prof["rules_closures_ms"].items())[:8]))
        if prof.get("breakdown_error"):
            say(f"  breakdown unavailable: {prof['breakdown_error']}")
        say("  top functions by own time:")
        for r in prof.get("profile_by_own_time", [])[:10]:
            say(f"    {r['own_share'] * 100:5.1f}%  {r['tottime_s']:7.3f}s  {r['calls']:>9}  {r['function']}")
    cp = results.get("cli_profile", {})
    if cp.get("by_cumulative"):
        say(f"\n[profile] one CLI run (check one.json --format json) under cProfile: {cp['total_s'] * 1000:.0f} ms "
            f"in Python (profiling adds overhead; stages overlap)")
        for label, sec in cp.get("stages_s", {}).items():
            say(f"    {sec * 1000:8.1f} ms  {label}")
    workbooks.print_section(results, say)
    v = results["verification"]
    say("\n[verification]")
    meta = results["meta"]
    say(f"  baseline: {meta.get('rules_with_baseline')} of the standard pack's {meta.get('standard_pack_rules')} rules"
        + (f"; rules WITHOUT a baseline (not compared): {', '.join(meta['rules_without_baseline'])}"
           if meta.get("rules_without_baseline") else " (every rule)"))
    if meta.get("rules_across_documents"):
        fx = v.get("fixtures", {})
        say(f"  rules that read other documents of the submission: {', '.join(meta['rules_across_documents'])} — never "
            f"report on the generated (one-document) submissions; compared on the {fx.get('with_others', '?')} fixture "
            f"cases that give those documents ({fx.get('across_findings', '?')} findings of theirs)")
    bench_without = meta.get("bench_rules_without_peer") or {}
    say(f"  peer (rule-engine): {len(baseline.BENCH_RULES) - len(bench_without)} of the {len(baseline.BENCH_RULES)} "
        f"benchmark rules; no peer version of: {', '.join(meta.get('rules_without_peer', [])) or '-'}"
        + "".join(f"\n    {r}: {why}" for r, why in bench_without.items()))
    for name, x in v.items():
        if isinstance(x, dict) and "submissions" in x:
            say(f"  {name}: {x['submissions']} submissions, baseline same findings: benchmark set {x['baseline_same_findings']}, "
                f"full pack {x.get('baseline_full_same_findings', '-')}; peer same pass/fail {x['peer_same_pass_fail']}/{x['peer_checked']} "
                f"(same findings {x['peer_same_findings']}), selfeval fails {x['selfeval_fail']}")
        elif isinstance(x, dict) and "cases" in x:
            say(f"  {name}: {x['cases']} fixture cases of the standard pack, baseline same findings {x['same']} "
                f"({x['schema_only']} cases that break the schema are selfeval's alone)")
    for key in sorted(k for k in batch if k.startswith("verify")):
        x = batch[key]
        if x.get("verified"):
            say(f"  {key}: {x['files']} files, baseline same benchmark-rule findings as the CLI: {x['baseline_same_findings']}")
        else:
            say(f"  {key}: not verified ({x.get('why')})")
    for key in ("cpu_control_before", "cpu_control_after"):
        if key in batch:
            c = batch[key]
            say(f"\n[e] CPU-bound control ({key.rsplit('_', 1)[-1]} the batch runs): one process "
                f"{c['one_process_s']['median']:.2f} s, two at once {c['two_processes_s']['median']:.2f} s → "
                f"{c['speedup']:.2f}× of 2.00 (load {c['load_average']})")
    say("\n[targets]")
    for t in results["targets"]:
        status = "n/a   " if t["met"] is None else ("met   " if t["met"] else "MISSED")
        value = "-" if t["measured"] is None else f"{t['measured']:.2f}"
        say(f"  {status} {t['target']:<62} measured {value:>8}   ({t['how']})")
    for note in results["not_measured"]:
        say(f"  not measured: {note}")
    for note in results["notes"]:
        say(f"  note: {note}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="selfeval benchmarks (see benchmarks/README.md)")
    p.add_argument("--quick", action="store_true", help="smaller sets and fewer repetitions (about 1.5 minutes; default about 5)")
    p.add_argument("--out", type=Path, default=HERE / "results.json", help="result file (default benchmarks/results.json)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip-batch", action="store_true", help="skip the CLI batch and memory runs (e)")
    p.add_argument("--workbooks", action="store_true", help="only the workbook-reading section (w)")
    p.add_argument("--only", choices=("batch",), help="run one section only: batch (e: throughput and peak memory)")
    args = p.parse_args(argv)
    if args.workbooks:
        return workbooks.main((["--quick"] if args.quick else []))
    mode = "quick" if args.quick else "default"
    cfg = SETTINGS[mode]
    started = time.perf_counter()
    results: dict[str, Any] = {
        "meta": {"mode": mode, "seed": args.seed, "settings": {k: list(v) if isinstance(v, tuple) else v for k, v in cfg.items()},
                 "selfeval_version": SELFEVAL_VERSION, "python": platform.python_version(),
                 "implementation": platform.python_implementation(), "platform": platform.platform(),
                 "cpus": os.cpu_count(), "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                 "benchmark_rules": list(baseline.BENCH_RULES), "yaml_libyaml": hasattr(yaml, "CSafeLoader"),
                 "load_average_start": _loadavg(), "_started": started},
        "figures": {}, "sets": {}, "verification": {}, "notes": [], "not_measured": [],
    }
    problems: list[str] = []

    say(f"selfeval benchmarks — mode {mode}, seed {args.seed}")
    t0 = time.perf_counter()
    v_bench = Validator(select=list(baseline.BENCH_RULES), packs=["standard"])
    results["figures"]["validator_init"] = stats([time.perf_counter() - t0])
    v_full = Validator(packs=["standard"])
    pack_ids = [r.id for r in v_full.rules if r.pack == "standard" and r.severity == "error"
                and r.category in ("arithmetic", "target_actual", "unit")]
    if sorted(pack_ids) != sorted(baseline.BENCH_RULES):
        say(f"the standard pack's error rules in arithmetic/target_actual/unit changed: {sorted(pack_ids)} "
            f"vs the baseline's {sorted(baseline.BENCH_RULES)} — update benchmarks/baseline.py and peer.py")
        return 3
    standard_ids = [r.id for r in v_full.rules if r.pack == "standard"]
    results["meta"]["standard_pack_rules"] = len(standard_ids)
    without = sorted(set(standard_ids) - set(baseline.RULES))
    results["meta"]["rules_without_baseline"] = without
    results["meta"]["rules_with_baseline"] = len(standard_ids) - len(without)
    without_peer = getattr(peer_module, "WITHOUT_PEER", {})
    results["meta"]["rules_without_peer"] = sorted(set(standard_ids) - (set(baseline.BENCH_RULES) - set(without_peer)))
    results["meta"]["bench_rules_without_peer"] = dict(sorted(without_peer.items()))
    across = [r for r in baseline.ACROSS_DOCUMENTS if r in standard_ids]
    results["meta"]["rules_across_documents"] = across
    if across:
        say(f"NOTE: {len(across)} rules read the other documents of a submission ({', '.join(across)}); the generated "
            f"submissions are one document each, so there they have nothing to read and never report: they are "
            f"compared only on the fixture cases that give those documents")
    if without:
        say(f"WARNING: {len(without)} rules of the standard pack have no baseline and are left out of every "
            f"comparison: {', '.join(without)} — add a function for each to benchmarks/baseline.py")
        v_full = Validator(packs=["standard"], select=sorted(set(standard_ids) & set(baseline.RULES)))
    peer = None
    if peer_module is not None:
        peer = peer_module.PeerChecker()
    else:
        results["not_measured"].append(f"peer engine: {PEER_ERROR}")
        say(f"WARNING: peer engine unavailable: {PEER_ERROR}")

    if args.only == "batch":
        # The batch figures stand alone: their own submissions, checked against the baseline.
        with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as tmpname:
            tmp = Path(tmpname)
            PYCACHE.update(warm=str(tmp / "pycache"), cold=str(tmp / "pycache-cold"), selfeval=str(tmp / "selfeval-cache"))
            section_batch(cfg, tmp, args.seed, cli_help(), results, problems)
        return _finish(args, results, problems)

    say(f"generating {cfg['main']} submissions (10–200 indicators) …")
    subs, defects, json_texts, yaml_texts = make_set(cfg["main"], args.seed, (10, 200))
    datas = [parse_text(t, "json", "<bench>") for t in json_texts]
    counts = [len(s["indicators"]) for s in subs]
    say("verifying baseline and peer against selfeval on every submission …")
    check = verify(datas, [f"main-{i}" for i in range(len(datas))], v_bench, peer, problems, "main", v_full=v_full)
    results["verification"]["fixtures"] = verify_fixtures(v_full, problems)
    # The same submissions read from YAML must give the same findings as from JSON.
    for i, (yt, d) in enumerate(zip(yaml_texts, datas)):
        if findings_key(v_bench.check_mapping(parse_text(yt, "yaml", "<bench>")).findings) != findings_key(v_bench.check_mapping(d).findings):
            problems.append(f"main-{i}: YAML and JSON renderings give different findings")
    if problems:
        return fail(problems)
    results["sets"]["main"] = {
        "submissions": len(subs), "transfer": sum(s["kind"] == "transfer" for s in subs),
        "project": sum(s["kind"] == "project" for s in subs), "indicators_mean": statistics.mean(counts),
        "indicators_min": min(counts), "indicators_max": max(counts), "with_defects": sum(bool(d) for d in defects),
        "defects": dict(Counter(x for d in defects for x in d).most_common()), "fail_bench_set": check["selfeval_fail"],
        "json_bytes_mean": statistics.mean(len(t.encode()) for t in json_texts),
        "yaml_bytes_mean": statistics.mean(len(t.encode()) for t in yaml_texts),
    }
    results["verification"]["main"] = {k: v for k, v in check.items() if k != "peer_seconds"}
    if check["peer_seconds"]:
        results["figures"]["peer_main_single_pass"] = stats([statistics.mean(check["peer_seconds"])])

    section_inprocess(cfg, datas, v_bench, v_full, peer, results)
    section_e2e(cfg, json_texts, yaml_texts, v_bench, v_full, results)
    section_breakdown(datas, v_full, v_bench, results)
    section_growth(cfg, args.seed, v_bench, v_full, peer, results, problems)
    say("reading workbooks: old and new reader …")
    workbooks.section(results, args.quick, problems)
    for row in results.get("growth", []):
        results["verification"][f"growth_{row['indicators']}"] = row["verification"]
    if problems:
        return fail(problems)
    help_text = cli_help()
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-") as tmpname:
        tmp = Path(tmpname)
        PYCACHE.update(warm=str(tmp / "pycache"), cold=str(tmp / "pycache-cold"), selfeval=str(tmp / "selfeval-cache"))
        results["meta"]["environment_PYTHONDONTWRITEBYTECODE"] = os.environ.get("PYTHONDONTWRITEBYTECODE")
        # one file for the CLI: the main-set submission with the median number of indicators
        order = sorted(range(len(subs)), key=lambda i: counts[i])
        pick = order[len(order) // 2]
        one = tmp / "one.json"
        one.write_text(json_texts[pick], encoding="utf-8")
        results["meta"]["cli_one_file"] = {"indicators": counts[pick], "kind": subs[pick]["kind"], "bytes": len(json_texts[pick].encode())}
        section_cli(cfg, one, results)
        section_final_accounts(cfg, results, problems)
        if problems:
            return fail(problems)
        if args.skip_batch:
            results["not_measured"].append("batch throughput and memory: --skip-batch")
        else:
            section_batch(cfg, tmp, args.seed, help_text, results, problems)
    return _finish(args, results, problems)


def _finish(args, results, problems) -> int:
    results["targets"] = compute_targets(results)
    results["meta"]["load_average_end"] = _loadavg()
    results["meta"]["elapsed_s"] = round(time.perf_counter() - results["meta"].pop("_started"), 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print_report(results)
    say(f"\nwrote {args.out} in {results['meta']['elapsed_s']:.0f} s")
    if problems:
        return fail(problems)
    return 0


def fail(problems: list[str]) -> int:
    print("\nDISAGREEMENT — baseline/peer vs selfeval:", file=sys.stderr)
    for p in problems[:40]:
        print("  " + p, file=sys.stderr)
    if len(problems) > 40:
        print(f"  … and {len(problems) - 40} more", file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main())
