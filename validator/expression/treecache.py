"""Parse trees of rule expressions, kept between runs.

Parsing some three hundred expressions with Lark is most of the start-up of a check.
The trees are stored as JSON (never pickle: a cache must not be a way to run code)
under the user's cache folder, keyed by the grammar's text, and read back into light
nodes the compiler walks exactly like Lark's. Each tree is kept as a JSON text of its
own inside the file: reading the file is then one scan of a few hundred strings (2 ms),
and only the trees of the rules that run are decoded, where decoding every tree took
11 ms of each check that reported anything. SELFEVAL_CACHE_DIR moves the folder,
SELFEVAL_NO_CACHE=1 turns it off; a cache that cannot be read or written is ignored."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from typing import Any

from validator import cachefolder

_VERSION = 2
# A run with a huge pack must not slow every later start: the file is read whole at
# start-up, so it keeps at most this many trees and bytes, the most recently used
# first; a file larger than _MAX_FILE (written by something else) is not read at all.
MAX_ENTRIES = 4096
MAX_BYTES = 2 * 1024 * 1024
_MAX_FILE = 2 * MAX_BYTES


class Meta:
    __slots__ = ("line", "column", "end_line", "end_column", "start_pos", "end_pos", "empty")

    def __init__(self, values):
        self.line, self.column, self.end_line, self.end_column, self.start_pos, self.end_pos = values
        self.empty = False


class Node:
    """What the compiler needs of lark.Tree."""

    __slots__ = ("data", "children", "meta")

    def __init__(self, data: str, children: list, meta: Meta | None):
        self.data = data
        self.children = children
        self.meta = meta


class Tok(str):
    """What the compiler needs of lark.Token: the text plus its type and position."""

    __slots__ = ("type", "line", "column", "end_column", "start_pos", "end_pos")

    def __new__(cls, type_: str, value: str, pos):
        tok = super().__new__(cls, value)
        tok.type = type_
        tok.line, tok.column, tok.end_column, tok.start_pos, tok.end_pos = pos
        return tok


def _dump(node) -> Any:
    if node is None:
        return None
    if hasattr(node, "data"):
        meta = node.meta
        m = None if getattr(meta, "empty", True) else [meta.line, meta.column, meta.end_line, meta.end_column, meta.start_pos, meta.end_pos]
        return {"d": str(node.data), "c": [_dump(c) for c in node.children], "m": m}
    return {"t": node.type, "v": str(node), "p": [node.line, node.column, node.end_column, node.start_pos, node.end_pos]}


def _load(obj) -> Any:
    if obj is None:
        return None
    if "d" in obj:
        return Node(obj["d"], [_load(c) for c in obj["c"]], Meta(obj["m"]) if obj["m"] else None)
    return Tok(obj["t"], obj["v"], obj["p"])


# Tree files kept (one per grammar text): the current grammar's and a few before it.
KEEP_FILES = 4


class TreeCache:
    def __init__(self, grammar_text: str):
        digest = hashlib.sha256(f"{_VERSION}\0{grammar_text}".encode()).hexdigest()[:16]
        folder = cachefolder.folder()
        self.path = folder / f"expr-{digest}.json" if folder is not None else None
        self._trees: dict[str, Any] = {}
        self._dirty = False
        self._lock = threading.Lock()
        if self.path is not None:
            try:
                if self.path.stat().st_size <= _MAX_FILE:
                    data = json.loads(self.path.read_text(encoding="utf-8"))
                    if isinstance(data, dict):
                        self._trees = data
                        cachefolder.touch(self.path)  # in use: the last file a prune would remove
            except (OSError, ValueError, RecursionError):
                pass

    def __len__(self) -> int:
        return len(self._trees)

    def get(self, source: str):
        obj = self._trees.get(source)
        if not isinstance(obj, str):
            return None
        with self._lock:
            # Most recently used last: that end is what save() keeps (the order is
            # written with the next new tree).
            self._trees.pop(source, None)
            self._trees[source] = obj
        try:
            return _load(json.loads(obj))
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
            return None  # a damaged entry is parsed again

    def put(self, source: str, tree) -> None:
        try:
            dumped = json.dumps(_dump(tree), ensure_ascii=False, separators=(",", ":"))
        except (RecursionError, ValueError):  # a tree deeper than the cache cares to keep
            return
        with self._lock:
            self._trees.pop(source, None)
            self._trees[source] = dumped
            if not self._dirty and self.path is not None:
                # A tree parsed while a check runs (its pack came from the pack cache) is
                # kept when the process ends; a pack load saves at once.
                import atexit

                atexit.register(self.save)
            self._dirty = True
            if len(self._trees) > 2 * MAX_ENTRIES:
                self._trim()

    def _trim(self) -> str:
        """Drop the least recently used trees beyond MAX_ENTRIES and MAX_BYTES; the JSON
        text of what is kept."""
        kept: dict[str, Any] = {}
        size = 2
        for source in reversed(list(self._trees)):
            tree = self._trees[source]
            if not isinstance(tree, str):
                continue
            piece = len(json.dumps(source, ensure_ascii=False).encode("utf-8")) + len(
                json.dumps(tree, ensure_ascii=False).encode("utf-8")) + 2
            if len(kept) >= MAX_ENTRIES or size + piece > MAX_BYTES:
                break
            kept[source] = self._trees[source]
            size += piece
        self._trees = dict(reversed(list(kept.items())))
        return json.dumps(self._trees, ensure_ascii=False, separators=(",", ":"))

    def save(self) -> None:
        if not self._dirty or self.path is None:
            return
        with self._lock:
            try:
                text = self._trim()
                self.path.parent.mkdir(parents=True, exist_ok=True)
                tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
                tmp.write_text(text, encoding="utf-8")
                tmp.replace(self.path)
                self._dirty = False
                cachefolder.prune(self.path.parent, "expr", KEEP_FILES)
            except OSError:
                pass
