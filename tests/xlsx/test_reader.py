"""Reading workbooks: the reference tables and the layout variations bureaus produce."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from validator.errors import InputError
from validator.submission import load_documents
from validator.submission import load_documents as read_workbook

from . import build
from conftest import run_cli

SCHEMA = json.loads((build.ROOT / "validator" / "kinds" / "self_eval" / "schema.json").read_text("utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
SAMPLES = build.ROOT / "samples"


def read(path: Path):
    loaded = read_workbook(path)
    for item in loaded:
        errors = sorted(VALIDATOR.iter_errors(item.data), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return loaded


def read_one(path: Path):
    loaded = read(path)
    assert len(loaded) == 1, [item.origin for item in loaded]
    return loaded[0]


def cell(data: dict, path: str) -> str:
    where = data["source"][path]
    return f"{where['sheet']}!{where['cell']}"


def without_source(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "source"}


# --- the reference tables -------------------------------------------------------------------

@pytest.fixture
def anshan(tmp_path):
    return read_one(build.write(tmp_path, "anshan.xlsx", build.anshan()))


def test_anshan_header_and_kind(anshan, tmp_path):
    data = anshan.data
    assert anshan.origin == str(tmp_path / "anshan.xlsx")
    assert anshan.notices == []
    assert data["kind"] == "transfer"
    assert data["name"] == "安全生产预防和应急救援能力建设补助资金(煤矿及重点非煤矿山重大灾害风险防控资金)"
    assert data["year"] == 2024
    assert data["departments"] == {
        "中央主管部门": "财政部、国家矿山安全监察局",
        "省级主管部门": "辽宁省地方矿山安全监督管理局、国家矿山安全监察局辽宁局",
        "市级财政部门": "鞍山市财政局",
    }
    assert data["unit"] == "鞍钢集团矿业有限公司"
    assert cell(data, "unit") == "自评表!E6"
    assert cell(data, "year") == "自评表!A2"


def test_anshan_funds(anshan):
    data = anshan.data
    funds = data["funds"]
    assert funds["unit"] == "万元"
    assert funds["total"] == {"label": "年度资金总额", "source": "total", "budget": "157", "executed": "0", "rate": "0%"}
    assert [s["source"] for s in funds["sources"]] == ["central", "local", "other"]
    assert funds["sources"][0] == {"label": "其中:中央补助", "source": "central", "budget": "94", "executed": "0", "rate": "0%"}
    # the 地方资金 row is printed empty: its cells are there, blank
    assert funds["sources"][1] == {"label": "地方资金", "source": "local", "budget": None, "executed": None, "rate": None}
    assert funds["sources"][2]["budget"] == "63"
    assert cell(data, "funds.total.budget") == "自评表!C8"
    assert cell(data, "funds.sources[0].rate") == "自评表!F9"
    assert cell(data, "funds.sources[1].executed") == "自评表!D10"
    assert cell(data, "funds.unit") == "自评表!A7"


def test_anshan_management_goal_notes(anshan):
    data = anshan.data
    items = [m["item"] for m in data["management"]]
    assert items == ["分配科学性", "下达及时性", "拨付合规性", "使用规范性", "执行准确性", "预算绩效管理情况", "支出责任履行情况"]
    assert all(m["issues"] is None for m in data["management"])
    assert data["management"][0]["description"] == "根据矿山生产规模、开采工程进度等方面进行论证,依据风险等级进行分配。"
    assert cell(data, "management[2].issues") == "自评表!F15"
    assert cell(data, "management[6]") == "自评表!B19"
    assert data["goal"] == {
        "target": "通过建设重点非煤矿山重大风险防控项目,强化全市重点非煤矿山安全风险防范能力,进一步提升矿山安全监管监察水平。",
        "actual": "未完成在线监控系统建设工作。",
    }
    assert cell(data, "goal.actual") == "自评表!F21"
    # 说明 left blank (the template asks for 无): present, empty, and located
    assert data["notes"] is None
    assert cell(data, "notes") == "自评表!C32"
    assert "total" not in data


def test_anshan_indicators(anshan):
    data = anshan.data
    indicators = data["indicators"]
    assert [i["name"] for i in indicators] == [
        "重点非煤矿山在线监控系统", "视频监控点位", "移动式摄像机", "验收通过率", "联网在线率", "进度完成率",
        "矿山安全风险防控水平", "矿山安全监管监察效能", "服务对象满意度",
    ]
    assert indicators[1] == {
        "level1": "产出指标", "level2": "数量指标", "name": "视频监控点位",
        "target": "≥15个", "actual": "0个", "reason": "设备交付缓慢,沟通厂家加快交付",
    }
    # 0.95 in a 0.00% cell is read as printed
    assert (indicators[3]["target"], indicators[3]["actual"]) == ("95.00%", "0.00%")
    assert indicators[4]["reason"] is None
    # labels carried down over the merged 一级/二级 cells
    assert (indicators[5]["level1"], indicators[5]["level2"]) == ("产出指标", "时效指标")
    assert (indicators[7]["level1"], indicators[7]["level2"]) == ("效益指标", "可持续性影响")
    assert (indicators[8]["level1"], indicators[8]["level2"]) == ("满意度指标", "服务对象满意度指标")
    assert cell(data, "indicators[1].actual") == "自评表!F24"
    assert cell(data, "indicators[3]") == "自评表!D26"
    assert cell(data, "indicators[5].level1") == "自评表!B23"  # the merged cell it came from
    assert "indicator_groups" not in data


def test_every_value_has_a_source(anshan):
    data = anshan.data

    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("source", "selfeval", "kind"):
                    continue
                yield from walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, f"{path}[{i}]")
        else:
            yield path

    missing = [p for p in walk(data, "") if p not in data["source"] and not p.endswith(".source")]
    assert missing == []


@pytest.mark.parametrize("filename, spec", [
    ("quxian-2024-monitoring-center.xlsx", build.monitoring),
    ("quxian-2024-experts.xlsx", build.experts),
])
def test_quxian_project_tables(tmp_path, filename, spec):
    data = read_one(build.write(tmp_path, filename, spec())).data
    assert data["kind"] == "project"
    assert data["unit"] == "渠县安全生产事务中心"
    assert data["project_type"] == "行政运转"
    assert data["year"] == 2024  # from 项目起止年限
    assert cell(data, "year") == "自评表!C11"
    funds = data["funds"]
    assert funds["unit"] == "万元"
    assert funds["total"]["label"] == "年度资金总额："
    assert [s["source"] for s in funds["sources"]] == ["fiscal", "other"]
    assert funds["sources"][1]["budget"] is None
    assert cell(data, "funds.total.budget") == "自评表!C12"
    assert list(data["goal"]) == ["target"]
    assert len(data["indicators"]) == 6
    satisfaction = data["indicators"][4]
    assert satisfaction["level1"] == "满意度指标"  # printed 满意度\n指标
    assert satisfaction["nature"] == "≥"
    assert satisfaction["measure_unit"] == "%"
    assert satisfaction["weight"] == "10"
    assert data["indicators"][3]["measure_unit"] is None
    assert cell(data, "indicators[4].actual") == "自评表!I22"
    if filename.endswith("monitoring-center.xlsx"):
        assert data["name"] == "2024年监测监控中心运行经费"
        assert funds["total"]["budget"] == "17.28"
        assert satisfaction["actual"] == "98%"  # 0.98 formatted 0%
    else:
        assert data["name"] == "51172524T000011043203-2024年专家经费"
        assert funds["total"]["budget"] == "13.6"
        assert satisfaction["actual"] == "96"
        cost = data["indicators"][5]
        assert (cost["target"], cost["actual"], cost["measure_unit"]) == ("13.60", "13.60", "万元")


def test_committed_samples_read(tmp_path):
    expected = {
        "anshan-2024-transfer.xlsx": ("transfer", 9),
        "quxian-2024-monitoring-center.xlsx": ("project", 6),
        "quxian-2024-experts.xlsx": ("project", 6),
    }
    for filename, (kind, count) in expected.items():
        loaded = read_one(SAMPLES / filename)
        assert loaded.data["kind"] == kind
        assert len(loaded.data["indicators"]) == count
        assert loaded.notices == []


def test_sample_script_is_deterministic(tmp_path):
    first = build.samples.deterministic_bytes(build.samples.build_workbook(build.anshan()))
    second = build.samples.deterministic_bytes(build.samples.build_workbook(build.anshan()))
    assert first == second


def test_load_file_dispatches_to_the_workbook_reader(tmp_path):
    loaded = load_documents(build.write(tmp_path, "a.xlsx", build.anshan()))
    assert loaded[0].data["kind"] == "transfer"


# --- layout variations -------------------------------------------------------------------

def test_unmerged_reads_the_same_as_merged(tmp_path, anshan):
    plain = read_one(build.write(tmp_path, "plain.xlsx", build.unmerge(build.anshan())))
    # An empty 说明 cell is located just right of its label: C32 behind the merged A32:B32,
    # B32 once the merge is gone. Everything else, sources included, is identical.
    assert cell(plain.data, "notes") == "自评表!B32"
    plain.data["source"]["notes"] = anshan.data["source"]["notes"]
    assert plain.data == anshan.data


def test_extra_blank_column(tmp_path, anshan):
    # a blank column inserted between 指标值 and 全年实际完成值 (and so through every block)
    shifted = read_one(build.write(tmp_path, "shifted.xlsx", build.insert_column(build.anshan(), 6)))
    assert without_source(shifted.data) == without_source(anshan.data)
    assert cell(shifted.data, "indicators[1].actual") == "自评表!G24"
    assert cell(shifted.data, "funds.total.rate") == "自评表!G8"
    assert cell(shifted.data, "management[2].issues") == "自评表!G15"


def test_extra_blank_column_before_values(tmp_path, anshan):
    shifted = read_one(build.write(tmp_path, "shifted.xlsx", build.insert_column(build.anshan(), 3)))
    assert without_source(shifted.data) == without_source(anshan.data)
    assert cell(shifted.data, "funds.total.budget") == "自评表!D8"


def test_missing_column(tmp_path):
    # the same template without 度量单位 (column G)
    data = read_one(build.write(tmp_path, "nounit.xlsx", build.delete_column(build.monitoring(), 7))).data
    satisfaction = data["indicators"][4]
    assert "measure_unit" not in satisfaction
    assert (satisfaction["target"], satisfaction["weight"], satisfaction["actual"]) == ("95", "10", "98%")
    assert cell(data, "indicators[4].weight") == "自评表!G22"


def test_header_repeated_mid_table_and_trailing_note(tmp_path, anshan):
    spec = build.unmerge(build.anshan())
    header = build.sheet(spec)["rows"][21]
    spec = build.insert_rows(spec, 28, [header])  # a page break before 时效指标
    spec["sheets"][0]["rows"].append(["1", "合计", 5])  # under the 注: footnote, not part of the table
    data = read_one(build.write(tmp_path, "repeat.xlsx", spec)).data
    assert [i["name"] for i in data["indicators"]] == [i["name"] for i in anshan.data["indicators"]]
    assert data["indicators"][5]["level1"] == "产出指标"
    assert cell(data, "indicators[5]") == "自评表!D29"
    assert "total" not in data
    assert data["notes"] is None


def test_project_table_scoring_four_levels_and_cells(tmp_path):
    path = build.write(tmp_path, "project.xlsx", build.project_spec(), cached={("项目自评表", "F7"): "1000.5"})
    loaded = read_one(path)
    data = loaded.data
    assert data["kind"] == "project"
    assert data["year"] == 2024
    assert data["departments"] == {"主管部门": "渠县应急管理局"}
    assert data["unit"] == "渠县安全生产事务中心"
    total = data["funds"]["total"]
    assert total["initial_declared"] == "120"  # 年初预算数 split into 目标申报数 / 预算编制数
    assert total["initial_planned"] == "120"
    assert total["budget"] == "1234.50"  # text with a thousands separator
    assert total["executed"] == "1000.5"  # formula read through its cached value
    assert total["rate"] == "81.05%"
    assert total["weight"] == "10"
    assert total["score"] is None  # formula saved without a cached value
    assert data["funds"]["sources"][0]["initial_declared"] == "120"  # full-width digits
    assert data["funds"]["sources"][1]["rate"] == "#DIV/0!"
    assert "weight" not in data["funds"]["sources"][0]  # merged 分值 belongs to the first row
    assert data["funds"]["reason"] == "部分装备采购延至次年"
    assert cell(data, "funds.reason") == "项目自评表!J7"
    # XL002 names the cell and the field read from it
    [notice] = loaded.notices
    assert (notice.code, notice.severity, notice.sheet, notice.cell) == ("XL002", "warning", "项目自评表", "I7")
    assert notice.path == "funds.total.score"
    assert "公式没有缓存值" in notice.message

    indicators = data["indicators"]
    assert [i["name"] for i in indicators] == ["支持建设国家矿山应急救援队伍（支）", "培训人次", "装备达标率", "救援响应时间", "群众满意度"]
    assert indicators[0] == {
        "level1": "产出指标", "level2": "数量指标", "level3": "队伍建设", "name": "支持建设国家矿山应急救援队伍（支）",
        "target": "≥ 3", "actual": "3", "weight": "15", "score": "15", "reason": None,
    }
    assert (indicators[2]["target"], indicators[2]["actual"], indicators[2]["score"]) == ("95%", "90%", "18.95")
    assert indicators[4]["actual"] == "#VALUE!"
    assert indicators[4]["level1"] == "满意度指标"
    assert data["indicator_groups"] == [
        {"level1": "产出指标", "weight": "50"},
        {"level1": "产出指标", "level2": "数量指标", "weight": "30"},
        {"level1": "产出指标", "level2": "质量指标", "weight": "20"},
        {"level1": "效益指标", "weight": "30"},
        {"level1": "满意度指标", "weight": "10", "score": "9"},
    ]
    assert cell(data, "indicator_groups[0].weight") == "项目自评表!B11"
    assert data["total"] == {"label": "合计", "weight": "100", "score": "96.95", "grade": "优"}
    assert cell(data, "total.score") == "项目自评表!I18"
    assert data["notes"] == "无"


def test_two_tables_stacked_on_one_sheet(tmp_path):
    spec, second_row = build.stack(build.anshan(), build.monitoring())
    path = build.write(tmp_path, "stacked.xlsx", spec)
    first, second = read(path)
    assert first.origin == f"{path}#自评表!A1"
    assert second.origin == f"{path}#自评表!A{second_row}"
    assert (first.data["kind"], second.data["kind"]) == ("transfer", "project")
    assert len(first.data["indicators"]) == 9
    assert second.data["name"] == "2024年监测监控中心运行经费"
    assert cell(second.data, "indicators[4].actual") == f"自评表!I{second_row + 21}"
    assert "notes" not in second.data


def test_stacked_without_title_splits_on_repeated_name(tmp_path):
    spec, second_row = build.stack(build.monitoring(), build.experts(), gap=0, drop_rows_of_second=1)
    first, second = read(build.write(tmp_path, "stacked.xlsx", spec))
    assert first.data["name"] == "2024年监测监控中心运行经费"
    assert second.data["name"] == "51172524T000011043203-2024年专家经费"
    assert second.origin.endswith(f"#自评表!A{second_row}")
    assert len(first.data["indicators"]) == len(second.data["indicators"]) == 6


def test_tables_on_several_sheets_and_a_sheet_without_table(tmp_path):
    spec = build.add_sheet(build.anshan(), "填表说明", [["填表说明"], ["1. 金额单位为万元。"], ["2. 如没有请填无。"]])
    spec = build.add_sheet(spec, "Sheet3", [])
    quxian = build.monitoring()["sheets"][0]
    spec["sheets"].insert(1, {**quxian, "name": "项目表"})
    path = build.write(tmp_path, "many.xlsx", spec)
    first, second = read(path)
    assert first.origin == f"{path}#自评表"
    assert second.origin == f"{path}#项目表"
    assert [(n.code, n.severity, n.sheet) for n in first.notices] == [
        ("XL001", "info", "填表说明"), ("XL001", "info", "Sheet3"),
    ]
    assert "没有可识别的表格" in first.notices[0].message
    assert "no recognizable" in first.notices[0].message_en
    assert second.notices == []


def test_single_table_with_extra_sheet_keeps_plain_origin(tmp_path):
    spec = build.add_sheet(build.anshan(), "备用", [["联系人", "张三"]])
    path = build.write(tmp_path, "extra.xlsx", spec)
    loaded = read_one(path)
    assert loaded.origin == str(path)
    assert [(n.code, n.sheet) for n in loaded.notices] == [("XL001", "备用")]


# --- files that cannot be read ---------------------------------------------------------------

def assert_input_error(path: Path, *fragments: str) -> InputError:
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    error = caught.value
    assert str(path) in error.message and str(path) in error.message_en
    assert "\n" not in error.message and "\n" not in error.message_en
    for fragment in fragments:
        assert fragment in error.message or fragment in error.message_en
    return error


def test_text_file_renamed_xlsx(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("项目名称,监测监控中心\n", "utf-8")
    assert_input_error(path, "不是有效的 .xlsx", "not a valid .xlsx")


def test_truncated_xlsx(tmp_path):
    whole = build.write(tmp_path, "whole.xlsx", build.anshan()).read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert_input_error(path, "已损坏或不完整", "damaged or incomplete")


def test_encrypted_ole_file(tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
    assert_input_error(path, "密码", "password-protected")


def test_ole_file_without_encryption_is_old_xls(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    assert_input_error(path, ".xls")


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert_input_error(path, "不是有效的 .xlsx")


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert_input_error(empty, "文件为空")
    assert_input_error(tmp_path / "missing.xlsx", "无法读取文件")


def test_workbook_without_any_table_says_so_per_sheet_and_checks_nothing(tmp_path):
    """Not a user mistake: each sheet gets an info notice, and nothing is checked as a 自评表."""
    spec = {"sheets": [
        {"name": "Sheet1", "rows": [["联系人", "张三"], ["电话", "123"]], "merges": []},
        {"name": "填表说明", "rows": [["填表说明"], ["1. 金额单位为万元。"]], "merges": []},
    ]}
    path = build.write(tmp_path, "none.xlsx", spec)
    (doc,) = read_workbook(path)
    assert doc.data is None
    assert [(n.code, n.severity, n.sheet) for n in doc.notices] == [("XL001", "info", "Sheet1"), ("XL001", "info", "填表说明")]
    proc = run_cli("check", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    (file,) = json.loads(proc.stdout)["files"]
    assert [(f["rule"], f["severity"], f["location"]["sheet"]) for f in file["findings"]] == [
        ("XL001", "info", "Sheet1"), ("XL001", "info", "填表说明")]


@pytest.mark.parametrize("stem", ["anshan-2024-transfer", "quxian-2024-monitoring-center", "quxian-2024-experts"])
def test_sample_workbooks_agree_with_the_yaml_samples(stem):
    """The workbook and the hand-written YAML sample are the same printed table. The YAML
    adds what the table lacks (report, scorecard, supplied 执行数/分值), so only the fields
    read from the workbook are compared, as text."""
    yaml_path = SAMPLES / f"{stem}.yaml"
    if not yaml_path.exists():
        pytest.skip(f"{yaml_path.name} not present")
    from validator.read.text import read_text_file

    written = read_text_file(yaml_path, "yaml").data
    data = read_one(SAMPLES / f"{stem}.xlsx").data

    def as_text(value):
        return None if value is None else str(value)

    def compare(ours, theirs, path):
        if isinstance(ours, dict):
            for key, value in ours.items():
                assert key in theirs, f"{path}.{key} missing from the YAML sample"
                compare(value, theirs[key], f"{path}.{key}")
        elif isinstance(ours, list):
            assert len(ours) == len(theirs), path
            for i, (a, b) in enumerate(zip(ours, theirs)):
                compare(a, b, f"{path}[{i}]")
        else:
            assert as_text(ours) == as_text(theirs), path

    compare(without_source(data), written, stem)
