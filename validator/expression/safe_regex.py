"""The regular expressions `matches` accepts, and the engine that runs each one.

Python's `re` backtracks: `(\\w|\\d)+$` or `([aa])+b` takes seconds on a 10,000-character
cell, `(a+)+b` longer than anyone waits, and even a harmless-looking
`(人次|人数)([（(][^）)]*[）)])?$` is quadratic on long text. No filter over Python's syntax
catches every such case. RE2 (the google-re2 package) matches in time linear in the
text whatever the pattern, so it is the engine; a pattern is accepted when RE2
compiles it (its syntax is Perl's, as Python's mostly is: `\\d`, `\\w`, `\\s` are ASCII,
and cell text is NFKC-folded, so full-width digits are ASCII digits) and it is at most
limits.pattern_length characters. Backreferences and look-around, which no linear-time
engine offers, are refused with a message saying so.

One exception, for speed: a pattern that cannot repeat (no `*`, `+` or `{m,n}` with n > 1;
an optional `?` is a choice of two) and whose choices multiply out to at most _MAX_PATHS
ways of matching at one place — `请填写|XXX|（示例）`, `^(优|良|中|差)$` — does a bounded
amount of work at each position of the text, so Python's `re` (with re.ASCII, the same
classes as RE2) runs it: on a short cell its call costs about a fifteenth of the RE2
binding's, and most rule patterns are of this kind. A pattern anchored at the start of
the text (`^…` without MULTILINE) is tried at that one position only, so it may have up
to _MAX_PATHS_ANCHORED ways."""

from __future__ import annotations

import re
import re._constants as C  # type: ignore[import-not-found]
import re._parser as P  # type: ignore[import-not-found]
import threading

# Ways one position can be matched, beyond which re could take too long; a pattern
# anchored at the start is tried at one position, not at every one.
_MAX_PATHS = 64
_MAX_PATHS_ANCHORED = 4096
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}
_LOOK = {C.ASSERT, C.ASSERT_NOT}
_BACKREF = {C.GROUPREF, C.GROUPREF_EXISTS, getattr(C, "GROUPREF_IGNORE", C.GROUPREF)}


class UnsafePattern(Exception):
    def __init__(self, message: str, message_en: str):
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en


class _Refused(Exception):
    pass


def _unsupported(items) -> None:
    """UnsafePattern for what no linear-time engine offers, wherever it is."""
    stack = [items]
    while stack:
        for op, av in stack.pop():
            if op in _BACKREF:
                raise UnsafePattern("matches 不支持反向引用（\\1、(?(1)…)）", "matches does not support backreferences (\\1, (?(1)…))")
            if op in _LOOK:
                raise UnsafePattern("matches 不支持前后查找（(?=…)、(?<=…) 等）",
                                    "matches does not support look-ahead or look-behind ((?=…), (?<=…) …)")
            if op is C.SUBPATTERN:
                stack.append(av[-1])
            elif op is C.ATOMIC_GROUP:
                stack.append(av)
            elif op in _REPEATS:
                stack.append(av[2])
            elif op is C.BRANCH:
                stack.extend(av[1])


def _paths(items, limit: int = _MAX_PATHS) -> int:
    """How many ways the parsed pattern can match at one position; _Refused for a
    repetition (other than an optional part) or more than `limit` ways."""
    total = 1
    for op, av in items:
        if op in _REPEATS:
            low, high, inner = av
            if high > 1:
                raise _Refused
            total *= _paths(inner, limit) + (1 if low == 0 else 0)  # x? is x, or nothing
        elif op in _BACKREF or op in _LOOK:
            raise _Refused
        elif op is C.SUBPATTERN:
            total *= _paths(av[-1], limit)
        elif op is C.ATOMIC_GROUP:
            total *= _paths(av, limit)
        elif op is C.BRANCH:
            total *= sum(_paths(branch, limit) for branch in av[1])
        if total > limit:
            raise _Refused
    return total


def _anchored(parsed) -> bool:
    """Whether re tries the pattern at the start of the text only: it opens with ^ or \\A
    and ^ does not also mean the start of every line."""
    return (not parsed.state.flags & re.MULTILINE and len(parsed.data) > 0
            and parsed.data[0] in ((C.AT, C.AT_BEGINNING), (C.AT, C.AT_BEGINNING_STRING)))


def _python_pattern(pattern: str):
    """re.compile(pattern, re.ASCII) when re may run it; None when RE2 must."""
    try:
        parsed = P.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None  # RE2 folds case over all of Unicode, re.ASCII only over ASCII
    try:
        _paths(parsed, _MAX_PATHS_ANCHORED if _anchored(parsed) else _MAX_PATHS)
    except (_Refused, RecursionError):
        return None
    return re.compile(pattern, re.ASCII)


def _re2_options():
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print to stderr; the error is ours to report
    return options


def _re2(pattern: str, valid_python: bool = True):
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        raise UnsafePattern("正则表达式需要 google-re2（pip install google-re2）",
                            "regular expressions need google-re2 (pip install google-re2)") from None
    try:
        return re2.compile(pattern, options=_re2_options())
    except re2.error as exc:
        detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        if not valid_python:
            raise UnsafePattern(f"正则表达式无效：{detail}", f"invalid regular expression: {detail}") from None
        raise UnsafePattern(f"正则表达式不受支持（RE2 语法）：{detail}",
                            f"unsupported regular expression (RE2 syntax): {detail}") from None


def check(pattern: str, max_length: int) -> None:
    """Raise UnsafePattern unless `pattern` is at most `max_length` characters and RE2
    compiles it (so whichever engine runs it, it runs in linear time)."""
    if len(pattern) > max_length:
        from validator.limits import message

        zh, en = message("pattern_length", max_length, f"正则表达式长 {len(pattern):,} 个字符", f"the regular expression is {len(pattern):,} characters long")
        raise UnsafePattern(zh, en)
    try:
        parsed = P.parse(pattern)
    except re.error as exc:
        raise UnsafePattern(f"正则表达式无效：{exc}", f"invalid regular expression: {exc}") from None
    except (RecursionError, OverflowError):
        parsed = None  # RE2 decides below
    if parsed is not None:
        _unsupported(parsed)
    _re2(pattern, parsed is not None)


_COMPILED: dict[str, object] = {}
_LOCK = threading.Lock()


def compiled(pattern: str):
    """The engine's compiled pattern: `.search(text, pos, endpos)` returns a match or None."""
    hit = _COMPILED.get(pattern)
    if hit is None:
        hit = _python_pattern(pattern)
        if hit is None:
            hit = _re2(pattern)
        with _LOCK:
            if len(_COMPILED) > 1024:
                _COMPILED.clear()
            _COMPILED[pattern] = hit
    return hit


def engine(pattern: str) -> str:
    """`re` or `re2`: which engine runs the pattern (for tests and rules lint)."""
    return "re" if isinstance(compiled(pattern), re.Pattern) else "re2"
