"""selfeval on a Dask cluster started here: one Validator per worker, JSONL results that
match a check in this process. Skips when Dask is not installed (pip install '.[dask]')."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

distributed = pytest.importorskip("dask.distributed", reason="Dask is not installed: pip install '.[dask]'")
pytestmark = pytest.mark.distributed

from validator import Validator  # noqa: E402
from validator.api import iter_paths  # noqa: E402
from validator.distributed import check_files  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       silence_logs=50)
    c = distributed.Client(cluster, timeout="30s")
    yield c
    c.close()
    cluster.close()


def test_files_checked_on_the_cluster_give_the_local_findings(client, tmp_path):
    folder = tmp_path / "filings"
    generate.write_dir(folder, 40, 17, (5, 30), 0.5, "json")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    paths = [str(p) for p in iter_paths([folder])]  # as `selfeval check DIR` walks it
    lines = check_files(client, paths, options={"packs": ["standard"]}, npartitions=8).compute()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(paths) == 41
    assert all(r["version"] == 1 for r in records)
    by_path = {r["path"]: r for r in records}
    assert "error" in by_path[str(folder / "broken.json")]
    local = Validator(packs=["standard"])
    for path in paths:
        if path.endswith("broken.json"):
            continue
        want = Counter((f["rule"], f["location"]["path"]) for f in local.check(path).to_dict()["files"][0]["findings"])
        got = Counter((f["rule"], f["location"]["path"]) for f in by_path[path]["findings"])
        assert got == want, path
    assert sum(bool(r.get("findings")) for r in records) > 10


def test_each_worker_compiles_once(client, tmp_path):
    folder = tmp_path / "more"
    generate.write_dir(folder, 30, 18, (5, 15), 0.3, "json")
    paths = [str(p) for p in iter_paths([folder])]
    for _ in range(2):  # two jobs, many partitions each
        check_files(client, paths, options={"packs": ["standard"], "select": ["AR", "TA"]}, npartitions=15).compute()

    def built():
        from validator import distributed as d

        return list(d.BUILT), [k for k in d._VALIDATORS]

    per_worker = client.run(built)
    assert len(per_worker) == 2
    for pids, keys in per_worker.values():
        selected = [k for k in keys if '"select"' in k]
        assert len(selected) == 1  # this option set was built once on this worker
        assert len(pids) == len(keys)  # one build per option set, never per file or task
