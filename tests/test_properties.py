"""Property-based tests (hypothesis): for any input, each layer either answers or raises
only its documented error type.

* value notation: `parse_text` / `parse_value` never raise;
* expressions: parse → compile raises only ExpressionError, and a compiled expression
  never raises while evaluating any submission;
* YAML/JSON loaders: only InputError, for any text and any bytes;
* workbook reader: only InputError, for random bytes, truncated and mutated workbooks.

Example counts are modest so the whole suite stays fast; the derandomized profile
keeps runs reproducible."""

from __future__ import annotations

import copy
import io
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator import limits
from validator.kinds.self_eval import model
from validator.domain import notation
from validator.errors import InputError
from validator.expression import functions
from validator.expression.compiler import collection_type, compile_expression
from validator.expression.diagnostics import ExpressionError
from validator.expression.runtime import Context
from validator.read.text import DecimalSafeLoader, decode, parse_text, read_text_file
from validator.submission import load_documents as read_workbook

ROOT_DIR = Path(__file__).resolve().parent.parent
SAMPLES = ROOT_DIR / "samples"
# SELFEVAL_PROPERTY_SCALE=20 runs twenty times the examples, with fresh randomness: for
# hunting, not for every run.
SCALE = int(os.environ.get("SELFEVAL_PROPERTY_SCALE", "1"))
FAST = settings(max_examples=150 * SCALE, deadline=None, derandomize=SCALE == 1,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=40 * SCALE, deadline=None, derandomize=SCALE == 1,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

KINDS = {notation.BLANK, notation.NOT_SET, notation.SHEET_ERROR, notation.QUANTITY, notation.MALFORMED,
         notation.DEADLINE, notation.PERIOD, notation.QUALITATIVE, notation.TEXT}

# Text that looks like what people type in a cell, and anything at all.
CELL_ALPHABET = list("0123456789.,-+/%‰#年月日前后底≥≤<>=≠＝＞＜个万元亿次人户小时天提升未完成满意无 　\t\nKxE e!") + ["每人每天", "以上", "以内", "#DIV/0!", "/"]


def tokens(alphabet, max_size: int):
    """Strings made of pieces of the alphabet (pieces may be longer than a character)."""
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map("".join)


cell_text = st.one_of(st.text(), tokens(CELL_ALPHABET, 30))
numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.builds(lambda m, e: Decimal(m).scaleb(e), st.integers(-999, 999), st.integers(-5000, 5000)),
    st.floats(allow_nan=True, allow_infinity=True),
)
cell_values = st.one_of(st.none(), st.booleans(), cell_text, numbers)


# --- value notation ---------------------------------------------------------------------

@FAST
@given(cell_text, st.one_of(st.none(), st.sampled_from(["个", "%", "万元", "分", "", "元/人", "年"])))
def test_notation_never_raises(raw, unit):
    n = notation.parse_text(raw, unit)
    assert n.kind in KINDS
    assert n.raw == raw
    if n.kind == notation.QUANTITY:
        assert n.number is not None and n.number.is_finite()


@FAST
@given(cell_values)
def test_parse_value_never_raises(value):
    n = notation.parse_value(value)
    assert n.kind in KINDS
    m = model.parse_value(value, "万元")  # the model's guard marks numbers beyond the limits
    assert m.kind in KINDS | {notation.OUT_OF_RANGE}
    if m.number is not None:
        assert limits.in_range(m.number)


# --- expressions ------------------------------------------------------------------------

PATHS = [
    "funds.total.budget", "funds.total.executed", "funds.total.rate", "funds.sources[*].budget", "funds.sources[0].rate",
    "funds.rows[*].balance", "indicators[*].actual", "indicators[*].target", "indicators[1].score", "indicators",
    "item.target", "item.actual", "item.weight", "item.score", "item.name", "item.status", "item.cost_like",
    "notes", "kind", "goal.actual", "management[*].issues", "total.score", "groups[*].declared_weight",
    "cells[*].value", "param.n", "param.pattern", "nosuch.field", "funds.total", "indicators[*]", "item",
]
LITERALS = ["0", "1", "100", "60%", "0.5", "157 万元", "3 个", "12 分", "\"满意\"", "\"\"", "true", "false", "null",
            "[1, 2]", "[\"a\", \"b\"]", "99999999999999999999999999999999999999", "1 元/人"]
NAMES = sorted(functions.FUNCTIONS) + ["nosuch", "eval", "__import__"]
BINARY = ["+", "-", "*", "/", "×", "÷", "==", "!=", "<", "<=", ">", ">=", "≈", "≤", "≥", "≠", "and", "or", "in", "not in"]


def _expressions():
    leaves = st.sampled_from(PATHS + LITERALS)

    def extend(children):
        return st.one_of(
            st.builds(lambda a, op, b: f"{a} {op} {b}", children, st.sampled_from(BINARY), children),
            st.builds(lambda a: f"not {a}", children),
            st.builds(lambda a: f"-{a}", children),
            st.builds(lambda a: f"({a})", children),
            st.builds(lambda name, args: f"{name}({', '.join(args)})", st.sampled_from(NAMES), st.lists(children, max_size=3)),
            st.builds(lambda name, a: f"matches({a}, {name})", st.sampled_from(["\"监控\"", "\"^\\\\d+$\"", "\"(a+)+\"", "\"[\"", "param.pattern"]), children),
        )

    return st.one_of(st.recursive(leaves, extend, max_leaves=8), st.text(max_size=40),
                     tokens(list("()[]{}.,*+-/<>=!≈\"' 0123456789abcx%万元") + ["item", "sum", "and", "not"], 40))


PARAMS = {"n": model.parse_value(5, "个"), "pattern": "监控"}
INDICATOR = collection_type("indicators")


def _sample_data(name: str) -> dict:
    return yaml.load((SAMPLES / name).read_text(encoding="utf-8"), Loader=DecimalSafeLoader)


BASES = [_sample_data(n) for n in ("anshan-2024-transfer.yaml", "quxian-2024-experts.yaml", "county-2024-project-defects.yaml")]
CELL_FIELDS = ("target", "actual", "weight", "score", "reason", "budget", "executed", "rate", "balance", "issues")


@st.composite
def submissions(draw):
    """A sample submission with some of its cells replaced by anything a cell may hold."""
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    rows = list(data.get("indicators") or []) + [data["funds"]["total"]] + list(data["funds"].get("sources") or [])
    rows += list(data.get("management") or [])
    for _ in range(draw(st.integers(0, 6))):
        row = draw(st.sampled_from(rows))
        key = draw(st.sampled_from([k for k in CELL_FIELDS if k in row] or ["reason"]))
        value = draw(cell_values)
        row[key] = None if isinstance(value, bool) else value  # a cell is number, text or null
    if draw(st.booleans()):
        data["indicators"] = draw(st.lists(st.sampled_from(data.get("indicators") or [{}]), max_size=4))
    return data


@SLOW
@given(_expressions(), st.data())
def test_expressions_compile_or_raise_expression_error_and_never_fail_evaluating(source, data):
    for item_type in (None, INDICATOR):
        try:
            compiled = compile_expression(source, item_type, params=PARAMS)
        except ExpressionError:
            continue
        submission = data.draw(submissions())
        root = model.build(submission)
        items = root["indicators"] if item_type is not None else [None]
        for item in items[:3]:
            compiled.fn(Context(root, item, PARAMS))  # must not raise


@FAST
@given(_expressions())
def test_expression_errors_render(source):
    try:
        compile_expression(source)
    except ExpressionError as exc:
        assert exc.text("zh") and exc.text("en")
        exc.caret(source)


# --- YAML / JSON loaders ----------------------------------------------------------------

YAML_ALPHABET = list("abk: -[]{},&*!|>'\"#%@`?\n\t 0123456789.eE+_~") + ["<<: ", "!!python/object:os.system", "!!binary ", "&a ", "*a",
                                                                          "!!set ", "!!float ", "0x", "0o", "1:30", ".inf", ".nan", "2024-13-45", "---\n", "...\n"]
yaml_like = tokens(YAML_ALPHABET, 60)
json_like = tokens(list('{}[]:,"0123456789.eE+-truefalsnNaIiy \\') + ["1e400", "NaN", "Infinity", "9" * 50], 60)


@FAST
@given(st.one_of(yaml_like, st.text(max_size=80)), st.sampled_from(["yaml", "json"]))
def test_text_loaders_raise_only_input_error(text, fmt):
    try:
        parse_text(text, fmt, "x")
    except InputError:
        pass


@FAST
@given(json_like)
def test_json_loader_raises_only_input_error(text):
    try:
        parse_text(text, "json", "x.json")
    except InputError:
        pass


@FAST
@given(st.binary(max_size=200))
def test_decode_raises_only_input_error(raw):
    try:
        decode(raw, "x")
    except InputError:
        pass


@SLOW
@given(st.one_of(st.binary(max_size=300), yaml_like.map(lambda t: t.encode("utf-8"))), st.sampled_from([".yaml", ".json"]))
def test_read_text_file_raises_only_input_error(tmp_path_factory, raw, suffix):
    path = tmp_path_factory.mktemp("t") / f"input{suffix}"
    path.write_bytes(raw)
    try:
        read_text_file(path, "json" if suffix == ".json" else "yaml")
    except InputError:
        pass
    assert path.read_bytes() == raw


# --- workbook reader --------------------------------------------------------------------

WORKBOOKS = {p.name: p.read_bytes() for p in sorted(SAMPLES.glob("*.xlsx"))}


def _read(tmp_path_factory, raw: bytes):
    path = tmp_path_factory.mktemp("w") / "book.xlsx"
    path.write_bytes(raw)
    try:
        read_workbook(path)
    except InputError:
        pass
    assert path.read_bytes() == raw


@SLOW
@given(st.binary(max_size=400))
def test_workbook_reader_random_bytes(tmp_path_factory, raw):
    _read(tmp_path_factory, raw)


@SLOW
@given(st.sampled_from(sorted(WORKBOOKS)), st.floats(0, 1))
def test_workbook_reader_truncated(tmp_path_factory, name, fraction):
    raw = WORKBOOKS[name]
    _read(tmp_path_factory, raw[: int(len(raw) * fraction)])


def _rezip(raw: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info.filename, data)
    return out.getvalue()


XML_SNIPPETS = [b"<", b">", b"/>", b'"', b"&amp;", b"&bogus;", b"<c r=\"A1\"><v>1e999</v></c>", b"<c r=\"ZZZZ1\" t=\"s\"><v>99</v></c>",
                b"<v>" + b"9" * 50 + b"</v>", b"<row r=\"0\">", b"<row r=\"-5\"/>", b"<mergeCell ref=\"A1:A0\"/>",
                b"<c r=\"A1\" t=\"n\"><v>abc</v></c>", b"<c r=\"B2\" t=\"e\"><v>#DIV/0!</v></c>", b"\x00", b"\xff\xfe",
                b"<sheet name=\"x\" sheetId=\"9\" r:id=\"rId99\"/>", b"<f>SUM(A1)</f>", b"<c r=\"A1\" t=\"d\"><v>not-a-date</v></c>",
                b"<c r=\"A1\" s=\"9999\"><v>1</v></c>", b"<is><t>text</t></is>"]


@SLOW
@given(st.sampled_from(sorted(WORKBOOKS)), st.data())
def test_workbook_reader_mutated(tmp_path_factory, name, data):
    raw = WORKBOOKS[name]
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        members = z.namelist()
    target = data.draw(st.sampled_from(members))
    how = data.draw(st.sampled_from(["insert", "flip", "cut", "drop", "swap"]))

    def change(member, body):
        if member != target:
            return body
        if how == "drop":
            return None
        if not body:
            return body
        at = data.draw(st.integers(0, len(body)))
        if how == "insert":
            return body[:at] + data.draw(st.sampled_from(XML_SNIPPETS)) + body[at:]
        if how == "flip":
            i = min(at, len(body) - 1)
            return body[:i] + bytes([body[i] ^ data.draw(st.integers(1, 255))]) + body[i + 1:]
        if how == "cut":
            return body[:at]
        # swap: a number for a huge or odd one
        return body.replace(b"<v>1</v>", data.draw(st.sampled_from([b"<v>1e308</v>", b"<v>-0</v>", b"<v>nan</v>", b"<v>inf</v>"])), 1)

    _read(tmp_path_factory, _rezip(raw, change))


# --- the whole engine -------------------------------------------------------------------

@pytest.fixture(scope="module")
def every_rule():
    from validator import Validator

    return Validator(preview=True)


@SLOW
@given(submissions())
def test_rules_never_fail_on_random_submissions(every_rule, submission):
    report = every_rule.check_mapping(submission)  # an EngineError would fail the run
    assert report.error is None
