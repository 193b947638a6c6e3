"""Loaded and compiled rule packs, kept between runs so a one-file check starts fast.

Two kinds of entry, in the cache folder (SELFEVAL_CACHE_DIR, else ~/.cache/selfeval;
SELFEVAL_NO_CACHE=1 turns caching off):

* `packs-<key>.json`: every pack of one load — its settings and each rule as written —
  once it compiled cleanly (so its expressions type-checked and its `matches` patterns
  passed the safe-regex check). The key hashes the pack files, selfeval's version and
  the selfeval code that reads and compiles them.
* `program-<key>.py` / `.pyc` / `.json`: the generated module for one list of rules on
  one kind of table (packs/program.py), its compiled code and the constants it is made
  with.

Nothing is trusted blindly: each entry records the SHA-256 of its contents and the key
it was made for, and an entry that is damaged, truncated, foreign (another key, another
Python) or unreadable is ignored and built again. Writing is best effort: a read-only
or full disk only costs the speed-up."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

FORMAT = 1
# selfeval's own files whose change changes what a load or a generated module holds.
_CODE = ("expression/compiler.py", "expression/codegen.py", "expression/fastops.py", "expression/functions.py",
         "expression/paths.py", "expression/types.py", "expression/runtime.py", "packs/rule.py", "packs/pack.py",
         "packs/program.py", "packs/cache.py", "schemas/rule.schema.json",
         "schemas/pack.schema.json")
# Every kind's schema, model and derived fields decide the types rules compile against.
_CODE_TREES = ("kinds",)


def folder() -> Path | None:
    from validator.expression.treecache import _folder

    return _folder()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_CODE_HASH: list[str] = []


def _code_hash() -> str:
    if not _CODE_HASH:
        from validator import __version__
        from validator.resources import grammar_path

        h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
        base = Path(__file__).resolve().parent.parent
        files = list(_CODE)
        for tree in _CODE_TREES:
            files += sorted(str(p.relative_to(base)) for p in (base / tree).rglob("*")
                            if p.suffix in (".py", ".json", ".yaml") and "__pycache__" not in p.parts)
        for rel in files:
            h.update(rel.encode() + b"\0")
            try:
                h.update((base / rel).read_bytes())
            except OSError:
                h.update(b"-")
        h.update(grammar_path("expr.lark").read_bytes())
        _CODE_HASH.append(h.hexdigest())
    return _CODE_HASH[0]


def packset_key(folders: list[Path], builtin: set[Path], limits_text: str) -> str | None:
    """The key of a load of these pack folders, or None when a file cannot be read (the
    ordinary load then says what is wrong)."""
    from validator.errors import RuleError
    from validator.packs.pack import rule_files

    h = hashlib.sha256(_code_hash().encode())
    try:
        for f in folders:
            h.update(f"\0folder\0{f}\0{f in builtin}\0".encode())
            meta = f / "pack.yaml"
            files = ([meta] if meta.is_file() else []) + rule_files(f)
            for file in files:
                h.update(f"\0{file.name}\0".encode())
                h.update(file.read_bytes())
    except (OSError, RuleError):
        return None
    # Lowered limits can refuse an extra pack that compiled before; the built-in packs
    # always load under the defaults.
    if any(f not in builtin for f in folders):
        h.update(limits_text.encode())
    return h.hexdigest()[:32]


# --- JSON with the values rule files hold ---------------------------------------------------------


class Unstorable(Exception):
    pass


def encode(value: Any) -> Any:
    """JSON for what a rule file holds: Decimal and float are tagged objects; a mapping
    keeps its keys (rule files have text keys, and none of them starts with $)."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, float):
        return {"$f": repr(value)}
    if isinstance(value, dict):
        if any(not isinstance(k, str) or k.startswith("$") for k in value):
            raise Unstorable("mapping key")
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    raise Unstorable(type(value).__name__)


def _tagged(obj: dict) -> Any:
    if len(obj) == 1:
        if "$d" in obj:
            return Decimal(obj["$d"])
        if "$f" in obj:
            return float(obj["$f"])
    return obj


# --- entries -------------------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass


def _read_checked(path: Path, key: str) -> dict | None:
    """An entry's body if its digest and key are right."""
    try:
        raw = path.read_bytes()
        digest, _, body = raw.partition(b"\n")
        if _digest(body) != digest.decode("ascii"):
            return None
        doc = json.loads(body, object_hook=_tagged)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("key") != key or doc.get("format") != FORMAT:
        return None
    return doc


def _write_checked(path: Path, doc: dict) -> None:
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    _write(path, _digest(body).encode("ascii") + b"\n" + body)


def load_packs(key: str) -> list | None:
    base = folder()
    if base is None:
        return None
    doc = _read_checked(base / f"packs-{key}.json", key)
    return doc["packs"] if doc is not None and isinstance(doc.get("packs"), list) else None


def store_packs(key: str, packs: list) -> None:
    base = folder()
    if base is None:
        return
    try:
        doc = {"format": FORMAT, "key": key, "packs": [_pack_entry(p) for p in packs]}
    except Unstorable:
        return
    _write_checked(base / f"packs-{key}.json", doc)


def _rule_entry(rule) -> dict:
    return {
        "node": encode(rule.node), "file": str(rule.file), "pack": rule.pack, "where": rule.source,
        "params": encode(rule.param_overrides), "severity": rule.severity, "overridden_by": rule.overridden_by,
        "item_filter": [rule.item_filter[0], sorted(rule.item_filter[1])] if rule.item_filter else None,
        "applies_to": list(rule.applies_to), "policies": encode(rule.policies),
    }


def _pack_entry(pack) -> dict:
    return {
        "name": pack.name, "title": pack.title, "path": str(pack.path), "title_en": pack.title_en,
        "description": pack.description, "applies_to": list(pack.applies_to), "fund_types": list(pack.fund_types),
        "extends": list(pack.extends), "overrides": encode(pack.overrides), "policies": encode(pack.policies),
        "rules": [_rule_entry(r) for r in pack.rules],
        "overridden": {rid: (_rule_entry(r) if r is not None else None) for rid, r in pack.overridden.items()},
    }


def rule_from_entry(entry: dict, key: str):
    from validator.packs.rule import lazy_rule

    item_filter = entry["item_filter"]
    rule = lazy_rule(entry["node"], Path(entry["file"]), entry["pack"], entry["where"], entry["params"],
                     (item_filter[0], frozenset(item_filter[1])) if item_filter else None,
                     tuple(entry["applies_to"]), dict(entry["policies"]))
    rule.severity = entry["severity"]
    rule.overridden_by = entry["overridden_by"]
    rule.cache_key = key
    return rule


def pack_from_entry(entry: dict, key: str):
    from validator.packs.pack import Pack

    pack = Pack(
        name=entry["name"], title=entry["title"], path=Path(entry["path"]), title_en=entry["title_en"],
        description=entry["description"], applies_to=tuple(entry["applies_to"]), fund_types=tuple(entry["fund_types"]),
        extends=tuple(entry["extends"]), overrides=entry["overrides"], policies=dict(entry["policies"]),
    )
    pack.rules = [rule_from_entry(r, key) for r in entry["rules"]]
    pack.overridden = {rid: (rule_from_entry(r, key) if r is not None else None) for rid, r in entry["overridden"].items()}
    return pack


# --- generated programs ---------------------------------------------------------------------------


def program_key(rules: list, kind: str | None) -> str | None:
    keys = {r.cache_key for r in rules}
    if len(keys) != 1 or None in keys:
        return None
    h = hashlib.sha256(f"{keys.pop()}\0{kind}\0".encode())
    for r in rules:
        h.update(f"{r.pack}/{r.overridden_by}/{r.id}/{r.severity}\0".encode())
    return h.hexdigest()[:32]


def _magic() -> bytes:
    from importlib.util import MAGIC_NUMBER

    return MAGIC_NUMBER


def load_program(key: str):
    """(meta, the code's bytes as marshal wrote them) of a cached program whose hashes
    check, or None; program.py turns the bytes back into code."""
    base = folder()
    if base is None:
        return None
    meta = _read_checked(base / f"program-{key}.json", key)
    if meta is None:
        return None
    try:
        raw = (base / f"program-{key}.pyc").read_bytes()
    except OSError:
        return None
    magic = _magic()
    if not raw.startswith(magic) or _digest(raw) != meta.get("pyc_sha256"):
        return None
    return meta, raw[len(magic):]


def store_program(key: str, source, payload: bytes) -> None:
    base = folder()
    if base is None:
        return
    raw = _magic() + payload
    text = source.text
    _write(base / f"program-{key}.py", text.encode("utf-8"))
    _write(base / f"program-{key}.pyc", raw)
    _write_checked(base / f"program-{key}.json", {
        "format": FORMAT, "key": key, "specs": source.specs, "passes": source.passes,
        "covered": sorted(source.covered), "py_sha256": _digest(text.encode("utf-8")), "pyc_sha256": _digest(raw),
    })
