"""Coverage-guided fuzzing of one reader with atheris (libFuzzer), for as long as wanted:

    pip install atheris
    python tests/fuzz_atheris.py .xlsx -max_total_time=600        # or .xls .docx .pdf .yaml .json .md
    python tests/fuzz_atheris.py .pdf tests/corpus/fuzz/ -runs=100000

The seeds are the same real files the hypothesis test mutates (tests/fuzz_readers.py);
atheris mutates them guided by which lines of the readers run. An input that breaks the
property (anything but a document or a one-line InputError, or a changed file) stops the
run, and libFuzzer writes it as crash-<hash>; move it to tests/corpus/fuzz/ with the
suffix of its format, and tests/test_fuzz.py reads it on every run from then on. Not part
of the test suite: atheris is not in the test extra."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    import atheris

    suffix = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1].startswith(".") else ".xlsx"
    args = [sys.argv[0]] + [a for a in sys.argv[1:] if a != suffix]
    with atheris.instrument_imports():
        import fuzz_readers

        # every reader, instrumented: their branches guide the fuzzer
        import validator.read.archive  # noqa: F401
        import validator.read.cells  # noqa: F401
        import validator.read.docx  # noqa: F401
        import validator.read.grid  # noqa: F401
        import validator.read.pdf  # noqa: F401
        import validator.read.plain  # noqa: F401
        import validator.read.text  # noqa: F401
        import validator.read.xls  # noqa: F401
        import validator.read.xlsx  # noqa: F401
    folder = Path(tempfile.mkdtemp(prefix="selfeval-atheris-"))
    seeds = folder / "seeds"
    seeds.mkdir()
    for i, data in enumerate(fuzz_readers.seed_bytes(suffix)):
        (seeds / f"seed{i}{suffix}").write_bytes(data)
    target = folder / f"input{suffix}"

    def one(data: bytes) -> None:
        target.write_bytes(data)
        fuzz_readers.read_or_refuse(target)

    atheris.Setup(args + [str(seeds)] if not any(Path(a).is_dir() for a in args[1:]) else args, one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
