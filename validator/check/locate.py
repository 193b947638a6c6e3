"""The one place a finding's location is worked out and a finding is made.

A location is a field path of the canonical document, the label a person calls that row
(the row's own label, a parent's, or the name the document's kind gives a section with
no label of its own), and for workbooks the sheet and cell the value was read from (the
document's `source` map, falling back to the nearest parent read from a cell). Every
producer of findings — the engine, schema checks, bounds, waivers, reader notices — goes
through `make`, so labels and quoted values are cut the same way everywhere."""

from __future__ import annotations

import re
from typing import Any, Mapping

from validator.check.findings import Finding, Location
from validator.check.codes import core_title
from validator.kinds import label_of

# A cell may hold a megabyte of text: a finding quotes the start of it.
VALUE_WIDTH = 300
LABEL_WIDTH = 100
_PATH_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def steps(path: str) -> list:
    return [name if name else int(idx) for name, idx in _PATH_PART.findall(path)]


def shorten(text: str | None, width: int = VALUE_WIDTH) -> str | None:
    if text is None or len(text) <= width:
        return text
    return text[: width - 1] + "…"


class Locator:
    """Where things are in one document: `root` is the tree rules evaluate (with its
    `source` map), `sections` the labels of its parts that have no label of their own."""

    def __init__(self, root: Mapping | None, sections: Mapping[str, str] | None = None):
        self.root = root or {}
        self.source = self.root.get("source") or {}
        self.sections = sections or {}

    def label(self, path: str, item: Any = None) -> str | None:
        own = label_of(item)
        if own:
            return own
        parts = steps(path)
        for n in range(len(parts), 0, -1):
            node: Any = self.root
            for step in parts[:n]:
                if isinstance(step, int):
                    node = node[step] if isinstance(node, list) and step < len(node) else None
                else:
                    node = node.get(step) if isinstance(node, dict) else None
                if node is None:
                    break
            found = label_of(node)
            if found:
                return found
        while path:
            if path in self.sections:
                return self.sections[path]
            path = path.rpartition(".")[0]
        return None

    def place(self, path: str) -> Mapping:
        """Where the value at `path` was read from: {sheet, cell} in a workbook,
        {paragraph, page} in a report's text; the nearest parent's when the value itself
        has no entry; {} when the document has no source map."""
        at = path
        while at:
            hit = self.source.get(at)
            if hit:
                return hit
            cut = max(at.rfind("."), at.rfind("["))
            if cut <= 0:
                break
            at = at[:cut]
        return {}

    def cell(self, path: str) -> tuple[str | None, str | None]:
        hit = self.place(path)
        return hit.get("sheet"), hit.get("cell")

    def location(self, path: str, item: Any = None, label: str | None = None) -> Location:
        label = label or self.label(path, item) or self.label(path)
        hit = self.place(path)
        return Location(path=path, label=shorten(label, LABEL_WIDTH), sheet=hit.get("sheet"), cell=hit.get("cell"),
                        paragraph=hit.get("paragraph"), page=hit.get("page"))


def make(rule: str, category: str, severity: str, title: str, message: str, message_en: str,
         location: Location, **fields) -> Finding:
    """A finding: every producer builds its findings here."""
    for key in ("expected", "actual", "computed"):
        if fields.get(key) is not None:
            fields[key] = shorten(str(fields[key]))
    if fields.get("title_en") is None:
        fields["title_en"] = core_title(rule, "en")
    return Finding(rule=rule, category=category, severity=severity, title=title, message=message,
                   message_en=message_en, location=location, **fields)


def at(path: str = "", label: str | None = None, sheet: str | None = None, cell: str | None = None,
       paragraph: int | None = None, page: int | None = None) -> Location:
    """A location given outright (a reader notice, a schema path)."""
    return Location(path=path, label=shorten(label, LABEL_WIDTH), sheet=sheet, cell=cell, paragraph=paragraph, page=page)
