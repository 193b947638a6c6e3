"""Waivers: findings a filing unit and its finance bureau agreed to accept.

A waiver names a rule and a location (field path, or sheet!cell for workbooks) and
gives a reason, optionally an approver and an expiry date. It is written in the
submission (`waivers:`) or in a side file next to it: `x.waivers.yaml` or
`x.yaml.waivers.yaml` for `x.yaml` (both are read when both exist). Waived findings stay
in the report, marked; a waiver that matched nothing, or has expired, is itself reported
(WV001, WV002), as is one naming a rule that does not exist (WV003) and a file beside the
submission that looks like a side file but is not named as one (WV004)."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Iterable

from validator.errors import InputError
from validator.check.codes import core_title
from validator.check.findings import Finding
from validator.check.locate import at, make
from validator.resources import schema_path

SIDE_SUFFIX = ".waivers.yaml"
_SIDE_LOWER = SIDE_SUFFIX.lower()


def side_files(path: Path) -> list[Path]:
    """The two names a side file may have: `x.waivers.yaml` and `x.yaml.waivers.yaml`."""
    return [path.with_name(path.stem + SIDE_SUFFIX), path.with_name(path.name + SIDE_SUFFIX)]


def side_file(path: Path) -> Path:
    return side_files(path)[0]


def _waiverish(name: str) -> bool:
    lower = name.lower()
    return "waiver" in lower and lower.endswith((".yaml", ".yml", ".json"))


def waiver_file_reason(name: str, folder: Path) -> tuple[str, str] | None:
    """Why a file found in `folder` is not checked as a submission when it is (or looks
    like) a waiver side file; None when it is not one."""
    from validator.read import SUPPORTED_SUFFIXES

    if not _waiverish(name):
        return None
    if name.endswith(SIDE_SUFFIX):
        base = name[: -len(SIDE_SUFFIX)]
        # x.yaml.waivers.yaml belongs to x.yaml; x.waivers.yaml to x.<any supported suffix>.
        candidates = [base] if Path(base).suffix.lower() in SUPPORTED_SUFFIXES else []
        candidates += [base + s for s in sorted(SUPPORTED_SUFFIXES)]
        owner = next((c for c in candidates if (folder / c).is_file()), None)
        if owner is not None:
            return (f"豁免文件，随 {owner} 一起读取", f"a waiver file, read with {owner}")
        return ("豁免文件，但同一目录中没有对应的自评表", "a waiver file, but no submission of that name is in the folder")
    return (f"像豁免文件但未按规定命名，未读取（应为“自评表文件名{SIDE_SUFFIX}”）",
            f"looks like a waiver file but is not named as one; not read (name it '<submission>{SIDE_SUFFIX}')")


@cache
def _validator():
    import jsonschema

    waiver = json.loads(schema_path("waiver.schema.json").read_text(encoding="utf-8"))
    waiver.pop("$id", None)
    waiver.pop("$schema", None)
    return jsonschema.Draft202012Validator({"type": "object", "additionalProperties": False, "required": ["waivers"],
                                            "properties": {"waivers": {"type": "array", "items": waiver}}})


def read_side_file(path: Path) -> list[dict]:
    """The waivers of a side file, each tagged with where it was written. Like a rule
    file, it must be a regular file that stays in the submission's folder: a link to
    /etc/passwd is refused, so no system file ever reaches a report."""
    from validator.read.text import read_text_file

    _refuse_outside(path)
    data = read_text_file(path, "yaml").data
    errors = list(_validator().iter_errors(data))
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.absolute_path)) or "(file)"
        detail = " ".join(e.message.split())
        detail = detail if len(detail) <= 200 else detail[:199] + "…"
        raise InputError(f"{path}: 豁免文件格式错误（{where}）：{detail}", f"{path}: malformed waiver file ({where}): {detail}")
    return [dict(w, _source=f"{path}#waivers[{i}]") for i, w in enumerate(data["waivers"])]


def _refuse_outside(path: Path) -> None:
    try:
        resolved = path.resolve(strict=True)
        folder = path.parent.resolve(strict=True)
        mode = resolved.stat().st_mode
    except (OSError, RuntimeError) as exc:
        what = getattr(exc, "strerror", None) or str(exc)
        raise InputError(f"{path}: 无法读取豁免文件：{what}", f"{path}: cannot read the waiver file: {what}") from None
    if resolved.parent != folder:
        raise InputError(f"{path}: 豁免文件指向自评表所在目录之外（{resolved}），已拒绝读取",
                         f"{path}: the waiver file points outside the submission's folder ({resolved}); refused")
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: 豁免文件不是普通文件，已拒绝读取", f"{path}: the waiver file is not a regular file; refused")


def inline_waivers(data: Any) -> list[dict]:
    """Waivers written in the submission itself."""
    written = data.get("waivers") if isinstance(data, dict) else None
    # A malformed list is the schema check's to report (SC001), not a crash here.
    return [dict(w, _source=f"waivers[{i}]") for i, w in enumerate(written) if isinstance(w, dict)] if isinstance(written, list) else []


def side_waivers(path: Path) -> list[dict]:
    """Waivers in the side files of the submission at `path` (both names, if both exist)."""
    if not path.suffix:
        return []
    out: list[dict] = []
    for side in side_files(path):
        if os.path.lexists(side):
            out.extend(read_side_file(side))
    return out


@lru_cache(maxsize=64)
def _waiverish_names(folder: str, _mtime_ns: int) -> tuple[str, ...]:
    # Keyed by the folder's mtime too: a long-lived Validator sees files added since.
    try:
        with os.scandir(folder) as it:
            return tuple(sorted(e.name for e in it if _waiverish(e.name)))
    except OSError:
        return ()


def near_miss_notices(path: Path) -> list:
    """A notice for each file beside the submission that looks like its side file but is
    not named as one (x.waiver.yaml, x.waivers.yml, X.Waivers.yaml): its waivers are not
    read, and the person who wrote it should know."""
    from validator.read import ReaderNotice

    folder = path.parent
    try:
        mtime = folder.stat().st_mtime_ns
    except OSError:
        return []
    candidates = _waiverish_names(str(folder), mtime)
    if not candidates:
        return []
    import re

    accepted = {p.name for p in side_files(path)}
    near = re.compile(rf"{re.escape(path.stem)}(?:{re.escape(path.suffix)})?[._\- ]?waivers?\.(?:ya?ml|json)", re.I)
    out = []
    for name in candidates:
        if name in accepted or not near.fullmatch(name):
            continue
        want = " 或 ".join(sorted(accepted))
        out.append(ReaderNotice(
            code="WV004", severity="warning",
            message=f"豁免文件 {name} 未读取：文件名应为 {want}",
            message_en=f"waiver file {name} was not read: name it {' or '.join(sorted(accepted))}",
            path=name,
        ))
    return out


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
        code, "form", "warning", core_title(code), message, message_en,
        at(where, f"{waiver['rule']} {waiver.get('path') or waiver.get('cell')}"),
        hint="删除或更新该豁免。", hint_en="Remove or update the waiver.", pack="core",
    )


def apply(findings: list[Finding], waivers: list[dict], today: date | None = None,
          known: Iterable[str] | None = None) -> list[Finding]:
    """Mark the findings the waivers cover; add a finding for each waiver that matched
    nothing or has expired (an expired waiver covers nothing), and for each naming a
    rule not among `known` (all rule ids, when given), with the id it probably meant."""
    today = today or date.today()
    known = set(known) if known is not None else None
    out = list(findings)
    extra: list[Finding] = []
    for w in waivers:
        target = w.get("path") or w.get("cell")
        if known is not None and w["rule"] not in known:
            from difflib import get_close_matches

            guess = get_close_matches(str(w["rule"]).upper(), sorted(known), n=1)
            extra.append(_notice("WV003", w, f"豁免所列规则 {w['rule']} 不存在" + (f"（是否应为 {guess[0]}？）" if guess else ""),
                                 f"the waiver names rule {w['rule']}, which does not exist" + (f" (did you mean {guess[0]}?)" if guess else "")))
            continue
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
    """Waivers written in the submission and in its side files."""
    return inline_waivers(data) + side_waivers(Path(origin.split("#", 1)[0]))
