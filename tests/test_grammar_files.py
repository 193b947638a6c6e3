"""The two Lark grammars (grammar/value.lark, grammar/expr.lark) load as LALR, parse the
examples their headers document, and reject malformed input with Lark's input errors,
which notation.py turns into text and compiler.py into ExpressionError."""

from __future__ import annotations

import pytest
from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from validator.domain import notation
from validator.expression import compiler, parser
from validator.expression.diagnostics import ExpressionError
from validator.resources import grammar_path


def _load(name: str, **kw) -> Lark:
    return Lark(grammar_path(name).read_text(encoding="utf-8"), parser="lalr", **kw)


@pytest.fixture(scope="module")
def value_parser() -> Lark:
    # as validator/domain/notation.py builds it
    return _load("value.lark", lexer="contextual", maybe_placeholders=True)


@pytest.fixture(scope="module")
def expr_parser() -> Lark:
    # as validator/expression/compiler.py builds it
    return _load("expr.lark", propagate_positions=True, maybe_placeholders=True)


def test_grammar_files_exist():
    for name in ("value.lark", "expr.lark"):
        path = grammar_path(name)
        assert path.is_file()
        assert path.parent.name == "grammar"


@pytest.mark.parametrize("name", ["value.lark", "expr.lark"])
def test_grammars_load_as_lalr_without_conflicts(name):
    # Lark raises GrammarError on any shift/reduce or reduce/reduce conflict in LALR mode.
    parser = _load(name)
    assert parser.options.parser == "lalr"


def test_modules_use_lalr():
    assert notation._get_parser().options.parser == "lalr"
    assert parser._parser().options.parser == "lalr"


# --- value.lark ---------------------------------------------------------------------------------------

def _value_shape(tree: Tree):
    return tree.data, [None if c is None else (c.type, str(c)) for c in tree.children]


@pytest.mark.parametrize("text,shape", [
    ("≥15个", ("quantity", [None, ("OP", "≥"), ("NUMBER", "15"), ("UNIT", "个")])),
    ("K≥1.25", ("quantity", [("VARIABLE", "K"), ("OP", "≥"), ("NUMBER", "1.25"), None])),
    ("=1950元/套", ("quantity", [None, ("OP", "="), ("NUMBER", "1950"), ("UNIT", "元/套")])),
    ("1,234.5万元", ("quantity", [None, None, ("NUMBER", "1,234.5"), ("UNIT", "万元")])),
    ("-5万元", ("quantity", [None, None, ("NUMBER", "-5"), ("UNIT", "万元")])),
    ("=元/项", ("malformed", [None, ("OP", "="), ("UNIT", "元/项")])),
    ("≥%", ("malformed", [None, ("OP", "≥"), ("UNIT", "%")])),
    ("≥", ("malformed", [None, ("OP", "≥"), None])),
    ("2024年12月30日前", ("deadline", [None, ("DATE", "2024年12月30日"), ("BOUND", "前")])),
    ("≤2024年12月", ("deadline", [("OP", "≤"), ("DATE", "2024年12月"), None])),
    ("2024年1-12月", ("period", [("PERIOD", "2024年1-12月")])),
    ("/", ("not_set", [("NOT_SET", "/")])),
    ("—", ("not_set", [("NOT_SET", "—")])),
    ("#DIV/0!", ("sheet_error", [("SHEET_ERROR", "#DIV/0!")])),
    ("#N/A", ("sheet_error", [("SHEET_ERROR", "#N/A")])),
])
def test_value_grammar_accepts(value_parser, text, shape):
    assert _value_shape(value_parser.parse(text)) == shape


@pytest.mark.parametrize("text,error", [
    ("≥≥5", UnexpectedToken),        # a second operator lexes as a unit, then a number cannot follow
    ("5..5%", UnexpectedCharacters),
    ("1,00", UnexpectedCharacters),
    ("≥ 15", UnexpectedCharacters),  # the grammar sees normalized text: no spaces
    ("提升", UnexpectedToken),        # words are decided in Python
    ("", UnexpectedToken),
    ("—5%", UnexpectedInput),       # a dash before a digit is not "not set"
])
def test_value_grammar_rejects(value_parser, text, error):
    with pytest.raises(error) as info:
        value_parser.parse(text)
    assert isinstance(info.value, UnexpectedInput)
    assert isinstance(info.value, LarkError)  # what notation.parse_text catches


@pytest.mark.parametrize("text", ["≥≥5", "5..5%", "1,00", "提升", "设备交付缓慢", "—5%"])
def test_notation_turns_rejections_into_words_or_text(text):
    n = notation.parse_text(text)
    assert n.kind in (notation.TEXT, notation.QUALITATIVE)


# --- expr.lark ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("source,top", [
    ("funds.total.budget ≈ sum(funds.sources[*].budget)", "compare"),
    ("item.score <= item.weight and not blank(item.reason)", "and_"),
    ("funds.total.rate < 60% and all(says_nothing(management[*].issues))", "and_"),
    ("a or b and c", "or_"),
    ("not a", "not_"),
    ("1 + 2 * 3", "binop"),
    ("-x", "neg"),
    ("x in [1, 2]", "contains"),
    ("x not in [1, 2]", "not_contains"),
    ('"text"', "string"),
    ("94 万元", "number"),
    ("1950 元/套", "number"),
    ("true", "true"),
    ("false", "false"),
    ("null", "null"),
    ("f()", "call"),
    ("a.b[0].c[*]", "path"),
    ("[]", "list"),
])
def test_expr_grammar_accepts(expr_parser, source, top):
    tree = expr_parser.parse(source)
    assert tree.data == top


def test_expr_precedence(expr_parser):
    tree = expr_parser.parse("a or b and not c")
    assert tree.data == "or_"
    assert tree.children[1].data == "and_"
    assert tree.children[1].children[1].data == "not_"
    arith = expr_parser.parse("1 + 2 * 3")
    assert arith.children[1] == Token("ADD_OP", "+")
    assert arith.children[2].data == "binop"
    assert arith.children[2].children[1] == Token("MUL_OP", "*")


def test_expr_number_with_unit(expr_parser):
    tree = expr_parser.parse("94 万元")
    number, unit = tree.children
    assert (number.type, str(number)) == ("NUMBER", "94")
    assert (unit.type, str(unit)) == ("UNIT", "万元")
    bare = expr_parser.parse("94")
    assert bare.children[1] is None  # maybe_placeholders


def test_expr_positions_are_propagated(expr_parser):
    tree = expr_parser.parse("funds.total.budget ≈ sum(x)")
    left = tree.children[0]
    assert (left.meta.column, left.meta.end_column) == (1, 19)
    assert (left.meta.start_pos, left.meta.end_pos) == (0, 18)


@pytest.mark.parametrize("source,error,column", [
    ("1 +* 2", UnexpectedToken, 4),
    ("1 $ 2", UnexpectedCharacters, 3),
    ('"unterminated', UnexpectedCharacters, 1),
    ("1 > 2 > 3", UnexpectedToken, 7),
    ("a[x]", UnexpectedToken, 3),
    ("1,000", UnexpectedToken, 2),
])
def test_expr_grammar_rejects(expr_parser, source, error, column):
    with pytest.raises(error) as info:
        expr_parser.parse(source)
    assert isinstance(info.value, UnexpectedInput)
    assert info.value.column == column


@pytest.mark.parametrize("source", ["(1", "true and", "", "f(1,"])
def test_expr_grammar_rejects_incomplete_input_at_end(expr_parser, source):
    with pytest.raises((UnexpectedEOF, UnexpectedToken)) as info:
        expr_parser.parse(source)
    if isinstance(info.value, UnexpectedToken):
        assert info.value.token.type == "$END"


@pytest.mark.parametrize("source,zh,column", [
    ("1 +* 2", "此处不应出现“*”", 4),
    ("1 $ 2", "无法识别的字符“$”", 3),
    ("(1", "表达式不完整", 3),
    ("true and", "表达式不完整", 9),
    ("", "表达式不完整", 1),
])
def test_compiler_parse_wraps_lark_errors(source, zh, column):
    with pytest.raises(ExpressionError) as info:
        compiler.parse(source)
    assert info.value.message == zh
    assert info.value.column == column
    assert not isinstance(info.value, LarkError)
