"""The text a person sees in a cell.

Rules parse written values themselves (the printed precision is what rounding checks
reason about), so a cell becomes the string Excel would show: 0.9 formatted `0.00%` is
"90.00%", 13.6 formatted `0.00` is "13.60", a General 0.30000000000000004 is "0.3"."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

ERROR_VALUES = {"#DIV/0!", "#VALUE!", "#REF!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"}

# Full-width digits and marks that people type with a Chinese IME inside otherwise ordinary
# text ("≥１５个"); the rest of the text is left as written.
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%"})
_FULLWIDTH_POINT = re.compile(r"(?<=\d)．(?=\d)")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)%?")
_GROUPED = re.compile(r"^(?P<pre>[^\d,]*?)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?P<post>[^\d,]*)$")


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
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "#NUM!"
        number = Decimal(format(value, ".15g"))
    else:
        number = Decimal(value)
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def number_text(value, number_format: str) -> str:
    section = _pick_section(number_format, value)
    if section is None:
        return general_text(value)
    return _render(value, section)


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


def _pick_section(fmt: str, value) -> tuple[str, bool] | None:
    """The section Excel uses for this value, and whether the value is shown unsigned
    (a negative or zero section carries its own sign). None means: show as General."""
    if not fmt or fmt.strip().lower() in ("general", "@"):
        return None
    sections = _split_sections(fmt)
    if any(re.search(r"\[[<>=]", s) for s in sections):
        return None  # conditional sections: rare in these tables, General is close enough
    if value < 0 and len(sections) >= 2 and sections[1].strip():
        return sections[1], True
    if value == 0 and len(sections) >= 3 and sections[2].strip():
        return sections[2], True
    return sections[0], False


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


def _render(value, picked: tuple[str, bool]) -> str:
    section, unsigned = picked
    tokens = list(_tokens(section))
    kinds = [kind for kind, _ in tokens]
    if "exp" in kinds or "text" in kinds:
        return general_text(value)
    if "ph" not in kinds:
        # A section of pure literal text ("-" for zero in accounting formats).
        literal = "".join(t for k, t in tokens if k in ("lit", "pct")).strip()
        return literal or general_text(value)
    first = kinds.index("ph")
    last = len(kinds) - 1 - kinds[::-1].index("ph")
    if any(k == "lit" and t == "/" for k, t in tokens[first:last]):
        return general_text(value)  # fractions
    placeholder = "".join(t for k, t in tokens if k == "ph")
    number = Decimal(format(value, ".15g")) if isinstance(value, float) else Decimal(value)
    number *= Decimal(100) ** kinds.count("pct")
    stripped = placeholder.rstrip(",")
    number /= Decimal(1000) ** (len(placeholder) - len(stripped))  # trailing commas scale
    int_part, point, frac_part = stripped.partition(".")
    frac_part = "".join(ch for ch in frac_part if ch in "0#?")
    max_dec = len(frac_part)
    min_dec = len(frac_part) - len(frac_part.lstrip("0"))
    negative = number < 0 and not unsigned
    rounded = abs(number).quantize(Decimal(1).scaleb(-max_dec), rounding=ROUND_HALF_UP)
    whole, _, frac = format(rounded, "f").partition(".")
    while len(frac) > min_dec and frac.endswith("0"):
        frac = frac[:-1]
    if whole == "0" and "0" not in int_part:
        whole = ""
    digits = whole + (point + frac if frac or point else "")
    if negative and rounded != 0:
        digits = "-" + digits
    out, placed = [], False
    for kind, text in tokens:
        if kind == "ph":
            if not placed:
                out.append(digits)
                placed = True
        elif kind in ("lit", "pct"):
            out.append(text)
    return "".join(out).strip()
