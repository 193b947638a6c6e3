"""Less common layouts: 省级/市级/县级 parts, indicator sub-headers, offset tables, the kind rule."""

from __future__ import annotations

import copy
import datetime as dt

from . import build
from .test_reader import cell, read, read_one, without_source


def test_local_funds_split_into_parts(tmp_path):
    spec = build.insert_rows(build.anshan(), 11, [
        [None, "省级", 10, 5, None, (0.5, "0%")],
        [None, "市级", 20, 0, None, (0, "0%")],
        [None, "县级"],
    ])
    build.sheet(spec)["rows"][9] = [None, "地方资金", 30, 5, None, (0.1667, "0.00%")]
    data = read_one(build.write(tmp_path, "parts.xlsx", spec)).data
    local = data["funds"]["sources"][1]
    assert local["source"] == "local"
    assert local["rate"] == "16.67%"
    assert [(p["label"], p["source"], p["budget"]) for p in local["parts"]] == [
        ("省级", "provincial", "10"), ("市级", "city", "20"), ("县级", "county", None),
    ]
    assert local["parts"][0]["rate"] == "50%"
    assert cell(data, "funds.sources[1].parts[0].budget") == "自评表!C11"
    assert cell(data, "funds.sources[1].parts[2]") == "自评表!B13"
    assert data["funds"]["sources"][2]["source"] == "other"  # 其他资金 after the parts is a source again


def test_parts_without_a_local_row_are_sources(tmp_path):
    spec = build.anshan()
    build.sheet(spec)["rows"][9] = [None, "市级财政资金", 30, 5, None, (0.1667, "0.00%")]
    data = read_one(build.write(tmp_path, "city.xlsx", spec)).data
    assert [s["source"] for s in data["funds"]["sources"]] == ["central", "city", "other"]


def test_table_offset_from_the_corner(tmp_path, anshan=None):
    base = read_one(build.write(tmp_path, "base.xlsx", build.anshan())).data
    moved = build.insert_column(build.insert_column(build.anshan(), 1), 1)
    moved = build.insert_rows(moved, 1, [[], [None, None, "附件1"], []])
    data = read_one(build.write(tmp_path, "moved.xlsx", moved)).data
    assert without_source(data) == without_source(base)
    assert cell(data, "indicators[1].actual") == "自评表!H27"


def test_indicator_sub_headers_and_other_spellings(tmp_path):
    """Another province's spelling: 指标值 split into 年初指标值 / 调整后指标值, 全年完成值,
    偏差原因分析及改进措施, funds headed 预算数 / 实际支出 / 执行率 with 地方财政资金."""
    rows = [
        ["2024年度中央对地方转移支付区域绩效自评表"],
        ["转移支付名称", "某某补助资金"],
        ["中央主管部门", "应急管理部", "地方主管部门", "某省应急管理厅"],
        ["资金情况（万元）", "", "预算数", "实际支出", "执行率"],
        [None, "资金总额", "1,000", "900", (0.9, "0.0%")],
        [None, "中央财政资金", "800", "720", (0.9, "0.0%")],
        [None, "地方财政资金", "200", "180", (0.9, "0.0%")],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", None, "全年完成值", "偏差原因分析及改进措施"],
        [None, None, None, None, "年初指标值", "调整后指标值"],
        [None, "产出指标", "数量指标", "培训人次", "≥ 90%", "≥ 95%", "96%", None],
        [None, None, "", "", "", "", "", ""],
        [None, None, "质量指标", "", "≥95%", "≥95%", "98%"],
        [None, "满意度指标", "服务对象满意度指标", "满意度", "≥90%", "≥90%", "92%"],
        ["说明", "无"],
    ]
    merges = ["A4:A7", "E8:F8", "G8:G9", "H8:H9", "A8:A13"]
    spec = {"sheets": [{"name": "区域自评", "rows": rows, "merges": merges}]}
    data = read_one(build.write(tmp_path, "region.xlsx", spec)).data
    assert data["kind"] == "transfer"
    assert data["name"] == "某某补助资金"
    assert data["year"] == 2024
    assert data["departments"] == {"中央主管部门": "应急管理部", "地方主管部门": "某省应急管理厅"}
    assert data["funds"]["total"] == {"label": "资金总额", "source": "total", "budget": "1000", "executed": "900", "rate": "90.0%"}
    assert [s["source"] for s in data["funds"]["sources"]] == ["central", "local"]
    first = data["indicators"][0]
    assert (first["initial_target"], first["target"], first["actual"]) == ("≥ 90%", "≥ 95%", "96%")
    assert cell(data, "indicators[0].target") == "区域自评!F10"
    # a leaf whose name was left blank is kept (with its values) so a rule can flag it
    assert data["indicators"][1]["name"] == ""
    assert data["indicators"][1]["level2"] == "质量指标"
    assert data["indicators"][2]["level1"] == "满意度指标"
    assert data["notes"] == "无"


def test_kind_rule(tmp_path):
    def kind_of(rows):
        spec = {"sheets": [{"name": "S", "rows": rows, "merges": []}]}
        return read_one(build.write(tmp_path, "k.xlsx", spec)).data["kind"]

    indicators = [
        ["一级指标", "二级指标", "三级指标", "指标值", "全年实际完成值"],
        ["产出指标", "数量指标", "培训人次", "≥500", "520"],
    ]
    scored = [
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "培训人次", "≥500", "520", 20, 20],
    ]
    assert kind_of(indicators) == "transfer"  # no marker at all: the plainer layout
    assert kind_of(scored) == "project"  # scoring columns
    assert kind_of([["预算单位", "某中心"], *indicators]) == "project"
    # 转移支付 decides even when the template adds 分值/得分
    assert kind_of([["中央对地方转移支付区域绩效自评表"], *scored]) == "transfer"
    assert kind_of([["转移支付(项目)名称", "某资金"], *scored]) == "transfer"


def test_formula_with_cached_empty_string_is_not_flagged(tmp_path):
    spec = build.anshan()
    build.set_cell(build.sheet(spec), "G27", '=IF(F27<E27,"未完成","")')
    loaded = read_one(build.write(tmp_path, "f.xlsx", spec, cached={("自评表", "G27"): ""}))
    assert loaded.notices == []
    assert loaded.data["indicators"][4]["reason"] is None


def test_formula_without_cache_outside_fields_still_reported(tmp_path):
    spec = copy.deepcopy(build.anshan())
    build.set_cell(build.sheet(spec), "J40", "=1+1")
    loaded = read_one(build.write(tmp_path, "f.xlsx", spec))
    assert [(n.code, n.cell, n.path) for n in loaded.notices] == [("XL002", "J40", "")]


def test_title_area_notes_year_and_unit(tmp_path):
    rows = [
        ["附件1"],
        ["（2024年度）"],
        [None, "项目支出绩效自评表", None, "单位：万元"],
        ["项目名称", "应急演练"],
        ["资金情况", "全年预算数", "全年执行数", "执行率"],
        ["资金总额", 10, 9, (0.9, "0%")],
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "演练次数", "≥2次", "2次", 50, 50],
        [None, "时效指标", "完成日期", "2024年12月31日前", (dt.datetime(2024, 12, 30), "yyyy-mm-dd"), 50, 50],
        ["总分", None, None, None, None, 100, 100],
        ["评价等级", "优"],
    ]
    spec = {"sheets": [{"name": "S", "rows": rows, "merges": []}]}
    data = read_one(build.write(tmp_path, "t.xlsx", spec)).data
    assert (data["kind"], data["year"], data["name"]) == ("project", 2024, "应急演练")
    assert cell(data, "year") == "S!A2"
    assert data["funds"]["unit"] == "万元"
    assert cell(data, "funds.unit") == "S!D3"
    assert data["funds"]["total"]["rate"] == "90%"
    assert data["total"] == {"label": "总分", "weight": "100", "score": "100", "grade": "优"}
    assert cell(data, "total.grade") == "S!B11"
    assert data["indicators"][1]["actual"] == "2024年12月30日"
    assert data["indicators"][1]["level1"] == "产出指标"  # carried down over an empty cell


def test_short_rows_inside_indicators_stay_indicators(tmp_path):
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值", "全年实际完成值"],
        ["产出指标", "时效指标", "完成时间", "2024年度", "2024年度"],
        [None, None, "验收时间", "(2024年)"],
    ]
    spec = {"sheets": [{"name": "S", "rows": rows, "merges": []}]}
    loaded = read(build.write(tmp_path, "t.xlsx", spec))
    assert len(loaded) == 1
    assert [i["name"] for i in loaded[0].data["indicators"]] == ["完成时间", "验收时间"]


def test_level_labels_repeated_on_every_row(tmp_path):
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值", "全年实际完成值"],
        ["产出指标", "数量指标", "培训人次", "≥500", "520"],
        ["产出指标", None, "演练次数", "≥2", "2"],
        ["产出指标", "质量指标", "合格率", "≥95%", "98%"],
        ["效益指标", None, "事故起数", "下降", "下降"],
    ]
    spec = {"sheets": [{"name": "S", "rows": rows, "merges": []}]}
    data = read_one(build.write(tmp_path, "t.xlsx", spec)).data
    assert [(i["level1"], i.get("level2")) for i in data["indicators"]] == [
        ("产出指标", "数量指标"), ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", None),
    ]
    assert cell(data, "indicators[1].level1") == "S!A3"


def test_reason_merged_over_several_indicators_applies_to_each(tmp_path):
    spec = build.anshan()
    build.sheet(spec)["merges"].append("G24:G25")  # one reason for 视频监控点位 and 移动式摄像机
    data = read_one(build.write(tmp_path, "m.xlsx", spec)).data
    assert data["indicators"][2]["reason"] == "设备交付缓慢,沟通厂家加快交付"
    assert cell(data, "indicators[2].reason") == "自评表!G24"
