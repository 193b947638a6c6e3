"""The parse-tree cache stays small whatever packs were loaded before."""

from __future__ import annotations

import json

from validator.expression import treecache
from validator.expression.parser import _grammar_text, _parse_with_lark
from validator.expression.treecache import TreeCache


def _cache(tmp_path, monkeypatch) -> TreeCache:
    monkeypatch.setenv("SELFEVAL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SELFEVAL_NO_CACHE", raising=False)
    return TreeCache(_grammar_text())


def test_a_huge_pack_leaves_a_bounded_cache(tmp_path, monkeypatch):
    cache = _cache(tmp_path, monkeypatch)
    tree = _parse_with_lark("funds.total.budget ≈ sum(funds.sources[*].budget) and exists(item.reason)")
    n = 3 * treecache.MAX_ENTRIES
    for i in range(n):
        cache.put(f"exists(item.reason) or {i} > 0", tree)
    assert len(cache) <= 2 * treecache.MAX_ENTRIES  # memory too, not only the file
    cache.save()
    size = cache.path.stat().st_size
    assert size <= treecache.MAX_BYTES
    again = TreeCache(_grammar_text())
    assert 0 < len(again) <= treecache.MAX_ENTRIES
    # The most recent trees are the ones kept, and they read back whole.
    assert again.get(f"exists(item.reason) or {n - 1} > 0") is not None
    assert again.get("exists(item.reason) or 0 > 0") is None


def test_recently_used_trees_survive_the_trim(tmp_path, monkeypatch):
    monkeypatch.setattr(treecache, "MAX_ENTRIES", 10)
    cache = _cache(tmp_path, monkeypatch)
    tree = _parse_with_lark("exists(notes)")
    for i in range(10):
        cache.put(f"old {i}", tree)
    assert cache.get("old 0") is not None  # used again: now the most recent
    for i in range(5):
        cache.put(f"new {i}", tree)
    cache.save()
    kept = json.loads(cache.path.read_text(encoding="utf-8"))
    assert len(kept) == 10 and "old 0" in kept and "old 1" not in kept and "new 4" in kept


def test_an_oversized_file_is_not_read(tmp_path, monkeypatch):
    cache = _cache(tmp_path, monkeypatch)
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    blob = {f"e{i}": {"d": "path", "c": [], "m": None} for i in range(10)}
    text = json.dumps(blob)
    cache.path.write_text(text + " " * (2 * treecache.MAX_BYTES + 10), encoding="utf-8")
    assert len(TreeCache(_grammar_text())) == 0


def _shape(node):
    if hasattr(node, "data"):
        meta = node.meta
        where = None if meta is None or getattr(meta, "empty", True) else (meta.line, meta.column, meta.end_column)
        return (str(node.data), where, [_shape(c) for c in node.children])
    return None if node is None else (node.type, str(node), node.line, node.column)


def test_a_tree_read_back_is_the_tree_lark_gave(tmp_path, monkeypatch):
    cache = _cache(tmp_path, monkeypatch)
    source = 'item.type == "money" and approx(funds.total.budget, sum(funds.sources[*].budget), 0.01) or matches(notes, "未(完成|达)")'
    tree = _parse_with_lark(source)
    cache.put(source, tree)
    cache.save()
    again = TreeCache(_grammar_text())
    assert _shape(again.get(source)) == _shape(tree)
    # each tree is a JSON text of its own in the file: only what is asked for is decoded
    assert isinstance(json.loads(cache.path.read_text(encoding="utf-8"))[source], str)


def test_a_damaged_entry_is_parsed_again(tmp_path, monkeypatch):
    cache = _cache(tmp_path, monkeypatch)
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    cache.path.write_text(json.dumps({"exists(notes)": "{not json", "exists(goal)": {"d": "path", "c": [], "m": None},
                                      "exists(total)": '{"d": 1}'}), encoding="utf-8")
    again = TreeCache(_grammar_text())
    assert again.get("exists(notes)") is None and again.get("exists(goal)") is None and again.get("exists(total)") is None
    from validator.expression.parser import parse

    monkeypatch.setattr("validator.expression.parser.tree_cache", lambda: again)
    assert _shape(parse("exists(notes)")) == _shape(_parse_with_lark("exists(notes)"))
