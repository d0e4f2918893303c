"""Extraction and date parsing on hostile input: seconds per 100 KB of text built to make a parser backtrack.

The promise (issue: hostile sites): every extractor and date parser is linear-time on any input, at most 1 s
per 100 KB. Prints, for each hostile text at 100 KB and 400 KB, the time of `extract` and of
`parse_published`, beside a baseline measured in the same run (one `re` scan over the same text), and the
growth from 100 KB to 400 KB (about 4x for linear work). Run: .venv/bin/python bench/hostile_input.py
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.dates import parse_published  # noqa: E402
from pipelines.extract import extract  # noqa: E402

HOSTILE = {
    "firm in brackets, repeated": "Siemens (Shanghai) ",
    "company suffixes, repeated": "Co., Ltd. ",
    "numbers and commas": "1,2,3,4,5,6,7,8,9,0,",
    "approval words without end": "approved approved 批复 获批 ",
    "digits": "1",
    "Chinese firm suffixes": "有限公司(上海)",
    "open brackets": "((((((",
}


def _timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> int:
    word = re.compile(r"\w+")
    print(f"{'hostile text':30} {'KB':>5} {'extract s':>10} {'date s':>8} {'re scan s':>10} {'extract/100KB':>14}")
    for name, unit in HOSTILE.items():
        times = {}
        for kb in (100, 400):
            text = (unit * (kb * 1024 // len(unit) + 1))[: kb * 1024]  # kb * 1024 characters
            t_extract = _timed(extract, text)
            t_date = _timed(parse_published, text)
            t_scan = _timed(lambda t: sum(1 for _ in word.finditer(t)), text)
            times[kb] = t_extract
            print(f"{name:30} {kb:5d} {t_extract:10.3f} {t_date:8.4f} {t_scan:10.4f} {t_extract / kb * 100:14.3f}")
        print(f"{'':30} growth 100 -> 400 KB: {times[400] / max(times[100], 1e-9):.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
