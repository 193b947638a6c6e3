"""The rules compiled once per server process, and one check of an upload.

Nothing here knows HTTP: `Checker.check` takes the folder the upload was saved in and
returns the status, the body and the exit code, so the same call runs in a thread of the
server process or in a check worker process."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from validator.errors import SelfevalError
from validator.service.settings import Settings

# Option sets remembered with their filtered rule lists; clients use a handful at most.
_VARIANTS = 64


@dataclass(frozen=True, slots=True)
class Options:
    """What one request asks for (already split on commas)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    packs: tuple[str, ...] = ()
    fail_on: str = "error"
    lang: str = "zh"


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int
    body: bytes
    exit_code: int | None = None


def error_body(message: str) -> bytes:
    """`{"error": "<one line>"}`: a file name in the message cannot break the line or
    reach a terminal raw."""
    from validator.report.safe import json_text, one_line

    return (json_text(json.dumps({"error": one_line(message)}, ensure_ascii=False)) + "\n").encode("utf-8")


class Checker:
    """A compiled Validator shared by every request, and its variants for the selections
    requests make: each variant shares the loaded packs and compiled rules and keeps only
    its own filtered rule lists."""

    def __init__(self, settings: Settings):
        from validator.api import Validator

        self.settings = settings
        self.limits = settings.limits_in_force()
        self.validator = Validator(rules=list(settings.rules), packs=list(settings.packs), limits=self.limits)
        self.titles_en = {r.id: r.title_en for r in self.validator.packset.all_rules() if getattr(r, "title_en", None)}
        self._variants: dict[tuple, object] = {}
        self._lock = threading.Lock()
        self.variant(Options(settings.select, settings.ignore, settings.packs))  # the server's own defaults must be valid

    def variant(self, options: Options):
        """The Validator for these options. Raises SelfevalError (the CLI's words, with a
        did-you-mean) for an unknown rule, prefix, category or pack."""
        key = (options.select, options.ignore, options.packs)
        with self._lock:
            found = self._variants.get(key)
        if found is not None:
            return found
        from validator.cli.selectors import check_selectors

        v = self.validator.with_options(options.select, options.ignore, options.packs)
        check_selectors(v, list(options.select), "select")
        check_selectors(v, list(options.ignore), "ignore")
        with self._lock:
            if len(self._variants) >= _VARIANTS:
                self._variants.pop(next(iter(self._variants)))
            return self._variants.setdefault(key, v)

    def rules(self) -> bytes:
        """Every rule loaded, as `selfeval rules list --format json` prints it."""
        from validator.report.safe import json_text

        rows = [
            {"id": r.id, "pack": p.name, "title": r.title, "title_en": r.title_en, "category": r.category,
             "severity": r.severity, "status": r.status, "version": r.version, "applies_to": list(r.applies_to)}
            for p in self.validator.packs for r in p.rules
        ]
        return (json_text(json.dumps(rows, ensure_ascii=False, indent=2)) + "\n").encode("utf-8")

    def check(self, folder: str, names: list[str], options: Options) -> Outcome:
        """Check the files saved in `folder` as one submission. The report names each
        file as uploaded, as `selfeval check` run in that folder would; a file that cannot
        be used is a 422 with its one-line reason."""
        from validator.report.render import render
        from validator.report.report import Report

        try:
            validator = self.variant(options)
        except SelfevalError as exc:
            return Outcome(422, error_body(exc.text(options.lang)))
        reports = validator.check_file([Path(folder, n) for n in names])
        prefix = folder.rstrip(os.sep) + os.sep
        unusable = next((fr for fr in reports if fr.error is not None), None)
        if unusable is not None:
            # A defect in selfeval is the server's failure; anything else is the input's.
            status = 500 if unusable.failed else 422
            return Outcome(status, error_body(_unprefixed(unusable.error_text(options.lang) or "", prefix)))
        report = Report(files=reports, titles_en=self.titles_en, fail_on=options.fail_on)
        body = _unprefixed(render(report, "json", lang=options.lang) + "\n", prefix)
        return Outcome(200, body.encode("utf-8"), report.exit_code)


def _unprefixed(text: str, prefix: str) -> str:
    """The upload folder taken out of every path: the client knows its files by name."""
    escaped = json.dumps(prefix, ensure_ascii=False)[1:-1]
    text = text.replace(escaped, "") if escaped != prefix else text
    return text.replace(prefix, "")


# --- check worker processes ---------------------------------------------------------------

_worker: Checker | None = None


def start_worker(settings_json: str) -> None:
    """A check worker process's initializer: its own compiled rules."""
    global _worker
    from validator.service.settings import Settings

    os.environ["SELFEVAL_SERVE_SETTINGS"] = settings_json
    _worker = Checker(Settings.from_env())


def check_in_worker(folder: str, names: list[str], options: Options) -> Outcome:
    assert _worker is not None, "start_worker runs first"
    return _worker.check(folder, names, options)
