"""Text from a submission (cells, sheet names, file names) made safe for where it goes.

A cell may hold anything: an escape sequence that clears the screen, retitles the
terminal window or plants an OSC 8 hyperlink, a bidi override that shows a number
backwards, a leading `=` that a spreadsheet would run as a formula. Each output that a
person or a program reads through an interpreter gets the text neutralised here."""

from __future__ import annotations

import re

# C0 controls (but newline and tab), DEL, C1 controls, the line and paragraph separators,
# and the marks and overrides that reorder text (Trojan Source): the characters that make
# a terminal do something rather than show something.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_CONTROL}]")
_UNSAFE_LINE = re.compile(f"[{_CONTROL}\n\t]")
# What JSON leaves raw with ensure_ascii=False although a terminal would act on it: C1
# controls and the bidi characters (JSON escapes C0 itself).
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    cp = ord(match.group())
    if cp == 0x0A:
        return "\\n"
    if cp == 0x09:
        return "\\t"
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"


def visible(text: object) -> str:
    """The text with every control character shown as an escape (`\\x1b`, `\\u202e`);
    newlines and tabs are kept. For reports drawn on a terminal."""
    s = str(text)
    return _UNSAFE.sub(_escape, s) if _UNSAFE.search(s) else s


def one_line(text: object) -> str:
    """The text on one line with every control character, newlines and tabs included,
    shown as an escape. For the one-line messages on standard error."""
    s = str(text)
    return _UNSAFE_LINE.sub(_escape, s) if _UNSAFE_LINE.search(s) else s


def json_text(text: str) -> str:
    """JSON text (already serialised) with C1 controls and bidi characters written as
    \\u escapes: the same JSON to a parser, inert when printed on a terminal. Such
    characters only ever occur inside JSON strings, so the result is valid JSON."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _JSON_RAW.search(text) else text


# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and
# carriage return, as the start of another cell) — OWASP's CSV injection guidance.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: object) -> str:
    """A text for a CSV or workbook cell that no spreadsheet will run: one starting like
    a formula gets a leading apostrophe (shown as written, stored as text), and control
    characters are escaped (a workbook cannot even hold most of them)."""
    s = visible(text)
    if s.startswith(_FORMULA_START):
        return "'" + s
    return s
