"""Wall time and peak memory of the demo replay (what `make demo` runs after set-up), against a baseline.

The baseline, measured in the same run, is a child Python that only imports Scrapy and loads the demo
archive: the fixed cost every run pays. Usage: .venv/bin/python bench/demo_run.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = ROOT / "data" / "archive" / "demo"
BASELINE = f"import scrapy.crawler; from monitor.archive import load_archive; load_archive({str(ARCHIVE)!r})"


def measure(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)  # rusage of this child alone: its peak RSS
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    demo_t, demo_m, base_t, base_m = [], [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            t, m = measure([sys.executable, "-m", "monitor.cli", "run", "--replay", str(ARCHIVE),
                            "--db", f"{tmp}/demo.db", "--quiet"])
        demo_t.append(t)
        demo_m.append(m)
        t, m = measure([sys.executable, "-c", BASELINE])
        base_t.append(t)
        base_m.append(m)
    dt, bt = statistics.median(demo_t), statistics.median(base_t)
    dm, bm = max(demo_m), max(base_m)
    print(f"demo replay: wall {dt:.2f} s (median of {args.repeat}), peak RSS {dm:.0f} MiB")
    print(f"baseline (import scrapy + load archive): wall {bt:.2f} s, peak RSS {bm:.0f} MiB")
    print(f"ratio demo/baseline: wall {dt / bt:.2f}x, memory {dm / bm:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
