"""Loaded and compiled rule packs, kept between runs so a one-file check starts fast.

Two kinds of entry, in the cache folder (SELFEVAL_CACHE_DIR, else ~/.cache/selfeval;
SELFEVAL_NO_CACHE=1 turns caching off):

* `packs-<name>.json`: every pack of one load — its settings and each rule as written —
  once it compiled cleanly (so its expressions type-checked and its `matches` patterns
  passed the safe-regex check), read back with one json.loads (no object hook: only
  the values marked as holding a Decimal are walked again). Its key names the pack
  files, selfeval's version and the selfeval code that reads and compiles them.
* `program-<name>.py` / `.pyc` / `.json`: the generated module for one list of rules on
  one kind of table (packs/program.py), its compiled code and the constants it is made
  with.

A key stands for the files it names as Python's bytecode cache does: by size and
modification time, so a start reads no file but the entry. The files of an extra pack
(--rules), which a user edits as they go, are read and their checksum is part of the key.
Nothing is trusted blindly: each entry records the checksum (CRC-32) of its contents and
the whole key it was made for, and an entry that is damaged, truncated, foreign (another
key, another Python) or unreadable is ignored and built again. Writing is best effort: a
read-only or full disk only costs the speed-up."""

from __future__ import annotations

import json
import os
import sys
from binascii import crc32
from decimal import Decimal
from pathlib import Path
from typing import Any

from validator import cachefolder

FORMAT = 2
# selfeval's own files whose change changes what a load or a generated module holds.
_CODE = ("expression/compiler.py", "expression/codegen.py", "expression/fastops.py", "expression/functions.py",
         "expression/paths.py", "expression/types.py", "expression/runtime.py", "expression/parser.py",
         "expression/treecache.py", "packs/rule.py", "packs/pack.py",
         "packs/program.py", "packs/cache.py", "schemas/rule.schema.json",
         "schemas/pack.schema.json")
# Every kind's schema, model and derived fields decide the types rules compile against.
_CODE_TREES = ("kinds",)


folder = cachefolder.folder  # the cache folder, or None when caches are off


def _digest(data: bytes) -> str:
    return f"{crc32(data):08x}"


def _name(key: str) -> str:
    """A file name for a key; the entry holds the whole key, so two keys sharing a name
    never share an entry."""
    from zlib import adler32

    data = key.encode("utf-8")
    return f"{crc32(data):08x}{adler32(data):08x}"


def _stamp(path: Path | str) -> str:
    st = os.stat(path)
    return f"{st.st_size}:{st.st_mtime_ns}"


_CODE_STAMP: list[str] = []


def _code_stamp() -> str:
    """selfeval's version, the Python it runs on, and its code files that compile rules,
    each by size and time."""
    if not _CODE_STAMP:
        from validator import __version__
        from validator.resources import grammar_path

        base = Path(__file__).resolve().parent.parent
        files = list(_CODE)
        for tree in _CODE_TREES:
            for root, dirs, names in os.walk(base / tree):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                files += [os.path.relpath(os.path.join(root, n), base) for n in sorted(names)
                          if n.endswith((".py", ".json", ".yaml"))]
        parts = [f"{FORMAT}", __version__, sys.version, str(base)]
        for rel in files:
            try:
                parts.append(f"{rel}={_stamp(base / rel)}")
            except OSError:
                parts.append(f"{rel}=-")
        parts.append(f"grammar={_stamp(grammar_path('expr.lark'))}")
        _CODE_STAMP.append("\n".join(parts))
    return _CODE_STAMP[0]


def packset_key(folders: list[Path], builtin: set[Path], limits_text: str) -> str | None:
    """The key of a load of these pack folders, or None when a file cannot be read (the
    ordinary load then says what is wrong)."""
    from validator.errors import RuleError
    from validator.packs.pack import rule_files

    parts = [_code_stamp()]
    try:
        for f in folders:
            mine = f in builtin
            parts.append(f"folder\0{f}\0{mine}")
            meta = f / "pack.yaml"
            files = ([meta] if meta.is_file() else []) + rule_files(f)
            for file in files:
                if mine:
                    parts.append(f"{file.name}={_stamp(file)}")
                else:
                    parts.append(f"{file.name}={_stamp(file)}:{crc32(file.read_bytes()):08x}")
    except (OSError, RuleError):
        return None
    # Lowered limits can refuse an extra pack that compiled before; the built-in packs
    # always load under the defaults.
    if any(f not in builtin for f in folders):
        parts.append(limits_text)
    return "\n".join(parts)


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


# Entries kept of each sort, the most recently used (validator.cachefolder.prune).
KEEP = {"packs": 32, "program": 128}
_PROGRAM_FILES = (".json", ".py", ".pyc")


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


def _unencode(value: Any) -> Any:
    """encode's value back, walked whole (see _stored)."""
    if isinstance(value, dict):
        if len(value) == 1:
            if "$d" in value:
                return Decimal(value["$d"])
            if "$f" in value:
                return float(value["$f"])
        return {k: _unencode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unencode(v) for v in value]
    return value


def _holds_number(value: Any) -> bool:
    if isinstance(value, (Decimal, float)):
        return True
    if isinstance(value, dict):
        return any(_holds_number(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_number(v) for v in value)
    return False


def _stored(value: Any) -> list:
    """[whether it holds a Decimal or float, the value encoded]: reading it back walks
    only what needs it."""
    return [_holds_number(value), encode(value)]


def _value(stored) -> Any:
    tagged, plain = stored
    return _unencode(plain) if tagged else plain


class _Policies:
    """The distinct sets of pack policies of one load: rules refer to them by index, so
    each set is turned into parameters once rather than once per rule."""

    def __init__(self):
        self.table: list = []
        self._seen: list = []

    def index(self, policies: dict) -> int:
        for i, seen in enumerate(self._seen):
            if seen == policies:
                return i
        self._seen.append(policies)
        self.table.append(_stored(policies))
        return len(self.table) - 1


def load_packs(key: str) -> "_Reader | None":
    """The cached load for this key, to read its packs from (pack_from_entry), or None."""
    base = folder()
    if base is None:
        return None
    try:
        raw = (base / f"packs-{_name(key)}.json").read_bytes()
        digest, _, body = raw.partition(b"\n")
        if _digest(body) != digest.decode("ascii"):
            return None
        doc = json.loads(body)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if (not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("key") != key
            or not isinstance(doc.get("packs"), list) or not isinstance(doc.get("policies"), list)):
        return None
    cachefolder.touch(base / f"packs-{_name(key)}.json")
    return _Reader(key, doc["packs"], doc["policies"])


def store_packs(key: str, packs: list) -> None:
    base = folder()
    if base is None:
        return
    policies = _Policies()
    try:
        entries = [_pack_entry(p, policies) for p in packs]
    except Unstorable:
        return
    _write_checked(base / f"packs-{_name(key)}.json", {"format": FORMAT, "key": key, "policies": policies.table, "packs": entries})
    cachefolder.prune(base, "packs", KEEP["packs"])


def _rule_entry(rule, policies: _Policies) -> dict:
    return {
        "node": _stored(rule.node), "file": str(rule.file), "pack": rule.pack, "where": rule.source,
        "params": _stored(rule.param_overrides), "severity": rule.severity, "overridden_by": rule.overridden_by,
        "item_filter": [rule.item_filter[0], sorted(rule.item_filter[1])] if rule.item_filter else None,
        "applies_to": list(rule.applies_to), "policies": policies.index(rule.policies),
        "policies_used": sorted(rule.policies_used),
    }


def _pack_entry(pack, policies: _Policies) -> dict:
    return {
        "name": pack.name, "title": pack.title, "path": str(pack.path), "title_en": pack.title_en,
        "description": pack.description, "applies_to": list(pack.applies_to), "fund_types": list(pack.fund_types),
        "extends": list(pack.extends), "overrides": _stored(pack.overrides), "policies": _stored(pack.policies),
        "rules": [_rule_entry(r, policies) for r in pack.rules],
        "overridden": {rid: (_rule_entry(r, policies) if r is not None else None) for rid, r in pack.overridden.items()},
    }


class _Reader:
    """A cached load being read back: its pack entries, and what their rules share (their
    files as Paths, each set of policies with its parameters, made once)."""

    def __init__(self, key: str, packs: list, policies: list):
        self.key = key
        self.packs = packs
        self._stored_policies = policies
        self._policies: dict[int, tuple[dict, dict]] = {}
        self._paths: dict[str, Path] = {}

    def path(self, text: str) -> Path:
        p = self._paths.get(text)
        if p is None:
            p = self._paths[text] = Path(text)
        return p

    def policies(self, index: int) -> tuple[dict, dict]:
        """(the policies, the same as rule parameters)."""
        hit = self._policies.get(index)
        if hit is None:
            from validator.packs.rule import policy_params

            policies = _value(self._stored_policies[index])
            hit = self._policies[index] = (policies, policy_params(policies))
        return hit


def rule_from_entry(entry: dict, reader: _Reader):
    from validator.packs.rule import lazy_rule

    key = reader.key
    item_filter = entry["item_filter"]
    policies, converted = reader.policies(entry["policies"])
    rule = lazy_rule(_value(entry["node"]), reader.path(entry["file"]), entry["pack"], entry["where"], _value(entry["params"]),
                     (item_filter[0], frozenset(item_filter[1])) if item_filter else None,
                     tuple(entry["applies_to"]), dict(policies), converted=converted,
                     policies_used=frozenset(entry["policies_used"]))
    rule.severity = entry["severity"]
    rule.overridden_by = entry["overridden_by"]
    rule.cache_key = key
    return rule


def pack_from_entry(entry: dict, reader: _Reader):
    from validator.packs.pack import Pack

    pack = Pack(
        name=entry["name"], title=entry["title"], path=Path(entry["path"]), title_en=entry["title_en"],
        description=entry["description"], applies_to=tuple(entry["applies_to"]), fund_types=tuple(entry["fund_types"]),
        extends=tuple(entry["extends"]), overrides=_value(entry["overrides"]), policies=dict(_value(entry["policies"])),
    )
    pack.rules = [rule_from_entry(r, reader) for r in entry["rules"]]
    pack.overridden = {rid: (rule_from_entry(r, reader) if r is not None else None) for rid, r in entry["overridden"].items()}
    return pack


# --- generated programs ---------------------------------------------------------------------------


def program_key(rules: list, kind: str | None) -> str | None:
    keys = {r.cache_key for r in rules}
    if len(keys) != 1 or None in keys:
        return None
    parts = [keys.pop(), f"kind={kind}"]
    parts += [f"{r.pack}/{r.overridden_by}/{r.id}/{r.severity}" for r in rules]
    return "\n".join(parts)


def _magic() -> bytes:
    from importlib.util import MAGIC_NUMBER

    return MAGIC_NUMBER


def load_program(key: str):
    """(meta, the code's bytes as marshal wrote them) of a cached program whose hashes
    check, or None; program.py turns the bytes back into code."""
    base = folder()
    if base is None:
        return None
    meta = _read_checked(base / f"program-{_name(key)}.json", key)
    if meta is None:
        return None
    try:
        raw = (base / f"program-{_name(key)}.pyc").read_bytes()
    except OSError:
        return None
    magic = _magic()
    if not raw.startswith(magic) or _digest(raw) != meta.get("pyc_crc32"):
        return None
    cachefolder.touch(base / f"program-{_name(key)}.json")
    return meta, raw[len(magic):]


def store_program(key: str, source, payload: bytes) -> None:
    base = folder()
    if base is None:
        return
    raw = _magic() + payload
    text = source.text
    name = _name(key)
    _write(base / f"program-{name}.py", text.encode("utf-8"))
    _write(base / f"program-{name}.pyc", raw)
    _write_checked(base / f"program-{name}.json", {
        "format": FORMAT, "key": key, "specs": source.specs, "passes": source.passes,
        "covered": sorted(source.covered), "py_crc32": _digest(text.encode("utf-8")), "pyc_crc32": _digest(raw),
    })
    cachefolder.prune(base, "program", KEEP["program"], _PROGRAM_FILES)
