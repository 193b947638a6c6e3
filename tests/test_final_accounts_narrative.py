"""The 情况说明 of a 部门决算公开 set, read as a report and checked against the tables: the
amounts it quotes (收支总计, 基本支出, 人员经费, “三公”经费, 机关运行经费, 政府采购 …) and the
arithmetic it states on its own figures (比上年增减, 占比, 完成预算的比例). The clean narrative
gives nothing; each slip is found on its sentence with the table's cell beside it; a figure
the text does not name as a table's, or names as another year's, is never compared."""

from __future__ import annotations

import importlib.util
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, run_cli
from validator import Validator
from validator.kinds import kind_named
from validator.submission import load_documents

VALIDATOR = Validator()
CLEAN_SET = SAMPLES / "final-accounts" / "yunxi-2024-final-accounts.xlsx"
CLEAN_TEXT = SAMPLES / "final-accounts" / "yunxi-2024-final-accounts-情况说明.docx"
DEFECTS_TEXT = SAMPLES / "reports" / "yunxi-2024-final-accounts-情况说明.docx"

_loader = importlib.util.spec_from_file_location("selfeval_final_accounts_narrative", ROOT / "samples" / "make_final_accounts.py")
make = importlib.util.module_from_spec(_loader)
_loader.loader.exec_module(make)


def narrative_report(*paths: Path):
    (report,) = [f for f in VALIDATOR.check(list(paths)).files if f.kind == "report"]
    assert report.error is None, report.error
    return report


def listed(findings) -> list[tuple]:
    return sorted((f.rule, f.severity, f.location.path, f.expected, f.actual) for f in findings)


def write_md(folder: Path, paragraphs: list[str]) -> Path:
    """The set and a narrative of the given paragraphs beside it, named alike."""
    shutil.copy(CLEAN_SET, folder / "yunxi-2024-final-accounts.xlsx")
    path = folder / "yunxi-2024-final-accounts-情况说明.md"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def clean_paragraphs() -> list[str]:
    return [text for _, text in make.narrative()]


# --- the samples ------------------------------------------------------------------------------

def test_the_clean_narrative_is_paired_with_its_set_and_gives_nothing():
    reports = {Path(f.path).name: f for f in VALIDATOR.check(SAMPLES / "final-accounts").files}
    text = reports["yunxi-2024-final-accounts-情况说明.docx"]
    assert text.kind == "report" and text.error is None
    assert text.findings == []  # not even RP011: it was checked against the set beside it
    # Every figure the template's sentences quote was tied to its table, and each of the
    # text's own rates to the figures it is of.
    report_doc = load_documents(CLEAN_TEXT)[0]
    tree = kind_named("report").derive(report_doc.data, load_documents(CLEAN_SET))
    assert [q["field"] for q in tree["quotes"]] == [
        "grand_total", "income_total", "general_income", "spending_total", "basic", "project", "general_spending",
        "t05:208", "t05:210", "t05:221", "t05:224", "general_basic", "personnel", "public", "three_public", "three_public",
        "abroad", "vehicles", "purchase", "running", "reception", "running_costs", "procurement", "goods", "works",
        "services", "sme"]
    assert [s["type"] for s in tree["stated_sums"]] == ["change", "share", "share", "share", "share", "share", "share",
                                                         "share", "completion", "change", "share"]


def test_the_narrative_with_five_slips_gives_exactly_those_five():
    found = narrative_report(DEFECTS_TEXT, SAMPLES / "reports" / "yunxi-2024-final-accounts.xlsx").findings
    assert listed(found) == [
        ("RP014", "error", "paragraphs[10]", "96.47万元", "96.74万元"),   # 公用经费, two digits swapped
        ("RP014", "error", "paragraphs[12]", "1.86万元", "18612万元"),    # 公务接待费 in 元 written as 万元
        ("RP015", "error", "paragraphs[2]", "7.69%", "7.14%"),           # the rate on this year's total
        ("RP016", "error", "paragraphs[6]", "67.65%", "67.56%"),         # 基本支出's share keyed wrong
        ("RP017", "error", "paragraphs[12]", "93.02%", "98.02%"),        # completion not recomputed
    ]
    by = {(f.rule, f.actual): f for f in found}
    public = by[("RP014", "96.74万元")]
    assert public.location.paragraph == 11 and "数字颠倒" in public.message
    assert [(r.sheet, r.cell) for r in public.related] == [("公开06", "I32")]
    assert "元与万元混淆" in by[("RP014", "18612万元")].message
    assert "本年数当作上年数" in by[("RP015", "7.14%")].message


def test_english_mode_is_english_but_for_the_texts_own_words():
    found = narrative_report(DEFECTS_TEXT, SAMPLES / "reports" / "yunxi-2024-final-accounts.xlsx").findings
    text = "".join(t for _, t in make.narrative("defects"))
    for f in found:
        for run in re.findall(r"[\u4e00-\u9fff“”（）、，：]+", f.message_en):
            # The text's own words, quoted, and the template's names for its tables and units.
            assert run in text or re.fullmatch(r"公开|万元|元", run), (f.rule, run, f.message_en)
        assert not re.search(r"[\u4e00-\u9fff]", re.sub(r"万元|元", "", f.hint_en or "")), f.hint_en


def test_the_cli_checks_a_set_and_its_narrative_named_alike(tmp_path):
    shutil.copy(CLEAN_SET, tmp_path / "云溪县应急管理局2024年度部门决算公开.xlsx")
    shutil.copy(DEFECTS_TEXT, tmp_path / "云溪县应急管理局2024年度部门决算情况说明.docx")
    done = run_cli("check", str(tmp_path), "--format", "json")
    assert done.returncode == 1, done.stderr
    assert done.stdout.count('"rule": "RP01') == 5


# --- mutations: each slip injected into the clean text by its label --------------------------

def _replace_after(paragraphs: list[str], label: str, change) -> tuple[list[str], int, str]:
    """The paragraphs with the first figure after `label` changed by `change`, the index of
    the paragraph and the figure as it was."""
    for i, text in enumerate(paragraphs):
        m = re.search(re.escape(label) + r"[^0-9，。；]{0,8}?(?P<n>\d+\.\d+)(?P<u>万元|%)", text)
        if m:
            out = list(paragraphs)
            out[i] = text[:m.start("n")] + change(m["n"], m["u"]) + text[m.end("u"):]
            return out, i, m["n"] + m["u"]
    raise AssertionError(label)


def _transposed(n: str, unit: str) -> str:
    return n[:-2] + n[-1] + n[-2] + unit if n[-1] != n[-2] else str(round(float(n) + 1.11, 2)) + unit  # noqa: float for a text edit only


def _in_yuan(n: str, unit: str) -> str:
    return n.replace(".", "") + unit  # 96.47万元 → 9647万元: the 元 figure without its zeros


def _zero_dropped(n: str, unit: str) -> str:
    whole, frac = n.split(".")
    return f"{whole[:-1] or '0'}.{whole[-1]}{frac}"[: len(n) + 1] + unit


AMOUNTS = ["支出总计均为", "基本支出", "项目支出", "人员经费", "公用经费", "支出预算为", "公务用车购置费", "公务接待费支出决算为",
           "机关运行经费支出", "政府采购货物支出", "政府采购服务支出", "授予中小企业合同金额", "住房保障支出（类）"]
RATES = {"增长": "RP015", "下降": "RP015", "基本支出537.98万元，占": "RP016", "卫生健康支出（类）22.35万元，占": "RP016",
         "完成预算的": "RP017"}


@pytest.mark.parametrize("label", AMOUNTS)
@pytest.mark.parametrize("slip", [_transposed, _in_yuan, _zero_dropped], ids=["digits-swapped", "yuan-as-wan", "zero-dropped"])
def test_a_quoted_amount_changed_is_found_on_its_sentence_and_nothing_else_new(tmp_path, label, slip):
    paragraphs, index, was = _replace_after(clean_paragraphs(), label, slip)
    found = narrative_report(write_md(tmp_path, paragraphs), tmp_path / "yunxi-2024-final-accounts.xlsx").findings
    ours = [f for f in found if f.rule == "RP014" and f.location.path == f"paragraphs[{index}]"]
    # The expected figure is the table's, printed to the text's decimals (537.980万元 beside 53.798万元).
    assert len(ours) == 1, [(f.rule, f.location.path, f.message) for f in found]
    assert Decimal(ours[0].expected.removesuffix("万元")) == Decimal(was.removesuffix("万元"))
    # What else may follow: the text's own rates that use the changed figure.
    others = [f for f in found if f is not ours[0]]
    assert all(f.rule in ("RP015", "RP016", "RP017") and f.location.path == f"paragraphs[{index}]" for f in others), \
        [(f.rule, f.location.path, f.message) for f in others]


@pytest.mark.parametrize("label", list(RATES))
def test_a_stated_rate_changed_is_found_by_its_rule_and_nothing_else(tmp_path, label):
    paragraphs, index, was = _replace_after(clean_paragraphs(), label, _transposed)
    found = narrative_report(write_md(tmp_path, paragraphs), tmp_path / "yunxi-2024-final-accounts.xlsx").findings
    assert [(f.rule, f.location.path) for f in found] == [(RATES[label], f"paragraphs[{index}]")]
    assert found[0].actual != was


def test_the_narrative_below_a_stacked_set_is_checked_in_its_cells(tmp_path):
    text = [t for _, t in make.narrative()]
    path = tmp_path / "stacked.xlsx"
    path.write_bytes(make.deterministic_bytes(make.build(make.spec("clean"), True, text)))
    files = VALIDATOR.check(path).files
    assert [(f.kind, f.findings) for f in files] == [("final_accounts", []), ("report", [])]
    text[10] = text[10].replace("公用经费96.47万元", "公用经费96.74万元")
    path.write_bytes(make.deterministic_bytes(make.build(make.spec("clean"), True, text)))
    (narrative,) = [f for f in VALIDATOR.check(path).files if f.kind == "report"]
    assert [(f.rule, f.location.sheet, f.location.cell, f.expected) for f in narrative.findings] == [
        ("RP014", "部门决算公开", "A267", "96.47万元")]


# --- traps: never cry wolf ---------------------------------------------------------------------

TRAPS = {
    "an amount in 元 that is the table's once converted": "其中：人员经费4415100元，公用经费964700元。",
    "fewer decimals than the table": "2024年度公用经费96.5万元。",
    "a name the words know only the tail of": "政府性基金预算财政拨款收入10.00万元，政府性基金预算财政拨款支出10.00万元。",
    "another year's figure": "2023年度公用经费90.00万元，机关运行经费100.00万元。",
    "last year's figure": "上年公用经费为90.00万元，上年机关运行经费为96.00万元。",
    "a bound, not a figure": "公用经费不超过100万元，机关运行经费控制在100万元以内。",
    "a budget the tables do not hold": "机关运行经费预算为100.00万元。",
    "counts are not amounts": "本单位共有车辆5辆，其中应急保障用车2辆。",
    "a change whose base cannot be told": "基本支出537.98万元，项目支出257.25万元。与上年相比增加12.00万元，增长9.9%。",
    "a share of a total the tables do not name": "项目支出257.25万元，占全县应急支出的12%。",
    "a rate rounded to one decimal": "2024年度机关运行经费支出92.52万元，比上年减少3.48万元，下降3.6%。",
}


@pytest.mark.parametrize("trap", list(TRAPS))
def test_a_trap_raises_nothing(tmp_path, trap):
    paragraphs = clean_paragraphs() + [TRAPS[trap]]
    found = narrative_report(write_md(tmp_path, paragraphs), tmp_path / "yunxi-2024-final-accounts.xlsx").findings
    assert found == [], [(f.rule, f.message) for f in found]


def test_without_its_set_the_narrative_says_it_was_not_checked(tmp_path):
    path = tmp_path / "yunxi-2024-final-accounts-情况说明.docx"
    shutil.copy(DEFECTS_TEXT, path)
    found = narrative_report(path).findings
    # Its own arithmetic is still checked; the amounts it quotes cannot be.
    assert sorted(f.rule for f in found) == ["RP011", "RP015", "RP016", "RP017"]


def test_instructions_to_the_filer_are_not_a_narrative(tmp_path):
    workbook = make.build(make.spec("clean"))
    sheet = workbook.create_sheet("填表说明")
    sheet.cell(row=1, column=1, value="填表说明")
    sheet.cell(row=2, column=1, value="1. 本套报表金额单位为万元，保留两位小数；公用经费不超过人员经费的30%。")
    sheet.cell(row=3, column=1, value="2. 基本支出100万元以上的单位须附情况说明。")
    path = tmp_path / "with-instructions.xlsx"
    workbook.save(path)
    files = VALIDATOR.check(path).files
    assert [f.kind for f in files] == ["final_accounts"]
    assert [(f.rule, f.location.sheet) for f in files[0].findings] == [("XL001", "填表说明")]


def test_beside_a_self_evaluation_table_the_narrative_is_still_the_sets(tmp_path):
    """A unit's folder may hold its 自评表 too: the 情况说明 names the set's figures, so it is
    compared with the set, never with the 自评表's funds (基本支出 is not a 执行数)."""
    shutil.copy(SAMPLES / "anshan-2024-transfer-clean.yaml", tmp_path / "yunxi-2024-final-accounts-自评表.yaml")
    shutil.copy(CLEAN_SET, tmp_path / "yunxi-2024-final-accounts.xlsx")
    shutil.copy(DEFECTS_TEXT, tmp_path / "yunxi-2024-final-accounts-情况说明.docx")
    files = VALIDATOR.check(tmp_path).files
    assert len(files) == 3
    (text,) = [f for f in files if f.kind == "report"]
    assert sorted(f.rule for f in text.findings) == ["RP014", "RP014", "RP015", "RP016", "RP017"]
    assert all(r.origin.endswith("yunxi-2024-final-accounts.xlsx") for f in text.findings for r in f.related)


# Another province's wording of the same set: shorter headings, 较上年, 收、支总计, 预算数/决算数,
# 占本年收入的. The same figures must be found and agree; nothing is tuned to one template.
OTHER_WORDING = [
    "云溪县应急管理局2024年度部门决算情况说明",
    "一、部门决算收支总体情况：2024年度收、支总计795.23万元，较上年增加56.78万元，增长7.69%。",
    "二、收入决算情况：2024年度收入合计795.23万元，其中财政拨款收入795.23万元，占本年收入的100%。",
    "三、支出决算情况：2024年度支出合计795.23万元，其中：基本支出537.98万元，占本年支出合计的67.65%；"
    "项目支出257.25万元，占本年支出合计的32.35%。",
    "四、财政拨款收支总体情况：2024年度财政拨款收、支总计795.23万元。",
    "五、一般公共预算财政拨款支出情况：一般公共预算财政拨款支出795.23万元，占本年支出合计的100%。",
    "六、一般公共预算财政拨款基本支出情况：人员经费441.51万元，公用经费96.47万元。",
    "七、“三公”经费支出情况：2024年“三公”经费预算数45.00万元，决算数41.86万元，完成预算的93.02%。"
    "其中：因公出国（境）费0万元；公务用车购置费28.00万元；公务用车运行维护费12.00万元；公务接待费1.86万元。",
    "八、机关运行经费：2024年机关运行经费92.52万元，较上年减少3.48万元，下降3.63%。",
    "九、政府采购情况：政府采购支出总额54.03万元，其中货物支出35.80万元、工程支出0万元、服务支出18.22万元。",
]


def test_another_provinces_wording_agrees_with_the_set(tmp_path):
    path = write_md(tmp_path, OTHER_WORDING)
    assert narrative_report(path, tmp_path / "yunxi-2024-final-accounts.xlsx").findings == []
    tree = kind_named("report").derive(load_documents(path)[0].data, load_documents(tmp_path / "yunxi-2024-final-accounts.xlsx"))
    assert [q["field"] for q in tree["quotes"]] == [
        "grand_total", "income_total", "fiscal_income", "spending_total", "basic", "project", "fiscal_grand",
        "general_spending", "personnel", "public", "three_public", "three_public", "abroad", "purchase", "running",
        "reception", "running_costs", "procurement"]
    assert sorted(s["type"] for s in tree["stated_sums"]) == ["change", "change", "completion", "share", "share", "share", "share"]
    # And a slip in it is found as in the template's wording.
    slipped = [p.replace("公用经费96.47万元", "公用经费96.74万元") for p in OTHER_WORDING]
    found = narrative_report(write_md(tmp_path, slipped), tmp_path / "yunxi-2024-final-accounts.xlsx").findings
    assert [(f.rule, f.location.path, f.expected) for f in found] == [("RP014", "paragraphs[6]", "96.47万元")]
