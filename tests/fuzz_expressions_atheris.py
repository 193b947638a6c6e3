"""Coverage-guided fuzzing of the expression compiler and both evaluators with atheris.

    pip install '.[fuzz]'
    python tests/fuzz_expressions_atheris.py -runs=100000          # or -max_total_time=600

The input bytes choose an expression (text from the language's own pieces, or raw
text) and a sample submission with some cells replaced; the target is
test_fuzz_expressions.run_one, which fails on anything but a compile error or the same
value from the closures and the generated code. tests/test_fuzz_expressions.py runs a
short, bounded session of it when atheris is installed."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

with atheris.instrument_imports(include=["validator"]):
    from test_fuzz_expressions import run_one
    from test_properties import BASES, LITERALS, NAMES, PATHS

PIECES = PATHS + LITERALS + [f"{n}(" for n in NAMES] + [" + ", " - ", " * ", " / ", " == ", " != ", " < ", " <= ", " ≈ ",
                                                       " and ", " or ", "not ", ")", ", ", "(", " in "]
CELLS = ["", "0", "100", "60%", "≥15个", "提升", "#DIV/0!", "/", "无", "5万元", "请填写", None]


def target(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    if fdp.ConsumeBool():
        source = "".join(PIECES[fdp.ConsumeIntInRange(0, len(PIECES) - 1)] for _ in range(fdp.ConsumeIntInRange(1, 9)))
    else:
        source = fdp.ConsumeUnicodeNoSurrogates(60)
    submission = copy.deepcopy(BASES[fdp.ConsumeIntInRange(0, len(BASES) - 1)])
    rows = submission.get("indicators") or []
    for _ in range(fdp.ConsumeIntInRange(0, 4)):
        if rows:
            row = rows[fdp.ConsumeIntInRange(0, len(rows) - 1)]
            key = ("target", "actual", "weight", "score", "reason")[fdp.ConsumeIntInRange(0, 4)]
            row[key] = CELLS[fdp.ConsumeIntInRange(0, len(CELLS) - 1)] if fdp.ConsumeBool() else fdp.ConsumeUnicodeNoSurrogates(8)
    run_one(source, submission)


if __name__ == "__main__":
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
