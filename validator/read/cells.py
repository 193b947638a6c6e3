"""The text a person sees in a cell.

Rules parse written values themselves (the printed precision is what rounding checks
reason about), so a cell becomes the string Excel would show: 0.9 formatted `0.00%` is
"90.00%", 13.6 formatted `0.00` is "13.60", a General 0.30000000000000004 is "0.3"."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from typing import NamedTuple

ERROR_VALUES = {"#DIV/0!", "#VALUE!", "#REF!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"}

# Full-width digits and marks that people type with a Chinese IME inside otherwise ordinary
# text ("≥１５个"); the rest of the text is left as written.
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%"})
_FULLWIDTH_POINT = re.compile(r"(?<=\d)．(?=\d)")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)%?")
# Orders of magnitude printed in full digits: every finite double (up to 1.8e308, down to
# 5e-324) fits, so only a number written beyond what Excel can hold is shown otherwise.
PLAIN_DIGITS = 400
# Excel's number formats carry at most 30 decimal places.
MAX_DECIMALS = 30
_SMALL_INT = 10**400
_GROUPED = re.compile(r"^(?P<pre>[^\d,]*?)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?P<post>[^\d,]*)$")


# Labels and values repeat down a table and across a bureau's workbooks.
@lru_cache(maxsize=4096)
def text_value(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    folded = unicodedata.normalize("NFKC", text).strip()
    if _NUMBER.fullmatch(folded.replace(",", "")):
        grouped = _GROUPED.match(folded)
        if "," not in folded or grouped:
            return folded.replace(",", "")
        return text
    text = _FULLWIDTH_POINT.sub(".", text.translate(_FULLWIDTH))
    grouped = _GROUPED.match(text)
    if grouped:  # ≥1,234个: a thousands separator inside a written value
        return grouped["pre"] + grouped["num"].replace(",", "") + grouped["post"]
    return text


def cell_text(value, number_format: str | None, data_type: str | None = None) -> str | None:
    """Display text of a data_only cell value, or None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        if data_type == "e" or value in ERROR_VALUES:
            return value.strip()
        return text_value(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return date_text(value, number_format or "")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M") if not value.second else value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        return number_text(value, number_format or "General")
    return text_value(str(value))


def date_text(value: dt.date, number_format: str) -> str:
    fmt = number_format.lower()
    text = f"{value.year}年{value.month}月"
    if "d" in fmt or not fmt or fmt == "general":
        text += f"{value.day}日"
    if isinstance(value, dt.datetime) and (value.hour or value.minute or value.second):
        text += f" {value.hour:02d}:{value.minute:02d}"
    return text


def general_text(value) -> str:
    """Excel shows at most 15 significant digits; beyond that is binary noise."""
    if isinstance(value, int) and -_SMALL_INT < value < _SMALL_INT:
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "#NUM!"
        number = Decimal(format(value, ".15g"))
    else:
        number = Decimal(value)
        if not number.is_finite():
            return "#NUM!"
    return plain_text(number)


def plain_text(number: Decimal) -> str:
    """The digits of a finite Decimal, exactly, without exponent; one beyond PLAIN_DIGITS
    orders of magnitude in Excel's scientific form (1E+999999), which the value notation
    reads as the number it is, so the cell is reported as out of range (SC003), not
    written out in a million digits."""
    number = number.normalize(_exact(number))
    if not number:
        return "0"
    if abs(number.adjusted()) > PLAIN_DIGITS:
        return format(number, "E")
    text = format(number, "f")
    return "0" if text in ("-0", "") else text


def _exact(number: Decimal, decimals: int = 0) -> Context:
    """A context in which `number`, and `number` to `decimals` places, are exact."""
    digits = max(len(number.as_tuple().digits), number.adjusted() + 2 + decimals)
    return Context(prec=max(28, digits), rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)


def number_text(value, number_format: str) -> str:
    sections = _sections(number_format)
    if sections is None or not _finite(value):
        return general_text(value)
    if value < 0 and len(sections) >= 2 and sections[1].strip():
        return _render(value, _layout(sections[1]), unsigned=True)
    if value == 0 and len(sections) >= 3 and sections[2].strip():
        return _render(value, _layout(sections[2]), unsigned=True)
    return _render(value, _layout(sections[0]), unsigned=False)


def _finite(value) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else not isinstance(value, float) or abs(value) < float("inf")


@lru_cache(maxsize=256)
def _sections(fmt: str) -> tuple[str, ...] | None:
    """The sections of a format (positive;negative;zero;text); None means: show as General."""
    if not fmt or fmt.strip().lower() in ("general", "@"):
        return None
    sections = _split_sections(fmt)
    if any(re.search(r"\[[<>=]", s) for s in sections):
        return None  # conditional sections: rare in these tables, General is close enough
    return tuple(sections)


def _split_sections(fmt: str) -> list[str]:
    sections, current, quoted, bracket, escaped = [], [], False, False, False
    for ch in fmt:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            current.append(ch)
            escaped = True
        elif ch == '"':
            quoted = not quoted
            current.append(ch)
        elif ch == "[" and not quoted:
            bracket = True
            current.append(ch)
        elif ch == "]" and not quoted:
            bracket = False
            current.append(ch)
        elif ch == ";" and not quoted and not bracket:
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
    sections.append("".join(current))
    return sections


def _tokens(section: str):
    """Yield (kind, text): kind 'lit' for shown literal text, 'ph' for placeholder chars."""
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            yield "lit", section[i + 1:end]
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            yield "lit", section[i + 1]
            i += 2
        elif ch in "_*" and i + 1 < len(section):
            i += 2  # padding and fill characters take space, not text
        elif ch == "[":
            end = section.find("]", i)
            i = len(section) if end < 0 else end + 1  # colours, locales
        elif ch in "0#?.,":
            yield "ph", ch
            i += 1
        elif ch == "%":
            yield "pct", ch
            i += 1
        elif ch in "Ee" and i + 1 < len(section) and section[i + 1] in "+-":
            yield "exp", ch
            i += 1
        elif ch == "@":
            yield "text", ch
            i += 1
        else:
            yield "lit", ch
            i += 1


class _Layout(NamedTuple):
    """A format section, parsed once: how its number is shown."""

    mode: str  # "general" (scientific, text, fractions), "literal" (no digits) or "number"
    literal: str = ""  # the text of a literal section
    prefix: str = ""  # literal text before the digits
    suffix: str = ""  # literal text after them
    shift: int = 0  # powers of ten: +2 per %, -3 per trailing comma
    int_zero: bool = False  # whether a 0 before the point shows a leading zero
    point: str = ""
    max_dec: int = 0
    min_dec: int = 0


@lru_cache(maxsize=256)
def _layout(section: str) -> _Layout:
    tokens = list(_tokens(section))
    kinds = [kind for kind, _ in tokens]
    if "exp" in kinds or "text" in kinds:
        return _Layout("general")
    if "ph" not in kinds:
        # A section of pure literal text ("-" for zero in accounting formats).
        return _Layout("literal", literal="".join(t for k, t in tokens if k in ("lit", "pct")).strip())
    first = kinds.index("ph")
    last = len(kinds) - 1 - kinds[::-1].index("ph")
    if any(k == "lit" and t == "/" for k, t in tokens[first:last]):
        return _Layout("general")  # fractions
    placeholder = "".join(t for k, t in tokens if k == "ph")
    stripped = placeholder.rstrip(",")
    int_part, point, frac_part = stripped.partition(".")
    frac_part = "".join(ch for ch in frac_part if ch in "0#?")[:MAX_DECIMALS]
    return _Layout(
        "number",
        prefix="".join(t for k, t in tokens[:first] if k in ("lit", "pct")),
        suffix="".join(t for k, t in tokens[first:] if k in ("lit", "pct")),
        shift=2 * kinds.count("pct") - 3 * (len(placeholder) - len(stripped)),
        int_zero="0" in int_part, point=point,
        max_dec=len(frac_part), min_dec=len(frac_part) - len(frac_part.lstrip("0")),
    )


def _render(value, layout: _Layout, unsigned: bool) -> str:
    if layout.mode == "general":
        return general_text(value)
    if layout.mode == "literal":
        return layout.literal or general_text(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "#NUM!"
        number = Decimal(format(value, ".15g"))
    else:
        number = Decimal(value)
        if not number.is_finite():
            return "#NUM!"
    if layout.shift:  # an exact shift of the exponent
        number = number.scaleb(layout.shift, _exact(number))
    if number and abs(number.adjusted()) > PLAIN_DIGITS:
        return general_text(value)  # too large to print in full: see plain_text
    negative = number < 0 and not unsigned
    rounded = abs(number).quantize(_QUANTUM[layout.max_dec], context=_exact(number, layout.max_dec))
    whole, _, frac = format(rounded, "f").partition(".")
    min_dec = layout.min_dec
    while len(frac) > min_dec and frac.endswith("0"):
        frac = frac[:-1]
    if whole == "0" and not layout.int_zero:
        whole = ""
    digits = whole + (layout.point + frac if frac or layout.point else "")
    if negative and rounded != 0:
        digits = "-" + digits
    return (layout.prefix + digits + layout.suffix).strip()


_QUANTUM = [Decimal(1).scaleb(-n) for n in range(MAX_DECIMALS + 1)]


# --- number formats that show dates ---------------------------------------------------------
# The same tests openpyxl applies (so a workbook reads as it always has): a format is a date
# when its first section, without quoted text and [bracketed] parts other than [h] [m] [s],
# has a date or time letter that is not escaped.

_DATE_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)

WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)


def is_date_format(fmt: str | None) -> bool:
    if not fmt:
        return False
    return _DATE_LETTER.search(_DATE_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    return bool(fmt) and _TIMEDELTA.search(fmt.split(";")[0]) is not None


def from_excel(value, epoch: dt.datetime = WINDOWS_EPOCH, timedelta: bool = False):
    """An Excel serial date as datetime (a time when below one day, a timedelta for
    [h]:mm durations). Raises OverflowError or ValueError beyond the dates Python holds."""
    if timedelta:
        td = dt.timedelta(days=value)
        if td.microseconds:  # to the millisecond, as Excel shows it
            td = dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel counts a 29 February 1900 that never was
    return epoch + dt.timedelta(days=day) + diff
