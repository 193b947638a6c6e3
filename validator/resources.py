"""Where the grammars, rule packs and schemas live, installed or in a source checkout.

An installed wheel carries grammar/ and rules/ inside the package; in a checkout they sit
at the top of the tree, beside validator/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"selfeval data folder '{name}' is missing from the installation")


def grammar_path(name: str) -> Path:
    return data_dir("grammar") / name


def builtin_rules_dir() -> Path:
    return data_dir("rules")


def schema_path(name: str) -> Path:
    return _PACKAGE / "schemas" / name
