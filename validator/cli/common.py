"""What the commands share: messages in two languages, safe output files, failing."""

from __future__ import annotations

import sys
from pathlib import Path

from validator.errors import SelfevalError

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2

# A run of the program (not main() called from Python) holds the cyclic garbage collector
# back while it starts: imports and the rule packs make tens of thousands of objects that
# live as long as the process, and collecting among them finds nothing. What start-up made
# is then frozen (gc.freeze), so later collections look only at what checking files makes.
_GC_HELD: list[bool] = []


def hold_gc() -> None:
    import gc

    if not _GC_HELD and gc.isenabled():
        gc.disable()
        _GC_HELD.append(True)


def started() -> None:
    """Start-up is over (the rules are loaded): collect garbage again from here on."""
    if _GC_HELD:
        import gc

        _GC_HELD.clear()
        gc.freeze()
        gc.enable()


def say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


class UsageError(SelfevalError):
    """A command line that cannot be carried out (missing file, output exists)."""


def output_target(path: str | None, force: bool, lang: str) -> Path | None:
    """The `-o` path, refused when writing it would lose something: an existing file
    without --force, and anything that exists and is not a regular file."""
    if path is None:
        return None
    from validator.cli.output import check_output_path

    out = Path(path)
    check_output_path(out, force)
    return out


def path_problem(path: Path) -> tuple[str, str] | None:
    """Why a path given on the command line cannot be read, in words that say what it
    is (a missing file is not a symbolic link loop, nor a named pipe); None if it can."""
    import errno
    import stat

    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"符号链接形成循环：{path}", f"a symbolic link loop: {path}"
        if exc.errno == errno.ENOENT:
            if path.is_symlink():
                return f"符号链接指向的文件不存在：{path}", f"a symbolic link to a file that does not exist: {path}"
            return f"文件或目录不存在：{path}", f"no such file or folder: {path}"
        if exc.errno == errno.EACCES:
            return f"没有读取权限：{path}", f"permission denied: {path}"
        if exc.errno == errno.ENAMETOOLONG:
            return f"路径过长：{path}", f"the path is too long: {path}"
        what = exc.strerror or type(exc).__name__
        return f"无法读取 {path}：{what}", f"cannot read {path}: {what}"
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return f"是命名管道（FIFO），不是普通文件：{path}", f"a named pipe (FIFO), not a regular file: {path}"
    if stat.S_ISSOCK(mode):
        return f"是套接字，不是普通文件：{path}", f"a socket, not a regular file: {path}"
    return f"是设备或其他特殊文件，不是普通文件：{path}", f"a device or another special file, not a regular file: {path}"


def add_limit_option(parser, lang: str) -> None:
    parser.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                        help=say(lang, "放宽或收紧资源限制，可多次使用，如 --limit depth=128 --limit file_size=100MiB（见 README“限制”）",
                                 "raise or lower a resource limit, repeatable, e.g. --limit depth=128 --limit file_size=100MiB (see README, Limits)"))


def limits_from_args(args, config=None):
    """The Limits the command line asks for: defaults, changed by the settings file's
    [limits], then by each --limit."""
    from validator import limits

    base = limits.DEFAULTS
    if config is not None and config.limits:
        try:
            base = limits.from_specs(config.limits)
        except limits.LimitSpecError as exc:
            raise UsageError(f"{config.path}: {exc.message}", f"{config.path}: {exc.message_en}") from None
    try:
        return limits.from_specs(getattr(args, "limit", None) or [], base)
    except limits.LimitSpecError as exc:
        raise UsageError(exc.message, exc.message_en) from None


def apply_settings(args, start: str | None):
    """The settings file's language (when --lang was not given) for commands other than
    check; returns the settings."""
    from validator.cli.config import resolve

    config = resolve(getattr(args, "config", None), start)
    if not getattr(args, "lang_given", True) and config.lang:
        args.lang = config.lang
    return config


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
