"""The Python API a system embeds."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import yaml

from conftest import SAMPLES
from validator import Validator
from validator.read.text import DecimalSafeLoader


def load(name):
    return yaml.load((SAMPLES / name).read_text(encoding="utf-8"), Loader=DecimalSafeLoader)


def test_check_mapping_returns_report(validator):
    report = validator.check(load("county-2024-project-defects.yaml"))
    assert not report.ok
    rate = [f for f in report.findings if f.rule == "AR007"][0]
    assert rate.location.path == "funds.sources[2].rate"
    assert rate.expected == "95.14%" and rate.actual == "4.33%"
    d = report.to_dict()
    assert d["version"] == 1 and d["files"][0]["kind"] == "project"


def test_check_path_and_folder(validator):
    assert validator.check(SAMPLES / "anshan-2024-transfer-clean.yaml").ok
    folder = validator.check(SAMPLES)
    assert len(folder.files) >= 7
    assert not folder.ok


def test_select_ignore_in_api():
    v = Validator(select=["TA"], ignore=["TA002"])
    ids = {r.id for r in v.rules}
    assert ids and all(i.startswith("TA") for i in ids) and "TA002" not in ids


def test_validator_is_reusable_across_threads(validator):
    data = load("county-2024-project-defects.yaml")
    expected = [(f.rule, f.location.path, f.expected) for f in validator.check(data).findings]

    def run(_):
        return [(f.rule, f.location.path, f.expected) for f in validator.check(data).findings]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, range(16)))
    assert all(r == expected for r in results)


def test_input_mapping_is_not_modified(validator):
    import copy

    data = load("county-2024-project-defects.yaml")
    snapshot = copy.deepcopy(data)
    validator.check(data)
    assert data == snapshot


def test_with_options_shares_the_compiled_rules_and_changes_only_the_selection():
    from validator import Validator

    base = Validator()
    only_ar = base.with_options(select=["AR"])
    assert {r.id[:2] for r in only_ar.rules} == {"AR"}
    assert only_ar.packset.packs is base.packset.packs  # nothing loaded or compiled again
    assert len(base.rules) > len(only_ar.rules)  # the original keeps its own selection
    sample = str(SAMPLES / "county-2024-project-defects.yaml")
    assert {f.rule[:2] for f in only_ar.check(sample).findings} == {"AR"}
    assert {f.rule[:2] for f in base.check(sample).findings} > {"AR"}


def test_the_reader_takes_a_path_as_text():
    """An embedding program may hand the reader a str, as it hands one to Validator.check."""
    from validator.read import read_file

    book = read_file(str(SAMPLES / "xinjiang-2023-tailings.xlsx"))
    assert [(s.sheet, s.texts) for s in book.sheets] == [(s.sheet, s.texts) for s in read_file(SAMPLES / "xinjiang-2023-tailings.xlsx").sheets]
    assert read_file(str(SAMPLES / "anshan-2024-transfer.yaml")).data == read_file(SAMPLES / "anshan-2024-transfer.yaml").data
