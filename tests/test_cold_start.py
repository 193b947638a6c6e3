"""What a one-file check loads: only what that file needs. Decided from sys.modules after
a real run of the command line in a fresh interpreter, never from a clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# Runs `selfeval check` in this interpreter and prints what it imported, then the report.
_PROBE = """
import contextlib, io, json, sys
from validator.cli.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules), "report": json.loads(out.getvalue())}))
"""

# Modules a JSON or YAML 自评表 that names its kind has no use for.
_NOT_FOR_A_SELF_EVAL = ("openpyxl", "validator.kinds.final_accounts", "validator.kinds.allocation",
                        "validator.kinds.execution", "validator.kinds.scorecard", "validator.kinds.ledger",
                        "validator.kinds.target_table", "validator.kinds.self_eval.recognize", "validator.read.xlsx",
                        "lark", "jsonschema", "rich")


def _probe(cache: Path, *args: str) -> dict:
    env = dict(os.environ, SELFEVAL_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    env.pop("SELFEVAL_NO_CACHE", None)
    r = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=600)  # a hang guard, never a measure
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _loaded(modules: list[str], prefix: str) -> list[str]:
    return [m for m in modules if m == prefix or m.startswith(prefix + ".")]


@pytest.fixture
def one_json(tmp_path) -> Path:
    data = yaml.safe_load((SAMPLES / "anshan-2024-transfer.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "one.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def test_checking_one_json_file_imports_neither_yaml_nor_other_kinds(tmp_path, one_json):
    cache = tmp_path / "cache"
    first = _probe(cache, "check", str(one_json), "--format", "json")
    again = _probe(cache, "check", str(one_json), "--format", "json")
    # The same answer whether the caches were empty or full.
    assert first["report"] == again["report"]
    assert again["report"]["files"][0]["kind"] == "transfer"
    assert again["report"]["files"][0]["findings"], "the sample has findings: the rules ran"
    modules = again["modules"]
    assert _loaded(modules, "yaml") == []
    for name in _NOT_FOR_A_SELF_EVAL:
        assert _loaded(modules, name) == [], name
    # What it does need is there: the kind it named, and the report kind that reads its
    # 项目绩效分析 block.
    assert "validator.kinds.self_eval.model" in modules and "validator.kinds.report" in modules


def test_a_yaml_file_still_reads_yaml(tmp_path):
    cache = tmp_path / "cache"
    _probe(cache, "check", str(SAMPLES / "anshan-2024-transfer.yaml"), "--format", "json")
    out = _probe(cache, "check", str(SAMPLES / "anshan-2024-transfer.yaml"), "--format", "json")
    assert "yaml" in out["modules"] and out["report"]["files"][0]["kind"] == "transfer"
    assert _loaded(out["modules"], "validator.kinds.final_accounts") == []


def test_the_kind_index_names_every_kind_the_plugins_define(tmp_path, monkeypatch):
    import validator.kinds as kinds

    monkeypatch.setenv("SELFEVAL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SELFEVAL_NO_CACHE", raising=False)
    kinds._index.cache_clear()
    try:
        built = kinds._index()  # made by importing every plug-in, and written
        assert list(tmp_path.glob("kinds-*.json"))
        kinds._index.cache_clear()
        read = kinds._index()  # read back
        assert read == built
        everything = kinds.registry()
        assert list(read) == list(everything)
        for name, entry in read.items():
            kind = everything[name]
            assert kinds.kind_named(name) is kind
            assert (entry.checked, entry.text, entry.embedded) == (
                kind.checked, kind.from_text is not None, kind.from_embedded is not None)
        assert kinds.checked_kinds() == [k.name for k in everything.values() if k.checked]
        assert kinds.text_kinds() == [k for k in everything.values() if k.from_text is not None]
        assert kinds.embedded_kinds() == [k for k in everything.values() if k.from_embedded is not None]
        assert kinds.kind_named("no_such_kind") is None
    finally:
        kinds._index.cache_clear()


def test_a_stale_or_damaged_kind_index_is_made_again(tmp_path, monkeypatch):
    import validator.kinds as kinds

    monkeypatch.setenv("SELFEVAL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SELFEVAL_NO_CACHE", raising=False)
    kinds._index.cache_clear()
    try:
        good = kinds._index()
        path = next(tmp_path.glob("kinds-*.json"))
        doc = json.loads(path.read_text(encoding="utf-8"))
        # An index written before a plug-in changed: a kind it no longer defines.
        doc["files"][0][1] += 1
        doc["kinds"].append(["ghost", "self_eval", True, False, False])
        path.write_text(json.dumps(doc), encoding="utf-8")
        kinds._index.cache_clear()
        assert kinds._index() == good
        path.write_text("{not json", encoding="utf-8")
        kinds._index.cache_clear()
        assert kinds._index() == good
        assert json.loads(path.read_text(encoding="utf-8"))["kinds"][0][0] == next(iter(good))
    finally:
        kinds._index.cache_clear()


def test_main_called_from_python_leaves_the_garbage_collector_as_it_was(one_json, tmp_path, monkeypatch, capsys):
    import gc

    from validator.cli.main import main

    monkeypatch.setenv("SELFEVAL_CACHE_DIR", str(tmp_path / "cache"))
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    assert main(["check", str(one_json), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["files"][0]["kind"] == "transfer"
    assert gc.isenabled() and gc.get_freeze_count() == frozen


@pytest.mark.parametrize("argv, command", [
    (["check", "a.json"], "check"), (["--lang", "en", "check", "a.json"], "check"), (["--lang=en", "--debug", "rules", "list"], "rules"),
    (["--help"], None), (["--version"], None), (["chek", "a.json"], None), ([], None), (["--lang"], None),
])
def test_only_the_command_given_is_built(argv, command):
    from validator.cli.main import _command_in

    assert _command_in(argv) == command
