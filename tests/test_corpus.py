"""The corpus of malformed inputs (tests/corpus/, manifest.yaml): each ends in findings
(exit 1) or one line naming the file and the problem (exit 2), never a traceback or a
hang, and no input is modified.

The command runs once per case, in a subprocess as a user would run it; the runs go in
parallel (a session fixture) so the corpus costs seconds, and each case is then its own
test."""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli

CORPUS = Path(__file__).resolve().parent / "corpus"
SAMPLE = ROOT / "samples" / "anshan-2024-transfer.yaml"
CASES = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["cases"]


def _case_id(case: dict) -> str:
    name = case.get("file") or case["rules"]
    extra = " ".join(case.get("args", []))
    return f"{name} {extra}".strip() + (f" [{case['message']}]" if "message" in case else "")


def _inputs(case: dict) -> list[Path]:
    """Every file the case reads (a submission, its waiver side file, a rule pack)."""
    if "rules" in case:
        return sorted(p for p in (CORPUS / case["rules"]).rglob("*") if p.is_file())
    path = CORPUS / case["file"]
    side = path.with_name(path.stem + ".waivers.yaml")
    return [path] + ([side] if side.exists() else [])


def _hashes(paths: list[Path]) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _run(case: dict):
    before = _hashes(_inputs(case))
    if "rules" in case:
        args = ["check", str(SAMPLE), "--rules", str(CORPUS / case["rules"])]
    else:
        args = ["check", str(CORPUS / case["file"])]
    args += ["--format", "json", *case.get("args", [])]
    proc = run_cli(*args)
    return proc, before, _hashes(_inputs(case))


@pytest.fixture(scope="session")
def corpus_results():
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip(map(_case_id, CASES), pool.map(_run, CASES)))


def test_manifest_covers_every_file():
    listed = {c["file"] for c in CASES if "file" in c} | {c["rules"] for c in CASES if "rules" in c}
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_file() and p.suffix in (".yaml", ".json", ".xlsx")
               and p.name != "manifest.yaml" and not p.name.endswith(".waivers.yaml")}
    on_disk |= {f"packs/{p.name}" for p in (CORPUS / "packs").iterdir() if p.is_dir()}
    assert on_disk <= listed, f"corpus files without a manifest entry: {sorted(on_disk - listed)}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_corpus_case(case, corpus_results):
    proc, before, after = corpus_results[_case_id(case)]
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output[-2000:]
    assert after == before, "an input file was modified"
    assert proc.returncode == case["exit"], (proc.returncode, proc.stderr[-1000:])
    if case["exit"] == 2:
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        named = case.get("file") or case["rules"]
        assert lines, "no message on stderr"
        # A broken rule adds the expression with a caret under the fault; the message
        # itself is the first line.
        if "rules" not in case:
            assert len(lines) == 1, proc.stderr
        first = lines[0]
        assert first.startswith("selfeval: "), first
        assert Path(named).name.split(".")[0] in first or Path(named).name in first, first
        assert case["stderr"] in first, first
    else:
        doc = json.loads(proc.stdout)
        findings = [f for fr in doc["files"] for f in fr.get("findings", [])]
        hits = [f for f in findings if f["rule"] == case["finding"]]
        assert hits, f"no {case['finding']} finding; got {sorted({f['rule'] for f in findings})}"
        if "message" in case:
            assert any(case["message"] in f["message"] for f in hits), [f["message"] for f in hits]
