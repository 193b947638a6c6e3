"""What the commands share: messages in two languages, safe output files, failing."""

from __future__ import annotations

import sys
from pathlib import Path

from validator.errors import SelfevalError

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


def say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


class UsageError(SelfevalError):
    """A command line that cannot be carried out (missing file, output exists)."""


def output_target(path: str | None, force: bool, lang: str) -> Path | None:
    """Refuse to overwrite an existing file unless asked to: nothing is lost silently."""
    if path is None:
        return None
    out = Path(path)
    if out.exists() and not force:
        raise UsageError(f"输出文件已存在（使用 --force 覆盖）：{out}", f"the output file already exists (use --force to overwrite): {out}")
    if out.exists() and out.is_dir():
        raise UsageError(f"输出路径是目录：{out}", f"the output path is a folder: {out}")
    return out


def temporary_beside(out: Path):
    """A new, uniquely named hidden file next to `out` (never an existing file), open
    for writing text; rename it over `out` when complete."""
    import os
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent if str(out.parent) else ".")
    except OSError as exc:
        raise UsageError(f"无法写入 {out}：{exc.strerror}", f"cannot write {out}: {exc.strerror}") from None
    return os.fdopen(fd, "w", encoding="utf-8"), Path(name)


def write_text(out: Path, text: str, lang: str) -> None:
    """Write via a temporary file so an interrupted run never leaves half a file."""
    handle, tmp = temporary_beside(out)
    try:
        with handle:
            handle.write(text)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"无法写入 {out}：{exc.strerror}", f"cannot write {out}: {exc.strerror}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    print(say(lang, f"已写入 {out}", f"written to {out}"), file=sys.stderr)


def add_limit_option(parser, lang: str) -> None:
    parser.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                        help=say(lang, "放宽或收紧资源限制，可多次使用，如 --limit depth=128 --limit file_size=100MiB（见 README“限制”）",
                                 "raise or lower a resource limit, repeatable, e.g. --limit depth=128 --limit file_size=100MiB (see README, Limits)"))


def limits_from_args(args):
    """The Limits the command line asks for (defaults, changed by each --limit)."""
    from validator import limits

    try:
        return limits.from_specs(getattr(args, "limit", None) or [])
    except limits.LimitSpecError as exc:
        raise UsageError(exc.message, exc.message_en) from None


def split_list(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def add_rule_options(parser, lang: str) -> None:
    parser.add_argument("--rules", action="append", default=[], metavar="DIR",
                        help=say(lang, "额外的规则包目录（可多次使用）", "extra rule pack folder (repeatable)"))
    parser.add_argument("--pack", action="append", default=[], metavar="NAME",
                        help=say(lang, "只使用这些规则包（默认按资金类型自动选择）", "use only these packs (default: chosen by fund type)"))
