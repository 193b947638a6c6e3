"""Checking --select/--ignore entries against the rules loaded: shared by `selfeval check`
and the HTTP service, so both refuse a typo with the same did-you-mean."""

from __future__ import annotations

from validator.cli.common import UsageError


def check_selectors(validator, selectors: list[str], option: str) -> None:
    """Every --select/--ignore entry must name something: a rule id, an id prefix that
    some rule has, or a category. A typo would otherwise select nothing and pass."""
    if not selectors:
        return
    from validator.check.findings import CATEGORIES

    ids = validator.known_rule_ids
    prefixes = {"".join(ch for ch in i if ch.isalpha()) for i in ids}
    for s in selectors:
        if s in CATEGORIES or s.upper() in ids or (s.isalpha() and any(i.startswith(s.upper()) for i in ids)):
            continue
        guess = guess_selector(s, ids, prefixes, CATEGORIES)
        hint_zh = f"（是否应为 {guess[0]}？）" if guess else "（可用规则编号、编号前缀如 AR，或类别：" + "、".join(CATEGORIES) + "）"
        hint_en = f" (did you mean {guess[0]}?)" if guess else " (use rule ids, id prefixes such as AR, or categories: " + ", ".join(CATEGORIES) + ")"
        raise UsageError(f"{option} 中的“{s}”不是已知的规则编号、编号前缀或类别{hint_zh}",
                         f"{option}: '{s}' is not a known rule id, id prefix or category{hint_en}")


def guess_selector(s: str, ids, prefixes, categories) -> list[str]:
    import re
    from difflib import get_close_matches

    m = re.fullmatch(r"([A-Za-z]+)0*(\d{1,3})", s)
    if m and f"{m[1].upper()}{m[2].zfill(3)}" in ids:  # AR07, AR7 → AR007
        return [f"{m[1].upper()}{m[2].zfill(3)}"]
    if s.islower() and s.isalpha() or "_" in s:
        guess = get_close_matches(s.lower(), categories, n=1, cutoff=0.6)
        if guess:
            return guess
    return get_close_matches(s.upper(), sorted(ids | prefixes), n=1, cutoff=0.6) or get_close_matches(s.lower(), categories, n=1, cutoff=0.6)
