"""The safe subset of regular expressions that `matches` accepts.

Python's `re` backtracks: `(a+)+b`, `(a|a)*b` take exponential time and `.*.*x`
cubic time on a text that does not match, and a rule pattern is run on every cell of
every submission. A pattern is accepted when it cannot backtrack worse than a single
search with one open-ended repetition (quadratic in the text, which `matches` also cuts
to limits.match_input characters):

* no repetition (`*`, `+`, `{m,n}`) of something that itself varies in length or can
  match in more than one way: `(a+)+`, `(a|ab)*`, `(\\d+,)*`, `(x?)*`;
* no repetition of something that can match the empty text: `(a?)*`;
* no two variable parts (repetitions with a choice of length, optional parts,
  alternatives that can start alike) that can match the same characters one after the
  other unless something they cannot match stands between them: `\\d+\\d+`, `.*a.*` are
  refused, `\\d+\\.\\d+`, `[^,]*,[^,]*` and `请填写.*说明` are fine;
* no backreferences (`\\1`, `(?(1)…)`).

Possessive repetitions (`a*+`) and atomic groups (`(?>…)`) never backtrack into
themselves and are accepted when their insides are. The analysis is conservative: a
refused pattern can almost always be written another way (a character class instead of
an alternation, `[^,]*` instead of `.*`)."""

from __future__ import annotations

import re
import re._constants as C  # type: ignore[import-not-found]
import re._parser as P  # type: ignore[import-not-found]
from dataclasses import dataclass, field
from functools import lru_cache


class UnsafePattern(Exception):
    def __init__(self, message: str, message_en: str):
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en


_CATEGORY_RE = {
    C.CATEGORY_DIGIT: re.compile(r"\d"),
    C.CATEGORY_WORD: re.compile(r"\w"),
    C.CATEGORY_SPACE: re.compile(r"\s"),
    C.CATEGORY_LINEBREAK: re.compile(r"\n"),
}
# Category pairs that share characters (a digit is a word character).
_CATEGORY_OVERLAP = {frozenset((C.CATEGORY_DIGIT, C.CATEGORY_WORD))}
_RANGE_SCAN = 0x30000


@dataclass
class CharSet:
    """A set of characters: literals, ranges and categories, or their complement."""

    lits: set[int] = field(default_factory=set)
    ranges: list[tuple[int, int]] = field(default_factory=list)
    cats: set = field(default_factory=set)
    neg: bool = False
    anything: bool = False  # not representable: overlaps everything

    @property
    def empty(self) -> bool:
        return not (self.lits or self.ranges or self.cats or self.neg or self.anything)

    def contains(self, c: int) -> bool:
        """Whether the positive part holds c (ignoring `neg`)."""
        if c in self.lits:
            return True
        if any(lo <= c <= hi for lo, hi in self.ranges):
            return True
        ch = chr(c)
        return any(cat not in _CATEGORY_RE or _CATEGORY_RE[cat].match(ch) for cat in self.cats)

    def union(self, other: CharSet) -> CharSet:
        if self.empty:
            return other
        if other.empty:
            return self
        if self.neg or other.neg or self.anything or other.anything:
            return CharSet(anything=True)
        return CharSet(self.lits | other.lits, self.ranges + other.ranges, self.cats | other.cats)

    def overlaps(self, other: CharSet) -> bool:
        if self.empty or other.empty:
            return False
        if self.anything or other.anything:
            return True
        if self.neg and other.neg:
            return True
        if self.neg or other.neg:
            pos, neg = (other, self) if self.neg else (self, other)
            if pos.ranges or pos.cats:
                return True  # conservative
            return any(not neg.contains(c) for c in pos.lits)
        return _positive_overlap(self, other)


def _positive_overlap(a: CharSet, b: CharSet) -> bool:
    if a.lits & b.lits:
        return True
    for x, y in ((a, b), (b, a)):
        if any(y.contains(c) for c in x.lits):
            return True
    for lo1, hi1 in a.ranges:
        for lo2, hi2 in b.ranges:
            if lo1 <= hi2 and lo2 <= hi1:
                return True
    for x, y in ((a, b), (b, a)):
        for lo, hi in x.ranges:
            for cat in y.cats:
                if _range_meets_category(lo, hi, cat):
                    return True
    for ca in a.cats:
        for cb in b.cats:
            if ca == cb or frozenset((ca, cb)) in _CATEGORY_OVERLAP or ca not in _CATEGORY_RE or cb not in _CATEGORY_RE:
                return True
    return False


@lru_cache(maxsize=256)
def _range_meets_category(lo: int, hi: int, cat) -> bool:
    if cat not in _CATEGORY_RE or hi - lo > _RANGE_SCAN:
        return True
    rx = _CATEGORY_RE[cat]
    return any(rx.match(chr(c)) for c in range(lo, hi + 1))


def _fold(c: int) -> set[int]:
    ch = chr(c)
    return {ord(x) for x in {ch, ch.lower(), ch.upper(), ch.swapcase()} if len(x) == 1}


def _in_set(items, ignore_case: bool) -> CharSet:
    out = CharSet()
    for op, av in items:
        if op is C.NEGATE:
            out.neg = True
        elif op is C.LITERAL:
            out.lits |= _fold(av) if ignore_case else {av}
        elif op is C.RANGE:
            if ignore_case:
                out.anything = True
            out.ranges.append(av)
        elif op is C.CATEGORY:
            out.cats.add(av)
        else:  # RANGE_UNI_IGNORE, CHARSET, BIGCHARSET and the like
            out.anything = True
    return out


_PREFIX_MAX = 32


@dataclass
class Info:
    chars: CharSet  # every character the part can consume
    first: CharSet  # characters it can begin with
    nullable: bool  # can match the empty text
    variable: bool  # can end at more than one place, or match the same text in more than one way
    zero_width: bool = False
    # The characters of each position of its fixed beginning, and whether that is all
    # of it: tells "人次|人数" (never both at once) from "a|ab" (ambiguous).
    prefix: list[CharSet] = field(default_factory=list)
    fixed: bool = False


def _single(s: CharSet) -> Info:
    return Info(s, s, False, False, prefix=[s], fixed=True)


def _why(zh: str, en: str) -> UnsafePattern:
    return UnsafePattern(
        f"正则表达式可能造成灾难性回溯：{zh}（matches 只接受安全子集，见 validator/expression/safe_regex.py）",
        f"the regular expression could backtrack catastrophically: {en} (matches accepts a safe subset, see validator/expression/safe_regex.py)",
    )


def _items(subpattern, ignore_case: bool):
    """The items of a sequence with plain groups spliced in (a group that is not
    repeated is just its contents)."""
    for op, av in subpattern:
        if op is C.SUBPATTERN:
            _group, add_flags, del_flags, inner = av
            ic = (ignore_case or bool(add_flags & re.IGNORECASE)) and not (del_flags & re.IGNORECASE)
            yield from _items(inner, ic)
        else:
            yield op, av, ignore_case


def _sequence(subpattern, ignore_case: bool) -> Info:
    chars, first = CharSet(), CharSet()
    nullable, variable = True, False
    prefix: list[CharSet] = []
    fixed = True
    open_parts: list[CharSet] = []  # what the variable parts met so far could still consume
    for op, av, ic in _items(subpattern, ignore_case):
        info = _item(op, av, ic)
        if info.zero_width:
            continue
        if info.variable:
            for part in open_parts:
                if part.overlaps(info.first):
                    raise _why("两个可变长度的部分前后相接，且能匹配相同的字符（如 .*.* 或 \\d+\\d+）",
                               "two variable-length parts in a row can match the same characters (like .*.* or \\d+\\d+)")
            open_parts.append(info.chars)
        elif not info.nullable:
            # Something mandatory that an open part cannot match pins down where it ends.
            open_parts = [part for part in open_parts if part.overlaps(info.first)]
        if fixed:
            prefix.extend(info.prefix[: _PREFIX_MAX - len(prefix)])
            fixed = info.fixed and len(prefix) < _PREFIX_MAX
        if nullable:
            first = first.union(info.first)
        nullable = nullable and info.nullable
        chars = chars.union(info.chars)
        variable = variable or info.variable
    return Info(chars, first, nullable, variable, prefix=prefix, fixed=fixed)


def _ambiguous(a: Info, b: Info) -> bool:
    """Whether two alternatives can both match from the same place (so a failure is
    tried twice, or they end in different places)."""
    if a.nullable or b.nullable:
        return True
    if not a.first.overlaps(b.first):
        return False
    n = min(len(a.prefix), len(b.prefix))
    if any(not a.prefix[i].overlaps(b.prefix[i]) for i in range(n)):
        return False  # they differ somewhere both are fixed
    return True


def _item(op, av, ic: bool) -> Info:
    if op is C.LITERAL:
        return _single(CharSet(lits=_fold(av) if ic else {av}))
    if op is C.NOT_LITERAL:
        return _single(CharSet(lits=_fold(av) if ic else {av}, neg=True))
    if op is C.ANY:
        return _single(CharSet(neg=True))
    if op is C.IN:
        return _single(_in_set(av, ic))
    if op is C.AT:
        return Info(CharSet(), CharSet(), True, False, zero_width=True)
    if op in (C.ASSERT, C.ASSERT_NOT):
        _direction, inner = av
        _sequence(inner, ic)  # its own backtracking must be safe too
        return Info(CharSet(), CharSet(), True, False, zero_width=True)
    if op is C.BRANCH:
        _, alternatives = av
        infos = [_sequence(alt, ic) for alt in alternatives]
        chars, first = CharSet(), CharSet()
        for info in infos:
            chars, first = chars.union(info.chars), first.union(info.first)
        variable = any(i.variable for i in infos) or any(
            _ambiguous(a, b) for n, a in enumerate(infos) for b in infos[n + 1:])
        out = Info(chars, first, any(i.nullable for i in infos), variable)
        if not variable and all(i.fixed for i in infos) and len({len(i.prefix) for i in infos}) == 1:
            # Equal-length alternatives (人次|人数): one position set each, like a class.
            out.prefix = [CharSet().union(infos[0].prefix[k]) if len(infos) == 1 else _union_all(i.prefix[k] for i in infos)
                          for k in range(len(infos[0].prefix))]
            out.fixed = True
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        lo, hi, inner = av
        body = _sequence(inner, ic)
        if hi is C.MAXREPEAT or hi > 1:
            if body.variable:
                raise _why("重复的内容本身长度可变或有多种匹配方式（嵌套的量词或重叠的选择，如 (a+)+、(a|ab)*）",
                           "a repeated part itself varies in length or can match in several ways (nested quantifiers or overlapping alternatives, like (a+)+ or (a|ab)*)")
            if body.nullable:
                raise _why("重复的内容可以匹配空文本（如 (a?)*）", "a repeated part can match the empty text (like (a?)*)")
        out = Info(body.chars, body.first, lo == 0 or body.nullable, lo != hi or body.variable)
        if lo == hi and body.fixed and len(body.prefix) * lo <= _PREFIX_MAX:
            out.prefix, out.fixed = body.prefix * lo, True
        return out
    if op is C.POSSESSIVE_REPEAT:
        lo, hi, inner = av
        body = _sequence(inner, ic)
        if (hi is C.MAXREPEAT or hi > 1) and body.variable:
            raise _why("重复的内容本身长度可变（嵌套的量词）", "a repeated part itself varies in length (nested quantifiers)")
        return Info(body.chars, body.first, lo == 0 or body.nullable, False)
    if op is C.ATOMIC_GROUP:
        body = _sequence(av, ic)
        return Info(body.chars, body.first, body.nullable, False)
    if op in (C.GROUPREF, C.GROUPREF_EXISTS, getattr(C, "GROUPREF_IGNORE", None)):
        raise UnsafePattern(
            "matches 不支持反向引用（\\1、(?(1)…)）", "matches does not support backreferences (\\1, (?(1)…))")
    raise UnsafePattern(f"matches 不支持正则表达式中的 {op}", f"matches does not support {op} in a regular expression")


def _union_all(sets) -> CharSet:
    out = CharSet()
    for s in sets:
        out = out.union(s)
    return out


def check(pattern: str, max_length: int) -> None:
    """Raise UnsafePattern (or re.error for an invalid pattern) unless `pattern` is in
    the safe subset and at most `max_length` characters long."""
    if len(pattern) > max_length:
        from validator.limits import message

        zh, en = message("pattern_length", max_length, f"正则表达式长 {len(pattern):,} 个字符", f"the regular expression is {len(pattern):,} characters long")
        raise UnsafePattern(zh, en)
    re.compile(pattern)
    parsed = P.parse(pattern)
    _sequence(parsed, bool(parsed.state.flags & re.IGNORECASE))
