"""Project settings: `selfeval.toml`, or `[tool.selfeval]` in `pyproject.toml`, found by
walking up from the first path checked (the nearest one wins), or named with
`--config FILE`. Anything given on the command line overrides the file; `--limit`
overrides it limit by limit.

    # selfeval.toml (or [tool.selfeval] in pyproject.toml)
    select = ["AR", "TA"]
    ignore = ["EX004"]
    packs = ["standard"]
    rules = ["规则/本地规则包"]        # folders, relative to this file
    lang = "zh"
    format = "rich"
    fail-on = "error"
    jobs = 2
    [limits]                          # [tool.selfeval.limits] in pyproject.toml
    file_size = "100MiB"
    depth = 128

A key selfeval does not know stops the run (exit 2) with the key it probably meant:
a misspelt `ignroe` silently ignored would run the rules it was meant to skip."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validator.cli.common import UsageError

CONFIG_NAME = "selfeval.toml"
FORMATS = ("rich", "json", "jsonl", "html", "xlsx", "csv")
KEYS = ("select", "ignore", "packs", "rules", "limits", "lang", "format", "fail-on", "jobs")


@dataclass(eq=False)
class Config:
    """The settings of a selfeval.toml (or pyproject.toml [tool.selfeval]) file."""
    path: Path | None = None  # where the settings came from; None: no file
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    packs: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)  # NAME=VALUE, as --limit takes them
    lang: str | None = None
    format: str | None = None
    fail_on: str | None = None
    jobs: int | None = None


def find(start: Path) -> Path | None:
    """The nearest selfeval.toml, or pyproject.toml with a [tool.selfeval] table, in
    `start`'s folder or above it."""
    here = start.resolve() if start.exists() else start.absolute()
    folder = here if here.is_dir() else here.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if own.is_file():
            return own
        project = candidate / "pyproject.toml"
        if project.is_file() and _selfeval_table(project, quiet=True) is not None:
            return project
    return None


def _read(path: Path) -> dict:
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: 配置文件格式错误：{exc}", f"{path}: malformed settings file: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{path}: 无法读取配置文件：{exc.strerror}", f"{path}: cannot read the settings file: {exc.strerror}") from None


def _selfeval_table(path: Path, quiet: bool = False) -> dict | None:
    try:
        data = _read(path)
    except UsageError:
        if quiet:
            return None
        raise
    table = data.get("tool", {}).get("selfeval") if isinstance(data.get("tool"), dict) else None
    return table if isinstance(table, dict) else None


def load(path: Path) -> Config:
    """The settings in `path` (selfeval.toml: the whole file; pyproject.toml: its
    [tool.selfeval] table), checked key by key."""
    if path.name == "pyproject.toml":
        table = _selfeval_table(path)
        if table is None:
            raise UsageError(f"{path}: 没有 [tool.selfeval] 配置", f"{path}: has no [tool.selfeval] table")
    else:
        table = _read(path)
    return _parse(table, path)


def _fail(path: Path, key: str, zh: str, en: str) -> UsageError:
    return UsageError(f"{path}: 配置项 {key} {zh}", f"{path}: setting {key} {en}")


def _strings(path: Path, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [x.strip() for x in value.split(",") if x.strip()]
    if isinstance(value, list) and all(isinstance(x, str) for x in value):
        return [x.strip() for x in value if x.strip()]
    raise _fail(path, key, "应为文本列表（如 [\"AR\", \"TA001\"]）", "must be a list of texts (such as [\"AR\", \"TA001\"])")


def _parse(table: dict, path: Path) -> Config:
    from difflib import get_close_matches

    config = Config(path=path)
    for key, value in table.items():
        if key not in KEYS:
            guess = get_close_matches(key.replace("_", "-"), KEYS, n=1, cutoff=0.6)
            raise UsageError(
                f"{path}: 未知配置项“{key}”" + (f"（是否应为“{guess[0]}”？）" if guess else f"（可用：{'、'.join(KEYS)}）"),
                f"{path}: unknown setting '{key}'" + (f" (did you mean '{guess[0]}'?)" if guess else f" (known: {', '.join(KEYS)})"),
            )
        if key in ("select", "ignore", "packs"):
            setattr(config, key, _strings(path, key, value))
        elif key == "rules":
            config.rules = [str((path.parent / p)) for p in _strings(path, key, value)]
        elif key == "limits":
            if not isinstance(value, dict):
                raise _fail(path, key, "应为表（[limits] 下写 名称 = 值）", "must be a table ([limits] with name = value)")
            config.limits = [f"{name}={v}" for name, v in value.items()]
        elif key == "lang":
            if value not in ("zh", "en"):
                raise _fail(path, key, "应为 \"zh\" 或 \"en\"", "must be \"zh\" or \"en\"")
            config.lang = value
        elif key == "format":
            if value not in FORMATS:
                guess = get_close_matches(str(value), FORMATS, n=1)
                raise _fail(path, key, f"应为 {'、'.join(FORMATS)} 之一" + (f"（是否应为“{guess[0]}”？）" if guess else ""),
                            f"must be one of {', '.join(FORMATS)}" + (f" (did you mean '{guess[0]}'?)" if guess else ""))
            config.format = value
        elif key == "fail-on":
            if value not in ("error", "warning"):
                raise _fail(path, key, "应为 \"error\" 或 \"warning\"", "must be \"error\" or \"warning\"")
            config.fail_on = value
        elif key == "jobs":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise _fail(path, key, "应为非负整数（0 表示按 CPU 核数）", "must be a whole number ≥ 0 (0: one per CPU core)")
            config.jobs = value
    return config


def resolve(explicit: str | None, first_path: str | None) -> Config:
    """The settings for this run: the file named with --config, else the nearest one."""
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"配置文件不存在：{path}", f"no such settings file: {path}")
        return load(path)
    if first_path is None:
        return Config()
    found = find(Path(first_path))
    return load(found) if found is not None else Config()
