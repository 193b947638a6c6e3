"""Document kinds as plug-ins.

Every folder under validator/kinds/ is a plug-in and exports `KINDS`, a list of `Kind`:
- `recognize(grid)`: the tables of this kind found in a sheet grid, each a `Match` with a
  confidence and the reason (the labels and shape that identify it);
- a canonical JSON Schema shipped beside it (`schema`);
- `build(grid, match)`: the canonical document read from the table, with its source map
  (field path → sheet and cell);
- `derive(document, others)`: the tree rules evaluate, the document with derived facts as
  data (never verdicts);
- the packs that check it declare the kind in their `applies_to`.

A kind read from text instead (the report) has no recognizer match to build from: it
builds its document with `from_text` from a report file, and with `from_embedded` from
the text another document carries.

The registry finds the plug-ins by walking this package, so adding a kind touches only its
own folder. Nothing outside validator/kinds/ names a kind.

A plug-in is imported only when one of its kinds is needed: checking a JSON 自评表 never
loads the 决算 model. Which plug-in defines which kind, and what each kind offers
(checked, read from text, carried as text), is kept in a small index in the cache folder,
made by importing every plug-in once and made again whenever a file of this package
changes (size or time, as Python's own bytecode cache decides)."""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Callable

# The kinds a rule pack applies to when it does not say: the self-evaluation tables, which
# the first packs were written for.
DEFAULT_KINDS = ("transfer", "project")
# Below this, a table is not claimed by its best kind: it is reported as unrecognized.
MIN_CONFIDENCE = 0.5
# Two kinds scoring within this of each other make the choice ambiguous: said in a notice.
AMBIGUOUS_MARGIN = 0.15


# The keys a canonical document labels a row with, in order of preference.
LABEL_KEYS = ("_label", "label", "name", "item")


def label_of(node) -> str | None:
    """The label a row of a canonical document carries (its 名称, 项目, label)."""
    if isinstance(node, dict):
        for key in LABEL_KEYS:
            value = node.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


@dataclass(frozen=True, slots=True)
class Match:
    """A region of a grid that looks like a table of `kind`."""

    kind: str
    confidence: float  # 0..1
    first_row: int
    last_row: int
    anchor: str  # the region's first cell, e.g. "A3"
    reason: str
    reason_en: str
    detail: Any = field(default=None, compare=False)  # what the recognizer found, for build

    def overlaps(self, other: "Match") -> bool:
        return self.first_row <= other.last_row and other.first_row <= self.last_row


@dataclass(slots=True, eq=False)
class Built:
    """A canonical document read from a grid region, with what the reader noticed.
    `name` names a document that does not come from one region (an assembled set): the
    origin is then `path#name` when the workbook holds other documents too."""

    data: dict
    notices: list = field(default_factory=list)  # list[ReaderNotice]
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Other:
    """Another document of the same submission, as a kind's derive sees it: its kind, its
    canonical data (with `source`), and its origin (the file, path#sheet …)."""

    kind: str
    data: dict
    origin: str


def _no_build(grid, match) -> Built:  # pragma: no cover - only for kinds with checked=False
    raise NotImplementedError


@dataclass(frozen=True, eq=False)
class Kind:
    """A document kind: its recognizer, schema, model builder and default packs (a plug-in)."""
    name: str  # the `kind:` of a canonical document, and what packs name in applies_to
    title: str
    title_en: str
    folder: Path
    recognize: Callable[[Any], list[Match]]
    build: Callable[[Any, Match], Built] = _no_build
    derive: Callable[..., dict] | None = None
    schema: str | None = "schema.json"  # beside the plug-in's module
    # The derived fields rules may read, typed like the schema's x-type (see expression.types).
    derived: dict = field(default_factory=dict)
    # False: recognized so that a table of this kind is never read as another, but not yet
    # checked: it gets one info finding saying what it looks like.
    checked: bool = True
    # The short name reports use ("类型：转移支付自评表"); the title when not given.
    label: str | None = None
    label_en: str | None = None
    # What a person calls the parts of the document that have no row label of their own
    # (field path → label), for finding locations.
    section_labels: dict = field(default_factory=dict)
    # Other names rules use for a document of this kind from another document.
    alias: str | None = None
    # Combines the documents this kind built from one workbook (each table of a set, in
    # sheet order) into the documents checked: a kind whose tables are checked as one set
    # (the ten tables of a 决算公开) returns one. None: each table is its own document.
    assemble: Callable[[list[Built]], list[Built]] | None = None
    # Kinds read from text rather than from a grid (a 绩效自评报告): the document built from
    # a report file's text (validator.read.TextDocument); the tables inside the file are
    # offered to the recognizers like the sheets of a workbook.
    from_text: Callable[[Any], Built] | None = None
    # The documents of this kind carried as text inside another document (the 项目绩效分析
    # block at the foot of a 自评表), given that document's canonical data and origin.
    from_embedded: Callable[[dict, str], list[Built]] | None = None
    # The figures a narrative about a document of this kind may quote (the 情况说明 of a
    # 决算公开 set), given the derived document: each with the words a text names it by,
    # its label, its table and its values by phase (actual, budget) with their paths.
    quotable: Callable[[dict], list[dict]] | None = None

    @property
    def schema_path(self) -> Path | None:
        return (self.folder / self.schema).resolve() if self.schema else None

    def load_schema(self) -> dict | None:
        path = self.schema_path
        return json.loads(path.read_text(encoding="utf-8")) if path else None


def _plugins() -> list[str]:
    """The plug-in packages, sorted by folder."""
    base = __path__[0]
    return sorted(e.name for e in os.scandir(base)
                  if e.is_dir() and e.name.isidentifier() and os.path.isfile(os.path.join(e.path, "__init__.py")))


# Kinds imported so far, by name; filled a plug-in at a time.
_LOADED: dict[str, Kind] = {}


def _load_plugin(package: str) -> list[Kind]:
    module = importlib.import_module(f"{__name__}.{package}")
    kinds = list(getattr(module, "KINDS", ()))
    for kind in kinds:
        _LOADED.setdefault(kind.name, kind)
    return kinds


@cache
def registry() -> dict[str, Kind]:
    """Every kind, by name, in the order the plug-ins are found (sorted by folder). This
    imports every plug-in: what needs one kind asks kind_named."""
    kinds: dict[str, Kind] = {}
    for package in _plugins():
        for kind in _load_plugin(package):
            if kind.name in kinds:  # pragma: no cover - a packaging mistake
                raise RuntimeError(f"document kind {kind.name!r} is defined twice")
            kinds[kind.name] = kind
    return kinds


# --- the index: which plug-in defines each kind, without importing them all -----------------------

_INDEX_FORMAT = 1


class _Indexed(tuple):
    """(name, package, checked, has from_text, has from_embedded): a tuple rather than a
    dataclass, which would cost more to define than the index saves reading."""

    __slots__ = ()

    def __new__(cls, name: str, package: str, checked: bool, text: bool, embedded: bool):
        return tuple.__new__(cls, (name, package, checked, text, embedded))

    name = property(lambda self: self[0])
    package = property(lambda self: self[1])
    checked = property(lambda self: self[2])
    text = property(lambda self: self[3])
    embedded = property(lambda self: self[4])


def _fingerprint() -> list:
    """Every source file of this package with its size and modification time."""
    base = __path__[0]
    out = []
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".yaml")):
                path = os.path.join(root, name)
                st = os.stat(path)
                out.append([os.path.relpath(path, base), st.st_size, st.st_mtime_ns])
    return out


def _scan() -> list[_Indexed]:
    out = []
    for package in _plugins():
        module = importlib.import_module(f"{__name__}.{package}")
        for kind in getattr(module, "KINDS", ()):
            out.append(_Indexed(kind.name, package, kind.checked, kind.from_text is not None, kind.from_embedded is not None))
    registry()  # the same walk: a kind defined twice is refused here too
    return out


def _index_file() -> Path | None:
    from binascii import crc32

    from validator.cachefolder import folder as cache_folder

    folder = cache_folder()
    if folder is None:
        return None
    # One index per installed copy: two checkouts sharing a cache folder do not take turns.
    return folder / f"kinds-{crc32(__path__[0].encode()):08x}.json"


@cache
def _index() -> dict[str, _Indexed]:
    import sys

    try:
        stamp = {"format": _INDEX_FORMAT, "python": sys.version, "files": _fingerprint()}
    except OSError:
        stamp = None
    path = _index_file() if stamp is not None else None
    if path is not None:
        try:
            doc = json.loads(path.read_bytes())
            if isinstance(doc, dict) and all(doc.get(k) == v for k, v in stamp.items()):
                return {e[0]: _Indexed(*e) for e in doc["kinds"]}
        except (OSError, ValueError, KeyError, TypeError):
            pass
    entries = _scan()
    if path is not None:
        body = json.dumps(dict(stamp, kinds=[list(e) for e in entries]))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(body, encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # best effort: without it, each start imports every plug-in
    return {e.name: e for e in entries}


def kind_named(name: str) -> Kind | None:
    kind = _LOADED.get(name)
    if kind is not None:
        return kind
    entry = _index().get(name)
    if entry is None:
        return None
    _load_plugin(entry.package)
    return _LOADED.get(name) or registry().get(name)


def checked_kinds() -> list[str]:
    return [e.name for e in _index().values() if e.checked]


def text_kinds() -> list[Kind]:
    """The kinds a report's text is read as, in registry order."""
    return [kind_named(e.name) for e in _index().values() if e.text]


def embedded_kinds() -> list[Kind]:
    """The kinds whose documents other documents may carry as text."""
    return [kind_named(e.name) for e in _index().values() if e.embedded]
