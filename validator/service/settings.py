"""What a server is started with. Plain data, so it reaches uvicorn's worker processes
(and the check worker processes) as JSON in an environment variable."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

from validator import limits as _limits

ENV = "SELFEVAL_SERVE_SETTINGS"
EXECUTORS = ("thread", "process")


def default_max_upload(limits: _limits.Limits) -> int:
    """The largest file the readers accept: one workbook or report at its size limit
    fits in a request."""
    return max(limits.file_size, limits.xlsx_size, limits.report_size)


@dataclass(frozen=True)
class Settings:
    rules: tuple[str, ...] = ()  # extra pack folders (from the server's command line only)
    packs: tuple[str, ...] = ()  # default packs; a request's `pack` replaces them
    select: tuple[str, ...] = ()  # defaults; a request's own `select`/`ignore` replace them
    ignore: tuple[str, ...] = ()
    fail_on: str = "error"
    lang: str = "zh"  # messages when a request does not ask for a language
    limits: tuple[str, ...] = ()  # NAME=VALUE, as --limit takes them
    max_upload: int | None = None  # bytes of one request's body; None: default_max_upload
    executor: str = "thread"
    processes: int = 0  # check worker processes per server process (0: one per core)

    def limits_in_force(self) -> _limits.Limits:
        return _limits.from_specs(self.limits)

    def upload_cap(self) -> int:
        return self.max_upload if self.max_upload is not None else default_max_upload(self.limits_in_force())

    def to_env(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_env(cls, environ=os.environ) -> Settings:
        from dataclasses import fields

        raw = json.loads(environ.get(ENV, "{}"))
        unknown = sorted(set(raw) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"{ENV}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(f.name for f in fields(cls))}")
        for key in ("rules", "packs", "select", "ignore", "limits"):
            if key in raw:
                raw[key] = tuple(raw[key])
        return cls(**raw)
