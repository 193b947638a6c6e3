from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# Tests load the sample generators (samples/make_*.py) as modules; their bytecode must not
# land in samples/, which the tests check as a folder a user would hand over.
sys.dont_write_bytecode = True


@pytest.fixture(scope="session")
def validator():
    from validator import Validator

    return Validator()


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m validator` the way a user runs `selfeval`."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("COLUMNS", None)
    return subprocess.run(
        [sys.executable, "-m", "validator", *args],
        cwd=cwd or ROOT, env=env, capture_output=True, text=True, input=stdin,
        timeout=600,  # a hang guard, never a measure: every run here ends in seconds
    )
