"""`selfeval serve` under load: N concurrent clients posting one submission over and
over to a real server, for each way of running the checks.

    python benchmarks/serve.py                      # every setup, 1, 4 and 16 clients
    python benchmarks/serve.py --setups thread,process --clients 8 --seconds 20
    python benchmarks/serve.py --payload pair --out /tmp/serve.json

Setups (each a fresh `python -m validator serve` on a free port):
  thread    one uvicorn process, checks in its thread pool (the default)
  process   one uvicorn process, checks in a pool of 2 worker processes (--executor process)
  workers2  two uvicorn processes (--workers 2), checks in each one's thread pool

Payloads: `workbook` (samples/anshan-2024-transfer.xlsx), `pair` (that workbook and its
.docx report, one submission), `yaml` (samples/county-2024-project-defects.yaml).

Clients are threads using http.client with a body built once, so the client side costs
little next to a check; they still share the machine's cores with the server, which the
figures include. Every answer must be 200: a setup that answers anything else stops the
run (exit 3). Latency is from sending the request to reading the whole answer."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PAYLOADS = {
    "workbook": [SAMPLES / "reports" / "anshan-2024-transfer.xlsx"],
    "pair": [SAMPLES / "reports" / "anshan-2024-transfer-自评报告.docx", SAMPLES / "reports" / "anshan-2024-transfer.xlsx"],
    "yaml": [SAMPLES / "county-2024-project-defects.yaml"],
}
SETUPS = {
    "thread": ["--executor", "thread"],
    "process": ["--executor", "process", "--processes", "2"],
    "workers2": ["--workers", "2", "--executor", "thread"],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def multipart(files: list[Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for f in files:
        parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{f.name}\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n".encode("utf-8") + f.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Server:
    def __init__(self, args: list[str], tmp: Path):
        self.port = _free_port()
        env = dict(os.environ, PYTHONPATH=str(ROOT), SELFEVAL_CACHE_DIR=str(tmp / "cache"),
                   PYTHONPYCACHEPREFIX=str(tmp / "pycache"))
        self.proc = subprocess.Popen([sys.executable, "-m", "validator", "serve", "--port", str(self.port), *args],
                                     cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}: {' '.join(args)}")
            try:
                status, _ = request(self.port, "GET", "/v1/health")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.1)

    def rss_mib(self) -> float | None:
        """Resident memory of the server and every process under it (Linux /proc)."""
        def tree(pid: int) -> list[int]:
            try:
                kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                return [pid]
            return [pid] + [p for k in kids for p in tree(int(k))]

        total = 0
        try:
            for pid in tree(self.proc.pid):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            return None
        return round(total / 1024, 1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()


def request(port: int, method: str, path: str, body: bytes | None = None, kind: str | None = None,
            conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request(method, path, body=body, headers={"Content-Type": kind} if kind else {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        if own:
            conn.close()


def load(port: int, body: bytes, kind: str, clients: int, seconds: float) -> dict:
    """`clients` threads posting for `seconds`; each keeps its connection (keep-alive)."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        mine = []
        start.wait()
        while time.perf_counter() < deadline[0]:
            t = time.perf_counter()
            status, answer = request(port, "POST", "/v1/check", body, kind, conn)
            mine.append(time.perf_counter() - t)
            if status != 200:
                failures.append(f"{status}: {answer[:200]!r}")
                break
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    if failures:
        print(f"serve.py: an answer was not 200: {failures[0]}", file=sys.stderr)
        raise SystemExit(3)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {"clients": clients, "requests": len(latencies), "seconds": round(elapsed, 2),
            "throughput": round(len(latencies) / elapsed, 1),
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--setups", default=",".join(SETUPS), help=f"comma-separated, of: {', '.join(SETUPS)}")
    ap.add_argument("--clients", default="1,4,16", help="concurrent clients, comma-separated")
    ap.add_argument("--seconds", type=float, default=15.0, help="time under load per measurement")
    ap.add_argument("--warmup", type=int, default=10, help="requests before measuring")
    ap.add_argument("--payload", choices=sorted(PAYLOADS), default="workbook")
    ap.add_argument("--out", help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    body, kind = multipart(PAYLOADS[args.payload])
    counts = [int(c) for c in args.clients.split(",")]
    results = {"payload": args.payload, "load_before": os.getloadavg(), "runs": []}
    print(f"payload {args.payload} ({len(body):,} bytes); load average {os.getloadavg()[0]:.2f} at start")
    print(f"{'setup':10} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'RSS MiB':>8}")
    with tempfile.TemporaryDirectory(prefix="selfeval-bench-serve-") as tmp:
        for setup in args.setups.split(","):
            server = Server(SETUPS[setup], Path(tmp))
            try:
                for _ in range(args.warmup):
                    status, answer = request(server.port, "POST", "/v1/check", body, kind)
                    if status != 200:
                        print(f"serve.py: {setup}: {status} {answer[:200]!r}", file=sys.stderr)
                        return 3
                for n in counts:
                    row = load(server.port, body, kind, n, args.seconds)
                    row["setup"] = setup
                    row["load"] = os.getloadavg()[0]
                    row["rss_mib"] = server.rss_mib()
                    results["runs"].append(row)
                    print(f"{setup:10} {n:>7} {row['requests']:>8} {row['throughput']:>7} {row['p50_ms']:>8} {row['p99_ms']:>8} {row['rss_mib'] or '-':>8}"
                          f"   (load {row['load']:.2f})", flush=True)
            finally:
                server.stop()
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
