"""The command line with deterministic triggers for tests, set through the environment:

  HOOK_SIGNALS_AFTER=N:SIG[,SIG…]  once N files have been counted, send these signals
                                   (INT, TERM) to this process, in that order
  HOOK_KILL_WORKER_ON=NAME         a worker process checking a file named NAME kills
                                   itself with SIGKILL (use with --jobs 2 or more)
  HOOK_EXPLODE=1                   add a function explode(text) to the rule language that
                                   raises RuntimeError on a text containing "BOOM"

None of this exists in selfeval itself: the hooks are installed here, then the ordinary
`main()` runs."""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _signals_after(spec: str) -> None:
    from validator.cli import check
    from validator.report import report

    count, _, names = spec.partition(":")
    after = int(count)
    signums = [getattr(signal, f"SIG{name}") for name in names.split(",")]
    seen = [0, False]  # files handed on, and whether a digest is being worked out

    def counted(n):
        before, seen[0] = seen[0], seen[0] + n
        if before < after <= seen[0]:
            for signum in signums:
                os.kill(os.getpid(), signum)

    # A file is handed on when the batch adds its report to the running totals, or merges
    # the totals of its digest; the tally inside a digest (in a worker) is not counted.
    add, merge, digest = report.Tally.add, report.Tally.merge, check._digest

    def counting_add(self, fr):
        add(self, fr)
        if not seen[1]:
            counted(1)

    def counting_merge(self, other):
        merge(self, other)
        counted(other.files + other.not_checked)

    def flagged_digest(*args):
        seen[1] = True
        try:
            return digest(*args)
        finally:
            seen[1] = False

    report.Tally.add, report.Tally.merge, check._digest = counting_add, counting_merge, flagged_digest


def _kill_worker_on(name: str) -> None:
    from validator import api

    original = api.Validator.check_file
    parent = os.getpid()

    def check_file(self, path):
        if Path(path).name == name and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, path)

    api.Validator.check_file = check_file


def _explode() -> None:
    from validator.expression import functions

    def explode(value):
        if isinstance(value, str) and "BOOM" in value:
            raise RuntimeError("exploded on a marker value")
        return True

    base = functions.FUNCTIONS["exists"]
    functions.FUNCTIONS["explode"] = dataclasses.replace(base, name="explode", impl=explode, doc="test only")


if __name__ == "__main__":
    if os.environ.get("HOOK_SIGNALS_AFTER"):
        _signals_after(os.environ["HOOK_SIGNALS_AFTER"])
    if os.environ.get("HOOK_KILL_WORKER_ON"):
        _kill_worker_on(os.environ["HOOK_KILL_WORKER_ON"])
    if os.environ.get("HOOK_EXPLODE"):
        _explode()
    from validator.cli.main import main

    sys.exit(main(sys.argv[1:]))
