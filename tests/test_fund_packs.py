"""The fund-type packs (rules/safety-production, rules/disaster-relief): chosen by the
submission's fund_type or name, and their overrides of standard rules take effect."""

from __future__ import annotations

import pytest

from validator import Validator

VALIDATOR = Validator()

SAFETY = "安全生产预防和应急救援能力建设补助资金"
RELIEF = "自然灾害救灾资金"


def packs_for(**header) -> list[str]:
    return [p.name for p in VALIDATOR.packset.active({"kind": "transfer", **header})]


@pytest.mark.parametrize(
    "header,expected",
    [
        ({}, ["standard"]),
        ({"fund_type": SAFETY}, ["standard", "safety-production"]),
        ({"name": f"{SAFETY}(煤矿及重点非煤矿山重大灾害风险防控资金)"}, ["standard", "safety-production"]),
        ({"fund_type": RELIEF}, ["standard", "disaster-relief"]),
        ({"name": "中央自然灾害救灾资金(云溪县2024年度)"}, ["standard", "disaster-relief"]),
        # 救灾资金 alone must not pick disaster-relief for another fund.
        ({"fund_type": "农业生产防灾减灾救灾资金"}, ["standard"]),
    ],
)
def test_pack_selection(header, expected):
    assert packs_for(**header) == expected


def _funds(budget, executed):
    return {"total": {"label": "年度资金总额", "budget": budget, "executed": executed},
            "sources": [{"label": "其中:中央补助", "source": "central", "budget": budget, "executed": executed}]}


@pytest.mark.parametrize("fund_type", [SAFETY, RELIEF])
def test_ex001_threshold_raised_to_90_percent(fund_type):
    sub = {"kind": "transfer", "funds": _funds(200, 170), "management": [{"item": "执行准确性", "issues": "无"}]}
    assert not [f for f in VALIDATOR.check_mapping(sub).findings if f.rule == "EX001"]  # 85% ≥ 80%
    hits = [f for f in VALIDATOR.check_mapping({**sub, "fund_type": fund_type}).findings if f.rule == "EX001"]
    assert len(hits) == 1 and hits[0].pack != "standard"


def test_un003_is_an_error_for_safety_production():
    ind = {"level1": "产出指标", "level2": "数量指标", "name": "支持建设国家矿山应急救援队伍（支）", "target": "≥3", "actual": 100}
    sub = {"kind": "transfer", "indicators": [ind]}
    plain = [f for f in VALIDATOR.check_mapping(sub).findings if f.rule == "UN003"]
    fund = [f for f in VALIDATOR.check_mapping({**sub, "fund_type": SAFETY}).findings if f.rule == "UN003"]
    assert [f.severity for f in plain] == ["warning"]
    assert [f.severity for f in fund] == ["error"]
    assert fund[0].pack == "safety-production"
