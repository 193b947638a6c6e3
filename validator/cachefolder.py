"""The folder selfeval keeps its caches in (packs, generated rule programs, parse trees,
the kind index), and the bound on what it holds.

SELFEVAL_CACHE_DIR moves the folder, SELFEVAL_NO_CACHE=1 turns every cache off; the
default is $XDG_CACHE_HOME/selfeval or ~/.cache/selfeval. Only the most recently used
entries of each sort are kept: without a bound the folder would only grow, with every
upgrade, every edit of a pack and every --select a rule set was run with."""

from __future__ import annotations

import os
from pathlib import Path


def folder() -> Path | None:
    """The cache folder, or None when caches are off."""
    if os.environ.get("SELFEVAL_NO_CACHE"):
        return None
    base = os.environ.get("SELFEVAL_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "selfeval")
    return Path(base)


def touch(path: Path) -> None:
    """Mark an entry as used now (what prune keeps by)."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune(base: Path, sort: str, keep: int, suffixes: tuple[str, ...] = (".json",)) -> None:
    """Remove the files of all but the `keep` most recently used entries of one sort
    (`packs`, `program`, `expr`), an entry being the files `<sort>-<name><suffix>` and
    its time that of its .json file. A file another process was about to read is then
    simply a miss of that cache."""
    stems: dict[str, int] = {}
    try:
        with os.scandir(base) as it:
            for entry in it:
                name = entry.name
                if name.startswith(sort + "-") and name.endswith(".json"):
                    try:
                        stems[name[:-5]] = entry.stat().st_mtime_ns
                    except OSError:
                        pass
    except OSError:
        return
    if len(stems) <= keep:
        return
    for stem in sorted(stems, key=stems.__getitem__)[: len(stems) - keep]:
        for suffix in suffixes:
            try:
                (base / (stem + suffix)).unlink()
            except OSError:
                pass
