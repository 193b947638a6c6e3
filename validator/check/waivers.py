"""Waivers: findings a filing unit and its finance bureau agreed to accept.

A waiver names a rule and a location (field path, or sheet!cell for workbooks) and
gives a reason, optionally an approver and an expiry date. It is written in the
submission (`waivers:`) or in a side file `<name>.waivers.yaml` next to it. Waived
findings stay in the report, marked; a waiver that matched nothing, or has expired,
is itself reported (WV001, WV002)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from validator.errors import InputError
from validator.check.findings import Finding
from validator.check.locate import at, make
from validator.resources import schema_path

SIDE_SUFFIX = ".waivers.yaml"


def side_file(path: Path) -> Path:
    return path.with_name(path.stem + SIDE_SUFFIX)


@cache
def _validator():
    import jsonschema

    waiver = json.loads(schema_path("waiver.schema.json").read_text(encoding="utf-8"))
    waiver.pop("$id", None)
    waiver.pop("$schema", None)
    return jsonschema.Draft202012Validator({"type": "object", "additionalProperties": False, "required": ["waivers"],
                                            "properties": {"waivers": {"type": "array", "items": waiver}}})


def read_side_file(path: Path) -> list[dict]:
    """The waivers of a side file, each tagged with where it was written."""
    from validator.read.text import read_text_file

    data = read_text_file(path, "yaml").data
    errors = list(_validator().iter_errors(data))
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.absolute_path)) or "(file)"
        raise InputError(f"{path}: 豁免文件格式错误（{where}）：{e.message}", f"{path}: malformed waiver file ({where}): {e.message}")
    return [dict(w, _source=f"{path}#waivers[{i}]") for i, w in enumerate(data["waivers"])]


def _matches(waiver: dict, finding: Finding) -> bool:
    if waiver["rule"] != finding.rule:
        return False
    if "path" in waiver and waiver["path"] != finding.location.path:
        return False
    if "cell" in waiver:
        loc = finding.location
        if not (loc.sheet and loc.cell) or waiver["cell"].replace("！", "!") != f"{loc.sheet}!{loc.cell}":
            return False
    return True


def _notice(code: str, waiver: dict, message: str, message_en: str) -> Finding:
    where = waiver.get("_source", "waivers")
    return make(
        code, "form", "warning", "豁免已过期" if code == "WV002" else "豁免未匹配任何发现", message, message_en,
        at(where, f"{waiver['rule']} {waiver.get('path') or waiver.get('cell')}"),
        hint="删除或更新该豁免。", hint_en="Remove or update the waiver.", pack="core",
    )


def apply(findings: list[Finding], waivers: list[dict], today: date | None = None) -> list[Finding]:
    """Mark the findings the waivers cover; add a finding for each waiver that matched
    nothing or has expired (an expired waiver covers nothing)."""
    today = today or date.today()
    out = list(findings)
    extra: list[Finding] = []
    for w in waivers:
        target = w.get("path") or w.get("cell")
        expires = w.get("expires")
        try:
            expired = expires is not None and date.fromisoformat(str(expires)) < today
        except ValueError:
            extra.append(_notice("WV002", w, f"{w['rule']} 在 {target} 的豁免有效期“{expires}”不是有效日期，不生效",
                                 f"the waiver of {w['rule']} at {target} has an invalid expiry date '{expires}' and does not apply"))
            continue
        if expired:
            extra.append(_notice("WV002", w, f"{w['rule']} 在 {target} 的豁免已于 {expires} 过期，不再生效",
                                 f"the waiver of {w['rule']} at {target} expired on {expires} and no longer applies"))
            continue
        hit = False
        for i, f in enumerate(out):
            if f.waiver is None and _matches(w, f):
                out[i] = dataclasses.replace(f, waiver={
                    "reason": w["reason"], "approver": w.get("approver"),
                    "expires": str(expires) if expires is not None else None, "source": w.get("_source"),
                })
                hit = True
        if not hit:
            extra.append(_notice("WV001", w, f"{w['rule']} 在 {target} 的豁免没有匹配到任何发现",
                                 f"the waiver of {w['rule']} at {target} matched no finding"))
    return out + extra


def collect(data: Any, origin: str) -> list[dict]:
    """Waivers written in the submission and in its side file."""
    written = data.get("waivers") if isinstance(data, dict) else None
    # A malformed list is the schema check's to report (SC001), not a crash here.
    inline = [dict(w, _source=f"waivers[{i}]") for i, w in enumerate(written) if isinstance(w, dict)] if isinstance(written, list) else []
    path = Path(origin.split("#", 1)[0])
    side = side_file(path)
    return inline + (read_side_file(side) if path.suffix and side.is_file() else [])
