"""Fuzzing the readers: mutated .xlsx, .xls, .docx, .pdf, YAML, JSON and Markdown files
end in what the file holds or an InputError (one line), never another exception, and
are left as they were (tests/fuzz_readers.py).

Each run tries a fixed number of derandomized mutations per format, so the suite stays
quick and reproducible; SELFEVAL_FUZZ_EXAMPLES=2000 runs that many per format with fresh
randomness. Whatever a run finds goes into tests/corpus/fuzz/, which every run reads."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_readers import CRASHES, read_or_refuse, mutate, seed_bytes

EXAMPLES = int(os.environ.get("SELFEVAL_FUZZ_EXAMPLES", "0"))
BUDGET = settings(
    max_examples=EXAMPLES or 25, deadline=None, derandomize=not EXAMPLES, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
FORMATS = [".xlsx", ".xls", ".docx", ".pdf", ".yaml", ".json", ".md"]


@pytest.mark.parametrize("suffix", FORMATS)
@BUDGET
@given(data=st.data())
def test_mutated_files_are_read_or_refused(tmp_path_factory, suffix, data):
    seeds = seed_bytes(suffix)
    seed = seeds[data.draw(st.integers(0, len(seeds) - 1), label="seed")]

    def choose(kind, *args):
        if kind == "int":
            return data.draw(st.integers(args[0], args[1]))
        return data.draw(st.sampled_from(args[0]))

    mutated = mutate(seed, choose, suffix, rounds=data.draw(st.integers(1, 4), label="rounds"))
    path = tmp_path_factory.mktemp("fuzz") / f"mutated{suffix}"
    path.write_bytes(mutated)
    read_or_refuse(path)


CRASH_FILES = sorted(p for p in CRASHES.glob("*") if p.is_file() and p.suffix != ".md") if CRASHES.exists() else []


@pytest.mark.parametrize("path", CRASH_FILES, ids=lambda p: p.name)
def test_inputs_that_once_broke_a_reader(path):
    read_or_refuse(path)
